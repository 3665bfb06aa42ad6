"""Title-case headlines, parsed as the sentences they are.

``en_core_web_sm`` reads a line in title case ("Minister Condemns Attack on Embassy",
"Police Detain 14 After Border Clash") as one long proper name: no verb, so no event. The
event coder parses a *truecased copy* of each such line instead: the same characters, with
every capitalised word lower-cased unless the document itself writes it capitalised inside
a sentence (a name: "Putin", "Kyiv") or it is an acronym ("US", "NATO"). Lower-casing keeps
every character in place (a letter whose lower case is longer stays as it is), and the copy
is parsed behind a run of spaces as long as the text before the line, so every token's
offset is its offset in the stored document: nothing stored changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from weakref import WeakKeyDictionary

from spacy.tokens import Doc

from sitroom.nlp.doc_text import doc_text

# Words that title case may leave in lower case.
MINOR_WORDS = frozenset(
    "a an the and or but nor of in on at to for by with from as into onto over under after before "
    "vs via per off out up down is be are was were its than".split())
WORD = re.compile(r"[^\W\d_][\w'’\-]*")
# A capitalised word inside a sentence: after a lower-case word or a comma, not after an end mark.
INNER_CAPITAL = re.compile(r"(?:[a-z][a-z'’]*,?|,) +([A-Z][\w'’\-]*)")
MAX_HEADLINE_CHARS = 200
MIN_CONTENT_WORDS = 3


def is_title_case(line: str) -> bool:
    """Whether every content word of a short line starts with a capital (and it is not all capitals)."""
    if len(line) > MAX_HEADLINE_CHARS:
        return False
    words = WORD.findall(line)
    content = [w for w in words if w.lower() not in MINOR_WORDS]
    if len(content) < MIN_CONTENT_WORDS or not all(w[0].isupper() for w in content):
        return False
    return sum(1 for w in content if w[1:].islower()) >= 2  # capitalised words, not only acronyms


def title_case_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each title-case line of the text, without its outer white space."""
    spans = []
    position = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and is_title_case(stripped):
            start = position + line.index(stripped)
            spans.append((start, start + len(stripped)))
        position += len(line) + 1
    return spans


def names_in(text: str, skip: list[tuple[int, int]]) -> frozenset[str]:
    """Words the text capitalises inside sentences outside ``skip`` and never writes in lower case."""
    capitalised = {m.group(1) for m in INNER_CAPITAL.finditer(text)
                   if not any(start <= m.start(1) < end for start, end in skip)}
    lower = {w for w in WORD.findall(text) if w.islower()}
    return frozenset(w for w in capitalised if w.lower() not in lower)


def truecased(line: str, names: frozenset[str]) -> str:
    """The line with its capitalised common words in lower case, character for character."""
    def lower(match: re.Match[str]) -> str:
        word = match.group(0)
        if word in names or not word[1:].islower() and len(word) > 1:
            return word  # a name the document uses, or an acronym
        first = word[0].lower()
        return (first if len(first) == 1 else word[0]) + word[1:]

    return WORD.sub(lower, line)


def headline_docs(doc: Doc) -> list[tuple[int, int, Doc]]:
    """For each title-case line of the document: its bounds and a parse of its truecased copy.

    The copy is parsed behind spaces standing for the text before it, so its token offsets
    are document offsets. Copies parsed ahead for a batch (``parse_headlines``) are taken
    from there, once.
    """
    ready = _PARSED.pop(doc, None)
    if ready is not None:
        return ready
    copies = _headline_copies(doc)
    if not copies:
        return []
    nlp = _parser()
    return [(start, end, nlp(copy)) for start, end, copy in copies]


def parse_headlines(docs: Iterable[Doc]) -> None:
    """Parse the truecased headline copies of several documents in one ``nlp.pipe`` (a call of
    the pipeline costs about as much for one short line as for a batch of them) and keep each
    document's for its ``headline_docs``: the parses are those ``headline_docs`` makes itself."""
    copies = [(doc, _headline_copies(doc)) for doc in docs]
    copies = [(doc, found) for doc, found in copies if len(found) <= MAX_AHEAD]
    parsed = iter(_parser().pipe([copy for _, found in copies for _, _, copy in found]))
    for doc, found in copies:
        _PARSED[doc] = [(start, end, next(parsed)) for start, end, _ in found]


def forget_headlines(docs: Iterable[Doc]) -> None:
    """Drop what ``parse_headlines`` kept for ``docs`` (its batch failed: each is parsed alone)."""
    for doc in docs:
        _PARSED.pop(doc, None)


# A document with more title-case lines than this (a list of titles, not a headline) has them
# parsed by its own extraction, under its own time budget.
MAX_AHEAD = 20
# Headline parses made ahead by ``parse_headlines``, until their document's ``headline_docs``
# takes them (weak keys: nothing is kept for a document that is gone).
_PARSED: "WeakKeyDictionary[Doc, list[tuple[int, int, Doc]]]" = WeakKeyDictionary()


def _headline_copies(doc: Doc) -> list[tuple[int, int, str]]:
    """(start, end, truecased copy behind its run of spaces) of each title-case line."""
    text = doc_text(doc)
    spans = title_case_lines(text)
    if not spans:
        return []
    names = names_in(text, spans)
    return [(start, end, " " * start + truecased(text[start:end], names)) for start, end in spans]


@lru_cache(maxsize=1)
def _parser():
    from sitroom.nlp.pipeline import load_nlp

    return load_nlp()
