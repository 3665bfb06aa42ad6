"""How much reading costs: ``read_inputs`` over the Reuters JSON files, and on 400 of its
documents reading + MinHash against bare spaCy parsing (CPU seconds, one process).

    SITROOM_SHARED=../shared .venv/bin/python tools/ingest_read_speed.py
"""

from __future__ import annotations

import itertools
import resource
import time

from sitroom import settings
from sitroom.ingest import Incoming, NearDuplicateIndex, read_inputs
from sitroom.ingest.language import detect_language
from sitroom.nlp.pipeline import DEFAULT_BATCH_SIZE, load_nlp


def main() -> None:
    folder = settings.shared_dir() / "corpus" / "reuters-21578"
    files = sorted(str(path) for path in folder.glob("*.json"))
    if not files:
        raise SystemExit(f"no Reuters files in {folder} (set SITROOM_SHARED)")
    detect_language("warm up the language model " * 5)
    wall, cpu = time.perf_counter(), time.process_time()
    documents = skipped = 0
    for item in read_inputs(files):
        documents += isinstance(item, Incoming)
        skipped += not isinstance(item, Incoming)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"read_inputs, {len(files)} Reuters files: {documents} documents, {skipped} skipped; "
          f"{documents / wall:.0f} documents/s wall ({wall:.1f} s), {documents / cpu:.0f} documents/s CPU "
          f"({cpu:.1f} s); peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")

    nlp = load_nlp()
    list(nlp.pipe(["Warm up the parser."]))
    index = NearDuplicateIndex()
    cpu = time.process_time()
    items = (item for item in read_inputs(files[:1]) if isinstance(item, Incoming))
    texts = [item.document.text for item in itertools.islice(items, 400)]
    read_cpu = time.process_time() - cpu
    cpu = time.process_time()
    for text in texts:
        index.signature(text)
    minhash_cpu = time.process_time() - cpu
    cpu = time.process_time()
    for _doc in nlp.pipe(texts, batch_size=DEFAULT_BATCH_SIZE):
        pass
    parse_cpu = time.process_time() - cpu
    print(f"first {len(texts)} documents, CPU s: reading {read_cpu:.2f}, MinHash {minhash_cpu:.2f}, spaCy parse "
          f"{parse_cpu:.2f}; reading + MinHash = {100 * (read_cpu + minhash_cpu) / parse_cpu:.1f}% of parsing")


if __name__ == "__main__":
    main()
