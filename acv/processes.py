"""Whether a process still runs: one answer for the ingest progress, the upload recovery and `up.sh`."""

from __future__ import annotations

import os


def pid_alive(pid: int) -> bool:
    """True while `pid` exists (even one we may not signal): a progress file or a `.part` it owns is still live."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
