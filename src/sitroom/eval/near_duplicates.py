"""Score near-duplicate linking on a constructed set of edited news stories.

Real stories from the shared corpora (Reuters-21578 bodies, the Ukraine war articles, the
VOA stories) are edited the way newsrooms republish them: a new headline, a dateline or a
credit line; an update with paragraphs added; a trimmed ending; a sentence or two
rewritten; light formatting changes; combinations of these. Hard negatives sit beside them:
different stories on the same topic and close in time, and templated items (one headline,
other days, other figures). The recipe (``gold/identity/near_duplicates.json``, written
by ``gold/identity/near_duplicates.py``) names stories and edits only; the texts are
rebuilt here from ``SITROOM_SHARED``, so no corpus text is kept in the repository.

Scoring follows batch ingest: a split's documents go into one ``NearDuplicateIndex`` one
by one, in an order fixed by the recipe's seed, each looked up (``find``) among those
already added and then added; a document whose normalized text equals an earlier one's is
an exact duplicate (the same id), which ingest stores once, and is left out. A *cluster*
is one original with its edited versions (they come after it, in order); every other
story is a cluster of its own. A document is *due* a link when an earlier document of its
cluster is in the index; a link is *correct* when it goes to an earlier document of the
same cluster (any version: a second update may link to the first). Precision = correct
links / links made, recall = correct links / documents due.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import textwrap
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from sitroom.eval.scoring import precision_recall_f1

RECIPE = Path(__file__).resolve().parents[3] / "gold" / "identity" / "near_duplicates.json"
SPLITS = ("dev", "test", "all")
REUTERS = Path("corpus") / "reuters-21578"
UKRAINE = Path("corpus") / "ukraine-war-news" / "articles"
VOA = Path("corpus") / "voa" / "voa_stories.jsonl"

# What a copy editor's rewrite does to a sentence: other words for common ones, a phrase
# put in, a clause dropped or moved. Only the edit's shape matters to the scorer.
SYNONYMS = {"said": "stated", "says": "states", "told": "informed", "about": "around", "also": "as well",
            "more": "over", "big": "large", "large": "sizeable", "buy": "purchase", "company": "firm",
            "government": "authorities", "announced": "unveiled", "increase": "rise", "help": "assist",
            "people": "residents", "officials": "authorities", "expected": "forecast", "began": "started",
            "before": "prior to", "after": "following", "because": "as", "but": "however", "will": "would",
            "new": "fresh", "major": "key", "killed": "left dead", "country": "nation", "agreed": "consented",
            "week": "seven days", "during": "in", "including": "among them", "against": "versus",
            "attack": "strike", "talks": "negotiations", "support": "backing", "plans": "intends"}
PHRASES = ("on Tuesday", "in a statement", "according to officials", "it said", "so far", "for now",
           "at the time", "officials said", "this week", "in recent days")
# Invented names for credit lines (no real person is named).
CREDIT_NAMES = ("Anna Berg", "Tom Okafor", "Lena Marsh", "Rafael Ortiz", "Mei Chen", "Daniel Ward",
                "Sofia Novak", "Omar Haddad", "Kate Lindqvist", "Peter Sandoval")
MONTHS = ("Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec")

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*|\n[ \t]+(?=\S)")
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'\u201d\u2019)]))\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])")
TRAILER_WORDS = 5  # a last paragraph shorter than this is a sign-off, not part of the body
_SENTENCES_PER_PARAGRAPH = 3  # for a text with no paragraph breaks (the VOA stories)


@dataclass(frozen=True)
class Story:
    """One corpus story as sitroom's readers give it, with what the edits and recipe use."""

    key: str  # "reuters/reut2-000.json#item1", "ukraine/<file name>", "voa/<id>"
    text: str
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD
    place: str | None = None  # the Reuters dateline's place
    topics: tuple[str, ...] = ()
    section: str | None = None


@dataclass
class Item:
    """One document of the constructed set: a corpus story or an edited version of one."""

    name: str
    cluster: str
    kind: str  # "original", "negative" or the edit kinds joined by "+"
    text: str


@dataclass
class Outcome:
    """Counts of one scoring run, split by edit kind for the recall breakdown."""

    due: int = 0
    exact_duplicates: int = 0
    links: int = 0
    correct: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [due, correctly linked]
    errors: list[dict[str, Any]] = field(default_factory=list)


# -- the corpora ----------------------------------------------------------------------------

