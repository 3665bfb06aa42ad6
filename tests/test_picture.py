"""The picture across documents: entity resolution, corrections, claim clusters, figure tracks, timeline.

Resolution is checked on name tables; clusters, tracks and the timeline on a real store (SQLite,
and PostgreSQL where the local server answers) holding hand-written reports whose records are built with the contract dataclasses (so these
tests do not depend on how well the extractors do today).
"""

from __future__ import annotations

import pytest
from pg_server import postgres_url

from sitroom.model import Actor, Claim, Document, Entity, Event, Extraction, Quantity, Span, Speaker
from sitroom.picture import Picture
from sitroom.picture.entities import country_code_of, normalize, resolve
from sitroom.picture.figures import counted_key, interval
from sitroom.store import open_store


def _rows(*names: tuple[str, str, int]) -> list[dict]:
    return [{"name": n, "type": t, "documents": d, "mentions": d} for n, t, d in names]


def test_normalize_folds_dots_case_and_articles():
    assert normalize("U.S.") == "us"
    assert normalize("the Kremlin's") == "kremlin"
    assert normalize("Zelenskyy") == "zelenskyy"


def test_countries_and_nationalities_resolve_to_one_entity():
    index = resolve(_rows(("U.S.", "GPE", 5), ("United States", "GPE", 9), ("American", "NORP", 3),
                          ("Ukrainian", "NORP", 2), ("Ukraine", "GPE", 4), ("Georgia", "GPE", 1)))
    us = index.get(index.key_for("U.S.", "GPE"))
    assert us.name == "United States" and us.country_code == "US"
    assert index.key_for("American", "NORP") == us.key
    assert index.key_for("Ukrainian", "NORP") == index.key_for("Ukraine", "GPE") != us.key
    assert country_code_of("North Korean", "NORP") == "KP"
    assert country_code_of("Afghan", "NORP") == "AF"


def test_people_join_on_surname_spelling_variants_and_lone_surnames():
    index = resolve(_rows(("Olena Petrenkoo", "PERSON", 3), ("Olena Petrenko", "PERSON", 2), ("Petrenko", "PERSON", 4),
                          ("Ivan Petrenko", "PERSON", 2), ("Maria Lopez", "PERSON", 2), ("Lopez", "PERSON", 1)))
    olena = index.key_for("Olena Petrenko", "PERSON")
    assert index.key_for("Olena Petrenkoo", "PERSON") == olena
    # Two people share the surname and neither dominates (5 documents against 2): "Petrenko" stays apart.
    assert index.key_for("Ivan Petrenko", "PERSON") != olena
    assert index.key_for("Petrenko", "PERSON") not in (olena, index.key_for("Ivan Petrenko", "PERSON"))
    assert "Ivan Petrenko" in index.apart["Petrenko"] and "none dominates" in index.apart["Petrenko"]
    assert index.key_for("Lopez", "PERSON") == index.key_for("Maria Lopez", "PERSON")
    assert index.get(index.key_for("Lopez", "PERSON")).name == "Maria Lopez"


def test_a_lone_surname_joins_the_person_who_dominates_the_store():
    index = resolve(_rows(("Petro Ivanchuk", "PERSON", 30), ("Oksana Ivanchuk", "PERSON", 4), ("Ivanchuk", "PERSON", 12)))
    petro = index.get(index.key_for("Petro Ivanchuk", "PERSON"))
    assert index.key_for("Ivanchuk", "PERSON") == petro.key != index.key_for("Oksana Ivanchuk", "PERSON")
    assert any(m["name"] == "Ivanchuk" and "dominates" in m["reason"] for m in petro.merges)


