"""``sitroom eval identity``: entities, types and speakers across documents, and near-duplicates.

Scored against the hand-labelled development gold in ``gold/identity/`` (see its README: how it
was sampled and labelled; the ``test`` split is held out of rule writing) on a store of the
Ukraine war articles and the VOA stories, and against the constructed near-duplicate set of
``sitroom.eval.near_duplicates``:

- pairwise merge precision and recall: of the labelled pairs of entity names found in the
  store, those resolved to one entity against those labelled the same;
- type accuracy: the resolved entity's type of each labelled name;
- speakers: of the labelled speaker phrases, how many the store resolves as the gold says (a
  named person or body, an anonymous source with its affiliation and role, or unresolved);
- the pronoun-speaker rate: the share of listed speakers whose name is a pronoun or a phrase
  naming no one (the target is none);
- near-duplicate recall and precision.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sitroom.eval.scoring import ratio, read_gold_tsv
from sitroom.picture import Picture
from sitroom.picture.claims import is_unresolved
from sitroom.picture.entities import EntityIndex, normalize
from sitroom.picture.names import spelling_key

SPLITS = ("dev", "test", "all")
GOLD = Path(__file__).resolve().parents[3] / "gold" / "identity"
# Speaker phrases that name no one, whatever the store calls them (for the speaker-list check).
NO_ONE_WORDS = {"he", "she", "it", "they", "we", "i", "you", "him", "her", "them", "this", "that", "these", "those",
                "who", "which", "much", "many", "some", "others", "one", "all", "both"}


def read_gold(name: str, split: str, folder: Path = GOLD) -> list[dict[str, str]]:
    return read_gold_tsv(folder, name, split)



def score_pairs(index: EntityIndex, rows: Iterable[dict[str, str]]) -> dict[str, Any]:
    """Pairwise precision and recall of "same entity" over the labelled pairs found in the store."""
    tp = fp = fn = tn = missing = 0
    errors = []
    for row in rows:
        a, b = index.by_surface.get((row["name_a"], row["type_a"])), index.by_surface.get((row["name_b"], row["type_b"]))
        if a is None or b is None:
            missing += 1
            continue
        same, gold = a == b, row["label"] == "same"
        tp += same and gold
        fp += same and not gold
        fn += gold and not same
        tn += not same and not gold
        if same != gold:
            errors.append({"a": row["name_a"], "b": row["name_b"], "gold": row["label"]})
    precision, recall = ratio(tp, tp + fp), ratio(tp, tp + fn)
    f1 = round(2 * precision * recall / (precision + recall), 4) if precision and recall else None
    return {"pairs": tp + fp + fn + tn, "missing_from_store": missing, "precision": precision, "recall": recall,
            "f1": f1, "true_merges": tp, "false_merges": fp, "missed_merges": fn, "errors": errors}


def score_types(index: EntityIndex, rows: Iterable[dict[str, str]]) -> dict[str, Any]:
    """Accuracy of the type each labelled name has across the store, as the resolver voted it
    (a name labelled NONE, no name at all, is always wrong)."""
    right = total = missing = 0
    confusion: Counter[str] = Counter()
    for row in rows:
        found = index.type_of(row["name"])
        if found is None:
            missing += 1
            continue
        total += 1
        if found == row["gold_type"]:
            right += 1
        else:
            confusion[f"{row['gold_type']} as {found}"] += 1
    return {"names": total, "missing_from_store": missing, "accuracy": ratio(right, total),
            "confusions": dict(confusion.most_common())}


def _same_person(predicted: str, gold: str) -> bool:
    """A predicted display name and a gold canonical name for one person or body, spelled as
    either may be ("Volodymyr Zelensky" / "Volodymyr Zelenskyy")."""
    p, g = normalize(predicted).split(), normalize(gold).split()
    if [spelling_key(w) for w in p] == [spelling_key(w) for w in g]:
        return True
    return bool(p and g) and spelling_key(p[-1]) == spelling_key(g[-1]) and len(p) == 1


def _speaker_verdict(claim: dict[str, Any] | None, gold: str, index: EntityIndex) -> str:
    if claim is None:
        return "no claim"
    name, kind = claim["speaker"].get("name"), claim["speaker"].get("kind") or "named"
    if is_unresolved(name):
        kind = "unresolved"
    if gold == "not-a-speaker":
        return "not a speaker: " + ("unresolved" if kind == "unresolved" else "given a speaker")
    if gold == "unresolvable":
        return "right" if kind == "unresolved" else "wrong"
    if gold.startswith("anonymous:"):
        if kind != "anonymous":
            return "wrong"
        _, g_aff, g_role = (gold.split(":") + ["", ""])[:3]
        _, p_aff, p_role = (name.split(":") + ["", ""])[:3]
        return "right" if spelling_key(g_role) == spelling_key(p_role) and (g_aff == p_aff or g_aff in p_aff.split(",")) \
            else "partly"
    if kind != "named":
        return "missed" if kind == "unresolved" else "wrong"
    wanted = [g.strip() for g in gold.split(";")]
    key = index.key_for(name)
    entity = index.get(key) if key else None
    shown = entity.name if entity else name
    for one in wanted:
        found = index.find(one)
        if (found is not None and entity is not None and found.key == entity.key) or _same_person(shown, one):
            return "right"
    return "wrong"


def score_speakers(picture: Picture, rows: Iterable[dict[str, str]]) -> dict[str, Any]:
    """How the store resolves each labelled speaker phrase, by the gold's kind."""
    rows = list(rows)
    index = picture.entity_index()
    claims = picture.store.record_data("claims", {row["document_id"] for row in rows})
    by_kind: dict[str, Counter[str]] = {}
    errors = []
    for row in rows:
        start, end = int(row["speaker_start"]), int(row["speaker_end"])
        claim = next((c for c in claims.get(row["document_id"], [])
                      if c["speaker"].get("start") is not None
                      and c["speaker"]["start"] < end and start < c["speaker"]["end"]), None)
        gold = row["gold"]
        kind = gold if gold in ("unresolvable", "not-a-speaker") else "anonymous" if gold.startswith("anonymous:") \
            else "named"
        verdict = _speaker_verdict(claim, gold, index)
        by_kind.setdefault(kind, Counter())[verdict] += 1
        if verdict not in ("right", "not a speaker: unresolved"):
            errors.append({"document_id": row["document_id"], "text": row["speaker_text"], "gold": gold,
                           "verdict": verdict, "predicted": claim["speaker"].get("name") if claim else None})
    scored = [k for k in ("named", "anonymous", "unresolvable") if k in by_kind]
    right = sum(by_kind[k]["right"] for k in scored)
    found = sum(sum(v for verdict, v in by_kind[k].items() if verdict != "no claim") for k in scored)
    return {"phrases": len(rows), "accuracy": ratio(right, found),
            "by_gold_kind": {k: dict(v) for k, v in by_kind.items()}, "errors": errors}


