"""sitroom: turn news reports into a sourced situation picture.

The Python API mirrors the CLI::

    import sitroom
    found = sitroom.extract(text, published="2024-10-24")   # sitroom extract FILE
    sitroom.ingest_paths(["reports/"], db="sqlite:///sitroom.db")  # sitroom ingest reports/
    picture = sitroom.open("sqlite:///sitroom.db")           # --db URL
    picture.claims(speaker="Kirby")                          # sitroom claims --speaker Kirby
    picture.export("geojson")                                # sitroom export --format geojson
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sitroom.model import Document, Extraction

if TYPE_CHECKING:
    from sitroom.batch import IngestReport
    from sitroom.picture import Picture
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

    The document is made as ingest makes it (text cleaned, ``published`` checked: YYYY-MM-DD or
    ``ValueError``), so its id and offsets are those ``sitroom ingest`` would store. ``language``
    is taken as given; ``None`` detects it as ingest does (only English is extracted).
    """
    from sitroom.ingest import Skipped
    from sitroom.ingest.documents import Defaults, make_document
    from sitroom.nlp.pipeline import extract_documents

    made = make_document(text, location="<text>", defaults=Defaults(published=published, source=source, title=title),
                         url=url)
    if isinstance(made, Skipped):
        raise ValueError(f"no document: {made.reason}")
    document = made.document
    if language is not None:
        document.language = language
    return next(extract_documents([document]))


def open(url: str | None = None) -> "Picture":  # noqa: A001 - sitroom.open mirrors --db
    """The read API over the store at ``url`` (default: the ``SITROOM_DB`` setting), created if needed."""
    from sitroom.picture import Picture

    return Picture.open(url)


def open_store(url: str | None = None) -> "Store":
    """The store itself (writes, raw rows) at ``url``; ``sitroom.open`` is what reads the picture."""
    from sitroom.store import open_store as _open

    return _open(url)


def ingest_paths(paths: Sequence[str] | str, *, db: str | None = None, **options: Any) -> "IngestReport":
    """Read, extract and store ``paths`` as ``sitroom ingest`` does (same options: published,
    source, title, field_map, force, workers, batch_size, and ``cluster``, a client from
    ``sitroom.cluster.connect("local:2")`` or ``connect("tcp://HOST:8786")``); returns the run's report.

    (Named apart from the ``sitroom.ingest`` package, which holds the readers.)"""
    from sitroom.batch import ingest as run_ingest

    store = open_store(db)
    try:
        return run_ingest([paths] if isinstance(paths, str) else list(paths), store, **options)
    finally:
        store.close()


__all__ = ["Document", "Extraction", "extract", "ingest_paths", "open", "open_store", "__version__"]
