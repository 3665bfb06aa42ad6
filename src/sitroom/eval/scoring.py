"""Precision, recall and F1: the arithmetic every scorer shares."""

from __future__ import annotations


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
