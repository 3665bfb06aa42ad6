"""Figure tracks: the values sources give for one counted thing in one frame, compared like
with like.

A track is keyed on the frame every figure carries (``nlp/frames.py``): whose thing is counted
(the owner, resolved across documents: "North Korean soldiers" are North Korea's), what is
counted (synonyms folded: soldiers, troops, servicemen), what happened to it (present, killed,
wounded, displaced, delivered, ...) and its scope (a point count, a cumulative total, a rate).
Place and reference time are facets inside a track. A *plan* ("aims to deploy 10,000 by
December") sits in its track, drawn apart, and never conflicts with a count.

Two counts **conflict** only when they are in one track, refer to overlapping times (the same
day for rates and cumulative totals, within ``COUNT_WINDOW_DAYS`` for point counts), come from
different independent sources (the speaker quoted, else the originating outlet after wire and
near-duplicate folding), are not from one report,
and their bounded intervals ("at least 3,000", "about 10,000", "10,000-13,000") cannot both
hold. Figures in words only ("tens of thousands") are magnitudes, not estimates, and are not
compared; nor are values five times apart or more (different things counted). Every other difference is the track's **spread**: the range of the latest figure of each
independent source.

Figures read before frames existed (an older store: no ``kind`` in the record) are tracked
by what they count and the entity inside it only; ``sitroom ingest --force`` gives them frames.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sitroom.picture.claims import content_words, is_unresolved, jaccard, speaker_key, speaker_label
from sitroom.picture.entities import EntityIndex, normalize, slug
from sitroom.picture.evidence import evidence, sentence_at
from sitroom.store import Store, filters, schema

COUNT_WINDOW_DAYS = 3  # point counts a few days apart are about one state of things (a deployment)
COMPARABLE_RATIO = 5.0  # rival estimates of one thing are seldom five times apart
SAME_STORY = 0.2  # content-word overlap of two sentences that tell one story (for figures nobody owns)
STORY_DAYS = 14
MAX_STORY_POINTS = 2_000  # unowned figures of one kind in one month compared for stories (beyond: by day)
EXACT_TOLERANCE = 0.05
APPROX_TOLERANCE = 0.1  # "about 190,000": an estimate rounded to its first digits

# Counted things that name the same thing (folded to the first word of each group).
_SYNONYMS = [
    ("troops", "troop", "soldier", "serviceman", "servicemen", "servicemember", "personnel", "force", "fighter",
     "combatant", "military personnel"),
    ("people", "person", "individual", "civilian", "resident", "inhabitant"),
    ("deaths", "death", "dead", "fatality", "fatalities", "killed"),
    ("refugees", "refugee", "displaced", "asylum seeker"),
    ("containers", "container", "shipping container"),
]
_SYNONYM_OF = {word: group[0] for group in _SYNONYMS for word in group}
_PLAN_BEFORE = re.compile(
    r"\b(will|would|shall|plans?|planned|planning|aims?|aimed|aiming|intends?|intended|expects?|expected|seeks?|"
    r"seeking|wants?|going to|set to|pledged?|promised?|vowed?|goal|target)\b[^.;]*$", re.IGNORECASE)
_PLAN_AFTER = re.compile(r"^[^.;]{0,40}\bby (the end of |early |mid-?|late )?(january|february|march|april|may|june|"
                         r"july|august|september|october|november|december|next|\d{4}|the end)\b", re.IGNORECASE)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


BOUND_WORDS = {"approx": "about", "at_least": "at least", "more_than": "more than", "at_most": "at most",
               "less_than": "less than", "exact": "", "range": ""}


def describe(record: dict[str, Any]) -> str:
    """A figure as a reader would say it: "at least 3,000", "10,000-13,000", "about 19"."""
    low, high, value = record.get("low"), record.get("high"), record.get("value")
    if low is not None and high is not None:
        amount = f"{low:,g}-{high:,g}"
    else:
        amount = f"{value:,g}" if value is not None else "?"
    bound = BOUND_WORDS.get(record.get("bound") or "exact", "")
    change = {"up": " (up)", "down": " (down)"}.get(record.get("change") or "", "")
    return f"{bound} {amount}".strip() + change


def counted_key(counts: str | None) -> str | None:
    """The counted thing with plurals and synonyms folded: "North Korean soldiers" -> "troops"."""
    if not counts:
        return None
    text = normalize(counts)
    if not text:
        return None
    if text in _SYNONYM_OF:
        return _SYNONYM_OF[text]
    head = text.split()[-1]
    for form in (head, head[:-1] if head.endswith("s") else head, head[:-3] + "y" if head.endswith("ies") else head):
        if form in _SYNONYM_OF:
            return _SYNONYM_OF[form]
    return head  # the extractor gives the counted noun's lemma; plurals are not guessed here


def interval(value: float | None, low: float | None, high: float | None, bound: str) -> tuple[float, float] | None:
    """The values a figure allows, given its bound."""
    inf = float("inf")
    if bound == "range" and low is not None and high is not None:
        return (low, high)
    if value is None:
        return None
    if bound in ("at_least", "more_than"):
        return (value, inf)
    if bound in ("at_most", "less_than"):
        return (0.0, value)
    tolerance = APPROX_TOLERANCE if bound == "approx" else EXACT_TOLERANCE
    return (value * (1 - tolerance), value * (1 + tolerance))


def is_plan(before: str, after: str, future_event: bool) -> bool:
    """A figure that is planned, aimed at or expected rather than counted."""
    return future_event or bool(_PLAN_BEFORE.search(before[-60:])) or bool(_PLAN_AFTER.search(after))


def _day(value: str | None) -> str | None:
    return value[:10] if value and _ISO_DAY.match(value[:10]) else None


def reference_interval(value: str | None) -> tuple[dt.date, dt.date] | None:
    """The days a TIMEX3 calendar value covers: "2024" a year, "2024-10" a month, "2024-W42" a
    week, "2024-10-23" a day; None for anything else."""
    if not value:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value[:10]) and len(value) >= 10:
            day = dt.date.fromisoformat(value[:10])
            return day, day
        if re.fullmatch(r"\d{4}-\d{2}", value):
            first = dt.date.fromisoformat(value + "-01")
            after = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            return first, after - dt.timedelta(days=1)
        if re.fullmatch(r"\d{4}-W\d{2}", value):
            first = dt.date.fromisocalendar(int(value[:4]), int(value[6:]), 1)
            return first, first + dt.timedelta(days=6)
        if re.fullmatch(r"\d{4}", value):
            return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
    except ValueError:
        return None
    return None


@dataclass
class FigureTrack:
    """Values for one counted thing in one frame (owner, what happened, scope), by source and date."""

    key: str
    entity_key: str | None
    entity: str | None
    counts: str
    label: str
    happened: str = "other"
    scope: str = "point"
    points: list[dict[str, Any]] = field(default_factory=list)
    conflict: bool = False
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    spread: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _owner_key(q: dict[str, Any], local: dict[str, dict[str, Any]], index: EntityIndex) -> str | None:
    """The resolved entity whose thing a figure counts."""
    for local_id in (q.get("owner_id"), q.get("entity_id") if q.get("kind") is None else None):
        entity = local.get(local_id or "")
        if entity is not None:
            key = index.by_surface.get((entity["name"], entity["type"])) or index.key_for(entity["name"])
            if key:
                return key
    if q.get("owner"):
        return index.key_for(q["owner"])
    return None


def _label(entity: str | None, counted: str, happened: str, scope: str) -> str:
    what = counted if happened in ("other", "present") else f"{counted} {happened}"
    if scope == "rate":
        what += " (rate)"
    elif scope == "cumulative":
        what += " (total)"
    return f"{entity} — {what}" if entity else what


def track_rows_where() -> list[Any]:
    """The quantity rows that may make a track: what they count is known, not boilerplate."""
    return [schema.quantities.c.counts.is_not(None), filters.not_boilerplate("quantities")]


def track_points(store: Store, rows: list[dict[str, Any]], index: EntityIndex) -> list[tuple[dict[str, Any], FigureTrack, dict[str, Any], set[str]]]:
    """(row, the track it belongs to before unowned tracks are split into stories, its point,
    the names its owner and source were looked up by) for each row that makes a point."""
    if not rows:
        return []
    documents = {r["document_id"] for r in rows}
    texts = store.document_texts(documents)
    sources = store.independence_keys(documents)
    local_entities = store.record_data("entities", documents)
    claims = store.record_data("claims", documents)
    out = []
    for row in rows:
        q = row["data"]
        counted = counted_key(q.get("counts"))
        text = texts.get(row["document_id"], "")
        if counted is None or not text or q.get("junk"):
            continue
        local = {e["id"]: e for e in local_entities.get(row["document_id"], [])}
        owner = _owner_key(q, local, index)
        names = {local[i]["name"] for i in (q.get("owner_id"), q.get("entity_id")) if i in local} | {q.get("owner") or ""}
        framed = q.get("kind") is not None  # read with its frame (every figure of a counted thing has a kind)
        happened, scope = (q.get("happened") or "other", q.get("scope") or "point") if framed else ("other", "point")
        claim = next((c for c in claims.get(row["document_id"], [])
                      if c["content"]["start"] <= q["start"] and q["end"] <= c["content"]["end"]), None)
        said_by = claim["speaker"].get("name") if claim else None
        if is_unresolved(said_by):  # an unresolved "he" is no source: the outlet is
            claim, said_by = None, None
        names.add(said_by or "")
        source = speaker_label(index, said_by) if said_by else (row.get("document_source") or row.get("document_title")
                                                                or row["document_id"])
        if framed:
            kind = q.get("kind") or "count"
        else:
            sentence = sentence_at(text, q["start"], q["end"])
            start = text.rfind(sentence, 0, q["end"]) if sentence else q["start"]
            kind = "plan" if is_plan(text[max(start, 0):q["start"]], text[q["end"]:q["end"] + 60], False) else "count"
        date = _day(claim.get("said_on") if claim else None) or row.get("document_published")
        refers = q.get("refers_to") if q.get("refers_basis") == "sentence" else date
        # a figure whose owner is not known joins only the figures of its own story (below),
        # looked for among the reports of its month
        key = f"{owner}/{slug(counted)}/{happened}/{scope}" if owner else \
            f"unowned/{slug(counted)}/{happened}/{scope}/{(date or 'undated')[:7]}"
        entity = index.get(owner) if owner else None
        track = FigureTrack(key=key, entity_key=owner, entity=entity.name if entity else None, counts=counted,
                            happened=happened, scope=scope,
                            label=_label(entity.name if entity else None, counted, happened, scope))
        point = {
            "value": q.get("value"), "low": q.get("low"), "high": q.get("high"), "bound": q.get("bound") or "exact",
            "unit": q.get("unit"), "text": q.get("text"), "counts_text": q.get("counts_text") or q.get("counts"),
            "kind": kind, "target": q.get("target"), "source": source,
            "speaker_key": speaker_key(index, said_by) if said_by else None, "outlet": row.get("document_source"),
            # who gives the figure: the speaker quoted, else the originating outlet
            "independent_source": f"speaker:{speaker_key(index, said_by)}" if said_by
            else sources.get(row["document_id"], row["document_id"]),
            "date": date, "refers_to": refers, "refers_basis": q.get("refers_basis") or "report",
            "place": q.get("place"), "quantity_id": q.get("id"), "part_of": q.get("part_of"),
            "conflict": False, "evidence": evidence(row, text),
        }
        out.append((row, track, point, {n for n in names if n}))
    return out


def tracks_of(store: Store, rows: list[dict[str, Any]], index: EntityIndex) -> list[FigureTrack]:
    """The tracks the quantity ``rows`` make, conflicts first, then the most-sourced."""
    tracks: dict[str, FigureTrack] = {}
    for _, track, point, _ in track_points(store, rows, index):
        tracks.setdefault(track.key, track).points.append(point)
    out = []
    for track in _split_unowned(tracks.values()):
        track.points.sort(key=lambda p: (p["refers_to"] or p["date"] or "", p["source"] or "", p["value"] or 0))
        track.sources = sorted({p["source"] for p in track.points})
        _flag_conflicts(track)
        track.spread = _spread(track)
        out.append(track)
    out.sort(key=lambda t: (not t.conflict, -len(t.sources), -len(t.points), t.label))
    return out


def _split_unowned(tracks: Iterable[FigureTrack]) -> list[FigureTrack]:
    """Tracks of figures whose owner is unknown, split into stories: points join when their
    sentences share their content words (``SAME_STORY``) and their reports are within
    ``STORY_DAYS`` of each other ("hostages taken on the train" in three reports of one attack;
    not "people killed" in two wars). Such figures are tracked per month of their reports, so
    that a story is looked for among a month's figures, not the whole store's (on a store of
    200,000 Reuters copies one track of unowned share counts held 182,535 points): a story
    across a month's end is told as two. A month with more than ``MAX_STORY_POINTS`` such
    figures of one kind is not compared pair by pair: each day's are one story."""
    out: list[FigureTrack] = []
    for track in tracks:
        if track.entity_key is not None:
            out.append(track)
            continue
        if len(track.points) > MAX_STORY_POINTS:  # too many to compare: each day's figures are one story
            by_day: dict[str, list[dict[str, Any]]] = {}
            for point in sorted(track.points, key=lambda p: (p["date"] or "", p["evidence"]["document_id"])):
                by_day.setdefault(point["date"] or "", []).append(point)
            out += [FigureTrack(key=f"{track.key}/{day or 'undated'}", entity_key=None, entity=None, counts=track.counts,
                                label=track.label, happened=track.happened, scope=track.scope, points=points)
                    for day, points in by_day.items()]
            continue
        words = [content_words(p["evidence"]["sentence"] or "") for p in track.points]
        days = [reference_interval(p["date"]) for p in track.points]
        parent = list(range(len(track.points)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for i, j in _story_pairs(words, [d[0] if d else None for d in days], dt.timedelta(days=STORY_DAYS)):
            if find(i) != find(j) and jaccard(words[i], words[j]) >= SAME_STORY:  # one story already: nothing to join
                parent[find(j)] = find(i)
        stories: dict[int, list[dict[str, Any]]] = {}
        for i, point in enumerate(track.points):
            stories.setdefault(find(i), []).append(point)
        for n, points in enumerate(stories.values()):
            out.append(FigureTrack(key=f"{track.key}/{points[0]['evidence']['document_id']}-{n}", entity_key=None,
                                   entity=None, counts=track.counts, label=track.label, happened=track.happened,
                                   scope=track.scope, points=points))
    return out


def _spread(track: FigureTrack) -> dict[str, Any] | None:
    """The range of the latest count of each independent source, and how many sources give one."""
    latest: dict[str, dict[str, Any]] = {}
    for point in track.points:
        if point["kind"] == "count" and point["value"] is not None:
            latest[point["independent_source"]] = point  # points are in time order: the last one stays
    if not latest:
        return None
    values = [p["value"] for p in latest.values()]
    return {"low": min(values), "high": max(values), "sources": len(latest),
            "as_of": max((p["refers_to"] or p["date"] or "") for p in latest.values()) or None}


def _size(point: dict[str, Any]) -> float:
    """A point's value, or the middle of its range."""
    if point["value"] is not None:
        return point["value"]
    return ((point["low"] or 0) + (point["high"] or point["low"] or 0)) / 2 or 1.0


def _overlap(a: dict[str, Any], b: dict[str, Any], scope: str) -> bool:
    """Whether two points refer to overlapping times (a few days' leeway for point counts)."""
    ia, ib = reference_interval(a["refers_to"] or a["date"]), reference_interval(b["refers_to"] or b["date"])
    if ia is None or ib is None:
        return False
    leeway = dt.timedelta(days=COUNT_WINDOW_DAYS if scope == "point" else 0)
    return ia[0] - leeway <= ib[1] and ib[0] - leeway <= ia[1]


def _part_by_place(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether one figure counts the thing in a place the other does not narrow to: troops in
    Belarus against troops at the border, or a smaller placed figure against the whole build-up."""
    if a["place"] == b["place"]:
        return False
    if a["place"] and b["place"]:
        return True
    placed, whole = (a, b) if a["place"] else (b, a)
    return _size(placed) < _size(whole)


def _flag_conflicts(track: FigureTrack) -> None:
    """Counts of one track, from different independent sources and reports, about overlapping
    times, whose bounded intervals cannot both hold (see the module docstring). Only tracks
    whose owner is known are compared: without one, the values may be about anything."""
    if track.entity_key is None:
        return
    counts = [(p, interval(p["value"], p["low"], p["high"], p["bound"])) for p in track.points
              if p["kind"] == "count" and not p["part_of"]  # a part is no rival of another report's whole
              and any(ch.isdigit() for ch in p["text"] or "")]  # "tens of thousands" is a magnitude
    counts = [(p, span) for p, span in counts if span is not None and (p["value"] or p["low"])]
    times = [reference_interval(p["refers_to"] or p["date"]) for p, _ in counts]
    leeway = dt.timedelta(days=COUNT_WINDOW_DAYS if track.scope == "point" else 0)
    rivals = sorted(_pairs_within([t[0] if t else None for t in times], [t[1] if t else None for t in times], leeway,
                                  undated_meet=False))
    for i, j in rivals:
        (a, ia), (b, ib) = counts[i], counts[j]
        if a["unit"] != b["unit"] or a["evidence"]["document_id"] == b["evidence"]["document_id"]:
            continue  # one report giving several figures is a breakdown, not a contradiction
        if a["independent_source"] == b["independent_source"]:
            continue  # one source's figures over time are its own series
        if not _overlap(a, b, track.scope):
            continue
        if _part_by_place(a, b):
            continue
        va, vb = _size(a), _size(b)
        if max(va, vb) > COMPARABLE_RATIO * min(va, vb):
            continue  # 10 soldiers named in a report and an army of 900,000: different things counted
        if ia[1] < ib[0] or ib[1] < ia[0]:
            a["conflict"] = b["conflict"] = True
            track.conflict = True
            track.conflicts.append({
                "points": [track.points.index(a), track.points.index(b)],
                "why": f"{a['source']} gives {describe(a)} and {b['source']} gives {describe(b)} "
                       f"for {a['refers_to'] or a['date']} / {b['refers_to'] or b['date']}: both cannot hold"})


def _pairs_within(starts: list[dt.date | None], ends: list[dt.date | None], leeway: dt.timedelta,
                  undated_meet: bool = True) -> Iterator[tuple[int, int]]:
    """Index pairs (i < j, each once, in no set order) of spans [start, end] that come within
    ``leeway`` of each other, found by a sweep over the starts instead of every pair (a track of
    thousands of points over months compares each with its own weeks only). An undated item
    meets every other when ``undated_meet``, none otherwise."""
    dated = sorted((i for i, s in enumerate(starts) if s is not None), key=lambda i: starts[i])  # type: ignore[arg-type,return-value]
    for pos, i in enumerate(dated):
        reach = ends[i] + leeway  # type: ignore[operator]
        for j in dated[pos + 1:]:
            if starts[j] > reach:  # type: ignore[operator]
                break
            yield (min(i, j), max(i, j))
    if undated_meet:
        undated = [i for i, s in enumerate(starts) if s is None]
        for i in undated:
            yield from ((min(i, j), max(i, j)) for j in range(len(starts)) if j != i and (starts[j] is not None or j > i))


def _story_pairs(words: list[frozenset[str]], days: list[dt.date | None],
                 window: dt.timedelta) -> Iterator[tuple[int, int]]:
    """Candidate pairs of points for one story: every pair whose sentences may reach
    ``SAME_STORY`` and whose days are within ``window`` (or unknown) is among them, each once.

    Prefix filtering keeps it near linear: with the words of each sentence ordered rarest
    first (in this track), two sets whose Jaccard similarity reaches t share a word among the
    first |x| - ceil(t|x|) + 1 of each; dated points are swept in day order, each against the
    prefixes of the points of the last ``window`` days, undated ones against every point."""
    frequency = Counter(w for found in words for w in found)
    prefixes = []
    for found in words:
        ordered = sorted(found, key=lambda w: (frequency[w], w))
        prefixes.append(ordered[:len(ordered) - math.ceil(SAME_STORY * len(ordered) - 1e-9) + 1] if ordered else [])
    recent: dict[str, deque[int]] = defaultdict(deque)
    for i in sorted((i for i, day in enumerate(days) if day is not None), key=lambda i: days[i]):  # type: ignore[arg-type,return-value]
        seen: set[int] = set()
        for word in prefixes[i]:
            queue = recent[word]
            while queue and days[queue[0]] < days[i] - window:  # type: ignore[operator]
                queue.popleft()
            for j in queue:
                if j not in seen:
                    seen.add(j)
                    yield (min(i, j), max(i, j))
            queue.append(i)
    holders: dict[str, list[int]] = defaultdict(list)
    for i, prefix in enumerate(prefixes):
        for word in prefix:
            holders[word].append(i)
    for i in (i for i, day in enumerate(days) if day is None):
        seen = {i}
        for word in prefixes[i]:
            for j in holders[word]:
                if j not in seen and (days[j] is not None or j > i):  # two undated points: once
                    seen.add(j)
                    yield (min(i, j), max(i, j))
