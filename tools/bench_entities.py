"""How much the entity extractor adds to parsing: documents/s with and without it.

    python tools/bench_entities.py [--docs 200] [--corpus reuters|voa]

Parses the same documents once (nlp.pipe, batch 50, one process), timing the parse, then
times ``extract_entities`` over the parsed docs; the gazetteer is built before timing
starts and its load time is printed apart. Wall-clock and CPU-time rates are both printed:
on a shared machine the CPU-time ratio is the steadier figure.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from sitroom import settings
from sitroom.model import Document, Extraction
from sitroom.nlp import gazetteer
from sitroom.nlp.entities import extract_entities
from sitroom.nlp.pipeline import load_nlp


def texts(corpus: str, count: int) -> list[str]:
    found: list[str] = []
    if corpus == "voa":
        with open(settings.examples_dir() / "voa_stories.jsonl", encoding="utf-8") as handle:
            found = [json.loads(line)["text"] for line in handle]
    else:
        for path in sorted((settings.shared_dir() / "corpus" / "reuters-21578").glob("reut2-*.json")):
            found.extend(d["body"] for d in json.loads(path.read_text(encoding="utf-8")) if d.get("body"))
            if len(found) >= count:
                break
    return found[:count]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--corpus", choices=("reuters", "voa"), default="reuters")
    args = parser.parse_args()
    nlp = load_nlp()
    batch = texts(args.corpus, args.docs)
    nlp("warm up")
    started = time.perf_counter()
    gazetteer.warm_up()
    gazetteer_s = time.perf_counter() - started

    started, cpu_started = time.perf_counter(), time.process_time()
    docs = list(nlp.pipe(batch, batch_size=50))
    parse_s, parse_cpu = time.perf_counter() - started, time.process_time() - cpu_started

    started, cpu_started = time.perf_counter(), time.process_time()
    count = 0
    for doc in docs:
        count += len(extract_entities(doc, Extraction(Document(id="b", text=doc.text))))
    entities_s, entities_cpu = time.perf_counter() - started, time.process_time() - cpu_started

    print(
        json.dumps(
            {
                "corpus": args.corpus,
                "docs": len(docs),
                "entities": count,
                "gazetteer_load_s": round(gazetteer_s, 2),
                "parse_docs_per_s": round(len(docs) / parse_s, 1),
                "parse_plus_entities_docs_per_s": round(len(docs) / (parse_s + entities_s), 1),
                "entities_ms_per_doc": round(1000 * entities_s / len(docs), 2),
                # CPU time is steadier than wall time on a shared machine
                "cpu_parse_docs_per_s": round(len(docs) / parse_cpu, 1),
                "cpu_parse_plus_entities_docs_per_s": round(len(docs) / (parse_cpu + entities_cpu), 1),
                "cpu_ratio": round(parse_cpu / (parse_cpu + entities_cpu), 3),
            }
        )
    )


if __name__ == "__main__":
    main()
