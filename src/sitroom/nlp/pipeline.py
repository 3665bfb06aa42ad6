"""Parse documents with spaCy and run the extractors over each parsed ``Doc``.

Every extractor is a plain function ``(doc, found) -> list[record]``: ``doc`` is the parsed
spaCy ``Doc`` of ``found.document.text`` and ``found`` the ``Extraction`` filled so far, so
later extractors (events) can use what earlier ones (entities, times, claims) found. The
publication date is ``found.document.published``.

Parsing is batched with ``nlp.pipe``; with ``workers > 1`` whole batches (parse and extract)
go to worker processes, a bounded number at a time, so memory stays flat on any corpus.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from itertools import islice

from spacy.language import Language
from spacy.tokens import Doc

from sitroom import settings
from sitroom.model import Document, Extraction

Extractor = Callable[[Doc, Extraction], list]

# The longest text handed to the parser, in characters. Ingest refuses longer documents.
MAX_TEXT_CHARS = 1_000_000
DEFAULT_BATCH_SIZE = 50


def extractors() -> list[tuple[str, Extractor]]:
    """The extractors in the order they run, each with the ``Extraction`` field it fills."""
    from sitroom.nlp.entities import extract_entities
    from sitroom.nlp.places import extract_places

    return [
        ("entities", extract_entities),
        ("places", extract_places),
    ]


@lru_cache(maxsize=4)
def load_nlp(model: str | None = None) -> Language:
    """Load the spaCy pipeline named by the setting (installed as a package, never fetched)."""
    import spacy

    nlp = spacy.load(model or settings.model_name())
    nlp.max_length = MAX_TEXT_CHARS + 1
    return nlp


def is_english(document: Document) -> bool:
    """Only English text goes through the English pipeline; unknown language is tried."""
    return document.language in (None, "", "en")


def extract_parsed(doc: Doc, document: Document) -> Extraction:
    """Run every extractor over one parsed document."""
    found = Extraction(document=document)
    for field_name, extract in extractors():
        setattr(found, field_name, extract(doc, found))
    return found


def _extract_batch(documents: list[Document], model: str | None, batch_size: int) -> list[Extraction]:
    nlp = load_nlp(model)
    english = [d for d in documents if is_english(d)]
    parsed = {id(d): doc for d, doc in zip(english, nlp.pipe((d.text for d in english), batch_size=batch_size))}
    results = []
    for document in documents:
        if id(document) in parsed:
            results.append(extract_parsed(parsed[id(document)], document))
        else:
            results.append(Extraction(document=document, notes=[f"language {document.language}: not parsed"]))
    return results


def _batches(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    iterator = iter(documents)
    while batch := list(islice(iterator, size)):
        yield batch


def _worker_init(model: str | None) -> None:
    load_nlp(model)


def extract_documents(
    documents: Iterable[Document],
    *,
    workers: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    model: str | None = None,
) -> Iterator[Extraction]:
    """Parse and extract a stream of documents, yielding results in input order.

    With several workers at most ``2 * workers`` batches are in flight, so a corpus is
    never held in memory.
    """
    if workers <= 1:
        for batch in _batches(documents, batch_size):
            yield from _extract_batch(batch, model, batch_size)
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_worker_init, initargs=(model,)) as pool:
        pending: deque = deque()
        for batch in _batches(documents, batch_size):
            pending.append(pool.apply_async(_extract_batch, (batch, model, batch_size)))
            if len(pending) >= 2 * workers:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
