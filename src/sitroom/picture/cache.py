"""The derived parts of the picture (resolved entities, speakers, figure tracks, the timeline),
kept by the one ``Picture`` that computed them.

A part is computed once per state of the store. The owner invalidates the cache when it
changes the store itself (an analyst's correction); changes made by another process (an
ingest running beside ``sitroom serve``) are seen through the store's fingerprint, read at
most every ``recheck_seconds``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from sitroom.store import Store

Part = TypeVar("Part")
RECHECK_SECONDS = 2.0  # how stale the picture may be while ingestion runs beside the UI


class PictureCache:
    """Named parts computed from one store, dropped together when the store changes."""

    def __init__(self, store: Store, recheck_seconds: float = RECHECK_SECONDS) -> None:
        self.store = store
        self.recheck_seconds = recheck_seconds
        self._parts: dict[str, Any] = {}
        self._state: tuple | None = None
        self._checked_at = float("-inf")
        self._generation = 0
        self._lock = threading.Lock()  # guards the fields above
        self._computing: dict[str, threading.RLock] = {}  # one computation of each part at a time

    def get(self, name: str, compute: Callable[[], Part]) -> Part:
        """The part ``name``, computed by ``compute()`` if the store changed since it was made.

        Two threads asking for the same part wait for one computation; parts computed from a
        store that changed meanwhile are returned but not kept.
        """
        with self._lock:
            self._drop_if_changed()
            if name in self._parts:
                return self._parts[name]
            computing = self._computing.setdefault(name, threading.RLock())
        with computing:
            with self._lock:
                if name in self._parts:
                    return self._parts[name]
                generation = self._generation
            value = compute()
            with self._lock:
                if generation == self._generation:
                    self._parts[name] = value
            return value

    def invalidate(self) -> None:
        """Forget every part: the next read recomputes from the store as it is now."""
        with self._lock:
            self._forget()
            self._state = None

    def computed(self) -> set[str]:
        """The names of the parts held now."""
        with self._lock:
            return set(self._parts)

    def _forget(self) -> None:
        self._parts.clear()
        self._generation += 1
        self._checked_at = float("-inf")

    def _drop_if_changed(self) -> None:
        now = time.monotonic()
        if now - self._checked_at < self.recheck_seconds:
            return
        state = self.store.fingerprint()
        if state != self._state:
            self._forget()
            self._state = state
        self._checked_at = now