def require_corpora(shared_dir: Path) -> None:
    """A clear error when a corpus the set is built from is missing."""
    for part in (REUTERS, UKRAINE, VOA):
        if not (Path(shared_dir) / part).exists():
            raise FileNotFoundError(f"the near-duplicate set is built from {Path(shared_dir) / part}, which is "
                                    "missing (set SITROOM_SHARED to the shared corpora)")


@lru_cache(maxsize=2)
def load_stories(shared_dir: Path) -> dict[str, Story]:
    """Every story of the three corpora by key, text as ``sitroom ingest`` reads it."""
    shared_dir = Path(shared_dir)
    require_corpora(shared_dir)
    stories = {}
    for story in (*_reuters(shared_dir / REUTERS), *_ukraine(shared_dir / UKRAINE), *_voa(shared_dir / VOA)):
        stories[story.key] = story
    return stories


def _read(path: Path) -> dict[str, Any]:
    """Documents of one file by location suffix ("#item3", "#L2" or "" for a text file)."""
    from sitroom.ingest import Incoming, read_file

    return {item.location[len(str(path)):]: item.document for item in read_file(path) if isinstance(item, Incoming)}


def _reuters(folder: Path) -> Iterable[Story]:
    for path in sorted(folder.glob("*.json")):
        documents = _read(path)
        for number, record in enumerate(json.loads(path.read_text(encoding="utf-8")), start=1):
            document = documents.get(f"#item{number}")
            if document is None:
                continue
            place = (record.get("dateline") or "").split(",")[0].strip() or None
            yield Story(f"reuters/{path.name}#item{number}", document.text, title=document.title,
                        published=document.published, place=place, topics=tuple(record.get("topics") or ()))


def _ukraine(folder: Path) -> Iterable[Story]:
    for path in sorted(folder.glob("*.txt")):
        document = _read(path).get("")
        if document is not None:  # the file name starts with its UTC time: 20220125T090000Z_...
            published = f"{path.name[0:4]}-{path.name[4:6]}-{path.name[6:8]}"
            yield Story(f"ukraine/{path.name}", document.text, published=published)


def _voa(path: Path) -> Iterable[Story]:
    documents = _read(path)
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        document = documents.get(f"#L{number}")
        if document is not None:
            record = json.loads(line)
            yield Story(f"voa/{record['id']}", document.text, title=document.title, published=document.published,
                        section=record.get("section"))


# -- paragraphs and sentences ---------------------------------------------------------------

def paragraphs(text: str) -> tuple[list[str], str]:
    """The text's paragraphs and the break that joins them.

    Paragraphs end at a blank line or at an indented line (Reuters); a text with neither
    is cut into runs of three sentences joined by a space, as a web page would show them.
    """
    text = text.strip()
    found = _PARAGRAPH_BREAK.search(text)
    if found:
        joiner = "\n\n" if found.group().count("\n") > 1 else "\n    "
        return [part for part in _PARAGRAPH_BREAK.split(text) if part.strip()], joiner
    parts = sentences(text)
    step = _SENTENCES_PER_PARAGRAPH
    return [" ".join(parts[start:start + step]) for start in range(0, len(parts), step)], " "


def sentences(paragraph: str) -> list[str]:
    """The paragraph's sentences (a plain rule: an end mark before a capital or a digit)."""
    return [part for part in _SENTENCE_END.split(paragraph.strip()) if part]


def word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


# -- the edits ------------------------------------------------------------------------------

def edit_headline(text: str, story: Story, style: str, kicker: str = "") -> str:
    """A new headline line on top: the story's title in another form, or its lead cut short."""
    lead = " ".join(sentences(paragraphs(text)[0][0])[0].split()[:10]).rstrip(".,;:")
    title = story.title or lead
    if title.isupper():
        title = title.title()
    line = {"title": title, "update": f"UPDATE 2-{title}", "lead": lead.title(),
            "kicker": f"{kicker}: {title}"}[style]
    return f"{line}\n\n{text}"


def edit_dateline(text: str, story: Story, place: str, agency: str) -> str:
    """A wire dateline before the first word: ``KYIV, March 3 (Reuters) -``."""
    place = (story.place or place).upper()
    when = ""
    if story.published:
        day = date.fromisoformat(story.published)
        when = f", {MONTHS[day.month - 1]} {day.day}"
    return f"{place}{when} ({agency}) - {text.lstrip()}"


