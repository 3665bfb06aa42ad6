"""JSON and JSON Lines: one object per document, with the usual field names or a user's map."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from sitroom.ingest.documents import Defaults, make_document, replace_surrogates
from sitroom.ingest.markup import has_markup, html_fragment_to_text, unescape_entities
from sitroom.ingest.records import Incoming, Skipped, one_record

# Our field → the record keys tried, in order. A user's field map is tried first.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "maintext", "article"),
    "title": ("title", "headline"),
    "url": ("url", "link", "uri"),
    "published": ("published", "date", "date_publish", "published_at", "publishedAt",
                  "datePublished", "pubDate"),
    "source": ("source", "publisher", "source_domain", "site_name", "outlet"),
}
# A JSON line longer than this (bytes) is refused without being held in memory.
MAX_LINE_BYTES = 16 * 1024 * 1024
# A file named like JSON Lines whose first lines are all bad is not JSON Lines: it gets one
# entry in the report, not one per line.
NOT_JSON_LINES_AFTER = 20
# Bad lines of one file listed one by one; the rest are counted in one closing entry.
MAX_LISTED_BAD_LINES = 1000
# Python's int() refuses more digits than this (CVE-2020-10735); a longer number is read as a float.
_INT_DIGITS = 4300


def check_field_map(field_map: dict[str, str] | None) -> dict[str, str]:
    """A user's map of our field names to theirs; an unknown field is a clear error."""
    field_map = dict(field_map or {})
    unknown = sorted(set(field_map) - set(FIELD_NAMES))
    if unknown:
        raise ValueError(f"cannot map {', '.join(unknown)}: the fields are {', '.join(FIELD_NAMES)}")
    return field_map


def read_json_text(text: str, location: str, defaults: Defaults, field_map: dict[str, str],
                   notes: list[str]) -> Iterator[Incoming | Skipped]:
    """A whole JSON file: an object, a list of objects, or JSON Lines saved as ``.json``.

    A list is decoded one item at a time, so a large file never becomes one large list of
    Python objects; a syntax error ends the file with one ``Skipped`` after the items before it.
    """
    start = len(text) - len(text.lstrip(_JSON_SPACE))
    if text.startswith("[", start):
        yield from _read_array(text, start + 1, location, defaults, field_map, notes)
        return
    try:
        data = _DECODER.decode(text)
    except json.JSONDecodeError as error:
        if error.msg == "Extra data":  # several values, one a line: JSON Lines
            lines = enumerate(text.splitlines(), start=1)
            yield from _read_lines(lines, location, defaults, field_map, notes)
            return
        yield Skipped(location, _malformed(error))
        return
    except RecursionError:
        yield Skipped(location, _TOO_DEEP)
        return
    records = _records_in(data, field_map)
    if records is None:
        yield Skipped(location, f"JSON holds {_kind(data)}, not an object or a list of objects")
        return
    if not records:
        yield Skipped(location, "JSON list is empty")
        return
    for number, record in enumerate(records, start=1):
        where = f"{location}#item{number}"
        yield one_record(where, lambda: record_document(record, where, defaults, field_map, notes))


def _int(digits: str) -> int | float:
    """A JSON integer; one too long for ``int()`` is read as a float (``inf`` past 308 digits)
    instead of failing its record."""
    return int(digits) if len(digits) <= _INT_DIGITS else float(digits)


_JSON_SPACE = " \t\r\n\ufeff"
_DECODER = json.JSONDecoder(parse_int=_int)
_TOO_DEEP = "JSON nested deeper than the reader allows (about 1,000 levels of [ or {)"
_SPACE_RUN = re.compile(r"[ \t\r\n\ufeff]*")


def _read_array(text: str, position: int, location: str, defaults: Defaults, field_map: dict[str, str],
                notes: list[str]) -> Iterator[Incoming | Skipped]:
    number = 0
    try:
        while True:
            position = _skip_space(text, position)
            if text.startswith("]", position) and number == 0:
                break
            item, position = _DECODER.raw_decode(text, position)
            number += 1
            where = f"{location}#item{number}"
            yield one_record(where, lambda: record_document(item, where, defaults, field_map, notes))
            position = _skip_space(text, position)
            if text.startswith("]", position):
                break
            if not text.startswith(",", position):
                raise json.JSONDecodeError("Expecting ',' delimiter", text, position)
            position += 1
        if _skip_space(text, position + 1) != len(text):
            raise json.JSONDecodeError("Extra data", text, _skip_space(text, position + 1))
    except (json.JSONDecodeError, RecursionError) as error:
        after = f" (after {number} item{'s' * (number != 1)}; the rest of the file is not read)" if number else ""
        reason = _malformed(error) if isinstance(error, json.JSONDecodeError) else _TOO_DEEP
        yield Skipped(location, reason + after)
        return
    if number == 0:
        yield Skipped(location, "JSON list is empty")


def _skip_space(text: str, position: int) -> int:
    return _SPACE_RUN.match(text, position).end()


def _malformed(error: json.JSONDecodeError) -> str:
    return f"malformed JSON on line {error.lineno}: {error.msg} (column {error.colno})"


def read_jsonl_stream(stream: BinaryIO, location: str, defaults: Defaults,
                      field_map: dict[str, str]) -> Iterator[Incoming | Skipped]:
    """A JSON Lines file read line by line, so its size does not matter."""
    yield from _read_lines(_binary_lines(stream), location, defaults, field_map, [])


