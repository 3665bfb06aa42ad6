"""What the readers yield: a document ready for the pipeline, or an input that gave none."""

from __future__ import annotations

from dataclasses import dataclass, field

from sitroom.model import Document


@dataclass
class Incoming:
    """One document read from an input, ready for the NLP pipeline.

    ``location`` says where it was read: a path, ``path#L12`` (JSONL line), ``path#item3``
    (feed entry), ``path#record5`` (JSON list item) or ``path#<WARC-Record-ID>``.
    ``notes`` are things the user should know, such as a fallback decoding.
    """

    document: Document
    location: str
    notes: list[str] = field(default_factory=list)


@dataclass
class Skipped:
    """An input (file, line, record) that gave no document, with a specific reason."""

    location: str
    reason: str
