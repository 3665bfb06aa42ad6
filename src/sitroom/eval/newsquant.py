"""Score quantity extraction on NewsQuant with the rules of its published evaluation (CQE).

NewsQuant (``eval/newsquant/data/formatted_test_set/NewsQuant.json``) gives, for each of
590 news sentences, its quantities as value (ranges "low-high"), normalized unit ("-"
for none; the counted noun phrase, lemmatized, for counts), change ("=", "~", ">", "<",
"up", "down") and referred concepts (words of what the figure is about, "-" for none).
There are no offsets, so the scorer matches within a sentence, as the CQE scorer does:

- each gold quantity is compared with the system's quantities sorted by unit; the first one
  whose value is equal (ranges must match both ends) counts for value; every value match on
  the way counts for change and concept; the first whose unit is also equal counts for
  value+unit and is used up;
- precision divides by the number of system quantities, recall by the number of gold ones.

Our records are folded into that form: bounds as the gold folds them ("approx" -> "~",
"at least"/"more than" -> ">", "up to"/"less than" -> "<"; exact, "a total of" and ranges
-> "="), then "up"/"down" for changes; the unit of a count is its counted noun phrase
lemmatized, a share ("a third of the voters") is "% voter"; the concept is found on the
parse by ``referred_concepts`` ("-" if none).
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sitroom import settings
from sitroom.eval.scoring import precision_recall_f1

TEST_FOLDER = Path("data") / "formatted_test_set"
TEST_SETS = ("NewsQuant", "currency-model", "dimension-model", "temperature-model", "age-model")
BOUND_SIGNS = {"approx": "~", "at_least": ">", "more_than": ">", "at_most": "<", "less_than": "<"}
CONCEPT_POS = {"NOUN", "PROPN"}
MODIFIER_DEPS = {"compound", "nmod", "amod", "nummod", "quantmod", "npadvmod"}

Tagger = Callable[[list[str]], list[list[dict[str, Any]]]]


def default_data_dir() -> Path:
    return settings.shared_dir() / "eval" / "newsquant"


def load_sentences(data: Path, test_set: str = "NewsQuant") -> list[dict[str, Any]]:
    """The test sentences of one set (NewsQuant or a unit set) with their gold quantities."""
    if test_set not in TEST_SETS:
        raise ValueError(f"unknown test set {test_set!r}: choose one of {', '.join(TEST_SETS)}")
    path = data / TEST_FOLDER / f"{test_set}.json" if data.is_dir() else data
    if not path.is_file():
        raise FileNotFoundError(f"no NewsQuant test set at {path}")
    with path.open(encoding="utf-8") as handle:
        sentences = json.load(handle)
    if not isinstance(sentences, list) or not all("text" in s and "quantities" in s for s in sentences):
        raise ValueError(f"{path} is not a NewsQuant test set (a list of {{text, quantities}})")
    return sentences


# --- the scorer ---------------------------------------------------------------------------


def _value(raw: Any, average_ranges: bool = False) -> float | tuple[float, float]:
    if isinstance(raw, (tuple, list)):
        return float(raw[0]), float(raw[1])
    if isinstance(raw, str) and "E" not in raw and not raw.startswith("-") and "-" in raw:
        low, high = raw.split("-", 1)
        return (float(low) + float(high)) / 2 if average_ranges else (float(low), float(high))
    return float(raw)


def _values_equal(gold: float | tuple, system: float | tuple) -> bool:
    if isinstance(gold, tuple) != isinstance(system, tuple):
        return False
    if isinstance(gold, tuple):
        return all(math.isclose(g, s, rel_tol=1e-5, abs_tol=1e-8) for g, s in zip(gold, system))
    return math.isclose(gold, system, rel_tol=1e-5, abs_tol=1e-8)


def _concept_words(concepts: Any) -> list[str]:
    if isinstance(concepts, str):
        concepts = re.split(r"[,\s]+", concepts)
    return [c.lower() for c in concepts if c]


def _f1(correct: int, gold: int, system: int) -> dict[str, float]:
    scores = precision_recall_f1(correct, system, gold, digits=3)
    return {"p": scores["precision"], "r": scores["recall"], "f1": scores["f1"]}


def score(sentences: list[dict[str, Any]], predictions: list[list[dict[str, Any]]],
          average_ranges: bool = False) -> dict[str, Any]:
    """NewsQuant figures for ``predictions`` (one list of NewsQuant-form dicts per sentence).

    ``average_ranges`` compares gold ranges by their midpoint, as the CQE evaluation does for
    quantulum3 (which gives one value for a range).
    """
    gold_total = system_total = 0
    correct = {"value": 0, "value+unit": 0, "value+change": 0, "concept_partial": 0, "concept_complete": 0}
    for sentence, predicted in zip(sentences, predictions, strict=True):
        gold_list = sorted(sentence["quantities"], key=lambda q: q["normalized_unit"])
        tags = sorted(predicted, key=lambda q: q["normalized_unit"])
        gold_total += len(gold_list)
        system_total += len(predicted)
        value_credit = len(gold_list)
        for gold in gold_list:
            gold_value = _value(gold["value"], average_ranges)
            gold_unit = gold["normalized_unit"].lower()
            gold_concepts = set(_concept_words(gold.get("referred_concepts", "-")))
            for tag in tags:
                if not _values_equal(gold_value, _value(tag["value"])):
                    continue
                if value_credit > 0:
                    correct["value"] += 1
                    value_credit -= 1
                if tag.get("change") == gold.get("change", "="):
                    correct["value+change"] += 1
                tag_concepts = set(_concept_words(tag.get("referred_concepts", ["-"])))
                shared = gold_concepts & tag_concepts
                if shared:
                    correct["concept_partial"] += 1
                if shared == gold_concepts and len(gold_concepts) == len(tag_concepts):
                    correct["concept_complete"] += 1
                if tag["normalized_unit"].lower() == gold_unit:
                    correct["value+unit"] += 1
                    tags.remove(tag)
                    break
    result: dict[str, Any] = {name: _f1(count, gold_total, system_total) for name, count in correct.items()}
    result["gold"] = gold_total
    result["predicted"] = system_total
    return result


# --- our extractor in NewsQuant's form ------------------------------------------------------


def sitroom_tagger(texts: list[str]) -> list[list[dict[str, Any]]]:
    """Run the sitroom pipeline over each sentence and fold its quantities into NewsQuant form."""
    from sitroom.model import Document
    from sitroom.nlp.pipeline import extract_parsed, load_nlp

    nlp = load_nlp()
    results = []
    for index, (text, doc) in enumerate(zip(texts, nlp.pipe(texts, batch_size=50))):
        found = extract_parsed(doc, Document(id=f"s{index}", text=text))
        tags = [as_newsquant(doc, q) for q in found.quantities]
        share_concepts(doc, found.quantities, tags)
        results.append(tags)
    return results


def share_concepts(doc, quantities: list, tags: list[dict[str, Any]]) -> None:
    """A figure restated in brackets ("47 feet (14 metres)", "7,199 yuan ($1,062)") is about
    what the figure before it is about."""
    for number in range(1, len(quantities)):
        if doc.text[quantities[number - 1].end:quantities[number].start].strip() == "(":
            tags[number]["referred_concepts"] = tags[number - 1]["referred_concepts"]


def as_newsquant(doc, quantity) -> dict[str, Any]:
    """One Quantity in NewsQuant's form (value, normalized_unit, change, referred_concepts)."""
    if quantity.low is not None and quantity.high is not None:
        value: Any = (quantity.low, quantity.high)
        first = re.search(r"\d[\d,]*(?:\.\d+)?", quantity.text)
        if first and quantity.low != quantity.high and float(first.group().replace(",", "")) == quantity.high:
            value = (quantity.high, quantity.low)  # the gold writes ranges in text order: "from 208 to 193"
    else:
        value = quantity.value
    unit = quantity.unit
    if unit is None and quantity.counts_text:
        unit = _counted_unit(doc, quantity)
    elif unit == "fraction":  # the gold writes a share as "%" and what it is a share of: "% condo"
        unit = "% " + (_counted_unit(doc, quantity) if quantity.counts_text else "-")
    change = BOUND_SIGNS.get(quantity.bound) or quantity.change or "="
    return {"value": value, "normalized_unit": unit or "-", "change": change,
            "referred_concepts": referred_concepts(doc, quantity)}