def test_romanisations_of_one_name_join():
    index = resolve(_rows(("Volodymyr Zelensky", "PERSON", 9), ("Volodymyr Zelenskyy", "PERSON", 5),
                          ("Volodymyr Zelenskiy", "PERSON", 2), ("Aleksandr Lukashenko", "PERSON", 4),
                          ("Alexander Lukashenko", "PERSON", 3), ("Alaxandr Lukashenko", "PERSON", 1),
                          ("Sergei Lavrov", "PERSON", 6), ("Sergey Lavrov", "PERSON", 2),
                          ("Sergei Shoigu", "PERSON", 3), ("Alexander Stubb", "PERSON", 2)))
    for names in (("Volodymyr Zelensky", "Volodymyr Zelenskyy", "Volodymyr Zelenskiy"),
                  ("Aleksandr Lukashenko", "Alexander Lukashenko", "Alaxandr Lukashenko"),
                  ("Sergei Lavrov", "Sergey Lavrov")):
        assert len({index.key_for(name, "PERSON") for name in names}) == 1, names
    # The same given name with another surname is another person.
    assert index.key_for("Sergei Shoigu", "PERSON") != index.key_for("Sergei Lavrov", "PERSON")
    assert index.key_for("Alexander Stubb", "PERSON") != index.key_for("Alexander Lukashenko", "PERSON")
    lavrov = index.get(index.key_for("Sergey Lavrov", "PERSON"))
    assert {m["reason"] for m in lavrov.merges} == {"same name in another spelling"}


def test_types_are_voted_and_the_gazetteer_says_what_is_a_place():
    places = {"kyiv": ("Kyiv", "city", "geo-703448", 2952301), "kiev": ("Kyiv", "city", "geo-703448", 2952301),
              "austin": ("Austin", "city", "geo-4671654", 974447)}

    def place_of(name):
        return places.get(normalize(name))

    index = resolve(_rows(("Kyiv", "PERSON", 40), ("Kiev", "GPE", 9), ("Kiev", "PERSON", 3), ("Olaf Scholz", "ORG", 2),
                          ("Olaf Scholz", "PERSON", 9), ("Vladimir Putin", "PERSON", 50), ("BelTA", "PERSON", 5),
                          ("Lloyd Austin", "PERSON", 6), ("Austin", "PERSON", 4)),
                    place_of=place_of, wires=["BelTA"])
    kyiv = index.get(index.key_for("Kyiv", "PERSON"))
    assert kyiv.type == "GPE" and index.key_for("Kiev", "GPE") == index.key_for("Kiev", "PERSON") == kyiv.key
    assert any("alternate name of Kyiv" in m["reason"] for m in kyiv.merges)
    scholz = index.get(index.key_for("Olaf Scholz", "ORG"))
    assert scholz.type == "PERSON" and scholz.key == index.key_for("Olaf Scholz", "PERSON")
    assert index.get(index.key_for("Vladimir Putin", "PERSON")).type == "PERSON"  # not in the gazetteer
    assert index.get(index.key_for("BelTA", "PERSON")).type == "ORG"  # the store's reports credit it
    # A city's name that is a person's surname in the store stays that person's.
    assert index.key_for("Austin", "PERSON") == index.key_for("Lloyd Austin", "PERSON")


def test_stray_punctuation_does_not_make_another_entity():
    index = resolve(_rows(("CNN", "ORG", 9), ("CNN)-", "ORG", 1), ("Russia", "GPE", 5), ('"Russia', "GPE", 1),
                          ("Kiev.-", "GPE", 1), ("Kiev", "GPE", 3)))
    assert index.key_for("CNN)-", "ORG") == index.key_for("CNN", "ORG")
    assert index.key_for('"Russia', "GPE") == index.key_for("Russia", "GPE")
    assert index.key_for("Kiev.-", "GPE") == index.key_for("Kiev", "GPE")
    assert index.get(index.key_for("Kiev", "GPE")).name == "Kiev"


def test_an_organization_without_its_country_word_joins_when_one_country_dominates():
    index = resolve(_rows(("U.S. State Department", "ORG", 6), ("State Department", "ORG", 9),
                          ("Russian Defense Ministry", "ORG", 5), ("Ukrainian Defense Ministry", "ORG", 4),
                          ("Defense Ministry", "ORG", 7)))
    assert index.key_for("State Department", "ORG") == index.key_for("U.S. State Department", "ORG")
    assert index.key_for("Defense Ministry", "ORG") not in (index.key_for("Russian Defense Ministry", "ORG"),
                                                           index.key_for("Ukrainian Defense Ministry", "ORG"))
    assert "several countries" in index.apart["Defense Ministry"]


def test_acronyms_join_the_organization_they_abbreviate():
    index = resolve(_rows(("World Health Organization", "ORG", 3), ("WHO", "ORG", 5), ("the W.H.O.", "ORG", 1),
                          ("Red Cross", "ORG", 2)))
    assert index.key_for("WHO", "ORG") == index.key_for("World Health Organization", "ORG")
    assert index.key_for("Red Cross", "ORG") != index.key_for("WHO", "ORG")


