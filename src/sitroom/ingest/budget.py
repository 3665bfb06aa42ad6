"""Time and memory budgets for work that hostile input can make run away (a parser, an HTML reader).

``budget(seconds, memory_mb)`` runs a block under a wall-clock budget and a ceiling on this
process's resident memory. A timer signal checks both; past either, ``OverBudget`` is raised
inside the block, wherever it is. It derives from ``BaseException`` so that no library's
``except Exception`` swallows it. Work in compiled code (a regular expression, a matrix
product) is interrupted when it returns to Python, so the budget is a little soft.

Signals reach only the main thread of a process: elsewhere (a web server's worker thread) the
block runs without a budget. Ingest parses in the main thread of the CLI and of each worker process.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

# How often the memory ceiling is checked while a block runs.
CHECK_SECONDS = 0.1


class OverBudget(BaseException):
    """Raised inside a block that ran past its time budget or memory ceiling."""

    def __init__(self, kind: str, limit: float) -> None:
        super().__init__(kind, limit)
        self.kind = kind  # "time" or "memory"
        self.limit = limit  # seconds or MB


def can_interrupt() -> bool:
    """Whether a budget can be enforced here (the main thread of a process with SIGALRM)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def resident_mb() -> float | None:
    """This process's resident memory in MB (Linux), or None where it cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


@contextmanager
def budget(seconds: float | None, memory_mb: float | None = None) -> Iterator[None]:
    """Run the block in at most ``seconds`` and below ``memory_mb`` of resident memory, else
    ``OverBudget``; None is no limit. Where signals cannot be used, the block runs unbounded."""
    if memory_mb is not None and resident_mb() is None:
        memory_mb = None
    if (seconds is None and memory_mb is None) or not can_interrupt():
        yield
        return
    deadline = time.monotonic() + seconds if seconds is not None else None

    def check(_signum: int, _frame: object) -> None:
        if deadline is not None and time.monotonic() >= deadline:
            raise OverBudget("time", seconds)
        if memory_mb is not None and (resident_mb() or 0.0) > memory_mb:
            raise OverBudget("memory", memory_mb)

    if memory_mb is not None:
        first = CHECK_SECONDS if seconds is None else min(CHECK_SECONDS, seconds)
        interval = CHECK_SECONDS
    else:
        first, interval = seconds, 0.0
    previous = signal.signal(signal.SIGALRM, check)
    outer = signal.setitimer(signal.ITIMER_REAL, max(first, 1e-3), interval)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer[0] > 0:  # a budget around this one goes on
            signal.setitimer(signal.ITIMER_REAL, *outer)
