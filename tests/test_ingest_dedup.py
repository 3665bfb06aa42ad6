"""Near-duplicates (MinHash LSH, containment rule) and exact duplicates (equal ids).

Small invented stories pin the rule (an update, a trimmed version, another story on the
same topic, the edges of the thresholds); real VOA stories and the constructed set of
``sitroom.eval.near_duplicates`` check it on news text.
"""

from __future__ import annotations

import json
import re

import pytest

from sitroom.ingest import NearDuplicateIndex
from sitroom.ingest.dedup import (MIN_JACCARD, THRESHOLD, containment, estimated_jaccard, same_story,
                                  signature_parts)
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


# -- the rule on small invented stories ---------------------------------------------------------

HARBOUR = [
    "The city council of Lindenport voted on Tuesday to close the old harbour bridge to heavy "
    "trucks after engineers found deep cracks in two of its steel supports during a routine inspection.",
    "Mayor Ilse Verhoeven said the closure would last at least six months and that buses, cars and "
    "bicycles could still cross while the repairs were planned and the cost was worked out.",
    "Freight companies warned that the detour through the northern ring road would add forty minutes "
    "to each delivery and asked the council to pay part of the extra fuel their drivers would burn.",
    "The bridge was opened in 1962 and carries about eighteen thousand vehicles a day, according to "
    "the regional transport office, which has asked for a full survey of the other river crossings.",
    "Engineers from the university will install sensors on the damaged supports next week so that any "
    "further movement can be measured hour by hour while the council looks for a contractor.",
]
UPDATE = [
    "On Wednesday evening the council agreed to cover half of the fuel costs for freight companies "
    "until the end of the year, a measure opposition members called late but welcome.",
    "Police will check the weight of trucks at both ends of the bridge from Thursday, and drivers "
    "who ignore the new signs face fines of up to two thousand euros, the mayor's office said.",
]
OTHER_STORY = [
    "Lindenport's port authority said on Friday that container traffic rose by nine percent in the "
    "first quarter, helped by a new shipping line to the Baltic and longer opening hours at the docks.",
    "The authority's director, Ruben Sasse, told reporters that two new cranes ordered last year would "
    "arrive in the summer and that the quay near the old harbour bridge would be dredged in autumn.",
    "Trade unions welcomed the figures but said dock workers were owed overtime pay from the busy "
    "winter months, and threatened a short strike if the authority did not settle before May.",
    "The bridge was opened in 1962 and carries about eighteen thousand vehicles a day, according to "
    "the regional transport office, which has asked for a full survey of the other river crossings.",
    "Shipping agents said the port could handle more vessels if rail links to the inland terminals "
    "were improved, a project the regional government has promised to fund from next year.",
]