def pronoun_speaker_rate(picture: Picture) -> dict[str, Any]:
    """The share of listed speakers whose name is a pronoun or names no one."""
    listed = picture.speakers(limit=1_000_000)["items"]
    bad = [s["name"] for s in listed if s["name"] is None or normalize(s["name"]) in NO_ONE_WORDS]
    return {"speakers": len(listed), "naming_no_one": len(bad), "rate": ratio(len(bad), len(listed)),
            "examples": bad[:10]}


def top_entities(picture: Picture, count: int = 100) -> list[dict[str, Any]]:
    """The most-mentioned entities with their names and types, for reading by eye."""
    found = picture.entities(limit=10_000)["items"]
    found.sort(key=lambda e: (-e["mentions"], e["name"]))
    return [{"name": e["name"], "type": e["type"], "mentions": e["mentions"], "aliases": e["aliases"]}
            for e in found[:count]]


def evaluate(picture: Picture, *, split: str = "dev", shared: Path | None = None,
             with_errors: bool = False) -> dict[str, Any]:
    """Every identity figure on ``split`` of the gold, for the store behind ``picture``."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}")
    index = picture.entity_index()
    result: dict[str, Any] = {
        "split": split,
        "store_documents": picture.documents(limit=1)["total"],
        "entity_pairs": score_pairs(index, read_gold("entity_pairs.tsv", split)),
        "types": score_types(index, read_gold("types.tsv", split)),
        "speakers": score_speakers(picture, read_gold("speakers.tsv", split)),
        "speaker_lists": pronoun_speaker_rate(picture),
    }
    if shared is not None:
        from sitroom.eval import near_duplicates

        result["near_duplicates"] = near_duplicates.evaluate(shared, split="all" if split == "all" else split)
    if not with_errors:
        for part in ("entity_pairs", "speakers"):
            result[part].pop("errors")
    return result
