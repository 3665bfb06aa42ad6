"""Parse documents with spaCy and run the extractors over each parsed ``Doc``.

Every extractor is a plain function ``(doc, found) -> list[record]``: ``doc`` is the parsed
spaCy ``Doc`` of ``found.document.text`` and ``found`` the ``Extraction`` filled so far, so
later extractors (events) can use what earlier ones (entities, times, claims) found. The
publication date is ``found.document.published``.

Parsing is batched with ``nlp.pipe``; with ``workers > 1`` whole batches (parse and extract)
go to worker processes, a bounded number at a time, so memory stays flat on any corpus; with a
Dask cluster they go to its workers the same way (``sitroom.cluster``).

No document can stall a batch or exhaust memory (``ParseLimits``, docs/ingest.md "Limits"):
the tokenizer never sees long runs of punctuation (they would cost it quadratic time), texts
of too many lines or tokens are refused before the parser allocates for them, and each
document runs under a time budget and the process under a memory ceiling. A document over
any of them fails alone, with its reason; the batch goes on.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc

from sitroom import kinds, settings
from sitroom.ingest.budget import OverBudget, budget
from sitroom.model import Document, Extraction

if TYPE_CHECKING:
    from distributed import Client

Extractor = Callable[[Doc, Extraction], list]

DEFAULT_BATCH_SIZE = settings.DEFAULT_BATCH_SIZE


@dataclass(frozen=True)
class ParseLimits:
    """What one document may cost the parser; every limit is in docs/ingest.md.

    - ``max_lines``, ``max_tokens``: the parser's memory grows with the tokens (about 16 KB
      each: a 1,000,000-character report has about 210,000 tokens and takes 3.4 GB), and a text
      of one-word lines has far more tokens than characters would say;
    - ``max_symbol_run``, ``max_word_chars``: spaCy's tokenizer peels punctuation off a word one
      mark at a time and searches the rest of the word each time, so its time grows with the
      square of such a stretch (20,000 quote marks took 36 s). A longer run of punctuation or
      symbols, and the punctuation of a longer stretch without white space, are tokenized as
      one token. The stored text is not changed, so every offset stays valid;
    - ``base_seconds`` + one second per ``chars_per_second`` characters: the time budget of a
      document, for tokenizing, for its share of the parse and for extracting;
    - ``memory_mb``: the ceiling on the resident memory of a process while it parses (each
      worker's own), checked every 0.1 s; None for none.
    """

    max_lines: int = 50_000
    max_tokens: int = 250_000
    max_symbol_run: int = 100
    max_word_chars: int = 1_000
    base_seconds: float = 10.0
    chars_per_second: float = 2_000.0
    memory_mb: float | None = 6_000.0

    @classmethod
    def from_environment(cls) -> "ParseLimits":
        """The defaults, with ``SITROOM_PARSE_SECONDS`` (the base budget) and
        ``SITROOM_WORKER_MEMORY_MB`` (0 for no ceiling) applied when set."""
        limits = cls()
        seconds = os.environ.get("SITROOM_PARSE_SECONDS")
        memory = os.environ.get("SITROOM_WORKER_MEMORY_MB")
        return cls(base_seconds=float(seconds) if seconds else limits.base_seconds,
                   memory_mb=(float(memory) or None) if memory else limits.memory_mb)

    def seconds_for(self, text: str) -> float:
        return self.base_seconds + len(text) / self.chars_per_second

    def refusal(self, text: str) -> str | None:
        """Why a text is not parsed at all (too many lines), or None."""
        lines = text.count("\n") + 1
        if lines > self.max_lines:
            return f"text has {lines:,} lines, over the {self.max_lines:,}-line limit for parsing"
        return None

    def over(self, error: OverBudget, text: str) -> str:
        """The reason a document fails when it ran past a budget."""
        if error.kind == "memory":
            return f"too much memory to parse: the parsing process went over its {error.limit:,.0f} MB ceiling"
        return (f"too slow to parse: over the {error.limit:,.1f} s budget of a document of "
                f"{len(text):,} characters")


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


def _guarded_text(text: str, limits: ParseLimits) -> str:
    """``text`` as the tokenizer sees it: each run of more than ``max_symbol_run`` punctuation
    marks or symbols, and the punctuation of each stretch of more than ``max_word_chars``
    characters without white space, become letters (one token). White space and length are
    kept, so token offsets are offsets into ``text``."""
    pattern = _guard_pattern(limits.max_symbol_run, limits.max_word_chars)
    if not pattern.search(text):
        return text
    return pattern.sub(lambda match: _NOT_WORD.sub("x", match.group()), text)


@lru_cache(maxsize=4)
def _guard_pattern(max_symbol_run: int, max_word_chars: int) -> re.Pattern:
    return re.compile(rf"\S{{{max_word_chars + 1},}}|[^\w\s]{{{max_symbol_run + 1},}}")


_NOT_WORD = re.compile(r"\W")


def tokenize(nlp: Language, text: str, limits: ParseLimits) -> Doc:
    """The tokens of ``text``, with long punctuation runs kept whole (``_guarded_text``); the
    ``Doc`` holds ``text`` itself."""
    guarded = _guarded_text(text, limits)
    doc = nlp.make_doc(guarded)
    if guarded is text:
        return doc
    return Doc(nlp.vocab, words=[text[t.idx:t.idx + len(t)] for t in doc], spaces=[bool(t.whitespace_) for t in doc])


def _tokenized(nlp: Language, document: Document, limits: ParseLimits) -> Doc | str:
    """The document's tokens, or the reason it is not parsed."""
    problem = limits.refusal(document.text)
    if problem:
        return problem
    try:
        with budget(limits.seconds_for(document.text), limits.memory_mb):
            doc = tokenize(nlp, document.text, limits)
    except OverBudget as error:
        return limits.over(error, document.text)
    except Exception as error:  # noqa: BLE001
        return f"parser failed: {type(error).__name__}: {error}"
    if len(doc) > limits.max_tokens:
        return (f"text has {len(doc):,} tokens, over the {limits.max_tokens:,}-token limit for parsing "
                "(the parser's memory grows with them)")
    return doc


def _parse_each(nlp: Language, documents: list[Document], limits: ParseLimits) -> dict[int, Doc | str]:
    """Parse one by one, each under its own budget, so that a document the parser rejects or
    that runs past its budget fails alone."""
    parsed: dict[int, Doc | str] = {}
    for document in documents:
        doc = _tokenized(nlp, document, limits)
        if isinstance(doc, Doc):
            try:
                with budget(limits.seconds_for(document.text), limits.memory_mb):
                    doc = nlp(doc)
            except OverBudget as error:
                doc = limits.over(error, document.text)
            except Exception as error:  # noqa: BLE001
                doc = f"parser failed: {type(error).__name__}: {error}"
        parsed[id(document)] = doc
    return parsed


def _parse_batch(nlp: Language, documents: list[Document], batch_size: int, limits: ParseLimits) -> dict[int, Doc | str]:
    """Tokenize each document under its budget, then parse them together with ``nlp.pipe``
    (the batch's budget is the sum of theirs); should the batch fail or run over, each
    document is parsed again alone."""
    parsed: dict[int, Doc | str] = {}
    ready: list[tuple[Document, Doc]] = []
    for document in documents:
        doc = _tokenized(nlp, document, limits)
        if isinstance(doc, Doc):
            ready.append((document, doc))
        else:
            parsed[id(document)] = doc
    seconds = sum(limits.seconds_for(d.text) for d, _ in ready)
    try:
        with budget(seconds, limits.memory_mb):
            docs = list(nlp.pipe((doc for _, doc in ready), batch_size=batch_size))
    except (OverBudget, Exception):  # noqa: BLE001 - find the document that broke the batch
        parsed.update(_parse_each(nlp, [d for d, _ in ready], limits))
        return parsed
    parsed.update((id(d), doc) for (d, _), doc in zip(ready, docs))
    return parsed


def _extract_one(doc: Doc, document: Document, limits: ParseLimits) -> Extraction:
    try:
        with budget(limits.seconds_for(document.text), limits.memory_mb):
            return extract_parsed(doc, document)
    except OverBudget as error:
        return Extraction(document=document, error=limits.over(error, document.text))


def _extract_batch(documents: list[Document], model: str | None, batch_size: int,
                   limits: ParseLimits | None = None) -> list[Extraction]:
    nlp = load_nlp(model)
    limits = limits or ParseLimits.from_environment()
    parsed = _parse_batch(nlp, [d for d in documents if is_english(d)], batch_size, limits)
    _parse_headlines([(d, parsed[id(d)]) for d in documents if isinstance(parsed.get(id(d)), Doc)], limits)
    results = []
    for document in documents:
        doc = parsed.get(id(document))
        if isinstance(doc, Doc):
            results.append(_extract_one(doc, document, limits))
        elif isinstance(doc, str):
            results.append(Extraction(document=document, error=doc))
        else:
            results.append(Extraction(document=document, notes=[f"language {document.language}: not parsed"]))
    return results


def _parse_headlines(ready: list[tuple[Document, Doc]], limits: ParseLimits) -> None:
    """The events extractor's parses of title-case headlines (``events_headlines``), made for
    the whole batch in one ``nlp.pipe`` instead of one pipeline call per line, under the
    batch's budget; should that fail or run over, each document's extraction parses its own."""
    if not ready or "events" not in dict(extractors()):
        return
    from sitroom.nlp.events_headlines import forget_headlines, parse_headlines

    docs = [doc for _, doc in ready]
    try:
        with budget(sum(limits.seconds_for(d.text) for d, _ in ready), limits.memory_mb):
            parse_headlines(docs)
    except (OverBudget, Exception):  # noqa: BLE001 - each document tries again under its own budget
        forget_headlines(docs)


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
    limits: ParseLimits | None = None,
    cluster: "Client | None" = None,
) -> Iterator[Extraction]:
    """Parse and extract a stream of documents, yielding results in input order.

    With several workers at most ``2 * workers`` batches are in flight, so a corpus is
    never held in memory. ``limits`` (default: ``ParseLimits.from_environment()``) bound what
    one document may cost; a document over them comes back with ``error`` set. With a Dask
    ``cluster`` (a ``distributed.Client``, see ``sitroom.cluster``) its workers parse instead.
    """
    limits = limits or ParseLimits.from_environment()
    if cluster is not None:
        from sitroom.cluster import extract_on_cluster

        yield from extract_on_cluster(documents, cluster, batch_size=batch_size, model=model, limits=limits)
        return
    if workers <= 1:
        for batch in _batches(documents, batch_size):
            yield from _extract_batch(batch, model, batch_size, limits)
        return
    # fork shares the already loaded model with the workers; elsewhere each worker loads it.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    if method == "fork":
        prepare(model)
    context = multiprocessing.get_context(method)
    with context.Pool(workers, initializer=_worker_init, initargs=(model,)) as pool:
        pending: deque = deque()
        for batch in _batches(documents, batch_size):
            pending.append(pool.apply_async(_extract_batch, (batch, model, batch_size, limits)))
            if len(pending) >= 2 * workers:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