def _counted_unit(doc, quantity) -> str:
    """NewsQuant's unit for a count: the counted noun phrase lemmatized, "time(s)" as "count".

    Participles ("rushing yards") are left out; after "one of", the words of the noun's
    whole phrase are kept ("one of the proudest moments in his life"), as the gold does.
    """
    if quantity.counts == "time":
        return "count"
    start = doc.text.find(quantity.counts_text, quantity.end)
    if start < 0:
        start = doc.text.find(quantity.counts_text)
    span = doc.char_span(start, start + len(quantity.counts_text), alignment_mode="expand") if start >= 0 else None
    if span is None:
        return quantity.counts_text.lower()
    tokens = list(span)
    if quantity.value == 1 and doc.text[quantity.end:start].strip().lower().startswith("of"):
        head = span[-1]
        tokens = [t for t in head.subtree if t.i >= span.start]
        kept = {"NOUN", "PROPN", "ADJ", "VERB"}
    else:
        kept = {"NOUN", "PROPN", "ADJ"}
    words: list[str] = []
    glue = False
    for token in tokens:
        if token.text == "-" and words:
            words[-1] += "-"
            glue = True
            continue
        if token.pos_ not in kept or token.tag_ in ("VBG", "VBN") and token.pos_ != "ADJ" or token.is_stop and \
                token.pos_ not in ("NOUN", "ADJ", "PROPN"):
            glue = False
            continue
        if token.lower_ in ("more", "fewer", "less", "additional", "further"):
            continue
        lemma = token.lemma_.lower()
        if token.tag_ == "NNPS" and lemma.endswith("s"):
            lemma = lemma[:-1]
        if glue:
            words[-1] += lemma
        else:
            words.append(lemma)
        glue = False
    return " ".join(words) or quantity.counts or "-"


