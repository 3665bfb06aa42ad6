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
  keep theirs, the others get one by a seeded draw (two thirds ``dev``). A pair is ``test``
  when either of its documents is ``test``, else ``dev``, so no ``dev`` row touches a
  ``test`` document. Pairs are drawn in five strata (``PAIR_QUOTAS``), each pair falling in
  the first that fits, with ``overlap`` the Jaccard overlap of the content words of the two
  sentences around the figures and ``ratio`` the larger value over the smaller:
  ``differ`` (overlap at least ``DIFFER_MIN`` and ratio above ``SAME_RATIO`` and at most
  ``DIFFER_RATIO``: the same story with different numbers, where conflicts and hard
  negatives live), ``similar`` (overlap at least ``SIMILAR_MIN``: mostly the same story
  told twice, most of the pairs that count the same thing), ``close`` (ratio at most
  ``CLOSE_RATIO``), ``war`` (other pairs of troops, people, refugees, children, deaths and
  the like) and ``other`` (any other counted noun).
  A stratum whose pool runs short passes the rest of its quota to the next. A quantity is
  used in at most one pair and a document in at most ``MAX_PER_DOC`` pairs.
* ``conflict_pairs.candidates.tsv`` (step 3, its own random stream ``seed + 3``; steps 1 and
  2 are unchanged by it): candidate conflict pairs, enriched for two reports that give
  incompatible values for one thing. Two counted quantities from different documents (near
  duplicates left out) whose counted nouns fall in one ``CONFLICT_GROUPS`` group, whose report
  dates lie at most ``CONFLICT_DAYS`` (14) apart, and whose values, read with their bounds
  (``value_interval``: "at least" and "more than" leave the top open, "up to" the bottom,
  ranges and vague plurals are their ranges), lie more than 20% apart (``CONFLICT_GAP``);
  pairs already in ``--exclude`` (gold/figures/pairs.tsv) are left out. Pairs are ordered by
  a seeded weighted draw without replacement, weight ``(1 + 20 * overlap) ** 2`` with
  ``overlap`` as above, so pairs whose sentences share content words come first. Stratum
  ``near`` (values at most a factor of ``CONFLICT_NEAR`` apart) takes 200 and ``far`` the
  rest of 250, a quantity in at most ``CONFLICT_MAX_PER_QUANTITY`` and a document in at most
  ``CONFLICT_MAX_PER_DOC`` of them; then stratum ``more`` appends the ``near`` pairs those
  caps left out, in the same order. Rows keep the draw order (``rank``).

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
PAIR_QUOTAS = {"dev": {"differ": 20, "similar": 30, "close": 20, "war": 20, "other": 10},
               "test": {"differ": 12, "similar": 15, "close": 9, "war": 9, "other": 5}}
DIFFER_MIN = 0.1
DIFFER_RATIO = 2.5
SIMILAR_MIN = 0.15
SAME_RATIO = 1.1
CLOSE_RATIO = 1.5
STOPWORDS = set("""the and for that with was were are has have had from this their its his her they
them been will would said says also into than more over about after before which who what when
where there other some such only most many much very both each while since until being does did
not but all any can could may might our out per one two three four five six seven eight nine
ten""".split())
MAX_PER_DOC = 6
MAX_DAYS = 60
EXCLUDE = Path(__file__).resolve().parent.parent / "gold" / "figures" / "pairs.tsv"

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


def context_words(text: str, start: int, end: int) -> frozenset[str]:
    """Content words of the sentence around a figure, the figure itself left out."""
    left = max(max(text.rfind(mark, 0, start) for mark in (". ", "\n", "? ", "! ")), 0)
    rights = [i for i in (text.find(mark, end) for mark in (". ", "\n", "? ", "! ")) if i != -1]
    right = min(rights) if rights else len(text)
    words = re.findall(r"[a-z]{3,}", (text[left:start] + " " + text[end:right]).lower())
    return frozenset(w for w in words if w not in STOPWORDS)


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
                                "high": q.get("high"), "bound": q.get("bound"),
                                "words": context_words(docs[did]["text"], q["start"], q["end"])})
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
                if da == db:
                    continue
                gap = days(docs[da]["published"], docs[db]["published"])
                if gap is None or gap > MAX_DAYS:
                    continue
                split = "test" if "test" in (splits[da], splits[db]) else "dev"
                ma, mb = magnitude(a), magnitude(b)
                ratio = max(ma, mb) / min(ma, mb) if ma and mb and ma > 0 and mb > 0 else None
                union = a["words"] | b["words"]
                overlap = len(a["words"] & b["words"]) / len(union) if union else 0.0
                differs = ratio is not None and SAME_RATIO < ratio <= DIFFER_RATIO
                if overlap >= DIFFER_MIN and differs:
                    stratum = "differ"
                elif overlap >= SIMILAR_MIN:
                    stratum = "similar"
                elif ratio is not None and ratio <= CLOSE_RATIO:
                    stratum = "close"
                elif group in WAR_GROUPS:
                    stratum = "war"
                else:
                    stratum = "other"
                pools[(split, stratum)].append((a, b))
    used_q: set[tuple[str, int]] = set()
    per_doc: Counter = Counter()
    pairs = []
    for split in ("dev", "test"):
        carry = 0  # what a short stratum could not fill passes to the next one
        for stratum, quota in PAIR_QUOTAS[split].items():
            quota += carry
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
            carry = quota - taken
    return pairs


