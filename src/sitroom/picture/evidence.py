"""Evidence for every item: the document, the character offsets and the sentence they sit in."""

from __future__ import annotations

import re
from typing import Any

_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+|\n\s*\n|\n")


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence (or sentences) of ``text`` that hold the span start..end."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    left = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        left = match.end()
    right_match = _SENTENCE_END.search(text, max(end, left))
    right = right_match.start() + 1 if right_match else len(text)
    return text[left:right].strip()


def evidence(row: dict[str, Any], text: str | None, start: int | None = None, end: int | None = None) -> dict[str, Any]:
    """The evidence of one record row: document id, title, source, date, offsets, sentence."""
    start = row.get("start") if start is None else start
    end = row.get("end") if end is None else end
    return {
        "document_id": row["document_id"],
        "document_title": row.get("document_title"),
        "source": row.get("document_source"),
        "published": row.get("document_published"),
        "start": start,
        "end": end,
        "sentence": sentence_at(text, start, end) if text is not None and start is not None and end is not None else None,
    }
