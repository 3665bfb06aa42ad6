"""The pipeline: batches, worker processes, non-English documents, failing extractors."""

from __future__ import annotations

import json
from itertools import islice

import pytest

from sitroom import settings
from sitroom.ingest.identity import document_id
from sitroom.model import Document
from sitroom.nlp import pipeline


def _voa_documents(count: int) -> list[Document]:
    with (settings.examples_dir() / "voa_stories.jsonl").open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in islice(handle, count)]
    return [Document(id=document_id(r["text"]), text=r["text"], title=r["title"], language="en") for r in records]


def test_two_workers_give_the_same_results_in_the_same_order():
    documents = _voa_documents(6)
    one = [f.to_dict() for f in pipeline.extract_documents(documents, workers=1, batch_size=2)]
    two = [f.to_dict() for f in pipeline.extract_documents(documents, workers=2, batch_size=2)]
    assert one == two
    assert [f["document"]["id"] for f in one] == [d.id for d in documents]


def test_non_english_documents_are_not_parsed():
    german = Document(id="de", text="Der Bundeskanzler sagte am Montag in Berlin, die Lage sei ernst.", language="de")
    (found,) = pipeline.extract_documents([german])
    assert found.entities == [] and found.error is None
    assert "not parsed" in found.notes[0]


def test_a_failing_extractor_fails_its_document_not_the_batch(monkeypatch):
    documents = _voa_documents(3)
    real = pipeline.extractors()

    def explode_on_second(doc, found):
        if found.document.id == documents[1].id:
            raise RuntimeError("boom")
        return []

    monkeypatch.setattr(pipeline, "extractors", lambda: (*real, ("events", explode_on_second)))
    results = list(pipeline.extract_documents(documents))
    assert [r.error is None for r in results] == [True, False, True]
    assert "events extractor failed: RuntimeError: boom" == results[1].error
    assert results[0].entities


@pytest.mark.parametrize("published", [None, "2024-10-24"])
def test_extract_api_keeps_the_publication_date(published):
    import sitroom

    found = sitroom.extract("Officials in Kyiv said on Monday that talks would go on.", published=published)
    assert found.document.published == published