def test_corrections_merge_split_and_rename():
    rows = _rows(("Acme Holdings", "ORG", 3), ("Acme", "ORG", 2), ("Georgia", "GPE", 2), ("Tbilisi", "GPE", 1))
    index = resolve(rows, [{"action": "merge", "name": "Acme", "type": None, "target": "Acme Holdings"},
                           {"action": "merge", "name": "Tbilisi", "type": None, "target": "Georgia"},
                           {"action": "split", "name": "Tbilisi", "type": None, "target": None},
                           {"action": "rename", "name": "Acme", "type": None, "target": "Acme Group"}])
    acme = index.get(index.key_for("Acme", "ORG"))
    assert acme.name == "Acme Group" and index.key_for("Acme Holdings", "ORG") == acme.key
    assert index.key_for("Tbilisi", "GPE") != index.key_for("Georgia", "GPE")


def _report(doc_id: str, text: str, published: str, *, source: str = "Wire", claims=(), quantities=(), events=(),
            entities=()) -> Extraction:
    return Extraction(document=Document(id=doc_id, text=text, title=f"Report {doc_id}", source=source,
                                        published=published, language="en"),
                      entities=list(entities), claims=list(claims), quantities=list(quantities), events=list(events))


def _span(text: str, part: str) -> Span:
    start = text.index(part)
    return Span(part, start, start + len(part))


def _claim(text: str, cid: str, speaker: str, speaker_text: str, cue: str, content: str, said_on: str) -> Claim:
    s = _span(text, speaker_text)
    return Claim(id=cid, speaker=Speaker(speaker, None, s.text, s.start, s.end), cue=_span(text, cue),
                 content=_span(text, content), kind="indirect", said_on=said_on)


def _quantity(text: str, part: str, value: float, counts: str, bound: str = "exact", *, kind: str = "count",
              target: str | None = None) -> Quantity:
    """A figure with what it counts as the extractor gives it (the lemma and the phrase after the
    number) and its frame: Latvia's (entity e1) troops present, at one time."""
    s = _span(text, part)
    after = text[s.end:].split()
    counted = " ".join(after[: next(i for i, w in enumerate(after) if w.startswith(counts)) + 1])
    return Quantity(text=part, start=s.start, end=s.end, value=value, counts=counts, bound=bound, counts_text=counted,
                    owner="Latvian", owner_id="e1", happened="present", scope="point", kind=kind, target=target,
                    refers_basis="report")


def _entity(text: str, eid: str, name: str, type: str) -> Entity:
    return Entity(id=eid, name=name, type=type, mentions=[_span(text, name)])


A = ("Officials in Estonia said that at least 2,000 Latvian soldiers crossed the border. "
     "Latvia aims to send 8,000 troops by March.")
B = "Minister Tove Lind said at least 2,000 Latvian soldiers crossed the border on Monday."
C = "Minister Tove Lind said at least 2,000 Latvian soldiers crossed the border on Monday."  # a wire copy of B
D = "Tove Lind said only 500 Latvian troops are present, a figure other officials dispute."


