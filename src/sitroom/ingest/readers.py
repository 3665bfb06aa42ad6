"""``read_inputs``: files, folders and globs to a stream of documents and skipped inputs."""

from __future__ import annotations

import fnmatch
import glob
import gzip
import os
import stat
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path

from sitroom.ingest import sniff
from sitroom.ingest.dates import date_in_file_name
from sitroom.ingest.decode import UndecodableError, decode_bytes
from sitroom.ingest.documents import Defaults, make_document
from sitroom.ingest.feeds import read_feed
from sitroom.ingest.jsondocs import check_field_map, read_json_text, read_jsonl_stream
from sitroom.ingest.records import Incoming, Skipped, printable
from sitroom.ingest.warc import read_warc
from sitroom.ingest.webpage import read_html
from sitroom.settings import MAX_TEXT_CHARS

# Files read whole (text, HTML, JSON, feeds) larger than this are refused unread.
# JSON Lines and WARC files are read record by record and may be of any size.
MAX_FILE_BYTES = 50_000_000
# A plain-text file is one document, and a character takes at most 4 bytes: a larger one
# cannot be under the character limit, so it is refused unread (not decoded to be measured).
MAX_TEXT_FILE_BYTES = 4 * MAX_TEXT_CHARS

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
        yield from _guarded(read_file(item, defaults=defaults, field_map=field_map), printable(str(item)))


def _guarded(items: Iterator[Incoming | Skipped], location: str) -> Iterator[Incoming | Skipped]:
    """A reader's items, each tagged with its file; should a library fail in a way no reader
    foresaw, one ``Skipped`` says so and the stream goes on with the next file."""
    last = location
    try:
        for item in items:
            last = item.location
            item.file = location
            yield item
    except Exception as error:  # noqa: BLE001 - one file's surprise must not end the batch
        where = location if last == location else f"{location} (after {last})"
        yield Skipped(where, f"could not read: {type(error).__name__}: {error}", file=location)


def expand_paths(paths: Sequence[str | os.PathLike]) -> Iterator[Path | Skipped]:
    """Every file the arguments name, in order; folders walked, globs matched, sorted.

    A path that cannot be looked at (a folder on the way that may not be read, a name too
    long) is a ``Skipped`` with the reason, never an error.
    """
    for raw in paths:
        raw = os.fspath(raw)
        path = Path(raw)
        try:
            is_dir = path.is_dir()
            exists = is_dir or path.exists() or path.is_symlink()
        except OSError as error:
            yield Skipped(raw, f"cannot read: {error.strerror or error}")
            continue
        if is_dir:
            yield from _walk(path)
        elif exists:
            yield path
        elif _GLOB_CHARS & set(raw):
            try:
                matches = _glob(raw)
            except OSError as error:
                yield Skipped(raw, f"cannot read: {error.strerror or error}")
                continue
            if not matches:
                yield Skipped(raw, "no file matches this pattern")
            for match in matches:
                yield from (_walk(Path(match)) if os.path.isdir(match) else [Path(match)])
        else:
            yield Skipped(raw, "no such file or folder")


def _glob(pattern: str) -> list[str]:
    """The paths a pattern matches, as ``glob.glob(pattern, recursive=True)`` gives them, except
    that ``**`` enters each real folder once: a link that loops back (``a/up -> ..``) ends there."""
    if "**" not in pattern:
        return sorted(glob.glob(pattern))  # no recursion, nothing to loop
    parts = pattern.split(os.sep)
    fixed = 0
    while fixed < len(parts) - 1 and not _GLOB_CHARS & set(parts[fixed]):
        fixed += 1
    root = os.sep if parts[:fixed] == [""] else os.sep.join(parts[:fixed])
    wanted = tuple(part for part in parts[fixed:] if part)
    hidden_named = any(part.startswith(".") for part in wanted)
    found = []
    for top, folders, names, _ in _walk_once(Path(root or "."), hidden=hidden_named):
        relative = Path(top).relative_to(root or ".").parts
        for name in folders + names:
            if _matches(relative + (name,), wanted):
                found.append(os.path.join(top, name) if root else os.path.join(*relative, name))
    if wanted and wanted[-1] == "**" and root:
        found.append(root)  # "data/**" matches the folder itself too
    return sorted(found)


def _matches(names: tuple[str, ...], pattern: tuple[str, ...]) -> bool:
    """Whether a relative path matches glob components (``**`` is any number of folders, and no
    wildcard matches a hidden name, as in ``glob``)."""
    @lru_cache(maxsize=None)
    def match(i: int, j: int) -> bool:
        if j == len(pattern):
            return i == len(names)
        if pattern[j] == "**":
            return match(i, j + 1) or (i < len(names) and not names[i].startswith(".") and match(i + 1, j))
        return (i < len(names) and fnmatch.fnmatchcase(names[i], pattern[j])
                and (not names[i].startswith(".") or pattern[j].startswith("."))
                and match(i + 1, j + 1))

    return match(0, 0)


def _walk_once(folder: Path, *, hidden: bool = False, errors: list[OSError] | None = None
               ) -> Iterator[tuple[str, list[str], list[str], int]]:
    """``os.walk`` that follows links to folders but enters each real folder (device, inode)
    once, so a link loop cannot trap it; hidden folders are left out unless ``hidden`` (the
    last item says how many were)."""
    visited: set[tuple[int, int]] = set()
    try:
        info = folder.stat()
        visited.add((info.st_dev, info.st_ino))
    except OSError:
        pass
    for top, folders, names in os.walk(folder, onerror=errors.append if errors is not None else None,
                                       followlinks=True):
        kept, left_out = [], 0
        for name in sorted(folders):
            if name.startswith(".") and not hidden:
                left_out += 1
                continue
            try:
                info = os.stat(os.path.join(top, name))
            except OSError:
                continue
            if (info.st_dev, info.st_ino) in visited:  # a link back to a folder already walked
                continue
            visited.add((info.st_dev, info.st_ino))
            kept.append(name)
        folders[:] = kept
        yield top, folders, names, left_out


def _walk(folder: Path) -> Iterator[Path | Skipped]:
    """A folder's files, recursively, in sorted order; hidden files and folders left out; a
    linked folder is walked once, wherever the links to it are."""
    errors: list[OSError] = []
    files = hidden = 0
    for top, _folders, names, hidden_folders in _walk_once(folder, errors=errors):
        while errors:
            error = errors.pop(0)
            yield Skipped(str(error.filename or top), f"cannot read folder: {error.strerror}")
        hidden += hidden_folders + sum(name.startswith(".") for name in names)
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
    markup = sniff.markup_kind(head)
    plain = markup is None and suffix not in (*sniff.JSON_SUFFIXES, *sniff.FEED_SUFFIXES, *sniff.HTML_SUFFIXES)
    if plain and size > MAX_TEXT_FILE_BYTES and not sniff.starts_like_json(sniff.head_text(head)):
        yield Skipped(location, f"file is {size / 1e6:.1f} MB: as one plain text it is over the "
                                f"{MAX_TEXT_CHARS:,}-character limit (refused unread)")
        return
    data = stream.read(MAX_FILE_BYTES + 1)
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