def story(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def linked(original: str, copy: str, **options) -> tuple[str, float] | None:
    index = NearDuplicateIndex(**options)
    index.add("original", index.signature(original))
    return index.find(index.signature(copy))


def test_an_update_with_two_paragraphs_appended_is_linked():
    original, update = story(HARBOUR[:4]), story(HARBOUR[:4] + UPDATE)
    found = linked(original, update)
    assert found is not None and found[0] == "original"
    jaccard = estimated_jaccard(NearDuplicateIndex().signature(original), NearDuplicateIndex().signature(update))
    assert jaccard < THRESHOLD  # a rule on Jaccard similarity alone would not link this update
    assert linked(update, original) is not None  # and the original is found from its update


def test_an_update_on_top_and_a_trimmed_version_are_linked():
    assert linked(story(HARBOUR), story(UPDATE[:1] + HARBOUR)) is not None
    assert linked(story(HARBOUR), story(HARBOUR[:3])) is not None
    assert linked(story(HARBOUR[:3]), story(HARBOUR)) is not None


def test_a_republished_copy_with_headline_dateline_and_credit_is_linked():
    copy = ("Cracked supports close Lindenport bridge to trucks\n\nLINDENPORT, May 6 (Reuters) - "
            + story(HARBOUR) + "\n\n(Reporting by Anna Berg; Editing by Tom Okafor)")
    found = linked(story(HARBOUR), copy)
    assert found is not None and THRESHOLD <= found[1] <= 1.0


def test_another_story_on_the_same_topic_is_not_linked():
    """Same town, same bridge, one background paragraph word for word: still another story."""
    assert linked(story(HARBOUR), story(OTHER_STORY)) is None
    assert linked(story(OTHER_STORY), story(HARBOUR + UPDATE)) is None


def test_a_short_story_inside_a_long_roundup_is_not_linked():
    """Containment is 1, but the roundup is far longer: the Jaccard floor keeps them apart."""
    roundup = story(HARBOUR[:2] + OTHER_STORY + UPDATE + [p.replace("Lindenport", "Westerholm") for p in HARBOUR])
    assert linked(story(HARBOUR[:2]), roundup) is None


def test_the_rule_at_its_edges():
    """Containment at the threshold links, just below does not; the Jaccard floor holds even at containment 1."""
    first, second = 300, 300
    at_threshold = THRESHOLD / (2 - THRESHOLD)  # the Jaccard of two equal sets sharing THRESHOLD of each
    assert containment(at_threshold, first, second) == pytest.approx(THRESHOLD)
    assert same_story(at_threshold + 1e-9, first, second)
    assert not same_story(at_threshold - 0.01, first, second)
    below_floor = MIN_JACCARD - 0.01
    inside = round(100 / below_floor)  # 100 5-grams, all of them inside this many
    assert containment(below_floor, 100, inside) == pytest.approx(1.0, abs=0.01)
    assert not same_story(below_floor, 100, inside)
    assert same_story(MIN_JACCARD, 100, round(100 / MIN_JACCARD))


def test_the_threshold_moves_the_edge_on_real_signatures():
    """Invented words, so the overlap is known: the shorter text's 5-grams are 80 % inside the longer."""
    words = [f"w{n}" for n in range(1000)]
    longer = " ".join(words[:400])
    shorter = " ".join(words[:240] + words[600:660])  # 236 of its 5-grams in the longer, 56 not
    count, _ = signature_parts(NearDuplicateIndex().signature(shorter))
    assert count == 296
    assert linked(longer, shorter, threshold=0.7) is not None
    assert linked(longer, shorter, threshold=0.9) is None


def test_accents_soft_hyphens_and_zero_width_spaces_do_not_count():
    plain = "Prime Minister Zelenskyy met the Cafe Lumiere owners in Kyiv and discussed reconstruction."
    marked = ("Prime Minister Zelenskyy met the Caf\u00e9 Lumi\u00e8re owners in Kyiv and "
              "dis\u00adcussed re\u200bconstruction.")
    index = NearDuplicateIndex()
    assert index.signature(plain) == index.signature(marked)


def test_signatures_of_the_previous_format_are_still_read():
    """Stores keep SRMH2 signatures: same layout, same 5-grams for text without accents."""
    index = NearDuplicateIndex()
    current = index.signature(story(HARBOUR))
    assert current.startswith(b"SRMH3")
    index.add("stored-before", b"SRMH2" + current[5:])
    assert index.find(current) == ("stored-before", 1.0)


# -- the constructed set --------------------------------------------------------------------------

def test_scorer_needs_the_shared_corpora(tmp_path):
    from sitroom.eval.near_duplicates import evaluate

    with pytest.raises(FileNotFoundError, match="SITROOM_SHARED"):
        evaluate(tmp_path / "no-shared-here", "dev")
    with pytest.raises(ValueError, match="unknown split"):
        from sitroom.eval.near_duplicates import build_set

        build_set(tmp_path, "train")


def test_recipe_names_stories_and_edits_but_holds_no_corpus_text():
    from sitroom.eval.near_duplicates import load_recipe

    recipe = load_recipe()
    splits = {unit["split"] for unit in recipe["units"]}
    assert splits == {"dev", "test"}
    for unit in recipe["units"]:
        for version in unit.get("versions", ()):
            for edit in version["edits"]:
                assert all(not isinstance(value, str) or len(value) < 80 for value in edit.values())


def test_constructed_dev_split_is_linked_with_high_precision_and_recall(shared):
    from sitroom.eval.near_duplicates import evaluate

    result = evaluate(shared, "dev")
    assert result["due"] > 200 and result["documents"] > 600
    assert result["precision"] >= 0.95 and result["recall"] >= 0.9
    assert result["threshold"] == THRESHOLD
