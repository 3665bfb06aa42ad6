"""Time expressions: find them with the rules of ``times_rules`` and normalize them to TIMEX3.

Relative expressions ("on Wednesday", "last week", "a decade ago", "June of this year")
resolve against the publication date. Weekday names follow news usage: the most recent
such day, unless the governing verb is future or present ("will meet on Friday", "meet
Monday"); a day ahead of a past moment ("said on Tuesday they were set to arrive on
Wednesday") is the next such day after the one named before it. Without a publication
date relative values stay unresolved (``XXXX`` forms) and are never guessed.

After the rules have read their matches, the longest non-overlapping ones are kept and
three small passes finish them: modifiers on the left ("early", "mid-", "more than",
"early to mid-"), interval bounds from prepositions ("since August 2023" starts an
interval, "by December" ends one), and clock times joined to their day ("3 p.m. Friday").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from sitroom.model import Extraction, TimeExpr
from sitroom.nlp.times_calendar import parse_anchor, weekday_near
from sitroom.nlp.times_rules import (
    AMOUNT_MOD,
    AMOUNT_MODS,
    COMPILED_RULES,
    COMPILED_TRIGGERS,
    FUTURE,
    FUTURE_IN_PAST,
    MOD_DAYS,
    MOD_RANGE,
    PAST,
    POINT_MOD,
    PRESENT,
    POINT_MODS,
    SIGNAL,
    Reading,
)

FUTURE_AUXILIARIES = {"will", "'ll", "shall", "wo", "would"}
# Verbs whose infinitive complement lies ahead: "is scheduled to meet on Friday".
FUTURE_GOVERNORS = {"schedule", "plan", "expect", "due", "set", "intend", "prepare", "aim", "hope", "go"}
SIGNAL_BOUNDS = {
    "since": ("ON_OR_AFTER", "start"),
    "from": (None, "start"),
    "after": ("AFTER", "start"),
    "by": ("ON_OR_BEFORE", "end"),
    "until": ("ON_OR_BEFORE", "end"),
    "till": ("ON_OR_BEFORE", "end"),
    "through": ("ON_OR_BEFORE", "end"),
    "before": ("BEFORE", "end"),
}
AROUND = re.compile(r"\b(?:around|approximately)\s+$", re.IGNORECASE)
# "the third-quarter results", "the 30-day limit": the article belongs to the noun, not the time.
ADJECTIVE_WITH_ARTICLE = re.compile(r"(?P<article>the\s+)(?:\S+-\S+|year-(?:earlier|ago))", re.IGNORECASE)
CLOCK_JOINER = re.compile(r"\s*(?:,|on|at|of)?\s*", re.IGNORECASE)


@dataclass
class Candidate:
    start: int
    end: int
    reading: Reading
    rule: str


class TenseContext:
    """The anchor date and, on demand, the tense of the verb that governs a stretch of text."""

    def __init__(self, doc: Doc, anchor: dt.date | None) -> None:
        self.doc = doc
        self.anchor = anchor

    def tense(self, start: int, end: int) -> str | None:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        if span.end < len(self.doc) and self.doc[span.end].tag_ == "POS":
            return None  # "Wednesday's ruling": a noun's date, not the clause's
        return verb_tense(governing_verb(span.root))


def governing_verb(token: Token) -> Token | None:
    """The nearest verb above ``token`` in the parse (the token itself when it is one)."""
    for _ in range(6):
        if token.pos_ in ("VERB", "AUX"):
            return token
        if token.head.i == token.i:
            return None
        token = token.head
    return None


def verb_tense(verb: Token | None) -> str | None:
    """The tense of a verb as far as dates go.

    "future" for will/shall and "is scheduled to ...", "future_in_past" for "would" and
    "was set to ...", "past" for past forms, "present" for present forms, else None.
    """
    if verb is None:
        return None
    for child in verb.children:
        if child.dep_ in ("aux", "auxpass") and child.lower_ in FUTURE_AUXILIARIES:
            return FUTURE_IN_PAST if child.lower_ == "would" else FUTURE
    if any(child.dep_ == "aux" and child.lower_ == "to" for child in verb.children):
        governor = verb.head
        if governor.i != verb.i and governor.lemma_.lower() in FUTURE_GOVERNORS:
            # "is set to arrive Wednesday" lies ahead; "were set to arrive" was ahead of a past moment
            return FUTURE_IN_PAST if verb_tense(governor) == PAST else FUTURE
        if governor.i != verb.i:
            return verb_tense(governor) if governor.pos_ in ("VERB", "AUX") else None
    if verb.tag_ in ("VBD", "VBN"):
        if verb.tag_ == "VBN" and any(c.lower_ in FUTURE_AUXILIARIES for c in verb.children):
            return FUTURE
        return PAST
    if verb.tag_ == "VBG" and any(c.lemma_ == "be" and c.tag_ == "VBD" for c in verb.children):
        return PAST
    if any(c.dep_ in ("aux", "auxpass") and c.tag_ == "VBD" for c in verb.children):
        return PAST
    if verb.tag_ in ("VBZ", "VBP") or any(c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP") for c in verb.children):
        return PRESENT
    return None


def windows(text: str, trigger: re.Pattern, before: int, after: int) -> list[tuple[int, int]]:
    """The stretches of text within reach of a trigger, overlapping ones merged."""
    merged: list[tuple[int, int]] = []
    for hit in trigger.finditer(text):
        low, high = max(0, hit.start() - before), min(len(text), hit.end() + after)
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], high)
        else:
            merged.append((low, high))
    return merged


def rule_matches(text: str, lowered: str, name: str, pattern: re.Pattern, cache: dict) -> list[re.Match]:
    """The matches of one rule, searched only near its trigger when it has one."""
    if name not in COMPILED_TRIGGERS:
        return list(pattern.finditer(text))
    trigger, before, after, cased = COMPILED_TRIGGERS[name]
    if trigger not in cache:
        cache[trigger] = windows(text if cased else lowered, trigger, before, after)
    found = []
    for low, high in cache[trigger]:
        # A match that runs into the end of a window may be cut short: the window was too small.
        found += [m for m in pattern.finditer(text, low, high) if m.end() < high or high == len(text)]
    return found


def find_candidates(text: str, ctx: TenseContext) -> list[Candidate]:
    """Every rule match that reads as a time expression."""
    found = []
    cache: dict = {}
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters lower-case to two; keep offsets exact
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    for name, pattern, handler in COMPILED_RULES:
        for match in rule_matches(text, lowered, name, pattern, cache):
            reading = handler(match, ctx)
            if reading is None or match.end() <= match.start():
                continue
            start = match.start()
            if (adjective := ADJECTIVE_WITH_ARTICLE.fullmatch(match[0])) is not None:
                start += adjective.end("article")
            found.append(Candidate(start, match.end(), reading, name))
    return found


def longest_first(candidates: list[Candidate]) -> list[Candidate]:
    """The longest matches that do not overlap, in text order."""
    kept: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    for candidate in sorted(candidates, key=lambda c: (c.start - c.end, c.start)):
        if all(candidate.end <= s or candidate.start >= e for s, e in taken):
            kept.append(candidate)
            taken.append((candidate.start, candidate.end))
    return sorted(kept, key=lambda c: c.start)


def plausible(candidate: Candidate, doc: Doc) -> bool:
    """Drop readings the parse contradicts: "May" the modal, "2000 troops" the count."""
    if candidate.rule == "holiday":
        span = doc.char_span(candidate.start, candidate.end, alignment_mode="expand")
        return span is None or span.root.dep_ != "compound"  # "a Christmas gift" names no day
    if candidate.rule in ("year", "month_year"):
        span = doc.char_span(candidate.start, candidate.end, alignment_mode="expand")
        if span is None:
            return True
        if candidate.rule == "month_year" and span[0].tag_ == "MD":
            return False
        if candidate.rule == "year" and span.end < len(doc):
            following = doc[span.end]
            if following.tag_ == "NNS" or following.lower_ in ("percent", "%"):
                return False
            if span[0].i > 0 and doc[span[0].i - 1].lower_ in ("$", "us$", "no.", "number", "route", "flight"):
                return False
    return True


def mod_interval(value: str, first: str, second: str) -> tuple[str | None, str | None]:
    """The interval of "early to mid-October" (days) or "early to mid-2024" (months)."""
    first_low, _ = MOD_DAYS[first]
    _, second_high = MOD_DAYS[second]
    if re.fullmatch(r"(?:\d{4}|XXXX)-\d\d", value):
        year, month = int(value[:4]) if value[0] != "X" else 2001, int(value[5:])
        last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
        return f"{value}-{first_low:02d}", f"{value}-{(second_high or last):02d}"
    if re.fullmatch(r"\d{4}|XXXX", value):
        months = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
        return f"{value}-{months[first][0]:02d}", f"{value}-{months[second][1]:02d}"
    return None, None


def add_modifiers(candidate: Candidate, text: str) -> None:
    """Take in "early", "mid-", "the end of", "more than", "early to mid-" on the left."""
    reading = candidate.reading
    before = text[max(0, candidate.start - 40) : candidate.start]
    if reading.point and reading.type in ("DATE", "TIME") and not reading.clock:
        if (found := MOD_RANGE.search(before)) is not None:
            first, second = found["first"].lower(), found["second"].lower()
            start, end = mod_interval(reading.value, first, second)
            if start is not None:
                reading.interval_start, reading.interval_end = start, end
                candidate.start -= len(before) - found.start()
                return
        if (found := POINT_MOD.search(before)) is not None and reading.mod is None:
            word = re.sub(r"^the\s+|\s+", " ", found["word"].lower()).strip()
            reading.mod = POINT_MODS.get(word)
            candidate.start -= len(before) - found.start()
            return

    if reading.type == "TIME" or reading.day:
        if (found := AROUND.search(before)) is not None:
            reading.mod = reading.mod or "APPROX"
            candidate.start -= len(before) - found.start()
            return
    if reading.type == "DURATION" or candidate.rule == "ago":
        if (found := AMOUNT_MOD.search(before)) is not None:
            word = re.sub(r"\s+", " ", found["word"].lower())
            if word in ("over", "under") and text[candidate.start : candidate.start + 4].lower() == "the ":
                return
            reading.mod = AMOUNT_MODS[word]
            candidate.start -= len(before) - found.start()


def add_bounds(candidate: Candidate, text: str) -> None:
    """"since August 2023" starts an interval, "by December" ends one (the preposition stays out)."""
    reading = candidate.reading
    if not reading.point or reading.type not in ("DATE", "TIME") or reading.interval_start or reading.interval_end:
        return
    found = SIGNAL.search(text[max(0, candidate.start - 12) : candidate.start])
    if found is None:
        return
    mod, side = SIGNAL_BOUNDS[found["word"].lower()]
    if reading.mod is None:
        reading.mod = mod
    if side == "start":
        reading.interval_start = reading.value
    else:
        reading.interval_end = reading.value


def join_clock_times(candidates: list[Candidate], text: str) -> list[Candidate]:
    """"3 p.m. Friday", "Friday at 3 p.m.": one TIME on that day."""
    joined: list[Candidate] = []
    for candidate in candidates:
        previous = joined[-1] if joined else None
        if previous is not None and CLOCK_JOINER.fullmatch(text[previous.end : candidate.start]):
            clock, day = (previous, candidate) if previous.reading.clock else (candidate, previous)
            if clock.reading.clock and day.reading.day and not day.reading.clock:
                value = day.reading.value + clock.reading.clock
                reading = Reading("TIME", value, mod=day.reading.mod or clock.reading.mod)
                joined[-1] = Candidate(previous.start, candidate.end, reading, "clock_day")
                continue
        joined.append(candidate)
    return joined


def resolve_from_reference(candidates: list[Candidate], doc: Doc) -> None:
    """"told reporters on Tuesday that troops were set to arrive on Wednesday": a weekday ahead
    of a past moment is the next such day after the day named before it in the sentence."""
    for index, candidate in enumerate(candidates):
        if candidate.reading.weekday is None or not candidate.reading.shifted:
            continue
        span = doc.char_span(candidate.start, candidate.end, alignment_mode="expand")
        if span is None:
            continue
        sentence_start = span.sent.start_char if doc.has_annotation("SENT_START") else 0
        for earlier in reversed(candidates[:index]):
            if earlier.start < sentence_start:
                break
            reference = parse_anchor(earlier.reading.value) if re.fullmatch(r"\d{4}-\d\d-\d\d", earlier.reading.value[:10]) else None
            if reference is not None:
                day = weekday_near(reference, candidate.reading.weekday, future=True)
                candidate.reading.value = day.isoformat() + candidate.reading.value[10:]
                break


def extract_times(doc: Doc, found: Extraction) -> list[TimeExpr]:
    """The TIMEX3 time expressions of one parsed document, in text order."""
    text = found.document.text or doc.text  # the text the doc was parsed from
    ctx = TenseContext(doc, parse_anchor(found.document.published))
    candidates = [c for c in longest_first(find_candidates(text, ctx)) if plausible(c, doc)]
    for candidate in candidates:
        add_modifiers(candidate, text)
        add_bounds(candidate, text)
    if ctx.anchor is not None:
        resolve_from_reference(candidates, doc)
    candidates = join_clock_times(candidates, text)
    return [
        TimeExpr(
            text=text[c.start : c.end],
            start=c.start,
            end=c.end,
            type=c.reading.type,  # type: ignore[arg-type]
            value=c.reading.value,
            mod=c.reading.mod,
            interval_start=c.reading.interval_start,
            interval_end=c.reading.interval_end,
        )
        for c in candidates
    ]
