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

from sitroom import kinds, settings
from sitroom.model import Document, Extraction

Extractor = Callable[[Doc, Extraction], list]

# The longest text handed to the parser, in characters. Ingest refuses longer documents.
DEFAULT_BATCH_SIZE = settings.DEFAULT_BATCH_SIZE


def extractors() -> tuple[tuple[str, Extractor], ...]:
    """The extractors in the order they run, each with the record kind it fills
    (``sitroom.kinds``: the contract's six, then any plugin's)."""
    return tuple((kind.name, kind.extractor()) for kind in kinds.pipeline_order())


def load_nlp(model: str | None = None) -> Language:
    """The spaCy pipeline named by ``model`` or the setting (installed as a package, never fetched)."""
    return _load_named(model or settings.model_name())


@lru_cache(maxsize=4)
def _load_named(model: str) -> Language:
    import spacy

    nlp = spacy.load(model)
    nlp.max_length = settings.MAX_TEXT_CHARS + 1
    _split_glued_sentence_ends(nlp)
    return nlp


def _glued_sentence_end_rules() -> tuple[list[str], list[str], list[str]]:
    """Prefix, infix and suffix patterns for sentence ends that lack the space after them.

    Scraped text often runs sentences together ("... of NATO.He said", "propaganda?Sergei
    Lavrov", 'structures"."Russia'); spaCy then keeps "NATO.He" as one token, the parser
    misses the boundary and the entity recognizer reads "NATO.He" as a name. A mark splits
    off only before a capitalised word, so "3.5", "No.1", "e.g.", "mod.gov.ua" and "Gazeta.pl"
    stay whole. A period splits only after two letters or digits: one letter before it is an
    initial or part of a dotted abbreviation ("J.R.R.", "U.S."). URLs never reach the infix
    rules (spaCy's ``url_match`` keeps them whole), and "Mr.Smith" keeps spaCy's own rule:
    "Mr." (a tokenizer exception) and "Smith".
    """
    from spacy.lang.char_classes import ALPHA, ALPHA_LOWER, ALPHA_UPPER

    word = f"{ALPHA}0-9"
    quote = "\"'”’»“«"
    closer = quote + ")\\]"
    infixes = [
        # "NATO.He", '2022."The', 'sanctions".The': a period between a word and a capitalised word.
        rf"(?:(?<=[{word}][{word}])|(?<=[{word}][{closer}]))\.(?=[{quote}]?[{ALPHA_UPPER}][{ALPHA_LOWER}])",
        # "propaganda?Sergei", 'Guard!"Bąkiewicz': no abbreviation ends in "?" or "!".
        rf"(?<=[{word}{closer}])[?!]+(?=[{quote}]?[{ALPHA_UPPER}])",
        # the quote or bracket between a word and its glued sentence end: 'structures"."Russia'
        rf"(?<=[{word}])[{closer}](?=[.?!]+[{quote}]?[{ALPHA_UPPER}])",
        # the quote that opens the next sentence: 'NATO."He', 'structures"."Russia'
        rf"(?<=[.?!])[{quote}](?=[{ALPHA_UPPER}])",
    ]
    # "Kiev.- This", "(CNN)- The": a dash glued to the end of a sentence or a bracket.
    suffixes = [rf"(?<=[.?!,;:{closer}])[-–—]+"]
    # "post -Soviet", "—Putin said": a dash glued to the front of a capitalised word.
    prefixes = [rf"[-–](?=[{ALPHA_UPPER}])"]
    return prefixes, infixes, suffixes


def _split_glued_sentence_ends(nlp: Language) -> None:
    """Teach the tokenizer the rules of ``_glued_sentence_end_rules`` (added after spaCy's own,
    which keep priority). Tokenization never changes the text, so every offset stays valid."""
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    prefixes, infixes, suffixes = _glued_sentence_end_rules()
    defaults = nlp.Defaults
    nlp.tokenizer.prefix_search = compile_prefix_regex(tuple(defaults.prefixes or ()) + tuple(prefixes)).search
    nlp.tokenizer.infix_finditer = compile_infix_regex(tuple(defaults.infixes or ()) + tuple(infixes)).finditer
    nlp.tokenizer.suffix_search = compile_suffix_regex(tuple(suffixes) + tuple(defaults.suffixes or ())).search


def is_english(document: Document) -> bool:
    """Only English text goes through the English pipeline; unknown language is tried."""
    return document.language in (None, "", "en")


def extract_parsed(doc: Doc, document: Document) -> Extraction:
    """Run every extractor over one parsed document.

    An extractor that raises marks the result failed (``error``) instead of stopping the
    batch: the caller reports it and stores nothing for that document.
    """
    found = Extraction(document=document)
    for field_name, extract in extractors():
        try:
            found.set_records(field_name, extract(doc, found))
        except Exception as error:  # noqa: BLE001 - one bad document must not stop a batch
            return Extraction(document=document, error=f"{field_name} extractor failed: {type(error).__name__}: {error}")
    return found


def _parse_each(nlp: Language, documents: list[Document]) -> dict[int, Doc | str]:
    """Parse one by one, so that a document the parser rejects fails alone."""
    parsed: dict[int, Doc | str] = {}
    for document in documents:
        try:
            parsed[id(document)] = nlp(document.text)
        except Exception as error:  # noqa: BLE001
            parsed[id(document)] = f"parser failed: {type(error).__name__}: {error}"
    return parsed


def _extract_batch(documents: list[Document], model: str | None, batch_size: int) -> list[Extraction]:
    nlp = load_nlp(model)
    english = [d for d in documents if is_english(d)]
    try:
        parsed: dict[int, Doc | str] = {
            id(d): doc for d, doc in zip(english, nlp.pipe((d.text for d in english), batch_size=batch_size))
        }
    except Exception:  # noqa: BLE001 - find the document that broke the batch
        parsed = _parse_each(nlp, english)
    results = []
    for document in documents:
        doc = parsed.get(id(document))
        if isinstance(doc, Doc):
            results.append(extract_parsed(doc, document))
        elif isinstance(doc, str):
            results.append(Extraction(document=document, error=doc))
        else:
            results.append(Extraction(document=document, notes=[f"language {document.language}: not parsed"]))
    return results


def _batches(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    iterator = iter(documents)
    while batch := list(islice(iterator, size)):
        yield batch


def prepare(model: str | None = None) -> Language:
    """Load the model and build the place index (geocoder and entity gazetteer) now, before any timing starts."""
    from sitroom.nlp import geocode_index

    nlp = load_nlp(model)
    geocode_index.open_index().close()
    return nlp


def _worker_init(model: str | None) -> None:
    prepare(model)


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
    # fork shares the already loaded model with the workers; elsewhere each worker loads it.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    if method == "fork":
        prepare(model)
    context = multiprocessing.get_context(method)
    with context.Pool(workers, initializer=_worker_init, initargs=(model,)) as pool:
        pending: deque = deque()
        for batch in _batches(documents, batch_size):
            pending.append(pool.apply_async(_extract_batch, (batch, model, batch_size)))
            if len(pending) >= 2 * workers:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
