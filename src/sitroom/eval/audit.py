"""``sitroom audit``: precision measured the way a user meets it, on samples of what sitroom
extracts from real reporting.

``sample_sheet`` draws a seeded random sample of one kind of record from a store and writes a
sheet (CSV): each row holds the item as sitroom shows it, the sentence it was read from, and
empty ``judgement`` and ``note`` columns. A person judges each row ``right``, ``partly`` or
``wrong``; ``score_sheet`` prints precision from the judged sheet. ``strip_sheet`` removes the
article text from a judged sheet (document ids and offsets stay), so sheets of corpora that may
not be published can be kept in the repository.
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from sitroom.picture.evidence import sentence_at
from sitroom.store import Store, filters

KINDS = ("claims", "events", "quantities", "times", "places")
JUDGEMENTS = ("right", "partly", "wrong")
COLUMNS = ("kind", "document_id", "idx", "start", "end", "item", "sentence", "judgement", "note")
TEXT_COLUMNS = ("item", "sentence")


def describe(kind: str, data: dict[str, Any]) -> str:
    """One record as a judge reads it."""
    if kind == "claims":
        speaker = data["speaker"].get("name") or f"(unresolved: {data['speaker'].get('text')})"
        return (f"{speaker} [{data['speaker'].get('text')}] | {data['cue']['text']} | {data['content']['text']}"
                f" | said_on={data.get('said_on')}")
    if kind == "events":
        actors = ", ".join(a["name"] for a in data.get("actors", [])) or "?"
        recipients = ", ".join(a["name"] for a in data.get("recipients", []))
        return (f"{data['type']} ({data.get('modality')}) {actors}" + (f" -> {recipients}" if recipients else "")
                + f" | trigger: {(data.get('trigger') or {}).get('text') or data.get('text')} | time={data.get('time')}")
    if kind == "quantities":
        frame = ", ".join(f"{k}={data.get(k)}" for k in ("owner", "happened", "scope", "kind") if data.get(k))
        return (f"{data['text']} | value={data.get('value')} bound={data.get('bound')} unit={data.get('unit')} "
                f"counts={data.get('counts')}" + (f" | {frame}" if frame else "") + (" | junk" if data.get("junk") else ""))
    if kind == "times":
        return f"{data['text']} | {data['type']} {data['value']}" + (f" {data['mod']}" if data.get("mod") else "")
    if kind == "places":
        return f"{data['text']} | {data['name']} [{data.get('country_code')}] {data.get('lat')},{data.get('lon')}"
    raise ValueError(f"kind must be one of {', '.join(KINDS)}")


def sample_sheet(store: Store, kind: str, size: int, seed: int, out: IO[str],
                 documents: Iterable[str] | None = None) -> int:
    """Write a sheet of ``size`` records of ``kind`` drawn with ``seed``; returns how many."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    where = [filters.not_boilerplate(kind)] if kind != "times" else []
    rows = store.records(kind, where=where, limit=None, order_by=[])
    if documents is not None:
        wanted = set(documents)
        rows = [r for r in rows if r["document_id"] in wanted]
    rows.sort(key=lambda r: (r["document_id"], r["idx"]))
    chosen = random.Random(seed).sample(rows, min(size, len(rows)))
    chosen.sort(key=lambda r: (r["document_id"], r["idx"]))
    texts = store.document_texts(r["document_id"] for r in chosen)
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for row in chosen:
        text = texts.get(row["document_id"], "")
        writer.writerow({"kind": kind, "document_id": row["document_id"], "idx": row["idx"], "start": row["start"],
                         "end": row["end"], "item": describe(kind, row["data"]),
                         "sentence": " ".join(sentence_at(text, row["start"], row["end"]).split()),
                         "judgement": "", "note": ""})
    return len(chosen)


def documents_seen_under(store: Store, prefix: str) -> list[str]:
    """The documents that appeared at a location under ``prefix`` (a folder or file ingested)."""
    wanted = str(Path(prefix).resolve())
    found = []
    for row in store.documents(limit=None):
        if any(str(Path(a["location"]).resolve()).startswith(wanted) for a in store.appearances(row["id"])):
            found.append(row["id"])
    return found


def read_sheet(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise FileNotFoundError(f"no sheet {path}")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if rows and not {"kind", "judgement"} <= set(rows[0]):
        raise ValueError(f"{path} is not an audit sheet (it needs kind and judgement columns)")
    return rows


def score_sheet(rows: list[dict[str, str]]) -> dict[str, Any]:
    """Precision per kind: the share judged right, partly and wrong, over the judged rows."""
    by_kind: dict[str, Counter[str]] = {}
    for row in rows:
        judgement = row["judgement"].strip().lower()
        if not judgement:
            continue
        if judgement not in JUDGEMENTS:
            raise ValueError(f"judgement must be one of {', '.join(JUDGEMENTS)}, not {row['judgement']!r}")
        by_kind.setdefault(row["kind"], Counter())[judgement] += 1
    result: dict[str, Any] = {}
    for kind, counts in by_kind.items():
        judged = sum(counts.values())
        result[kind] = {"judged": judged, **{j: counts[j] for j in JUDGEMENTS},
                        "precision": round(counts["right"] / judged, 3),
                        "precision_with_partly": round((counts["right"] + counts["partly"]) / judged, 3)}
    unjudged = sum(1 for row in rows if not row["judgement"].strip())
    return {"kinds": result, "unjudged": unjudged}


def strip_sheet(rows: list[dict[str, str]], out: IO[str]) -> None:
    """The judged sheet without article text (the item and its sentence)."""
    writer = csv.DictWriter(out, fieldnames=[c for c in COLUMNS if c not in TEXT_COLUMNS])
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in COLUMNS if c not in TEXT_COLUMNS})
