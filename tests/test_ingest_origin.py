"""Outlet (registered domain) and originating wire (credit) of a report: pure functions, offline."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sitroom.ingest.origin import registered_domain, wire_credit

# --- registered_domain ------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "domain"), [
    ("https://edition.cnn.com/2024/03/03/europe/x", "cnn.com"),
    ("https://www.bbc.co.uk/news/world-europe-1", "bbc.co.uk"),
    ("https://news.yahoo.co.jp/articles/x", "yahoo.co.jp"),
    ("https://www.voanews.com/a/x/8011115.html", "voanews.com"),
    ("HTTPS://WWW.Reuters.COM./world/", "reuters.com"),
    ("https://user:pw@apnews.com:443/article/x", "apnews.com"),
    ("www.ukrinform.net/rubric-ato/x.html", "ukrinform.net"),
    ("https://kyiv.unian.info/x", "unian.info"),
    # two blogs on one shared host are two outlets, not the host
    ("https://waiterrant.blogspot.com/2024/x", "waiterrant.blogspot.com"),
])
def test_registered_domain_folds_subdomains_of_one_owner(url, domain):
    assert registered_domain(url) == domain


@pytest.mark.parametrize("url", [
    None, "", "   ", "garbage", "http://localhost/x", "http://localhost:8000/", "http://intranet/page",
    "http://127.0.0.1:8080/x", "http://[::1]/x", "http://10.0.0.1/", "http://co.uk/", "http://com",
    "mailto:desk@example.com", "file:///etc/hosts", "http://exa mple.com/", "http:///x",
])
def test_registered_domain_is_none_without_a_public_suffix(url):
    assert registered_domain(url) is None


def test_registered_domain_never_downloads_nor_writes_a_cache(tmp_path):
    """A fresh interpreter with sockets refused and an empty home: the bundled list is enough."""
    home = tmp_path / "home"
    home.mkdir()
    script = textwrap.dedent("""
        import socket
        def refuse(*args, **kwargs):
            raise AssertionError("network use")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        from sitroom.ingest.origin import registered_domain
        assert registered_domain("https://edition.cnn.com/x") == "cnn.com"
        assert registered_domain("https://www.bbc.co.uk/news") == "bbc.co.uk"
    """)
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TLDEXTRACT", "XDG_CACHE"))}
    env |= {"HOME": str(home), "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "https://publicsuffix.org/list/x.dat"}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert list(home.rglob("*")) == []


# --- wire_credit: what counts ------------------------------------------------------------------

BODY = "Russian forces shelled the city overnight, the regional governor said on Telegram."


@pytest.mark.parametrize(("text", "agency"), [
    # datelines
    (f"MOSCOW, March 3 (Reuters) - {BODY}", "Reuters"),
    (f"KYIV, Ukraine (AP) — {BODY}", "AP"),
    (f"WASHINGTON (AFP) - {BODY}", "AFP"),
    (f"Moscow, 3 March /TASS/. {BODY}", "TASS"),
    (f"MOSCOW, March 3. /TASS/. {BODY}", "TASS"),
    (f"BEIJING, March 3 (Xinhua) -- {BODY}", "Xinhua"),
    (f"KYIV, March 3 (UNIAN) — {BODY}", "UNIAN"),
    (f"KYIV. March 3 (Interfax-Ukraine) - {BODY}", "Interfax-Ukraine"),
    (f"March 3 (Reuters) - {BODY}", "Reuters"),
    (f"(Bloomberg) -- {BODY}", "Bloomberg"),
    (f"ST. LOUIS (AP) — {BODY}", "AP"),
    (f"Dubai, United Arab Emirates (CNN)- {BODY}", "CNN"),
    (f"Kyiv, Ukraine CNN —\n\n{BODY}", "CNN"),
    (f"Ukraine live updates\nBy Jane Doe\n\nKYIV, March 3 (Reuters) - {BODY}", "Reuters"),
    # a spelled-out agency folds to its one name
    (f"KYIV, Ukraine (Associated Press) — {BODY}", "AP"),
    (f"PARIS (Agence France-Presse) - {BODY}", "AFP"),
    (f"MOSCOW, March 3 (ITAR-TASS) - {BODY}", "TASS"),
    # an agency the table lacks still counts in a full dateline (place in capitals or a date)
    (f"MINSK, 26 April (BelTA) – {BODY}", "BelTA"),
    (f"VILNIUS, March 3 (ELTA) - {BODY}", "ELTA"),
    (f"Riga, 3 March (LETA) - {BODY}", "LETA"),
    # endings
    (f"{BODY}\n\n(Reporting by Jane Doe in Kyiv; Additional reporting by Ann Roe; Editing by John Roe)", "Reuters"),
    (f"{BODY}\n\nReporting by Jane Doe; Editing by John Roe\nOur Standards: The Trust Principles.", "Reuters"),
    (f"{BODY} — Reuters", "Reuters"),
    (f"{BODY}\n-- AFP", "AFP"),
    (f"{BODY} (Xinhua)", "Xinhua"),
    (f"{BODY}\n Reuter", "Reuters"),
    (f"{BODY}\nREUTER", "Reuters"),
    (f"{BODY}\n\n© 2022 Reuters", "Reuters"),
    (f"{BODY}\n\n(c) Copyright Thomson Reuters 2022. Click for Restrictions", "Reuters"),
    (f"{BODY} Copyright 2022 The Associated Press. All rights reserved. This material may not be published.", "AP"),
    (f"{BODY}\n\nAssociated Press writers Jane C. Doe in Kyiv and John Roe in Moscow contributed to this report.",
     "AP"),
    # a dateline and a sign-off that agree
    (f"MOSCOW, March 3 (Reuters) - {BODY}\n\n(Reporting by Jane Doe; Editing by John Roe)", "Reuters"),
])
def test_wire_credit_reads_the_conventions_wires_use(text, agency):
    assert wire_credit(text) == agency


@pytest.mark.parametrize(("title", "agency"), [
    ("Russia says it shot down drones over Belgorod - Reuters", "Reuters"),
    ("Russia says it shot down drones over Belgorod | AP News", "AP"),
    ("Putin gives interview to Reuters", None),
    ("Reuters: Russia says it shot down drones", None),
    (None, None),
])
def test_wire_credit_reads_a_headline_site_suffix(title, agency):
    assert wire_credit(BODY, title=title) == agency


# --- wire_credit: what does not count ----------------------------------------------------------

@pytest.mark.parametrize("text", [
    # citations name a source the report quotes, not the report's author
    f"{BODY} Three people were killed, according to Reuters.",
    f"Three people were killed, according to Reuters. {BODY}",
    f"{BODY} The governor told Reuters on Friday that three people were killed.",
    f"{BODY} That's according to Politico, Ukrinform reports.",
    f"{BODY}\n\nThe ministry said, as reported by the Associated Press.",
    f"Reuters reported on Friday that three people were killed. {BODY}",
    # contributions: the outlet's own story with some wire material in it
    f"{BODY}\n\nThe Associated Press contributed to this report.",
    f"{BODY} Some information for this report came from The Associated Press, Reuters and AFP.",
    f"{BODY}\n\nReuters contributed to this report.",
    f"{BODY}\n\nSource: PAP, Reuters",
    f"{BODY} Margaret Besheer contributed to this report from the United Nations.",
    # a bracket that is no credit
    f"The North Atlantic Treaty Organization (NATO) - a 32-member alliance - said {BODY}",
    f"North Atlantic Treaty Organization (NATO) - the alliance said {BODY}",
    f"Members of the alliance (NATO) - including Poland - said {BODY}",
    f"NORTH ATLANTIC TREATY ORGANIZATION (NATO) - {BODY}",
    f"Brussels (NATO) - {BODY}",
    f"Lviv (Ukraine) - {BODY}",
    f"KYIV (UPDATE) - {BODY}",
    f"(Transcript) - {BODY}",
    f"(see below) - {BODY}",
    f"KYIV (AP Photo/Efrem Lukatsky) - {BODY}",
    # a dateline without a credit, and one far from the start
    f"HELSINKI — {BODY}",
    f"WASHINGTON, Feb 26 - {BODY}",
    f"{BODY}\n{BODY}\n{BODY}\n{BODY}\n{BODY}\nMOSCOW, March 3 (Reuters) - {BODY}",
    # photo credits and an outlet's own copyright
    f"{BODY}\nA soldier in Bakhmut. Ludovic Marin/AFP via Getty Images\n{BODY}",
    f"{BODY}\n© AFP 2023 / Genya Savilov",
    f"{BODY}\n\n© 2024 BBC",
    # a sentence that ends with an agency's staff but no contribution line
    f"AFP reporters saw the bodies in the street. Germany contributed 500 troops. {BODY}",
    # the endings of a continued take
    f"{BODY}\n MORE",
    # nothing to read
    "",
    BODY,
])
def test_wire_credit_ignores_what_is_not_a_credit(text):
    assert wire_credit(text) is None


def test_wire_credit_is_none_when_the_credits_disagree():
    """An AFP dateline with a Reuters signature is no one wire's copy: merging it would be a guess."""
    text = f"PARIS (AFP) - {BODY}\n\n(Reporting by Jane Doe; Editing by John Roe)"
    assert wire_credit(text) is None
    assert wire_credit(f"MOSCOW (Reuters) - {BODY}", title="Drones over Belgorod - AFP") is None


