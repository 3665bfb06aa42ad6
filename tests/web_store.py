"""One real store per test session, built from the bundled examples, for the API and browser tests."""

from __future__ import annotations

from pathlib import Path

from sitroom.model import Document, Extraction

EXAMPLE_STORIES = 12  # the seed article plus this many VOA stories
HOSTILE_ID = "hostile0000000001"
HOSTILE_TEXT = 'A report quoting <script>alert("x")</script> and <b>bold</b> & "quotes" as plain text.'

_built: dict[str, Path] = {}


def example_store_path(tmp_path_factory) -> Path:
    """Build (once) a SQLite store: the seed, the first VOA stories, and one hostile document."""
    if "path" not in _built:
        from sitroom.store import open_store
        from sitroom.bundled import load_examples

        path = tmp_path_factory.mktemp("webstore") / "examples.db"
        store = open_store(f"sqlite:///{path}")
        load_examples(store, limit=EXAMPLE_STORIES)
        store.save_extraction(Extraction(document=Document(id=HOSTILE_ID, text=HOSTILE_TEXT, title="<i>hostile</i> title",
                                                           source="Test", published="2020-01-01", language="en")),
                              location="hostile")
        store.close()
        _built["path"] = path
    return _built["path"]
