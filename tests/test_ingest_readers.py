"""The readers of ``sitroom ingest``: every format, every bad input, on files made in tmp_path."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from bad_input import (
    ARTICLE_HTML,
    ENGLISH_REPORT,
    GERMAN_REPORT,
    GOOD_DOCUMENTS,
    SECOND_REPORT,
    WINDOWS_1252_REPORT,
    make_bad_input_folder,
    warc_bytes,
)
from sitroom.ingest import Incoming, Skipped, read_inputs
from sitroom.ingest.dates import parse_published
from sitroom.ingest.identity import document_id


def read_all(*paths, **options) -> list[Incoming | Skipped]:
    return list(read_inputs([str(path) for path in paths], **options))


def only_document(*paths, **options) -> Incoming:
    results = read_all(*paths, **options)
    assert len(results) == 1 and isinstance(results[0], Incoming), results
    return results[0]


def relative(item: Incoming | Skipped, folder: Path) -> str:
    return item.location.removeprefix(f"{folder}/")


# --- the bad-input folder: every good file read, every bad one reported once -----------------

@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad-input")
    expected = make_bad_input_folder(folder)
    return folder, expected, read_all(folder)


def test_every_bad_input_is_skipped_once_with_its_reason(bad_folder):
    folder, expected, results = bad_folder
    skipped = {relative(item, folder): item.reason for item in results if isinstance(item, Skipped)}
    assert set(skipped) == set(expected)
    for location, fragment in expected.items():
        assert fragment in skipped[location], (location, skipped[location])


def test_every_good_input_in_the_bad_folder_gives_a_document(bad_folder):
    folder, _expected, results = bad_folder
    documents = {relative(item, folder): item.document for item in results if isinstance(item, Incoming)}
    assert set(documents) == set(GOOD_DOCUMENTS)
    assert documents["german.txt"].language == "de"  # yielded, flagged by its language
    assert documents["english.txt"].language == "en"
    assert not any(".hidden" in location for location in documents)


def test_folder_is_walked_in_sorted_order(bad_folder):
    folder, _expected, results = bad_folder
    files = [relative(item, folder).split("#")[0] for item in results]
    assert files == sorted(files)


# --- plain text and decoding -----------------------------------------------------------------

def test_plain_text_gets_id_from_normalized_text_and_defaults(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("\ufeff" + ENGLISH_REPORT.replace(". ", ".\r\n") + "\n\n", encoding="utf-8")
    item = only_document(path, published="2024-05-14", source="Valley Radio")
    document = item.document
    assert document.id == document_id(ENGLISH_REPORT)
    assert "\r" not in document.text and not document.text.startswith("\ufeff")
    assert (document.published, document.source, document.language) == ("2024-05-14", "Valley Radio", "en")
    assert item.location == str(path) and item.notes == []


def test_fallback_decoding_is_reported_and_correct(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes(WINDOWS_1252_REPORT.encode("cp1252"))
    item = only_document(path)
    assert item.document.text == WINDOWS_1252_REPORT
    assert any("decoded as cp1252, not UTF-8" in note for note in item.notes)


def test_utf16_with_byte_order_mark_is_text_not_binary(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes(ENGLISH_REPORT.encode("utf-16"))
    assert only_document(path).document.text == ENGLISH_REPORT


def test_text_that_starts_like_json_but_is_not_stays_text(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("[Update] " + ENGLISH_REPORT, encoding="utf-8")
    assert only_document(path).document.text.startswith("[Update] The regional council")


# --- HTML -------------------------------------------------------------------------------------

def test_html_main_text_and_metadata(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(ARTICLE_HTML, encoding="utf-8")
    document = only_document(path, published="2020-01-01", source="ignored", title="ignored").document
    assert document.title == "Bridge opening delayed"  # the page's own headline wins over the default
    assert document.source == "The Valley Gazette"
    assert document.published == "2024-05-14"  # the page's own date wins over the default
    assert "shortage of steel" in document.text and "freight train" in document.text
    assert "Contact us" not in document.text and "Home" not in document.text.split("\n")[0]


@pytest.mark.parametrize("bad_date", ["2099-05-14T08:00:00Z", "1850-05-14T08:00:00Z"])
def test_html_implausible_date_is_rejected_with_a_note(tmp_path, bad_date):
    path = tmp_path / "page.htm"
    path.write_text(ARTICLE_HTML.replace("2024-05-14T08:00:00Z", bad_date), encoding="utf-8")
    item = only_document(path, published="2024-06-01")
    assert item.document.published == "2024-06-01"
    assert any(f"{bad_date[:10]} in the page rejected" in note for note in item.notes)


def test_html_detected_by_content_without_extension(tmp_path):
    path = tmp_path / "saved-page"
    path.write_text(ARTICLE_HTML, encoding="utf-8")
    assert only_document(path).document.title == "Bridge opening delayed"


# --- JSON and JSON Lines ----------------------------------------------------------------------

def test_jsonl_fields_markup_and_entities(tmp_path):
    path = tmp_path / "dump.jsonl"
    records = [
        {"title": "Fish &amp; chips", "content": f"<p>{ENGLISH_REPORT}</p><p>{SECOND_REPORT}</p>",
         "url": "https://www.example.org/a/1", "publishedAt": "2024-05-14T10:00:00+02:00"},
        {"body": "Shares of &lt;ACME&gt; rose.\n &#3;", "date": "14-MAY-2024 10:00:01.00",
         "publisher": "Example Wire"},
    ]
    path.write_text("\n".join(json.dumps(record) for record in records) + "\n\n", encoding="utf-8")
    first, second = read_all(path, source="Default Source")
    assert first.location == f"{path}#L1" and second.location == f"{path}#L2"
    assert first.document.title == "Fish & chips"
    assert first.document.text == f"{ENGLISH_REPORT}\n{SECOND_REPORT}"
    assert (first.document.published, first.document.source) == ("2024-05-14", "Default Source")
    assert second.document.text == "Shares of <ACME> rose."
    assert (second.document.published, second.document.source) == ("2024-05-14", "Example Wire")


def test_source_falls_back_to_the_url_site(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"text": ENGLISH_REPORT, "url": "https://www.example.org/x"}), encoding="utf-8")
    assert only_document(path).document.source == "example.org"


def test_field_map_reads_other_names_and_dotted_paths(tmp_path):
    path = tmp_path / "custom.json"
    path.write_text(json.dumps([{"story": ENGLISH_REPORT, "meta": {"outlet": "Valley Radio", "day": "2024-05-14"}}]),
                    encoding="utf-8")
    item = only_document(path, field_map={"text": "story", "source": "meta.outlet", "published": "meta.day"})
    assert item.location == f"{path}#item1"
    assert (item.document.source, item.document.published) == ("Valley Radio", "2024-05-14")
    with pytest.raises(ValueError, match="cannot map headline"):
        read_all(path, field_map={"headline": "title"})


def test_json_object_wrapping_a_list_of_articles(tmp_path):
    path = tmp_path / "api.json"
    path.write_text(json.dumps({"status": "ok", "articles": [
        {"content": ENGLISH_REPORT, "source": {"id": "vr", "name": "Valley Radio"}},
        {"content": SECOND_REPORT}]}), encoding="utf-8")
    first, second = read_all(path)
    assert first.document.source == "Valley Radio" and second.document.text == SECOND_REPORT


def test_json_records_without_text_and_wrong_shapes_are_skipped(tmp_path):
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps([{"title": "no body"}, 7, {"text": ENGLISH_REPORT}, {"text": "   "}]), encoding="utf-8")
    results = read_all(path)
    assert [type(item).__name__ for item in results] == ["Skipped", "Skipped", "Incoming", "Skipped"]
    assert "record has no text" in results[0].reason
    assert "not an object" in results[1].reason
    assert "empty" in results[3].reason
    scalar = tmp_path / "scalar.json"
    scalar.write_text("42", encoding="utf-8")
    assert "not an object or a list of objects" in read_all(scalar)[0].reason


def test_jsonl_bad_lines_do_not_stop_the_rest(tmp_path):
    path = tmp_path / "lines.jsonl"
    path.write_bytes(b'{"text": "' + ENGLISH_REPORT.encode() + b'"}\n'
                     b'{"text": \n'
                     b'["a list"]\n'
                     b'{"text": "caf\xe9"}\n'
                     b'{"text": "' + SECOND_REPORT.encode() + b'"}')
    results = read_all(path)
    kinds = [(item.location.rsplit("#", 1)[1], type(item).__name__) for item in results]
    assert kinds == [("L1", "Incoming"), ("L2", "Skipped"), ("L3", "Skipped"), ("L4", "Skipped"), ("L5", "Incoming")]
    assert results[1].reason.startswith("malformed JSON on line 2: Expecting value")
    assert "not an object" in results[2].reason
    assert "line 4 is not UTF-8" in results[3].reason


def test_gzipped_jsonl_is_streamed(tmp_path):
    path = tmp_path / "lines.jsonl.gz"
    path.write_bytes(gzip.compress(json.dumps({"text": ENGLISH_REPORT}).encode() + b"\n"))
    assert only_document(path).document.text == ENGLISH_REPORT


def test_jsonl_saved_as_json_is_read_line_by_line(tmp_path):
    path = tmp_path / "lines.json"
    path.write_text(json.dumps({"text": ENGLISH_REPORT}) + "\n" + json.dumps({"text": SECOND_REPORT}) + "\n",
                    encoding="utf-8")
    assert [item.location.rsplit("#", 1)[1] for item in read_all(path)] == ["L1", "L2"]


# --- feeds ------------------------------------------------------------------------------------

RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Valley Radio News</title><link>https://valley.example/</link>
<item><title>Bridge delayed</title><link>https://valley.example/bridge</link>
<pubDate>Tue, 14 May 2024 08:00:00 +0000</pubDate>
<description>&lt;p&gt;{ENGLISH_REPORT}&lt;/p&gt;&lt;script&gt;track()&lt;/script&gt;</description></item>
<item><title>Empty item</title><link>https://valley.example/empty</link></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Rail Watch</title>
<entry><title>Train derails</title><link href="https://rail.example/derail"/>
<updated>2024-05-12T06:00:00Z</updated><summary>Short teaser.</summary>
<content type="html">&lt;div&gt;&lt;p&gt;{SECOND_REPORT}&lt;/p&gt;&lt;/div&gt;</content></entry>
</feed>"""


