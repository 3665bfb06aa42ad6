"""Score the time-expression extractor on TempEval-3 (TimeML ``.tml`` files) by its rules.

TempEval-3 task A: strict span match (same start and end) and relaxed match (any overlap),
precision/recall/F1 for each; type and value accuracy over the relaxed matches, and the
attribute F1 the task reports (attribute P = correct / system, R = correct / gold). The
document's ``<DCT>`` is its publication date. Splits: ``train`` (TimeBank + AQUAINT) and
``test`` (the platinum set).
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sitroom.eval.scoring import precision_recall_f1
from sitroom.model import Document, Extraction, TimeExpr

SPLITS = {"train": ("train/TimeBank", "train/AQUAINT"), "test": ("test/platinum",)}


@dataclass
class GoldTimex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass
class GoldDocument:
    name: str
    text: str
    dct: str | None
    timexes: list[GoldTimex] = field(default_factory=list)


def read_tml(path: Path) -> GoldDocument:
    """The plain text of a TimeML file's ``<TEXT>`` with its TIMEX3 spans and the DCT."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        raise ValueError(f"{path}: not well-formed TimeML ({error})") from error
    dct_timex = root.find("DCT/TIMEX3")
    dct = dct_timex.get("value") if dct_timex is not None else None
    body = root.find("TEXT")
    if body is None:
        raise ValueError(f"{path}: no <TEXT> element")
    parts: list[str] = []
    timexes: list[GoldTimex] = []
    length = 0

    def walk(element: ET.Element) -> None:
        nonlocal length
        start = length
        if element.text:
            parts.append(element.text)
            length += len(element.text)
        for child in element:
            walk(child)
            if child.tail:
                parts.append(child.tail)
                length += len(child.tail)
        if element.tag == "TIMEX3" and length > start:
            text = "".join(parts)[start:length]
            timexes.append(GoldTimex(start, length, text, element.get("type", ""), element.get("value", "")))

    walk(body)
    return GoldDocument(path.stem, "".join(parts), dct[:10] if dct else None, sorted(timexes, key=lambda t: t.start))


def read_split(data: Path, split: str) -> list[GoldDocument]:
    """Every document of a split, in file-name order."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: choose one of {', '.join(SPLITS)}")
    folders = [data / sub for sub in SPLITS[split]]
    missing = [str(f) for f in folders if not f.is_dir()]
    if missing:
        raise FileNotFoundError(f"no TempEval-3 folder at {', '.join(missing)}")
    return [read_tml(path) for folder in folders for path in sorted(folder.glob("*.tml"))]


def match_relaxed(gold: list[GoldTimex], system: list[TimeExpr]) -> list[tuple[GoldTimex, TimeExpr]]:
    """One-to-one pairs of overlapping spans, the largest overlaps first."""
    overlaps = []
    for gi, g in enumerate(gold):
        for si, s in enumerate(system):
            overlap = min(g.end, s.end) - max(g.start, s.start)
            if overlap > 0:
                overlaps.append((-overlap, gi, si))
    used_gold: set[int] = set()
    used_system: set[int] = set()
    pairs = []
    for _, gi, si in sorted(overlaps):
        if gi not in used_gold and si not in used_system:
            used_gold.add(gi)
            used_system.add(si)
            pairs.append((gold[gi], system[si]))
    return pairs


@dataclass
class Tally:
    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    type: int = 0
    value: int = 0
    errors: list[dict] = field(default_factory=list)

    def add(self, name: str, gold: list[GoldTimex], system: list[TimeExpr]) -> None:
        self.gold += len(gold)
        self.system += len(system)
        spans = {(s.start, s.end) for s in system}
        self.strict += sum((g.start, g.end) in spans for g in gold)
        pairs = match_relaxed(gold, system)
        self.relaxed += len(pairs)
        for g, s in pairs:
            self.type += g.type == s.type
            self.value += g.value == s.value
            if g.value != s.value or g.type != s.type:
                self.errors.append({"doc": name, "gold": [g.text, g.type, g.value], "system": [s.text, s.type, s.value]})
        matched_gold = {id(g) for g, _ in pairs}
        matched_system = {id(s) for _, s in pairs}
        self.errors += [{"doc": name, "missed": [g.text, g.type, g.value]} for g in gold if id(g) not in matched_gold]
        self.errors += [{"doc": name, "spurious": [s.text, s.type, s.value]} for s in system if id(s) not in matched_system]

    def scores(self) -> dict:
        return {
            "gold": self.gold,
            "system": self.system,
            "strict": precision_recall_f1(self.strict, self.system, self.gold),
            "relaxed": precision_recall_f1(self.relaxed, self.system, self.gold),
            "type_accuracy": round(self.type / self.relaxed, 4) if self.relaxed else 0.0,
            "value_accuracy": round(self.value / self.relaxed, 4) if self.relaxed else 0.0,
            "type_f1": precision_recall_f1(self.type, self.system, self.gold)["f1"],
            "value_f1": precision_recall_f1(self.value, self.system, self.gold)["f1"],
        }


def evaluate(documents: Iterable[GoldDocument], *, with_errors: bool = False) -> dict:
    """Run the extractor over the documents and score it; includes time taken and expressions/s."""
    from sitroom.nlp.pipeline import load_nlp
    from sitroom.nlp.times import extract_times

    documents = list(documents)
    nlp = load_nlp()
    tally = Tally()
    parse_seconds = extract_seconds = 0.0
    started = time.perf_counter()
    docs = nlp.pipe((d.text for d in documents), batch_size=20)
    for gold_document in documents:
        before = time.perf_counter()
        doc = next(docs)
        parsed = time.perf_counter()
        found = Extraction(document=Document(id=gold_document.name, text=gold_document.text, published=gold_document.dct))
        times = extract_times(doc, found)
        extract_seconds += time.perf_counter() - parsed
        parse_seconds += parsed - before
        tally.add(gold_document.name, gold_document.timexes, times)
    result = {
        "documents": len(documents),
        **tally.scores(),
        "seconds": {
            "parse": round(parse_seconds, 2),
            "times": round(extract_seconds, 3),
            "total": round(time.perf_counter() - started, 2),
        },
        "expressions_per_second": round(tally.system / extract_seconds) if extract_seconds else None,
        "times_share_of_parse": round(extract_seconds / parse_seconds, 4) if parse_seconds else None,
    }
    if with_errors:
        result["errors"] = tally.errors
    return result
