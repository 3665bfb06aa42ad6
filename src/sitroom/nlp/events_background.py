"""Background history: events a report tells as context, not as news.

"If you remember in 1950, our secretary of state said ... Several months later, North Korea
invaded" in a 2024 interview is the Korean War, not a new invasion. Such an event is marked
``background``: it keeps its own time expression and is never dated by the report. An event
is background when

- its own date ends more than a year before the report's publication ("the 2013 agreement");
- it is told in the past perfect outside reported speech ("Russia had annexed Crimea"), the
  narrator stepping back behind the story's time; or
- it is told in the past and placed relative to the story's own time ("later", "then",
  "the following year") while the nearest date before it, within a few sentences, ends more
  than a year before the report.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from spacy.tokens import Token

# A calendar TIMEX3 value: year, then month, week or quarter, then day.
VALUE = re.compile(r"^(\d{4})(?:-(?:(\d{2})|W(\d{2})|Q([1-4]))(?:-(\d{2}))?)?")
YEAR_BEFORE = timedelta(days=365)
NARRATIVE_ADVERBS = {"later", "afterwards", "afterward", "subsequently", "thereafter", "then", "eventually", "soon"}
NARRATIVE_TIME_WORDS = re.compile(r"\b(later|earlier|after|following|next|that|same|previous|then)\b", re.IGNORECASE)
# A past perfect in a clause introduced by these is ordered against its main clause, not the report.
RELATIVE_CLAUSE_MARKS = {"after", "before", "since", "until", "till", "when", "once", "as", "because", "by"}
REPORTING_DEPS = {"ccomp"}


def is_background(anchor: Token, time_value: str | None, published: str | None, earlier_values: list[str],
                  *, reported: bool, time_text: str | None = None) -> bool:
    """Whether the event whose verb (or noun) is ``anchor`` is history told as context."""
    if time_value and published and ends_a_year_before(time_value, published):
        return True
    if not reported and is_past_perfect_narrative(anchor):
        return True
    if time_value or not published or not earlier_values:
        return False
    if not _told_in_sequence(anchor, time_text):
        return False
    return ends_a_year_before(earlier_values[-1], published)


def ends_a_year_before(value: str, published: str) -> bool:
    """Whether the period a TIMEX3 value names ended more than a year before ``published``."""
    end = _period_end(value)
    try:
        report = date.fromisoformat(published[:10])
    except ValueError:
        return False
    return end is not None and end < report - YEAR_BEFORE


def _period_end(value: str) -> date | None:
    match = VALUE.match(value)
    if not match:
        return None
    year, month, week, quarter, day = match.groups()
    y = int(year)
    try:
        if day and month:
            return date(y, int(month), int(day))
        if month:
            return date(y, int(month), calendar.monthrange(y, int(month))[1])
        if week:
            return date.fromisocalendar(y, int(week), 7)
        if quarter:
            last = int(quarter) * 3
            return date(y, last, calendar.monthrange(y, last)[1])
        return date(y, 12, 31)
    except ValueError:
        return None


def is_past_perfect_narrative(verb: Token) -> bool:
    """"had invaded" in the narrator's voice: not reported speech, not ordered by after/before/when."""
    if verb.pos_ not in ("VERB", "AUX") or verb.tag_ != "VBN":
        return False
    if not any(c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in verb.children):
        return False
    current = verb
    for _ in range(4):
        if current.dep_ in REPORTING_DEPS:
            return False  # "said it had expelled": the reporter's past, told from the report's time
        if current.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in RELATIVE_CLAUSE_MARKS
                                           for c in current.children):
            return False
        if current.dep_ not in ("conj", "xcomp", "advcl", "relcl") or current.head.i == current.i:
            break
        current = current.head
    return True


def _told_in_sequence(anchor: Token, time_text: str | None) -> bool:
    """A past event placed after or before the story's own time ("Several months later, X invaded")."""
    if anchor.tag_ not in ("VBD", "VBN"):
        return False
    if time_text and NARRATIVE_TIME_WORDS.search(time_text):
        return True
    return any(c.dep_ == "advmod" and c.lower_ in NARRATIVE_ADVERBS for c in anchor.children)
