"""How much memory the bot and its training workers use (for /stats). No Telegram here."""

from __future__ import annotations

import multiprocessing
import resource
from pathlib import Path


def resident_mb(pid: int | str = "self") -> float | None:
    """Resident memory of a process in MB, from /proc (None where there is no /proc)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


def memory_mb() -> tuple[float, float, float]:
    """(bot now, bot peak, training workers now) resident memory in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    current = resident_mb() or peak
    workers = sum(resident_mb(child.pid) or 0.0 for child in multiprocessing.active_children())
    return current, peak, workers
