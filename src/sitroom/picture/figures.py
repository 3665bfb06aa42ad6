"""Figure tracks: the values sources give for the same counted thing about the same entity.

A track is keyed by the resolved entity the figure is about (a country for "North Korean
soldiers") and the counted thing, with synonyms folded ("soldiers", "troops"). Each value
keeps its source (the speaker whose claim holds it, else the outlet), its date, bound and
kind: a *plan* ("aims to deploy 10,000 by December") is different in kind from a *count*
("3,000 have arrived") and never conflicts with it. Counts from different sources, given within
a week of each other, of comparable size (within a factor of five: further apart they count
different things), in sentences that share their content words (about the same happening),
and whose bounded intervals cannot all be true are flagged as a conflict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sitroom.picture.claims import content_words, is_unresolved, jaccard, speaker_key, speaker_label
from sitroom.picture.entities import EntityIndex, normalize, slug
from sitroom.picture.evidence import evidence, sentence_at
from sitroom.store import Store, filters, schema

CONFLICT_WINDOW_DAYS = 7
EXACT_TOLERANCE = 0.05
APPROX_TOLERANCE = 0.25
COMPARABLE_RATIO = 5.0
SAME_CONTEXT = 0.15  # content-word overlap of two figures' sentences for them to be rival counts

# Counted things that name the same thing (folded to the first word of each group).
_SYNONYMS = [
    ("troops", "troop", "soldier", "serviceman", "servicemen", "servicemember", "personnel", "force", "fighter",
     "combatant", "military personnel"),
    ("people", "person", "individual", "civilian"),
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
# Counted figures read to build tracks: far above any store this was run on (111,322 on Reuters).
MAX_TRACK_ROWS = 200_000


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


@dataclass
class FigureTrack:
    """Values for one counted thing about one entity, by source and date."""

    key: str
    entity_key: str | None
    entity: str | None
    counts: str
    label: str
    points: list[dict[str, Any]] = field(default_factory=list)
    conflict: bool = False
    sources: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _document_context(store: Store, document_ids: set[str]) -> dict[str, dict[str, Any]]:
    """Per document: entity mentions (local id, name, type, spans), claims and events."""
    by_kind = {kind: store.record_data(kind, document_ids) for kind in ("entities", "claims", "events")}
    return {d: {kind: by_kind[kind][d] for kind in by_kind} for d in document_ids}


def _entity_of(quantity: dict[str, Any], text: str, ctx: dict[str, Any], index: EntityIndex,
               speaker_span: tuple[int, int] | None) -> str | None:
    """The resolved entity a figure is about: its own link, a name in what it counts, or the
    nearest country or group named before it in its sentence (not the speaker)."""
    by_local = {e["id"]: e for e in ctx["entities"]}
    if quantity.get("entity_id") in by_local:
        e = by_local[quantity["entity_id"]]
        return index.by_surface.get((e["name"], e["type"]))
    start, end = quantity["start"], quantity["end"]
    counted_text = quantity.get("counts_text") or quantity.get("counts") or ""
    counted_end = end + len(counted_text) + 3  # "3,000 North Korean soldiers": the name inside what is counted
    sentence = sentence_at(text, start, end)
    sentence_start = text.rfind(sentence, 0, end) if sentence else start
    best: tuple[int, str] | None = None
    for e in ctx["entities"]:
        if e["type"] not in ("GPE", "NORP", "ORG", "PERSON"):
            continue
        for m in e["mentions"]:
            if end <= m["start"] and m["end"] <= counted_end and m["text"] in counted_text and e["type"] in ("NORP", "GPE"):
                return index.by_surface.get((e["name"], e["type"]))
            inside_speaker = speaker_span and speaker_span[0] <= m["start"] < speaker_span[1]
            if sentence_start <= m["start"] and m["end"] <= start and e["type"] in ("GPE", "NORP") and not inside_speaker:
                if best is None or m["start"] > best[0]:
                    best = (m["start"], index.by_surface.get((e["name"], e["type"])) or "")
    return best[1] if best and best[1] else None


def figure_tracks(store: Store, index: EntityIndex) -> list[FigureTrack]:
    """Every track of the store (one value or more), conflicts first, then the most-sourced."""
    rows = store.records("quantities", where=[schema.quantities.c.counts.is_not(None), filters.not_boilerplate("quantities")],
                         limit=MAX_TRACK_ROWS)
    if not rows:
        return []
    texts = store.document_texts(r["document_id"] for r in rows)
    contexts = _document_context(store, {r["document_id"] for r in rows})
    tracks: dict[str, FigureTrack] = {}
    for row in rows:
        q = row["data"]
        counted = counted_key(q.get("counts"))
        text = texts.get(row["document_id"], "")
        if counted is None or not text:
            continue
        ctx = contexts[row["document_id"]]
        claim = next((c for c in ctx["claims"] if c["content"]["start"] <= q["start"] and q["end"] <= c["content"]["end"]),
                     None)
        speaker_span = (claim["speaker"]["start"], claim["speaker"]["end"]) if claim else None
        about = _entity_of(q, text, ctx, index, speaker_span)
        sentence = sentence_at(text, q["start"], q["end"])
        sentence_start = text.rfind(sentence, 0, q["end"]) if sentence else q["start"]
        future_event = any(ev.get("modality") in ("future", "hypothetical") and ev["start"] <= q["start"]
                           and q["end"] <= ev["end"] for ev in ctx["events"])
        plan = is_plan(text[max(sentence_start, 0):q["start"]], text[q["end"]:q["end"] + 60], future_event)
        said_by = claim["speaker"].get("name") if claim else None
        if is_unresolved(said_by):  # an unresolved "he" is no source: the outlet is
            claim, said_by = None, None
        source = speaker_label(index, said_by) if said_by else (row.get("document_source") or row.get("document_title")
                                                                or row["document_id"])
        date = _day(claim.get("said_on") if claim else None) or row.get("document_published")
        key = f"{about or 'any'}/{slug(counted)}"
        if key not in tracks:
            entity = index.get(about) if about else None
            tracks[key] = FigureTrack(key=key, entity_key=about, entity=entity.name if entity else None, counts=counted,
                                      label=f"{entity.name} — {counted}" if entity else counted)
        tracks[key].points.append({
            "value": q.get("value"), "low": q.get("low"), "high": q.get("high"), "bound": q.get("bound") or "exact",
            "unit": q.get("unit"), "text": q.get("text"), "counts_text": q.get("counts_text") or q.get("counts"),
            "kind": "plan" if plan else "count", "source": source,
            "speaker_key": speaker_key(index, said_by) if said_by else None, "outlet": row.get("document_source"),
            "date": date, "conflict": False, "evidence": evidence(row, text),
        })
    out = []
    for track in tracks.values():
        track.points.sort(key=lambda p: (p["date"] or "", p["source"] or "", p["value"] or 0))
        track.sources = sorted({p["source"] for p in track.points})
        _flag_conflicts(track)
        out.append(track)
    out.sort(key=lambda t: (not t.conflict, -len(t.sources), -len(t.points), t.label))
    return out


def _flag_conflicts(track: FigureTrack) -> None:
    """Counts close in time whose intervals do not overlap cannot all be true.

    Only tracks about an entity are checked: without one, the values may be about anything.
    Points are in date order, so each is compared only with those inside the time window.
    """
    if track.entity_key is None:
        return
    import datetime as dt

    counts = []
    for p in track.points:
        if p["kind"] != "count":
            continue
        span = interval(p["value"], p["low"], p["high"], p["bound"])
        if span is not None:
            day = dt.date.fromisoformat(p["date"]).toordinal() if p["date"] else None
            counts.append((p, span, content_words(p["evidence"]["sentence"] or ""), day))
    for i, (a, ia, words_a, day_a) in enumerate(counts):
        for b, ib, words_b, day_b in counts[i + 1:]:
            if day_a is not None and day_b is not None and day_b - day_a > CONFLICT_WINDOW_DAYS:
                break  # date order: every later point is further away
            if a["unit"] != b["unit"]:
                continue
            if a["source"] == b["source"] and a["evidence"]["document_id"] == b["evidence"]["document_id"]:
                continue  # one source giving several figures is a breakdown, not a contradiction
            values = [v for v in (a["value"], b["value"]) if v]
            if len(values) == 2 and max(values) > COMPARABLE_RATIO * min(values):
                continue  # orders of magnitude apart: different things counted, not rival counts
            if jaccard(words_a, words_b) < SAME_CONTEXT:
                continue  # sentences about different happenings: different things counted
            if ia[1] < ib[0] or ib[1] < ia[0]:
                a["conflict"] = b["conflict"] = True
                track.conflict = True

