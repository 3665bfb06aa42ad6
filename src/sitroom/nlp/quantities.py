"""Figures in news text: value, bound, unit or currency, change, and what is counted.

A rule reader over spaCy tokens. It reads a number (digits, words or both: "3,000",
"three", "1.2 million", "a dozen", "tens of thousands"; shares in words, "a third of",
"two-thirds of", "one in five", with unit "fraction"), the range it may open ("between
1,500 and 3,000", "5-7"), the bound words before it ("at least", "over", "up to"), the
currency or unit around it ("$6", "10.5 million Australian dollars", "87 mph", "19 per
cent a year"), whether it is the size of a change ("rose by 5%", "up 19 cents") and, when
it has no unit, the noun it counts ("3,000 North Korean soldiers" -> soldier) with the
entity that qualifies that noun. Numbers that are not figures are left out: years, dates,
clock times, ordinals, labels ("Article 5", "Section 427", "Game 2"), phone numbers, ages
given as identifiers ("Smith, 45, said"), house numbers ("49 Elm Tree Road") and numbers
inside names ("G7", "5G", "Stoxx 50"). Currency signs folded to ASCII ("PS2.7m" for £,
"Y=590" for ¥) are read when glued to the digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span as SpacySpan, Token

from sitroom.nlp.doc_text import doc_text
from sitroom.nlp.frames import frame_quantities
from sitroom.model import Entity, Extraction, Quantity
from sitroom.nlp.quantities_units import (
    ASCII_CURRENCY_SIGNS,
    BOUND_CUES,
    CASED_UNITS,
    CURRENCY_PREFIXES,
    CURRENCY_WORDS,
    DOWN_WORDS,
    FRACTION_WORDS,
    LABEL_WORDS,
    MONEY_VERBS,
    MONTHS,
    NUMBER_NOUNS,
    PER_WORDS,
    SCALES,
    SMALL_NUMBERS,
    STREET_WORDS,
    SPACE_AMBIGUOUS_UNITS,
    TIME_UNITS,
    UNIT_WORDS,
    UP_WORDS,
    VAGUE_PLURALS,
)

DIGITS = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^\.\d+$")
DIGITS_WITH_SUFFIX = re.compile(r"^((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)([A-Za-z%°µ][A-Za-z0-9/²]*)$")
GLUED_CURRENCY = re.compile(r"^(RM|Rs\.?|US\$|A\$|HK\$|C\$|NZ\$|S\$|USD|EUR|GBP|AUD|CAD|INR|JPY|CNY|CHF|KRW|RUB|UAH)"
                            r"(\d.*)$")
ASCII_GLUED_CURRENCY = re.compile(r"^(PS|Y=)(\d[\d,]*(?:\.\d+)?(?:bn|m|k|mn)?)$")
# "$US55,931,000", "$A82,615,680": the country letters written after the dollar sign
DOLLAR_COUNTRY = re.compile(r"^(US|A|AU|NZ|HK|C|S)(\d.*)$")
FRACTION = re.compile(r"^(\d+)[/⁄](\d+)$")
YEAR = re.compile(r"(1[5-9]|2[01])\d\d")
CURRENCY_NAMES = set(CURRENCY_PREFIXES.values()) | set(CURRENCY_WORDS.values())
PHONE = re.compile(r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}\b")
CLOCK_WORDS = {"a.m.", "p.m.", "am", "pm", "a.m", "p.m", "gmt", "bst", "utc", "et", "est", "edt", "pt",
               "pst", "cet", "o'clock", "hrs", "jst", "kst"}
RANGE_JOINERS = {"-", "–", "—", "to"}
DATE_PREPOSITIONS = {"in", "since", "of", "by", "until", "from", "before", "after", "between", "and",
                     "to", "through", "during", "early", "late", "mid", "the", "'s", "till", "circa"}
MAX_CUE_WORDS = 4
MAX_UNIT_WORDS = 3


@dataclass
class _Number:
    """A number read from tokens ``start`` to ``end`` (exclusive)."""

    start: int
    end: int
    value: float
    low: float | None = None
    high: float | None = None
    words: bool = False  # written in words ("three"), not digits
    approx: bool = False  # written with a tilde ("~25")
    currency: str | None = None  # a currency glued before the digits ("RM79")
    scale: float = 1.0  # the scale words multiplied in ("million" in "1.2 million")
    suffix: str | None = None  # letters glued to the digits ("GB" in "256GB")
    fraction: bool = False  # a share written in words ("a third of", "one in five")


def extract_quantities(doc: Doc, found: Extraction) -> list[Quantity]:
    """Every figure in ``doc``, in text order (see the module docstring)."""
    text_of_doc = doc_text(doc)  # computed anew on each access: read it once
    phone_chars = _phone_number_chars(text_of_doc)
    results: list[Quantity] = []
    words = [token.text for token in doc]  # one pass; doc[i] makes a new Token on every access
    i = 0
    while i < len(words):
        text = words[i]
        if not (text[0] in NUMBER_FIRST_CHARS or text.lower() in NUMBER_STARTERS or any(map(str.isdigit, text))):
            i += 1
            continue
        number = _read_number(doc, i)
        if number is None or any(c in phone_chars for c in range(doc[i].idx, doc[i].idx + len(doc[i]))):
            i += 1
            continue
        quantity, end = _read_quantity(doc, number, found.entities)
        if quantity is not None:
            results.append(quantity)
        i = max(end, number.end, i + 1)
    _share_units(doc, text_of_doc, results)
    frame_quantities(doc, found, results)
    return results


NUMBER_FIRST_CHARS = set("0123456789~.+-")
NUMBER_STARTERS = set(SMALL_NUMBERS) | set(VAGUE_PLURALS) | set(NUMBER_NOUNS) | {"a", "an", "half"} | {
    f"{tens}-{unit}" for tens in SMALL_NUMBERS for unit in SMALL_NUMBERS}


def _sentence_bounds(doc: Doc, length: int) -> list[tuple[int, int]]:
    """Character bounds of the sentences, read from the SENT_START array (``doc.sents`` is slow)."""
    starts = [i for i, flag in enumerate(doc.to_array("SENT_START").tolist()) if flag == 1 or i == 0]
    chars = [doc[i].idx for i in starts] + [length]
    return list(zip(chars[:-1], chars[1:]))


@dataclass
class _Bounds:
    start_char: int
    end_char: int


def _share_units(doc: Doc, text: str, quantities: list[Quantity]) -> None:
    """Give a bare figure the unit or counted noun of its neighbour in the same sentence.

    "eight or nine euros", "435 homes by open sale and 187 by tender", "16,369 up 58 points":
    a figure with neither unit nor counted noun shares those of the nearest figure of its
    sentence, the next one first when they are joined by "or"/"to"/"and". A figure in
    brackets right after another ("100 kilometres (60 miles)") takes its bound and change.
    """
    if not quantities:
        return
    sentences = _sentence_bounds(doc, len(text))
    for index, quantity in enumerate(quantities):
        sent = next((_Bounds(a, b) for a, b in sentences if a <= quantity.start < b), None)
        if sent is None:
            continue
        before = quantities[index - 1] if index > 0 else None
        after = quantities[index + 1] if index + 1 < len(quantities) else None
        if before is not None and before.end >= sent.start_char:
            between = text[before.end:quantity.start].strip()
            if between in ("(", ", or", "or", "/") and quantity.bound == "exact" and quantity.change is None:
                quantity.bound = before.bound if before.bound != "range" or quantity.low is not None else "exact"
                quantity.change = before.change
        if quantity.unit or quantity.counts or quantity.text[:1].isalpha():
            continue
        # the next figure when joined ("eight or nine euros"), else earlier ones, nearest first, else later
        # ones; a converted amount in brackets ("1.3 billion ($1.7bn)") is not a neighbour
        joined = after is not None and after.start < sent.end_char and \
            text[quantity.end:after.start].strip().lower() in ("or", "to", "and", "-", ",")
        earlier = [q for q in reversed(quantities[:index]) if q.end > sent.start_char]
        later = [q for q in quantities[index + 1:] if q.start < sent.end_char
                 and text[quantity.end:q.start].strip() != "("]
        neighbours = ([after] if joined else []) + earlier + later
        for neighbour in neighbours:
            if neighbour.unit in ("percentage", "fraction") or neighbour.low is not None and neighbour.unit is None:
                continue
            if neighbour.unit or neighbour.counts:
                quantity.unit, quantity.counts = neighbour.unit, neighbour.counts
                quantity.counts_text = neighbour.counts_text
                quantity.entity_id = quantity.entity_id or neighbour.entity_id
                break


# --- numbers -----------------------------------------------------------------------------


def _phone_number_chars(text: str) -> set[int]:
    return {c for match in PHONE.finditer(text) for c in range(match.start(), match.end())}


def _digits_value(text: str) -> float | None:
    if DIGITS.match(text):
        return float(text.replace(",", ""))
    return None


def _word_value(token: Token) -> float | None:
    lower = token.lower_
    if lower in SMALL_NUMBERS:
        return float(SMALL_NUMBERS[lower])
    return None


def _read_number(doc: Doc, i: int) -> _Number | None:
    """Read the number starting at token ``i``, with its scale words; None if none starts here."""
    token = doc[i]
    lower = token.lower_
    fraction = _read_fraction(doc, i)
    if fraction is not None:
        return fraction
    # "tens of thousands", "hundreds of", "millions of"
    if lower in VAGUE_PLURALS and i + 1 < len(doc) and doc[i + 1].lower_ == "of":
        base = VAGUE_PLURALS[lower]
        end = i + 1
        if i + 2 < len(doc) and doc[i + 2].lower_ in VAGUE_PLURALS and VAGUE_PLURALS[doc[i + 2].lower_] > base:
            scale = VAGUE_PLURALS[doc[i + 2].lower_]
            return _Number(i, i + 3, scale * base, low=scale * base, high=scale * base * 10, words=True)
        if lower == "tens":
            return None  # "tens of" counts only before a scale: "tens of thousands"
        return _Number(i, end, base, low=base, high=base * 10, words=True)
    # "a dozen", "a hundred", "a million"
    if lower in ("a", "an") and i + 1 < len(doc):
        nxt = doc[i + 1].lower_
        if nxt in NUMBER_NOUNS or nxt in ("hundred", "thousand", "million", "billion", "trillion"):
            value = NUMBER_NOUNS.get(nxt) or SCALES[nxt]
            return _scaled(doc, _Number(i, i + 2, float(value), words=True))
        return None
    if lower == "dozen" and (i == 0 or doc[i - 1].lower_ != "the"):
        return _scaled(doc, _Number(i, i + 1, float(NUMBER_NOUNS[lower]), words=True))
    text = token.text
    approx = text.startswith("~") and len(text) > 1
    text = text.lstrip("~")
    currency = None
    glued = GLUED_CURRENCY.match(text)
    ascii_sign = ASCII_GLUED_CURRENCY.match(text)
    if glued:
        currency, text = CURRENCY_PREFIXES[glued.group(1).lower().rstrip(".")], glued.group(2)
    elif ascii_sign:
        currency, text = ASCII_CURRENCY_SIGNS[ascii_sign.group(1)], ascii_sign.group(2)
    elif i > 0 and doc[i - 1].text == "$" and DOLLAR_COUNTRY.match(text):
        country, text = DOLLAR_COUNTRY.match(text).groups()
        currency = CURRENCY_PREFIXES.get(country.lower() + "$", "dollar")
    if lower.startswith("minus-") and _digits_value(text[6:]) is not None:  # "minus-130 degrees"
        return _scaled(doc, _Number(i, i + 1, -_digits_value(text[6:])))
    fraction = FRACTION.match(text)
    if fraction and int(fraction.group(2)) > 0 and i + 1 < len(doc) and (
            doc[i + 1].lower_ == "of" or _unit_after(doc, i + 1)[0] is not None):
        return _Number(i, i + 1, int(fraction.group(1)) / int(fraction.group(2)))  # "1/2 pound", "1/16 of"
    value = _digits_value(text)
    if value is not None:
        return _scaled(doc, _Number(i, i + 1, value, approx=approx, currency=currency))
    match = DIGITS_WITH_SUFFIX.match(text)
    if match:
        value = float(match.group(1).replace(",", ""))
        suffix = match.group(2)
        nxt = doc[i + 1] if i + 1 < len(doc) else None
        counted_next = nxt is not None and (nxt.lower_ == "of" or nxt.tag_ == "NNS")
        currency = currency or (CURRENCY_PREFIXES.get(doc[i - 1].lower_) if i > 0 and not doc[i - 1].is_alpha
                                else None)
        if suffix.lower() in ("k", "bn", "tn", "mn", "mln", "mil") or suffix in ("M", "B") or \
                ((currency or counted_next) and suffix.lower() in ("m", "b")):
            scale = SCALES[suffix.lower()]
            return _scaled(doc, _Number(i, i + 1, value * scale, approx=approx, currency=currency, scale=scale))
        return _Number(i, i + 1, value, suffix=suffix, approx=approx, currency=currency)
    word = _word_value(token)
    if word is None:
        parts = token.lower_.split("-")
        if len(parts) == 2 and parts[0] in SMALL_NUMBERS and parts[1] in SMALL_NUMBERS and \
                SMALL_NUMBERS[parts[0]] >= 20 and SMALL_NUMBERS[parts[1]] < 10:
            value = float(SMALL_NUMBERS[parts[0]] + SMALL_NUMBERS[parts[1]])  # "twenty-five" as one token
            return _scaled(doc, _Number(i, i + 1, value, words=True))
        return None
    return _read_number_words(doc, i)


SHARE_DETERMINERS = {"the", "its", "their", "his", "her", "our", "all", "those", "these", "this", "that"}


def _read_fraction(doc: Doc, i: int) -> _Number | None:
    """A share in words: "a third of", "two-thirds of", "one fifth of", "half the", "half of",
    "one in five", "one out of three". Not "the first half", "a quarter" without "of"."""
    def numerator(token: Token) -> float | None:
        if token.lower_ in ("a", "an"):
            return 1.0
        return _word_value(token) if token.lower_ in SMALL_NUMBERS else _digits_value(token.text)

    def share_follows(j: int) -> bool:
        return j < len(doc) and (doc[j].lower_ == "of" or doc[j].lower_ in SHARE_DETERMINERS)

    top = numerator(doc[i])
    if doc[i].lower_ == "half" and share_follows(i + 1):
        before = doc[i - 1].lower_ if i > 0 else ""
        if before in ("first", "second", "the", "a", "an", "one", "and", "last", "other", "back", "latter"):
            return None
        return _Number(i, i + 1, 0.5, words=True, fraction=True)
    if top is None or not 0 < top < 100:
        return None
    j = i + 1
    if j < len(doc) and doc[j].text == "-" and not doc[j].whitespace_:
        j += 1  # "two-thirds"
    if j < len(doc) and doc[j].lower_ in FRACTION_WORDS and (top > 1 or not doc[j].lower_.endswith("s")) \
            and share_follows(j + 1):
        return _Number(i, j + 1, top / FRACTION_WORDS[doc[j].lower_], words=True, fraction=True)
    # "one in five Americans", "one out of three Germans"
    k = i + 1
    if k + 1 < len(doc) and doc[k].lower_ == "out" and doc[k + 1].lower_ == "of":
        k += 2
    elif k < len(doc) and doc[k].lower_ == "in" and doc[i].lower_ not in ("a", "an"):
        k += 1
    else:
        return None
    bottom = numerator(doc[k]) if k < len(doc) and doc[k].lower_ not in ("a", "an") else None
    if bottom is None or bottom <= top or k + 1 >= len(doc) or doc[k + 1].tag_ not in ("NNS", "NNPS"):
        return None
    return _Number(i, k + 1, top / bottom, words=True, fraction=True)


def _read_number_words(doc: Doc, i: int) -> _Number:
    """Read "twenty-five", "three hundred and fifty thousand", "two million"."""
    total = 0.0
    current = 0.0
    scale = 1.0
    j = i
    end = i
    while j < len(doc):
        lower = doc[j].lower_
        if lower in SMALL_NUMBERS:
            current += SMALL_NUMBERS[lower]
            end = j + 1
        elif lower == "hundred" and end == j:
            current = (current or 1) * 100
            scale = max(scale, 100.0)
            end = j + 1
        elif lower in ("thousand", "million", "billion", "trillion") and end == j:
            total += (current or 1) * SCALES[lower]
            current = 0
            scale = max(scale, SCALES[lower])
            end = j + 1
        elif lower in ("-", "and") and end == j and j + 1 < len(doc) and doc[j + 1].lower_ in SMALL_NUMBERS \
                and (lower == "-" or doc[j - 1].lower_ in ("hundred", "thousand")):
            pass
        else:
            break
        j += 1
    return _scaled(doc, _Number(i, end, total + current, words=True, scale=scale))


def _scaled(doc: Doc, number: _Number) -> _Number:
    """Apply the scale words after a number: "1.2 million", "3 bn"."""
    j = number.end
    while j < len(doc):
        lower = doc[j].lower_
        if lower in ("hundred", "thousand", "million", "billion", "trillion", "bn", "mn", "mln", "tn", "mil"):
            number.value *= SCALES[lower]
            number.scale *= SCALES[lower]
            if number.low is not None:
                number.low *= SCALES[lower]
            if number.high is not None:
                number.high *= SCALES[lower]
            j += 1
        elif lower == "dozen" and not number.words or lower == "dozen" and number.value > 1:
            number.value *= 12  # "three dozen"
            number.scale *= 12
            j += 1
        elif lower in ("m", "k", "b", "m.", "b.", "bn.") and not doc[j - 1].whitespace_ and j - 1 >= number.start:
            lower = lower.rstrip(".")
            number.value *= SCALES[lower]
            number.scale *= SCALES[lower]
            j += 1
        else:
            break
    number.end = j
    return number


# --- quantities --------------------------------------------------------------------------


def _read_quantity(doc: Doc, number: _Number, entities: list[Entity]) -> tuple[Quantity | None, int]:
    """Build the Quantity around ``number``: range, currency, unit, bound, change, counted noun."""
    start, end = number.start, number.end
    low = number.low
    high = number.high
    bound = "range" if low is not None else "exact"
    value: float | None = number.value if low is None else None

    currency, start = _currency_before(doc, start)
    currency = number.currency or currency  # "$A82,615,680": the glued letters say which dollar
    if number.words and number.value == 1 and not _one_is_a_figure(doc, number) and \
            not (number.end + 1 < len(doc) and doc[number.end].lower_ in ("to", "or", "-")):
        return None, end
    if start > 0 and doc[start - 1].lower_ in ("minus", "minus-", "negative"):
        number.value, start = -number.value, start - 1
        value = number.value if low is None else None

    prev = doc[start - 1] if start > 0 else None
    if prev is not None and prev.lower_.rstrip(".") in MONTHS and prev.text[0].isupper() and not currency:
        if end + 1 < len(doc) and doc[end].text in ("-", "–") and doc[end + 1].like_num:
            return None, end + 2  # "August 6-8": one date range
        return None, end  # "March 6": a date
    # a range "5-7", "1,500 to 3,000", "$5 to $7 million"
    second, range_end = _range_after(doc, number)
    opens_range = start > 0 and doc[start - 1].lower_ in ("between", "from")
    if second is not None and (doc[number.end].lower_ != "to" or opens_range or currency or second.scale > 1
                               or _same_kind_after(doc, second)):
        if _is_year(doc, number) and YEAR.fullmatch(doc[second.start].text) and not _same_kind_after(doc, second):
            return None, range_end  # "between 1600 and 1900": years
        if _is_year(doc, number) and not currency and not _same_kind_after(doc, second):
            if doc[number.end].text in ("-", "–"):
                return None, range_end  # "1950-53"
            return None, end  # "rose 60% in 2018 to 3.9 million": a year, then another figure
        first_value = number.value
        if number.scale == 1 and second.scale > 1 and first_value < second.value / second.scale:
            first_value *= second.scale  # "$10 to $15 billion", "four to five thousand"
        if second.value > first_value or opens_range and second.value != first_value:
            low, high = min(first_value, second.value), max(first_value, second.value)
            value, bound, end = None, "range", range_end
            if opens_range:
                start -= 1  # the span reads "between 1,500 and 3,000"
            number = _Number(number.start, second.end, second.value, suffix=second.suffix or number.suffix)
        elif doc[number.end].text in ("-", "–") and second.value <= number.value and second.value < 100:
            return None, range_end  # a score such as "2-2" or "3-1"

    if not currency and low is None and _is_not_a_figure(doc, number, start):
        return None, end
    if not currency and not number.suffix and _looks_like_a_label_number(doc, number, start):
        unit_after, _ = _unit_after(doc, end)
        if unit_after is None:
            return None, end

    # unit or currency after the number
    unit: str | None = None
    if currency:
        unit = currency
        word_currency, after = _match_table(doc, end, CURRENCY_WORDS)
        if word_currency and word_currency in ("dollar",):
            end = after
        elif unit == "dollar" and end < len(doc) and doc[end].text in ("US", "U.S.", "USD"):
            end += 1  # "$31.20 US": the country letters written after the amount
    elif number.fraction:
        unit = "fraction"
    elif number.suffix:
        unit = _unit_from_suffix(number.suffix)
        if unit is None:
            return None, end  # "5G", "A1"-style names
    if unit is None:
        unit, after = _unit_after(doc, end)
        if unit is not None:
            end = after
    age = False
    if unit in TIME_UNITS:
        old_end = _old_after(doc, end)
        if old_end:
            unit, end, age = "year of age" if unit == "year" else f"{unit} of age", old_end, True
    if unit is not None:
        per_unit, after = _per_unit_after(doc, end, money=unit in CURRENCY_NAMES)
        if per_unit and not age and (unit not in TIME_UNITS or per_unit in TIME_UNITS):
            unit = f"{unit} per {per_unit}"
            end = after
    if unit in TIME_UNITS and end < len(doc) and doc[end].lower_ in ("ago", "later", "earlier"):
        return None, end  # a point in time, read by the time-expression extractor
    if unit is not None and low is None:
        span_range = _range_with_units(doc, number, start, end, unit, currency)
        if span_range is not None:
            low, high, end = span_range
            value, bound = None, "range"
            per_unit, after = _per_unit_after(doc, end)
            if per_unit and " per " not in unit:
                unit, end = f"{unit} per {per_unit}", after

    # bound words before and after
    if number.approx and low is None:
        bound = "approx"
    cue, cue_start = _bound_before(doc, start)
    if cue is not None:
        if low is None and not (cue == "exact" and bound == "approx"):  # "only ~45g" stays approximate
            bound = cue
        start = cue_start
    if low is None and end < len(doc):
        tail, tail_end = _bound_after(doc, end)
        if tail:
            bound, end = tail, tail_end

    # what is counted
    counts = counts_text = None
    entity_id = None
    head: Token | None = None
    if unit is None or age or number.fraction:
        head, counted_start = _counted_noun(doc, number, end)
        if head is not None and head.tag_ == "NNP" and not age:
            return None, end  # a number inside a name: "575 Wilbraham Road", "787 Dreamliner"
        if head is not None and head.lemma_.lower() in TIME_UNITS and not age:
            unit, head = head.lemma_.lower(), None  # "50 previous years": a duration
        if head is not None:
            counts = head.lemma_.lower() if head.pos_ != "PROPN" else head.text
            counts_text = doc[counted_start: head.i + 1].text
            entity_id = _entity_for(doc[counted_start: head.i + 1], entities)
    change = _change_of(doc, start, end)
    sign = doc[number.start].text[:1]
    if change is None and sign in "+-" and len(doc[number.start].text) > 1 and \
            (number.start == 0 or doc[number.start - 1].whitespace_):
        change = "up" if sign == "+" else "down"  # "Dow +0.2%", "FTSE -0.6%"

    if unit is None and head is None and low is None and _is_an_age(doc, number):
        unit = "year of age"
    if unit is None and head is None and number.words and number.value < 10 and low is None:
        return None, end  # a bare "two" with nothing counted reads as a pronoun, not a figure

    span = doc[start:end]
    quantity = Quantity(
        text=span.text, start=span.start_char, end=span.end_char, value=value, low=low, high=high,
        unit=unit, counts=counts, bound=bound, entity_id=entity_id, change=change, counts_text=counts_text,
    )
    return quantity, end


PERSON_PRONOUNS = {"he", "she", "i", "you", "we", "they", "who"}


def _is_an_age(doc: Doc, number: _Number) -> bool:
    """"He will be 35", "Maria, who was 10": a bare whole number a person is (or turns)."""
    token = doc[number.end - 1]
    if number.end < len(doc) and doc[number.end].lower_ == "of":
        return False  # "is one of Russia's 12 deputy ministers"
    if number.value != int(number.value) or not 0 < number.value < 120 or token.dep_ not in ("attr", "acomp", "dobj"):
        return False
    verb = token.head
    if verb.lemma_ not in ("be", "turn"):
        return False
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subject is not None and (subject.lower_ in PERSON_PRONOUNS or subject.ent_type_ == "PERSON")


def _one_is_a_figure(doc: Doc, number: _Number) -> bool:
    """"one" is a figure in "one soldier" and "one of the ..."; not in "no one", "one another"."""
    token = doc[number.start]
    if number.start > 0 and doc[number.start - 1].lower_ in ("no", "each", "every", "any", "the", "this", "that",
                                                               "which", "someone", "anyone", "no-"):
        return False
    if number.end < len(doc) and doc[number.end].lower_ in ("another", "day", "time", "way", "thing", "by"):
        return False
    if number.end < len(doc) and doc[number.end].lower_ == "of":
        return True
    return token.dep_ == "nummod" and token.head.pos_ in ("NOUN", "PROPN")


def _currency_before(doc: Doc, start: int) -> tuple[str | None, int]:
    """"$", "US$", "US $", "A$", "€", "RM" right before the number."""
    if start == 0:
        return None, start
    prev = doc[start - 1]
    lower = prev.lower_
    if lower == "$" and start >= 2 and doc[start - 2].text in ("US", "U.S.", "HK", "A", "AU", "C", "NZ", "S"):
        key = doc[start - 2].text.lower().replace("u.s.", "us") + "$"
        return CURRENCY_PREFIXES.get(key, "dollar"), start - 2
    if lower in CURRENCY_PREFIXES and (not prev.is_alpha or prev.is_upper or lower in ("rs",)):
        if lower == "us":
            return None, start
        return CURRENCY_PREFIXES[lower], start - 1
    return None, start


def _range_with_units(doc: Doc, number: _Number, start: int, end: int, unit: str,
                      currency: str | None) -> tuple[float, float, int] | None:
    """"1 per cent to 1.5 per cent", "$800,000 to $1.3 million", "from 208 pounds to 193": a range
    whose ends both carry the unit (or, after "from"/"between", only the first)."""
    if end + 1 >= len(doc):
        return None
    joiner = doc[end].lower_
    opens_range = start > 0 and doc[start - 1].lower_ in ("between", "from")
    if joiner not in ("to", "-", "–") and not (joiner == "and" and start > 0 and doc[start - 1].lower_ == "between"):
        return None
    second_currency, k = _currency_before_at(doc, end + 1)
    if k < len(doc) and doc[k].text in ("US", "HK", "A") and k + 1 < len(doc) and doc[k + 1].text == "$":
        second_currency, k = "dollar", k + 2
    second = _read_number(doc, k)
    if second is None or second.low is not None:
        return None
    if currency:
        if not second_currency:
            return None
        second_unit, after = currency, second.end
    elif second.suffix:
        second_unit, after = _unit_from_suffix(second.suffix), second.end
    else:
        second_unit, after = _unit_after(doc, second.end)
        if second_unit is None and opens_range:
            second_unit = unit
    if second_unit != unit:
        return None
    first = number.value
    if number.scale == 1 and second.scale > 1 and first < second.value / second.scale:
        first *= second.scale
    if first == second.value or (first > second.value and not opens_range):
        return None
    return min(first, second.value), max(first, second.value), after


def _range_after(doc: Doc, number: _Number) -> tuple[_Number | None, int]:
    j = number.end
    if j + 1 >= len(doc):
        return None, j
    joiner = doc[j].lower_
    if joiner not in RANGE_JOINERS and not (joiner == "and" and number.start > 0
                                            and _word_before_cue(doc, number.start) == "between"):
        return None, j
    k = j + 1
    _, k2 = _currency_before_at(doc, k)
    second = _read_number(doc, k2)
    if second is None or second.low is not None:
        return None, j
    return second, second.end


def _word_before_cue(doc: Doc, start: int) -> str:
    k = start - 1
    while k >= 0 and (doc[k].lower_ in CURRENCY_PREFIXES and not doc[k].is_alpha):
        k -= 1
    return doc[k].lower_ if k >= 0 else ""


def _currency_before_at(doc: Doc, k: int) -> tuple[str | None, int]:
    if k < len(doc) and doc[k].lower_ in CURRENCY_PREFIXES and not doc[k].is_alpha:
        return CURRENCY_PREFIXES[doc[k].lower_], k + 1
    return None, k


def _same_kind_after(doc: Doc, second: _Number) -> bool:
    """"1 to 1.5 degrees": a "to" range needs a unit or scale after its second number."""
    unit, _ = _unit_after(doc, second.end)
    return unit is not None or second.suffix is not None


def _is_not_a_figure(doc: Doc, number: _Number, start: int) -> bool:
    """Years, dates, clock times, labels and identifier ages are numbers but not figures."""
    first = doc[number.start]
    text = first.text
    nxt = doc[number.end] if number.end < len(doc) else None
    prev = doc[start - 1] if start > 0 else None
    if ":" in text or (nxt is not None and nxt.lower_ in CLOCK_WORDS):
        return True
    if prev is not None and prev.lower_.rstrip(".") in MONTHS and prev.text[0].isupper():
        return True
    if nxt is not None and nxt.lower_.rstrip(".") in MONTHS and nxt.text[0].isupper() and not number.words:
        return True
    if _is_year(doc, number) and _unit_after(doc, number.end)[0] is None:
        return True
    if number.words or number.suffix:
        return False
    if _is_street_number(doc, number):
        return True
    if prev is not None and prev.lower_ in LABEL_WORDS and (prev.text[0].isupper() or prev.lower_ in
                                                            ("article", "section", "no.", "no", "paragraph")):
        unit, _ = _unit_after(doc, number.end)
        return unit is None
    # "Lang, 20, ..." : an age set off by commas after a name
    if prev is not None and prev.text == "," and start >= 2 and doc[start - 2].pos_ == "PROPN" \
            and nxt is not None and nxt.text in (",", ")") and 0 < number.value < 120 and "." not in text:
        return True
    return False


def _is_street_number(doc: Doc, number: _Number) -> bool:
    """"49 Zorro Ranch Road", "9 E 71st St": a house number before a capitalized street name."""
    words = doc[number.end:number.end + 5]
    for k, token in enumerate(words):
        if token.lower_ in STREET_WORDS and token.text[:1].isupper() and k > 0:
            return True
        if not (token.text[:1].isupper() or re.fullmatch(r"\d+(st|nd|rd|th)", token.text)):
            return False
    return False


def _is_year(doc: Doc, number: _Number) -> bool:
    token = doc[number.start]
    if number.end - number.start != 1 or not YEAR.fullmatch(token.text):
        return False
    if token.ent_type_ in ("DATE", "EVENT", "WORK_OF_ART", "LAW"):
        return True
    prev = doc[number.start - 1].lower_ if number.start > 0 else ""
    nxt = doc[number.end] if number.end < len(doc) else None
    if prev in DATE_PREPOSITIONS or prev in ("a.d.", "ad", "b.c.", "bc"):
        return True
    if number.start > 0 and doc[number.start - 1].pos_ == "PROPN" and doc[number.start - 1].text[:1].isupper():
        return True
    # "1988 horror film", "2020 Escape": a year before a singular noun or a name
    if nxt is None or nxt.tag_ not in ("NNS",) or nxt.is_punct:
        return True
    return False


def _looks_like_a_label_number(doc: Doc, number: _Number, start: int) -> bool:
    """"Game 2", "iPhone 11", "S&P 500", "Kick Six": a number right after (or as part of) a name."""
    first = doc[number.start]
    if number.words and first.text[:1].isupper() and not first.is_sent_start and first.pos_ == "PROPN":
        return True
    if start == 0 or start != number.start:
        return False
    prev = doc[start - 1]
    if prev.lower_ in BOUND_CUES or prev.lower_.rstrip(".") in MONTHS:
        return False
    nxt = doc[number.end] if number.end < len(doc) else None
    signed_after = nxt is not None and nxt.text[:1] in "+-−" and len(nxt.text) > 1 and nxt.text[1].isdigit()
    if prev.pos_ == "PROPN" and any(c.isupper() for c in prev.text) and not prev.is_punct and \
            (signed_after or not (prev.is_sent_start and prev.is_title and prev.ent_type_ == "")):
        return True  # "Stoxx 50 -1.3%": a ticker list names the index before its change
    if re.fullmatch(r"[A-Z]|[A-Z&]{2,5}", prev.text) and not prev.whitespace_ == "" or "&" in prev.text:
        return True  # "S&P 500", "S P 500", "FTSE 100"
    if prev.text[:1].isupper() and any(c.isdigit() for c in prev.text):
        return True
    return False


def _match_table(doc: Doc, j: int, table: dict[str, str]) -> tuple[str | None, int]:
    """Longest multi-word key of ``table`` starting at token ``j``."""
    for width in range(MAX_UNIT_WORDS, 0, -1):
        if j + width > len(doc):
            continue
        words = doc[j: j + width]
        key = " ".join(t.lower_ for t in words)
        if key in table:
            return table[key], j + width
        joined = "".join(t.lower_ for t in words)
        if width > 1 and joined in table and not any(t.whitespace_ for t in words[:-1]):
            return table[joined], j + width
    return None, j


def _unit_from_suffix(suffix: str) -> str | None:
    if suffix in CASED_UNITS:
        return CASED_UNITS[suffix]
    lower = suffix.lower()
    if lower in UNIT_WORDS and (len(suffix) > 1 or suffix.islower() or suffix in ("C", "F", "W", "V")):
        return UNIT_WORDS[lower]
    if lower in CURRENCY_WORDS and (len(suffix) > 1 or suffix == "p"):
        return CURRENCY_WORDS[lower]
    return None


def _unit_after(doc: Doc, j: int) -> tuple[str | None, int]:
    """A measure or currency word after the figure ("87 mph", "15 euros", "10 per cent")."""
    if j >= len(doc):
        return None, j
    k = j
    if doc[k].text == "-" and k + 1 < len(doc):  # "40-yard", "5.2-litre"
        k += 1
    if doc[k].lower_ in ("degrees", "degree") and k + 1 < len(doc) and doc[k + 1].lower_ in ("c", "f", "celsius",
                                                                                          "fahrenheit"):
        return UNIT_WORDS["degrees " + ("celsius" if doc[k + 1].lower_ in ("c", "celsius") else "fahrenheit")], k + 2
    unit, after = _match_table(doc, k, CURRENCY_WORDS)
    if unit is not None and unit not in ("penny", "sen") or (unit and doc[k].lower_ == "sen"):
        after_scale = k > 0 and doc[k - 1].lower_ in SCALES  # "2.5 trillion won" is money, whatever the tagger says
        if doc[k].lower_ in ("won", "rand") and doc[k].pos_ == "VERB" and not after_scale:
            return None, j
        return unit, after
    if doc[k].text in CASED_UNITS:
        return CASED_UNITS[doc[k].text], k + 1
    unit, after = _match_table(doc, k, UNIT_WORDS)
    if unit is None:
        return None, j
    first = doc[k]
    if len(first.text) == 1 and first.is_upper and first.text not in ("C", "F", "W", "V") and after - k == 1:
        return None, j
    spaced = first.idx > doc[k - 1].idx + len(doc[k - 1]) if k > 0 else True
    if first.lower_ in SPACE_AMBIGUOUS_UNITS and after - k == 1 and spaced and not (first.text == "C" or
                                                                                    first.text == "F"):
        return None, j
    if first.lower_ in ("point", "points") and after < len(doc) and doc[after].lower_ in ("of",):
        return None, j
    if first.lower_ in ("pounds", "pound") and k > 0 and after - k == 1:
        if after < len(doc) and doc[after].lower_ == "sterling":
            return "pound sterling", after + 1
        verb = first.head
        while verb.pos_ not in ("VERB", "AUX") and verb.dep_ != "ROOT":
            verb = verb.head
        return ("pound sterling" if verb.lemma_.lower() in MONEY_VERBS else "pound-mass"), after
    return unit, after


def _per_unit_after(doc: Doc, j: int, money: bool = False) -> tuple[str | None, int]:
    """"per barrel", "a year", "/day" after a unit; "a barrel", "an ounce" after money."""
    if j + 1 >= len(doc) or doc[j].lower_ not in PER_WORDS:
        return None, j
    word = doc[j].lower_
    unit, after = _match_table(doc, j + 1, UNIT_WORDS)
    if unit is not None and unit != "percentage":
        if word in ("a", "an") and unit not in TIME_UNITS and not money:
            return None, j
        if after < len(doc) and doc[after].lower_ in ("ago", "earlier", "later", "before", "after", "old"):
            return None, j
        return unit, after
    if (word == "per" or money and word in ("a", "an")) and doc[j + 1].pos_ == "NOUN" and doc[j + 1].tag_ == "NN":
        return doc[j + 1].lemma_.lower(), j + 2
    return None, j


def _old_after(doc: Doc, j: int) -> int | None:
    """End of "-old" / " old" after a time unit ("50 year-old", "six months old")."""
    if j < len(doc) and doc[j].lower_ == "old":
        return j + 1
    if j + 1 < len(doc) and doc[j].text == "-" and doc[j + 1].lower_ == "old":
        return j + 2
    if j < len(doc) and doc[j].lower_ in ("-old",):
        return j + 1
    return None


def _bound_before(doc: Doc, start: int) -> tuple[str | None, int]:
    for width in range(MAX_CUE_WORDS, 0, -1):
        if start - width < 0:
            continue
        key = " ".join(t.lower_ for t in doc[start - width: start])
        if key in BOUND_CUES:
            if key == "some" and start - width > 0 and doc[start - width - 1].lower_ in ("for",):
                continue
            return BOUND_CUES[key], start - width
    return None, start


def _bound_after(doc: Doc, j: int) -> tuple[str | None, int]:
    if j + 1 < len(doc):
        pair = f"{doc[j].lower_} {doc[j + 1].lower_}"
        if pair in ("or more", "or above", "or higher"):
            return "at_least", j + 2
        if pair in ("or less", "or fewer", "or below", "or under"):
            return "at_most", j + 2
        if pair == "or so":
            return "approx", j + 2
    if j < len(doc) and doc[j].text in ("+", "-plus") or (j < len(doc) and doc[j].lower_ == "plus"
                                                          and (j + 1 >= len(doc) or not doc[j + 1].like_num)):
        return "at_least", j + 1
    return None, j


def _counted_noun(doc: Doc, number: _Number, end: int) -> tuple[Token | None, int]:
    """The head noun of what a figure counts, and where its noun phrase starts.

    "3,000 North Korean soldiers" -> soldiers; "one of the best wireless speakers" -> speakers;
    "a 1.2 million-strong military" -> military; "tens of thousands of people" -> people.
    """
    j = end
    if j < len(doc) and doc[j].text == "-" and j + 1 < len(doc) and doc[j + 1].lower_ == "strong":
        j += 2
    elif j < len(doc) and doc[j].lower_ == "-strong":
        j += 1
    if j < len(doc) and (doc[j].lower_ == "of" and (number.words or number.low is not None or number.value < 2)
                         or number.fraction and doc[j].lower_ in SHARE_DETERMINERS):
        j += doc[j].lower_ == "of"
        while j < len(doc) and doc[j].pos_ in ("DET", "PRON") and doc[j].lower_ in (
                "the", "those", "these", "its", "their", "his", "her", "our", "my", "your", "them", "us"):
            j += 1
    k = j
    last_noun: Token | None = None
    while k < len(doc) and k < j + 5:
        token = doc[k]
        if token.pos_ in ("NOUN", "PROPN") and not token.like_num and k + 1 < len(doc) and \
                doc[k + 1].text in ("'s", "’s") and k + 2 < len(doc):
            k += 2  # "two of the world's biggest producers": the possessor is not what is counted
            continue
        if token.pos_ in ("NOUN", "PROPN") and not token.like_num:
            last_noun = token
            if token.tag_ in ("NNS", "NNPS") or token.dep_ not in ("compound", "amod", "nmod"):
                if not (k + 1 < len(doc) and doc[k + 1].pos_ == "NOUN" and token.dep_ == "compound"):
                    break
        elif token.text == "-" and not token.whitespace_ and k + 1 < len(doc) and doc[k + 1].pos_ in (
                "NOUN", "PROPN", "ADJ"):
            pass  # "al-Shabab militants", "first-team players"
        elif token.pos_ in ("ADJ", "VERB") and token.tag_ in ("JJ", "JJR", "JJS", "VBN", "VBG") or token.text == "-":
            if last_noun is not None:
                break
        elif token.text in ("'s",) or token.pos_ == "ADV" and token.lower_ in ("more",):
            pass
        else:
            break
        k += 1
    if last_noun is None:
        return None, j
    if last_noun.pos_ == "PROPN" and last_noun.ent_type_ in ("GPE", "ORG", "PERSON", "DATE") and \
            last_noun.tag_ != "NNPS":
        return None, j
    if last_noun.lower_ in MONTHS:
        return None, j
    first_noun = next((t for t in doc[j: last_noun.i] if t.pos_ == "NOUN"), None)
    if first_noun is not None and first_noun.tag_ == "NN" and last_noun.tag_ == "NN" and number.value != 1 \
            and not number.words or first_noun is not None and first_noun.tag_ == "NN" and last_noun.tag_ == "NN" \
            and number.value > 1:
        return first_noun, j  # "a 12 page document", "a 3 cylinder engine": the number sizes the first noun
    return last_noun, j


def _entity_for(span: SpacySpan, entities: list[Entity]) -> str | None:
    """The entity with a mention inside the counted noun phrase ("North Korean" in "North Korean soldiers")."""
    for entity in entities:
        for mention in entity.mentions:
            if mention.start < span.end_char and mention.end > span.start_char:
                return entity.id
    return None


def _change_of(doc: Doc, start: int, end: int) -> str | None:
    """"up"/"down" when the figure is the size of a change: "rose 5%", "fell by 3", "up 19 cents"."""
    prev = doc[start - 1] if start > 0 else None
    if prev is None:
        return None
    if prev.lower_ == "by" and start >= 2:
        verb = prev.head if prev.head.i < prev.i else doc[start - 2]
        return _direction(verb) or _direction(doc[start - 2])
    if prev.lower_ in ("to", "from", "at", "of", "than", "with") and prev.lower_ != "of":
        return None
    if prev.lower_ == "of" and start >= 2 and _direction(prev.head) and prev.head.pos_ == "NOUN":
        return _direction(prev.head)
    if prev.dep_ == "prt":
        return None  # "gave up 517 yards"
    return _direction(prev)


def _direction(token: Token) -> str | None:
    lemma = token.lemma_.lower()
    if lemma in UP_WORDS or token.lower_ in UP_WORDS:
        return "up"
    if lemma in DOWN_WORDS or token.lower_ in DOWN_WORDS:
        return "down"
    return None
