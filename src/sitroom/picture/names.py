"""Name keys for entity resolution: cleaned surfaces, romanisation-blind spellings.

The same person is written "Zelensky", "Zelenskyy" and "Zelenskiy", "Aleksandr" and
"Alexander", "Sergei" and "Sergey": English romanisations of Cyrillic differ in a few regular
ways (-iy/-yy/-ii endings, iy/yi/ya inside, x/ks, kh/h, ph/f, ie/ye, doubled letters, w/v).
``spelling_key`` folds
exactly those; ``skeleton`` (the consonants after the first letter) also folds the vowels
that romanisations and transcriptions disagree on, for given names compared beside an equal
surname. No list of names is involved.
"""

from __future__ import annotations

import re
import unicodedata

_EDGE_JUNK = re.compile(r"^[^\w]+|[^\w.]+$|(?<=\w\w)\.+$", re.UNICODE)
_ABBREVIATION = re.compile(r"^(?:[A-Za-z]\.){2,}$|\b[A-Z][a-z]{0,3}\.$")
_VOWELS = re.compile(r"[aeiouy]")


_UNDECOMPOSED = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ß": "ss", "ı": "i",
                               "æ": "ae", "Æ": "Ae", "œ": "oe", "þ": "th"})


def ascii_lower(text: str) -> str:
    """Lower-case ASCII letters: accents dropped, and the letters Unicode does not decompose
    ("Wołodymyr") spelled as they read."""
    return unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED)).encode("ascii", "ignore").decode().lower()


_CREDIT_TAIL = re.compile(r"\s+[-–—]\s+.*$|\s*\((?![^()]*\)).*$")


def clean_surface(name: str) -> str:
    """A surface name without the stray punctuation that sentence-splitting glitches leave
    around it ('"Russia', "CNN)-", "Kiev.-") or a credit glued after it ("Vladimir Putin - DPA",
    "Vladimir Putin (Report"); abbreviations keep their dots ("U.S.")."""
    name = re.sub(r"^['’]s\s+", "", " ".join(name.split()))  # "’s Winston Churchill" after a split possessive
    if name.startswith("(") and name.endswith(")"):
        name = name[1:-1]
    name = _CREDIT_TAIL.sub("", name) or name
    if name.endswith(")") and "(" in name and name.count("(") == name.count(")"):
        return re.sub(r"^[^\w(]+", "", name)  # "Islamic State (ISIS)" keeps its bracket
    if _ABBREVIATION.search(name):
        return re.sub(r"^[^\w]+", "", name).rstrip(",;:!?)-–—\"'”’]") or name
    cleaned = _EDGE_JUNK.sub("", name)
    while cleaned != name:
        name, cleaned = cleaned, _EDGE_JUNK.sub("", cleaned)
    return cleaned or name


def spelling_key(word: str) -> str:
    """One key for the common English romanisations of one Cyrillic (or similar) name."""
    w = ascii_lower(word)
    w = w.replace("x", "ks").replace("kh", "h").replace("w", "v").replace("ph", "f").replace("ie", "e").replace("ye", "e")
    w = re.sub(r"(iy|yy|ii|ij|yi|iyi)$", "i", w)
    w = w.replace("iy", "i").replace("yi", "i").replace("ya", "ia").replace("yu", "iu")  # Avdiyivka, Zaporizhzhya
    w = re.sub(r"(zh|sh|ch)\1", r"\1", w)  # Zaporizhzhia / Zaporizhia
    w = re.sub(r"(?<=[aeiou])y$", "i", w)  # Sergey -> Sergei
    w = re.sub(r"(?<=[^aeiou])y$", "i", w)  # Zelensky -> Zelenski
    return re.sub(r"(.)\1+", r"\1", w)


def skeleton(word: str) -> str:
    """The first letter and the consonants after it: "aleksandr", "alexander", "alaxandr"
    all give "alksndr"."""
    key = spelling_key(word)
    return key[:1] + _VOWELS.sub("", key[1:])


def given_names_agree(a: str, b: str) -> bool:
    """Two given names that may be one person's, spelled two ways (beside an equal surname):
    the same spelling key or skeleton, an initial, or a shared start of five letters or more
    (a diminutive: "Volodya" / "Volodymyr")."""
    ka, kb = spelling_key(a), spelling_key(b)
    if ka == kb or skeleton(a) == skeleton(b):
        return True
    if len(ka) == 1 or len(kb) == 1:
        return ka[0] == kb[0]
    shared = 0
    for x, y in zip(ka, kb):
        if x != y:
            break
        shared += 1
    return shared >= 5
