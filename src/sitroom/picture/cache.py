"""What one ``Picture`` computes from its store and keeps: whether the picture's tables are up
to date (the part "picture", whose computing is ``maintain.update``), and claim clusters per
filter.

A part is computed once per state of the store. The owner invalidates the cache when it
changes the store itself (an analyst's correction): every part is dropped and the next read
waits for the new one. Changes made by another process (an ingest running beside ``sitroom
serve``) are seen through the store's fingerprint, read at most every ``recheck_seconds``;
then a part that was quick to compute (under ``wait_seconds``) is recomputed while the reader
waits, and a costly one is served as it was while one background thread recomputes it. So a
reader never waits for a costly part that already has a value, and while an ingest goes on,
a part is recomputed at most once every ``REFRESH_RATIO`` times its own cost: the picture lags
the store by about that much, and the CPU stays with the ingest.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sitroom.store import Store

Part = TypeVar("Part")
RECHECK_SECONDS = 2.0  # how often the store's fingerprint is read while the UI is used
WAIT_SECONDS = 0.05  # a stale part cheaper than this is recomputed while the reader waits
REFRESH_RATIO = 4.0  # a stale costly part is recomputed at most once every this many times its cost
# Parts of one question with its filters ("claim-clusters:[...]", a name with a colon) may be
# as large as the store's claims: this many are kept, the least recently used dropped.
MAX_ASKED_PARTS = 8
log = logging.getLogger(__name__)


@dataclass
class _Kept:
    value: Any
    generation: int  # the store's generation it was computed from
    made_at: float  # time.monotonic() when it was stored
    cost: float  # seconds it took to compute


class PictureCache:
    """Named parts computed from one store, recomputed when the store changes."""

    def __init__(self, store: Store, recheck_seconds: float = RECHECK_SECONDS,
                 wait_seconds: float = WAIT_SECONDS) -> None:
        self.store = store
        self.recheck_seconds = recheck_seconds
        self.wait_seconds = wait_seconds
        self._parts: OrderedDict[str, _Kept] = OrderedDict()
        self._state: tuple | None = None
        self._checked_at = float("-inf")
        self._generation = 0  # goes up when the store is seen to have changed
        self._epoch = 0  # goes up on invalidate(): nothing computed before it is kept
        self._refreshing: set[str] = set()  # parts a background thread is recomputing
        self._lock = threading.Lock()  # guards the fields above
        self._computing: dict[str, threading.RLock] = {}  # one computation of each part at a time
        self._local = threading.local()  # in a background refresh: the generation it computes for

    def get(self, name: str, compute: Callable[[], Part]) -> Part:
        """The part ``name``: as kept when the store has not changed since; else recomputed by
        ``compute()`` (waiting for it when it is quick or there is nothing to show yet, in the
        background otherwise). Two threads asking for one part wait for one computation."""
        self._note_changes()
        with self._lock:
            kept = self._parts.get(name)
            if kept is not None:
                self._parts.move_to_end(name)
                if kept.generation >= self._wanted():
                    return kept.value
                if kept.cost >= self.wait_seconds and self._local.__dict__.get("target") is None:
                    self._refresh_later(name, compute, kept)
                    return kept.value
        return self._compute(name, compute)

    def invalidate(self) -> None:
        """Forget every part: the next read recomputes from the store as it is now."""
        with self._lock:
            self._parts.clear()
            self._generation += 1
            self._epoch += 1
            self._state = None
            self._checked_at = float("-inf")

    def computed(self) -> set[str]:
        """The names of the parts held now."""
        with self._lock:
            return set(self._parts)

    def refreshing(self) -> set[str]:
        """The names of the parts being recomputed in the background now."""
        with self._lock:
            return set(self._refreshing)

    def _wanted(self) -> int:
        """The generation a part must be from: the store's now, or, inside a background refresh,
        the one that refresh was started for (so that it computes each part it needs once)."""
        target = self._local.__dict__.get("target")
        return self._generation if target is None else target

    def _compute(self, name: str, compute: Callable[[], Part]) -> Part:
        with self._lock:
            computing = self._computing.setdefault(name, threading.RLock())
        with computing:
            with self._lock:
                kept = self._parts.get(name)
                if kept is not None and kept.generation >= self._wanted():
                    return kept.value
                generation, epoch = self._generation, self._epoch
            started = time.perf_counter()
            value = compute()
            cost = time.perf_counter() - started
            with self._lock:
                kept = self._parts.get(name)
                if epoch == self._epoch and (kept is None or kept.generation <= generation):
                    self._parts[name] = _Kept(value, generation, time.monotonic(), cost)
                    self._parts.move_to_end(name)
                    asked = [key for key in self._parts if ":" in key]  # least recently used first
                    for key in asked[:max(0, len(asked) - MAX_ASKED_PARTS)]:
                        del self._parts[key]
            return value

    def _refresh_later(self, name: str, compute: Callable[[], Any], kept: _Kept) -> None:
        """Start one background recomputation of a stale part, when it is due (held: _lock)."""
        if name in self._refreshing or time.monotonic() - kept.made_at < max(self.recheck_seconds,
                                                                            REFRESH_RATIO * kept.cost):
            return
        self._refreshing.add(name)
        target = self._generation

        def refresh() -> None:
            self._local.target = target
            try:
                self._compute(name, compute)
            except Exception:  # noqa: BLE001 - the stale part stays; the next reader tries again
                log.exception("recomputing the picture's %s failed", name)
            finally:
                self._local.target = None
                with self._lock:
                    self._refreshing.discard(name)

        threading.Thread(target=refresh, name=f"sitroom-refresh-{name[:40]}", daemon=True).start()

    def _note_changes(self) -> None:
        """Read the store's fingerprint when ``recheck_seconds`` have passed (one thread at a
        time, without holding the lock while the store answers)."""
        now = time.monotonic()
        with self._lock:
            if now - self._checked_at < self.recheck_seconds:
                return
            self._checked_at = now
        state = self.store.fingerprint()
        with self._lock:
            if state != self._state:
                if self._state is not None:
                    self._generation += 1
                self._state = state
