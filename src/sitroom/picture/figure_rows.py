"""Stored figures with their evidence, for ``sitroom figures``: each row says how much of
what, bounded how, and quotes the sentence it was read from (document id and offsets)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_

from sitroom.picture.evidence import document_texts, sentence_at
from sitroom.store import schema

BOUND_WORDS = {"approx": "about", "at_least": "at least", "more_than": "more than", "at_most": "at most",
               "less_than": "less than", "exact": "", "range": ""}


def describe(record: dict[str, Any]) -> str:
    """A figure as a reader would say it: "at least 3,000", "10,000-13,000 (range)", "about 19 percentage"."""
    low, high, value = record.get("low"), record.get("high"), record.get("value")
    if low is not None and high is not None:
        amount = f"{low:,g}-{high:,g}"
    else:
        amount = f"{value:,g}" if value is not None else "?"
    bound = BOUND_WORDS.get(record.get("bound") or "exact", "")
    change = {"up": " (up)", "down": " (down)"}.get(record.get("change") or "", "")
    return f"{bound} {amount}".strip() + change


def figure_rows(store, text: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Stored quantities (optionally those whose counted noun or unit contains ``text``) with evidence."""
    table = schema.quantities
    where = []
    if text:
        # counted nouns are stored as lemmas: "soldiers" finds "soldier"
        words = {text.lower(), text.lower()[:-1] if len(text) > 3 and text.lower().endswith("s") else text.lower()}
        where.append(or_(*(column.like(f"%{word}%") for word in words
                           for column in (func.lower(table.c.counts), func.lower(table.c.unit)))))
    rows = store.records("quantities", where=where, limit=limit)
    texts = document_texts(store, (row["document_id"] for row in rows))
    result = []
    for row in rows:
        record = row["data"]
        document_id = row["document_id"]
        result.append({
            "figure": describe(record),
            "text": record.get("text"),
            "value": record.get("value"), "low": record.get("low"), "high": record.get("high"),
            "bound": record.get("bound"), "unit": record.get("unit"), "counts": record.get("counts"),
            "change": record.get("change"), "entity_id": record.get("entity_id"),
            "document_id": document_id, "start": row["start"], "end": row["end"],
            "document_title": row.get("document_title"), "document_published": row.get("document_published"),
            "sentence": sentence_at(texts.get(document_id, ""), row["start"], row["end"]),
        })
    return result
