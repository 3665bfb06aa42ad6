"""Score the event coder on the PLOVER gold-standard records (GSR).

The GSR (``gold_standard_records/PLOVER_GSR_CAMEO.txt``) holds 322 sentences from the CAMEO
manual, each coded with one event, its source and target actors. It predates PLOVER v0.7,
so four of its type names are mapped with the manual's CAMEO-to-PLOVER table (section
"CAMEO to PLOVER translation"): INVESTIGATE (CAMEO 09) and DISAPPROVE (CAMEO 11) become
ACCUSE, DEMAND (CAMEO 10) becomes REQUEST, FIGHT (CAMEO 19) becomes ASSAULT. The other
twelve names are unchanged in v0.7. The file's one DOCUMENT record is skipped.

Each sentence goes through the whole pipeline; the event whose trigger stands highest in
the parse is the sentence's prediction (a sentence with no event counts as wrong).

- type accuracy and macro F1 (mean of per-type F1 over the types in gold or predicted);
- actor and recipient agreement: a predicted participant matches a gold one when they
  share a content word or the same ISO country code; precision, recall and F1 over
  participants, and the share of records whose participants overlap at all.

The records are split in two halves by a hash of their id: ``dev`` (patterns were tuned
looking at its errors) and ``test`` (held out). Report ``test``.

The GSR says nothing about events a coder invents: ``event_sentences`` adds the precision on
judged non-event sentences from real reporting (``eval/event_sentences.py``).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitroom.eval.scoring import precision_recall_f1

GSR_FILE = Path("gold_standard_records") / "PLOVER_GSR_CAMEO.txt"
# Old GSR type names -> PLOVER v0.7 (manual, table "PLOVER equivalents to CAMEO cue categories").
OLD_TYPE_TO_V07 = {"INVESTIGATE": "ACCUSE", "DISAPPROVE": "ACCUSE", "DEMAND": "REQUEST", "FIGHT": "ASSAULT"}
SPLITS = ("all", "dev", "test")
STOPWORDS = {"the", "a", "an", "of", "and", "in", "on", "for", "to", "'s", "s", "its", "their", "his", "her", "from", "with", "by", "at"}


@dataclass
class GoldParticipant:
    text: str
    code: str | None = None


@dataclass
class GoldRecord:
    id: str
    text: str
    type: str
    gsr_type: str
    actors: list[GoldParticipant] = field(default_factory=list)
    recipients: list[GoldParticipant] = field(default_factory=list)

    @property
    def split(self) -> str:
        return split_of(self.id)


def split_of(record_id: str) -> str:
    """A fixed half of the records by id hash: 'dev' or 'test'."""
    return "dev" if hashlib.sha1(record_id.encode("utf-8")).digest()[0] % 2 == 0 else "test"


def v07_type(gsr_type: str) -> str:
    return OLD_TYPE_TO_V07.get(gsr_type, gsr_type)


def _participants(value: Any) -> list[GoldParticipant]:
    if not value or not isinstance(value, list):
        return []
    out = []
    for item in value:
        if isinstance(item, dict) and item.get("actorText"):
            out.append(GoldParticipant(text=str(item["actorText"]), code=item.get("code") or None))
    return out


def load_gsr(data: Path) -> list[GoldRecord]:
    """The coded sentences of the GSR under ``data`` (the plover eval folder or the file itself)."""
    path = data / GSR_FILE if data.is_dir() else data
    if not path.is_file():
        raise FileNotFoundError(f"no PLOVER gold-standard file at {path}")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not valid JSON: {error}") from error
    if not isinstance(raw, list):
        raise ValueError(f"{path} should hold a JSON list of PLOVER records")
    records = []
    for item in raw:
        if not isinstance(item, dict) or item.get("event") in (None, "DOCUMENT") or not item.get("text"):
            continue
        records.append(GoldRecord(
            id=str(item["id"]), text=str(item["text"]), gsr_type=str(item["event"]), type=v07_type(str(item["event"])),
            actors=_participants(item.get("source")), recipients=_participants(item.get("target")),
        ))
    return records


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOPWORDS and len(w) > 1}


def _alpha3(code: str | None) -> str | None:
    if not code:
        return None
    import pycountry

    country = pycountry.countries.get(alpha_2=code.upper()) if len(code) == 2 else None
    return country.alpha_3 if country else code.upper()


def _matches(predicted: Any, gold: GoldParticipant) -> bool:
    words = _content_words(predicted.name)
    if words & _content_words(gold.text):
        return True
    code = _alpha3(predicted.country_code)
    return bool(code and gold.code and code == gold.code.upper())


def _participant_counts(predicted: list, gold: list[GoldParticipant]) -> tuple[int, int, int, bool]:
    """(true predicted, predicted, gold matched, any overlap) for one record."""
    true_predicted = sum(1 for p in predicted if any(_matches(p, g) for g in gold))
    gold_matched = sum(1 for g in gold if any(_matches(p, g) for p in predicted))
    return true_predicted, len(predicted), gold_matched, true_predicted > 0




def _participant_scores(rows: list[tuple[int, int, int, int, bool]]) -> dict[str, Any]:
    """rows: (true predicted, predicted, gold matched, gold, any overlap) per record with gold participants."""
    tp = sum(r[0] for r in rows)
    predicted = sum(r[1] for r in rows)
    matched = sum(r[2] for r in rows)
    gold = sum(r[3] for r in rows)
    return {"records": len(rows), "agreement": round(sum(1 for r in rows if r[4]) / len(rows), 4) if rows else None,
            **precision_recall_f1(tp, predicted, gold, correct_gold=matched)}


def score(predictions: list[tuple[GoldRecord, Any]]) -> dict[str, Any]:
    """Figures for (gold record, predicted primary Event or None) pairs."""
    n = len(predictions)
    correct = sum(1 for gold, event in predictions if event is not None and event.type == gold.type)
    covered = sum(1 for _, event in predictions if event is not None)
    types = sorted({g.type for g, _ in predictions} | {e.type for _, e in predictions if e is not None})
    per_type: dict[str, dict[str, Any]] = {}
    for type_ in types:
        tp = sum(1 for g, e in predictions if e is not None and e.type == type_ and g.type == type_)
        predicted = sum(1 for _, e in predictions if e is not None and e.type == type_)
        gold = sum(1 for g, _ in predictions if g.type == type_)
        per_type[type_] = {"gold": gold, "predicted": predicted, **precision_recall_f1(tp, predicted, gold)}
    actor_rows, recipient_rows = [], []
    for gold, event in predictions:
        actors = event.actors if event is not None else []
        recipients = event.recipients if event is not None else []
        if gold.actors:
            tp, pred, matched, overlap = _participant_counts(actors, gold.actors)
            actor_rows.append((tp, pred, matched, len(gold.actors), overlap))
        if gold.recipients:
            tp, pred, matched, overlap = _participant_counts(recipients, gold.recipients)
            recipient_rows.append((tp, pred, matched, len(gold.recipients), overlap))
    confusion = Counter(f"{g.type}->{e.type if e is not None else 'NONE'}" for g, e in predictions
                        if e is None or e.type != g.type)
    return {
        "records": n,
        "type_accuracy": round(correct / n, 4) if n else None,
        "macro_f1": round(sum(v["f1"] for v in per_type.values()) / len(per_type), 4) if per_type else None,
        "coverage": round(covered / n, 4) if n else None,
        "actor": _participant_scores(actor_rows),
        "recipient": _participant_scores(recipient_rows),
        "per_type": per_type,
        "top_confusions": dict(confusion.most_common(12)),
    }


def predict(records: list[GoldRecord]) -> list[tuple[GoldRecord, Any]]:
    """Run the whole pipeline on each gold sentence and keep its primary event."""
    from sitroom.model import Document
    from sitroom.nlp.events import primary_event
    from sitroom.nlp.pipeline import extract_parsed, load_nlp

    nlp = load_nlp()
    out = []
    for record, doc in zip(records, nlp.pipe((r.text for r in records), batch_size=64)):
        found = extract_parsed(doc, Document(id=record.id, text=record.text, language="en"))
        out.append((record, primary_event(found.events, doc)))
    return out


def evaluate(data: Path, split: str = "all", *, shared: Path | None = None, sentences: bool = True) -> dict[str, Any]:
    """The eval command's JSON object: figures for the chosen split, plus dev and test halves.

    With ``sentences``, also the precision on the judged news sentences of ``gold/event_sentences``
    (``eval.event_sentences``), read from the corpora under ``shared`` (default SITROOM_SHARED);
    without those corpora that part says why it was skipped.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}")
    records = load_gsr(data)
    started = time.perf_counter()
    predictions = predict(records)
    seconds = time.perf_counter() - started
    chosen = [p for p in predictions if split == "all" or p[0].split == split]
    result: dict[str, Any] = {
        "dataset": "PLOVER GSR (CAMEO manual examples)",
        "data": str(data),
        "split": split,
        "type_mapping": {**OLD_TYPE_TO_V07, "note": "manual v0.7, CAMEO-to-PLOVER table; other GSR names unchanged"},
        "primary_event": "the event whose trigger is highest in the dependency parse",
        **score(chosen),
        "halves": {name: {k: v for k, v in score([p for p in predictions if p[0].split == name]).items()
                          if k in ("records", "type_accuracy", "macro_f1", "coverage", "actor", "recipient")}
                   for name in ("dev", "test")},
        "tuned_on": "dev",
        "seconds": round(seconds, 2),
    }
    if sentences:
        result["event_sentences"] = _sentence_figures(shared)
    return result


def _sentence_figures(shared: Path | None) -> dict[str, Any]:
    """Precision on judged news sentences, or why it could not be measured here."""
    from sitroom import settings
    from sitroom.eval import event_sentences

    started = time.perf_counter()
    try:
        figures = event_sentences.evaluate(shared if shared is not None else settings.shared_dir())
    except FileNotFoundError as error:
        return {"skipped": str(error)}
    figures["seconds"] = round(time.perf_counter() - started, 2)
    return figures