def referred_concepts(doc, quantity) -> list[str]:
    """Words of what a figure is about, "-" if nothing, tried in this order: the name before a
    signed figure in a ticker list ("FTSE -0.6%") or before the brackets the figure is in
    ("Ana Lopez (21.5 points)"); the noun of an "of" phrase the figure hangs
    on ("sales of 5835 units"); the noun it stands beside ("floor area ≈ 32m2") or modifies ("a
    352 μm pixel pitch"); its own "of"/"in" phrase ("5% of its workforce"); the subject of its
    clause (through a relative pronoun, or "each of ..." to its noun), or "-" when the figure
    is that subject; else the clause object."""
    span = doc.char_span(quantity.start, quantity.end, alignment_mode="expand")
    if span is None:
        return ["-"]
    anchor = _figure_root(span)
    listed = _listed_name(doc, span, quantity) or _bracketed_after_name(doc, span)
    if listed:
        return listed
    if quantity.counts_text:
        counted = doc.char_span(*_find(doc, quantity.counts_text, quantity.end), alignment_mode="expand")
        if counted is not None and quantity.unit and quantity.unit != "fraction":  # "15 year-old students": the age is about the students
            return _noun_words(counted.root, {t.i for t in span}, whole=False, modifiers=True)
        if counted is not None:
            anchor = counted.root
    own = {t.i for t in anchor.subtree} | {t.i for t in span}
    if anchor.dep_ == "pobj" and anchor.head.lower_ == "of" and anchor.head.head.pos_ in CONCEPT_POS \
            and anchor.head.head.i not in own:
        return _noun_words(anchor.head.head, own, whole=False)
    # a figure that modifies a noun: "an $800 stone pizza oven", "a 6kW electric motor", "a 352 μm
    # pixel pitch", "30% fuming sulfuric acid" (through the words between)
    # a figure set beside a noun: "floor area ≈ 32m2", "a much larger battery, 4500 mAh,"
    if anchor.dep_ == "appos" and anchor.head.pos_ in CONCEPT_POS and anchor.head.i not in own:
        return _noun_words(anchor.head, own, whole=False, modifiers=True)
    modified = _modified_noun(anchor, own)
    if modified is not None:
        return _noun_words(modified, own, whole=False, modifiers=True)
    # a figure with its own "of"/"in" phrase: "8 miles of new tunnels", "$1 billion in gains",
    # "5% of its workforce" (the phrase is in the figure's subtree, but not in its words); not
    # a part of another figure ("280 million of the 1.5 billion shekels") nor, for a count, the
    # place it is in ("13000 workers in the United Kingdom")
    prepositions = ("of",) if anchor.i >= span.end else ("of", "in")
    for child in anchor.children:
        if child.dep_ == "prep" and child.lower_ in prepositions and child.i >= span.end:
            objects = [c for c in child.children if c.dep_ == "pobj" and c.pos_ in CONCEPT_POS
                       and not c.like_num and not any(t.dep_ == "nummod" for t in c.children)]
            if objects:
                return _noun_words(objects[0], set(), whole=False, modifiers=True)
    clause = anchor
    for _ in range(3):  # from a participle or subordinate clause up to the clause that has a subject
        while clause.dep_ != "ROOT" and clause.pos_ not in ("VERB", "AUX"):
            clause = clause.head
        for dep in (("nsubj", "nsubjpass"), ("dobj",)):
            argument = next((c for c in clause.children if c.dep_ in dep), None)
            if argument is not None and argument.i in own and dep[0] == "nsubj":
                return ["-"]  # the figure is the subject: "1,307,000 Americans were collecting aid"
            if argument is None or argument.i in own:
                continue
            if argument.pos_ == "PRON":
                part_of = _of_object(argument)  # "Each of Whinstones buildings costs $40 million"
                if part_of is not None and part_of.i not in own:
                    return _noun_words(part_of, own, whole=False, modifiers=True)
                if clause.dep_ == "relcl" and clause.head.pos_ in CONCEPT_POS and clause.head.i not in own:
                    return _noun_words(clause.head, own, whole=False)
                if dep[0] == "nsubj" and argument.lower_ not in ("it", "they", "this", "that"):
                    return _what_follows(doc, span) or ["-"]
                continue
            words = _noun_words(argument, own)
            if words != ["-"]:
                return words
        if clause.dep_ == "ROOT":
            break
        clause = clause.head
    if anchor.dep_ == "pobj" and anchor.head.head.pos_ in CONCEPT_POS and anchor.head.head.i not in own:
        return _noun_words(anchor.head.head, own, whole=False)
    if clause.pos_ not in ("VERB", "AUX"):  # a fragment: "Dow +0.2%", "Total Cost: $72370"
        before = [t for t in anchor.sent if t.i < span.start and t.pos_ in CONCEPT_POS]
        if before:
            return _noun_words(before[-1], own, whole=False)
    return ["-"]


