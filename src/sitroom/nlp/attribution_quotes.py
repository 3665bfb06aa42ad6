"""Quotation spans of a text: where direct speech starts and ends.

News quotes follow a few conventions this module relies on:
- curly marks (“ ”, ‘ ’) say which end they are; straight double quotes alternate
  within a paragraph;
- a quotation left open at the end of a paragraph goes on in the next paragraph when that
  one opens with a quote mark (no closing mark on the earlier paragraph). Such a chain is one
  quotation, so a quote that continues with no new attribution keeps its speaker.

Two apostrophes or backticks (``''``, ````` `` `````) count as a double quote. Single quotes are only taken when curly and at a word boundary (‘ ... ’), since the straight
one and the closing curly one double as apostrophes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPENING = {"“": "”", "„": "“", "«": "»", '"': '"', "‘": "’"}
_MARK = re.compile("''|``|[“”„«»\"‘’]")


@dataclass(frozen=True)
class Quote:
    """One quotation: ``start`` at its opening mark, ``end`` just after its closing mark."""

    start: int
    end: int
    closed: bool


def _is_single_open(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isalnum() and not after.isspace()


def _is_single_close(text: str, i: int) -> bool:
    after = text[i + 1] if i + 1 < len(text) else " "
    before = text[i - 1] if i > 0 else " "
    return not after.isalnum() and not before.isspace()


def _paragraph_quotes(text: str, start: int, end: int) -> list[Quote]:
    quotes: list[Quote] = []
    open_at: int | None = None
    closer = ""
    for match in _MARK.finditer(text, start, end):
        i, ch, width = match.start(), match.group(), len(match.group())
        if width == 2:
            ch = '"'  # typewriter quotes of older wire copy
        if open_at is None:
            if ch in OPENING and (ch != "‘" or _is_single_open(text, i)):
                open_at, closer = i, OPENING[ch]
        elif ch == closer and (closer != "’" or _is_single_close(text, i)):
            quotes.append(Quote(open_at, i + width, True))
            open_at = None
        elif closer == "”" and ch == "“":
            # a new opening mark before the close: the earlier one was left open
            quotes.append(Quote(open_at, _trim_end(text, open_at, i), False))
            open_at = i
    if open_at is not None:
        quotes.append(Quote(open_at, _trim_end(text, open_at, end), False))
    return quotes


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def find_quotes(text: str) -> list[Quote]:
    """The quotations of ``text`` in order, a quote continued over paragraphs merged into one."""
    quotes: list[Quote] = []
    offset = 0
    for paragraph in text.split("\n"):
        start, end = offset, offset + len(paragraph)
        offset = end + 1
        found = _paragraph_quotes(text, start, end)
        if not found:
            continue
        first = found[0]
        lead = text[start:first.start]
        if quotes and not quotes[-1].closed and not lead.strip():
            previous = quotes.pop()
            found[0] = Quote(previous.start, first.end, first.closed)
        quotes.extend(found)
    return [q for q in quotes if q.end - q.start > 2]

