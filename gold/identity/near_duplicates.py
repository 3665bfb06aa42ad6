"""Write ``near_duplicates.json``: the recipe of the constructed near-duplicate set.

The recipe names corpus stories and edits, never their text (Reuters-21578 and the Ukraine
articles are for research only); ``sitroom.eval.near_duplicates`` rebuilds the texts from
the shared corpora and scores them. Everything is drawn from one ``random.Random(SEED)``,
so the same corpora give the same recipe byte for byte.

    .venv/bin/python gold/identity/near_duplicates.py            # SITROOM_SHARED or ../shared
    .venv/bin/python gold/identity/near_duplicates.py --shared /path/to/shared --check

See README_near_duplicates.md for what is drawn and why.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from sitroom import settings
from sitroom.eval.near_duplicates import (CREDIT_NAMES, FORMATS, Story, load_stories, paragraphs, sentences,
                                          split_trailer, word_count)

SEED = 20250314
RECIPE = Path(__file__).with_name("near_duplicates.json")
TEST_SHARE = 3  # every third unit (after the seeded shuffle) is held out as the test split
BASES = {"reuters": 240, "ukraine": 120, "voa": 45}  # originals that get edited versions
NEGATIVE_PAIRS = {"reuters-topic": 120, "reuters-template": 80, "ukraine-week": 80, "voa-section": 15}
SECOND_UPDATE = 0.3  # share of originals that get a second, later update
KINDS = ("republish", "update", "trim", "rewrite", "combination", "format")
REWRITE_WORDS = 8  # a rewritten sentence has at least this many words
MIN_BASE_WORDS = 60  # an original has at least this many words and three paragraphs
MIN_NEGATIVE_WORDS = 25  # hard negatives are long enough to be indexed at all (20 distinct 5-grams)
TWIN_CONTAINMENT = 0.5  # corpus pairs sharing this share of 5-grams are left out (real repeats)
COMMON_SHINGLE = 50  # 5-grams in more stories than this are boilerplate, not evidence of a twin
AGENCIES = ("Reuters", "AP", "AFP")
PLACES = ("KYIV", "MOSCOW", "WASHINGTON", "BRUSSELS", "LONDON", "WARSAW")
DONOR_DRAW = 150  # related stories drawn for an update, of which the closest in wording is used
KICKERS = ("EXCLUSIVE", "WORLD NEWS", "ANALYSIS", "BREAKING")


def corpus(story: Story) -> str:
    return story.key.split("/", 1)[0]


def shingles(text: str) -> set[tuple[str, ...]]:
    """Word 5-grams, lower-cased: the plain overlap measure used to find real repeats."""
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[start:start + 5]) for start in range(len(words) - 4)}


def twins(stories: list[Story]) -> set[str]:
    """Stories that share half their 5-grams with another story of the corpus.

    The corpora hold real repeats and updates (Reuters reran stories; the Ukraine feed
    has several versions of some articles); no rule can label them, so they stay out.
    """
    sets = [shingles(story.text) for story in stories]
    postings: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for number, found in enumerate(sets):
        for shingle in found:
            postings[shingle].append(number)
    out = set()
    for number, found in enumerate(sets):
        shared = Counter(other for shingle in found if len(postings[shingle]) <= COMMON_SHINGLE
                         for other in postings[shingle] if other != number)
        for other, count in shared.items():
            if count >= TWIN_CONTAINMENT * min(len(found), len(sets[other])):
                out.update((stories[number].key, stories[other].key))
    return out


def numbers(text: str) -> set[str]:
    return set(re.findall(r"\d[\d.,/-]*\d|\d", text))


def other_figures(first: Story, second: Story) -> bool:
    """Each text has a number the other lacks: two reports from one template, not a rerun."""
    return bool(numbers(first.text) - numbers(second.text)) and bool(numbers(second.text) - numbers(first.text))


def week(story: Story) -> tuple[int, int]:
    return date.fromisoformat(story.published).isocalendar()[:2]


def days_apart(first: Story, second: Story) -> int:
    return abs((date.fromisoformat(first.published) - date.fromisoformat(second.published)).days)


def group(story: Story) -> str:
    """Stories an update may borrow a paragraph from: same topic, month or section."""
    name = corpus(story)
    if name == "reuters":
        return f"reuters:{story.topics[0] if story.topics else '-'}"
    if name == "ukraine":
        return f"ukraine:{story.published[:7]}"
    return f"voa:{story.section}"


def pairs_by(rng: random.Random, pool: list[Story], wanted: int, fits: Callable[[Story, Story], bool],
             used: set[str], per_group: Counter | None = None, group_of: Callable[[Story], str] | None = None,
             cap: int = 0) -> list[list[str]]:
    """Up to ``wanted`` pairs of unused stories for which ``fits(a, b)`` holds, drawn at random.

    With ``cap``, at most that many pairs share a ``group_of`` value (counted in ``per_group``).
    """
    order = pool[:]
    rng.shuffle(order)
    out = []
    for first in order:
        if len(out) >= wanted:
            break
        if first.key in used:
            continue
        if cap and per_group[group_of(first)] >= cap:
            continue
        for second in order:
            if second.key != first.key and second.key not in used and fits(first, second):
                out.append([first.key, second.key])
                used.update((first.key, second.key))
                if cap:
                    per_group[group_of(first)] += 1
                break
    return out


def negatives(rng: random.Random, stories: list[Story], excluded: set[str], used: set[str]) -> list[dict]:
    """Hard negative pairs: same topic and days, same week, same section, or one template."""
    def clean(name: str) -> list[Story]:
        return [s for s in stories if corpus(s) == name and s.key not in excluded and s.published
                and word_count(s.text) >= MIN_NEGATIVE_WORDS]

    reuters = clean("reuters")
    titles = Counter(s.title for s in stories if corpus(s) == "reuters")
    distinct = [s for s in reuters if titles[s.title] == 1 and s.topics]
    units = [{"reason": "reuters-topic", "stories": pair} for pair in pairs_by(
        rng, distinct, NEGATIVE_PAIRS["reuters-topic"],
        lambda a, b: a.topics[0] == b.topics[0] and days_apart(a, b) <= 2, used)]
    # Templated items: one headline on other days with other figures (not a rerun). One pair
    # a headline, so that no story meets a rerun of itself from another pair.
    templated = [s for s in stories if corpus(s) == "reuters" and s.title and titles[s.title] > 1 and s.published
                 and word_count(s.text) >= MIN_NEGATIVE_WORDS]
    units += [{"reason": "reuters-template", "stories": pair} for pair in pairs_by(
        rng, templated, NEGATIVE_PAIRS["reuters-template"],
        lambda a, b: a.title == b.title and a.published != b.published and other_figures(a, b), used,
        Counter(), lambda s: s.title, cap=1)]
    units += [{"reason": "ukraine-week", "stories": pair} for pair in pairs_by(
        rng, clean("ukraine"), NEGATIVE_PAIRS["ukraine-week"], lambda a, b: week(a) == week(b), used)]
    units += [{"reason": "voa-section", "stories": pair} for pair in pairs_by(
        rng, clean("voa"), NEGATIVE_PAIRS["voa-section"], lambda a, b: a.section == b.section, used)]
    return [{"kind": "negative", **unit} for unit in units]


def bases(rng: random.Random, stories: list[Story], excluded: set[str], used: set[str]) -> list[Story]:
    """Originals: unique stories of three paragraphs and ``MIN_BASE_WORDS`` words or more."""
    titles = Counter(s.title for s in stories if corpus(s) == "reuters")
    chosen = []
    for name, wanted in BASES.items():
        pool = [s for s in stories if corpus(s) == name and s.key not in excluded and s.key not in used
                and word_count(s.text) >= MIN_BASE_WORDS and body_length(s) >= 3
                and (name != "reuters" or titles[s.title] == 1)]
        picked = rng.sample(pool, min(wanted, len(pool)))
        used.update(s.key for s in picked)
        chosen.extend(picked)
    return chosen


def donor_edit(rng: random.Random, story: Story, donors: dict[str, list[Story]], parts: int,
               count: int) -> dict:
    """An update: ``count`` paragraphs of a story on the same topic, at the end, on top or inside.

    The donor is, of a few drawn from the same topic (Reuters), month (Ukraine) or section
    (VOA), the one sharing most longer words with the story, so the added paragraphs read
    as more of the same story rather than as another subject.
    """
    candidates = [s for s in donors[group(story)] if s.key != story.key] or \
        [s for name, pool in donors.items() if name.startswith(corpus(story)) for s in pool if s.key != story.key]
    drawn = rng.sample(candidates, min(DONOR_DRAW, len(candidates)))
    words = content_words(story.text)
    donor = max(drawn, key=lambda other: len(words & content_words(other.text)))
    pool = [n for n, p in enumerate(paragraphs(donor.text)[0]) if word_count(p) >= 10] or [0]
    taken = sorted(rng.sample(pool, min(count, len(pool))))
    where = rng.random()  # at the end; on top, as a write-through's new lead; or inside
    after = None if where < 0.5 or parts < 3 else -1 if where < 0.7 else rng.randint(0, parts - 2)
    return {"op": "append", "donor": donor.key, "paragraphs": taken, "after": after}


def content_words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]{5,}", text.lower()))


def republish_edits(rng: random.Random, story: Story) -> list[dict]:
    """A new headline on top, often a dateline and a credit line, sometimes a new first line."""
    edits = []
    if rng.random() < 0.3:
        edits.append(rewrite_edit(rng, [0], first=True))
    if rng.random() < 0.6:
        edits.append({"op": "dateline", "place": rng.choice(PLACES), "agency": rng.choice(AGENCIES)})
    if rng.random() < 0.5:
        edits.append({"op": "credit", "style": rng.choice(("reuters", "staff", "copyright")),
                      "names": rng.sample(CREDIT_NAMES, 2)})
    style = rng.choice(("title", "update", "lead", "kicker"))
    edits.append({"op": "headline", "style": style, **({"kicker": rng.choice(KICKERS)} if style == "kicker" else {})})
    return edits


def rewrite_edit(rng: random.Random, eligible: list[int], first: bool = False, how_many: int = 1) -> dict:
    """Rewrite the first sentence, or ``how_many`` of the ``eligible`` ones (long enough to reword)."""
    chosen = [0] if first else sorted(rng.sample(eligible, min(how_many, len(eligible))))
    seed = rng.randrange(10**6)
    return {"op": "rewrite", "sentences": chosen, "seed": seed, "share": round(rng.uniform(0.3, 0.6), 2)}


def trim_edit(rng: random.Random, parts: int) -> dict:
    """Cut one or two last paragraphs (two only when five or more are there)."""
    return {"op": "trim", "paragraphs": rng.choice((1, 2)) if parts >= 5 else 1}


def body_length(story: Story) -> int:
    """Paragraphs before the sign-off: what a trim or an inserted update counts in."""
    return len(split_trailer(paragraphs(story.text)[0])[0])


def format_edit(rng: random.Random) -> dict:
    """One to three light formatting changes."""
    changes = rng.sample(sorted(FORMATS), rng.randint(1, 3))
    return {"op": "format", "changes": changes, "seed": rng.randrange(10**6)}


def version_edits(rng: random.Random, kind: str, story: Story,
                  donors: dict[str, list[Story]]) -> tuple[list[str], list[dict]]:
    """The kinds and edits of one edited version of ``story``."""
    parts = body_length(story)
    split = [sentence for p in paragraphs(story.text)[0] for sentence in sentences(p)]
    eligible = [n for n, sentence in enumerate(split) if word_count(sentence) >= REWRITE_WORDS] or [0]
    if kind == "republish":
        return ["republish"], republish_edits(rng, story)
    if kind == "update":
        return ["update"], [donor_edit(rng, story, donors, parts, rng.choice((1, 2)))]
    if kind == "trim":
        return ["trim"], [trim_edit(rng, parts)]
    if kind == "rewrite":
        return ["rewrite"], [rewrite_edit(rng, eligible, how_many=rng.choice((1, 2)))]
    if kind == "format":
        return ["format"], [format_edit(rng)]
    picked = sorted(rng.sample(("republish", "update", "trim", "rewrite", "format"), rng.choice((2, 3))),
                    key=("rewrite", "trim", "update", "republish", "format").index)
    edits = []
    for part in picked:
        edits += version_edits(rng, part, story, donors)[1]
    return ["combination", *picked], edits


def positives(rng: random.Random, chosen: list[Story], donors: dict[str, list[Story]]) -> list[dict]:
    """Each original with one edited version, or with two updates of which the second builds on the first."""
    units = []
    for story in chosen:
        if rng.random() < SECOND_UPDATE:
            parts = body_length(story)
            first = [donor_edit(rng, story, donors, parts, 1)]
            second = [donor_edit(rng, story, donors, parts + 1, rng.choice((1, 2))),
                      rewrite_edit(rng, [0], first=True)]
            versions = [{"name": "v1", "kinds": ["update"], "edits": first},
                        {"name": "v2", "from": "v1", "kinds": ["second-update"], "edits": second}]
        else:
            kinds, edits = version_edits(rng, rng.choice(KINDS), story, donors)
            versions = [{"name": "v1", "kinds": kinds, "edits": edits}]
        units.append({"kind": "positive", "base": story.key, "versions": versions})
    return units


def make_recipe(shared_dir: Path) -> dict:
    """Draw the whole set from the corpora with ``SEED``."""
    rng = random.Random(SEED)
    stories = sorted(load_stories(shared_dir).values(), key=lambda s: s.key)
    excluded = set()
    for name in ("reuters", "ukraine", "voa"):
        excluded |= twins([s for s in stories if corpus(s) == name])
    seen_texts: set[str] = set()
    for story in stories:  # an exact copy of an earlier file is the same document
        if story.text in seen_texts:
            excluded.add(story.key)
        seen_texts.add(story.text)
    used: set[str] = set()
    negative_units = negatives(rng, stories, excluded, used)
    chosen = bases(rng, stories, excluded, used)
    donors: dict[str, list[Story]] = defaultdict(list)
    for story in stories:
        if story.key not in used and story.key not in excluded and word_count(story.text) >= MIN_BASE_WORDS:
            donors[group(story)].append(story)
    units = positives(rng, chosen, donors) + negative_units
    rng.shuffle(units)
    for number, unit in enumerate(units):
        unit["split"] = "test" if number % TEST_SHARE == 0 else "dev"
    return {"name": "sitroom near-duplicate set", "seed": SEED, "excluded_twins": len(excluded),
            "units": units}


def summary(recipe: dict) -> dict:
    out: dict[str, Counter] = {}
    for unit in recipe["units"]:
        counts = out.setdefault(unit["split"], Counter())
        if unit["kind"] == "negative":
            counts[f"negative pairs: {unit['reason']}"] += 1
        else:
            counts[f"originals: {unit['base'].split('/')[0]}"] += 1
            for version in unit["versions"]:
                counts[f"versions: {version['kinds'][0]}"] += 1
    return {split: dict(sorted(counts.items())) for split, counts in sorted(out.items())}


def dump(recipe: dict) -> str:
    """The recipe as JSON with one unit a line: small, and a change shows as a changed line."""
    head = {key: value for key, value in recipe.items() if key != "units"}
    lines = ",\n".join(json.dumps(unit, ensure_ascii=False) for unit in recipe["units"])
    return json.dumps(head, ensure_ascii=False)[:-1] + ', "units": [\n' + lines + "\n]}\n"


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=settings.shared_dir())
    parser.add_argument("--check", action="store_true", help="compare with the committed recipe, write nothing")
    args = parser.parse_args(list(argv) if argv is not None else None)
    recipe = make_recipe(args.shared)
    text = dump(recipe)
    if args.check:
        same = RECIPE.is_file() and RECIPE.read_text(encoding="utf-8") == text
        print("recipe unchanged" if same else "recipe differs from the committed one")
        return 0 if same else 1
    RECIPE.write_text(text, encoding="utf-8")
    print(json.dumps(summary(recipe), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
