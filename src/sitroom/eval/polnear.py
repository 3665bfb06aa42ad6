"""Score attributions (who said what) against PolNeAR's brat standoff gold, document by document.

PolNeAR (``../shared/eval/polnear``) has one ``.txt`` per article and one ``.ann`` per
annotator beside it (``<article>_<annotator>.ann``). We score against the first annotator
file in name order, the convention behind the published document-level figures in
DESIGN.md, so every run uses the same fixed gold.

Each gold attribution is an ``E`` line of type ``Attribution`` or ``Attribution-no-source``
with ``Source`` (absent for the latter), ``Cue`` and ``Content`` text-bound roles, each
possibly discontinuous (``start end;start end``). A span's *extent* runs from its first
fragment's start to its last fragment's end.

Figures, for source, cue and content, each matched one to one inside a document:
- *exact*: the extents are equal once whitespace and the punctuation ``,.;:`` are trimmed
  from both ends (annotators vary on a trailing period or comma);
- *overlap*: the two spans share at least one character (fragments, not extents).
Identical spans are counted once per document on each side (one speaker mention is the
source of every claim it makes). ``triple_overlap_f1``: a predicted attribution counts when
its source, cue and content each overlap those of one gold attribution (one to one); a
gold attribution without a source only matches a prediction without one.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitroom.eval.scoring import precision_recall_f1
from sitroom.model import Claim

Fragments = tuple[tuple[int, int], ...]
ROLES = ("source", "cue", "content")
ATTRIBUTION_TYPES = ("Attribution", "Attribution-no-source")
TRIM = " \t\r\n\u00a0,.;:"


@dataclass(frozen=True)
class Attribution:
    """One attribution as spans: source (None when there is none), cue and content."""

    source: Fragments | None
    cue: Fragments
    content: Fragments


@dataclass
class Article:
    """One PolNeAR article with its gold attributions (from one annotator)."""

    name: str
    text: str
    published: str | None
    annotator: str
    gold: list[Attribution] = field(default_factory=list)


class PolnearError(ValueError):
    """The PolNeAR folder or one of its files is not what the scorer expects."""


def parse_ann(ann_text: str) -> list[Attribution]:
    """The attributions of one brat ``.ann`` file (Discuss/Discard annotations are left out)."""
    spans: dict[str, Fragments] = {}
    events: list[tuple[str, dict[str, str]]] = []
    for number, line in enumerate(ann_text.splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if parts[0].startswith("T") and len(parts) >= 2:
            try:
                _label, offsets = parts[1].split(" ", 1)
                fragments = tuple(tuple(int(x) for x in piece.split()) for piece in offsets.split(";"))
            except ValueError as error:
                raise PolnearError(f"line {number}: bad text-bound annotation {line!r}") from error
            spans[parts[0]] = tuple(sorted(f for f in fragments if len(f) == 2))  # type: ignore[misc]
        elif parts[0].startswith("E") and len(parts) >= 2:
            args = [piece.split(":", 1) for piece in parts[1].split() if ":" in piece]
            if not args:
                continue
            kind = args[0][0]
            roles = {role: ref for role, ref in args[1:]}
            events.append((kind, roles))
    attributions = []
    for kind, roles in events:
        if kind not in ATTRIBUTION_TYPES or "Cue" not in roles or "Content" not in roles:
            continue
        if roles["Cue"] not in spans or roles["Content"] not in spans:
            continue
        source = spans.get(roles.get("Source", ""))
        attributions.append(Attribution(source=source, cue=spans[roles["Cue"]], content=spans[roles["Content"]]))
    return attributions


def _published_dates(data_dir: Path) -> dict[str, str]:
    path = data_dir / "data" / "metadata.tsv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["filename"]: row["publication_date"] for row in csv.DictReader(handle, delimiter="\t")}


def load_split(data_dir: Path, split: str) -> list[Article]:
    """The articles of ``train``, ``dev`` or ``test`` with the first annotator's attributions."""
    folder = Path(data_dir) / "data" / split
    text_dir, ann_dir = folder / "text", folder / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise PolnearError(f"no PolNeAR split {split!r} at {folder} (expected text/ and attributions/)")
    published = _published_dates(Path(data_dir))
    annotations: dict[str, list[Path]] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        article, _, _annotator = ann.stem.rpartition("_")
        annotations.setdefault(article, []).append(ann)
    articles = []
    for text_path in sorted(text_dir.glob("*.txt")):
        files = annotations.get(text_path.stem)
        if not files:
            continue
        ann = files[0]
        text = text_path.read_text(encoding="utf-8")
        articles.append(Article(name=text_path.stem, text=text, published=published.get(text_path.stem),
                                annotator=ann.stem.rpartition("_")[2],
                                gold=parse_ann(ann.read_text(encoding="utf-8"))))
    if not articles:
        raise PolnearError(f"no annotated articles in {folder}")
    return articles


def claim_attribution(claim: Claim) -> Attribution:
    """A sitroom claim as scored spans (a speaker with no text counts as no source)."""
    speaker = claim.speaker
    source = ((speaker.start, speaker.end),) if speaker is not None and speaker.text and speaker.start is not None else None
    return Attribution(source=source, cue=((claim.cue.start, claim.cue.end),),
                       content=((claim.content.start, claim.content.end),))


def _extent(fragments: Fragments, text: str) -> tuple[int, int]:
    start, end = fragments[0][0], min(fragments[-1][1], len(text))
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return start, end


def _overlaps(a: Fragments, b: Fragments) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