def edit_credit(text: str, style: str, names: list[str]) -> str:
    """A credit line at the end, in one of the forms wires and papers use."""
    first, second = names
    line = {"reuters": f"(Reporting by {first}; Editing by {second})",
            "staff": f"{first} contributed reporting. Edited by {second}.",
            "copyright": f"Copyright {first} and {second}. All rights reserved."}[style]
    return f"{text.rstrip()}\n\n{line}"


def edit_append(text: str, donor: Story, taken: list[int], after: int | None) -> str:
    """An update: paragraphs of a related story put in after paragraph ``after``.

    ``after`` None puts them at the end, -1 on top (a write-through's new lead).
    """
    parts, joiner = paragraphs(text)
    body, trailer = split_trailer(parts)
    added = [paragraph for number, paragraph in enumerate(paragraphs(donor.text)[0]) if number in taken]
    position = len(body) if after is None else max(0, min(after + 1, len(body)))
    return joiner.join(body[:position] + added + body[position:] + trailer)


def edit_trim(text: str, count: int) -> str:
    """A shorter version: the last ``count`` paragraphs of the body cut (a sign-off stays)."""
    parts, joiner = paragraphs(text)
    body, trailer = split_trailer(parts)
    return joiner.join(body[:max(1, len(body) - count)] + trailer)


def split_trailer(parts: list[str]) -> tuple[list[str], list[str]]:
    """The body paragraphs and the short lines that close the text (" Reuter", a credit)."""
    end = len(parts)
    while end > 1 and word_count(parts[end - 1]) < TRAILER_WORDS:
        end -= 1
    return parts[:end], parts[end:]


def edit_rewrite(text: str, chosen: list[int], seed: int, share: float) -> str:
    """Sentences (numbered through the text) reworded: about ``share`` of their words changed."""
    rng = random.Random(seed)
    parts, joiner = paragraphs(text)
    number = 0
    for index, paragraph in enumerate(parts):
        split = sentences(paragraph)
        hits = [position for position in range(len(split)) if number + position in chosen]
        if hits:
            for position in hits:
                split[position] = rewrite_sentence(split[position], rng, share)
            parts[index] = " ".join(split)
        number += len(split)
    return joiner.join(parts)


def rewrite_sentence(sentence: str, rng: random.Random, share: float) -> str:
    """The sentence reworded by one to four editor's moves (more for a larger ``share``)."""
    words = sentence.split()
    moves = [rng.choice(REWRITE_MOVES) for _ in range(max(1, round(share * 6)))]
    for move in moves:
        words = move(words, rng) if len(words) > 4 else words
    if words and words[0][:1].islower():
        words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


def _synonyms(words: list[str], rng: random.Random) -> list[str]:
    """Other words for the common ones (all of them, or one inserted phrase when none is there)."""
    hits = [n for n, word in enumerate(words) if word.lower() in SYNONYMS]
    if not hits:
        return _insert(words, rng)
    for position in hits:
        words[position] = SYNONYMS[words[position].lower()]
    return words


def _insert(words: list[str], rng: random.Random) -> list[str]:
    """A short phrase put in after a comma, or at the end before the full stop."""
    commas = [n + 1 for n, word in enumerate(words[:-1]) if word.endswith(",")]
    phrase = rng.choice(PHRASES).split()
    if commas:
        position = rng.choice(commas)
        return words[:position] + phrase[:-1] + [phrase[-1] + ","] + words[position:]
    last = words[-1]
    end = last[-1] if last[-1:] in ".!?" else ""
    return words[:-1] + [last.rstrip(".!?") + ","] + phrase[:-1] + [phrase[-1] + end]


def _drop(words: list[str], rng: random.Random) -> list[str]:
    """A clause between commas cut, else a run of two to four words."""
    commas = [n for n, word in enumerate(words[:-1]) if word.endswith(",")]
    if len(commas) >= 2:
        first = rng.randrange(len(commas) - 1)
        return words[:commas[first] + 1] + words[commas[first + 1] + 1:]
    length = rng.randint(2, 4)
    start = rng.randrange(max(1, len(words) - length))
    return words[:start] + words[start + length:]


