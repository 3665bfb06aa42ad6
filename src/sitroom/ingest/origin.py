"""Who published a document (its outlet) and which wire it credits as its origin.

Counting *independent* sources needs both (DESIGN.md, "The cross-document picture"): the outlet is
the site a document came from, folded to its registered domain so that ``edition.cnn.com`` and
``www.cnn.com`` are one outlet; the originating source is the agency the report itself names as
its author, read from the places wires put that name (the dateline, the sign-off, the copyright
line, Reuters' reporting/editing signature). Both are pure functions with no network access.

A wrong credit merges independent sources, which is worse than a missed one, so ``wire_credit``
reads only positions where a name is a credit by convention, never a citation ("according to
Reuters", "told AFP", "Ukrinform reports") and never a contribution ("The Associated Press
contributed to this report", "Some information came from Reuters", "Source: PAP"): a report that
mixes a wire's material into its own reporting is still its outlet's own.
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

import tldextract

# --- outlet: the registered domain ---------------------------------------------------------------


_OTHER_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:(?!\d)")


@cache
def _extractor() -> tldextract.TLDExtract:
    """The Public Suffix List snapshot bundled with tldextract, read from the package only.

    ``suffix_list_urls=()`` means no download is ever tried (an explicit argument also overrides
    the TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS environment variable); ``cache_dir=None`` means nothing
    is written to disk. Private suffixes (blogspot.com, github.io) count as suffixes, so that two
    blogs on one shared host stay two outlets instead of being merged into the host.
    """
    return tldextract.TLDExtract(
        cache_dir=None,
        suffix_list_urls=(),
        fallback_to_snapshot=True,
        include_psl_private_domains=True,
    )


def registered_domain(url: str | None) -> str | None:
    """The domain a URL's owner registered ("https://edition.cnn.com/x" gives "cnn.com").

    Sub-domains of one owner fold together (news.bbc.co.uk, www.bbc.co.uk -> bbc.co.uk). A host
    that has no public suffix (localhost, an intranet name, an IP address) or text that is not a
    URL gives None: such a value names no outlet another document could share.
    """
    if not isinstance(url, str) or not url.strip():
        return None
    text = url.strip()
    if "://" not in text and not text.startswith("//"):
        if _OTHER_SCHEME.match(text):
            return None  # "mailto:a@b.com", "urn:x": no site a document was published on
        text = "//" + text  # a bare "www.bbc.co.uk/news" is still read as a host
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    if not host or any(char.isspace() for char in host):
        return None
    parts = _extractor().extract_str(host.rstrip("."))
    if not parts.domain or not parts.suffix:
        return None
    return f"{parts.domain}.{parts.suffix}".lower()


# --- originating source: the wire a report credits ---------------------------------------------

# One canonical name for the spellings agencies go by. Case is ignored when looking up. It fixes
# one class of error: the same wire under two spellings ("Associated Press" / "AP", "Reuter" /
# "Thomson Reuters", "Tass" / "ITAR-TASS") would count as two independent sources. It is also the
# closed list of names accepted in positions where any word could stand (a sign-off line, a
# trailing "— Reuters", a copyright line, the dateline without brackets used by CNN), because
# those positions are shared with photo credits, an outlet's own copyright and plain headlines.
# Interfax-Ukraine is a separate agency from Russia's Interfax and keeps its own name.
_AGENCY_NAMES: dict[str, tuple[str, ...]] = {
    "Reuters": ("Reuters", "Reuter", "Thomson Reuters"),
    "AP": ("AP", "Associated Press", "The Associated Press", "AP News"),
    "AFP": ("AFP", "Agence France-Presse", "Agence France Presse", "AFP News"),
    "TASS": ("TASS", "ITAR-TASS"),
    "Xinhua": ("Xinhua", "Xinhua News Agency", "Xinhuanet"),
    "RIA Novosti": ("RIA Novosti", "RIA"),
    "Interfax": ("Interfax",),
    "Interfax-Ukraine": ("Interfax-Ukraine",),
    "UNIAN": ("UNIAN",),
    "Ukrinform": ("Ukrinform",),
    "BelTA": ("BelTA",),
    "PAP": ("PAP", "Polish Press Agency"),
    "dpa": ("dpa", "Deutsche Presse-Agentur"),
    "EFE": ("EFE",),
    "ANSA": ("ANSA",),
    "Anadolu": ("Anadolu", "Anadolu Agency"),
    "Kyodo": ("Kyodo", "Kyodo News"),
    "Yonhap": ("Yonhap",),
    "UPI": ("UPI", "United Press International"),
    "Bloomberg": ("Bloomberg", "Bloomberg News"),
    "CNN": ("CNN", "CNN Business", "CNN International"),
}
_CANONICAL: dict[str, str] = {
    variant.casefold(): name for name, variants in _AGENCY_NAMES.items() for variant in variants
}
# Any known spelling, longest first so that "Thomson Reuters" wins over "Reuters"; case ignored.
_KNOWN = "(?i:" + "|".join(re.escape(v) for v in sorted(_CANONICAL, key=len, reverse=True)) + r")(?![\w-])"

# Editorial tags that stand in brackets where a credit would ("KYIV (UPDATE) - ...").
_NOT_CREDITS = frozenset(
    "update updated updates lead live video photos photo audio watch opinion analysis exclusive "
    "corrected correction refile repeat breaking urgent advisory factbox explainer editorial "
    "comment interview feature sponsored advertisement translated satire".split()
)

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = rf"(?:{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?)"
_UPPER = "A-ZÀ-ÖØ-ÞĄĆĘŁŃŚŹŻČŠŽА-ЯЁЇІЄҐ"
# A place in a dateline: capitalised words ("KYIV", "Dubai", "RIO DE JANEIRO", "Rio de Janeiro").
_CAP = rf"[{_UPPER}][\w'’.\-]*"
_PLACE = rf"{_CAP}(?:\s+(?:(?:de|da|do|del|di|du|la|le|el|al|am|an|upon)\s+)?{_CAP}){{0,3}}"
_PREFIX = rf"(?:(?P<place>{_PLACE}(?:,\s*{_PLACE})?)(?:[,.]?\s+(?P<date>{_DATE})\.?)?\s*|(?P<day>{_DATE})\.?\s*)?"
# What stands in dateline brackets: one to four words, no digits or slashes ("AP Photo/Jane Doe").
_NAME = r"[^\W\d_][\w.&'’\-]*(?:\s+[^\W\d_][\w.&'’\-]*){0,3}"
_DASH = r"(?:-{1,2}|[–—])"

# "MOSCOW, March 3 (Reuters) -", "KYIV, Ukraine (AP) —", "(CNN)-", "Moscow, 3 March /TASS/."
_DATELINE = re.compile(
    rf"^\s*{_PREFIX}(?:\((?P<paren>{_NAME})\)\s*{_DASH}|/(?P<slash>{_NAME})/\s*(?:{_DASH}|\.))\s*(?=\S)"
)
# "Moscow CNN —", "CNN —": the bracketless dateline. Only a known agency can stand here, since
# "HELSINKI —" has the same shape and credits no one.
_BARE_DATELINE = re.compile(rf"^\s*(?:{_PLACE}(?:,\s*{_PLACE})?\s+)?(?P<name>{_KNOWN})\s*{_DASH}(?:\s|$)")

# Reuters' house signature, with or without brackets: "(Reporting by X; Editing by Y)".
_REUTERS_SIGNATURE = re.compile(
    r"(?:^|\()\s*(?:Additional\s+)?(?:Reporting|Writing|Compiled)\s+by\b[^()\n]{0,400}?;"
    r"[^()\n]{0,400}?\bEditing\s+by\b[^()\n]{0,200}(?:\)|$)",
    re.IGNORECASE | re.MULTILINE,
)
# "© 2022 Reuters", "Copyright 2022 The Associated Press. All rights reserved.", at a line's or a
# sentence's start; "© AFP 2023 / Jane Doe" (a photo credit) does not end as a copyright line does.
_COPYRIGHT = re.compile(
    rf"(?:^|(?<=[.!?”\"]\s))\s*(?:©|\([cC]\)|(?i:copyright))(?:\s*©|\s+(?i:copyright))?\s*"
    rf"(?:\d{{4}}(?:\s*[-–]\s*\d{{4}})?\s*)?(?P<name>{_KNOWN})(?:\s*,?\s*\d{{4}})?\s*(?:[.,;].*)?$",
    re.MULTILINE,
)
# "... on Friday. — Reuters", "-- AFP", "(Xinhua)" closing the text.
_TRAILING = re.compile(rf"(?:^|\s)(?:{_DASH}\s*(?P<dash>{_KNOWN})|\((?P<paren>{_KNOWN})\))\s*\.?\s*$")
# "Associated Press writers Jane Doe in Kyiv and John Roe in Moscow contributed": the agency's own
# staff, the way its own copy signs off (an outlet using the agency writes "The AP contributed").
# The gap may hold initials ("Jane C. Doe") but not the end of a sentence ("... Kyiv. Germany").
_STAFF_CONTRIBUTED = re.compile(
    rf"(?<![\w-])(?P<name>{_KNOWN})\s+(?:staff\s+)?(?:writers?|reporters?|correspondents?|journalists?)\b"
    r"(?:(?![a-z]{2}[.!?]\s)[^\n;]){0,300}?\bcontributed(?:\s+(?:to|from|reporting)\b|\s*[.)]|\s*$)",
)
_TITLE_SUFFIX = re.compile(rf"\s[-–—|]\s*(?P<name>{_KNOWN})\s*$")

_HEAD_CHARS = 1000  # datelines are read in the first lines of this much text
_HEAD_LINES = 4
_TAIL_CHARS = 1500  # sign-offs and signatures are read in this much of the end


def _clean_name(name: str) -> str:
    """One spacing, no edge punctuation: "Reuters." and "Reuters" are one spelling."""
    return re.sub(r"\s+", " ", name).strip(" .,'’-")


def _canonical(name: str | None) -> str | None:
    """The agency's one name when ``name`` is a known spelling of it, else None."""
    if not name:
        return None
    return _CANONICAL.get(_clean_name(name).casefold())


