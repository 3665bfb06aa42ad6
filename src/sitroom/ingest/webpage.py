"""HTML pages: main text and metadata with trafilatura, publication date with htmldate."""

from __future__ import annotations

import codecs
import datetime as dt
import logging
import re

from sitroom.ingest.dates import EARLIEST_YEAR, plausible_date
from sitroom.ingest.decode import UndecodableError, decode_bytes
from sitroom.ingest.documents import Defaults, make_document
from sitroom.ingest.records import Incoming, Skipped

# trafilatura and htmldate log every page they find thin; the Skipped reason says it once.
for _name in ("trafilatura", "htmldate"):
    logging.getLogger(_name).setLevel(logging.ERROR)

# Main text shorter than this is navigation or a teaser ("Home", "Subscribe"), not an article.
MIN_ARTICLE_WORDS = 10


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""")


def decode_page(data: bytes, declared: str | None = None) -> tuple[str, list[str]]:
    """A page's text: UTF-8 when the bytes are UTF-8, else the declared charset, else a noted guess.

    Valid UTF-8 wins over a declaration because mislabelled pages are common and other
    encodings almost never form valid UTF-8 by chance. As in browsers, ``iso-8859-1`` and
    ``ascii`` labels are read as windows-1252. Raises ``UndecodableError`` when nothing fits.
    """
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    for name in (declared, match.group(1).decode("ascii") if match else None):
        codec = _codec(name)
        if codec is None:
            continue
        try:
            return data.decode(codec), []
        except UnicodeDecodeError:
            return data.decode(codec, errors="replace"), [
                f"bytes that are not {name}, as the page declares, were replaced by U+FFFD"]
    return decode_bytes(data)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec


def read_html(data: bytes | str, location: str, defaults: Defaults, url: str | None = None,
              notes: list[str] | None = None, charset: str | None = None) -> Incoming | Skipped:
    """One web page as a document; a page with no main text is skipped.

    ``charset`` is the one an HTTP header declared (WARC responses).
    """
    import trafilatura

    notes = list(notes or [])
    if isinstance(data, bytes):
        try:
            data, decoding_notes = decode_page(data, charset)
        except UndecodableError as error:
            return Skipped(location, str(error))
        notes.extend(decoding_notes)

    try:
        extracted = trafilatura.bare_extraction(
            data, url=url, with_metadata=True, include_comments=False, include_tables=True,
            date_extraction_params={"extensive_search": False})
    except Exception as error:  # trafilatura raises many kinds on broken markup
        return Skipped(location, f"unreadable HTML: {type(error).__name__}: {error}")
    words = len((extracted.text or "").split()) if extracted is not None else 0
    if words == 0:
        return Skipped(location, "no article text in HTML")
    if words < MIN_ARTICLE_WORDS:
        return Skipped(location, f"no article text in HTML (main text is {words} word{'s' * (words != 1)})")
    published, date_notes = page_date(data)
    return make_document(
        extracted.text, location=location, defaults=defaults, title=extracted.title,
        url=extracted.url or url, source=extracted.sitename, published=published,
        notes=[*notes, *date_notes], empty_reason="no article text in HTML",
    )


def page_date(data: bytes | str) -> tuple[str | None, list[str]]:
    """The page's original publication date from its markup, and notes on what was rejected.

    Metadata first; the text is searched only when the markup has nothing. htmldate's
    URL heuristics stay off (dates in URLs are often wrong). A date in the future or before
    1900 is rejected with a note, and the search goes on within the plausible range.
    """
    notes: list[str] = []
    for extensive in (False, True):
        found = _find_date(data, extensive, _WIDE_BOUNDS)
        if found is None:
            continue
        if plausible_date(dt.date.fromisoformat(found)):
            break
        rejected = f"publication date {found} in the page rejected: in the future or before {EARLIEST_YEAR}"
        if rejected not in notes:
            notes.append(rejected)
        found = _find_date(data, extensive, _plausible_bounds())
        if found:
            break
    if found and extensive:
        notes.append(f"publication date {found} found in the page text, not its metadata")
    return found, notes


_WIDE_BOUNDS = ("1000-01-01", "2999-12-31")


def _plausible_bounds() -> tuple[str, str]:
    return f"{EARLIEST_YEAR}-01-01", dt.date.today().isoformat()


def _find_date(data: bytes | str, extensive: bool, bounds: tuple[str, str]) -> str | None:
    from htmldate import find_date

    try:
        return find_date(data, extensive_search=extensive, original_date=True,
                         min_date=bounds[0], max_date=bounds[1])
    except Exception:  # htmldate fails on some broken markup: then the page has no date
        return None
