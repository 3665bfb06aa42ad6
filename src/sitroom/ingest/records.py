"""What the readers yield: a document ready for the pipeline, or an input that gave none."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sitroom.model import Document

# Lone surrogates: how Python keeps the bytes of a file name that are not UTF-8 (PEP 383,
# "caf\udce9.txt" for the Latin-1 name b"caf\xe9.txt"), and what a JSON "\ud800" decodes to.
# No store, terminal or JSON encoder takes them.
_SURROGATE = re.compile("[\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` with every lone surrogate written out: a byte of a file name that is not UTF-8
    as ``\\xe9`` (so "caf\\xe9.txt" names the file as the bytes do), any other as ``\\ud800``."""
    if not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub(_escaped, text)


def _escaped(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


@dataclass
class Incoming:
    """One document read from an input, ready for the NLP pipeline.

    ``location`` says where it was read: a path, ``path#L12`` (JSONL line), ``path#item3``
    (feed entry), ``path#record5`` (JSON list item) or ``path#<WARC-Record-ID>``.
    ``notes`` are things the user should know, such as a fallback decoding.
    ``file`` is the file it came from, as the report names it (set by ``read_inputs``).
    """

    document: Document
    location: str
    notes: list[str] = field(default_factory=list)
    file: str | None = None

    def __post_init__(self) -> None:
        self.location = printable(self.location)
        self.notes = [printable(note) for note in self.notes]


@dataclass
class Skipped:
    """An input (file, line, record) that gave no document, with a specific reason."""

    location: str
    reason: str
    file: str | None = None

    def __post_init__(self) -> None:
        self.location = printable(self.location)
        self.reason = printable(self.reason)


def one_record(location: str, make: Callable[[], Incoming | Skipped]) -> Incoming | Skipped:
    """``make()``: the document of one record (a JSON line, a feed entry, a WARC response), or a
    ``Skipped`` saying how a library failed on it. One odd record never ends its file."""
    try:
        return make()
    except Exception as error:  # noqa: BLE001 - the next record is read all the same
        return Skipped(location, f"could not read this record: {type(error).__name__}: {error}")