def _acronym_of(name: str, words: str) -> bool:
    """Whether ``name`` is made of the initials of ``words`` ("NATO" after "North Atlantic ...")."""
    initials = "".join(word[0] for word in re.findall(r"[^\W\d_]+", words) if word[0].isupper())
    letters = re.sub(r"\W", "", name).upper()
    return len(letters) >= 2 and letters in initials.upper()


@cache
def _countries() -> frozenset[str]:
    """Country names, which stand in brackets as part of a place, never as a credit."""
    import pycountry

    names = set()
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value:
                names.add(value.casefold())
    return frozenset(names)


def _bracketed_credit(match: re.Match[str]) -> str | None:
    """The credit a dateline's brackets hold, if they hold one.

    The bracketed dateline is a credit by its position ("MINSK, 26 April (BelTA) -"), so a name the
    table lacks is kept as written, but only in the unmistakable form where the brackets follow a
    date or a place in capitals: Title-case words before brackets are as often a name and its
    acronym ("North Atlantic Treaty Organization (NATO) -"), and brackets alone at a line's start
    as often an editorial tag ("(Transcript) -"). The name must look like one (every word
    capitalised) and is refused when it is a common tag ("(UPDATE) -"), the initials of the words
    before it, or a country ("Lviv (Ukraine) -").
    """
    name = match.group("paren") or match.group("slash")
    known = _canonical(name)
    if known:
        return known
    place = match.group("place")
    if not (match.group("date") or match.group("day") or (place and place.isupper())):
        return None
    cleaned = _clean_name(name)
    if not cleaned or not all(word[0].isupper() for word in cleaned.split()):
        return None
    if cleaned.casefold() in _NOT_CREDITS or cleaned.casefold() in _countries():
        return None
    if place and _acronym_of(cleaned, place):
        return None
    return cleaned


