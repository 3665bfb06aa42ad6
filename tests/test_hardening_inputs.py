"""Hostile inputs, made in each test just past each limit (docs/ingest.md, "Limits"): every reader
reports a bad file, line or record and goes on; nothing hangs, nothing takes memory out of
proportion, no neighbour of a bad record is lost. The readers run without the NLP pipeline here;
test_hardening_ingest.py puts the same files through ``sitroom ingest``.

``make_hostile_folder`` is shared with that file: it writes every hostile file beside good
neighbours and returns what each must give.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
import zlib
from contextlib import contextmanager
from pathlib import Path

import pytest

from bad_input import ENGLISH_REPORT, SECOND_REPORT, THIRD_REPORT, warc_bytes
from sitroom.ingest import Incoming, Skipped, read_inputs
from sitroom.ingest.jsondocs import MAX_LISTED_BAD_LINES, NOT_JSON_LINES_AFTER
from sitroom.ingest.readers import MAX_TEXT_FILE_BYTES
from sitroom.ingest.warc import MAX_HEADER_LINE_BYTES
from sitroom.ingest.webpage import MAX_HTML_DEPTH, MAX_TAG_ATTRIBUTES

FOURTH_REPORT = (
    "Volunteers planted more than two thousand trees along the eastern bank of the river on "
    "Saturday, the city's parks department said. The planting is part of a plan to cut summer "
    "temperatures in the old town, where residents have complained of heat for a decade."
)
FIFTH_REPORT = (
    "The national weather service warned on Thursday that strong winds would reach the coast "
    "overnight, and the port authority said ferries to the islands would not sail until the "
    "storm had passed. Schools in three districts will stay closed on Friday."
)


# Prints a process's peak resident memory in MB: VmHWM, which (unlike ru_maxrss) starts afresh
# at exec instead of carrying the parent's peak.
PEAK_MB = ("print(next(int(line.split()[1]) // 1024 for line in open('/proc/self/status') "
           "if line.startswith('VmHWM')))")


@contextmanager
def within(seconds: float):
    """Fail the test (instead of hanging it) when the block runs longer than ``seconds``."""
    def expired(_signum, _frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def read_all(*paths, **options) -> list[Incoming | Skipped]:
    with within(60):
        return list(read_inputs([os.fspath(path) for path in paths], **options))


def page(text: str, head: str = "") -> str:
    return f"<!doctype html><html><head><title>Report</title>{head}</head><body><article><p>{text}</p></article></body></html>"


def lines(*records: object) -> str:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n"


def gzip_member(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    return compressor.compress(data) + compressor.flush()


def warc_with_header_line(line_bytes: int) -> bytes:
    """A .warc.gz whose first record has one header line of ``line_bytes`` (compressed to little),
    then two good pages."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [compressor.compress(b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://x.example/")]
    block = b"a" * (1 << 20)
    for _ in range(line_bytes // len(block)):
        parts.append(compressor.compress(block))
    parts.append(compressor.compress(b"a" * (line_bytes % len(block)) + b"\r\n\r\n"))
    parts.append(compressor.flush())
    good = warc_bytes([("https://a.example/1", page(ENGLISH_REPORT))], compress=True, with_image=False)
    return b"".join(parts) + good


def latin1_warc(first_charset: str) -> bytes:
    """Three Latin-1 pages; the first declares ``first_charset`` in its HTTP header."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    for number, text in enumerate((ENGLISH_REPORT, SECOND_REPORT, THIRD_REPORT)):
        body = page(text.replace("council", "café council").replace("officials", "officials at the café")).encode("latin-1")
        charset = first_charset if number == 0 else "iso-8859-1"
        headers = StatusAndHeaders("200 OK", [("Content-Type", f"text/html; charset={charset}")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"https://a.example/{number}", "response",
                                                      payload=io.BytesIO(body), length=len(body), http_headers=headers))
    return buffer.getvalue()


def make_hostile_folder(folder: Path) -> dict[str, dict]:
    """Write every hostile file into ``folder`` (a fresh one), each with good neighbours.

    Returns, for each file name (as the report writes it), ``documents``: how many documents
    it must give, and ``reasons``: fragments its skipped entries must hold (in any order).
    """
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, dict] = {}

    def expect(name: str, documents: int, *reasons: str) -> None:
        expected[name] = {"documents": documents, "reasons": list(reasons)}

    # a file name that is not UTF-8 (Latin-1 "café"), beside a good file
    Path(os.fsdecode(os.fsencode(folder) + b"/caf\xe9.txt")).write_text(FOURTH_REPORT, encoding="utf-8")
    expect("caf\\xe9.txt", 1)
    (folder / "good.txt").write_text(ENGLISH_REPORT, encoding="utf-8")
    expect("good.txt", 1)

    # JSON Lines with one bad line of each kind, each followed by a good one
    (folder / "records.jsonl").write_text(lines(
        '{"text": "x \\ud800 The harbour master said on Monday that the lone surrogate stays out."}',
        {"text": SECOND_REPORT, "title": "after a surrogate"},
        '{"text": "' + THIRD_REPORT + '", "views": ' + "7" * 4400 + "}",
        '{"text": "' + FIFTH_REPORT + '", "published": ' + "9" * 400 + "}",
        "[" * 100_000 + "]" * 100_000,
        {"text": FOURTH_REPORT + " After the deep line."},
    ), encoding="utf-8")
    expect("records.jsonl", 5, "nested deeper than the reader allows")

    # a large non-JSON file named .jsonl: one entry, not one per line
    (folder / "not-json.jsonl").write_text("this is not JSON at all\n" * (NOT_JSON_LINES_AFTER + 200), encoding="utf-8")
    expect("not-json.jsonl", 0, "not JSON Lines")

    # WARC: a charset Python knows but that is no text encoding, before two good pages
    (folder / "rot13.warc").write_bytes(latin1_warc("rot13"))
    expect("rot13.warc", 3)
    # WARC whose last record is cut short
    full = warc_bytes([(f"https://b.example/{n}", page(text)) for n, text in
                       enumerate((ENGLISH_REPORT, SECOND_REPORT, THIRD_REPORT))], with_image=False)
    (folder / "truncated.warc").write_bytes(full[:-120])
    expect("truncated.warc", 3)
    # a .warc.gz with a 2 MB header line (the limit is 64 KB): refused without holding it
    (folder / "long-header.warc.gz").write_bytes(warc_with_header_line(2 * 1024 * 1024))
    expect("long-header.warc.gz", 0, "header line is over")

    # UTF-16 without a byte-order mark
    (folder / "utf16.txt").write_bytes(THIRD_REPORT.encode("utf-16-le"))
    expect("utf16.txt", 1)
    # a page dated 9999-12-31
    (folder / "far-future.html").write_text(
        page(FIFTH_REPORT, '<meta property="article:published_time" content="9999-12-31T00:00:00Z">'), encoding="utf-8")
    expect("far-future.html", 1)
    # one tag with far more attributes than the limit
    attributes = " ".join(f"data-a{i}=\"x\"" for i in range(MAX_TAG_ATTRIBUTES * 20))
    (folder / "attributes.html").write_text(
        f"<html><head><title>Report</title></head><body><div {attributes}><p>{SECOND_REPORT} Once more.</p>"
        "</div></body></html>", encoding="utf-8")
    expect("attributes.html", 1)
    # an article nested deeper than the HTML parser reads
    depth = MAX_HTML_DEPTH + 50
    (folder / "deep.html").write_text("<html><body>" + "<div>" * depth + f"<p>{THIRD_REPORT}</p>" + "</div>" * depth
                                      + "</body></html>", encoding="utf-8")
    expect("deep.html", 0, f"over {MAX_HTML_DEPTH} levels deep")
    # a plain text too large to be under the character limit, refused unread
    (folder / "large-latin1.txt").write_bytes(("Caf\xe9 " * (MAX_TEXT_FILE_BYTES // 5 + 1)).encode("latin-1"))
    expect("large-latin1.txt", 0, "refused unread")
    # a record whose url is a script
    (folder / "script-url.jsonl").write_text(lines({"text": ENGLISH_REPORT + " Script link.", "url": "JaVaScRiPt:alert(document.domain)"}),
                                             encoding="utf-8")
    expect("script-url.jsonl", 1)
    # a symbolic link loop
    (folder / "loop" / "inner").mkdir(parents=True)
    (folder / "loop" / "inner" / "story.txt").write_text(SECOND_REPORT + " In the loop.", encoding="utf-8")
    os.symlink("..", folder / "loop" / "inner" / "up")
    expect("loop/inner/story.txt", 1)
    return expected


def outcome_by_file(folder: Path, results: list[Incoming | Skipped]) -> dict[str, dict]:
    """What each file gave: documents and the reasons of its skipped entries."""
    found: dict[str, dict] = {}
    for item in results:
        name = (item.file or item.location).removeprefix(f"{folder}/")
        entry = found.setdefault(name, {"documents": 0, "reasons": []})
        if isinstance(item, Incoming):
            entry["documents"] += 1
        else:
            entry["reasons"].append(item.reason)
    return found


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    expected = make_hostile_folder(folder)
    started = time.monotonic()
    results = read_all(folder)
    return folder, expected, results, time.monotonic() - started


def test_every_hostile_file_is_read_or_reported_and_no_neighbour_is_lost(hostile):
    folder, expected, results, seconds = hostile
    found = outcome_by_file(folder, results)
    assert set(found) == set(expected)
    for name, wanted in expected.items():
        assert found[name]["documents"] == wanted["documents"], (name, found[name])
        for fragment in wanted["reasons"]:
            assert any(fragment in reason for reason in found[name]["reasons"]), (name, found[name])
    assert seconds < 30


def test_a_file_name_that_is_not_utf8_is_named_by_its_bytes(hostile):
    folder, _, results, _ = hostile
    (item,) = [r for r in results if r.location.endswith("caf\\xe9.txt")]
    assert isinstance(item, Incoming) and item.location == f"{folder}/caf\\xe9.txt"
    item.location.encode("utf-8")  # storable and printable


def test_a_bad_json_line_of_each_kind_loses_only_itself(hostile):
    folder, _, results, _ = hostile
    records = {r.location.rsplit("#", 1)[1]: r for r in results if r.location.startswith(f"{folder}/records.jsonl#")}
    assert isinstance(records["L1"], Incoming) and "\ufffd" in records["L1"].document.text
    assert records["L2"].document.title == "after a surrogate"
    assert isinstance(records["L3"], Incoming)  # a number of 4,400 digits is only a field
    assert isinstance(records["L4"], Incoming) and records["L4"].document.published is None
    assert any("publication date ignored" in note for note in records["L4"].notes)
    assert isinstance(records["L5"], Skipped) and "nested deeper" in records["L5"].reason
    assert isinstance(records["L6"], Incoming) and "After the deep line" in records["L6"].document.text


def test_a_non_json_file_named_jsonl_is_one_entry(hostile):
    folder, _, results, _ = hostile
    entries = [r for r in results if r.file == f"{folder}/not-json.jsonl"]
    assert len(entries) == 1 and entries[0].location == f"{folder}/not-json.jsonl"
    assert "malformed JSON on line 1" in entries[0].reason


def test_bad_lines_past_the_listing_limit_are_counted_in_one_entry(tmp_path):
    path = tmp_path / "many-bad.jsonl"
    path.write_text(lines({"text": ENGLISH_REPORT}, *["{broken"] * (MAX_LISTED_BAD_LINES + 7), {"text": SECOND_REPORT}),
                    encoding="utf-8")
    results = read_all(path)
    assert sum(isinstance(r, Incoming) for r in results) == 2
    skipped = [r for r in results if isinstance(r, Skipped)]
    assert len(skipped) == MAX_LISTED_BAD_LINES + 1
    assert skipped[-1].location == str(path) and "7 more bad lines" in skipped[-1].reason


def test_json_lines_of_objects_without_text_are_still_json_lines(tmp_path):
    path = tmp_path / "no-text-first.jsonl"
    path.write_text(lines(*[{"headline": f"no body {n}"} for n in range(NOT_JSON_LINES_AFTER + 5)], {"text": ENGLISH_REPORT}),
                    encoding="utf-8")
    results = read_all(path)
    assert sum(isinstance(r, Incoming) for r in results) == 1
    assert all("record has no text" in r.reason for r in results if isinstance(r, Skipped))


def test_a_json_list_with_a_huge_number_and_a_bad_record_reads_the_rest(tmp_path):
    path = tmp_path / "list.json"
    path.write_text("[" + ", ".join([json.dumps({"text": ENGLISH_REPORT}), '{"text": "' + SECOND_REPORT + '", "n": '
                                     + "1" * 5000 + "}", '"just a string"', json.dumps({"text": THIRD_REPORT})]) + "]",
                    encoding="utf-8")
    results = read_all(path)
    assert [type(r).__name__ for r in results] == ["Incoming", "Incoming", "Skipped", "Incoming"]


def test_warc_with_a_charset_that_is_no_text_encoding_reads_every_page(hostile):
    folder, _, results, _ = hostile
    pages = [r for r in results if r.file == f"{folder}/rot13.warc"]
    assert len(pages) == 3 and all(isinstance(r, Incoming) for r in pages)
    assert "café council" in pages[0].document.text


def test_a_cut_short_warc_record_is_read_with_a_note(hostile):
    folder, _, results, _ = hostile
    pages = [r for r in results if r.file == f"{folder}/truncated.warc"]
    assert [bool(p.notes) for p in pages] == [False, False, True]
    assert "cut short" in pages[-1].notes[0]


def test_a_huge_warc_header_line_is_refused_in_little_memory(tmp_path):
    """A 200 MB header line in a .warc.gz of 200 KB: read in a fresh process whose peak memory is measured."""
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(warc_with_header_line(200 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024
    script = ("import sys; from sitroom.ingest import read_inputs; items = list(read_inputs([sys.argv[1]])); "
              f"{PEAK_MB}; print(items[0].reason)")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    peak_mb, reason = done.stdout.splitlines()
    assert f"header line is over {MAX_HEADER_LINE_BYTES // 1024} KB" in reason
    assert int(peak_mb) < 200 and time.monotonic() - started < 20


def test_utf16_without_a_byte_order_mark_is_text(hostile):
    folder, _, results, _ = hostile
    (item,) = [r for r in results if r.file == f"{folder}/utf16.txt"]
    assert item.document.text == THIRD_REPORT
    assert item.notes == ["decoded as UTF-16-LE (it has no byte-order mark)"]


@pytest.mark.parametrize("encoding", ["utf-16-be", "utf-32-le", "utf-32-be"])
def test_other_wide_encodings_without_a_byte_order_mark(tmp_path, encoding):
    path = tmp_path / "wide.txt"
    path.write_bytes(ENGLISH_REPORT.encode(encoding))
    (item,) = read_all(path)
    assert item.document.text == ENGLISH_REPORT and encoding.upper() in item.notes[0]


def test_a_page_dated_9999_12_31_gets_the_note(hostile):
    folder, _, results, _ = hostile
    (item,) = [r for r in results if r.file == f"{folder}/far-future.html"]
    assert item.document.published is None
    assert "publication date 9999-12-31 in the page rejected" in item.notes[0]


def test_a_tag_with_too_many_attributes_is_cut_and_read(hostile):
    folder, _, results, _ = hostile
    (item,) = [r for r in results if r.file == f"{folder}/attributes.html"]
    assert "Once more." in item.document.text
    assert f"cut to their first {MAX_TAG_ATTRIBUTES}" in item.notes[0]


def test_200000_attributes_on_one_tag_read_in_seconds(tmp_path):
    path = tmp_path / "attributes.html"
    attributes = " ".join(f"a{i}=\"x\"" for i in range(200_000))
    path.write_text(f"<html><body><div {attributes}>{page(ENGLISH_REPORT)}</div></body></html>", encoding="utf-8")
    assert path.stat().st_size > 1_900_000
    started = time.monotonic()
    (item,) = read_all(path)
    assert isinstance(item, Incoming) and time.monotonic() - started < 10


def test_a_text_file_too_large_for_the_character_limit_is_refused_unread(tmp_path):
    path = tmp_path / "large.txt"
    path.write_bytes(b"Caf\xe9 " * (8 * MAX_TEXT_FILE_BYTES // 5))  # 8 MB of Latin-1
    started = time.monotonic()
    (item,) = read_all(path)
    assert "refused unread" in item.reason and time.monotonic() - started < 1
    under = tmp_path / "under.txt"  # just under: read, decoded from a sample, then measured
    under.write_bytes(b"Caf\xe9 " * (MAX_TEXT_FILE_BYTES // 5))
    started = time.monotonic()
    (item,) = read_all(under)
    assert "over the 1,000,000-character limit" in item.reason and time.monotonic() - started < 10


def test_a_url_that_is_not_http_is_dropped_with_a_note(hostile):
    folder, _, results, _ = hostile
    (item,) = [r for r in results if r.file == f"{folder}/script-url.jsonl"]
    assert item.document.url is None
    assert "is not an http(s) address" in item.notes[0]


def test_a_symlink_loop_is_walked_once_by_a_folder_and_by_a_glob(tmp_path):
    (tmp_path / "g" / "a").mkdir(parents=True)
    (tmp_path / "g" / "a" / "story.txt").write_text(ENGLISH_REPORT, encoding="utf-8")
    (tmp_path / "g" / "top.txt").write_text(SECOND_REPORT, encoding="utf-8")
    os.symlink("..", tmp_path / "g" / "a" / "up")
    for argument in (tmp_path / "g", f"{tmp_path}/g/**/*.txt"):
        results = read_all(argument)
        assert sorted(Path(r.location).name for r in results) == ["story.txt", "top.txt"]


def test_a_linked_folder_is_walked_once(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "story.txt").write_text(ENGLISH_REPORT, encoding="utf-8")
    (tmp_path / "corpus").mkdir()
    os.symlink(tmp_path / "data", tmp_path / "corpus" / "linked")
    os.symlink(tmp_path / "data", tmp_path / "corpus" / "again")
    results = read_all(tmp_path / "corpus")
    assert len(results) == 1 and isinstance(results[0], Incoming)


def test_a_path_that_cannot_be_looked_at_is_reported(tmp_path):
    too_long = tmp_path / ("x" * 300) / "story.txt"
    (item,) = read_all(too_long)
    assert isinstance(item, Skipped) and "File name too long" in item.reason


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder: no way to make one it cannot read")
def test_a_named_input_inside_an_unreadable_folder_is_reported(tmp_path):
    locked = tmp_path / "locked"
    (locked / "inner").mkdir(parents=True)
    (locked / "inner" / "story.txt").write_text(ENGLISH_REPORT, encoding="utf-8")
    locked.chmod(0)
    try:
        (item,) = read_all(locked / "inner" / "story.txt")
    finally:
        locked.chmod(0o755)
    assert isinstance(item, Skipped) and "Permission denied" in item.reason


def test_the_language_model_is_read_without_the_temporary_folder(monkeypatch):
    import tempfile

    from sitroom.ingest import language

    monkeypatch.setattr(tempfile, "tempdir", "/nonexistent/full-temporary-folder")
    language._identifier.cache_clear()
    try:
        code, _ = language.detect_language("Der Stadtrat hat am Dienstag mitgeteilt, dass die neue Brücke "
                                           "über den Fluss erst im nächsten Frühjahr eröffnet wird.")
    finally:
        language._identifier.cache_clear()
    assert code == "de"


def test_peak_memory_of_reading_stays_in_proportion(hostile):
    """The whole hostile folder (over 4 MB of Latin-1 text, a 2 MB header line, 200k-deep
    brackets) is read in well under a gigabyte."""
    folder = hostile[0]
    script = f"import sys; from sitroom.ingest import read_inputs; list(read_inputs([sys.argv[1]])); {PEAK_MB}"
    done = subprocess.run([sys.executable, "-c", script, str(folder)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) < 400
