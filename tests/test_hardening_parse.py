"""Per-document budgets of the parser (``ParseLimits``): no text can stall a batch or exhaust
memory, each over-budget document fails alone with its reason, and normal text is parsed as
before, at its own offsets. Sizes are just past each limit, so every test takes seconds."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest

from sitroom import kinds
from sitroom.ingest.budget import resident_mb
from sitroom.model import Document
from sitroom.nlp.pipeline import ParseLimits, _guarded_text, extract_documents, tokenize
from test_hardening_inputs import within

LIMITS = ParseLimits()
SENTENCE = "The council said on Tuesday that the new bridge over the river would open next spring."


def document(text: str, name: str = "doc") -> Document:
    return Document(id=name, text=text, language="en", published="2024-05-14")


def extract(*texts: str, workers: int = 1, limits: ParseLimits | None = None, seconds: float = 60):
    with within(seconds):
        return list(extract_documents([document(t, f"d{n}") for n, t in enumerate(texts)], workers=workers,
                                      batch_size=2, limits=limits))


def spans_index_the_text(found) -> None:
    text = found.document.text
    for entity in found.entities:
        for mention in entity.mentions:
            assert text[mention.start:mention.end] == mention.text
    for claim in found.claims:
        assert text[claim.content.start:claim.content.end] == claim.content.text


@pytest.mark.parametrize("run", [
    '"' * 20_000,                        # 36 s before the guard
    "(" * 10_000 + ")" * 10_000,         # nested brackets with nothing between them
    "[a" * 10_000,                       # nesting with letters between: one long word
    "\"'" * 10_000,                      # alternating marks
    "\U0001F600" * 20_000,               # symbols outside the BMP
    ("!" * LIMITS.max_symbol_run + "a") * 50,
], ids=["quotes", "brackets", "bracket-letter", "alternating", "emoji", "runs-at-the-limit"])
def test_pathological_runs_parse_in_seconds_at_their_own_offsets(nlp, run):
    text = f"{SENTENCE} Then the mayor said {run} and left. {SENTENCE}"
    started = time.monotonic()
    (found,) = extract(text, seconds=30)
    assert found.error is None
    assert time.monotonic() - started < 15
    assert found.document.text == text
    spans_index_the_text(found)
    assert tokenize(nlp, text, LIMITS).text == text


def test_normal_text_is_tokenized_as_spacy_does(nlp, seed_text):
    assert _guarded_text(seed_text, LIMITS) is seed_text
    at_the_limit = f"{SENTENCE} {'=' * LIMITS.max_symbol_run} {SENTENCE}"
    assert _guarded_text(at_the_limit, LIMITS) is at_the_limit
    assert [t.text for t in tokenize(nlp, seed_text, LIMITS)] == [t.text for t in nlp.make_doc(seed_text)]


def test_a_run_over_the_limit_is_one_token_and_the_text_is_kept(nlp):
    text = f"He said {'-=' * LIMITS.max_symbol_run} no more."
    doc = tokenize(nlp, text, LIMITS)
    assert doc.text == text
    assert "-=" * LIMITS.max_symbol_run in [t.text for t in doc]


def test_too_many_lines_are_refused_before_parsing():
    text = "\n".join(["A."] * (LIMITS.max_lines + 1))
    started = time.monotonic()
    (found,) = extract(text)
    assert found.error == f"text has {LIMITS.max_lines + 1:,} lines, over the {LIMITS.max_lines:,}-line limit for parsing"
    assert time.monotonic() - started < 5


def test_too_many_tokens_are_refused_before_the_parser_allocates_for_them(nlp):
    text = "a, " * (LIMITS.max_tokens // 2) + "a"  # one line of 500,000 characters, two tokens a word
    tokens = len(nlp.make_doc(text))
    assert tokens == LIMITS.max_tokens + 1
    started = time.monotonic()
    (found, after) = extract(text, SENTENCE)
    assert found.error.startswith(f"text has {tokens:,} tokens, over the {LIMITS.max_tokens:,}-token limit")
    assert after.error is None and after.entities is not None
    assert time.monotonic() - started < 20


@dataclass
class Stall:
    start: int = 0
    end: int = 0


def stall_on_marker(doc, found) -> list:
    """An extractor that never returns on a document holding the marker (a runaway extractor)."""
    while "RUNAWAY" in doc.text:
        pass
    return []


@pytest.fixture()
def runaway_kind():
    kinds.register(kinds.RecordKind(name="stalls", record=Stall, extract=stall_on_marker))
    yield
    kinds.unregister("stalls")


@pytest.mark.parametrize("workers", [1, 2])
def test_a_document_past_its_time_budget_fails_alone(runaway_kind, workers):
    limits = ParseLimits(base_seconds=1.0, chars_per_second=1e9)
    texts = [SENTENCE, f"{SENTENCE} RUNAWAY", "The mayor of the town spoke on Friday.", SENTENCE.replace("bridge", "road")]
    started = time.monotonic()
    results = extract(*texts, workers=workers, limits=limits, seconds=60)
    assert time.monotonic() - started < 30
    assert [r.error for r in results] == [
        None, f"too slow to parse: over the 1.0 s budget of a document of {len(texts[1]):,} characters", None, None]
    assert [r.document.id for r in results] == ["d0", "d1", "d2", "d3"]
    assert "2024-05-14" in [t.value for t in results[0].times]  # "on Tuesday", extracted as ever


def test_a_document_over_the_memory_ceiling_fails_alone():
    extract(SENTENCE)  # the model is loaded before the ceiling is set
    ceiling = resident_mb() + 150
    large = f"{SENTENCE} " * 3000  # about 60,000 tokens: the tagger alone takes several hundred MB
    results = extract(SENTENCE, large, "The mayor spoke on Friday.", limits=ParseLimits(memory_mb=ceiling))
    assert [r.error is None for r in results] == [True, False, True]
    assert results[1].error == f"too much memory to parse: the parsing process went over its {ceiling:,.0f} MB ceiling"


def test_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("SITROOM_PARSE_SECONDS", "2.5")
    monkeypatch.setenv("SITROOM_WORKER_MEMORY_MB", "0")
    limits = ParseLimits.from_environment()
    assert limits.base_seconds == 2.5 and limits.memory_mb is None
    assert limits.seconds_for("x" * 4000) == 4.5
