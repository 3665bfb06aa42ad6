"""Draw the candidates for the hand-labelled figure gold (gold/figures/).

Reads a sitroom SQLite store (read-only) and writes two candidate files, with the label
columns left empty for a person to fill in:

* ``quantities.candidates.tsv``: every extracted quantity that has a counted thing
  (``quantities.counts`` not null) in a seeded sample of documents. Eligible documents are
  those that are not near duplicates of another stored document and hold at least two such
  quantities. The sample is stratified by source (the VOA stories and the Ukraine articles,
  each by its share of the eligible documents) and weighted towards documents about war,
  conflict, casualties, refugees, aid and the military: a document whose text uses at least
  ``TOPIC_MIN`` of the ``TOPIC`` stems weighs ``TOPIC_WEIGHT``, any other weighs 1, so the
  sample is still a random draw over all eligible documents, not a keyword filter.
  Documents get their split (``dev`` two thirds, ``test`` one third) by a seeded shuffle
  within each source, so all the figures of one document share a split.
* ``pairs.candidates.tsv``: pairs of counted quantities from two different documents of
  the whole store whose counted nouns are the same or synonyms (``GROUPS``) and whose report
  dates lie at most 60 days apart. Every stored document has a split: the sampled documents
  keep theirs, the others get one by a seeded draw (two thirds ``dev``); a pair is drawn only
  from two documents of the same split and takes that split, so no document of a ``test``
  row appears in a ``dev`` row. Pairs are drawn in three strata (``PAIR_QUOTAS``): ``close``
  (values within a factor of 1.5, any group), ``war`` (other pairs of troops, people,
  refugees, children, deaths and the like) and ``other`` (pairs of any other counted noun).
  A quantity is used in at most one pair and a document in at most ``MAX_PER_DOC`` pairs.

The draw is deterministic: the same store and seed give the same files.

    .venv/bin/python tools/sample_figures.py /tmp/ukr/dated.db --out /tmp/figures-candidates

The store is opened with ``mode=ro``; nothing is written to it. Only ids, offsets, the
figure's own text and counted nouns are written out, never the text around a figure.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import re
import sqlite3
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

SEED = 20250311
N_DOCUMENTS = 70
DEV_SHARE = 2 / 3
VOA = "voanews.com"

TOPIC = ["war", "military", "troop", "soldier", "army", "armed forces", "kill", "dead", "death",
         "casualt", "wounded", "injured", "refugee", "displaced", "evacuat", "humanitarian",
         "aid", "weapon", "missile", "attack", "invasion", "shelling", "conflict", "militant",
         "hostage", "prisoner"]
TOPIC_MIN = 6
TOPIC_WEIGHT = 3.0

# Counted nouns (lemmas as the store holds them) that a tracker may treat as one thing.
GROUPS = {
    "troops": {"troop", "soldier", "serviceman", "servicemember", "personnel", "conscript",
               "reservist", "recruit"},
    "people": {"people", "person", "civilian", "resident", "inhabitant", "citizen",
               "individual"},
    "refugees": {"refugee", "evacuee", "displaced"},
    "children": {"child", "kid", "boy", "girl", "minor"},
    "deaths": {"death", "fatality", "casualty", "victim", "body", "life"},
}
WAR_GROUPS = {"troops", "people", "refugees", "children", "deaths", "militant", "tank",
              "missile", "drone", "vehicle", "prisoner", "hostage", "detainee", "passenger",
              "terrorist", "attack", "weapon", "rocket", "aircraft", "dollar", "army",
              "battalion", "fighter", "Ukrainians", "Russians"}
PAIR_QUOTAS = {"dev": {"close": 35, "war": 45, "other": 20},
               "test": {"close": 17, "war": 23, "other": 10}}
MAX_PER_DOC = 6
MAX_DAYS = 60

QUANTITY_COLUMNS = ["split", "document_id", "start", "end", "text", "counts", "junk", "owner",
                    "happened", "scope", "kind", "target", "refers_to", "part_of", "place",
                    "note"]
PAIR_COLUMNS = ["split", "stratum", "document_a", "start_a", "text_a", "counts_a",
                "published_a", "document_b", "start_b", "text_b", "counts_b", "published_b",
                "same_thing", "conflict", "note"]


def group_of(lemma: str) -> str:
    for name, members in GROUPS.items():
        if lemma in members:
            return name
    return lemma


def magnitude(q: dict) -> float | None:
    """One number for a quantity: its value, or the geometric middle of its range."""
    if q["value"] is not None:
        return q["value"]
    low, high = q["low"], q["high"]
    if low and high and low > 0 and high > 0:
        return math.sqrt(low * high)
    return low or high


def load(con: sqlite3.Connection) -> tuple[dict, dict]:
    docs = {}
    for did, source, published, near, text in con.execute(
            "SELECT id, source, published, near_duplicate_of, text FROM documents ORDER BY id"):
        docs[did] = {"id": did, "source": source or "", "published": published,
                     "near": near, "text": text}
    quantities = defaultdict(list)
    for did, idx, data in con.execute(
            "SELECT document_id, idx, data FROM quantities WHERE counts IS NOT NULL "
            "ORDER BY document_id, start, idx"):
        q = json.loads(data)
        quantities[did].append({"document_id": did, "idx": idx, "start": q["start"],
                                "end": q["end"], "text": q["text"], "counts": q["counts"],
                                "value": q.get("value"), "low": q.get("low"),
                                "high": q.get("high")})
    return docs, quantities


def topic_weight(text: str) -> float:
    low = text.lower()
    hits = sum(1 for stem in TOPIC if re.search(r"\b" + re.escape(stem), low))
    return TOPIC_WEIGHT if hits >= TOPIC_MIN else 1.0


def weighted_sample(items: list[str], weights: dict[str, float], k: int,
                    rng: random.Random) -> list[str]:
    """Efraimidis-Spirakis: k items without replacement, chance in proportion to weight."""
    keyed = sorted(items, key=lambda i: rng.random() ** (1.0 / weights[i]), reverse=True)
    return keyed[:k]


def sample_documents(docs: dict, quantities: dict, rng: random.Random) -> dict[str, str]:
    """Document id -> split for the documents whose figures are labelled."""
    eligible = [d for d in sorted(docs) if docs[d]["near"] is None and len(quantities[d]) >= 2]
    strata = defaultdict(list)
    for d in eligible:
        strata["voa" if docs[d]["source"] == VOA else "ukraine"].append(d)
    chosen = {}
    for name in sorted(strata):
        members = strata[name]
        quota = round(N_DOCUMENTS * len(members) / len(eligible))
        weights = {d: topic_weight(docs[d]["text"]) for d in members}
        drawn = sorted(weighted_sample(members, weights, quota, rng))
        rng.shuffle(drawn)
        n_dev = round(len(drawn) * DEV_SHARE)
        for rank, d in enumerate(drawn):
            chosen[d] = "dev" if rank < n_dev else "test"
    return chosen


def document_splits(docs: dict, sampled: dict[str, str], rng: random.Random) -> dict[str, str]:
    splits = dict(sampled)
    for d in sorted(docs):
        if d not in splits:
            splits[d] = "dev" if rng.random() < DEV_SHARE else "test"
    return splits


def days(a: str | None, b: str | None) -> int | None:
    if not a or not b:
        return None
    return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)


def sample_pairs(docs: dict, quantities: dict, splits: dict[str, str],
                 rng: random.Random) -> list[dict]:
    by_group = defaultdict(list)
    for d in sorted(quantities):
        if docs[d]["near"] is not None or not docs[d]["published"]:
            continue
        for q in quantities[d]:
            by_group[group_of(q["counts"])].append(q)
    pools = defaultdict(list)  # (split, stratum) -> candidate pairs
    for group in sorted(by_group):
        figures = by_group[group]
        for i, a in enumerate(figures):
            for b in figures[i + 1:]:
                da, db = a["document_id"], b["document_id"]
                if da == db or splits[da] != splits[db]:
                    continue
                gap = days(docs[da]["published"], docs[db]["published"])
                if gap is None or gap > MAX_DAYS:
                    continue
                ma, mb = magnitude(a), magnitude(b)
                if ma and mb and ma > 0 and mb > 0 and max(ma, mb) / min(ma, mb) <= 1.5:
                    stratum = "close"
                elif group in WAR_GROUPS:
                    stratum = "war"
                else:
                    stratum = "other"
                pools[(splits[da], stratum)].append((a, b))
    used_q: set[tuple[str, int]] = set()
    per_doc: Counter = Counter()
    pairs = []
    for split in ("dev", "test"):
        for stratum, quota in PAIR_QUOTAS[split].items():
            pool = pools[(split, stratum)]
            rng.shuffle(pool)
            taken = 0
            for a, b in pool:
                if taken >= quota:
                    break
                ka, kb = (a["document_id"], a["idx"]), (b["document_id"], b["idx"])
                if ka in used_q or kb in used_q:
                    continue
                if per_doc[ka[0]] >= MAX_PER_DOC or per_doc[kb[0]] >= MAX_PER_DOC:
                    continue
                if (docs[a["document_id"]]["published"], a["document_id"]) > \
                        (docs[b["document_id"]]["published"], b["document_id"]):
                    a, b = b, a
                used_q.update((ka, kb))
                per_doc.update((ka[0], kb[0]))
                taken += 1
                pairs.append({
                    "split": split, "stratum": stratum,
                    "document_a": a["document_id"], "start_a": a["start"], "text_a": a["text"],
                    "counts_a": a["counts"], "published_a": docs[a["document_id"]]["published"],
                    "document_b": b["document_id"], "start_b": b["start"], "text_b": b["text"],
                    "counts_b": b["counts"], "published_b": docs[b["document_id"]]["published"],
                })
    return pairs


def write(path: Path, rows: list[dict], columns: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, columns, delimiter="\t", lineterminator="\n",
                                extrasaction="ignore", restval="")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: str(v).replace("\t", " ").replace("\n", " ")
                             for k, v in row.items()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", help="path to the SQLite store (opened read-only)")
    parser.add_argument("--out", type=Path, required=True, help="folder for the candidate files")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    con = sqlite3.connect(f"file:{args.store}?mode=ro", uri=True)
    docs, quantities = load(con)
    sampled = sample_documents(docs, quantities, random.Random(args.seed))
    rows = []
    for d in sorted(sampled, key=lambda d: (sampled[d], docs[d]["source"] == VOA, d)):
        for q in quantities[d]:
            rows.append({"split": sampled[d], "document_id": d, "start": q["start"],
                         "end": q["end"], "text": q["text"], "counts": q["counts"]})
    splits = document_splits(docs, sampled, random.Random(args.seed + 1))
    pairs = sample_pairs(docs, quantities, splits, random.Random(args.seed + 2))
    args.out.mkdir(parents=True, exist_ok=True)
    write(args.out / "quantities.candidates.tsv", rows, QUANTITY_COLUMNS)
    write(args.out / "pairs.candidates.tsv", pairs, PAIR_COLUMNS)
    print(json.dumps({
        "documents": Counter(f"{sampled[d]}:{'voa' if docs[d]['source'] == VOA else 'ukraine'}"
                             for d in sampled),
        "quantities": Counter(r["split"] for r in rows),
        "pairs": Counter(f"{p['split']}:{p['stratum']}" for p in pairs),
    }, sort_keys=True))


if __name__ == "__main__":
    main()
