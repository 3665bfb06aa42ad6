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


def main() -> None:  # pragma: no cover - console entry point
    app()


# --- events (PLOVER event coding): `sitroom eval plover`, `sitroom timeline` ---------------

eval_app = typer.Typer(help="Score the extractors on the public gold standards in ../shared/eval.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


@eval_app.command("plover")
def eval_plover(
    data: Optional[Path] = typer.Option(None, "--data", help="The PLOVER folder (default: SITROOM_SHARED/eval/plover)."),
    split: str = typer.Option("test", "--split", help="all, dev (patterns tuned on it) or test (held out)."),
) -> None:
    """Event type accuracy, macro F1, actor and recipient agreement on the PLOVER GSR, as one JSON object.

    Example: sitroom eval plover --data ../shared/eval/plover --split test
    """
    from sitroom import settings
    from sitroom.eval.plover import SPLITS, evaluate

    if split not in SPLITS:
        _fail(f"--split must be one of {', '.join(SPLITS)}")
    folder = data if data is not None else settings.shared_dir() / "eval" / "plover"
    try:
        result = evaluate(folder, split=split)
    except (FileNotFoundError, ValueError) as error:
        _fail(str(error))
    typer.echo(json.dumps(result, ensure_ascii=False, indent=2))


@app.command()
def timeline(
    entity: Optional[str] = typer.Option(None, "--entity", help="Only events with this actor or recipient (name, case-insensitive)."),
    since: Optional[str] = typer.Option(None, "--since", help="Only events on or after this date (YYYY-MM-DD)."),
    limit: int = typer.Option(200, "--limit", help="At most this many events."),
    format: str = typer.Option("text", "--format", help="text or json."),
    db: Optional[str] = DbOption,
) -> None:
    """List stored events in time order, each with its evidence sentence and document.

    Example: sitroom timeline --entity "North Korea" --since 2024-10-01
    """
    from sitroom.ingest.dates import parse_date_option
    from sitroom.picture.event_timeline import timeline_entries
    from sitroom.store import open_store

    if format not in ("json", "text"):
        _fail("--format must be json or text")
    try:
        since = parse_date_option(since)
    except ValueError as error:
        _fail(str(error))
    store = open_store(db)
    try:
        entries = timeline_entries(store, entity=entity, since=since, limit=limit)
    finally:
        store.close()
    if format == "json":
        typer.echo(json.dumps(entries, ensure_ascii=False, indent=2))
        return
    if not entries:
        typer.echo("no events")
    for e in entries:
        who = ", ".join(a["name"] for a in e["actors"]) or "?"
        whom = ", ".join(a["name"] for a in e["recipients"])
        extras = "; ".join(x for x in (f"at {e['location']}" if e["location"] else "",
                                       f"size {e['quantity']}" if e["quantity"] else "",
                                       f"claim {e['claim_id']}" if e["claim_id"] else "") if x)
        typer.echo(f"{e['date'] or '????-??-??'}  {e['type']:<9} {e['modality']:<12} {who}"
                   f"{' -> ' + whom if whom else ''}{'  (' + extras + ')' if extras else ''}")
        typer.echo(f"    \"{e['text']}\"  [{e['document_id']}:{e['start']}-{e['end']}]")
