"""Precision, recall and F1: the arithmetic every scorer shares."""

from __future__ import annotations

import csv
from pathlib import Path


def f1_score(precision: float, recall: float) -> float:
    """The harmonic mean of precision and recall (0 when both are 0)."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def precision_recall_f1(correct: int, system: int, gold: int, *, correct_gold: int | None = None,
                        digits: int = 4) -> dict[str, float]:
    """P = correct / system, R = correct_gold (default: correct) / gold, and their F1, rounded."""
    precision = correct / system if system else 0.0
    recall = (correct if correct_gold is None else correct_gold) / gold if gold else 0.0
    return {"precision": round(precision, digits), "recall": round(recall, digits),
            "f1": round(f1_score(precision, recall), digits)}


def ratio(part: int, whole: int) -> float | None:
    """``part / whole`` rounded to four places; None when there is nothing to divide by."""
    return round(part / whole, 4) if whole else None


def read_gold_tsv(folder: Path, name: str, split: str) -> list[dict[str, str]]:
    """The rows of one of the repository's hand-labelled gold files (tab-separated, a ``split``
    column) in ``split`` (dev, test, or all)."""
    path = folder / name
    if not path.is_file():
        raise FileNotFoundError(f"no gold file {path} (the gold lives in the repository's {folder.parent.name}/"
                                f"{folder.name}/)")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [row for row in rows if split == "all" or row["split"] == split]
