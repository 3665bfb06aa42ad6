"""Build a folder of every kind of bad input, beside a few good files, at test time.

``make_bad_input_folder(path)`` returns, for each bad input, its location relative to
``path`` (a file name, or ``name#L2`` for one line of a JSON Lines file) and a fragment of
the reason its ``Skipped`` must give. ``GOOD_DOCUMENTS`` lists the locations that must give
a document, each with a distinct text (the German text among them: it is stored, flagged
by its language, and not parsed).
Hidden files are left out without a word, so they appear in neither.
"""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

from sitroom.settings import MAX_TEXT_CHARS

ENGLISH_REPORT = (
    "The regional council said on Tuesday that the new bridge over the river would open next "
    "spring, two years later than planned. Officials blamed the delay on a shortage of steel "
    "and on flooding that halted work for most of last summer. The project has cost about "
    "40 million euros so far, according to the council's own figures, and residents who "
    "commute across the valley have complained about the long detour for years."
)
SECOND_REPORT = (
    "A freight train left the tracks near a small mountain town early on Sunday, railway "
    "officials said. No one was hurt, but the line between the two cities will stay closed "
    "for at least three days while crews clear the wagons and repair about 200 meters of "
    "track. The operator said it was investigating whether heavy rain had weakened the "
    "embankment that gave way under the train."
)
THIRD_REPORT = (
    "Fishermen in the harbor town protested on Monday against new quotas that they say will "
    "halve their catch next year. About 150 boats blocked the port entrance for four hours "
    "before the coast guard persuaded them to leave, and the regional fisheries office "
    "promised to meet their representatives before the end of the month."
)
GERMAN_REPORT = (
    "Der Stadtrat hat am Dienstag mitgeteilt, dass die neue Brücke über den Fluss erst im "
    "nächsten Frühjahr eröffnet wird. Die Verwaltung begründete die Verzögerung mit einem "
    "Mangel an Stahl und mit dem Hochwasser, das die Arbeiten im vergangenen Sommer "
    "wochenlang unterbrochen hatte."
)
WINDOWS_1252_REPORT = (
    "The café owner told reporters that the naïve plan would fail. “We don’t expect the "
    "talks to change anything,” she said, adding that prices had risen by about 12 percent "
    "since the spring and that the town’s two bakeries had already closed their doors."
)
ARTICLE_HTML = f"""<!doctype html>
<html><head><title>Bridge opening delayed | The Valley Gazette</title>
<meta property="og:site_name" content="The Valley Gazette">
<meta property="article:published_time" content="2024-05-14T08:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Bridge opening delayed</h1><p>{ENGLISH_REPORT}</p><p>{SECOND_REPORT}</p></article>
<footer><p>Contact us</p></footer></body></html>
"""
NAVIGATION_ONLY_HTML = """<!doctype html>
<html><head><title>Home</title></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/about">About</a></nav></body></html>
"""
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"

GOOD_DOCUMENTS = (
    "english.txt",
    "windows-1252.txt",
    "german.txt",
    "article.html",
    "stories.jsonl#L1",
    "stories.jsonl#L3",
    "malformed.json#item1",  # the items before a syntax error are kept
)
HUGE_FILE_BYTES = 200 * 1000 * 1000


def make_bad_input_folder(path: Path) -> dict[str, str]:
    """Write the good and bad inputs into ``path``; return bad location → reason fragment."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    expected: dict[str, str] = {}

    (path / "english.txt").write_text(ENGLISH_REPORT, encoding="utf-8")
    (path / "windows-1252.txt").write_bytes(WINDOWS_1252_REPORT.encode("cp1252"))
    (path / "german.txt").write_text(GERMAN_REPORT, encoding="utf-8")
    (path / "article.html").write_text(ARTICLE_HTML, encoding="utf-8")
    lines = [
        json.dumps({"title": "Harbor blocked", "text": THIRD_REPORT, "published": "2024-05-13"}),
        '{"title": "Broken line", "text": "The quote never ends}',
        json.dumps({"title": "Train derails", "body": SECOND_REPORT, "date": "2024-05-12"}),
    ]
    (path / "stories.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected["stories.jsonl#L2"] = "malformed JSON on line 2"

    (path / "empty.txt").write_bytes(b"")
    expected["empty.txt"] = "empty file"
    (path / "blank.txt").write_text(" \n\t\n  \n", encoding="utf-8")
    expected["blank.txt"] = "only white space"
    (path / "picture.png").write_bytes(PNG_HEADER + bytes(200))
    expected["picture.png"] = "binary file (PNG image)"
    (path / "undecodable.txt").write_bytes(bytes(range(128, 256)) * 8)
    expected["undecodable.txt"] = "undecodable bytes"
    with open(path / "huge.txt", "wb") as huge:  # sparse: takes no disk space, never read
        huge.truncate(HUGE_FILE_BYTES)
    expected["huge.txt"] = "file is 200.0 MB, over the 50 MB limit"
    sentence = "The committee met again and said nothing new about the budget. "
    (path / "too-long.txt").write_text(sentence * (MAX_TEXT_CHARS // len(sentence) + 10), encoding="utf-8")
    expected["too-long.txt"] = "over the 1,000,000-character limit"
    (path / "navigation.html").write_text(NAVIGATION_ONLY_HTML, encoding="utf-8")
    expected["navigation.html"] = "no article text in HTML"
    opening = json.dumps({"text": "The mayor opened the new public library on Saturday morning."})
    (path / "malformed.json").write_text(f'[{opening},\n {{"text": oops}}]', encoding="utf-8")
    expected["malformed.json"] = "malformed JSON on line 2"
    (path / "archive.gz").write_bytes(gzip.compress(b"just some compressed text"))
    expected["archive.gz"] = "binary file (gzip archive"
    os.symlink(path / "moved-away.txt", path / "dangling-link.txt")
    expected["dangling-link.txt"] = "broken link"
    os.mkfifo(path / "pipe.txt")
    expected["pipe.txt"] = "not a regular file (named pipe)"
    if os.geteuid() != 0:  # root reads everything: no way to make a file it cannot read
        locked = path / "locked.txt"
        locked.write_text(ENGLISH_REPORT, encoding="utf-8")
        locked.chmod(0)
        expected["locked.txt"] = "cannot read: Permission denied"
    (path / ".hidden-notes.txt").write_text(ENGLISH_REPORT, encoding="utf-8")
    return expected


def warc_bytes(pages: list[tuple[str, str]], *, compress: bool = False, with_image: bool = True) -> bytes:
    """A WARC file holding one HTML response per ``(url, html)``, a request and an image."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    for url, page in pages:
        request = writer.create_warc_record(url, "request", payload=io.BytesIO(b""),
                                            http_headers=StatusAndHeaders("GET / HTTP/1.1", [], is_http_request=True))
        writer.write_record(request)
        body = page.encode("utf-8")
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                      length=len(body), http_headers=headers))
    if with_image:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://example.org/logo.png", "response",
                                                      payload=io.BytesIO(PNG_HEADER), length=len(PNG_HEADER),
                                                      http_headers=headers))
    return buffer.getvalue()
