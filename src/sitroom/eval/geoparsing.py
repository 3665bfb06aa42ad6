"""Score places on the geoparsing gold sets: GeoWebNews, LGL, TR-News and GeoVirus.

Two tasks, as the field reports them:

- **recognition**: our place spans against the gold toponyms, precision/recall/F1 on exact
  spans and on overlapping spans;
- **resolution** on gold toponyms: each gold toponym is resolved by our geocoder with the rest
  of the document as context (our own place mentions plus the other gold toponyms), and
  compared with the gold point: accuracy within 161 km (100 miles), median and mean error in
  km. A toponym the gazetteer cannot resolve counts as wrong, at the error of half the earth.

Gold toponyms are those with gold coordinates: GWN's expressions without a location
("the city", "citizens") and LGL's toponyms with no gazetteer entry are left out of both tasks.
"""

from __future__ import annotations

import statistics
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from sitroom.eval.scoring import precision_recall_f1
from sitroom.model import Document

CORPORA = {"gwn": "GWN.xml", "lgl": "lgl.xml", "trnews": "TR-News.xml", "geovirus": "GeoVirus.xml"}
ACCURACY_KM = 161.0
UNRESOLVED_ERROR_KM = 20038.0  # half the earth's circumference: the largest possible error


@dataclass
class GoldToponym:
    start: int
    end: int
    text: str
    lat: float
    lon: float


@dataclass
class GoldDocument:
    name: str
    text: str
    toponyms: list[GoldToponym] = field(default_factory=list)


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def _toponym(element: ET.Element, text: str, fields: dict[str, str]) -> GoldToponym | None:
    """One gold toponym from its XML element, or None without coordinates or valid offsets."""
    def find(name: str) -> str | None:
        path = fields[name]
        return element.findtext(path)

    lat, lon = _float(find("lat")), _float(find("lon"))
    start, end = _float(find("start")), _float(find("end"))
    if lat is None or lon is None or start is None or end is None:
        return None
    start, end = int(start), int(end)
    name = (find("name") or "").strip()
    if name and text[start:end] != name:
        start, end = _repair_offsets(text, name, start)
    if not 0 <= start < end <= len(text):
        return None
    return GoldToponym(start, end, text[start:end], lat, lon)


def _repair_offsets(text: str, name: str, start: int, reach: int = 5) -> tuple[int, int]:
    """Some files are off by a character or two (GeoVirus, parts of TR-News): the nearest
    occurrence of the gold name within ``reach`` characters of the given start."""
    for shift in sorted(range(-reach, reach + 1), key=abs):
        at = start + shift
        if at >= 0 and text[at:at + len(name)] == name:
            return at, at + len(name)
    return start, start + len(name)


_FIELDS = {
    "gwn": ("toponyms/toponym", {"lat": "latitude", "lon": "longitude", "start": "start", "end": "end",
                                 "name": "extractedName"}),
    "lgl": ("toponyms/toponym", {"lat": "gaztag/lat", "lon": "gaztag/lon", "start": "start", "end": "end",
                                 "name": "phrase"}),
    "trnews": ("toponyms/toponym", {"lat": "gaztag/lat", "lon": "gaztag/lon", "start": "start", "end": "end",
                                    "name": "phrase"}),
    "geovirus": ("locations/location", {"lat": "lat", "lon": "lon", "start": "start", "end": "end", "name": "name"}),
}


def read_corpus(folder: Path, corpus: str) -> list[GoldDocument]:
    """The articles of one corpus with their gold toponyms (those that have coordinates)."""
    if corpus not in CORPORA:
        raise ValueError(f"unknown corpus {corpus!r}: choose one of {', '.join(CORPORA)}")
    path = Path(folder) / CORPORA[corpus]
    if not path.is_file():
        raise ValueError(f"{path} not found (give --data the folder holding {CORPORA[corpus]})")
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        raise ValueError(f"{path}: not well-formed XML ({error})") from error
    toponym_path, fields = _FIELDS[corpus]
    documents = []
    for number, article in enumerate(root.iter("article")):
        text = article.findtext("text") or ""
        if not text.strip():
            continue
        name = article.get("docid") or article.get("file") or str(number)
        toponyms = [t for t in (_toponym(e, text, fields) for e in article.findall(toponym_path)) if t]
        seen: set[tuple[int, int]] = set()
        unique = []
        for toponym in sorted(toponyms, key=lambda t: (t.start, t.end)):
            if (toponym.start, toponym.end) not in seen:
                seen.add((toponym.start, toponym.end))
                unique.append(toponym)
        documents.append(GoldDocument(name=name, text=text, toponyms=unique))
    return documents


