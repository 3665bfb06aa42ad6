"""Fill a store with the bundled examples (the seed article and the VOA stories).

Used by the tests and by ``sitroom serve --examples`` when there is no ingest run to lean on;
it goes through the same ``sitroom.extract`` and ``Store.save_extraction`` as everything else.
"""

from __future__ import annotations

import json

from sitroom import settings
from sitroom.model import Document
from sitroom.store import Store

SEED_NAME = "north-korean-troops-in-russia.txt"
SEED_PUBLISHED = "2024-10-24"  # see examples/README.md: the seed has no dateline


def example_documents(limit: int | None = None) -> list[tuple[Document, str]]:
    """(document, location) for the seed and the first ``limit`` VOA stories."""
    from sitroom.ingest.identity import document_id

    folder = settings.examples_dir()
    seed_text = (folder / SEED_NAME).read_text(encoding="utf-8")
    out = [(Document(id=document_id(seed_text), text=seed_text, title="North Korean troops in Russia",
                     published=SEED_PUBLISHED, language="en"), str(folder / SEED_NAME))]
    with (folder / "voa_stories.jsonl").open(encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if limit is not None and n >= limit:
                break
            story = json.loads(line)
            text = story.get("text") or ""
            if not text.strip():
                continue
            out.append((Document(id=document_id(text), text=text, title=story.get("title"), source="Voice of America",
                                 url=story.get("url"), published=(story.get("published") or "")[:10] or None,
                                 language="en"), f"{folder / 'voa_stories.jsonl'}#{story.get('id', n)}"))
    return out


def load_examples(store: Store, limit: int | None = None) -> int:
    """Extract and save the examples; returns how many documents were stored."""
    from sitroom.nlp.pipeline import extract_documents

    pairs = example_documents(limit)
    locations = {doc.id: location for doc, location in pairs}
    count = 0
    for found in extract_documents([doc for doc, _ in pairs]):
        store.save_extraction(found, location=locations[found.document.id])
        count += 1
    return count
