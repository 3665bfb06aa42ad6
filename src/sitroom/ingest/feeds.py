"""RSS and Atom exports (feedparser): one document per entry, its HTML stripped."""

from __future__ import annotations

from collections.abc import Iterator

from sitroom.ingest.documents import Defaults, make_document
from sitroom.ingest.markup import html_fragment_to_text
from sitroom.ingest.records import Incoming, Skipped, one_record

_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")


def read_feed(data: bytes, location: str, defaults: Defaults) -> Iterator[Incoming | Skipped]:
    """Every entry of a feed, or one ``Skipped`` for a feed that holds none."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        reason = f"malformed feed: {problem}" if parsed.get("bozo") and problem else "feed has no entries"
        yield Skipped(location, reason)
        return
    feed_title = parsed.feed.get("title")
    for number, entry in enumerate(parsed.entries, start=1):
        where = f"{location}#item{number}"
        yield one_record(where, lambda: _entry_document(entry, where, defaults, feed_title))


def _entry_document(entry, where: str, defaults: Defaults, feed_title: str | None) -> Incoming | Skipped:
    text = entry_text(entry)
    source = (entry.get("source") or {}).get("title") or feed_title
    published = entry.get("published") or entry.get("updated") or entry.get("created")
    if not published:
        published = entry.get("published_parsed") or entry.get("updated_parsed")
    return make_document(
        text, location=where, defaults=defaults, title=entry.get("title"), url=entry.get("link"),
        source=source, published=published, empty_reason="feed entry has no content or summary",
    )


def entry_text(entry) -> str:
    """The fullest text an entry carries: its longest content, else its summary."""
    candidates = [(item.get("value") or "", item.get("type") or "") for item in entry.get("content") or []]
    if entry.get("summary"):
        detail = entry.get("summary_detail") or {}
        candidates.append((entry["summary"], detail.get("type") or "text/html"))
    texts = [html_fragment_to_text(value) if kind in _HTML_TYPES else value for value, kind in candidates]
    return max(texts, key=len, default="")