def _gold_spans(doc, toponyms: list[GoldToponym]):
    """spaCy spans over the gold offsets (widened to whole tokens)."""
    spans = []
    for toponym in toponyms:
        span = doc.char_span(toponym.start, toponym.end, alignment_mode="expand")
        spans.append(span)
    return spans


def resolve_gold(doc, toponyms: list[GoldToponym]) -> list:
    """Our gazetteer entry (or None) for each gold toponym, with the document as context."""
    from sitroom.nlp import geocode, places

    gold_spans = _gold_spans(doc, toponyms)
    taken = {i for span in gold_spans if span is not None for i in range(span.start, span.end)}
    context_spans = [s for s in places.place_spans(doc) if not any(i in taken for i in range(s.start, s.end))]
    spans = sorted([s for s in gold_spans if s is not None] + context_spans, key=lambda s: s.start)
    mentions = places.mentions_of(doc, spans)
    gold_by_span = {(span.start, span.end): t for span, t in zip(gold_spans, toponyms) if span is not None}
    for span, mention in zip(spans, mentions):
        toponym = gold_by_span.get((span.start, span.end))
        if toponym is not None:  # the gold text, not the tokens around it ("U.S." in "U.S.-led")
            mention.text = toponym.text.strip(" ,.;:") if not toponym.text.endswith(".") else toponym.text.strip()
            mention.start, mention.end = toponym.start, toponym.end
            mention.approximate = True  # a gold toponym is a place: unknown ones go to the focus
    picks = geocode.resolve(mentions)
    by_start = {(span.start, span.end): pick for span, pick in zip(spans, picks)}
    return [by_start.get((span.start, span.end)) if span is not None else None for span in gold_spans]


def evaluate(documents: list[GoldDocument], corpus: str = "", with_errors: bool = False) -> dict:
    """Recognition P/R/F1 and resolution accuracy@161 km on gold toponyms (one JSON-ready dict)."""
    from sitroom.nlp.geocode import distance_km
    from sitroom.nlp.pipeline import extract_parsed, load_nlp

    nlp = load_nlp()
    started = time.perf_counter()
    exact = overlap_system = overlap_gold = system_total = gold_total = 0
    errors_km: list[float] = []
    unresolved = 0
    misses = []
    texts = (d.text for d in documents)
    for gold, doc in zip(documents, nlp.pipe(texts, batch_size=20)):
        found = extract_parsed(doc, Document(id=gold.name, text=gold.text))
        system = [(p.start, p.end) for p in found.places]
        gold_spans = [(t.start, t.end) for t in gold.toponyms]
        system_total += len(system)
        gold_total += len(gold_spans)
        exact += len(set(system) & set(gold_spans))
        overlap_system += sum(any(s < ge and gs < e for gs, ge in gold_spans) for s, e in system)
        overlap_gold += sum(any(s < ge and gs < e for s, e in system) for gs, ge in gold_spans)
        for toponym, pick in zip(gold.toponyms, resolve_gold(doc, gold.toponyms)):
            if pick is None:
                unresolved += 1
                error = UNRESOLVED_ERROR_KM
            else:
                error = distance_km(toponym.lat, toponym.lon, pick.lat, pick.lon)
            errors_km.append(error)
            if with_errors and error > ACCURACY_KM:
                misses.append({"document": gold.name, "text": toponym.text, "gold": [toponym.lat, toponym.lon],
                               "ours": [pick.name, pick.country_code, pick.level, round(pick.lat, 3),
                                        round(pick.lon, 3)] if pick else None,
                               "error_km": round(error)})
    seconds = time.perf_counter() - started
    result = {
        "corpus": corpus,
        "documents": len(documents),
        "gold_toponyms": gold_total,
        "recognition": {
            "exact": precision_recall_f1(exact, system_total, gold_total),
            "overlap": precision_recall_f1(overlap_system, system_total, gold_total, correct_gold=overlap_gold),
            "system_places": system_total,
        },
        "resolution": {
            "accuracy_161km": round(sum(e <= ACCURACY_KM for e in errors_km) / len(errors_km), 4) if errors_km else 0.0,
            "median_error_km": round(statistics.median(errors_km), 1) if errors_km else None,
            "mean_error_km": round(statistics.fmean(errors_km), 1) if errors_km else None,
            "unresolved": unresolved,
        },
        "seconds": round(seconds, 1),
    }
    if with_errors:
        result["errors"] = misses
    return result
