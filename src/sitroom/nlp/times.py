"""Time expressions: find them with the rules of ``times_rules`` and normalize them to TIMEX3.

Relative expressions ("on Wednesday", "last week", "a decade ago", "June of this year")
resolve against the publication date, by the tense and aspect of the verb that governs
them. Weekday names follow news usage: the most recent such day for a past verb ("said
Thursday", "footage released Thursday"), the next one for a future verb ("will meet on
Monday", "is expected on Tuesday", "could move troops as soon as Wednesday"), the nearest
one for a present verb ("Medvedev's remarks Sunday again raise ..." the day before,
"Orban goes to Moscow on Tuesday" the day after); a day ahead of a past moment ("said on
Tuesday they were set to arrive on Wednesday", "ahead of Wednesday's hearing") is the next
such day after the one named before it. A month without a year is the nearest such month,
moved back for a past verb and ahead for a future one ("the vote is to take place from 3
to 17 October" in April is this October); a day that recurs each year ("celebrated Victory
Day on May 9 up until 2013") keeps no year. Without a publication date relative values
stay unresolved (``XXXX`` forms) and are never guessed.

After the rules have read their matches, the longest non-overlapping ones are kept, less
those that are not times of the story: titles of shows and publications (ABC's "This
Week", "the Sunday Times") and site furniture ("Sign up to our free daily newsletter").
Three small passes finish them: modifiers on the left ("early", "mid-", "more than",
"early to mid-"), interval bounds from prepositions ("since August 2023" starts an
interval, "by December" ends one), and clock times joined to their day ("3 p.m. Friday",
"11:00 a.m. ET Friday", "21:05 23/08/2016").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from sitroom.model import Extraction, TimeExpr
from sitroom.nlp.doc_text import doc_text
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
    MONTHS,
    PAST,
    POINT_MOD,
    PRESENT,
    POINT_MODS,
    SIGNAL,
    WEEKDAYS,
    Reading,
    writes_day_first,
)

FUTURE_AUXILIARIES = {"will", "'ll", "shall", "wo", "would"}
# Verbs whose infinitive complement lies ahead: "is scheduled to meet on Friday", and "be"
# itself: "the vote is to take place from 3 to 17 October".
FUTURE_GOVERNORS = {
    "schedule", "plan", "expect", "due", "set", "intend", "prepare", "aim", "hope", "go", "slate", "be"
}  # fmt: skip
# Participles that look ahead without an infinitive: "is expected on Tuesday", "are set for
# ... Friday", "as expected on Tuesday" (not "set up", nor "set on Monday").
FUTURE_PARTICIPLES = {"schedule", "plan", "expect", "set", "slate"}
# Modals that put a bare verb ahead of the report: "could move troops as soon as Wednesday"
# ("could have moved" is past).
FUTURE_MODALS = {"could", "may", "might", "can", "should", "must"}
# Verb forms that stand for a noun or a preposition, not a clause: "a Supreme Council ...
# meeting on Thursday" (a gerund as object), "including probably on Tuesday".
NOMINAL_DEPS = {"pobj", "dobj", "nsubj", "nsubjpass", "compound", "appos", "attr", "poss", "npadvmod"}
# Verbs that name a day for what recurs on it each year, and words that make the naming
# habitual: "Ukraine celebrated Victory Day on May 9 up until 2013", "a state holiday that
# Russia celebrates loudly on May 9". Such a date keeps no year (XXXX-05-09).
ANNUAL_VERBS = {"celebrate", "commemorate", "observe", "mark", "call", "name", "designate", "honor", "honour"}
HABITUAL_WORDS = {
    "since", "until", "till", "annually", "yearly", "traditionally", "usually", "always", "every", "each", "rather",
    "instead",
}  # fmt: skip
HOLIDAY_NOUNS = {"holiday", "day", "date", "tradition", "festival"}
# Words between a verb and its date: "said on Sunday", "signed the legislation late Tuesday".
SKIPPED_BEFORE = {"on", "early", "late"}
LEAD_UP = re.compile(r"\b(?:lead|run)[\s-]*up\s*$", re.IGNORECASE)
# Subordinating words after which the present tense refers ahead, when the main clause is
# present or future: "there are months left before G20 leaders meet in September".
TIME_CONDITION_MARKS = {"before", "when", "until", "till", "once", "after", "if", "unless"}
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
# Named things that may hold a time word: "the Sunday Times", "the Today's WorldView newsletter".
NAME_LABELS = {"ORG", "WORK_OF_ART", "PERSON", "FAC", "PRODUCT"}
MONTH_RULES = {"month_day", "day_month", "month_year", "relative_month"}
# A title in quotes among other capitalised words: “This Week”, "Sunday Morning Futures".
QUOTED_BEFORE = re.compile(r"[\"“‘«](?:[A-Z][\w’'-]*\s+)*$")
QUOTED_AFTER = re.compile(r"(?:\s+[A-Z][\w’'-]*)*[,.]?[\"”’»]")
CAPITALISED = re.compile(r"[A-Z][\w’'-]*")
POSSESSIVE_BEFORE = re.compile(r"(?:'s|’s|s'|s’)\s+$")
MEDIA_NOUN_AFTER = re.compile(
    r"[’'\"”]?\s+(?:show|programme|program|podcast|newsletter|broadcast|bulletin)\b", re.IGNORECASE
)
# Site furniture around a story, not its times: newsletter sign-ups ("Sign up to First
# Edition, our free daily newsletter", "skip past newsletter promotion ... weekly
# newsletter"), "NEW You can now listen to Fox News articles!", "You're reading an excerpt
# from the Today's WorldView newsletter", copyright lines. A time on such a line is dropped.
BOILERPLATE_LINE = re.compile(
    r"^\W*(?:sign\s+up\b|subscribe\b|copyright\b|©|newsletters?\W*\w*\W*$)"
    r"|\b(?:sign\s+up|subscribe)\b.*\bnewsletter|\bnewsletter\b.*\b(?:sign\s+up|subscribe)\b"
    r"|\breading\s+an\s+excerpt\s+from\b|\byou\s+can\s+now\s+listen\s+to\b",
    re.IGNORECASE,
)
BOILERPLATE_CUE = re.compile(r"sign\s+up|subscribe|copyright|©|newsletter|excerpt|listen", re.IGNORECASE)
LINE = re.compile(r"[^\n]+")


@dataclass
class Candidate:
    start: int
    end: int
    reading: Reading
    rule: str


class TenseContext:
    """The anchor date, the document's date order and, on demand, the tense of the verb that
    governs a stretch of text."""

    def __init__(self, doc: Doc, anchor: dt.date | None, text: str | None = None) -> None:
        self.doc = doc
        self.anchor = anchor
        self.text = doc_text(doc) if text is None else text
        self._day_first: bool | None = None

    @property
    def day_first(self) -> bool:
        """Whether the document writes numeric dates day first (read once, when first asked)."""
        if self._day_first is None:
            self._day_first = writes_day_first(self.text)
        return self._day_first

    def span(self, start: int, end: int) -> Span | None:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return span if span is not None and len(span) > 0 else None

    def tense(self, start: int, end: int) -> str | None:
        span = self.span(start, end)
        if span is None:
            return None
        if looks_ahead_of(span.root):
            return FUTURE_IN_PAST  # "ahead of an event on Monday": after the clause's own time
        if span.end < len(self.doc) and self.doc[span.end].tag_ == "POS":
            return None  # "Wednesday's ruling": a noun's date, not the clause's
        before = verb_before(span)
        if before is not None and before.tag_ == "VBD" and before.lemma_.lower() not in FUTURE_GOVERNORS:
            return PAST  # "said Sunday Israel will continue ...": the parse may hang the day on "continue"
        return verb_tense(governing_verb(span.root))

    def annual(self, start: int, end: int) -> bool:
        """Whether a month and day name a day that recurs each year (see ``ANNUAL_VERBS``)."""
        span = self.span(start, end)
        verb = governing_verb(span.root) if span is not None else None
        if verb is None or verb.lemma_.lower() not in ANNUAL_VERBS:
            return False
        clause = list(verb.subtree)
        if any(t.lower_ == "anniversary" for t in clause):
            return False  # "celebrates the 31st anniversary on August 24": one year's
        if verb.dep_ == "relcl" and verb.head.lemma_.lower() in HOLIDAY_NOUNS:
            return True
        return any(t.lower_ in HABITUAL_WORDS for t in clause)


def governing_verb(token: Token) -> Token | None:
    """The nearest verb above ``token`` in the parse (the token itself when it is one),
    passing over verb forms that act as nouns or prepositions (``NOMINAL_DEPS``)."""
    for _ in range(8):
        if token.pos_ in ("VERB", "AUX") and not acts_as_noun(token):
            return token
        if token.head.i == token.i:
            return None
        token = token.head
    return None


def acts_as_noun(token: Token) -> bool:
    """"meeting" in "ahead of a ... meeting on Thursday", "including" in "including on Tuesday"."""
    return (token.tag_ == "VBG" and token.dep_ in NOMINAL_DEPS) or token.dep_ == "prep"


def verb_before(span: Span) -> Token | None:
    """The token just before a date, past "on", "early" and "late" ("said on Sunday")."""
    i = span.start - 1
    while i >= 0 and span.doc[i].lower_ in SKIPPED_BEFORE:
        i -= 1
    return span.doc[i] if i >= 0 and span.doc[i].pos_ in ("VERB", "AUX") else None


def looks_ahead_of(token: Token) -> bool:
    """A date inside "ahead of ..." or "in the lead-up / run-up to ..." (up to its verb)."""
    for _ in range(8):
        if token.head.i == token.i or token.pos_ in ("VERB", "AUX"):
            return False
        token = token.head
        if token.lower_ == "ahead":
            return True
        if token.lower_ == "to" and LEAD_UP.search(token.doc[max(0, token.i - 4) : token.i].text):
            return True
    return False


def clause_verb(token: Token) -> Token | None:
    """The verb of the clause above ``token``, past participles that only describe a noun
    ("several months left for diplomacy") aside."""
    verb = governing_verb(token)
    for _ in range(4):
        if verb is None or not (verb.tag_ == "VBN" and verb.dep_ in ("acl", "amod") and verb.head.i != verb.i):
            return verb
        verb = governing_verb(verb.head)
    return verb


def looks_ahead_to(governor: Token, verb: Token) -> bool:
    """Whether a verb's to-infinitive lies ahead: "scheduled to meet", "plans to use", and
    "is to take place" (be with the infinitive as its complement, not "the third cyclone to
    affect")."""
    lemma = governor.lemma_.lower()
    return lemma in FUTURE_GOVERNORS and (lemma != "be" or verb.dep_ == "xcomp")


def participle_looks_ahead(verb: Token) -> bool:
    """"is expected on Tuesday", "are set for ... Friday", "as expected on Tuesday"."""
    if verb.tag_ != "VBN" or verb.lemma_.lower() not in FUTURE_PARTICIPLES:
        return False
    children = list(verb.children)
    if any(c.dep_ == "prt" for c in children):
        return False  # "set up"
    return any(
        c.dep_ == "auxpass" or c.dep_ == "xcomp" or (c.dep_ == "prep" and c.lower_ == "for") or c.lower_ == "as"
        for c in children
    )


def verb_tense(verb: Token | None, depth: int = 0) -> str | None:
    """The tense of a verb as far as dates go.

    "future" for will/shall, "is scheduled to ...", "is to ...", "is expected on ..." and
    "could/may ..."; "future_in_past" for "would", "was set to ..." and "announced plans to
    ..."; "past" for past forms, "present" for present forms; a gerund or bare verb without
    a tense of its own takes the tense of the clause above it ("announced his biggest
    escalation since invading Ukraine on Feb 24" is past); else None.
    """
    if verb is None or depth > 4:
        return None
    children = list(verb.children)
    for child in children:
        if child.dep_ in ("aux", "auxpass") and child.lower_ in FUTURE_AUXILIARIES:
            return FUTURE_IN_PAST if child.lower_ == "would" else FUTURE
    past_aux = any(c.dep_ in ("aux", "auxpass") and c.tag_ == "VBD" for c in children)
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in children) and verb.head.i != verb.i:
        return infinitive_tense(verb, depth)
    if participle_looks_ahead(verb):
        if any(c.dep_ == "auxpass" for c in children) or verb.head.i == verb.i:
            return FUTURE_IN_PAST if past_aux else FUTURE
        return ahead_of_clause(verb.head, depth)  # "elections set for February were delayed"
    modals = {c.lower_ for c in children if c.dep_ == "aux" and c.tag_ == "MD"}
    perfect = any(c.lemma_ == "have" and c.dep_ == "aux" for c in children)
    if modals & FUTURE_MODALS and verb.tag_ == "VB" and not perfect:  # "could move", not "could have moved"
        return FUTURE
    if verb.tag_ in ("VBD", "VBN"):
        if verb.tag_ == "VBN" and any(c.lower_ in FUTURE_AUXILIARIES for c in children):
            return FUTURE
        return PAST
    if past_aux or (verb.tag_ == "VBG" and any(c.lemma_ == "be" and c.tag_ == "VBD" for c in children)):
        return PAST
    if verb.tag_ in ("VBZ", "VBP") or any(c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP") for c in children):
        return present_tense(verb, depth)
    if verb.tag_ in ("VBG", "VB") and not modals and verb.head.i != verb.i:
        return verb_tense(governing_verb(verb.head), depth + 1)
    return None


def infinitive_tense(verb: Token, depth: int) -> str | None:
    """A to-infinitive's tense: ahead when its governor looks ahead ("is set to arrive
    Wednesday"; "were set to arrive" was ahead of a past moment), else its governor's."""
    governor = verb.head
    if looks_ahead_to(governor, verb):
        return ahead_of_clause(governor, depth)
    return verb_tense(governor, depth + 1) if governor.pos_ in ("VERB", "AUX") else None


def ahead_of_clause(token: Token, depth: int) -> str:
    """Ahead of the time of the clause of ``token``: future, or future-in-past when that
    clause is past ("announced plans to use ...", "elections set for February were delayed")."""
    above = verb_tense(token if token.pos_ in ("VERB", "AUX") else governing_verb(token), depth + 1)
    return FUTURE_IN_PAST if above in (PAST, FUTURE_IN_PAST) else FUTURE


def present_tense(verb: Token, depth: int) -> str:
    """Present, or future in a clause of time or condition under a present or future one:
    English puts what lies ahead in the present after "before", "when", "if" ("before G20
    leaders meet in September", "when he addresses the summit on Monday")."""
    marked = any(c.dep_ == "mark" and c.lower_ in TIME_CONDITION_MARKS for c in verb.children)
    if marked and verb.head.i != verb.i and verb_tense(clause_verb(verb.head), depth + 1) in (PRESENT, FUTURE):
        return FUTURE
    return PRESENT


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


def in_a_name(candidate: Candidate, text: str, names: list[tuple[int, int, str]]) -> bool:
    """A time word inside a longer name the entity recognizer found ("the Sunday Times",
    "Apple Daily"), or a month that is a person's name ("Clifford May", "May said").

    Digits stay times ("the 2023 Eurovision"), and so do months in other names ("the
    Axios/Ipsos March survey").
    """
    if any(c.isdigit() for c in text[candidate.start : candidate.end]):
        return False
    size = candidate.end - candidate.start
    if candidate.rule in MONTH_RULES:
        return any(s <= candidate.start and candidate.end <= e and label == "PERSON" for s, e, label in names)
    return any(s <= candidate.start and candidate.end <= e and e - s > size for s, e, _ in names)


def a_title(candidate: Candidate, text: str) -> bool:
    """ABC's "This Week", BBC Radio 4's Today programme: a capitalised time phrase that names
    a show or a publication.

    Every word of it capitalised, and either inside quotes among other capitalised words
    ("This Week," with its comma; “Sunday Morning Futures”), or, with a word that is not
    capitalised anyway (not a weekday or month name: "Putin's Friday speech" is a date),
    after a possessive or before a media noun ("show", "programme"). A quoted phrase in
    lower case (deliveries to start 'this week') and one opening a quote ("This week, we
    ...") stay times.
    """
    words = re.findall(r"[^\W\d_]+", text[candidate.start : candidate.end])
    if not words or not all(word[0].isupper() for word in words):
        return False
    before = QUOTED_BEFORE.search(text, max(0, candidate.start - 80), candidate.start)
    after = QUOTED_AFTER.match(text, candidate.end, candidate.end + 80)
    if before is not None and after is not None and len(words) + len(CAPITALISED.findall(before[0] + after[0])) >= 2:
        return True
    if all(word[:3].lower() in WEEKDAYS or word[:3].lower() in MONTHS for word in words):
        return False
    return (
        POSSESSIVE_BEFORE.search(text, max(0, candidate.start - 6), candidate.start) is not None
        or MEDIA_NOUN_AFTER.match(text, candidate.end) is not None
    )


def boilerplate_lines(text: str) -> list[tuple[int, int]]:
    """The lines of a text that are site furniture (``BOILERPLATE_LINE``), as (start, end)."""
    if BOILERPLATE_CUE.search(text) is None:
        return []
    return [line.span() for line in LINE.finditer(text) if BOILERPLATE_LINE.search(line[0])]


def of_the_story(candidate: Candidate, text: str, names: list[tuple[int, int, str]], furniture: list[tuple[int, int]]) -> bool:
    """Not a title, a name or site furniture: a time the story itself gives."""
    if any(start <= candidate.start < end for start, end in furniture):
        return False
    return not (in_a_name(candidate, text, names) or a_title(candidate, text) or a_periodical(candidate, text))


# "the British weekly", "writes the weekly", "a Polish daily": the adverb of frequency as the
# noun for a publication. Before it an article or a possessive, perhaps with capitalised words;
# after it no lower-case word (that would make it an adjective: "the weekly meeting").
PERIODICAL_WORDS = {"daily", "weekly", "monthly", "quarterly", "biweekly", "fortnightly"}
PERIODICAL_BEFORE = re.compile(r"\b(?:the|a|an|this|that|its|their|his|her|our)\s+(?:[A-Z][\w’'-]*\s+)*$|['’]s\s+$",
                               re.IGNORECASE)
PERIODICAL_AFTER = re.compile(r"\s+[a-z]")


def a_periodical(candidate: Candidate, text: str) -> bool:
    """A frequency word that names a newspaper or magazine, not how often something happens."""
    if text[candidate.start : candidate.end].lower() not in PERIODICAL_WORDS:
        return False
    return (PERIODICAL_BEFORE.search(text, max(0, candidate.start - 60), candidate.start) is not None
            and PERIODICAL_AFTER.match(text, candidate.end) is None)


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
    text = found.document.text or doc_text(doc)  # the text the doc was parsed from
    ctx = TenseContext(doc, parse_anchor(found.document.published), text)
    names = [(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in NAME_LABELS]
    furniture = boilerplate_lines(text)
    candidates = [
        c
        for c in longest_first(find_candidates(text, ctx))
        if plausible(c, doc) and of_the_story(c, text, names, furniture)
    ]
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
