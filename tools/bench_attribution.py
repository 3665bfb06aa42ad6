"""What the attribution step adds to the pipeline's time: parse vs claims on the same documents.

Parses the first N articles of the shared ukraine-war-news corpus (else the bundled VOA stories)
with ``nlp.pipe`` in one process, then times ``extract_claims`` alone on the parsed documents
(entities first, as in the pipeline, timed apart). Prints one JSON line.

    .venv/bin/python tools/bench_attribution.py [--docs 200]
"""

from __future__ import annotations

import argparse
import json
import time

from sitroom import settings
from sitroom.model import Document, Extraction
from sitroom.nlp.attribution import extract_claims
from sitroom.nlp.entities import extract_entities
from sitroom.nlp.pipeline import load_nlp


def corpus_texts(limit: int) -> tuple[str, list[str]]:
    folder = settings.shared_dir() / "corpus" / "ukraine-war-news" / "articles"
    if folder.is_dir():
        return str(folder), [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))[:limit]]
    path = settings.examples_dir() / "voa_stories.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return str(path), [row["text"] for row in rows[:limit]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=200)
    args = parser.parse_args()
    corpus, texts = corpus_texts(args.docs)
    nlp = load_nlp()
    list(nlp.pipe(texts[:5]))  # warm up
    started = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=50))
    parse_s = time.perf_counter() - started
    entities_s = claims_s = 0.0
    claims = 0
    for text, doc in zip(texts, docs):
        found = Extraction(document=Document(id="bench", text=text, published="2024-01-01"))
        started = time.perf_counter()
        found.entities = extract_entities(doc, found)
        entities_s += time.perf_counter() - started
        started = time.perf_counter()
        found.claims = extract_claims(doc, found)
        claims_s += time.perf_counter() - started
        claims += len(found.claims)
    print(json.dumps({"corpus": corpus, "documents": len(texts), "chars": sum(map(len, texts)),
                      "parse_s": round(parse_s, 2), "entities_s": round(entities_s, 2),
                      "claims_s": round(claims_s, 2), "claims": claims,
                      "claims_share_of_parse": round(claims_s / parse_s, 3)}))


if __name__ == "__main__":
    main()
