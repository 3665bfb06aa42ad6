"""The lines of a document text and their keys, for finding boilerplate.

A line's key is a short hash of its words, lower-cased and with spaces collapsed, so the same
newsletter sign-up or teaser under other white space is one line. Blank lines have no key.
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    key: str


def line_key(text: str) -> str | None:
    words = " ".join(text.lower().split())
    return hashlib.sha1(words.encode("utf-8")).hexdigest()[:16] if words else None


def lines_of(text: str) -> list[Line]:
    """Every non-blank line of ``text`` with its offsets and key."""
    lines, start = [], 0
    for part in text.split("\n"):
        key = line_key(part)
        if key is not None:
            lines.append(Line(start, start + len(part), key))
        start += len(part) + 1
    return lines


def line_at(lines: list[Line], offset: int | None) -> str | None:
    """The key of the line holding ``offset``."""
    if offset is None or not lines:
        return None
    i = bisect.bisect_right([line.start for line in lines], offset) - 1
    return lines[i].key if i >= 0 and offset <= lines[i].end else None