@pytest.fixture(params=["sqlite", "postgresql"])
def picture_store(request, tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'picture.db'}" if request.param == "sqlite" else postgres_url())
    store.save_extraction(_report("a", A, "2025-01-10", source="Estonian Wire", entities=[_entity(A, "e1", "Latvian", "NORP"),
                                                                 _entity(A, "e2", "Latvia", "GPE")],
                                  quantities=[_quantity(A, "2,000", 2000, "soldier", "at_least"),
                                              _quantity(A, "8,000", 8000, "troop", kind="plan", target="2025-03")],
                                  events=[Event(id="v1", type="MOBILIZE", text="crossed the border", start=A.index("crossed"),
                                                end=A.index("crossed") + 18, actors=[Actor("Latvia")], time="2025-01-09")]),
                          location="a")
    for doc_id, text in (("b", B), ("c", C)):
        store.save_extraction(_report(doc_id, text, "2025-01-11", entities=[_entity(text, "e1", "Latvian", "NORP"),
                                                                           _entity(text, "e2", "Tove Lind", "PERSON")],
                                      claims=[_claim(text, "c1", "Tove Lind", "Minister Tove Lind", "said",
                                                     "at least 2,000 Latvian soldiers crossed the border on Monday",
                                                     "2025-01-11")],
                                      quantities=[_quantity(text, "2,000", 2000, "soldier", "at_least")],
                                      events=[Event(id="v1", type="MOBILIZE", text="crossed the border",
                                                    start=text.index("crossed"), end=text.index("crossed") + 18,
                                                    actors=[Actor("Latvians")], time="2025-01-09")]),
                              location=doc_id, near_duplicate_of="b" if doc_id == "c" else None)
    store.save_extraction(_report("d", D, "2025-01-12", source="Other", entities=[_entity(D, "e1", "Latvian", "NORP"),
                                                                                 _entity(D, "e2", "Tove Lind", "PERSON")],
                                  claims=[_claim(D, "c1", "Tove Lind", "Tove Lind", "said",
                                                 "only 500 Latvian troops are present", "2025-01-12")],
                                  quantities=[_quantity(D, "500", 500, "troop", "exact")]),
                          location="d")
    yield store
    store.close()


def test_claim_clusters_count_wire_copies_once(picture_store):
    clusters = Picture(picture_store).claim_clusters()["items"]
    crossed = next(c for c in clusters if "crossed" in c["content"])
    assert len(crossed["appearances"]) == 2 and crossed["documents"] == 2
    assert crossed["independent_sources"] == 1  # "c" is a near-duplicate of "b"
    assert crossed["speaker"] == "Tove Lind"
    assert {a["evidence"]["sentence"] for a in crossed["appearances"]} == {B}
    assert len(clusters) == 2  # the other claim by the same speaker says something else


def test_figure_track_joins_sources_flags_conflict_and_keeps_plans_apart(picture_store):
    picture = Picture(picture_store)
    tracks = picture.figure_tracks()["items"]
    assert len(tracks) == 1
    track = tracks[0]
    assert track["counts"] == "troops" and track["entity"] == picture.find_entity("Latvia").name
    kinds = {(p["value"], p["kind"]) for p in track["points"]}
    assert (8000.0, "plan") in kinds and (2000.0, "count") in kinds and (500.0, "count") in kinds
    assert track["conflict"]
    conflicted = {p["value"] for p in track["points"] if p["conflict"]}
    assert conflicted == {500.0, 2000.0}  # the plan of 8,000 is no contradiction
    assert picture.figure_tracks(conflicts=True)["total"] == 1
    assert picture.figure_tracks(counts="soldiers")["total"] == 1  # "soldiers" is the troops track
    assert picture.figure_tracks(counts="zeppelins")["total"] == 0
    by_value = {p["value"]: p for p in track["points"]}
    assert by_value[500.0]["source"] == "Tove Lind" and by_value[500.0]["date"] == "2025-01-12"
    assert by_value[8000.0]["evidence"]["document_id"] == "a"


def test_intervals_follow_bounds():
    assert interval(10, None, None, "at_least") == (10, float("inf"))
    assert interval(10, None, None, "at_most") == (0.0, 10)
    assert interval(None, 5, 9, "range") == (5, 9)
    assert counted_key("North Korean soldiers") == "troops" == counted_key("troops")
    assert counted_key("shipping containers") == "containers"


def test_timeline_merges_reports_of_one_event(picture_store):
    picture = Picture(picture_store)
    entries = picture.timeline()["items"]
    assert len(entries) == 1
    assert entries[0]["date"] == "2025-01-09" and entries[0]["documents"] == 3 and entries[0]["independent_sources"] == 2
    assert picture.events()["total"] == 3  # the same event, once per report
    assert picture.timeline(entity="Latvia")["total"] == 1 and picture.timeline(since="2025-01-10")["total"] == 0
    assert picture.events(source="Other")["total"] == 0


def test_claims_by_speaker_name_part_date_and_entity(picture_store):
    picture = Picture(picture_store)
    assert picture.claims(speaker="Lind")["total"] == 3  # words of the resolved name
    assert picture.claims(speaker=picture.find_entity("Tove Lind").key)["total"] == 3
    assert picture.claims(speaker="Nobody")["total"] == 0
    assert picture.claims(since="2025-01-12")["total"] == 1 and picture.claims(until="2025-01-11")["total"] == 2
    with pytest.raises(ValueError):
        picture.claims(since="Jan 12, 2025")
    with pytest.raises(LookupError):
        picture.claims(entity="Atlantis")


