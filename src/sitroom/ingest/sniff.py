"""What kind of file this is, from its first bytes and its name."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

from sitroom.ingest.decode import bom_encoding, wide_encoding

HEAD_BYTES = 64 * 1024

# Signatures of common non-text files: (offset, magic bytes, what it is).
_MAGIC = (
    (0, b"\x89PNG\r\n\x1a\n", "PNG image"),
    (0, b"\xff\xd8\xff", "JPEG image"),
    (0, b"GIF87a", "GIF image"),
    (0, b"GIF89a", "GIF image"),
    (0, b"%PDF-", "PDF document"),
    (0, b"PK\x03\x04", "ZIP archive or Office document"),
    (0, b"PK\x05\x06", "ZIP archive"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document"),
    (0, b"\x7fELF", "ELF executable"),
    (0, b"SQLite format 3\x00", "SQLite database"),
    (0, b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (0, b"Rar!\x1a\x07", "RAR archive"),
    (0, b"\xfd7zXZ\x00", "XZ archive"),
    (0, b"\x28\xb5\x2f\xfd", "Zstandard archive"),
    (0, b"BZh", "bzip2 archive"),
    (0, b"ID3", "MP3 audio"),
    (0, b"OggS", "Ogg media"),
    (0, b"fLaC", "FLAC audio"),
    (0, b"\x1aE\xdf\xa3", "Matroska/WebM video"),
    (4, b"ftyp", "MP4/QuickTime media"),
    (8, b"WEBP", "WebP image"),
    (8, b"WAVE", "WAV audio"),
    (0, b"II*\x00", "TIFF image"),
    (0, b"MM\x00*", "TIFF image"),
    (0, b"\x00asm", "WebAssembly module"),
    (0, b"\xca\xfe\xba\xbe", "Java class or Mach-O binary"),
    (0, b"MZ", "Windows executable"),
)
GZIP_MAGIC = b"\x1f\x8b"

STREAMED_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines", ".warc", ".warc.gz", ".arc.gz")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
FEED_SUFFIXES = (".rss", ".atom", ".rdf")
JSON_SUFFIXES = (".json",)
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc.gz")

_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:rdf)[\s>]")
_HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|title|article|div|p)[\s>/]")
_XML_START = re.compile(rb"<\?xml\b")


def suffix_of(path: Path) -> str:
    """The lower-case extension, with ``.warc.gz`` style double extensions kept whole."""
    name = path.name.lower()
    for double in (".warc.gz", ".arc.gz"):
        if name.endswith(double):
            return double
    return path.suffix.lower()


def is_streamed(path: Path) -> bool:
    """Formats read record by record, so that a file of any size can be read."""
    return suffix_of(path) in STREAMED_SUFFIXES


def binary_kind(head: bytes) -> str | None:
    """What a non-text file is ("PNG image"), or "binary data"; None for text (UTF-16 and
    UTF-32 too, with or without a byte-order mark: their zero bytes are not binary data)."""
    if bom_encoding(head) in ("utf-16", "utf-32") or wide_encoding(head[:8192]):
        return None
    for offset, magic, kind in _MAGIC:
        if head[offset:offset + len(magic)] == magic:
            if kind == "Windows executable" and b"\x00" not in head[:1024]:
                continue  # "MZ" can start a text
            if kind == "bzip2 archive" and not head[3:4].isdigit():
                continue
            return kind
    if b"\x00" in head[:8192]:
        return "binary data"
    return None


def gzip_holds_warc(head: bytes) -> bool:
    """Whether gzip-compressed bytes open with a WARC record."""
    try:
        start = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16)
    except zlib.error:
        return False
    return start.startswith(b"WARC/")


def markup_kind(head: bytes) -> str | None:
    """"feed" or "html" when the start of a file is RSS/Atom or HTML, else None (also "xml")."""
    encoding = bom_encoding(head)
    encoding = encoding if encoding in ("utf-16", "utf-32") else wide_encoding(head[:8192])
    if encoding:
        sample = head[:8192].decode(encoding, errors="ignore").encode("ascii", errors="ignore")
    else:
        sample = head[:8192]
    sample = sample.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not sample.startswith(b"<"):
        return None
    if _FEED_ROOT.search(sample[:4096]):
        return "feed"
    if _HTML_START.search(sample[:4096]):
        return "html"
    if _XML_START.match(sample):
        return "xml"
    return None


def starts_like_json(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n")[:1] in ("{", "[")


def head_text(head: bytes) -> str:
    """The start of a file as text, for a look at its first characters (any encoding named by
    a byte-order mark or told by zero bytes; else UTF-8, with bad bytes dropped)."""
    encoding = bom_encoding(head) or wide_encoding(head) or "utf-8"
    return head.decode(encoding, errors="ignore")
