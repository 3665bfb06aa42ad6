"""Stable document ids from normalized text, so the same story always gets the same id."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_SPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Unicode NFC with runs of white space folded to one space and the ends trimmed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def document_id(text: str) -> str:
    """A 16-hex-digit id from the normalized text: equal texts, equal ids."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()[:16]
