"""The local PostgreSQL server for tests: a fresh schema per store, all dropped when the session ends.

Each schema is one ``search_path`` in the store's URL, so tests never share tables and never
see another session's. ``drop_schemas`` (called from ``conftest.pytest_sessionfinish``) drops
only the schemas this process made.
"""

from __future__ import annotations

import sys
import uuid

import pytest
from sqlalchemy import create_engine, text

POSTGRES_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

_made: list[str] = []


def postgres_url(*, application_name: str | None = None) -> str:
    """A store URL on a fresh schema of the local server, or a skip with the reason."""
    try:
        engine = create_engine(POSTGRES_SERVER, connect_args={"connect_timeout": 3})
        name = f"t_{uuid.uuid4().hex[:10]}"
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        engine.dispose()
    except Exception as error:  # noqa: BLE001
        pytest.skip(f"no PostgreSQL server at 127.0.0.1:5432 ({type(error).__name__})")
    _made.append(name)
    named = f"&application_name={application_name}" if application_name else ""
    return f"{POSTGRES_SERVER}?options=-csearch_path%3D{name}{named}"


def drop_schemas() -> None:
    """Drop the schemas this process made; a schema still locked (a store left open inside a
    transaction) is left with a warning rather than waited for."""
    if not _made:
        return
    engine = create_engine(POSTGRES_SERVER, connect_args={"connect_timeout": 3})
    try:
        for name in list(_made):
            try:
                with engine.begin() as conn:
                    conn.execute(text("SET LOCAL lock_timeout = '5s'"))
                    conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
                _made.remove(name)
            except Exception as error:  # noqa: BLE001
                print(f"test schema {name} not dropped: {type(error).__name__}: {error}", file=sys.stderr)
    finally:
        engine.dispose()
