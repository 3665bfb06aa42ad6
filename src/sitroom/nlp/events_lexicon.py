"""The PLOVER verb and noun patterns (``data/plover_patterns.tsv``), loaded once.

A pattern ties a lemma, optionally narrowed by a particle ("call for"), a direct object
("hold talks") or a subject ("workers strike"), to a PLOVER type and mode. The data file
documents its own format; this module only reads it and answers "which pattern fits".

A pattern of type ``NONE`` names a sense of the lemma that is no event ("sign up for a
newsletter", "meet a target"): being more specific, it wins over the bare lemma, and the
coder then makes no event of the word.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
PATTERN_FILE = "plover_patterns.tsv"
NO_EVENT = "NONE"  # the type of a sense that is no event


@dataclass(frozen=True)
class Pattern:
    """One line of the pattern file."""

    kind: str  # "verb" or "noun"
    lemma: str
    type: str
    mode: str | None = None
    particle: str | None = None
    obj: str | None = None  # a lemma or "@CLASS"
    subj: str | None = None  # a lemma or "@CLASS"

    @property
    def specificity(self) -> int:
        """Object patterns beat particle patterns, which beat subject patterns and bare lemmas."""
        return 3 if self.obj else 2 if self.particle else 1 if self.subj else 0


@dataclass
class Lexicon:
    classes: dict[str, frozenset[str]]
    verbs: dict[str, list[Pattern]]
    nouns: dict[str, list[Pattern]]

    def in_class(self, word: str, name: str) -> bool:
        """Whether ``word`` (a lower-case lemma or form) is ``name`` or a member of class ``@name``."""
        if name.startswith("@"):
            return word in self.classes.get(name, frozenset())
        return word == name

    def match(self, kind: str, lemma: str, *, particles: Iterable[str] = (), objects: Iterable[str] = (),
              subjects: Iterable[str] = ()) -> Pattern | None:
        """The most specific pattern for ``lemma`` whose conditions hold, or None."""
        table = self.verbs if kind == "verb" else self.nouns
        candidates = table.get(lemma)
        if not candidates:
            return None
        particles, objects, subjects = set(particles), set(objects), set(subjects)
        best: Pattern | None = None
        for pattern in candidates:
            if pattern.particle and pattern.particle not in particles:
                continue
            if pattern.obj and not any(self.in_class(o, pattern.obj) for o in objects):
                continue
            if pattern.subj and not any(self.in_class(s, pattern.subj) for s in subjects):
                continue
            if best is None or pattern.specificity > best.specificity:
                best = pattern
        return best


def parse_patterns(lines: Iterable[str]) -> Lexicon:
    """Read the pattern file format; a malformed line raises ValueError naming it."""
    classes: dict[str, frozenset[str]] = {}
    verbs: dict[str, list[Pattern]] = {}
    nouns: dict[str, list[Pattern]] = {}
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        if fields[0].startswith("@"):
            classes[fields[0]] = frozenset(" ".join(fields[1:]).split())
            continue
        if len(fields) < 4 or fields[0] not in ("verb", "noun"):
            raise ValueError(f"{PATTERN_FILE} line {number}: expected kind, lemma, condition, type[, mode]")
        kind, lemma, condition, type_ = fields[:4]
        mode = fields[4].strip() if len(fields) > 4 and fields[4].strip() else None
        if type_ not in PLOVER_TYPES and type_ != NO_EVENT:
            raise ValueError(f"{PATTERN_FILE} line {number}: {type_!r} is not a PLOVER type")
        condition = condition.strip()
        pattern = Pattern(
            kind=kind, lemma=lemma.strip(), type=type_, mode=mode,
            particle=condition if condition not in ("-", "") and condition[0] not in "+^" else None,
            obj=condition[1:] if condition.startswith("+") else None,
            subj=condition[1:] if condition.startswith("^") else None,
        )
        (verbs if kind == "verb" else nouns).setdefault(pattern.lemma, []).append(pattern)
    for table in (verbs, nouns):
        for patterns in table.values():
            for p in patterns:
                for name in (p.obj, p.subj):
                    if name and name.startswith("@") and name not in classes:
                        raise ValueError(f"{PATTERN_FILE}: class {name} is used but not defined")
    return Lexicon(classes=classes, verbs=verbs, nouns=nouns)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The packaged pattern file, parsed once per process."""
    text = resources.files("sitroom").joinpath("data", PATTERN_FILE).read_text(encoding="utf-8")
    return parse_patterns(text.splitlines())
