"""``sitroom eval figures``: figure frames and tracks against the hand-labelled gold in
``gold/figures/`` (its README says how it was sampled and labelled; ``test`` is held out).

On a store of the Ukraine war articles and the VOA stories:

- junk: of the figures sitroom tracks, the share that are figures of a counted thing at all
  (kept-figure precision), and of the gold's non-figures, the share sitroom marks junk;
- owner, what happened, scope, kind and reference-time accuracy of the figures both keep;
- track purity: of the labelled pairs sitroom puts in one track, the share that count the same
  thing (and how many same-thing pairs share a track: track recall);
- conflict precision and recall on the labelled pairs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sitroom.eval.scoring import ratio, read_gold_tsv
from sitroom.picture import Picture
from sitroom.picture.entities import EntityIndex

GOLD = Path(__file__).resolve().parents[3] / "gold" / "figures"
SPLITS = ("dev", "test", "all")
PAIR_FILES = ("pairs.tsv", "conflict_pairs.tsv")


def read_gold(name: str, split: str, folder: Path = GOLD) -> list[dict[str, str]]:
    return read_gold_tsv(folder, name, split)



def _stored(picture: Picture, document_ids: Iterable[str]) -> dict[tuple[str, int], dict[str, Any]]:
    """The stored figures of the documents, by (document, start)."""
    found = picture.store.record_data("quantities", set(document_ids))
    return {(document_id, q["start"]): q for document_id, figures in found.items() for q in figures}


def _same_owner(index: EntityIndex, gold: str, ours: str | None, ours_id: str | None,
                local: dict[str, dict[str, Any]]) -> bool:
    if gold == "-":
        return ours is None
    if ours is None:
        return False
    wanted = index.find(gold)
    entity = local.get(ours_id or "")
    key = (index.by_surface.get((entity["name"], entity["type"])) if entity else None) or index.key_for(ours)
    return (wanted is not None and wanted.key == key) or gold.lower() == ours.lower()


def _same_time(gold: str, ours: dict[str, Any]) -> bool:
    if gold == "report":
        return ours.get("refers_basis") in (None, "report")
    if gold == "-":
        return ours.get("refers_basis") != "sentence" or not ours.get("refers_to")
    value = ours.get("refers_to") if ours.get("refers_basis") == "sentence" else None
    return bool(value) and (value.startswith(gold) or gold.startswith(value))


def score_figures(picture: Picture, rows: list[dict[str, str]]) -> dict[str, Any]:
    """Junk, owner, happened, scope, kind, reference time and part-of against the labelled rows."""
    index = picture.entity_index()
    stored = _stored(picture, (r["document_id"] for r in rows))
    entities = picture.store.record_data("entities", {r["document_id"] for r in rows})
    right: Counter[str] = Counter()
    asked: Counter[str] = Counter()
    confusions: dict[str, Counter[str]] = {"happened": Counter(), "scope": Counter()}
    kept = kept_real = gold_junk = caught = missing = 0
    errors = []
    for row in rows:
        ours = stored.get((row["document_id"], int(row["start"])))
        if ours is None:
            missing += 1
            continue
        tracked = bool(ours.get("counts")) and not ours.get("junk")
        if row["junk"] == "yes":
            gold_junk += 1
            caught += not tracked
        if tracked:
            kept += 1
            kept_real += row["junk"] == "no"
        if row["junk"] != "no" or not tracked:
            continue
        local = {e["id"]: e for e in entities.get(row["document_id"], [])}
        checks = {
            "owner": _same_owner(index, row["owner"], ours.get("owner"), ours.get("owner_id"), local),
            "happened": row["happened"] == (ours.get("happened") or "other"),
            "scope": row["scope"] == (ours.get("scope") or "point"),
            "kind": row["kind"] == (ours.get("kind") or "count"),
            "refers_to": _same_time(row["refers_to"], ours),
        }
        by_id = {q.get("id"): q["start"] for (d, _), q in stored.items() if d == row["document_id"]}
        whole = by_id.get(ours.get("part_of"))
        checks["part_of"] = (row["part_of"] == "-" and whole is None) or (row["part_of"] != "-" and whole is not None
                                                                          and int(row["part_of"]) == whole)
        for name, ok in checks.items():
            asked[name] += 1
            right[name] += ok
        for name in confusions:
            if not checks[name]:
                confusions[name][f"{row[name]} as {ours.get(name)}"] += 1
        wrong = [name for name, ok in checks.items() if not ok]
        if wrong:
            errors.append({"document_id": row["document_id"], "start": row["start"], "text": row["text"],
                           "wrong": {n: {"gold": row[n], "ours": ours.get(n)} for n in wrong}})
    return {"rows": len(rows), "missing_from_store": missing,
            "kept_figure_precision": ratio(kept_real, kept), "junk_caught": ratio(caught, gold_junk),
            **{f"{name}_accuracy": ratio(right[name], asked[name]) for name in asked},
            "figures_compared": asked["owner"],
            "confusions": {name: dict(c.most_common(12)) for name, c in confusions.items()}, "errors": errors}


def _placed(picture: Picture) -> tuple[dict[tuple[str, int], str], set[frozenset[tuple[str, int]]]]:
    """Every tracked point by (document, start) -> its track's key, and the conflicting pairs."""
    tracks = picture.figure_tracks(limit=1_000_000)["items"]
    where: dict[tuple[str, int], str] = {}
    conflicts: set[frozenset[tuple[str, int]]] = set()
    for track in tracks:
        keys = [(p["evidence"]["document_id"], p["evidence"]["start"]) for p in track["points"]]
        for key in keys:
            where[key] = track["key"]
        for conflict in track.get("conflicts", []):
            a, b = conflict["points"]
            conflicts.add(frozenset((keys[a], keys[b])))
    return where, conflicts