def test_rss_entries_html_stripped_and_empty_entry_skipped(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text(RSS, encoding="utf-8")
    first, second = read_all(path)
    assert first.location == f"{path}#item1"
    assert first.document.text == ENGLISH_REPORT
    assert (first.document.title, first.document.url) == ("Bridge delayed", "https://valley.example/bridge")
    assert (first.document.published, first.document.source) == ("2024-05-14", "Valley Radio News")
    assert isinstance(second, Skipped) and second.reason == "feed entry has no content or summary"


def test_atom_prefers_full_content_over_summary(tmp_path):
    path = tmp_path / "rail.atom"
    path.write_text(ATOM, encoding="utf-8")
    document = only_document(path).document
    assert document.text == SECOND_REPORT
    assert (document.published, document.source) == ("2024-05-12", "Rail Watch")


def test_feed_without_entries_is_skipped(tmp_path):
    path = tmp_path / "empty.rss"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
                    encoding="utf-8")
    assert read_all(path)[0].reason == "feed has no entries"


# --- WARC -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "compress"), [("crawl.warc", False), ("crawl.warc.gz", True)])
def test_warc_html_responses_read_other_records_passed_over(tmp_path, name, compress):
    path = tmp_path / name
    navigation = ARTICLE_HTML.split("<article>")[0] + "</body></html>"
    path.write_bytes(warc_bytes([("https://gazette.example/bridge", ARTICLE_HTML),
                                 ("https://gazette.example/", navigation)], compress=compress))
    article, front_page = read_all(path)
    assert article.document.url == "https://gazette.example/bridge"
    assert article.document.published == "2024-05-14"
    assert article.location.startswith(f"{path}#urn:uuid:")
    assert isinstance(front_page, Skipped) and "no article text in HTML" in front_page.reason


