"""sitroom: turn news reports into a sourced situation picture.

The Python API mirrors the CLI::

    import sitroom
    found = sitroom.extract(text, published="2024-10-24")   # sitroom extract FILE
    store = sitroom.open_store("sqlite:///sitroom.db")      # --db URL
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitroom.model import Document, Extraction

if TYPE_CHECKING:
    from sitroom.store import Store

__version__ = "0.1.0"


def extract(
    text: str,
    *,
    published: str | None = None,
    source: str | None = None,
    title: str | None = None,
    url: str | None = None,
    language: str | None = "en",
) -> Extraction:
    """Extract the contract records from one text, without touching a store.

    The text is cleaned as ingest cleans it (line breaks, control characters, a byte-order
    mark), so its id and offsets are those ``sitroom ingest`` would store.
    """
    from sitroom.ingest.documents import clean_text
    from sitroom.ingest.identity import document_id
    from sitroom.nlp.pipeline import extract_documents

    text = clean_text(text)
    document = Document(
        id=document_id(text), text=text, title=title, source=source, url=url, published=published, language=language
    )
    return next(extract_documents([document]))


def open_store(url: str | None = None) -> "Store":
    """Open (and create if needed) the store at ``url`` (default: the ``SITROOM_DB`` setting)."""
    from sitroom.store import open_store as _open

    return _open(url)


__all__ = ["Document", "Extraction", "extract", "open_store", "__version__"]
