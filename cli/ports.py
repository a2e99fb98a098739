"""Is a TCP port free, and if not, which process listens on it (read from /proc, no extra package).

`acv serve`, `acv ui` and `scripts/up.sh` check their ports before starting, so that a busy port gives a
French sentence naming the process that holds it instead of a server's English error after start-up.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path

_LISTEN = "0A"  # TCP state LISTEN in /proc/net/tcp


@dataclass(slots=True)
class PortHolder:
    """A process listening on a port (pid and command line), when /proc lets us see it."""

    pid: int | None
    command: str | None


def port_is_free(host: str, port: int) -> bool:
    """True when `host:port` can be bound now (the server would start)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn and tornado do: TIME_WAIT is no obstacle
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def listening_inodes(port: int, proc: Path = Path("/proc")) -> set[str]:
    """Socket inodes of the TCP listeners on `port` (IPv4 and IPv6)."""
    inodes: set[str] = set()
    for name in ("tcp", "tcp6"):
        try:
            lines = (proc / "net" / name).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) < 10 or fields[3] != _LISTEN:
                continue
            if int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    return inodes


def port_holder(port: int, proc: Path = Path("/proc")) -> PortHolder | None:
    """The process listening on `port`; pid None when the listener belongs to a process we may not inspect."""
    inodes = listening_inodes(port, proc)
    if not inodes:
        return None
    wanted = {f"socket:[{i}]" for i in inodes}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fds = list((entry / "fd").iterdir())
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(fd) in wanted:
                    raw = (entry / "cmdline").read_bytes().replace(b"\0", b" ").strip()
                    return PortHolder(int(entry.name), raw.decode("utf-8", "replace") or None)
            except OSError:
                continue
    return PortHolder(None, None)


def busy_port_message(port: int, what: str) -> str:
    """The French sentence for a port that `what` (« l'API », « l'interface ») cannot use."""
    holder = port_holder(port)
    if holder is None or holder.pid is None:
        who = "un autre programme (dont le processus n'est pas visible pour cet utilisateur)"
    else:
        command = " ".join((holder.command or "?").split())
        if len(command) > 120:
            command = command[:117] + "…"
        who = f"le processus {holder.pid} ({command})"
    return (f"Le port {port}, prévu pour {what}, est déjà utilisé par {who}. Arrêtez ce processus "
            f"ou choisissez un autre port (variables ACV_PORT et ACV_UI_PORT).")