def test_warc_without_html_and_broken_warc(tmp_path):
    images_only = tmp_path / "images.warc"
    images_only.write_bytes(warc_bytes([]))
    assert read_all(images_only)[0].reason == "WARC holds no HTML responses"
    broken = tmp_path / "broken.warc"
    data = warc_bytes([("https://gazette.example/bridge", ARTICLE_HTML)], with_image=False)
    broken.write_bytes(data + b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\ntruncated")
    results = read_all(broken)
    assert isinstance(results[0], Incoming)
    assert any(isinstance(item, Skipped) and "WARC" in item.reason for item in results[1:])


# --- paths, globs, options --------------------------------------------------------------------

def test_paths_globs_missing_and_repeated(tmp_path):
    (tmp_path / "a.txt").write_text(ENGLISH_REPORT, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text(SECOND_REPORT, encoding="utf-8")
    results = read_all(tmp_path / "**" / "*.txt", tmp_path / "a.txt", tmp_path / "nothing-here.txt",
                       tmp_path / "*.md")
    assert [relative(item, tmp_path) for item in results] == ["a.txt", "sub/b.txt", "nothing-here.txt", "*.md"]
    assert results[2].reason == "no such file or folder"
    assert results[3].reason == "no file matches this pattern"


def test_empty_and_hidden_only_folders(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "hidden").mkdir()
    (tmp_path / "hidden" / ".draft.txt").write_text(ENGLISH_REPORT, encoding="utf-8")
    assert read_all(tmp_path / "empty")[0].reason == "folder holds no files"
    assert read_all(tmp_path / "hidden")[0].reason == "folder holds only hidden files"


def test_bad_options_fail_before_reading(tmp_path):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        read_all(tmp_path, published="14/05/2024")
    with pytest.raises(ValueError, match="future"):
        read_all(tmp_path, published="2999-01-01")


def test_read_inputs_streams(tmp_path):
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(json.dumps({"text": f"Story number {n}. {ENGLISH_REPORT}"}) for n in range(50)),
                    encoding="utf-8")
    stream = read_inputs([str(path)])
    assert next(stream).location == f"{path}#L1"  # a generator: nothing read ahead of need


# --- dates and language -----------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ("2025-03-14 20:30:26Z", "2025-03-14"),
    ("26-FEB-1987 15:01:01.79", "1987-02-26"),
    ("Tue, 14 May 2024 08:00:00 +0000", "2024-05-14"),
    ("May 14, 2024", "2024-05-14"),
    ("2024-05-14T23:30:00-05:00", "2024-05-14"),
    (1715673600, "2024-05-14"),
    (dt.date(2024, 5, 14), "2024-05-14"),
])
def test_publication_dates_in_common_forms(value, expected):
    assert parse_published(value) == (expected, None)


