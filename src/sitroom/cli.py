"""The ``sitroom`` command: thin, it parses arguments and calls the library."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(
    help="Turn news reports into a sourced situation picture: who said what, how many, where and when.",
    no_args_is_help=True,
    add_completion=False,
)

DbOption = typer.Option(None, "--db", help="Store URL (default: $SITROOM_DB or sqlite:///sitroom.db).")


@app.callback()
def _main() -> None:
    """sitroom: ingest reports, extract who said what, how many, where and when, and explore the picture."""


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@app.command()
def extract(
    file: Path = typer.Argument(..., help="A text file (or - for standard input)."),
    published: Optional[str] = typer.Option(None, help="Publication date YYYY-MM-DD: relative dates resolve against it."),
    source: Optional[str] = typer.Option(None, help="Outlet or source name."),
    format: str = typer.Option("json", "--format", help="json (the extraction contract) or text."),
) -> None:
    """Print what is extracted from FILE, without touching a store.

    Example: sitroom extract src/sitroom/examples/north-korean-troops-in-russia.txt --published 2024-10-24
    """
    import sitroom
    from sitroom.ingest.dates import parse_date_option

    if format not in ("json", "text"):
        _fail("--format must be json or text")
    try:
        text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        _fail(f"cannot read {file}: {error}")
    if not text.strip():
        _fail(f"{file} holds no text")
    try:
        published = parse_date_option(published)
    except ValueError as error:
        _fail(str(error))
    found = sitroom.extract(text, published=published, source=source, title=None)
    if format == "json":
        typer.echo(json.dumps(found.to_dict(), ensure_ascii=False, indent=2))
    else:
        from sitroom.export.text import extraction_as_text

        typer.echo(extraction_as_text(found))


# -- attribution (who said what): sitroom claims, sitroom eval polnear ----------------------------

eval_app = typer.Typer(help="Score sitroom against the public gold standards in ../shared/eval.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


@eval_app.command("polnear")
def eval_polnear(
    data: Optional[Path] = typer.Option(None, "--data", help="PolNeAR folder (default: $SITROOM_SHARED/eval/polnear)."),
    split: str = typer.Option("dev", "--split", help="train, dev or test (tune on train/dev, report test)."),
    baseline: Optional[str] = typer.Option(None, "--baseline", help="Score a baseline instead of sitroom: textacy."),
    limit: Optional[int] = typer.Option(None, "--limit", help="Only the first N articles (a quick look)."),
) -> None:
    """Score attributions (source, cue, content) on PolNeAR and print one JSON object.

    Example: sitroom eval polnear --data ../shared/eval/polnear --split dev
    """
    from sitroom import settings
    from sitroom.eval.polnear import PolnearError, evaluate, to_json

    if split not in ("train", "dev", "test"):
        _fail("--split must be train, dev or test")
    if baseline not in (None, "textacy"):
        _fail("--baseline must be textacy")
    folder = data or settings.shared_dir() / "eval" / "polnear"
    try:
        result = evaluate(folder, split, system=baseline or "sitroom", limit=limit)
    except PolnearError as error:
        _fail(str(error))
    typer.echo(to_json(result))


@app.command()
def claims(
    speaker: Optional[str] = typer.Option(None, "--speaker", help="Speaker name (canonical or as written), case-insensitive part."),
    about: Optional[str] = typer.Option(None, "--about", help="Only claims whose content mentions this entity or text."),
    since: Optional[str] = typer.Option(None, "--since", help="Only claims said on or after YYYY-MM-DD."),
    limit: int = typer.Option(50, "--limit", help="At most this many claims."),
    format: str = typer.Option("text", "--format", help="text or json."),
    db: Optional[str] = DbOption,
) -> None:
    """List stored claims: who said what, when, with the document it is from.

    Example: sitroom claims --speaker Kirby --since 2024-10-01
    """
    from sitroom.ingest.dates import parse_date_option
    from sitroom.store import open_store
    from sitroom.store.claims import claim_filters

    if format not in ("text", "json"):
        _fail("--format must be text or json")
    try:
        since = parse_date_option(since)
    except ValueError as error:
        _fail(str(error))
    store = open_store(db)
    try:
        rows = store.records("claims", where=claim_filters(speaker=speaker, about=about, since=since), limit=limit)
    finally:
        store.close()
    if format == "json":
        typer.echo(json.dumps([{**row["data"], "document_id": row["document_id"],
                                "document_title": row["document_title"]} for row in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo("no claims match")
        return
    for row in rows:
        data = row["data"]
        stance = f" [{data['stance']}]" if data.get("stance") else ""
        typer.echo(f"{data.get('said_on') or '????-??-??'}  {data['speaker']['name']} {data['cue']['text']}{stance}: "
                   f"{data['content']['text']}")
        typer.echo(f"    ({data['kind']}; document {row['document_id']}, chars {row['start']}-{row['end']})")


def main() -> None:  # pragma: no cover - console entry point
    app()