def _move(words: list[str], rng: random.Random) -> list[str]:
    """The last clause put first ("..., officials said." becomes "Officials said ...")."""
    commas = [n for n, word in enumerate(words[:-1]) if word.endswith(",")]
    if not commas:
        return _drop(words, rng)
    cut = commas[-1] + 1
    head, tail = words[:cut], words[cut:]
    end = tail[-1][-1] if tail[-1][-1:] in ".!?" else ""
    tail[-1] = tail[-1].rstrip(".!?")
    head[-1] = head[-1].rstrip(",") + end
    return tail[:-1] + [tail[-1] + ","] + head


REWRITE_MOVES: tuple[Callable[[list[str], random.Random], list[str]], ...] = (_synonyms, _insert, _drop, _move)


def edit_format(text: str, changes: list[str], seed: int) -> str:
    """Light formatting: line breaks, quotes, spaces, dashes, accents, invisible characters."""
    rng = random.Random(seed)
    for change in changes:
        text = FORMATS[change](text, rng)
    return text


def _rewrap(text: str, rng: random.Random) -> str:
    parts, _ = paragraphs(text)
    width = rng.randint(55, 90)
    return "\n\n".join(textwrap.fill(" ".join(part.split()), width) for part in parts)


def _unwrap(text: str, rng: random.Random) -> str:
    parts, _ = paragraphs(text)
    return "\n".join(" ".join(part.split()) for part in parts)


