"""WARC and WARC.gz crawls (warcio): each HTML response goes through the HTML reader."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO

from sitroom.ingest.documents import Defaults
from sitroom.ingest.records import Incoming, Skipped, one_record
from sitroom.ingest.webpage import read_html

HTML_TYPES = ("text/html", "application/xhtml+xml")
# A single response larger than this is not a news page.
MAX_RESPONSE_BYTES = 50 * 1024 * 1024
# A WARC or HTTP header line longer than this is no header: the file is damaged or hostile
# (warcio would hold a line of any length in memory, 1 GB from a 1 MB .warc.gz).
MAX_HEADER_LINE_BYTES = 64 * 1024


class WarcHeaderTooLong(ValueError):
    """A header line over ``MAX_HEADER_LINE_BYTES``: the records after it cannot be found."""


def read_warc(stream: BinaryIO, location: str, defaults: Defaults) -> Iterator[Incoming | Skipped]:
    """The HTML pages of a crawl. Other records (requests, images, redirects) are passed over.

    A response the HTML reader fails on is skipped alone; a record cut short by the end of the
    file is read as far as it goes, with a note.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    pages = 0
    try:
        records = ArchiveIterator(stream)
        _bound_header_lines(records.reader)
        for record in records:
            if record.rec_type != "response" or record.http_headers is None:
                continue
            content_type, charset = _content_type(record.http_headers.get_header("Content-Type") or "")
            status = record.http_headers.get_statuscode() or ""
            if content_type not in HTML_TYPES or not status.startswith("2"):
                continue
            pages += 1
            record_id = (record.rec_headers.get_header("WARC-Record-ID") or "").strip("<>")
            where = f"{location}#{record_id or f'offset{stream.tell()}'}"
            body = record.content_stream().read(MAX_RESPONSE_BYTES + 1)
            if len(body) > MAX_RESPONSE_BYTES:
                yield Skipped(where, f"HTML response over {MAX_RESPONSE_BYTES // (1024 * 1024)} MB")
                continue
            yield one_record(where, lambda: read_html(
                body, where, defaults, url=record.rec_headers.get_header("WARC-Target-URI"), charset=charset,
                notes=_cut_short(record)))
    except (ArchiveLoadFailed, ValueError, OSError, EOFError, zlib.error, AttributeError) as error:
        # warcio reports damaged records in several ways, AttributeError among them
        yield Skipped(location, f"malformed WARC after {pages} HTML page{'s' * (pages != 1)}: {error}; "
                                "the rest of the file is not read")
        return
    if pages == 0:
        yield Skipped(location, "WARC holds no HTML responses")


def _cut_short(record: Any) -> list[str]:
    """A note when the file ended before the record did (its declared length was not there)."""
    missing = getattr(record.raw_stream, "limit", 0)
    if not missing:
        return []
    declared = record.length or 0
    return [f"the WARC record is cut short: {declared - missing:,} of its {declared:,} bytes are in the file, "
            "the text is what they hold"]


def _bound_header_lines(reader: Any) -> None:
    """Make every line warcio reads for headers end within ``MAX_HEADER_LINE_BYTES``, or raise.

    warcio reads WARC and HTTP headers with ``readline()`` on this reader and bodies with
    ``read()``, so bounding ``readline`` bounds the headers only."""
    readline = reader.readline

    def bounded(length: int | None = None) -> bytes:
        limit = MAX_HEADER_LINE_BYTES + 1 if length is None else min(length, MAX_HEADER_LINE_BYTES + 1)
        line = readline(limit)
        if len(line) > MAX_HEADER_LINE_BYTES and not line.endswith(b"\n"):
            raise WarcHeaderTooLong(f"a header line is over {MAX_HEADER_LINE_BYTES // 1024} KB")
        return line

    reader.readline = bounded


def _content_type(header: str) -> tuple[str, str | None]:
    """``text/html; charset=ISO-8859-1`` gives ``("text/html", "ISO-8859-1")``."""
    kind, *parameters = header.split(";")
    charset = None
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return kind.strip().lower(), charset
