"""The worked examples of docs/extending.md, run from the page itself: a new record kind and a
new export format, each registered by one module, reach every layer."""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web_store import example_store_path

import sitroom
from sitroom import export, kinds
from sitroom.cli import app as cli
from sitroom.store import schema
from sitroom.web.app import create_app

DOC = Path(__file__).resolve().parent.parent / "docs" / "extending.md"
TEXT = ("The ministry said on Monday, in a post by @DefenceU and on https://mod.gov.ua/en/news, that the convoy "
        "had crossed the border.")


def _modules(tmp_path: Path) -> Path:
    """Each ```python block of the page that starts with "# file: NAME", written as NAME."""
    for block in re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S):
        first = block.splitlines()[0]
        if first.startswith("# file: "):
            (tmp_path / first.removeprefix("# file: ").strip()).write_text(block, encoding="utf-8")
    return tmp_path


@pytest.fixture()
def plugins(tmp_path, monkeypatch):
    folder = tmp_path / "plugins"
    folder.mkdir()
    _modules(folder)
    monkeypatch.syspath_prepend(str(folder))
    yield folder
    kinds.unregister("links")
    export.unregister("brief")
    for name in ("sitroom_links", "sitroom_brief"):
        sys.modules.pop(name, None)


def test_the_page_holds_both_examples(plugins):
    assert {p.name for p in plugins.iterdir()} == {"sitroom_links.py", "sitroom_brief.py"}


def test_a_new_kind_is_extracted_stored_read_back_and_highlighted(plugins, tmp_path):
    importlib.import_module("sitroom_links")
    assert "links" in kinds.names() and kinds.names()[:6] == list(sitroom.model.CONTRACT_LISTS)
    found = sitroom.extract(TEXT, published="2024-10-24")
    links = found.records("links")
    assert [(link.text, link.kind) for link in links] == [("@DefenceU", "handle"), ("https://mod.gov.ua/en/news", "url")]
    assert [TEXT[link.start:link.end] for link in links] == ["@DefenceU", "https://mod.gov.ua/en/news"]
    assert found.to_dict()["links"][0]["kind"] == "handle" and found.claims  # the contract's kinds still run

    url = f"sqlite:///{tmp_path / 'links.db'}"
    store = sitroom.open_store(url)
    store.save_extraction(found, location="post.txt")
    kind_column = schema.record_table("links").c.kind
    assert [row["text"] for row in store.records("links", where=[kind_column == "url"])] == ["https://mod.gov.ua/en/news"]
    assert store.extraction(found.document.id).records("links") == links
    assert store.status()["counts"]["links"] == 2
    store.close()

    page = TestClient(create_app(url)).get(f"/documents/{found.document.id}").text
    assert 'class="hl hl-link"' in page and "Cited handle: @DefenceU" in page
    assert "Cited web address or handle" in page


def test_a_plugin_named_in_the_setting_reaches_the_cli(plugins, tmp_path):
    post = tmp_path / "post.txt"
    post.write_text(TEXT, encoding="utf-8")
    env = {**os.environ, "SITROOM_PLUGINS": "sitroom_links",
           "PYTHONPATH": os.pathsep.join([str(plugins), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run([sys.executable, "-m", "sitroom", "extract", str(post), "--published", "2024-10-24"],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert [link["text"] for link in json.loads(result.stdout)["links"]] == ["@DefenceU", "https://mod.gov.ua/en/news"]
    env["SITROOM_PLUGINS"] = "no_such_plugin"
    broken = subprocess.run([sys.executable, "-m", "sitroom", "extract", str(post)], capture_output=True, text=True,
                            env=env)
    assert broken.returncode != 0 and "no_such_plugin" in broken.stderr


def test_a_new_export_format_serves_every_face(plugins, tmp_path_factory):
    importlib.import_module("sitroom_brief")
    url = f"sqlite:///{example_store_path(tmp_path_factory)}"
    with sitroom.open(url) as picture:
        brief = picture.export("brief", speaker="Kirby")
        claims = picture.claims(speaker="Kirby", limit=500)
    lines = brief.splitlines()
    assert lines[0] == "# Who said what" and len(lines) == 2 + claims["total"] > 2
    assert all(line.startswith("- **John Kirby** (") for line in lines[2:])

    result = CliRunner().invoke(cli, ["export", "--format", "brief", "--filter", "speaker=Kirby", "--db", url])
    assert result.exit_code == 0 and result.output == brief
    listed = CliRunner().invoke(cli, ["export", "--list"])
    assert "brief" in listed.output and "speaker, entity, source, since, until, q" in listed.output
    response = TestClient(create_app(url)).get("/api/export/brief", params={"speaker": "Kirby"})
    assert response.status_code == 200 and response.text == brief
    assert response.headers["content-type"].startswith("text/markdown")

    refused = CliRunner().invoke(cli, ["export", "--format", "brief", "--filter", "country=RU", "--db", url])
    assert refused.exit_code == 2 and "takes speaker" in refused.output
