"""A quick count of the documents a set of inputs holds, for progress bars and time left.

It reads no more than it must (JSONL lines are counted, not parsed) and never fails: an input
it cannot size counts as one document. The readers remain the authority on what is in a file.
"""

from __future__ import annotations

import glob
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

# Files larger than this are not opened to count their records.
MAX_COUNTED_BYTES = 64 * 1024 * 1024


def _files(paths: Sequence[str]) -> Iterator[Path]:
    for raw in paths:
        matches = glob.glob(raw, recursive=True) if glob.has_magic(raw) else [raw]
        for match in matches:
            path = Path(match)
            if path.is_dir():
                for root, dirs, names in os.walk(path):
                    dirs[:] = [d for d in dirs if not d.startswith(".")]
                    yield from (Path(root) / n for n in names if not n.startswith("."))
            else:
                yield path


def _records_in(path: Path) -> int:
    suffix = path.name.lower()
    try:
        if path.stat().st_size > MAX_COUNTED_BYTES:
            return 1
        if suffix.endswith((".jsonl", ".ndjson")):
            with path.open("rb") as handle:
                return sum(1 for line in handle if line.strip())
        if suffix.endswith(".json"):
            with path.open("rb") as handle:
                data = json.load(handle)
            return len(data) if isinstance(data, list) else 1
    except (OSError, ValueError):
        return 1
    return 1


def estimate_documents(paths: Sequence[str]) -> int:
    """About how many documents ``paths`` hold (one per file, one per JSON record or line)."""
    return sum(_records_in(path) for path in _files(paths))