def _dateline_credit(text: str) -> str | None:
    """The credit in a dateline that opens one of the first few lines of the text."""
    lines = [line for line in text[:_HEAD_CHARS].split("\n") if line.strip()][:_HEAD_LINES]
    for line in lines:
        match = _DATELINE.match(line)
        if match:
            return _bracketed_credit(match)
        bare = _BARE_DATELINE.match(line)
        if bare:
            return _canonical(bare.group("name"))
    return None


def _tail_credits(text: str) -> list[str]:
    """Credits at the end of a report: signature, copyright, sign-off line, trailing dash, staff."""
    tail = text[-_TAIL_CHARS:]
    found: list[str | None] = []
    if _REUTERS_SIGNATURE.search(tail):
        found.append("Reuters")
    found += [_canonical(match.group("name")) for match in _COPYRIGHT.finditer(tail)]
    lines = [line.strip() for line in tail.split("\n") if line.strip()]
    if lines:
        found.append(_canonical(lines[-1]))  # a sign-off line that is only the agency: "Reuter"
        trailing = _TRAILING.search(lines[-1])
        if trailing:
            found.append(_canonical(trailing.group("dash") or trailing.group("paren")))
    found += [_canonical(match.group("name")) for match in _STAFF_CONTRIBUTED.finditer(tail)]
    return [name for name in found if name]


def _title_credit(title: str | None) -> str | None:
    """A headline ending with an agency's name as its site suffix ("... - Reuters")."""
    match = _TITLE_SUFFIX.search(title.strip()) if title else None
    return _canonical(match.group("name")) if match else None


def wire_credit(text: str, title: str | None = None) -> str | None:
    """The news agency a report credits as its own origin, by one normalised name, or None.

    Read from a dateline in the first lines ("MOSCOW, March 3 (Reuters) -", "Moscow, 3 March
    /TASS/.", "KYIV, Ukraine (AP) —"), the end of the report ("— Reuters", a sign-off line
    "Reuter", "© 2022 Reuters", Reuters' "(Reporting by ...; Editing by ...)", "Associated Press
    writer X contributed") and a headline's site suffix ("... - Reuters"). When these name
    different agencies the report is no one wire's copy and None is returned: a missed credit only
    keeps two copies apart, a wrong one merges independent sources.
    """
    if not text:
        return None
    credits = [name for name in (_dateline_credit(text), *_tail_credits(text), _title_credit(title)) if name]
    return credits[0] if len(set(credits)) == 1 else None
