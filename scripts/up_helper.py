"""The small jobs of scripts/up.sh that bash does badly: port checks and the start-up status lines.

    python scripts/up_helper.py ports HOST API_PORT UI_PORT
        exit 0 when both ports are free, else one French line per busy port (with the process holding it), exit 1
    python scripts/up_helper.py status --api URL --ui URL --store PATH --ingest-pid PID
        « API prête … », « Interface prête … », then « Indexation : 12/48 fichiers » until the ingest ends

Only the standard library and the project's light modules (cli.ports, ingest.progress) are imported, so the
status lines come at once.
"""

from __future__ import annotations

import argparse
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from acv.processes import pid_alive  # noqa: E402
from cli.ports import busy_port_message, port_is_free  # noqa: E402

POLL_S = 0.5


def check_ports(host: str, api_port: int, ui_port: int) -> int:
    busy = [(p, what) for p, what in ((api_port, "l'API"), (ui_port, "l'interface")) if not port_is_free(host, p)]
    for port, what in busy:
        print(busy_port_message(port, what), file=sys.stderr)
    return 1 if busy else 0


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def say(line: str) -> None:
    print(line, flush=True)


class IngestLine:
    """« Indexation : 12/48 fichiers », rewritten in place on a terminal, else printed at most every 10 s."""

    def __init__(self, tty: bool) -> None:
        self.tty = tty
        self.last_text = ""
        self.last_print = 0.0
        self.open = False  # a line without its newline is on the terminal

    def show(self, done: int, total: int) -> None:
        text = f"Indexation : {done}/{total} fichiers"
        if text == self.last_text:
            return
        if self.tty:
            sys.stdout.write("\r" + text)
            sys.stdout.flush()
            self.open = True
        elif time.monotonic() - self.last_print >= 10 and done < total:
            say(text)
            self.last_print = time.monotonic()
        self.last_text = text

    def end(self, line: str) -> None:
        if self.open:
            sys.stdout.write("\r\033[K")
        say(line)
        self.open = False


def status(api: str, ui: str, store: Path, ingest_pid: int) -> int:
    """The start-up lines; returns when the ingest has ended (the services keep running)."""
    from ingest.progress import read_progress

    api_ready = ui_ready = False
    line = IngestLine(sys.stdout.isatty())
    ingest_done = False
    while True:
        if not api_ready and answers(api + "/health"):
            api_ready = True
            line.end(f"API prête : {api}/docs")
        if not ui_ready and answers(ui + "/_stcore/health"):
            ui_ready = True
            line.end(f"Interface prête : {ui} — Ctrl-C pour tout arrêter.")
        if not ingest_done:
            running = pid_alive(ingest_pid)
            progress = read_progress(store)
            if progress is not None and progress.pid == ingest_pid and progress.files_total:
                line.show(progress.files_done, progress.files_total)
            if not running:
                ingest_done = True
                progress = read_progress(store)
                if progress is not None and progress.pid == ingest_pid and progress.state == "done":
                    errors = f", {progress.errors} en erreur" if progress.errors else ""
                    n = progress.passages
                    added = "aucun passage ajouté" if n == 0 else f"{n} passage{'s' if n > 1 else ''} ajouté{'s' if n > 1 else ''}"
                    line.end(f"Indexation terminée : {progress.files_total} fichiers, {added}{errors}.")
                else:
                    line.end("L'indexation s'est arrêtée avant la fin : voir le journal.")
        if api_ready and ui_ready and ingest_done:
            return 0
        time.sleep(POLL_S)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="up_helper")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("ports")
    s.add_argument("host")
    s.add_argument("api_port", type=int)
    s.add_argument("ui_port", type=int)
    s = sub.add_parser("status")
    s.add_argument("--api", required=True)
    s.add_argument("--ui", required=True)
    s.add_argument("--store", required=True, type=Path)
    s.add_argument("--ingest-pid", required=True, type=int)
    args = p.parse_args(argv)
    try:
        if args.cmd == "ports":
            return check_ports(args.host, args.api_port, args.ui_port)
        return status(args.api.rstrip("/"), args.ui.rstrip("/"), args.store, args.ingest_pid)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
