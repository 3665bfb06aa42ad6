"""Near-duplicates (MinHash LSH) and exact duplicates (equal ids), on real VOA stories."""

from __future__ import annotations

import json
import re

import pytest

from sitroom.ingest import NearDuplicateIndex
from sitroom.ingest.dedup import THRESHOLD, estimated_jaccard
from sitroom.ingest.identity import document_id


@pytest.fixture(scope="module")
def voa_stories(shared) -> list[dict]:
    with open(shared / "corpus" / "voa" / "voa_stories.jsonl", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def voa_index(voa_stories) -> NearDuplicateIndex:
    index = NearDuplicateIndex()
    index.load((story["id"], index.signature(story["text"])) for story in voa_stories)
    return index


def republished(story: dict, new_headline: str) -> str:
    """The story as another outlet runs it: its own headline on top, one sentence rewritten."""
    sentences = re.split(r"(?<=[.!?])\s+", story["text"])
    middle = len(sentences) // 2
    sentences[middle] = "A spokesperson declined to comment further when reached by phone on Friday."
    return new_headline + "\n\n" + " ".join(sentences)


def test_republished_story_links_to_its_original(voa_stories, voa_index):
    story = voa_stories[3]
    copy = republished(story, "WORLD NEWS: " + story["title"].upper() + ", OFFICIALS SAY")
    assert document_id(copy) != document_id(story["text"])
    found = voa_index.find(voa_index.signature(copy))
    assert found is not None
    original, similarity = found
    assert original == story["id"]
    assert THRESHOLD <= similarity < 1.0


def test_every_republished_voa_story_finds_its_own_original(voa_stories, voa_index):
    hits = [voa_index.find(voa_index.signature(republished(story, "Breaking"))) for story in voa_stories]
    assert [hit[0] if hit else None for hit in hits] == [story["id"] for story in voa_stories]


def test_distinct_stories_are_not_near_duplicates(voa_stories):
    index = NearDuplicateIndex()
    false_links = []
    for story in voa_stories:
        signature = index.signature(story["text"])
        found = index.find(signature)
        if found:
            false_links.append((story["id"], found))
        index.add(story["id"], signature)
    assert false_links == []


def test_exact_duplicates_get_equal_ids_and_signatures():
    text = "The council met on Tuesday.  It approved the budget.\n"
    spaced = "  The council met on Tuesday.\nIt approved   the budget."
    assert document_id(text) == document_id(spaced)
    index = NearDuplicateIndex()
    assert index.signature(text) == index.signature(spaced)
    assert estimated_jaccard(index.signature(text), index.signature(spaced)) == 1.0


def test_original_is_the_first_added_and_adding_twice_changes_nothing():
    text = " ".join(f"word{n}" for n in range(300))
    index = NearDuplicateIndex()
    signature = index.signature(text)
    index.add("first", signature)
    index.add("second", signature)
    index.add("first", signature)
    assert len(index) == 2
    assert index.find(signature) == ("first", 1.0)
    assert NearDuplicateIndex().find(signature) is None


def test_signatures_are_stable_bytes_and_damaged_ones_are_refused():
    index = NearDuplicateIndex()
    signature = index.signature("Ministers met in Brussels to discuss the budget for next year.")
    assert isinstance(signature, bytes) and len(signature) < 600
    assert signature == NearDuplicateIndex().signature("Ministers met in Brussels to discuss the budget for next year.")
    with pytest.raises(ValueError, match="not a sitroom MinHash signature"):
        index.add("broken", signature[:-4])
    with pytest.raises(ValueError, match="not a sitroom MinHash signature"):
        index.find(b"something else entirely")


def test_short_templated_items_are_not_linked():
    first = "Qtly div six cts vs six cts prior\n    Pay April one\n    Record March 20"
    second = "Qtly div six cts vs six cts prior\n    Pay April one\n    Record March 23"
    index = NearDuplicateIndex()
    index.add("first", index.signature(first))
    assert index.find(index.signature(second)) is None
    assert index.find(index.signature(first)) is None
    assert len(index) == 0
