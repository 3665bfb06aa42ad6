"""Time and memory budgets for work that hostile input can make run away (a parser, an HTML reader).

``budget(seconds, memory_mb)`` runs a block under a wall-clock budget and a ceiling on this
process's resident memory. A timer signal checks both; past either, ``OverBudget`` is raised
inside the block, wherever it is. It derives from ``BaseException`` so that no library's
``except Exception`` swallows it. Work in compiled code (a regular expression, a matrix
product) is interrupted when it returns to Python, so the budget is a little soft.

Signals reach only the main thread of a process: elsewhere (a web server's worker thread) the
block runs without a budget. Ingest parses in the main thread of the CLI and of each worker
process, except on a Dask worker, which runs its tasks in a thread pool: it calls
``allow_thread_budgets()``, after which a block in any thread is watched by a thread of its
own that raises into it (``PyThreadState_SetAsyncExc``, as soft as the signal: delivered when
the thread next runs Python code).
"""

from __future__ import annotations

import ctypes
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


# Set by ``allow_thread_budgets``: budgets in threads other than the main one are enforced too.
_thread_budgets = False


def allow_thread_budgets(allowed: bool = True) -> None:
    """Enforce budgets in every thread of this process from now on (a Dask worker's task threads).

    Off by default: a process whose threads run code that must not be interrupted midway (a
    web server holding a lock) keeps the old rule, no budget outside the main thread."""
    global _thread_budgets
    _thread_budgets = allowed


def _in_main_thread() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def can_interrupt() -> bool:
    """Whether a budget can be enforced here: the main thread of a process with SIGALRM, or any
    thread once ``allow_thread_budgets()`` was called (CPython)."""
    return _in_main_thread() or (_thread_budgets and hasattr(ctypes, "pythonapi"))


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
    if not _in_main_thread():
        with _watched(seconds, memory_mb):
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


class _Interrupt(BaseException):
    """Raised into a thread whose budget ran out; its own ``budget`` turns it into ``OverBudget``."""


def _raise_in(thread_id: int, exception: type[BaseException] | None) -> None:
    """Have ``thread_id`` raise ``exception`` when it next runs Python code; None withdraws one not yet raised."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                               ctypes.py_object(exception) if exception else None)


@contextmanager
def _watched(seconds: float | None, memory_mb: float | None) -> Iterator[None]:
    """``budget`` outside the main thread: a watcher thread checks the clock and the memory as
    the signal would, and past either raises into this thread. Each block raises a class of
    its own, so that nested budgets never take each other's interrupt."""
    target = threading.get_ident()
    interrupt: type[_Interrupt] = type("BudgetInterrupt", (_Interrupt,), {})
    deadline = time.monotonic() + seconds if seconds is not None else None
    finished = threading.Event()
    lock = threading.Lock()
    state: dict[str, object] = {"done": False, "over": None}

    def watch() -> None:
        while True:
            wait = CHECK_SECONDS if memory_mb is not None or state["over"] is not None else None
            if deadline is not None and state["over"] is None:
                left = max(deadline - time.monotonic(), 0.0)
                wait = left if wait is None else min(wait, left)
            if finished.wait(max(wait or 0.0, 1e-3)):
                return
            over = state["over"]
            if over is None and deadline is not None and seconds is not None and time.monotonic() >= deadline:
                over = OverBudget("time", seconds)
            elif over is None and memory_mb is not None and (resident_mb() or 0.0) > memory_mb:
                over = OverBudget("memory", memory_mb)
            if over is not None:
                # Raised again while the block goes on: an interrupt delivered where Python
                # ignores exceptions (a garbage-collector callback, a __del__) is lost.
                with lock:
                    if state["done"]:
                        return
                    state["over"] = over
                    _raise_in(target, interrupt)

    watcher = threading.Thread(target=watch, name="sitroom-budget", daemon=True)
    try:
        try:
            watcher.start()  # inside the try: a short budget can run out before start() returns
            yield
        finally:
            with lock:  # from here on the watcher raises nothing; one raised but not yet delivered is withdrawn
                state["done"] = True
                if state["over"] is not None:
                    _raise_in(target, None)
            finished.set()
    except interrupt:
        over = state["over"]
        raise over if isinstance(over, OverBudget) else OverBudget("time", seconds or 0.0) from None