# --- on the shared corpora ---------------------------------------------------------------------

def test_reuters_21578_bodies_are_credited_to_reuters_by_their_sign_off(shared):
    from sitroom.ingest import Incoming, read_inputs

    path = shared / "corpus" / "reuters-21578" / "reut2-000.json"
    documents = [item.document for item in read_inputs([str(path)]) if isinstance(item, Incoming)]
    credits = [wire_credit(document.text, document.title) for document in documents]
    assert set(credits) <= {"Reuters", None}
    assert credits.count("Reuters") >= 0.97 * len(documents)


def test_voa_stories_credit_no_wire(shared):
    """VOA's own stories cite wires ("told AFP", "Reuters reported") but none is a wire's copy."""
    with open(shared / "corpus" / "voa" / "voa_stories.jsonl", encoding="utf-8") as lines:
        stories = [json.loads(line) for line in lines]
    assert len(stories) == 89
    assert [wire_credit(story["text"], story["title"]) for story in stories] == [None] * 89


def test_ukraine_war_news_credits_only_the_datelines_it_carries(shared):
    folder: Path = shared / "corpus" / "ukraine-war-news" / "articles"
    credits = [wire_credit(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.txt"))]
    assert len(credits) == 447
    credited = [credit for credit in credits if credit]
    assert set(credited) == {"BelTA", "CNN", "AP"}
    assert 40 <= len(credited) <= 60
