"""The cue lexicon (reporting, belief and assessment verbs and nouns) and the hedge words.

``data/attribution_cues.tsv`` lists lemmas with their part of speech, a class (report,
belief, assess) and a weight: the share of the lemma's uses that are attribution cues in
PolNeAR *train* (``tools/build_cue_lexicon.py`` measures it), blank where unmeasured. The
extractor needs more syntactic evidence (a clausal complement, a quotation) before it trusts
a low-weight cue.

Hedges map onto the ICD 203 probability words ("almost certainly" ... "remote"), so a
claim's ``stance`` uses the analysts' scale and keeps the text it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Cue:
    lemma: str
    pos: str
    kind: str
    weight: float | None


@lru_cache(maxsize=1)
def cue_lexicon() -> dict[tuple[str, str], Cue]:
    """(lemma, VERB|NOUN) -> Cue, read once from the packaged data file."""
    table: dict[tuple[str, str], Cue] = {}
    text = resources.files("sitroom").joinpath("data/attribution_cues.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        lemma, pos, kind = parts[0], parts[1], parts[2]
        weight = float(parts[3]) if len(parts) > 3 and parts[3].strip() else None
        table[(lemma, pos)] = Cue(lemma, pos, kind, weight)
    return table


# Hedge phrases (lower case, matched on word boundaries) -> the ICD 203 expression of likelihood
# ("almost certainly" ... "almost no chance") they come nearest to. Longer phrases win.
HEDGES: dict[str, str] = {
    "almost certainly": "almost certainly", "certainly": "almost certainly", "definitely": "almost certainly",
    "undoubtedly": "almost certainly", "no doubt": "almost certainly", "confirmed": "almost certainly",
    "confirm": "almost certainly", "know": "almost certainly", "knows": "almost certainly",
    "clearly": "almost certainly", "will certainly": "almost certainly",
    "very likely": "very likely", "highly likely": "very likely", "highly probable": "very likely",
    "strongly believe": "very likely", "almost sure": "very likely", "confident": "very likely",
    "likely": "likely", "probably": "likely", "probable": "likely", "believe": "likely", "believes": "likely",
    "believed": "likely", "assessed": "likely", "assesses": "likely", "assess": "likely", "expect": "likely",
    "expects": "likely", "expected": "likely", "think": "likely", "thinks": "likely", "apparently": "likely",
    "indicates": "likely", "indicated": "likely", "suggests": "likely", "suggested": "likely",
    "may": "roughly even chance", "might": "roughly even chance", "could": "roughly even chance",
    "possibly": "roughly even chance", "possible": "roughly even chance", "possibility": "roughly even chance",
    "potentially": "roughly even chance", "perhaps": "roughly even chance", "maybe": "roughly even chance",
    "concerned": "roughly even chance", "concern": "roughly even chance", "fear": "roughly even chance",
    "fears": "roughly even chance", "worried": "roughly even chance", "uncertain": "roughly even chance",
    "unclear": "roughly even chance", "it remains to be seen": "roughly even chance",
    "remains to be seen": "roughly even chance", "do not yet know": "roughly even chance",
    "don't know": "roughly even chance", "not yet known": "roughly even chance",
    "unlikely": "unlikely", "doubt": "unlikely", "doubts": "unlikely", "doubtful": "unlikely",
    "improbable": "unlikely", "very unlikely": "very unlikely", "highly unlikely": "very unlikely",
    "almost no chance": "almost no chance", "no chance": "almost no chance", "impossible": "almost no chance",
    "ruled out": "almost no chance", "rules out": "almost no chance",
}


@lru_cache(maxsize=1)
def _hedges_by_first_word() -> dict[str, list[tuple[list[str], str]]]:
    index: dict[str, list[tuple[list[str], str]]] = {}
    for phrase, word in HEDGES.items():
        words = phrase.split()
        index.setdefault(words[0], []).append((words, word))
    for candidates in index.values():
        candidates.sort(key=lambda x: -len(x[0]))
    return index


def find_hedge(words: list[str]) -> tuple[str, str] | None:
    """The first, longest hedge among lower-cased ``words``: (hedge text, ICD 203 word)."""
    index = _hedges_by_first_word()
    for i, first in enumerate(words):
        for phrase, word in index.get(first, ()):
            if words[i:i + len(phrase)] == phrase:
                return " ".join(phrase), word
    return None
