"""Place-name recognition by the entity extractor against a geoparsing gold set.

    python tools/eval_toponyms.py [--corpus lgl|GWN] [--docs 200]

Compares the toponym spans of ``../shared/eval/geoparsing`` with (a) spaCy's raw GPE/LOC
spans and (b) the GPE/LOC mentions of ``extract_entities`` (after its gazetteer checks),
counting exact offset matches and overlaps. It measures only whether places are found and
typed as places; resolving them to coordinates is the places extractor's job.
"""

from __future__ import annotations

import argparse
import json
import xml.etree.ElementTree as ET

from sitroom import settings
from sitroom.model import Document, Extraction
from sitroom.nlp.entities import extract_entities
from sitroom.nlp.pipeline import load_nlp


def articles(corpus: str, count: int) -> list[tuple[str, list[tuple[int, int]]]]:
    root = ET.parse(settings.shared_dir() / "eval" / "geoparsing" / f"{corpus}.xml").getroot()
    found = []
    for article in root[:count]:
        text = article.findtext("text") or ""
        gold = [(int(t.findtext("start")), int(t.findtext("end"))) for t in article.find("toponyms")]
        found.append((text, gold))
    return found


def score(predicted: list[set[tuple[int, int]]], gold: list[list[tuple[int, int]]]) -> dict[str, float]:
    exact = overlap_p = overlap_g = n_pred = n_gold = 0
    for spans, gold_spans in zip(predicted, gold):
        n_pred += len(spans)
        n_gold += len(gold_spans)
        exact += len(spans & set(gold_spans))
        overlap_p += sum(any(s < ge and gs < e for gs, ge in gold_spans) for s, e in spans)
        overlap_g += sum(any(s < ge and gs < e for s, e in spans) for gs, ge in gold_spans)

    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    p, r = exact / max(n_pred, 1), exact / max(n_gold, 1)
    op, orr = overlap_p / max(n_pred, 1), overlap_g / max(n_gold, 1)
    return {
        "exact_p": round(p, 3), "exact_r": round(r, 3), "exact_f1": round(f1(p, r), 3),
        "overlap_p": round(op, 3), "overlap_r": round(orr, 3), "overlap_f1": round(f1(op, orr), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default="lgl")
    parser.add_argument("--docs", type=int, default=200)
    args = parser.parse_args()
    data = articles(args.corpus, args.docs)
    nlp = load_nlp()
    raw, ours = [], []
    for (text, _), doc in zip(data, nlp.pipe((t for t, _ in data), batch_size=50)):
        raw.append({(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("GPE", "LOC")})
        entities = extract_entities(doc, Extraction(Document(id="g", text=text)))
        ours.append({(m.start, m.end) for e in entities if e.type in ("GPE", "LOC") for m in e.mentions})
    gold = [g for _, g in data]
    print(json.dumps({"corpus": args.corpus, "docs": len(data), "spacy_gpe_loc": score(raw, gold),
                      "entities_gpe_loc": score(ours, gold)}))


if __name__ == "__main__":
    main()