@dataclass
class Counts:
    """Matched predictions, matched gold items, and the totals of each."""

    matched_pred: int = 0
    matched_gold: int = 0
    pred: int = 0
    gold: int = 0

    def add(self, other: "Counts") -> None:
        self.matched_pred += other.matched_pred
        self.matched_gold += other.matched_gold
        self.pred += other.pred
        self.gold += other.gold

    def prf(self) -> dict[str, float]:
        return precision_recall_f1(self.matched_pred, self.pred, self.gold, correct_gold=self.matched_gold)


def _match(pred: Sequence[Any], gold: Sequence[Any], same: Callable[[Any, Any], bool]) -> Counts:
    """Greedy one-to-one matching in text order."""
    used: set[int] = set()
    matched = 0
    for p in pred:
        for i, g in enumerate(gold):
            if i not in used and same(p, g):
                used.add(i)
                matched += 1
                break
    return Counts(matched, matched, len(pred), len(gold))


def score_document(text: str, predicted: Iterable[Attribution], gold: Iterable[Attribution]) -> dict[str, Counts]:
    """Counts for every figure on one document."""
    predicted, gold = list(predicted), list(gold)
    counts: dict[str, Counts] = {}
    for role in ROLES:
        pred_spans = sorted({getattr(a, role) for a in predicted if getattr(a, role)})
        gold_spans = sorted({getattr(a, role) for a in gold if getattr(a, role)})
        pred_extents = [_extent(s, text) for s in pred_spans]
        gold_extents = [_extent(s, text) for s in gold_spans]
        counts[f"{role}_exact"] = _match(pred_extents, gold_extents, lambda p, g: p == g)
        counts[f"{role}_overlap"] = _match(pred_spans, gold_spans, _overlaps)

    def triple(p: Attribution, g: Attribution) -> bool:
        if (p.source is None) != (g.source is None):
            return False
        if p.source is not None and not _overlaps(p.source, g.source):  # type: ignore[arg-type]
            return False
        return _overlaps(p.cue, g.cue) and _overlaps(p.content, g.content)

    ordered_pred = sorted(predicted, key=lambda a: a.cue)
    ordered_gold = sorted(gold, key=lambda a: a.cue)
    counts["triple_overlap"] = _match(ordered_pred, ordered_gold, triple)
    return counts


def score(documents: Iterable[tuple[str, Iterable[Attribution], Iterable[Attribution]]]) -> dict[str, Any]:
    """Micro-averaged precision, recall and F1 over (text, predicted, gold) documents."""
    totals: dict[str, Counts] = {}
    n = 0
    for text, predicted, gold in documents:
        n += 1
        for name, counts in score_document(text, predicted, gold).items():
            totals.setdefault(name, Counts()).add(counts)
    result: dict[str, Any] = {"documents": n}
    for role in ROLES:
        result[role] = {"exact": totals[f"{role}_exact"].prf(), "overlap": totals[f"{role}_overlap"].prf()} if n else {}
    triple = totals["triple_overlap"].prf() if n else {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    result["triple_overlap"] = triple
    result["triple_overlap_f1"] = triple["f1"]
    if n:
        result["gold_attributions"] = totals["triple_overlap"].gold
        result["predicted_attributions"] = totals["triple_overlap"].pred
    return result


# -- systems -----------------------------------------------------------------------------------


def sitroom_attributions(articles: Sequence[Article], batch_size: int = 20) -> list[list[Attribution]]:
    """Run sitroom's pipeline (entities, times, claims ...) over the articles."""
    from sitroom.model import Document
    from sitroom.nlp.pipeline import extract_documents

    documents = [Document(id=a.name, text=a.text, published=a.published, language="en") for a in articles]
    return [[claim_attribution(c) for c in found.claims] for found in extract_documents(documents, batch_size=batch_size)]


def textacy_attributions(articles: Sequence[Article]) -> tuple[list[list[Attribution]], int]:
    """textacy's ``direct_quotations`` on the same parses; returns (attributions, documents it failed on).

    A document textacy raises on counts as one with no predictions, as a user would get.
    """
    try:
        from textacy.extract.triples import direct_quotations
    except ImportError as error:
        raise PolnearError("the textacy baseline needs textacy: pip install 'sitroom[baselines]'") from error
    from sitroom.nlp.pipeline import load_nlp

    nlp = load_nlp()
    results: list[list[Attribution]] = []
    failed = 0
    for doc in nlp.pipe((a.text for a in articles), batch_size=20):
        found: list[Attribution] = []
        try:
            for triple in direct_quotations(doc):
                source = tuple(sorted((t.idx, t.idx + len(t.text)) for t in triple.speaker)) or None
                cue = tuple(sorted((t.idx, t.idx + len(t.text)) for t in triple.cue))
                content = ((triple.content.start_char, triple.content.end_char),)
                if cue:
                    found.append(Attribution(source=source, cue=cue, content=content))
        except Exception:  # noqa: BLE001 - textacy's own failures are part of the baseline's figure
            failed += 1
            found = []
        results.append(found)
    return results, failed


def evaluate(data_dir: Path, split: str, system: str = "sitroom", limit: int | None = None) -> dict[str, Any]:
    """Score one system on one split and return the JSON-able figures."""
    import time

    articles = load_split(Path(data_dir), split)[:limit]
    started = time.perf_counter()
    failed = 0
    if system == "sitroom":
        predicted = sitroom_attributions(articles)
    elif system == "textacy":
        predicted, failed = textacy_attributions(articles)
    else:
        raise PolnearError(f"unknown system {system!r} (sitroom or textacy)")
    seconds = time.perf_counter() - started
    result = {"system": system, "split": split, "annotator": "first file per article",
              **score((a.text, p, a.gold) for a, p in zip(articles, predicted))}
    result["seconds"] = round(seconds, 1)
    if system == "textacy":
        result["failed_documents"] = failed
    return result


def to_json(result: dict[str, Any]) -> str:
    return json.dumps(result, indent=2)