# --- Step 3: candidate conflict pairs (gold/figures/conflict_pairs.tsv) ----------------------
# The pairs of step 2 hold almost no conflicts, so they cannot measure recall. This step draws
# pairs enriched for conflicts: two figures from different documents whose counted nouns fall
# in one CONFLICT_GROUPS group, reported at most CONFLICT_DAYS apart, whose values, read with
# their bounds, lie more than CONFLICT_GAP apart, preferring pairs whose sentences share
# content words. It has its own random stream (seed + 3) and does not touch steps 1 and 2.

CONFLICT_GROUPS = {
    "troops": {"troop", "soldier", "serviceman", "servicemember", "personnel", "conscript",
               "reservist", "recruit", "force", "army", "fighter"},
    "people": {"people", "person", "civilian", "resident", "inhabitant", "citizen",
               "individual"},
    "deaths": {"death", "fatality", "casualty", "victim", "body", "life", "dead", "killed"},
    "refugees": {"refugee", "evacuee", "displaced", "arrival"},
    "children": {"child", "kid", "boy", "girl", "minor"},
    "militants": {"militant", "terrorist", "insurgent", "attacker", "gunman"},
    "hostages": {"hostage", "passenger", "captive"},
    "prisoners": {"prisoner", "detainee"},
    "tanks": {"tank"},
    "missiles": {"missile", "rocket"},
    "drones": {"drone"},
    "vehicles": {"vehicle"},
    "aircraft": {"aircraft", "helicopter", "jet"},
}
CONFLICT_DAYS = 14
CONFLICT_GAP = 1.2  # the lower end of one must exceed the higher end of the other by 20%
CONFLICT_NEAR = 3.0  # "near": the values lie at most a factor of 3 apart, "far": further
CONFLICT_QUOTAS = {"near": 200, "far": 50}
# After the capped draw, stratum "more": the "near" pairs the caps left out, in the same order
# and uncapped. The first 250 rows held only 14 conflicts; these rows come after them, so the
# first 250 are the same with or without them.
CONFLICT_MORE = 150
CONFLICT_OVERLAP_WEIGHT = 20.0  # draw weight (1 + 20 * overlap) ** 2
CONFLICT_MAX_PER_QUANTITY = 4
CONFLICT_MAX_PER_DOC = 20
CONFLICT_COLUMNS = ["split", "rank", "stratum", "group", "overlap", "gap", "document_a",
                    "start_a", "text_a", "bound_a", "counts_a", "published_a", "document_b",
                    "start_b", "text_b", "bound_b", "counts_b", "published_b", "same_thing",
                    "conflict", "note"]


def conflict_group(lemma: str) -> str | None:
    for name, members in CONFLICT_GROUPS.items():
        if lemma in members:
            return name
    return None


def value_interval(q: dict) -> tuple[float, float] | None:
    """The values a figure allows, read with its bound: "at least 3,000" is [3000, inf)."""
    bound = q.get("bound")
    if bound == "range":
        low, high = q["low"], q["high"]
    elif q["value"] is None:
        return None
    elif bound in ("at_least", "more_than"):
        low, high = q["value"], math.inf
    elif bound in ("at_most", "less_than"):
        low, high = 0.0, q["value"]
    else:  # exact, approx: the 20% margin covers rounding
        low = high = q["value"]
    if low is None or high is None or high < 1:
        return None  # shares and fractions ("half", "2 in 3") are not counts
    return low, high


def value_gap(a: tuple[float, float], b: tuple[float, float]) -> float:
    """How far apart two value intervals lie: the lower end of the higher one over the higher
    end of the lower one (1 or less when they overlap)."""
    low, high = (a, b) if a[0] <= b[0] else (b, a)
    if high[0] <= low[1]:
        return 1.0
    return math.inf if low[1] <= 0 else high[0] / low[1]


def read_pair_keys(path: Path) -> set[frozenset]:
    """Unordered (document, start) pairs of an existing pair file, to leave out."""
    keys: set[frozenset] = set()
    if not path.exists():
        raise SystemExit(f"{path}: no such pair file to leave out (see --exclude)")
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            keys.add(frozenset({(row["document_a"], int(row["start_a"])),
                                (row["document_b"], int(row["start_b"]))}))
    return keys


