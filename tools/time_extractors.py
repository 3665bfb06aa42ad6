"""Seconds each extractor and the store writes take, beside the spaCy parse (one process).

Run: .venv/bin/python tools/time_extractors.py              # the 89 bundled VOA stories
     .venv/bin/python tools/time_extractors.py --reuters 300 # the first 300 distinct Reuters bodies
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from sitroom import settings
from sitroom.ingest.identity import document_id
from sitroom.model import Document, Extraction
from sitroom.nlp.pipeline import extractors, load_nlp
from sitroom.store import open_store


def _texts(reuters: int | None) -> list[str]:
    if reuters:
        from sitroom.bench.ingest import default_corpus, sample_documents

        return [d["text"] for d in sample_documents(default_corpus(), reuters)]
    path = settings.examples_dir() / "voa_stories.jsonl"
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuters", type=int, default=None, help="Time the first N Reuters bodies instead of VOA.")
    args = parser.parse_args()
    texts = _texts(args.reuters)
    nlp = load_nlp()
    started = time.perf_counter()
    parsed = list(nlp.pipe(texts, batch_size=settings.DEFAULT_BATCH_SIZE))
    seconds = {"parse": time.perf_counter() - started}
    found_all = []
    for text, doc in zip(texts, parsed):
        found = Extraction(document=Document(id=document_id(text), text=text))
        for name, extract in extractors():
            started = time.perf_counter()
            found.set_records(name, extract(doc, found))
            seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - started
        found_all.append(found)
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{Path(folder) / 'timing.db'}")
        started = time.perf_counter()
        for found in found_all:
            store.save_extraction(found, location="timing", replace=False)
        seconds["store"] = time.perf_counter() - started
        store.close()
    total = sum(seconds.values())
    print(json.dumps({"documents": len(texts), "seconds": {k: round(v, 2) for k, v in seconds.items()},
                      "share_of_total": {k: round(v / total, 3) for k, v in seconds.items()},
                      "share_of_parse": {k: round(v / seconds["parse"], 3) for k, v in seconds.items() if k != "parse"}}))


if __name__ == "__main__":
    main()
