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