def _of_object(token):
    """The noun of a token's own "of" phrase, if it has one ("each of the buildings")."""
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            return next((c for c in child.children if c.dep_ == "pobj" and c.pos_ in CONCEPT_POS), None)
    return None


def _modified_noun(anchor, own: set[int]):
    """The noun after a figure that the figure modifies, directly or through other modifiers."""
    token = anchor
    for _ in range(4):
        if token.dep_ not in MODIFIER_DEPS or token.head.i <= token.i:
            return None
        token = token.head
        if token.pos_ in CONCEPT_POS and token.i not in own:
            return token
    return None


def _figure_root(span):
    """The head of a figure's words, leaving out the bound and article around the number
    ("a million dollar" is headed by "dollar", not "a")."""
    content = [t for t in span if t.pos_ not in ("DET", "ADV", "ADP", "PUNCT")]
    if not content:
        return span.root
    return span.doc[content[0].i:content[-1].i + 1].root


def _listed_name(doc, span, quantity) -> list[str] | None:
    """In a ticker-style list ("Dow +0.2% S&P 500 +0.3%", "FTSE -0.6%"), a signed figure is
    about the name written right before it."""
    if not quantity.text[:1] in "+-−" or span.start == 0:
        return None
    name = []
    for token in reversed(doc[max(0, span.start - 4):span.start]):
        number_in_name = token.like_num and token.i > 0 and doc[token.i - 1].pos_ == "PROPN"  # "S&P 500"
        if token.pos_ == "PROPN" or number_in_name or token.text == "&":
            name.insert(0, token)
        else:
            break
    while name and name[0].like_num:
        name.pop(0)
    return list(dict.fromkeys(_written_word(t) for t in name)) or None


def _bracketed_after_name(doc, span) -> list[str] | None:
    """Figures in brackets right after a name are about it: "Hunter Maldonado (15.3 ppg, 7.4 rpg)"."""
    k = span.start - 1
    while k >= 0 and doc[k].text not in ("(", ")") and span.start - k < 12:
        k -= 1
    if k <= 0 or doc[k].text != "(" or doc[k - 1].pos_ != "PROPN":
        return None
    name = []
    for token in reversed(doc[max(0, k - 4):k]):
        if token.pos_ != "PROPN":
            break
        name.insert(0, token)
    return list(dict.fromkeys(_written_word(t) for t in name))


