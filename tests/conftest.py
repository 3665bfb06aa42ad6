"""Shared fixtures: the real spaCy pipeline, the ../shared folder, the seed article."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitroom import settings
from sitroom.bundled import SEED_NAME, SEED_PUBLISHED, SEED_TITLE

__all__ = ["SEED_NAME", "SEED_PUBLISHED", "SEED_TITLE"]


def pytest_sessionfinish(session, exitstatus):
    """Drop the PostgreSQL schemas this session made (``pg_server``)."""
    from pg_server import drop_schemas

    drop_schemas()


@pytest.fixture(scope="session")
def nlp():
    from sitroom.nlp.pipeline import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared corpora and gold standards; tests that need them skip when absent."""
    path = settings.shared_dir()
    if not path.is_dir():
        pytest.skip(f"no shared data at {path.resolve()} (set SITROOM_SHARED)")
    return path


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (settings.examples_dir() / SEED_NAME).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_extraction(seed_text):
    import sitroom

    return sitroom.extract(seed_text, published=SEED_PUBLISHED)
