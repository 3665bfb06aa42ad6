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


class UndecodableError(ValueError):
    """The bytes are not text in any encoding that fits."""


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``data`` declares, if any."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
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
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        utf8_error = error
    return _decode_detected(data, utf8_error)


def _decode_detected(data: bytes, utf8_error: UnicodeDecodeError) -> tuple[str, list[str]]:
    import charset_normalizer

    matches = list(charset_normalizer.from_bytes(data))
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
    return str(chosen), [note]


def _preference(match) -> int:
    try:
        return _PREFERRED.index(match.encoding)
    except ValueError:
        return len(_PREFERRED)
