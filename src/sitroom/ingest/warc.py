"""WARC and WARC.gz crawls (warcio): each HTML response goes through the HTML reader."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import BinaryIO

from sitroom.ingest.documents import Defaults
from sitroom.ingest.records import Incoming, Skipped
from sitroom.ingest.webpage import read_html

HTML_TYPES = ("text/html", "application/xhtml+xml")
# A single response larger than this is not a news page.
MAX_RESPONSE_BYTES = 50 * 1024 * 1024


def read_warc(stream: BinaryIO, location: str, defaults: Defaults) -> Iterator[Incoming | Skipped]:
    """The HTML pages of a crawl. Other records (requests, images, redirects) are passed over."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    pages = 0
    try:
        for record in ArchiveIterator(stream):
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
            yield read_html(body, where, defaults, url=record.rec_headers.get_header("WARC-Target-URI"),
                            charset=charset)
    except (ArchiveLoadFailed, ValueError, OSError, EOFError, zlib.error, AttributeError) as error:
        # warcio reports damaged records in several ways, AttributeError among them
        yield Skipped(location, f"malformed WARC after {pages} HTML page{'s' * (pages != 1)}: {error}")
        return
    if pages == 0:
        yield Skipped(location, "WARC holds no HTML responses")


def _content_type(header: str) -> tuple[str, str | None]:
    """``text/html; charset=ISO-8859-1`` gives ``("text/html", "ISO-8859-1")``."""
    kind, *parameters = header.split(";")
    charset = None
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return kind.strip().lower(), charset