def _quotes(text: str, rng: random.Random) -> str:
    if "\u201c" in text or "\u2019" in text:
        return text.translate(str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"}))
    text = re.sub(r'"(\S[^"]*?)"', "\u201c\\1\u201d", text)
    return text.replace("'", "\u2019")


def _spaces(text: str, rng: random.Random) -> str:
    text = re.sub(r"(?<=[.!?]) (?=[A-Z])", "  ", text)
    text = re.sub(r"(?<=\d) (?=[a-z])", "\u00a0", text)
    return re.sub(r"\n", lambda _: " \n" if rng.random() < 0.3 else "\n", text)


def _dashes(text: str, rng: random.Random) -> str:
    if " \u2014 " in text:
        return text.replace(" \u2014 ", " - ")
    return text.replace(" - ", " \u2014 ")


def _ascii(text: str, rng: random.Random) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _invisible(text: str, rng: random.Random) -> str:
    """Soft hyphens and zero-width spaces inside some long words, as web copy carries them."""
    def mark(found: re.Match) -> str:
        word = found.group()
        if rng.random() < 0.15:
            cut = rng.randint(3, len(word) - 3)
            return word[:cut] + rng.choice(("\u00ad", "\u200b")) + word[cut:]
        return word
    return re.sub(r"[A-Za-z]{9,}", mark, text)


FORMATS: dict[str, Callable[[str, random.Random], str]] = {
    "rewrap": _rewrap, "unwrap": _unwrap, "quotes": _quotes, "spaces": _spaces, "dashes": _dashes,
    "ascii": _ascii, "invisible": _invisible}


def apply_edit(text: str, edit: dict[str, Any], story: Story, stories: dict[str, Story]) -> str:
    """One recipe edit applied to a text of ``story`` (donors are looked up in ``stories``)."""
    op = edit["op"]
    if op == "headline":
        return edit_headline(text, story, edit["style"], edit.get("kicker", ""))
    if op == "dateline":
        return edit_dateline(text, story, edit["place"], edit["agency"])
    if op == "credit":
        return edit_credit(text, edit["style"], edit["names"])
    if op == "append":
        return edit_append(text, _story(stories, edit["donor"]), edit["paragraphs"], edit.get("after"))
    if op == "trim":
        return edit_trim(text, edit["paragraphs"])
    if op == "rewrite":
        return edit_rewrite(text, edit["sentences"], edit["seed"], edit["share"])
    if op == "format":
        return edit_format(text, edit["changes"], edit["seed"])
    raise ValueError(f"unknown edit {op!r} in the near-duplicate recipe")


def _story(stories: dict[str, Story], key: str) -> Story:
    if key not in stories:
        raise ValueError(f"the near-duplicate recipe names {key!r}, which is not in the shared corpora")
    return stories[key]


# -- the set --------------------------------------------------------------------------------

def load_recipe(recipe: Path | None = None) -> dict[str, Any]:
    path = Path(recipe or RECIPE)
    if not path.is_file():
        raise FileNotFoundError(f"no near-duplicate recipe at {path} "
                                "(write it: python gold/identity/near_duplicates.py)")
    return json.loads(path.read_text(encoding="utf-8"))


def build_set(shared_dir: Path, split: str = "test", recipe: Path | None = None) -> list[Item]:
    """The split's documents in the order they are ingested (fixed by the recipe's seed)."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: one of {', '.join(SPLITS)}")
    plan = load_recipe(recipe)
    stories = load_stories(Path(shared_dir))
    items = []
    for unit in plan["units"]:
        if split != "all" and unit["split"] != split:
            continue
        if unit["kind"] == "negative":
            items.extend(Item(key, key, "negative", _story(stories, key).text) for key in unit["stories"])
            continue
        base = _story(stories, unit["base"])
        texts = {"base": base.text}
        items.append(Item(base.key, base.key, "original", base.text))
        for version in unit["versions"]:
            text = texts[version.get("from", "base")]
            for edit in version["edits"]:
                text = apply_edit(text, edit, base, stories)
            texts[version["name"]] = text
            items.append(Item(f"{base.key}~{version['name']}", base.key, "+".join(version["kinds"]), text))
    return ingest_order(items, plan["seed"])


def ingest_order(items: list[Item], seed: int) -> list[Item]:
    """A seeded shuffle in which each story's versions still come after its original, in order.

    Stories interleave at random; within a cluster the slots its documents drew are filled
    original first, then first and second version, as they would be published.
    """
    drawn = sorted(items, key=lambda item: hashlib.sha256(f"{seed}:{item.name}".encode()).hexdigest())
    queues: dict[str, list[Item]] = {}
    for item in items:  # build_set lists an original before its versions
        queues.setdefault(item.cluster, []).append(item)
    return [queues[item.cluster].pop(0) for item in drawn]


def score(items: list[Item], index: Any) -> Outcome:
    """Feed the items to ``index`` as batch ingest does and count due, made and correct links."""
    from sitroom.ingest.identity import document_id

    outcome = Outcome()
    seen_clusters: dict[str, str] = {}
    cluster_of: dict[str, str] = {}
    seen_ids: set[str] = set()
    for item in items:
        identity = document_id(item.text)
        if identity in seen_ids:  # ingest stores an exact copy once: no near-duplicate question
            outcome.exact_duplicates += 1
            continue
        seen_ids.add(identity)
        signature = index.signature(item.text)
        found = index.find(signature)
        due = item.cluster in seen_clusters
        correct = bool(found) and cluster_of.get(found[0]) == item.cluster
        outcome.due += due
        outcome.links += found is not None
        outcome.correct += correct
        if due:
            counts = outcome.by_kind.setdefault(item.kind.split("+")[0], [0, 0])
            counts[0] += due
            counts[1] += correct
        if due != correct or (found and not correct):
            outcome.errors.append({"document": item.name, "kind": item.kind, "due": due,
                                   "linked_to": found[0] if found else None,
                                   "similarity": round(found[1], 3) if found else None})
        index.add(item.name, signature)
        cluster_of[item.name] = item.cluster
        seen_clusters.setdefault(item.cluster, item.name)
    return outcome


def evaluate(shared_dir: Path, split: str = "test", recipe: Path | None = None, with_errors: bool = False,
             **index_options: Any) -> dict:
    """Pairwise P/R/F1 of "linked to its original" on one split (``dev``, ``test`` or ``all``).

    ``index_options`` go to ``NearDuplicateIndex`` (e.g. ``threshold``), for tuning on dev.
    """
    from sitroom.ingest.dedup import NearDuplicateIndex

    require_corpora(Path(shared_dir))
    items = build_set(Path(shared_dir), split, recipe)
    index = NearDuplicateIndex(**index_options)
    started = time.perf_counter()
    outcome = score(items, index)
    seconds = time.perf_counter() - started
    result = {
        "split": split, "documents": len(items), "clusters": len({item.cluster for item in items}),
        "exact_duplicates": outcome.exact_duplicates, "due": outcome.due, "links": outcome.links,
        "correct": outcome.correct,
        **precision_recall_f1(outcome.correct, outcome.links, outcome.due),
        "false_links": outcome.links - outcome.correct,
        "recall_by_kind": {kind: {"due": due, "linked": linked, "recall": round(linked / due, 4) if due else 0.0}
                           for kind, (due, linked) in sorted(outcome.by_kind.items()) if due},
        **index.settings(),
        "seconds": round(seconds, 3),
    }
    if with_errors:
        result["errors"] = outcome.errors
    return result