def _what_follows(doc, span) -> list[str] | None:
    """The object of a "for"/"on" phrase right after a figure: "paid $35,538 for an 8.5 kW system"."""
    if span.end < len(doc) and doc[span.end].lower_ in ("for", "on"):
        objects = [c for c in doc[span.end].children if c.dep_ == "pobj" and c.pos_ in CONCEPT_POS]
        if objects:
            return _noun_words(objects[0], set(), whole=False, modifiers=True)
    return None


def _find(doc, text: str, after: int) -> tuple[int, int]:
    start = doc.text.find(text, after)
    if start < 0:
        start = doc.text.find(text)
    return start, start + len(text)


def _noun_words(head, own: set[int], whole: bool = True, modifiers: bool = False) -> list[str]:
    kept = ("compound", "amod") if modifiers else ("compound",)
    tokens = head.subtree if whole else [t for t in head.subtree if t.i == head.i or t.dep_ in kept]
    chosen = [t for t in tokens if t.pos_ in CONCEPT_POS and t.i not in own]
    if not chosen and head.i not in own and head.pos_ not in ("PRON", "DET", "NUM", "PUNCT", "ADP"):
        chosen = [head]  # a name the tagger missed ("OHSU" read as an adjective)
    words = list(dict.fromkeys(_written_word(t) for t in chosen))
    return [w for w in words if w][:8] or ["-"]


def _written_word(token) -> str:
    """The word as written around a token: "Ben-Moshe", "TA-125", "JD.com" are one word, not
    the tokens spaCy splits them into; edge punctuation and a possessive "'s" are dropped."""
    text = token.doc.text
    start, end = token.idx, token.idx + len(token.text)
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    word = text[start:end].strip("()[]{}\"'“”‘’,.;:!?")
    return re.sub(r"['’]s$", "", word)


def quantulum3_tagger(texts: list[str]) -> list[list[dict[str, Any]]]:
    """quantulum3 (optional extra ``baselines``) mapped as the CQE evaluation maps it."""
    try:
        from quantulum3 import parser
    except ImportError as error:  # pragma: no cover - depends on the optional extra
        raise RuntimeError("quantulum3 is not installed: pip install -e '.[baselines]'") from error
    renames = {
        "dimensionless": "-", "unk": "-", "per cent": "percentage", "dollar dollar": "dollar",
        "united states dollar": "dollar", "tonne": "metric ton", "degree angle": "degree",
        "degree celsius": "celsius", "degree fahrenheit": "fahrenheit", "percentage drop": "percentage",
        "second of arc": "second", "minute of arc": "minute", "yard yard": "yard",
        "cubic centimetre": "millilitre", "degree angle degree fahrenheit": "fahrenheit",
    }
    results = []
    for text in texts:
        tags = []
        for found in parser.parse(text):
            unit = found.unit.name
            unit = renames.get(unit.lower(), unit)
            tags.append({"value": found.value, "normalized_unit": unit.strip(), "change": "=",
                         "referred_concepts": ["-"]})
        results.append(tags)
    return results


TAGGERS: dict[str, Tagger] = {"sitroom": sitroom_tagger, "quantulum3": quantulum3_tagger}


def evaluate(data: Path | None = None, system: str = "sitroom", limit: int | None = None,
             test_set: str = "NewsQuant") -> dict[str, Any]:
    """Tag the sentences of ``test_set`` with ``system`` and score them; the result is JSON-ready.

    The unit sets have no change or concept annotations, so only value and value+unit count there.
    """
    if system not in TAGGERS:
        raise ValueError(f"unknown system {system!r}: choose one of {', '.join(TAGGERS)}")
    data = data or default_data_dir()
    sentences = load_sentences(data, test_set)[:limit]
    texts = [s["text"] for s in sentences]
    began = time.perf_counter()
    predictions = TAGGERS[system](texts)
    seconds = time.perf_counter() - began
    figures = score(sentences, predictions, average_ranges=system == "quantulum3")
    if test_set != "NewsQuant" or system == "quantulum3":  # quantulum3 reads no change or concept
        figures = {k: v for k, v in figures.items() if k in ("value", "value+unit", "gold", "predicted")}
    result = {"system": system, "set": test_set, "sentences": len(sentences), **figures}
    result["quantities_per_s"] = round(figures["predicted"] / seconds, 1) if seconds else None
    result["seconds"] = round(seconds, 2)
    return result

