"""``read_inputs``: files, folders and globs to a stream of documents and skipped inputs."""

from __future__ import annotations

import glob
import gzip
import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

from sitroom.ingest import sniff
from sitroom.ingest.dates import date_in_file_name
from sitroom.ingest.decode import UndecodableError, decode_bytes
from sitroom.ingest.documents import Defaults, make_document
from sitroom.ingest.feeds import read_feed
from sitroom.ingest.jsondocs import check_field_map, read_json_text, read_jsonl_stream
from sitroom.ingest.records import Incoming, Skipped
from sitroom.ingest.warc import read_warc
from sitroom.ingest.webpage import read_html

# Files read whole (text, HTML, JSON, feeds) larger than this are refused unread.
# JSON Lines and WARC files are read record by record and may be of any size.
MAX_FILE_BYTES = 50_000_000

_GLOB_CHARS = frozenset("*?[")
_FILE_KINDS = ((stat.S_ISFIFO, "named pipe"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"),
               (stat.S_ISBLK, "block device"))


def read_inputs(
    paths: Sequence[str],
    *,
    published: str | None = None,
    source: str | None = None,
    field_map: dict[str, str] | None = None,
    title: str | None = None,
) -> Iterator[Incoming | Skipped]:
    """Files, folders (recursive, sorted) and globs; streams, never loads a corpus into memory.

    ``published`` (YYYY-MM-DD), ``source`` and ``title`` apply to documents that carry none of their
    own; ``field_map`` maps our JSON field names to others (``{"text": "story"}``). Bad
    input never stops the stream: each file, line or record that gives no document gives
    one ``Skipped`` with the reason. A bad option raises ``ValueError`` before anything is read.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    defaults = Defaults(published=published, source=source or None, title=title or None)
    return _read_paths(paths, defaults, check_field_map(field_map))


def _read_paths(paths: Sequence[str], defaults: Defaults, field_map: dict[str, str]) -> Iterator[Incoming | Skipped]:
    seen: set[str] = set()
    for item in expand_paths(paths):
        if isinstance(item, Skipped):
            yield item
            continue
        key = os.path.realpath(item)
        if key in seen:  # the same file named twice (a folder and a file in it)
            continue
        seen.add(key)
        yield from _guarded(read_file(item, defaults=defaults, field_map=field_map), str(item))


def _guarded(items: Iterator[Incoming | Skipped], location: str) -> Iterator[Incoming | Skipped]:
    """A reader's items; should a library fail in a way no reader foresaw, the stream goes on."""
    last = location
    try:
        for item in items:
            last = item.location
            yield item
    except Exception as error:  # noqa: BLE001 - one file's surprise must not end the batch
        where = location if last == location else f"{location} (after {last})"
        yield Skipped(where, f"could not read: {type(error).__name__}: {error}")


def expand_paths(paths: Sequence[str | os.PathLike]) -> Iterator[Path | Skipped]:
    """Every file the arguments name, in order; folders walked, globs matched, sorted."""
    for raw in paths:
        raw = os.fspath(raw)
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path)
        elif path.exists() or path.is_symlink():
            yield path
        elif _GLOB_CHARS & set(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                yield Skipped(raw, "no file matches this pattern")
            for match in matches:
                yield from (_walk(Path(match)) if os.path.isdir(match) else [Path(match)])
        else:
            yield Skipped(raw, "no such file or folder")


def _walk(folder: Path) -> Iterator[Path | Skipped]:
    """A folder's files, recursively, in sorted order; hidden files and folders left out."""
    errors: list[OSError] = []
    files = hidden = 0
    for top, folders, names in os.walk(folder, onerror=errors.append):
        while errors:
            error = errors.pop(0)
            yield Skipped(str(error.filename or top), f"cannot read folder: {error.strerror}")
        hidden += sum(name.startswith(".") for name in folders + names)
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(names):
            if not name.startswith("."):
                files += 1
                yield Path(top, name)
    for error in errors:
        yield Skipped(str(error.filename or folder), f"cannot read folder: {error.strerror}")
    if files == 0 and not errors:
        yield Skipped(str(folder), "folder holds only hidden files" if hidden else "folder holds no files")


def read_file(path: Path, *, defaults: Defaults = Defaults(),
              field_map: dict[str, str] | None = None) -> Iterator[Incoming | Skipped]:
    """One file: its format told by its first bytes and its name."""
    location = str(path)
    field_map = field_map or {}
    try:
        info = path.stat()
    except FileNotFoundError:
        reason = f"broken link to {os.readlink(path)}" if path.is_symlink() else "no such file or folder"
        yield Skipped(location, reason)
        return
    except OSError as error:
        yield Skipped(location, f"cannot read: {error.strerror}")
        return
    for is_kind, kind in _FILE_KINDS:
        if is_kind(info.st_mode):
            yield Skipped(location, f"not a regular file ({kind})")
            return
    if info.st_size == 0:
        yield Skipped(location, "empty file")
        return
    streamed = sniff.is_streamed(path)
    if info.st_size > MAX_FILE_BYTES and not streamed:
        yield Skipped(location, f"file is {info.st_size / 1e6:.1f} MB, over the {MAX_FILE_BYTES / 1e6:.0f} MB limit")
        return
    try:
        stream = open(path, "rb")  # noqa: SIM115 (closed below; the readers stream from it)
    except OSError as error:
        yield Skipped(location, f"cannot read: {error.strerror}")
        return
    with stream:
        try:
            yield from _read_open_file(stream, path, location, info.st_size, defaults, field_map)
        except OSError as error:
            yield Skipped(location, f"cannot read: {error.strerror or error}")


def _read_open_file(stream, path: Path, location: str, size: int, defaults: Defaults,
                    field_map: dict[str, str]) -> Iterator[Incoming | Skipped]:
    head = stream.read(sniff.HEAD_BYTES)
    stream.seek(0)
    suffix = sniff.suffix_of(path)
    if head.startswith(sniff.GZIP_MAGIC):
        if sniff.gzip_holds_warc(head):
            yield from read_warc(stream, location, defaults)
        elif suffix in (".gz",) and sniff.is_streamed(path.with_suffix("")):
            yield from _read_gzip_jsonl(stream, location, defaults, field_map)
        else:
            yield Skipped(location, "binary file (gzip archive that is not a WARC or JSON Lines file)")
        return
    if head.startswith(b"WARC/"):
        yield from read_warc(stream, location, defaults)
        return
    kind = sniff.binary_kind(head)
    if kind:
        yield Skipped(location, f"binary file ({kind})")
        return
    if suffix in sniff.JSONL_SUFFIXES:
        yield from read_jsonl_stream(stream, location, defaults, field_map)
        return
    if suffix in sniff.WARC_SUFFIXES:
        yield Skipped(location, "named like a WARC file, but holds no WARC records")
        return
    if size > MAX_FILE_BYTES:  # streamed by its name, yet not JSON Lines or WARC inside
        yield Skipped(location, f"file is {size / 1e6:.1f} MB, over the {MAX_FILE_BYTES / 1e6:.0f} MB limit")
        return
    data = stream.read(MAX_FILE_BYTES + 1)
    markup = sniff.markup_kind(head)
    if markup == "feed" or (suffix in sniff.FEED_SUFFIXES and markup != "html"):
        yield from read_feed(data, location, defaults)
        return
    if markup == "html" or suffix in sniff.HTML_SUFFIXES:
        yield read_html(data, location, defaults)
        return
    if markup == "xml":
        yield Skipped(location, "XML file that is neither an RSS/Atom feed nor HTML")
        return
    try:
        text, notes = decode_bytes(data)
    except UndecodableError as error:
        yield Skipped(location, str(error))
        return
    if suffix in sniff.JSON_SUFFIXES:
        yield from read_json_text(text, location, defaults, field_map, notes)
        return
    if sniff.starts_like_json(text):  # JSON by content, or a text that opens with a bracket
        items = read_json_text(text, location, defaults, field_map, notes)
        first = next(items, None)
        whole_file_failed = isinstance(first, Skipped) and first.location == location
        second = next(items, None)
        if not (whole_file_failed and second is None):
            yield from (item for item in (first, second) if item is not None)
            yield from items
            return
    named = date_in_file_name(path.name)
    if named:
        notes = [*notes, f"publication date {named} read from the file name"]
    yield make_document(text, location=location, defaults=defaults, notes=notes, published=named,
                        empty_reason="file holds only white space")


def _read_gzip_jsonl(stream, location: str, defaults: Defaults,
                     field_map: dict[str, str]) -> Iterator[Incoming | Skipped]:
    with gzip.GzipFile(fileobj=stream) as unzipped:
        try:
            yield from read_jsonl_stream(unzipped, location, defaults, field_map)
        except (OSError, EOFError) as error:
            yield Skipped(location, f"broken gzip data: {error}")