def test_corrections_are_stored_and_survive_reingestion(picture_store):
    picture = Picture(picture_store)
    assert picture.find_entity("Tove Lind").name == "Tove Lind"
    renamed = picture.correct("rename", "Tove Lind", target="Minister Lind")
    assert renamed.name == "Minister Lind" == picture.find_entity("Tove Lind").name  # the cache was invalidated
    with pytest.raises(ValueError):
        picture.correct("merge", "Nobody At All", target="Tove Lind")
    found = picture_store.extraction("d")
    picture_store.save_extraction(found, location="d-again")  # re-ingest the same report
    assert Picture(picture_store).find_entity("Tove Lind").name == "Minister Lind"


def test_the_cache_sees_documents_another_writer_adds(picture_store):
    picture = Picture(picture_store)
    picture.cache.recheck_seconds = 0  # look at the store's fingerprint on every read
    # wait for every recomputation: on PostgreSQL the timeline costs more than the cache's
    # wait_seconds, and a costly stale part is otherwise served while it is recomputed
    picture.cache.wait_seconds = float("inf")
    assert picture.documents()["total"] == 4 and picture.timeline()["total"] == 1
    other = open_store(picture_store.url)  # another process's store on the same file
    text = "Estonian troops crossed the border on Tuesday."
    other.save_extraction(_report("e", text, "2025-01-14", events=[Event(
        id="v1", type="MOBILIZE", text="crossed the border", start=text.index("crossed"), end=text.index("crossed") + 18,
        actors=[Actor("Estonia")], time="2025-01-14")]), location="e")
    other.close()
    assert picture.timeline()["total"] == 2


def test_names_that_differ_in_romanisation_plural_or_adjective_join():
    index = resolve(_rows(("Zelenskiy", "PERSON", 3), ("Zelensky", "PERSON", 9), ("Donbass", "GPE", 2),
                          ("Donbas", "GPE", 8), ("European", "NORP", 9), ("Europeans", "NORP", 3),
                          ("Crimea", "GPE", 9), ("Crimean", "NORP", 4), ("Volodymyr Zelensky", "PERSON", 9),
                          ("Volodymyr Zelenskiy", "ORG", 2)))
    assert index.key_for("Zelenskiy", "PERSON") == index.key_for("Zelensky", "PERSON") \
        == index.key_for("Volodymyr Zelensky", "PERSON") == index.key_for("Volodymyr Zelenskiy", "ORG")
    assert index.key_for("Donbass", "GPE") == index.key_for("Donbas", "GPE")
    assert index.key_for("Europeans", "NORP") == index.key_for("European", "NORP")
    crimea = index.get(index.key_for("Crimean", "NORP"))
    assert crimea.key == index.key_for("Crimea", "GPE") and crimea.type == "GPE"


def test_a_lone_name_looks_at_given_names_and_surnames_alike():
    # Korean names put the family name first: "Kim" is Kim Jong Un's, who dominates, not Song Kim's.
    index = resolve(_rows(("Kim Jong Un", "PERSON", 30), ("Kim Yo Jong", "PERSON", 3), ("Song Kim", "PERSON", 2),
                          ("Kim", "PERSON", 12)))
    assert index.key_for("Kim", "PERSON") == index.key_for("Kim Jong Un", "PERSON")
    assert index.key_for("Song Kim", "PERSON") != index.key_for("Kim Jong Un", "PERSON")


def test_credits_glued_to_a_name_are_cut():
    from sitroom.picture.names import clean_surface

    assert clean_surface("Vladimir Putin - DPA") == "Vladimir Putin" == clean_surface("Vladimir Putin (Report")
    assert clean_surface("Islamic State (ISIS)") == "Islamic State (ISIS)"
    assert clean_surface("U.S.") == "U.S." and clean_surface("Kiev.-") == "Kiev"


def test_a_grouping_of_states_is_no_place():
    index = resolve(_rows(("G7", "GPE", 9), ("G7", "ORG", 2)), place_of=lambda name: None)
    assert index.get(index.key_for("G7", "GPE")).type == "ORG"
