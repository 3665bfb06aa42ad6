"""A quick count of the documents a set of inputs holds, for progress bars and time left.

It reads no more than it must (JSONL lines are counted, not parsed) and never fails: an input
it cannot size counts as one document. The readers remain the authority on what is in a file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from sitroom.ingest.readers import expand_paths
from sitroom.ingest.sniff import JSONL_SUFFIXES

# Files larger than this are not opened to count their records.
MAX_COUNTED_BYTES = 64 * 1024 * 1024


def _records_in(path: Path) -> int:
    suffix = path.name.lower()
    try:
        if path.stat().st_size > MAX_COUNTED_BYTES:
            return 1
        if suffix.endswith(JSONL_SUFFIXES):
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
    return sum(_records_in(item) if isinstance(item, Path) else 1 for item in expand_paths(paths))