@pytest.mark.parametrize(("value", "fragment"), [
    ("May 2024", "not a valid full date"), ("2024-02-30", "not a valid full date"),
    ("2999-01-01", "in the future"), ("1850-01-01", "before 1900"), ("soon", "not a valid full date")])
def test_unusable_publication_dates_are_refused(value, fragment):
    date, problem = parse_published(value)
    assert date is None and fragment in problem


def test_german_text_is_flagged_not_dropped(tmp_path):
    path = tmp_path / "bericht.txt"
    path.write_text(GERMAN_REPORT, encoding="utf-8")
    assert only_document(path).document.language == "de"


# --- the shared corpora, read with no options -------------------------------------------------

def test_reuters_json_reads_with_no_options(shared):
    path = shared / "corpus" / "reuters-21578" / "reut2-000.json"
    results = read_all(path)
    documents = [item.document for item in results if isinstance(item, Incoming)]
    skipped = [item for item in results if isinstance(item, Skipped)]
    assert len(results) == 1000
    assert all("record has no text" in item.reason for item in skipped)
    assert len(documents) == 925
    first = documents[0]
    assert (first.title, first.published, first.language) == ("BAHIA COCOA REVIEW", "1987-02-26", "en")
    assert all(document.published and document.published.startswith("1987-") for document in documents)
    assert not any("&lt;" in (document.title or "") + document.text or "&#" in document.text
                   for document in documents)
    assert sum(document.language in ("en", None) for document in documents) >= 0.99 * len(documents)


def test_voa_jsonl_reads_with_no_options(shared):
    path = shared / "corpus" / "voa" / "voa_stories.jsonl"
    documents = [item.document for item in read_all(path)]
    assert len(documents) == 89 and all(isinstance(d.id, str) for d in documents)
    first = documents[0]
    assert first.published == "2025-03-14"
    assert first.url.startswith("https://www.voanews.com/") and first.source == "voanews.com"
    assert all(document.language == "en" and document.title for document in documents)


