"""Claim clusters: the same speaker saying the same thing in several reports is one claim.

Claims are grouped by resolved speaker (picture/entities.py) and by the overlap of their
content words; an unresolved speaker ("he" that the report does not resolve) is a speaker of
its own claim only. A cluster counts its independent sources: distinct originating outlets,
after wire credits and near-duplicate copies are folded (``Store.independence_keys``); the same
claim repeated inside one report is one report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sitroom.picture.entities import EntityIndex, slug, stable_hash
from sitroom.picture.evidence import evidence
from sitroom.store import Store

SAME_CONTENT = 0.5  # Jaccard overlap of content words for "the same thing"
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def content_words(text: str) -> frozenset[str]:
    stop = _stop_words()
    return frozenset(w for w in (m.group().lower().rstrip("s") for m in _WORD.finditer(text or "")) if w not in stop)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


# Speaker texts that name no one: what older stores kept as a speaker's name before such
# speakers were marked unresolved by the extractor.
_NO_ONE = {"he", "she", "it", "they", "we", "i", "you", "him", "her", "them", "this", "that", "these", "those", "who",
           "which"}
ANONYMOUS = "anonymous:"


def is_unresolved(name: str | None) -> bool:
    """A speaker no one can be told from: none recorded, or a bare pronoun (older stores)."""
    return not name or re.sub(r"[^a-z]", "", name.lower()) in _NO_ONE


def speaker_key(index: EntityIndex, name: str | None) -> str:
    """The resolved entity key of a speaker, ``anonymous-<affiliation>-<role>`` for an
    anonymous source, or a key of its own for a named speaker the store does not resolve.
    (An unresolved speaker has no key: ``claim_item`` gives it one of its own claim.)"""
    if is_unresolved(name):
        return "speaker-unresolved"
    if name.startswith(ANONYMOUS):
        return "anonymous-" + slug(name[len(ANONYMOUS):].replace(":", " ").replace("-", " "))
    return index.key_for(name, "PERSON") or index.key_for(name) or f"speaker-{slug(name)}"


def speaker_label(index: EntityIndex, name: str | None) -> str | None:
    """How a speaker is shown: the entity's name, "unnamed officials (United States)" for an
    anonymous source, None for an unresolved one."""
    if is_unresolved(name):
        return None
    if name.startswith(ANONYMOUS):
        _, affiliation, role = (name.split(":") + ["", ""])[:3]
        if affiliation in ("", "-"):
            return f"unnamed {role}(s)"
        from sitroom.picture.places import country_name

        return f"unnamed {role}(s) ({country_name(affiliation) if len(affiliation) == 2 else None or affiliation})"
    entity = index.get(speaker_key(index, name))
    return entity.name if entity else name


@dataclass
class ClaimCluster:
    """One thing one speaker said, with every appearance of it."""

    id: str
    speaker: str
    speaker_key: str
    content: str
    kind: str | None
    appearances: list[dict[str, Any]] = field(default_factory=list)
    documents: int = 0
    independent_sources: int = 0
    first_said: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def claim_item(row: dict[str, Any], text: str | None, index: EntityIndex) -> dict[str, Any]:
    """One stored claim as an API item with its evidence (the whole claim span)."""
    data = row["data"]
    name = data["speaker"].get("name")
    key = speaker_key(index, name)
    if key == "speaker-unresolved":  # never merged with another claim's "he"
        key = f"unresolved-{row['document_id']}-{row['idx']}"
    return {
        "document_id": row["document_id"],
        "id": data.get("id"),
        "speaker": speaker_label(index, name),
        "speaker_key": key,
        "speaker_kind": "unresolved" if is_unresolved(name) else data["speaker"].get("kind") or "named",
        "speaker_text": data["speaker"].get("text"),
        "cue": data.get("cue", {}).get("text"),
        "content": data.get("content", {}).get("text"),
        "kind": data.get("kind"),
        "stance": data.get("stance"),
        "said_on": data.get("said_on"),
        "via": data.get("via"),
        "evidence": evidence(row, text),
    }


def cluster_claims(store: Store, rows: list[dict[str, Any]], index: EntityIndex) -> list[ClaimCluster]:
    """Group claim rows (from ``Store.records('claims')``) into clusters, most-sourced first."""
    texts = store.document_texts(r["document_id"] for r in rows)
    sources = store.independence_keys(r["document_id"] for r in rows)
    clusters: list[ClaimCluster] = []
    words_of: list[frozenset[str]] = []
    by_speaker: dict[str, list[int]] = {}
    for row in sorted(rows, key=lambda r: (r.get("document_published") or "", r["document_id"], r["idx"])):
        item = claim_item(row, texts.get(row["document_id"]), index)
        words = content_words(item["content"] or "")
        home = None
        for i in by_speaker.get(item["speaker_key"], []):
            if jaccard(words, words_of[i]) >= SAME_CONTENT:
                home = i
                break
        if home is None:
            home = len(clusters)
            entity = index.get(item["speaker_key"])
            # The same id whatever else is clustered; 64 bits of the speaker's key, since stores
            # hold hundreds of thousands of speakers (each unresolved one is its own).
            own = len(by_speaker.get(item["speaker_key"], [])) + 1
            clusters.append(ClaimCluster(id=f"c-{stable_hash(item['speaker_key'])[:16]}-{own}",
                                         speaker=entity.name if entity else item["speaker"],
                                         speaker_key=item["speaker_key"], content=item["content"] or "",
                                         kind=item["kind"], first_said=item["said_on"] or item["evidence"]["published"]))
            words_of.append(words)
            by_speaker.setdefault(item["speaker_key"], []).append(home)
        cluster = clusters[home]
        if any(a["document_id"] == item["document_id"] and content_words(a["content"] or "") == words
               for a in cluster.appearances):
            continue  # the same claim repeated inside one report is one report
        cluster.appearances.append(item)
    for cluster in clusters:
        documents = {a["document_id"] for a in cluster.appearances}
        cluster.documents = len(documents)
        cluster.independent_sources = len({sources.get(d, d) for d in documents})
    clusters.sort(key=lambda c: (-c.independent_sources, -len(c.appearances), c.first_said or "", c.id))
    return clusters


def speaker_counts(rows: list[dict[str, Any]], index: EntityIndex) -> list[dict[str, Any]]:
    """Most-cited speakers: claims and documents per resolved speaker."""
    counts: dict[str, dict[str, Any]] = {}
    for row in rows:
        if is_unresolved(row.get("speaker")):
            continue  # an unresolved speaker is no one to list
        key = speaker_key(index, row.get("speaker"))
        kind = "anonymous" if key.startswith("anonymous-") else "named"
        entry = counts.setdefault(key, {"key": key, "name": speaker_label(index, row.get("speaker")), "kind": kind,
                                        "claims": 0, "documents": set()})
        entry["claims"] += 1
        entry["documents"].add(row["document_id"])
    out = [{**c, "documents": len(c["documents"])} for c in counts.values()]
    out.sort(key=lambda c: (-c["claims"], -c["documents"], c["name"] or ""))
    return out
