"""Draw the candidates for the hand-labelled identity gold (gold/identity/).

Reads a sitroom SQLite store (read-only) and writes three candidate files, each row already
assigned to a split (``dev``: two thirds, ``test``: one third, by a fixed seed, within each
sampling category), with the label columns left empty for a person to fill in:

* ``entity_pairs.candidates.tsv``: pairs of entity surfaces ``(name, type)`` that a resolver
  could plausibly merge or split: surname vs full name, spelling/transliteration variants,
  acronyms, nationality vs country, the same name typed differently, case variants, names
  sharing a word, junk surfaces from splitting glitches, a short list of probes, and random
  same-type pairs (easy negatives).
* ``types.candidates.tsv``: the 150 most-mentioned surface names plus 50 random ones.
* ``speakers.candidates.tsv``: claims whose speaker phrase is a pronoun, a demonstrative, a
  quantifier or a common-noun phrase without a name, plus named speakers as controls.

The draw is deterministic: the same store and seed give the same files.

    .venv/bin/python tools/sample_identity.py /tmp/ukr/ukr.db --out /tmp/identity-candidates

The store is opened with ``mode=ro``; nothing is written to it. Only names, types, offsets and
counts are written out, never document text.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import random
import re
import sqlite3
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

SEED = 20240917

# ---------------------------------------------------------------- entity pairs

PAIR_QUOTAS = {  # category -> how many pairs to draw
    "probe": None,  # all probes present in the store
    "case": 12,
    "type": 25,
    "acronym": 20,
    "nationality": 25,
    "subset_person": 35,
    "subset_other": 30,
    "variant": 45,
    "shared_word_person": 20,
    "shared_word_place": 10,
    "shared_word_org": 10,
    "shared_word_other": 5,
    "junk": 20,
    "random": 60,
}
# Named in the brief: (name_a, name_b); each name takes its most-mentioned type, or the type given.
PROBES = [
    ("Zelensky", "Zelenskyy"), ("Volodymyr Zelensky", "Volodymyr Zelenskiy"),
    ("Volodymyr Zelensky", "Volodymyr Zelenskyy"), ("Aleksandr Lukashenko", "Alexander Lukashenko"),
    ("Sergei Lavrov", "Sergey Lavrov"), ("NATO", "North Atlantic Treaty Organization"),
    ("Kyiv", "Kiev"), ("Kharkiv", "Kharkov"), ("Russian", "Russia"), ("Ukrainian", "Ukraine"),
    ("Kyiv|PERSON", "Kyiv|GPE"), ("Kiev|PERSON", "Kiev|GPE"), ("Kim", "Kim Jong Un"),
    ("Biden", "Hunter"), ("Washington", "Washington Post"), ("North Korea", "South Korea"),
    ("Georgia", "Georgian"), ("Putin", "Vladimir Putin"), ("Nato", "NATO"),
    ("European Union", "EU"), ("United Nations", "UN"), ("Odesa", "Odessa"), ("Luhansk", "Lugansk"),
    ("Donbas|GPE", "Donbass|ORG"), ("Xi", "Xi Jinping"), ("Wagner", "Wagner Group"),
]
SHARED_GROUP = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "org"}
STOP = {"of", "the", "and", "for", "in", "on", "to", "a", "an", "de", "der", "von", "at", "&"}
JUNK = re.compile(r"[a-z][A-Z]|\?|\(|\)|\.-|[\"“”]|/|\s-\s|^’s|^\W")


def words(name: str) -> list[str]:
    return [w for w in re.split(r"[^\w]+", name) if w]


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def initials(name: str, keep_stop: bool) -> str:
    return "".join(w[0] for w in words(name) if keep_stop or w.lower() not in STOP).upper()


def common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def pair_pools(surfaces: dict[tuple[str, str], dict]) -> dict[str, list[tuple]]:
    keys = sorted(surfaces)
    pools: dict[str, set[tuple]] = defaultdict(set)

    def add(category: str, a: tuple, b: tuple) -> None:
        if a != b:
            pools[category].add(tuple(sorted((a, b))))

    by_name = defaultdict(list)
    by_lower = defaultdict(list)
    by_word = defaultdict(list)
    for key in keys:
        by_name[key[0]].append(key)
        by_lower[key[0].lower()].append(key)
        for w in {w.lower() for w in words(key[0])}:
            if len(w) >= 3 and w not in STOP:
                by_word[w].append(key)
    for group in by_name.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                add("type", a, b)
    for group in by_lower.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if a[0] != b[0]:
                    add("case", a, b)
    # acronyms: an all-caps short name equal to the initials of another name
    acro = defaultdict(list)
    for key in keys:
        if len(words(key[0])) >= 2:
            for keep in (False, True):
                acro[initials(key[0], keep)].append(key)
    for key in keys:
        short = key[0].replace(".", "")
        if 2 <= len(short) <= 6 and short.isupper() and short.isalpha():
            for other in acro.get(short, []):
                add("acronym", key, other)
    # nationality vs country: a NORP name and a GPE/LOC name sharing a long prefix
    norps = [k for k in keys if k[1] == "NORP"]
    places = [k for k in keys if k[1] in ("GPE", "LOC")]
    for n in norps:
        for p in places:
            cp = common_prefix(fold(n[0]), fold(p[0]))
            if cp >= 4 and cp >= min(len(n[0]), len(p[0])) - 3 and fold(n[0]) != fold(p[0]):
                add("nationality", n, p)
    # subset and shared word (same word, neither name's words inside the other's)
    for w, group in by_word.items():
        if len(group) > 60:  # "ministry", "russian": too common to be informative
            continue
        for i, a in enumerate(group):
            wa = {x.lower() for x in words(a[0])}
            for b in group[i + 1:]:
                wb = {x.lower() for x in words(b[0])}
                if wa == wb:
                    continue
                if wa < wb or wb < wa:
                    cat = "subset_person" if a[1] == b[1] == "PERSON" else "subset_other"
                    add(cat, a, b)
                elif a[1] == b[1] and len(group) <= 15:  # a rarer shared word: "Biden", "Korea"
                    add("shared_word_" + SHARED_GROUP.get(a[1], "other"), a, b)
    # spelling and transliteration variants
    folded = {k: fold(k[0]) for k in keys}
    for i, a in enumerate(keys):
        fa = folded[a]
        for b in keys[i + 1:]:
            fb = folded[b]
            if fa == fb or abs(len(fa) - len(fb)) > 3 or fa[:1] != fb[:1]:
                continue
            sm = difflib.SequenceMatcher(None, fa, fb)
            if sm.real_quick_ratio() >= 0.8 and sm.quick_ratio() >= 0.8 and sm.ratio() >= 0.8:
                add("variant", a, b)
    # junk surfaces: glued or broken names, paired with the longest clean surface they contain
    clean = [k for k in keys if not JUNK.search(k[0]) and len(k[0]) >= 3]
    for key in keys:
        if JUNK.search(key[0]):
            inside = [c for c in clean if c[0] in key[0] and c[0] != key[0]]
            if inside:
                best = max(inside, key=lambda c: (len(c[0]), surfaces[c]["mentions"]))
                add("junk", key, best)
    return {cat: sorted(pool) for cat, pool in pools.items()}


def draw(pool: list, quota: int, rng: random.Random, weight) -> list:
    """Half the quota weighted by sqrt(weight) (frequent names matter more), the rest uniform."""
    if len(pool) <= quota:
        return list(pool)
    keyed = sorted(pool, key=lambda p: -rng.random() ** (1.0 / max(weight(p), 1) ** 0.5))
    chosen = keyed[:quota // 2]
    rest = [p for p in pool if p not in set(chosen)]
    return chosen + rng.sample(rest, quota - len(chosen))


def resolve_probe(name: str, surfaces: dict) -> tuple | None:
    if "|" in name:
        key = tuple(name.split("|"))
        return key if key in surfaces else None
    found = [k for k in surfaces if k[0] == name]
    return max(found, key=lambda k: (surfaces[k]["mentions"], k)) if found else None


def sample_pairs(surfaces: dict, rng: random.Random) -> list[dict]:
    pools = pair_pools(surfaces)
    taken: set[tuple] = set()
    rows = []
    for cat, quota in PAIR_QUOTAS.items():
        if cat == "probe":
            chosen = []
            for a, b in PROBES:
                ka, kb = resolve_probe(a, surfaces), resolve_probe(b, surfaces)
                if ka and kb and ka != kb:
                    chosen.append(tuple(sorted((ka, kb))))
        elif cat == "random":
            frequent = sorted(k for k, v in surfaces.items() if v["mentions"] >= 2)
            chosen = []
            while len(chosen) < quota:
                a, b = rng.sample(frequent, 2)
                if a[1] == b[1]:
                    chosen.append(tuple(sorted((a, b))))
        else:
            pool = [p for p in pools.get(cat, []) if p not in taken]
            chosen = draw(pool, quota, rng, lambda p: min(surfaces[p[0]]["mentions"], surfaces[p[1]]["mentions"]))
        chosen = [p for p in dict.fromkeys(chosen) if p not in taken]
        taken.update(chosen)
        for a, b in chosen:
            rows.append({"category": cat, "name_a": a[0], "type_a": a[1], "name_b": b[0], "type_b": b[1],
                         "docs_a": surfaces[a]["docs"], "mentions_a": surfaces[a]["mentions"],
                         "docs_b": surfaces[b]["docs"], "mentions_b": surfaces[b]["mentions"]})
    return rows


# ---------------------------------------------------------------- speakers

PRONOUNS = {"he", "she", "it", "they", "i", "we", "you", "him", "her", "them", "us", "me", "who",
            "which", "whom", "one"}
QUANTIFIERS = {"some", "many", "others", "both", "everyone", "someone", "another", "all", "most",
               "few", "several", "none", "neither", "each", "anyone", "nobody", "somebody"}
DEMONSTRATIVES = {"this", "that", "these", "those"}
DETERMINERS = {"the", "a", "an", "his", "her", "its", "their", "our", "my", "your"}
PRONOUN_QUOTAS = {"he": 24, "she": 12, "it": 12, "they": 12, "i": 8, "we": 10, "you": 4,
                  "him": 3, "who": 8, "which": 6, "one": 1}
SPEAKER_QUOTAS = {"demonstrative": 12, "quantifier": 12, "nominal": 80, "named": 50}
PER_DOC = 2


HEAD_CUT = re.compile(r"\s+(?:of|who|which|that|from|at|in|on|for|with|led by|to)\s+|,")


def speaker_kind(text: str, lowercase: Counter, share: dict[str, float], overlap: set[str],
                 covers_head: bool) -> str:
    """Sort a speaker phrase: pronoun:<p>, demonstrative, quantifier, nominal, named or other.

    ``overlap`` holds the types of the entity mentions the phrase overlaps; ``covers_head`` says
    whether one of those mentions (not PERSON) covers the phrase's head word.
    """
    bare = text.strip(" \"'“”‘’")
    toks = bare.split()
    if not toks:
        return "other"
    first = toks[0].lower()
    if len(toks) == 1 and first in PRONOUNS:
        return "pronoun:" + first
    if first in DEMONSTRATIVES:
        return "demonstrative"
    if all(t.lower() in QUANTIFIERS for t in toks):
        return "quantifier"
    if "PERSON" in overlap:
        return "named"
    head_part = HEAD_CUT.split(bare, maxsplit=1)[0].split()
    head = (head_part or toks)[-1].strip(".,;:\"'“”‘’")
    if head[:1].islower():
        return "nominal"  # "officials", "US officials", "the head of the EC"
    if covers_head:
        return "named"  # "Russia", "The Kremlin", "Ukrinform"
    if lowercase[head.lower()] >= 3 and share.get(head.lower(), 0.0) >= 0.1:
        return "nominal"  # "Experts", "The French President", "the Pope"
    return "named" if overlap else "other"


def sample_speakers(con: sqlite3.Connection, rng: random.Random) -> list[dict]:
    texts = {}
    spans = defaultdict(list)  # document -> [(start, end, type)] of entity mentions
    for doc_id, text in con.execute("SELECT id, text FROM documents ORDER BY id"):
        texts[doc_id] = text
    for doc_id, typ, data in con.execute("SELECT document_id, type, data FROM entities ORDER BY document_id, idx"):
        for m in json.loads(data).get("mentions", []):
            spans[doc_id].append((m["start"], m["end"], typ))
    lower = Counter()
    total = Counter()
    for text in texts.values():
        for w in re.findall(r"[A-Za-z]+", text):
            total[w.lower()] += 1
            if w.islower():
                lower[w] += 1
    share = {w: lower[w] / n for w, n in total.items()}
    groups: dict[str, list[dict]] = defaultdict(list)
    seen = set()
    for doc_id, idx, data in con.execute("SELECT document_id, idx, data FROM claims ORDER BY document_id, idx"):
        sp = (json.loads(data).get("speaker") or {})
        if sp.get("start") is None or not sp.get("text"):
            continue
        key = (doc_id, sp["start"], sp["end"])
        if key in seen:
            continue
        seen.add(key)
        hits = [(s, e, t) for s, e, t in spans[doc_id] if s < sp["end"] and sp["start"] < e]
        head_end = sp["start"] + len(HEAD_CUT.split(sp["text"], maxsplit=1)[0].rstrip(" .,;:\"'”’"))
        covers = any(t != "PERSON" and s < head_end <= e for s, e, t in hits)
        kind = speaker_kind(sp["text"], lower, share, {t for _, _, t in hits}, covers)
        groups[kind].append({"document_id": doc_id, "claim_idx": idx, "speaker_start": sp["start"],
                             "speaker_end": sp["end"], "speaker_text": sp["text"],
                             "store_speaker": sp.get("name") or "", "kind": kind})
    rows = []
    per_doc = Counter()
    plan = [("pronoun:" + p, q) for p, q in PRONOUN_QUOTAS.items()] + list(SPEAKER_QUOTAS.items())
    for kind, quota in plan:
        pool = groups.get(kind, [])
        order = rng.sample(pool, len(pool))
        taken = 0
        for row in order:
            if taken >= quota:
                break
            if per_doc[row["document_id"]] >= PER_DOC:
                continue
            per_doc[row["document_id"]] += 1
            rows.append(row)
            taken += 1
    return rows


# ---------------------------------------------------------------- types

def sample_types(surfaces: dict, rng: random.Random, top: int = 150, extra: int = 50) -> list[dict]:
    by_name: dict[str, Counter] = defaultdict(Counter)
    docs: Counter = Counter()
    for (name, typ), info in surfaces.items():
        by_name[name][typ] += info["mentions"]
        docs[name] += info["docs"]
    ranked = sorted(by_name, key=lambda n: (-sum(by_name[n].values()), n))
    chosen = [(n, "top") for n in ranked[:top]]
    chosen += [(n, "random") for n in rng.sample(sorted(ranked[top:]), extra)]
    return [{"category": src, "name": n, "mentions": sum(by_name[n].values()), "docs": docs[n],
             "store_types": " ".join(f"{t}:{c}" for t, c in by_name[n].most_common())} for n, src in chosen]


# ---------------------------------------------------------------- output

def assign_splits(rows: list[dict], rng: random.Random) -> list[dict]:
    """Two thirds dev, one third test, within each category, in a seeded random order."""
    by_cat = defaultdict(list)
    for row in rows:
        by_cat[row["category"] if "category" in row else row["kind"]].append(row)
    out = []
    for cat in sorted(by_cat):
        group = by_cat[cat]
        order = rng.sample(range(len(group)), len(group))
        n_dev = round(len(group) * 2 / 3)
        for rank, i in enumerate(order):
            group[i]["split"] = "dev" if rank < n_dev else "test"
        out.extend(group)
    return out


def write(path: Path, rows: list[dict], columns: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, delimiter="\t", lineterminator="\n",
                                extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def load_surfaces(con: sqlite3.Connection) -> dict[tuple[str, str], dict]:
    surfaces: dict[tuple[str, str], dict] = {}
    for name, typ, docs, mentions in con.execute(
            "SELECT name, type, COUNT(*), SUM(mention_count) FROM entities GROUP BY name, type ORDER BY name, type"):
        surfaces[(name, typ)] = {"docs": docs, "mentions": mentions}
    return surfaces


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", help="path to the SQLite store (opened read-only)")
    parser.add_argument("--out", type=Path, required=True, help="folder for the candidate files")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    con = sqlite3.connect(f"file:{args.store}?mode=ro", uri=True)
    surfaces = load_surfaces(con)
    args.out.mkdir(parents=True, exist_ok=True)

    pairs = assign_splits(sample_pairs(surfaces, random.Random(args.seed)), random.Random(args.seed + 1))
    write(args.out / "entity_pairs.candidates.tsv", pairs,
          ["split", "category", "name_a", "type_a", "name_b", "type_b", "docs_a", "mentions_a",
           "docs_b", "mentions_b", "label", "note"])
    types = assign_splits(sample_types(surfaces, random.Random(args.seed + 2)), random.Random(args.seed + 3))
    write(args.out / "types.candidates.tsv", types,
          ["split", "category", "name", "mentions", "docs", "store_types", "gold_type", "note"])
    speakers = assign_splits(sample_speakers(con, random.Random(args.seed + 4)), random.Random(args.seed + 5))
    write(args.out / "speakers.candidates.tsv", speakers,
          ["split", "kind", "document_id", "claim_idx", "speaker_start", "speaker_end", "speaker_text",
           "store_speaker", "gold", "note"])
    counts = {"entity_pairs": Counter(r["category"] for r in pairs), "types": Counter(r["category"] for r in types),
              "speakers": Counter(r["kind"].split(":")[0] for r in speakers)}
    print(json.dumps({k: dict(v) for k, v in counts.items()}, sort_keys=True))


if __name__ == "__main__":
    main()