def score_pairs(picture: Picture, rows: list[dict[str, str]]) -> dict[str, Any]:
    """Track purity and recall, conflict precision and recall, over the labelled pairs."""
    where, conflicts = _placed(picture)
    together = together_right = same = same_together = flagged = flagged_right = real = real_found = missing = 0
    errors = []
    for row in rows:
        a, b = (row["document_a"], int(row["start_a"])), (row["document_b"], int(row["start_b"]))
        if a not in where or b not in where:
            missing += 1
        one_track = a in where and where.get(a) == where.get(b)
        conflict = frozenset((a, b)) in conflicts
        gold_same, gold_conflict = row["same_thing"] == "yes", row["conflict"] == "yes"
        together += one_track
        together_right += one_track and gold_same
        same += gold_same
        same_together += gold_same and one_track
        flagged += conflict
        flagged_right += conflict and gold_conflict
        real += gold_conflict
        real_found += gold_conflict and conflict
        if one_track != gold_same or conflict != gold_conflict:
            errors.append({"a": list(a), "b": list(b), "gold_same": gold_same, "one_track": one_track,
                           "gold_conflict": gold_conflict, "flagged": conflict, "note": row["note"][:80]})
    return {"pairs": len(rows), "not_tracked": missing, "track_purity": ratio(together_right, together),
            "pairs_in_one_track": together, "track_recall": ratio(same_together, same),
            "conflict_precision": ratio(flagged_right, flagged), "conflicts_flagged": flagged,
            "conflict_recall": ratio(real_found, real), "real_conflicts": real, "errors": errors}


def evaluate(picture: Picture, *, split: str = "dev", with_errors: bool = False) -> dict[str, Any]:
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}")
    pairs = [row for name in PAIR_FILES if (GOLD / name).is_file() for row in read_gold(name, split)]
    result = {"split": split, "store_documents": picture.documents(limit=1)["total"],
              "figures": score_figures(picture, read_gold("quantities.tsv", split)),
              "tracks": score_pairs(picture, pairs)}
    if not with_errors:
        for part in ("figures", "tracks"):
            result[part].pop("errors")
    return result
