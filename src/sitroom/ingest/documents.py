"""Turn what a reader found (text plus metadata) into a checked ``Document``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sitroom.ingest.dates import parse_date_option, parse_published
from sitroom.ingest.identity import document_id
from sitroom.ingest.language import detect_language
from sitroom.ingest.origin import registered_domain, wire_credit
from sitroom.ingest.records import Incoming, Skipped
from sitroom.model import Document
from sitroom.settings import MAX_TEXT_CHARS

# C0 controls other than tab and newline, DEL, and C1 controls: never meaningful in news text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"\r\n?|\f|\x0c|\u2028|\u2029")
_SPACES = re.compile(r"\s+")
# The only links kept from data: a "javascript:" or "data:" URL in a record is no address of a report.
_WEB_URL = re.compile(r"https?://[^\s/?#]", re.IGNORECASE)
# Lone surrogates (a JSON "\ud800", bytes read with surrogateescape) are no text: no store takes them.
_SURROGATES = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Defaults:
    """What the user gave for inputs that carry no date, source or title of their own.

    ``published`` is checked here, the one place a user's publication date is read (the CLI's
    ``--published`` and the Python API's ``published=`` alike): YYYY-MM-DD, neither in the
    future nor before 1900, else ``ValueError``.
    """

    published: str | None = None
    source: str | None = None
    title: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "published", parse_date_option(self.published or None))


def replace_surrogates(text: str) -> str:
    """Each lone surrogate as U+FFFD, the replacement character."""
    return _SURROGATES.sub("\ufffd", text)


def clean_text(text: str) -> str:
    """Unified line breaks, no control characters, byte-order mark or lone surrogate, no outer
    white space."""
    text = replace_surrogates(_LINE_BREAKS.sub("\n", text))
    return _CONTROL.sub("", text).replace("\ufeff", "").strip()


def clean_field(value: object) -> str | None:
    """A one-line metadata value (title, source, url), or None when there is none."""
    if value is None:
        return None
    text = _SPACES.sub(" ", clean_text(str(value))).strip()
    return text or None


def make_document(
    text: str,
    *,
    location: str,
    defaults: Defaults,
    title: object = None,
    url: object = None,
    source: object = None,
    published: object = None,
    notes: list[str] | None = None,
    empty_reason: str = "no text",
) -> Incoming | Skipped:
    """Check the text, read the date, detect the language: an ``Incoming`` or a ``Skipped``.

    The input's own date, source and title win; the user's defaults fill in what it lacks, and a
    source is last taken from the URL's registered domain ("edition.cnn.com" -> "cnn.com"). The
    news agency the text credits as its origin ("MOSCOW, March 3 (Reuters) -") is ``origin``.
    """
    notes = list(notes or [])
    text = clean_text(text)
    if not text:
        return Skipped(location, empty_reason)
    if len(text) > MAX_TEXT_CHARS:
        return Skipped(location, f"text is {len(text):,} characters, over the {MAX_TEXT_CHARS:,}-character limit")
    date, problem = parse_published(published)
    if problem:
        notes.append(f"publication date ignored: {problem}")
    url_text = clean_field(url)
    if url_text and not _WEB_URL.match(url_text):
        notes.append(f"url ignored: {url_text[:80]!r} is not an http(s) address")
        url_text = None
    language, _probability = detect_language(text)
    title_text = clean_field(title) or defaults.title
    document = Document(
        id=document_id(text),
        text=text,
        title=title_text,
        source=clean_field(source) or defaults.source or registered_domain(url_text),
        url=url_text,
        published=date or defaults.published,
        language=language,
        origin=wire_credit(text, title_text),
    )
    return Incoming(document=document, location=location, notes=notes)
