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


# --- the tokenizer: sentence ends glued to the next sentence ------------------------------


@pytest.mark.parametrize(
    "text, last_of_first, first_of_second",
    [
        ("The alliance said it would expand NATO.He added that more troops would come.", "NATO", "He"),
        ("Why would they want this propaganda?Sergei Lavrov said on Monday that talks failed.", "propaganda", "Sergei"),
        ("Nobody expected the attack!The army was not ready for it.", "attack", "The"),
        ('Moscow rejected the curbs on "financial structures"."Russia will not leave," it said.', "structures",
         "Russia"),
        ("It was a change in power in Kiev.- This government is not legitimate, he said.", "Kiev", "This"),
    ],
)
def test_a_glued_sentence_end_is_split_and_ends_the_sentence(nlp, text, last_of_first, first_of_second):
    doc = nlp(text)
    words = [t.text for t in doc]
    first, second = words.index(last_of_first), words.index(first_of_second)
    assert any(first < sentence.start <= second for sentence in doc.sents), words
    assert "".join(t.text_with_ws for t in doc) == text  # tokenizing never changes the text


@pytest.mark.parametrize(
    "word",
    ["U.S.", "U.N.", "e.g.", "3.5", "Gazeta.pl", "mod.gov.ua", "https://t.me/Foo", "J.R.R.", "No.1", "report.pdf",
     "www.Example.com"],
)
def test_abbreviations_numbers_and_addresses_stay_whole(nlp, word):
    text = f"Officials cited {word} in the report on Monday."
    assert word in [t.text for t in nlp(text)]


def test_a_title_glued_to_a_name_keeps_spacys_abbreviation(nlp):
    """"Mr.Smith": spaCy's own rule splits it and keeps "Mr." whole; no sentence ends there."""
    doc = nlp("Mr.Smith told reporters in Warsaw that the talks would go on.")
    assert [t.text for t in doc][:2] == ["Mr.", "Smith"]
    assert len(list(doc.sents)) == 1


def test_dashes_and_brackets_glued_to_a_sentence_end_are_tokens(nlp):
    doc = nlp("(CNN)- The United States has seen new troop movements, and the post -Soviet states worry.")
    words = [t.text for t in doc]
    assert words[:4] == ["(", "CNN", ")", "-"]
    assert ["post", "-", "Soviet"] == words[words.index("post") : words.index("post") + 3]


def test_doc_text_is_the_docs_text_built_once_and_not_kept_after_the_doc():
    import gc

    from sitroom.nlp import doc_text as module

    doc = pipeline.load_nlp().make_doc("Kyiv said on Monday  that 3,000 troops\narrived.")
    first = module.doc_text(doc)
    assert first == doc.text and module.doc_text(doc) is first
    del doc
    gc.collect()
    assert not any(text is first for text in module._TEXTS.values())
