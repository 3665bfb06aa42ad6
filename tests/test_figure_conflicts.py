"""When two figures of one track conflict: the rules that keep breakdowns, parts, magnitudes and
different things counted out of the conflicts list, on small tracks of real-looking points."""

from __future__ import annotations

from typing import Any

import pytest

from sitroom.picture.figures import FigureTrack, _flag_conflicts


def point(value: float, source: str, document: str, *, text: str | None = None, date: str = "2022-02-18",
          place: str | None = None, part_of: str | None = None, bound: str = "exact") -> dict[str, Any]:
    return {"value": value, "low": None, "high": None, "bound": bound, "unit": None,
            "text": text if text is not None else f"{value:,.0f}", "kind": "count", "source": source,
            "independent_source": source, "date": date, "refers_to": date, "place": place, "part_of": part_of,
            "conflict": False, "evidence": {"document_id": document}}


def flagged(*points: dict[str, Any], owner: str | None = "Q159") -> bool:
    track = FigureTrack(key="t", entity_key=owner, entity="Russia" if owner else None, counts="troops",
                        label="Russia troops", points=list(points))
    _flag_conflicts(track)
    return track.conflict


def test_two_independent_sources_that_cannot_both_hold_conflict():
    assert flagged(point(190_000, "US officials", "a"), point(130_000, "Ukraine", "b"))


@pytest.mark.parametrize("a,b,why", [
    (point(190_000, "US", "a"), point(130_000, "US", "b"), "one source's own series"),
    (point(190_000, "US", "a"), point(130_000, "UA", "a"), "one report's breakdown"),
    (point(190_000, "US", "a"), point(130_000, "UA", "b", date="2022-06-01"), "months apart"),
    (point(190_000, "US", "a"), point(30_000, "UA", "b", place="Belarus"), "a placed part of the build-up"),
    (point(30_000, "US", "a", place="Belarus"), point(100_000, "UA", "b", place="Crimea"), "two places"),
    (point(190_000, "US", "a"), point(8_000, "UA", "b", part_of="q1"), "a part of a whole"),
    (point(190_000, "US", "a"), point(10_000, "UA", "b", text="tens of thousands"), "a magnitude in words"),
    (point(190_000, "US", "a"), point(12, "UA", "b"), "values far apart count different things"),
    (point(190_000, "US", "a", bound="at_least"), point(200_000, "UA", "b"), "'at least' holds with more"),
])
def test_figures_that_can_both_hold_or_count_different_things_do_not(a, b, why):
    assert not flagged(a, b), why


def test_figures_nobody_owns_are_never_compared():
    assert not flagged(point(190_000, "US", "a"), point(130_000, "UA", "b"), owner=None)


def test_the_sweep_finds_every_pair_of_spans_within_reach_as_comparing_all_pairs_does():
    """Tracks compare points by a sweep over their dates (figures._pairs_within); on random
    spans, some undated, it yields exactly the pairs the all-pairs loop it replaced did."""
    import datetime as dt
    import random

    from sitroom.picture.figures import _pairs_within

    rng = random.Random(16)
    for _ in range(200):
        n = rng.randint(0, 30)
        starts = [None if rng.random() < 0.15 else dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 60))
                  for _ in range(n)]
        ends = [s + dt.timedelta(days=rng.choice((0, 0, 6, 30))) if s else None for s in starts]
        leeway = dt.timedelta(days=rng.choice((0, 3, 14)))
        for undated_meet in (True, False):
            expected = [(i, j) for i in range(n) for j in range(i + 1, n)
                        if (starts[i] is None or starts[j] is None) and undated_meet
                        or (starts[i] is not None and starts[j] is not None
                            and starts[i] - leeway <= ends[j] and starts[j] - leeway <= ends[i])]
            found = list(_pairs_within(starts, ends, leeway, undated_meet))
            assert sorted(found) == expected and len(set(found)) == len(found)


def test_story_candidates_hold_every_pair_of_similar_sentences_near_in_time():
    """The story split of unowned figures (figures._story_pairs, prefix filtering) proposes
    every pair whose sentences reach SAME_STORY within STORY_DAYS, each once: on random word
    sets and days, some undated, against comparing all pairs."""
    import datetime as dt
    import random

    from sitroom.picture.claims import jaccard
    from sitroom.picture.figures import SAME_STORY, _story_pairs

    rng = random.Random(12)
    vocabulary = [f"w{n}" for n in range(14)]
    window = dt.timedelta(days=14)
    for _ in range(300):
        n = rng.randint(0, 25)
        words = [frozenset(rng.sample(vocabulary, rng.randint(0, 7))) for _ in range(n)]
        days = [None if rng.random() < 0.2 else dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 40))
                for _ in range(n)]
        found = list(_story_pairs(words, days, window))
        assert len(set(found)) == len(found) and all(i < j for i, j in found)
        expected = {(i, j) for i in range(n) for j in range(i + 1, n) if jaccard(words[i], words[j]) >= SAME_STORY
                    and (days[i] is None or days[j] is None or abs((days[i] - days[j]).days) <= 14)}
        assert expected <= set(found)


def test_a_month_of_too_many_unowned_figures_is_split_by_day(monkeypatch):
    """Past MAX_STORY_POINTS, unowned figures of one kind in one month are not compared pair by
    pair (their cost would grow with the square of a busy month): each day's are one story."""
    from sitroom.picture import figures

    def point(n: int, day: str) -> dict:
        return {"date": day, "evidence": {"document_id": f"d{n}", "sentence": "The company sold 500 shares."}}

    track = figures.FigureTrack(key="unowned/share/other/point/2024-05", entity_key=None, entity=None, counts="share",
                                label="share", points=[point(n, f"2024-05-0{1 + n % 3}") for n in range(9)])
    monkeypatch.setattr(figures, "MAX_STORY_POINTS", 8)
    split = figures._split_unowned([track])
    assert sorted(t.key for t in split) == [f"unowned/share/other/point/2024-05/2024-05-0{d}" for d in (1, 2, 3)]
    assert sum(len(t.points) for t in split) == 9
    monkeypatch.setattr(figures, "MAX_STORY_POINTS", 9)
    assert len(figures._split_unowned([track])) == 1  # one sentence, days apart: one story