def sample_conflict_pairs(docs: dict, quantities: dict, splits: dict[str, str],
                          exclude: set[frozenset], rng: random.Random) -> list[dict]:
    by_group = defaultdict(list)
    for d in sorted(quantities):
        if docs[d]["near"] is not None or not docs[d]["published"]:
            continue
        for q in quantities[d]:
            group = conflict_group(q["counts"])
            span = value_interval(q)
            if group and span:
                by_group[group].append((q, span))
    pool = []
    for group in sorted(by_group):
        figures = by_group[group]
        for i, (a, sa) in enumerate(figures):
            for b, sb in figures[i + 1:]:
                da, db = a["document_id"], b["document_id"]
                gap_ratio = value_gap(sa, sb)
                if da == db or gap_ratio <= CONFLICT_GAP:
                    continue
                gap = days(docs[da]["published"], docs[db]["published"])
                if gap is None or gap > CONFLICT_DAYS:
                    continue
                if frozenset({(da, a["start"]), (db, b["start"])}) in exclude:
                    continue
                union = a["words"] | b["words"]
                overlap = len(a["words"] & b["words"]) / len(union) if union else 0.0
                stratum = "near" if gap_ratio <= CONFLICT_NEAR else "far"
                pool.append((stratum, group, overlap, gap_ratio, a, b))
    # Efraimidis-Spirakis: one weighted order without replacement over the whole pool; each
    # stratum in turn takes its pairs in that order up to its quota, within the caps, and
    # passes what it could not fill to the next.
    weight = [(1.0 + CONFLICT_OVERLAP_WEIGHT * p[2]) ** 2 for p in pool]
    keys = [rng.random() ** (1.0 / w) for w in weight]
    order = sorted(range(len(pool)), key=lambda i: keys[i], reverse=True)
    per_q: Counter = Counter()
    per_doc: Counter = Counter()
    used: set[int] = set()
    pairs = []
    carry = 0
    for want, quota in CONFLICT_QUOTAS.items():
        quota += carry
        taken = _take_conflict_pairs(pool, order, want, want, quota, per_q, per_doc, used,
                                     docs, splits, pairs)
        carry = quota - taken
    _take_conflict_pairs(pool, order, "near", "more", CONFLICT_MORE, None, None, used, docs,
                         splits, pairs)
    return pairs


def _take_conflict_pairs(pool: list, order: list[int], want: str, label: str, quota: int,
                         per_q: Counter | None, per_doc: Counter | None, used: set[int],
                         docs: dict, splits: dict[str, str], pairs: list[dict]) -> int:
    """Take up to quota unused pairs of stratum want in draw order, within the caps (none
    when per_q and per_doc are None), and append them to pairs as stratum label."""
    taken = 0
    for i in order:
        if taken >= quota:
            break
        stratum, group, overlap, gap_ratio, a, b = pool[i]
        if stratum != want or i in used:
            continue
        ka, kb = (a["document_id"], a["idx"]), (b["document_id"], b["idx"])
        if per_q is not None and per_doc is not None:
            if per_q[ka] >= CONFLICT_MAX_PER_QUANTITY or \
                    per_q[kb] >= CONFLICT_MAX_PER_QUANTITY:
                continue
            if per_doc[ka[0]] >= CONFLICT_MAX_PER_DOC or per_doc[kb[0]] >= CONFLICT_MAX_PER_DOC:
                continue
            per_q.update((ka, kb))
            per_doc.update((ka[0], kb[0]))
        if (docs[a["document_id"]]["published"], a["document_id"]) > \
                (docs[b["document_id"]]["published"], b["document_id"]):
            a, b = b, a
        used.add(i)
        taken += 1
        da, db = a["document_id"], b["document_id"]
        pairs.append({
            "split": "test" if "test" in (splits[da], splits[db]) else "dev",
            "rank": len(pairs) + 1, "stratum": label, "group": group,
            "overlap": f"{overlap:.3f}", "gap": f"{gap_ratio:.2f}",
            "document_a": da, "start_a": a["start"], "text_a": a["text"], "bound_a": a["bound"],
            "counts_a": a["counts"], "published_a": docs[da]["published"],
            "document_b": db, "start_b": b["start"], "text_b": b["text"], "bound_b": b["bound"],
            "counts_b": b["counts"], "published_b": docs[db]["published"],
        })
    return taken


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
    parser.add_argument("--exclude", type=Path, default=EXCLUDE,
                        help="labelled pair file whose pairs step 3 leaves out "
                             "(default: gold/figures/pairs.tsv)")
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
    conflicts = sample_conflict_pairs(docs, quantities, splits, read_pair_keys(args.exclude),
                                      random.Random(args.seed + 3))
    write(args.out / "conflict_pairs.candidates.tsv", conflicts, CONFLICT_COLUMNS)
    print(json.dumps({
        "documents": Counter(f"{sampled[d]}:{'voa' if docs[d]['source'] == VOA else 'ukraine'}"
                             for d in sampled),
        "quantities": Counter(r["split"] for r in rows),
        "pairs": Counter(f"{p['split']}:{p['stratum']}" for p in pairs),
        "conflict_pairs": Counter(f"{p['split']}:{p['stratum']}" for p in conflicts),
    }, sort_keys=True))


if __name__ == "__main__":
    main()