@pytest.mark.parametrize(("content", "documents", "reason"), [
    ('[{"text": "A"}, {"text": "B"}]', 2, None),
    (" [ ] ", 0, "JSON list is empty"),
    ('[{"text": "A"} {"text": "B"}]', 1, "malformed JSON on line 1: Expecting ',' delimiter"),
    ('[{"text": "A"},]', 1, "after 1 item"),
    ('[{"text": "A"}] trailing', 1, "Extra data"),
    ('[{"text": "A"}', 1, "malformed JSON on line 1"),
])
def test_json_lists_are_read_item_by_item(tmp_path, content, documents, reason):
    path = tmp_path / "list.json"
    path.write_text(content, encoding="utf-8")
    results = read_all(path)
    assert sum(isinstance(item, Incoming) for item in results) == documents
    skipped = [item.reason for item in results if isinstance(item, Skipped)]
    assert len(skipped) == (0 if reason is None else 1)
    if reason is not None:
        assert reason in skipped[0]


def test_an_unforeseen_reader_failure_does_not_end_the_stream(tmp_path, monkeypatch):
    import sitroom.ingest.readers as readers

    def failing_feed(data, location, defaults):
        raise RuntimeError("parser exploded")
        yield  # a generator, like the real reader

    monkeypatch.setattr(readers, "read_feed", failing_feed)
    (tmp_path / "a-feed.rss").write_text(RSS, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ENGLISH_REPORT, encoding="utf-8")
    failed, document = read_all(tmp_path)
    assert isinstance(failed, Skipped) and failed.reason == "could not read: RuntimeError: parser exploded"
    assert isinstance(document, Incoming)


def windows_1252_page() -> str:
    return ARTICLE_HTML.replace("shortage of steel", "shortage of steel. " + WINDOWS_1252_REPORT)


@pytest.mark.parametrize(("meta", "note"), [
    ('<meta charset="windows-1252">', None),
    ('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">', None),
    ("", "decoded as cp1252, not UTF-8"),
])
def test_html_in_windows_1252_reads_right(tmp_path, meta, note):
    path = tmp_path / "legacy.html"
    path.write_bytes(windows_1252_page().replace("<head>", "<head>" + meta).encode("cp1252"))
    item = only_document(path)
    assert WINDOWS_1252_REPORT in item.document.text
    decoding_notes = [n for n in item.notes if "decoded" in n or "replaced" in n]
    if note is None:
        assert decoding_notes == []
    else:
        assert len(decoding_notes) == 1 and note in decoding_notes[0]


def test_warc_charset_header_is_used(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    import io

    path = tmp_path / "legacy.warc"
    body = windows_1252_page().encode("cp1252")
    with open(path, "wb") as output:
        writer = WARCWriter(output, gzip=False)
        headers = StatusAndHeaders("200 OK", [("Content-Type", 'text/html; charset="ISO-8859-1"')], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://gazette.example/old", "response",
                                                      payload=io.BytesIO(body), length=len(body), http_headers=headers))
    item = only_document(path)
    assert WINDOWS_1252_REPORT in item.document.text and item.notes == []


def test_json_without_extension_and_fake_warc(tmp_path):
    dump = tmp_path / "dump"
    dump.write_text(json.dumps([{"text": ENGLISH_REPORT}, {"text": SECOND_REPORT}]), encoding="utf-8")
    assert [item.location for item in read_all(dump)] == [f"{dump}#item1", f"{dump}#item2"]
    fake = tmp_path / "crawl.warc"
    fake.write_text(ENGLISH_REPORT, encoding="utf-8")
    assert "holds no WARC records" in read_all(fake)[0].reason


def test_a_date_the_file_name_opens_with_is_the_publication_date(tmp_path):
    from sitroom.ingest import read_inputs

    (tmp_path / "20220125T090000Z_GB_en_7d015e6984.txt").write_text("Troops gathered at the border.", encoding="utf-8")
    (tmp_path / "20991212_future.txt").write_text("A story from the future.", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("No date anywhere.", encoding="utf-8")
    found = {item.location.rsplit("/", 1)[-1]: item for item in read_inputs([str(tmp_path)])}
    dated = found["20220125T090000Z_GB_en_7d015e6984.txt"]
    assert dated.document.published == "2022-01-25" and "read from the file name" in dated.notes[-1]
    assert found["20991212_future.txt"].document.published is None  # implausible: ignored
    assert found["notes.txt"].document.published is None
