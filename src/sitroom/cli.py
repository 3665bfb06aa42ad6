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


def _store(db: Optional[str]):
    import sitroom

    try:
        return sitroom.open_store(db)
    except Exception as error:  # noqa: BLE001 - any connection problem is the user's to fix
        _fail(f"cannot open store {db or '(default)'}: {error}")


def _parse_map(pairs: list[str]) -> dict[str, str]:
    field_map = {}
    for pair in pairs:
        ours, _, theirs = pair.partition("=")
        if not ours or not theirs:
            _fail(f"--map takes FIELD=NAME (e.g. text=story), not {pair!r}")
        field_map[ours.strip()] = theirs.strip()
    from sitroom.ingest import check_field_map

    try:
        return check_field_map(field_map)
    except ValueError as error:
        _fail(str(error))


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, folders (recursive) or globs: text, HTML, JSON/JSONL, RSS/Atom, WARC."),
    db: Optional[str] = DbOption,
    published: Optional[str] = typer.Option(None, help="Publication date YYYY-MM-DD for inputs that carry none."),
    source: Optional[str] = typer.Option(None, help="Source name for inputs that carry none."),
    map: list[str] = typer.Option([], "--map", help="JSON field names: FIELD=NAME, e.g. --map text=story --map published=pubdate."),
    force: bool = typer.Option(False, "--force", help="Re-extract documents already stored and replace their rows."),
    workers: int = typer.Option(1, "--workers", min=1, help="Worker processes for parsing."),
    batch_size: int = typer.Option(50, "--batch-size", min=1, help="Documents per nlp.pipe batch."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
) -> None:
    """Read PATHS, extract every new document and store it. Re-running adds nothing.

    Every skipped or failed input is listed with its reason. Exit status: 0 when every input
    was stored (or already known), 1 when some inputs were skipped or failed (the rest were
    stored), 2 for bad arguments or an unusable store.

    Example: sitroom ingest --published 2024-10-24 src/sitroom/examples/north-korean-troops-in-russia.txt
    """
    from sitroom.batch import ingest as run_ingest
    from sitroom.ingest.dates import parse_date_option
    from sitroom.ingest.estimate import estimate_documents
    from sitroom.console import ingest_progress

    try:
        published = parse_date_option(published)
    except ValueError as error:
        _fail(str(error))
    field_map = _parse_map(map)
    store = _store(db)
    command = "ingest " + " ".join(paths)
    with ingest_progress(estimate_documents(paths), enabled=not quiet) as on_progress:
        report = run_ingest(paths, store, published=published, source=source, field_map=field_map, force=force,
                            workers=workers, batch_size=batch_size, command=command, on_progress=on_progress)
    from sitroom.console import print_ingest_report

    print_ingest_report(report)
    raise typer.Exit(1 if report.failed else 0)


@app.command()
def status(
    db: Optional[str] = DbOption,
    runs: int = typer.Option(5, help="How many recent runs to show."),
    all_failures: bool = typer.Option(False, "--all-failures", help="List every failure, not the first 30 a run."),
) -> None:
    """Counts of documents and extracted records, and the last runs with their failures."""
    from sitroom.console import print_status

    print_status(_store(db).status(last_runs=runs), show_all=all_failures)


@app.command()
def search(
    text: str = typer.Argument(..., help="Words to find (all must match)."),
    db: Optional[str] = DbOption,
    limit: int = typer.Option(20, min=1),
) -> None:
    """Full-text search over stored documents.  Example: sitroom search "North Korean soldiers" """
    from sitroom.console import print_search

    print_search(_store(db).search(text, limit=limit))


@app.command()
def show(
    doc_id: str = typer.Argument(..., help="A document id (see sitroom search)."),
    db: Optional[str] = DbOption,
    format: str = typer.Option("text", "--format", help="text or json (the extraction contract, with the text)."),
) -> None:
    """A stored document: its text, where it appeared, and everything extracted from it."""
    from sitroom.export.text import extraction_as_text

    store = _store(db)
    found = store.extraction(doc_id)
    if found is None:
        _fail(f"no document {doc_id}")
    if format == "json":
        data = found.to_dict()
        data["document"]["text"] = found.document.text
        data["appearances"] = store.appearances(doc_id)
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    typer.echo(extraction_as_text(found))
    for appearance in store.appearances(doc_id):
        typer.echo(f"seen at   {appearance['location']}  {appearance['url'] or ''}  {appearance['published'] or ''}")
    typer.echo("")
    typer.echo(found.document.text)


entities_app = typer.Typer(help="Entities across the store.", invoke_without_command=True, no_args_is_help=False)
app.add_typer(entities_app, name="entities")


@entities_app.callback()
def entities(
    ctx: typer.Context,
    type: Optional[str] = typer.Option(None, "--type", help="PERSON, ORG, GPE, LOC, NORP or FAC."),
    db: Optional[str] = DbOption,
    limit: int = typer.Option(50, min=1),
) -> None:
    """List entities by how many documents mention them.  Example: sitroom entities --type PERSON"""
    if ctx.invoked_subcommand is not None:
        return
    from sitroom.console import print_entities

    print_entities(_store(db).entity_summary(type=type, limit=limit))


@app.command()
def bench(
    docs: int = typer.Option(400, "--docs", min=1, help="How many documents."),
    workers: int = typer.Option(1, "--workers", min=1),
    batch_size: int = typer.Option(50, "--batch-size", min=1),
    corpus: Optional[Path] = typer.Option(None, help="A folder or file to read (default: Reuters in the shared data, else the bundled VOA stories)."),
) -> None:
    """Full ingest path vs bare spaCy on the same documents; prints one JSON line.

    Example: sitroom bench --docs 400 --workers 2
    """
    from sitroom.bench import run_bench

    try:
        result = run_bench(docs=docs, workers=workers, batch_size=batch_size, corpus=corpus)
    except (OSError, ValueError) as error:
        _fail(str(error))
    typer.echo(json.dumps(result))


def main() -> None:  # pragma: no cover - console entry point
    app()
