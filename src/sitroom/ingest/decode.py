"""Bytes to text: UTF-8 first, then a detected encoding that is named, never silent mojibake."""

from __future__ import annotations

import codecs

# Byte-order marks name their encoding outright (longest first: UTF-32 LE starts like UTF-16 LE).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# When charset-normalizer finds several encodings that fit equally well (cp1250, cp1252 and
# cp1257 agree on most Western text), the one most used for news text wins the tie.
_PREFERRED = ("cp1252", "latin_1", "iso8859_15", "cp1251", "gb18030", "gb2312", "big5",
              "shift_jis", "cp932", "euc_jp", "euc_kr", "cp1250", "iso8859_2", "cp1256", "cp1253")


# Text without a byte-order mark in a wide encoding is told by where its zero bytes fall: in
# UTF-16 LE text of Latin letters every second byte is zero, and almost no other one is.
# At least this share of the code units in the sample must have the zero where it belongs.
_WIDE_SHARE = 0.6
_WIDE_SAMPLE = 4096
_WIDE = (("utf-32-le", 4, (1, 2, 3)), ("utf-32-be", 4, (0, 1, 2)), ("utf-16-le", 2, (1,)), ("utf-16-be", 2, (0,)))
# Files larger than this are decoded in the encoding found for their first part (a noted guess
# needs charset-normalizer's analysis, whose time and memory grow with what it is given).
DETECTION_SAMPLE_BYTES = 1 << 20


class UndecodableError(ValueError):
    """The bytes are not text in any encoding that fits."""


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``data`` declares, if any."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 (with its byte order) when ``data`` is such text without a byte-order
    mark, told by its zero bytes (text in those encodings mostly has them in fixed places); else None."""
    sample = data[:_WIDE_SAMPLE]
    for encoding, width, zeros in _WIDE:
        units = len(sample) // width
        if units < 4:
            continue
        fitting = sum(all(sample[u * width + z] == 0 for z in zeros) for u in range(units))
        others = sum(sample[u * width + z] == 0 for u in range(units) for z in range(width) if z not in zeros)
        if fitting >= _WIDE_SHARE * units and others <= 0.05 * units:
            try:  # the last unit may be half of a pair cut off by the sample
                sample[:(units - 1) * width].decode(encoding)
            except UnicodeDecodeError:
                continue
            return encoding
    return None


def decode_bytes(data: bytes) -> tuple[str, list[str]]:
    """Decode ``data``; return the text and notes (a fallback encoding is always noted).

    Raises ``UndecodableError`` when neither UTF-8 nor any detected encoding fits.
    """
    declared = bom_encoding(data)
    if declared:
        try:
            return data.decode(declared), []
        except UnicodeDecodeError as error:
            raise UndecodableError(f"undecodable bytes: starts with a {declared} byte-order mark "
                                   f"but is not valid {declared} ({error.reason})") from None
    wide = wide_encoding(data)
    if wide:
        return data.decode(wide, errors="replace"), [f"decoded as {wide.upper()} (it has no byte-order mark)"]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        utf8_error = error
    return _decode_detected(data, utf8_error)


def _decode_detected(data: bytes, utf8_error: UnicodeDecodeError) -> tuple[str, list[str]]:
    """The encoding charset-normalizer finds, on the first ``DETECTION_SAMPLE_BYTES`` (cut at a
    line end) of a larger file; the whole file must then decode in it."""
    import charset_normalizer

    sample = data
    if len(data) > DETECTION_SAMPLE_BYTES:
        cut = data.rfind(b"\n", 0, DETECTION_SAMPLE_BYTES)
        sample = data[:cut if cut > 0 else DETECTION_SAMPLE_BYTES]
    matches = list(charset_normalizer.from_bytes(sample))
    if not matches:
        raise UndecodableError(
            f"undecodable bytes: not UTF-8 (byte 0x{data[utf8_error.start]:02x} at offset "
            f"{utf8_error.start}) and no other text encoding fits")
    best = matches[0]
    tied = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    chosen = min(tied, key=_preference)
    note = f"decoded as {chosen.encoding}, not UTF-8"
    others = [m.encoding for m in tied if m is not chosen and str(m) != str(chosen)]
    if others:
        note += f" ({' and '.join(others)} also fit{'s' * (len(others) == 1)}, reading some letters differently)"
    if sample is data:
        return str(chosen), [note]
    try:
        return data.decode(chosen.encoding), [note]
    except (UnicodeDecodeError, LookupError) as error:
        raise UndecodableError(f"undecodable bytes: not UTF-8, and not {chosen.encoding} either past the first "
                               f"{len(sample):,} bytes ({error})") from None


def _preference(match) -> int:
    try:
        return _PREFERRED.index(match.encoding)
    except ValueError:
        return len(_PREFERRED)
