"""JSON Lines: one document a line, in the extraction contract (DESIGN.md) with its text."""

from __future__ import annotations

import json
from typing import IO, Any

from sitroom.export import ExportFormat, each, register


def write(picture: Any, out: IO[str], filters: dict[str, Any]) -> None:
    for row in each(picture, "documents", filters):
        found = picture.store.extraction(row["id"])
        if found is not None:
            out.write(json.dumps(found.to_dict(with_text=True), ensure_ascii=False) + "\n")


register(ExportFormat(name="jsonl", media_type="application/x-ndjson", suffix=".jsonl", list="documents", write=write,
                      description="The extraction contract, one document per line, with its text."))
