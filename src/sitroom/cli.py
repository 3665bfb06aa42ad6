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


# -- web: the situation picture served as a web UI and REST API; entity corrections ------------

entities_app = typer.Typer(help="Correct how entities are resolved across documents (kept across re-ingestion).",
                           no_args_is_help=True)
app.add_typer(entities_app, name="entities")


@app.command()
def serve(
    db: Optional[str] = DbOption,
    host: str = typer.Option("127.0.0.1", help="Address to bind (local only by default)."),
    port: int = typer.Option(8000, help="Port to listen on."),
    examples: bool = typer.Option(False, "--examples", help="First fill an empty store with the bundled examples."),
) -> None:
    """Serve the web UI and the REST API (OpenAPI at /docs) over a store.

    Example: sitroom serve --db sqlite:///sitroom.db   then open http://127.0.0.1:8000/
    """
    import uvicorn

    from sitroom.store import open_store
    from sitroom.web.app import create_app

    store = open_store(db)
    if examples and store.status(last_runs=0)["counts"]["documents"] == 0:
        from sitroom.web.examples import load_examples

        typer.echo(f"loaded {load_examples(store)} example documents", err=True)
    typer.echo(f"serving {store.url} on http://{host}:{port}/ (API docs at /docs)", err=True)
    uvicorn.run(create_app(store=store), host=host, port=port, log_level="warning")


def _correct(db: Optional[str], action: str, name: str, type: Optional[str], target: Optional[str]) -> None:
    from sitroom.picture.entities import add_correction, entity_index
    from sitroom.store import open_store

    store = open_store(db)
    try:
        add_correction(store, action, name, type=type, target=target)
    except ValueError as error:
        _fail(str(error))
    index = entity_index(store)
    key = index.key_for(target if action == "merge" else name, type.upper() if type and action != "merge" else None)
    entity = index.get(key) if key else None
    if entity:
        typer.echo(f"{entity.name} [{entity.type}] now: " + ", ".join(sorted({n for n, _ in entity.surfaces})))


@entities_app.command("merge")
def entities_merge(
    name: str = typer.Argument(..., help="The entity name to merge away (as it appears in the store)."),
    into: str = typer.Argument(..., help="The entity name to merge it into."),
    db: Optional[str] = DbOption,
    type: Optional[str] = typer.Option(None, help="Only the NAME of this type (PERSON, ORG, GPE, ...)."),
) -> None:
    """Merge entity NAME into entity INTO. Example: sitroom entities merge "America" "United States"."""
    _correct(db, "merge", name, type, into)


@entities_app.command("split")
def entities_split(
    name: str = typer.Argument(..., help="The name to take out of the entity it was resolved into."),
    db: Optional[str] = DbOption,
    type: Optional[str] = typer.Option(None, help="Only the NAME of this type."),
) -> None:
    """Split the spelling NAME off into an entity of its own. Example: sitroom entities split "Georgia" --type GPE"""
    _correct(db, "split", name, type, None)


@entities_app.command("rename")
def entities_rename(
    name: str = typer.Argument(..., help="Any name of the entity."),
    new_name: str = typer.Argument(..., help="The name to show for it."),
    db: Optional[str] = DbOption,
    type: Optional[str] = typer.Option(None, help="Only the NAME of this type."),
) -> None:
    """Show the entity that NAME belongs to as NEW_NAME. Example: sitroom entities rename "U.S." "USA"."""
    _correct(db, "rename", name, type, new_name)


@entities_app.command("list")
def entities_list(
    db: Optional[str] = DbOption,
    type: Optional[str] = typer.Option(None, help="Only this type."),
    limit: int = typer.Option(30, help="How many."),
) -> None:
    """List resolved entities with their other spellings, most cited first."""
    from sitroom.picture.entities import entity_index
    from sitroom.store import open_store

    for entity in entity_index(open_store(db)).entities:
        if type and entity.type != type.upper():
            continue
        limit -= 1
        if limit < 0:
            break
        aliases = f"  (also: {', '.join(entity.aliases)})" if entity.aliases else ""
        typer.echo(f"{entity.documents:6d}  {entity.name} [{entity.type}]{aliases}")


def main() -> None:  # pragma: no cover - console entry point
    app()
