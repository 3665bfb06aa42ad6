"""Outlets, wire credits, boilerplate lines and independent sources, on a real SQLite store."""

from __future__ import annotations

import pytest

from sitroom.ingest import read_inputs
from sitroom.model import Claim, Document, Extraction, Span, Speaker
from sitroom.picture import Picture
from sitroom.store import open_store

SIGN_UP = "Sign up for our newsletter to receive the most valuable content from us."


def _report(doc_id: str, body: str, *, source: str | None, origin: str | None = None) -> Extraction:
    """A report whose one claim is the sentence holding "said"."""
    start = body.index("The minister said")
    claim_end = body.index(".", start)
    speaker = Speaker("Anna Berg", None, "The minister", start, start + 12)
    claim = Claim(id="c1", speaker=speaker, cue=Span("said", start + 13, start + 17),
                  content=Span(body[start + 18:claim_end], start + 18, claim_end))
    sign_up = body.find(SIGN_UP)
    claims = [claim]
    if sign_up >= 0:
        claims.append(Claim(id="c2", speaker=Speaker("Anna Berg", None, "us", sign_up, sign_up + 4),
                            cue=Span("Sign up", sign_up, sign_up + 7),
                            content=Span(SIGN_UP[8:], sign_up + 8, sign_up + len(SIGN_UP))))
    return Extraction(document=Document(id=doc_id, text=body, source=source, origin=origin, published="2024-05-02",
                                        language="en"), claims=claims)


@pytest.fixture()
def store(tmp_path):
    s = open_store(f"sqlite:///{tmp_path / 'independence.db'}")
    yield s
    s.close()


def test_a_line_an_outlet_repeats_is_boilerplate_and_yields_no_claims(store):
    for i in range(3):
        body = f"Story {i} about the harbour. The minister said the port would reopen in week {i}.\n{SIGN_UP}"
        store.save_extraction(_report(f"d{i}", body, source="onet.pl"), location=f"d{i}")
    picture = Picture(store)
    assert picture.claims()["total"] == 6  # not yet known as boilerplate
    assert store.refresh_boilerplate() == 1
    picture.cache.invalidate()
    claims = picture.claims()["items"]
    assert len(claims) == 3 and all("port would reopen" in c["content"] for c in claims)
    assert list(store.boilerplate().values()) == [3]


def test_one_line_in_two_outlets_is_no_boilerplate(store):
    for i, source in enumerate(("onet.pl", "onet.pl", "gazeta.pl")):
        body = f"Story {i}. The minister said the port would reopen in week {i}.\n{SIGN_UP}"
        store.save_extraction(_report(f"d{i}", body, source=source), location=f"d{i}")
    assert store.refresh_boilerplate() == 0


def test_independent_sources_fold_wire_copies_outlets_and_repeats(store):
    said = "The minister said the port would reopen on Monday."
    store.save_extraction(_report("a", f"KYIV (Reuters) - {said}", source="example.com", origin="Reuters"), location="a")
    store.save_extraction(_report("b", f"{said} Officials agreed.", source="reuters.com"), location="b")
    store.save_extraction(_report("c", f"Harbour news. {said}", source="Voice of America"), location="c")
    store.save_extraction(_report("d", f"{said} Later news.", source="Voice of America"), location="d")
    keys = store.independence_keys(["a", "b", "c", "d"])
    assert keys["a"] == keys["b"] == "source:reuters" and keys["c"] == keys["d"] == "source:voice of america"
    cluster = Picture(store).claim_clusters()["items"][0]
    assert cluster["documents"] == 4 and cluster["independent_sources"] == 2


def test_a_claim_repeated_inside_one_report_is_one_report(store):
    body = "The minister said the port would reopen on Monday. Later: The minister said the port would reopen on Monday."
    found = _report("x", body, source="example.com")
    second = body.rindex("The minister said")
    found.claims.append(Claim(id="c2", speaker=Speaker("Anna Berg", None, "The minister", second, second + 12),
                              cue=Span("said", second + 13, second + 17),
                              content=Span(body[second + 18:-1], second + 18, len(body) - 1)))
    store.save_extraction(found, location="x")
    cluster = Picture(store).claim_clusters()["items"][0]
    assert len(cluster["appearances"]) == 1 and cluster["documents"] == 1


def test_ingest_reads_the_outlet_from_the_url_and_the_wire_from_the_dateline(tmp_path):
    path = tmp_path / "story.jsonl"
    path.write_text('{"text": "KYIV, March 3 (Reuters) - The minister said the port would reopen.", '
                    '"url": "https://edition.cnn.com/2024/03/03/world/port.html"}\n', encoding="utf-8")
    (item,) = list(read_inputs([str(path)]))
    assert (item.document.source, item.document.origin) == ("cnn.com", "Reuters")


def test_an_older_store_gains_the_new_columns(tmp_path):
    import sqlite3

    path = tmp_path / "old.db"
    open_store(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as conn:
        conn.execute("ALTER TABLE claims DROP COLUMN line")
        conn.execute("ALTER TABLE documents DROP COLUMN origin")
    store = open_store(f"sqlite:///{path}")
    store.save_extraction(_report("d", "The minister said the port would reopen.", source="x", origin="AP"),
                          location="d")
    assert store.document("d").origin == "AP" and store.records("claims")[0]["line"]
    store.close()