def _binary_lines(stream: BinaryIO) -> Iterator[tuple[int, str | bytes]]:
    number = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (rest := stream.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass
            yield number, _TooLong()
            continue
        yield number, raw


class _TooLong:
    """Stands for a line that was too long to read."""


def _read_lines(lines: Iterable[tuple[int, Any]], location: str, defaults: Defaults,
                field_map: dict[str, str], notes: list[str]) -> Iterator[Incoming | Skipped]:
    """One document or one ``Skipped`` a line; a bad line never ends the file. A file none of whose
    first ``NOT_JSON_LINES_AFTER`` lines is a JSON object gets one entry; past
    ``MAX_LISTED_BAD_LINES`` bad lines the others are counted in one closing entry."""
    found_any = good = False
    held: list[Skipped] = []  # the first bad lines, until a JSON object shows this is JSON Lines
    listed = unlisted = 0
    for number, raw in lines:
        item, is_object = _line_item(number, raw, location, defaults, field_map, notes)
        if item is None:
            continue
        found_any = True
        if is_object and not good:
            good = True
            listed += len(held)
            yield from held
            held = []
        if isinstance(item, Incoming):
            yield item
        elif not good:
            held.append(item)
            if len(held) == NOT_JSON_LINES_AFTER:
                yield Skipped(location, f"not JSON Lines: none of its first {NOT_JSON_LINES_AFTER} lines is a "
                                        f"document ({held[0].reason}); the rest of the file is not read")
                return
        elif listed < MAX_LISTED_BAD_LINES:
            listed += 1
            yield item
        else:
            unlisted += 1
    yield from held
    if unlisted:
        yield Skipped(location, f"{unlisted:,} more bad lines, not listed one by one (the first "
                                f"{MAX_LISTED_BAD_LINES:,} are)")
    if not found_any:
        yield Skipped(location, "no JSON lines (only blank lines)")


def _line_item(number: int, raw: Any, location: str, defaults: Defaults, field_map: dict[str, str],
               notes: list[str]) -> tuple[Incoming | Skipped | None, bool]:
    """The document of one line or a ``Skipped`` saying why there is none (None for a blank
    line), and whether the line is a JSON object."""
    where = f"{location}#L{number}"
    if isinstance(raw, _TooLong):
        return Skipped(where, f"line {number} is over {MAX_LINE_BYTES // (1024 * 1024)} MB"), False
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as error:
            return Skipped(where, f"line {number} is not UTF-8 (byte 0x{raw[error.start]:02x})"), False
    raw = raw.rstrip("\r\n")
    if not raw.strip():
        return None, False
    try:
        record = _DECODER.decode(raw)
    except json.JSONDecodeError as error:
        return Skipped(where, f"malformed JSON on line {number}: {error.msg} (column {error.colno})"), False
    except RecursionError:
        return Skipped(where, f"line {number}: {_TOO_DEEP}"), False
    if not isinstance(record, dict):
        return Skipped(where, f"line {number} holds {_kind(record)}, not an object"), False
    return one_record(where, lambda: record_document(record, where, defaults, field_map, notes)), True


def _records_in(data: Any, field_map: dict[str, str]) -> list | None:
    """The records a parsed JSON value holds: itself, its items, or one wrapped list."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        if _field(data, "text", field_map) is not None:
            return [data]
        lists = [value for value in data.values()
                 if isinstance(value, list) and value and all(isinstance(item, dict) for item in value)]
        if len(lists) == 1:  # {"status": "ok", "articles": [...]}
            return lists[0]
        return [data]
    return None


def record_document(record: Any, location: str, defaults: Defaults, field_map: dict[str, str],
                    notes: list[str]) -> Incoming | Skipped:
    """One JSON object as a document."""
    if not isinstance(record, dict):
        return Skipped(location, f"record is {_kind(record)}, not an object")
    text = _field(record, "text", field_map)
    if text is None:
        names = (field_map["text"],) if "text" in field_map else FIELD_NAMES["text"]
        return Skipped(location, f"record has no text (no field {' or '.join(names)})")
    if not isinstance(text, str):
        return Skipped(location, f"record's text field holds {_kind(text)}, not a string")
    text = replace_surrogates(text)
    text = html_fragment_to_text(text) if has_markup(text) else unescape_entities(text)
    title = _field(record, "title", field_map)
    if isinstance(title, str):
        title = replace_surrogates(title)
        title = html_fragment_to_text(title) if has_markup(title) else unescape_entities(title)
    source = _field(record, "source", field_map)
    if isinstance(source, dict):  # {"id": "bbc-news", "name": "BBC News"}
        source = source.get("name") or source.get("title") or source.get("id")
    return make_document(
        text, location=location, defaults=defaults, title=_scalar(title), url=_scalar(_field(record, "url", field_map)),
        source=_scalar(source), published=_scalar(_field(record, "published", field_map)), notes=notes,
        empty_reason="record's text is empty",
    )


def _field(record: dict, name: str, field_map: dict[str, str]) -> Any:
    """The first present, non-empty value for one of our fields; dotted map keys reach inside."""
    if name in field_map:
        return _dotted(record, field_map[name])
    for key in FIELD_NAMES[name]:
        value = record.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


def _dotted(record: Any, path: str) -> Any:
    if path in record:
        return record[path]
    value = record
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _scalar(value: Any) -> Any:
    """A list's first item (``"author": ["A", "B"]``); containers otherwise give None."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, (dict, list)):
        return None
    return value


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
            type(None): "null"}.get(type(value), "a number")
