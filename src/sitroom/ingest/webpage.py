"""HTML pages: main text and metadata with trafilatura, publication date with htmldate."""

from __future__ import annotations

import codecs
import datetime as dt
import logging
import re

from sitroom.ingest.budget import OverBudget, budget
from sitroom.ingest.dates import EARLIEST_YEAR, plausible_date
from sitroom.ingest.decode import UndecodableError, decode_bytes, wide_encoding
from sitroom.ingest.documents import Defaults, make_document
from sitroom.ingest.records import Incoming, Skipped

# trafilatura and htmldate log every page they find thin; the Skipped reason says it once.
for _name in ("trafilatura", "htmldate"):
    logging.getLogger(_name).setLevel(logging.ERROR)

# Main text shorter than this is navigation or a teaser ("Home", "Subscribe"), not an article.
MIN_ARTICLE_WORDS = 10
# The HTML parser (libxml2) checks each attribute of a tag against the others, so its time grows
# with the square of their number: 200,000 on one tag took over 300 s. A tag keeps this many.
MAX_TAG_ATTRIBUTES = 256
# libxml2 reads no element nested deeper than this; a page whose article lies below says so.
MAX_HTML_DEPTH = 256
# The time budget for reading one page (main text, metadata, date): this, plus a second per
# ``HTML_BYTES_PER_SECOND`` characters of markup.
HTML_BASE_SECONDS = 10.0
HTML_CHARS_PER_SECOND = 100_000


_TAG = re.compile(r"""<[a-zA-Z][^\s/>]*(?>(?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>=`]+))?)*)""")
_ATTRIBUTE = re.compile(r"""\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>=`]+))?""")


def limit_attributes(page: str) -> tuple[str, int]:
    """The page with each tag cut to its first ``MAX_TAG_ATTRIBUTES`` attributes, and how many
    tags were cut (a page's text and metadata never need more)."""
    pieces: list[str] = []
    last = cut = 0
    for tag in _TAG.finditer(page):
        if tag.end() - tag.start() < 2 * MAX_TAG_ATTRIBUTES:  # too short to hold that many
            continue
        attributes = _ATTRIBUTE.finditer(page, tag.start() + 1, tag.end())
        kept_end = None
        for number, attribute in enumerate(attributes, start=1):
            if number == MAX_TAG_ATTRIBUTES:
                kept_end = attribute.end()
            elif number > MAX_TAG_ATTRIBUTES:
                pieces.append(page[last:kept_end])
                last = tag.end()
                cut += 1
                break
    if not cut:
        return page, 0
    pieces.append(page[last:])
    return "".join(pieces), cut


def nested_too_deep(page: str) -> bool:
    """Whether the HTML parser stops at ``MAX_HTML_DEPTH`` levels of nesting in this page."""
    from lxml import etree

    parser = etree.HTMLParser()
    try:
        etree.fromstring(page, parser)
    except (etree.LxmlError, ValueError):
        pass
    return any("Excessive depth" in entry.message for entry in parser.error_log)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""")


def decode_page(data: bytes, declared: str | None = None) -> tuple[str, list[str]]:
    """A page's text: UTF-8 when the bytes are UTF-8, else the declared charset, else a noted guess.

    Valid UTF-8 wins over a declaration because mislabelled pages are common and other
    encodings almost never form valid UTF-8 by chance. As in browsers, ``iso-8859-1`` and
    ``ascii`` labels are read as windows-1252. Raises ``UndecodableError`` when nothing fits.
    """
    wide = wide_encoding(data)
    if wide:  # UTF-16 or UTF-32 without a byte-order mark is valid UTF-8 of a sort (with zero bytes)
        return data.decode(wide, errors="replace"), [f"decoded as {wide.upper()} (it has no byte-order mark)"]
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
    """The text codec a declared charset names; None for an unknown name or a codec that is
    not a text encoding (``rot13``, ``base64``, ``zlib``: Python has them, pages may declare them)."""
    if not name:
        return None
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    codec = info.name
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

    data, cut = limit_attributes(data)
    if cut:
        notes.append(f"{cut} tag{'s' * (cut != 1)} with over {MAX_TAG_ATTRIBUTES} attributes cut to their first "
                     f"{MAX_TAG_ATTRIBUTES}")
    seconds = HTML_BASE_SECONDS + len(data) / HTML_CHARS_PER_SECOND
    try:
        with budget(seconds):
            extracted = trafilatura.bare_extraction(
                data, url=url, with_metadata=True, include_comments=False, include_tables=True,
                date_extraction_params={"extensive_search": False})
            words = len((extracted.text or "").split()) if extracted is not None else 0
            published, date_notes = page_date(data) if words >= MIN_ARTICLE_WORDS else (None, [])
    except OverBudget:
        return Skipped(location, f"too slow to read: the HTML reader ran past its {seconds:,.0f} s budget")
    except Exception as error:  # trafilatura raises many kinds on broken markup
        return Skipped(location, f"unreadable HTML: {type(error).__name__}: {error}")
    if words < MIN_ARTICLE_WORDS and nested_too_deep(data):
        return Skipped(location, f"no article text in HTML: the page nests elements over {MAX_HTML_DEPTH} levels "
                                 "deep, and the HTML parser reads nothing below that")
    if words == 0:
        return Skipped(location, "no article text in HTML")
    if words < MIN_ARTICLE_WORDS:
        return Skipped(location, f"no article text in HTML (main text is {words} word{'s' * (words != 1)})")
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
    if not found and not notes:
        declared = _declared_date(data)
        if declared:  # beyond what htmldate reads at all (9999-12-31, 0001-01-01)
            notes.append(f"publication date {declared} in the page rejected: in the future or before {EARLIEST_YEAR}")
    return found, notes


_WIDE_BOUNDS = ("1000-01-01", "2999-12-31")
# A publication date the markup declares: a <meta> named for it, a JSON-LD datePublished or a
# <time datetime>, for a date htmldate cannot represent (outside its bounds).
_DECLARED_DATE = re.compile(
    r"""(?:(?:property|name|itemprop)\s*=\s*["']?[\w:.-]*(?:published|pubdate|date)[\w:.-]*["']?[^<>]{0,200}?content"""
    r"""|["']datePublished["']\s*:|<time\b[^<>]{0,200}?datetime)\s*=?\s*["']?\s*(\d{4})-(\d{2})-(\d{2})""",
    re.IGNORECASE)


def _declared_date(data: bytes | str) -> str | None:
    """The first date the markup declares as the publication date that is implausible, as written."""
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    for match in _DECLARED_DATE.finditer(text):
        year, month, day = (int(part) for part in match.groups())
        try:
            value = dt.date(year, month, day)
        except ValueError:
            continue
        if not plausible_date(value):
            return value.isoformat()
    return None


def _plausible_bounds() -> tuple[str, str]:
    return f"{EARLIEST_YEAR}-01-01", dt.date.today().isoformat()


def _find_date(data: bytes | str, extensive: bool, bounds: tuple[str, str]) -> str | None:
    from htmldate import find_date

    try:
        return find_date(data, extensive_search=extensive, original_date=True,
                         min_date=bounds[0], max_date=bounds[1])
    except Exception:  # htmldate fails on some broken markup: then the page has no date
        return None
