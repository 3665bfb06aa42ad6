"""Seconds each extractor takes over the bundled VOA stories, beside the spaCy parse (one process).

Run: .venv/bin/python tools/time_extractors.py
"""

from __future__ import annotations

import json
import time

from sitroom import settings
from sitroom.model import Document, Extraction
from sitroom.nlp.pipeline import extractors, load_nlp


def main() -> None:
    path = settings.examples_dir() / "voa_stories.jsonl"
    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    nlp = load_nlp()
    started = time.perf_counter()
    parsed = list(nlp.pipe(texts, batch_size=50))
    seconds = {"parse": time.perf_counter() - started}
    for text, doc in zip(texts, parsed):
        found = Extraction(document=Document(id="x", text=text))
        for name, extract in extractors():
            started = time.perf_counter()
            setattr(found, name, extract(doc, found))
            seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - started
    total = sum(seconds.values())
    print(json.dumps({"documents": len(texts), "seconds": {k: round(v, 2) for k, v in seconds.items()},
                      "share_of_total": {k: round(v / total, 3) for k, v in seconds.items()}}))


if __name__ == "__main__":
    main()
