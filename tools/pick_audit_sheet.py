"""Pick a held-out audit sheet from a pool drawn by ``sitroom audit``.

The rules of issue 13 were written reading documents whose id starts with 0-7 and the items
of earlier judged sheets. A later sheet must come from elsewhere: this keeps the items of
documents whose id starts with one of ``--prefixes`` (default 8-f), leaves out every item
(``--leave-out items``) or every document (``--leave-out documents``) of the sheets under
``--seen``, shuffles what is left with ``--seed`` and writes the first ``--sample`` items,
in document order.

    sitroom audit --kind claims --sample 20000 --seed 2028 \\
        --under ../shared/corpus/ukraine-war-news --db sqlite:///ukraine.db -o pool.csv
    python tools/pick_audit_sheet.py pool.csv claims.csv --seed 2028 --leave-out documents \\
        --seen gold/audits/before --seen gold/audits/after
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path


def seen_items(folders: list[Path]) -> tuple[set[str], set[tuple[str, str, str]]]:
    """Documents and (document, start, end) items of every judged sheet under ``folders``."""
    documents: set[str] = set()
    items: set[tuple[str, str, str]] = set()
    for folder in folders:
        for sheet in sorted(folder.glob("*.csv")):
            with sheet.open(newline="", encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    documents.add(row["document_id"])
                    items.add((row["document_id"], row["start"], row["end"]))
    return documents, items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pool", type=Path, help="a sheet written by sitroom audit")
    parser.add_argument("output", type=Path)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--sample", type=int, default=60)
    parser.add_argument("--prefixes", default="89abcdef", help="first characters of held-out document ids")
    parser.add_argument("--seen", type=Path, action="append", default=[], help="a folder of judged sheets")
    parser.add_argument("--leave-out", choices=("items", "documents"), default="items")
    args = parser.parse_args()

    documents, items = seen_items(args.seen)
    with args.pool.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if not rows:
        raise SystemExit(f"{args.pool}: no items")

    def eligible(row: dict[str, str]) -> bool:
        if row["document_id"][:1] not in args.prefixes:
            return False
        if args.leave_out == "documents":
            return row["document_id"] not in documents
        return (row["document_id"], row["start"], row["end"]) not in items

    held = [row for row in rows if eligible(row)]
    random.Random(args.seed).shuffle(held)
    chosen = sorted(held[: args.sample], key=lambda row: (row["document_id"], int(row["idx"])))
    with args.output.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(chosen)
    print(f"{len(rows)} in the pool, {len(held)} eligible, {len(chosen)} written to {args.output}")


if __name__ == "__main__":
    main()
