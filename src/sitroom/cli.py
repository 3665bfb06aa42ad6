"""The ``sitroom`` command: thin, it parses arguments and calls the library.

Commands follow what a user does: extract or ingest reports, check the store, explore the
picture (every list is one call of the read API, ``sitroom.picture.Picture``, and prints the
same page as the REST API with ``--format json``), take it away, serve it; then the eval and
bench commands that measure sitroom.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, Optional

import typer

from sitroom import settings

app = typer.Typer(
    help="Turn news reports into a sourced situation picture: who said what, how many, where and when.",
    no_args_is_help=True,
    add_completion=False,
)

DbOption = typer.Option(None, "--db", help="Store URL (default: $SITROOM_DB or sqlite:///sitroom.db).")
FormatOption = typer.Option("text", "--format", help="text, or json (the page the REST API gives).")
LimitOption = typer.Option(50, "--limit", min=1, help="Items per page.")
OffsetOption = typer.Option(0, "--offset", min=0, help="Items to skip.")
SinceOption = typer.Option(None, "--since", help="On or after this date (YYYY, YYYY-MM or YYYY-MM-DD).")
UntilOption = typer.Option(None, "--until", help="On or before this date (YYYY, YYYY-MM or YYYY-MM-DD).")
SourceOption = typer.Option(None, "--source", help="Only reports from this outlet.")
EntityOption = typer.Option(None, "--entity", help="An entity key or name, e.g. \"North Korea\".")


@app.callback()
def _main() -> None:
    """sitroom: ingest reports, extract who said what, how many, where and when, and explore the picture."""


def _fail(message: str, code: int = 2) -> None:
    """One line on standard error (a driver's multi-line message cut to its first), then exit."""
    first = message.strip().splitlines()[0] if message.strip() else "failed"
    typer.echo(f"error: {first.encode('utf-8', 'backslashreplace').decode('utf-8')}", err=True)
    raise typer.Exit(code)


@contextmanager
def _clear_error(*kinds: type[Exception]) -> Iterator[None]:
    """Bad input the library rejects (a bad date, an unknown entity, a missing gold folder)
    ends the command with its message and exit status 2, not a traceback."""
    from sitroom.picture import NotFound

    try:
        yield
    except kinds or (OSError, ValueError, NotFound) as error:
        _fail(str(error).strip("'\""))


def _store(db: Optional[str]):
    """The store, or exit 2 with one line: unreachable, locked past the wait, read-only, full."""
    import sitroom
    from sitroom.store import StoreError

    try:
        return sitroom.open_store(db)
    except StoreError as error:
        _fail(f"cannot open {error}")
    except Exception as error:  # noqa: BLE001 - any connection problem is the user's to fix
        _fail(f"cannot open store {db or '(default)'}: {error}")


def _picture(db: Optional[str]):
    from sitroom.picture import Picture

    return Picture(_store(db))


def _list(db: Optional[str], ask: Callable[[Any], dict[str, Any]], format: str,
          show: Callable[[dict[str, Any]], None]) -> None:
    """One read-API list: ``ask(picture)`` gives the page; json prints it as the REST API does."""
    if format not in ("text", "json"):
        _fail("--format must be text or json")
    picture = _picture(db)
    try:
        with _clear_error():
            found = ask(picture)
    finally:
        picture.close()
    if format == "json":
        typer.echo(json.dumps(found, ensure_ascii=False, indent=2))
    else:
        show(found)


# -- extract and ingest -------------------------------------------------------------------------


@app.command(rich_help_panel="Read reports")
def extract(
    file: Path = typer.Argument(..., help="A text file (or - for standard input)."),
    published: Optional[str] = typer.Option(None, help="Publication date YYYY-MM-DD: relative dates resolve against it."),
    source: Optional[str] = typer.Option(None, help="Outlet or source name."),
    format: str = typer.Option("json", "--format", help="json (the extraction contract) or text."),
) -> None:
    """Print what is extracted from FILE, without touching a store.

    FILE is read as ``sitroom ingest`` reads it (encoding, HTML, JSON, feeds; the language is
    detected); from a file of several documents, the first is shown.

    Example: sitroom extract src/sitroom/examples/north-korean-troops-in-russia.txt --published 2024-10-24
    """
    from sitroom.ingest import Skipped
    from sitroom.nlp.pipeline import extract_documents

    if format not in ("json", "text"):
        _fail("--format must be json or text")
    with _clear_error(ValueError):
        item = _first_input(file, published, source)
    if isinstance(item, Skipped):
        _fail(f"cannot read {item.location}, no text taken from it: {item.reason}")
    if item.document.language not in (None, "", "en"):
        typer.echo(f"note: the text reads as language {item.document.language!r}; only English is extracted",
                   err=True)
    found = next(extract_documents([item.document]))
    if format == "json":
        typer.echo(json.dumps(found.to_dict(), ensure_ascii=False, indent=2))
    else:
        from sitroom.console import extraction_as_text

        typer.echo(extraction_as_text(found))


def _first_input(file: Path, published: Optional[str], source: Optional[str]):
    """The first document (or the reason there is none) of FILE, or of standard input for "-"."""
    from sitroom.ingest import Skipped, read_inputs

    if str(file) != "-":
        return next(read_inputs([str(file)], published=published, source=source), Skipped(str(file), "no document"))
    from sitroom.ingest.decode import decode_bytes
    from sitroom.ingest.documents import Defaults, make_document

    defaults = Defaults(published=published, source=source)
    text, notes = decode_bytes(sys.stdin.buffer.read())
    return make_document(text, location="<stdin>", defaults=defaults, notes=notes)


def _parse_map(pairs: list[str]) -> dict[str, str]:
    field_map = {}
    for pair in pairs:
        ours, _, theirs = pair.partition("=")
        if not ours or not theirs:
            _fail(f"--map takes FIELD=NAME (e.g. text=story), not {pair!r}")
        field_map[ours.strip()] = theirs.strip()
    from sitroom.ingest import check_field_map

    with _clear_error(ValueError):
        return check_field_map(field_map)


@app.command(rich_help_panel="Read reports")
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, folders (recursive) or globs: text, HTML, JSON/JSONL, RSS/Atom, WARC."),
    db: Optional[str] = DbOption,
    published: Optional[str] = typer.Option(None, help="Publication date YYYY-MM-DD for inputs that carry none."),
    source: Optional[str] = typer.Option(None, help="Source name for inputs that carry none."),
    title: Optional[str] = typer.Option(None, help="Headline for inputs that carry none (a plain-text file)."),
    map: list[str] = typer.Option([], "--map", help="JSON field names: FIELD=NAME, e.g. --map text=story --map published=pubdate."),
    force: bool = typer.Option(False, "--force", help="Re-extract documents already stored and replace their rows."),
    workers: int = typer.Option(1, "--workers", min=1, help="Worker processes for parsing."),
    cluster: Optional[str] = typer.Option(
        None, "--cluster", help="Parse on a Dask cluster instead: tcp://HOST:8786 (a running scheduler), or local[:N] "
        "(N worker processes on 127.0.0.1; default one per core). This process still reads and writes the store."),
    batch_size: int = typer.Option(settings.DEFAULT_BATCH_SIZE, "--batch-size", min=1, help="Documents per nlp.pipe batch."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
) -> None:
    """Read PATHS, extract every new document and store it. Re-running adds nothing.

    Every skipped or failed input is listed with its reason. Exit status: 0 when every input
    was stored (or already known), 1 when some inputs were skipped or failed (the rest were
    stored), 2 for bad arguments, an unusable store or a cluster that cannot be reached or
    goes away (what was stored stays; the same command run again finishes the job).

    Example: sitroom ingest --published 2024-10-24 src/sitroom/examples/north-korean-troops-in-russia.txt
    """
    from sitroom.batch import ingest as run_ingest
    from sitroom.console import ingest_progress, print_ingest_report
    from sitroom.ingest import read_inputs
    from sitroom.ingest.estimate import estimate_documents

    field_map = _parse_map(map)
    with _clear_error(ValueError):
        read_inputs(paths, published=published, source=source, title=title, field_map=field_map)  # checks the options
    from sitroom.cluster import ClusterError, ClusterSpec, connect, describe
    from sitroom.store import StoreError

    spec = None
    if cluster is not None:
        with _clear_error(ValueError):
            spec = ClusterSpec.parse(cluster)
        if workers > 1:
            _fail("--workers sets a local process pool; with --cluster the cluster's workers parse")
    store = _store(db)
    command = "ingest " + " ".join(paths)
    with ExitStack() as stack:
        client = None
        if spec is not None:
            try:
                client = stack.enter_context(connect(spec))
            except ClusterError as error:
                _fail(str(error))
            if not quiet:
                typer.echo(f"parsing on {describe(client)}", err=True)
        try:
            with ingest_progress(0 if quiet else estimate_documents(paths), enabled=not quiet) as on_progress:
                report = run_ingest(paths, store, published=published, source=source, title=title,
                                    field_map=field_map, force=force, workers=workers, batch_size=batch_size,
                                    command=command, on_progress=on_progress, cluster=client)
        except StoreError as error:  # the run is marked failed with this reason where the store still took it
            _fail(str(error))
        except ClusterError as error:  # likewise; every document stored so far stays stored
            _fail(f"{error}; the same command run again finishes the job")
    print_ingest_report(report)
    raise typer.Exit(1 if report.failed else 0)


@app.command(rich_help_panel="Read reports")
def status(
    db: Optional[str] = DbOption,
    runs: int = typer.Option(5, help="How many recent runs to show."),
    all_failures: bool = typer.Option(False, "--all-failures", help="List every failure, not the first 30 a run."),
) -> None:
    """Counts of documents and extracted records, and the last runs with their failures."""
    from sitroom.console import print_status

    print_status(_store(db).status(last_runs=runs), show_all=all_failures)


# -- documents --------------------------------------------------------------------------------


@app.command(rich_help_panel="Explore the picture")
def documents(
    q: Optional[str] = typer.Option(None, "--q", help="Only documents whose title holds this text."),
    entity: Optional[str] = EntityOption,
    source: Optional[str] = SourceOption,
    since: Optional[str] = SinceOption,
    until: Optional[str] = UntilOption,
    limit: int = LimitOption,
    offset: int = OffsetOption,
    format: str = FormatOption,
    db: Optional[str] = DbOption,
) -> None:
    """List stored documents, newest first.  Example: sitroom documents --entity "North Korea" --since 2024-10"""
    from sitroom.console import print_documents

    _list(db, lambda p: p.documents(q=q, entity=entity, source=source, since=since, until=until, limit=limit,
                                    offset=offset), format, print_documents)


@app.command(rich_help_panel="Explore the picture")
def search(
    text: str = typer.Argument(..., help="Words to find (all must match)."),
    db: Optional[str] = DbOption,
    limit: int = typer.Option(20, "--limit", min=1, help="Items per page."),
    offset: int = OffsetOption,
    format: str = FormatOption,
) -> None:
    """Full-text search over stored documents.  Example: sitroom search "North Korean soldiers" """
    from sitroom.console import print_search

    _list(db, lambda p: p.search(text, limit=limit, offset=offset), format, print_search)


@app.command(rich_help_panel="Explore the picture")
def show(
    doc_id: str = typer.Argument(..., help="A document id (see sitroom search)."),
    db: Optional[str] = DbOption,
    format: str = typer.Option("text", "--format", help="text or json (the extraction contract, with the text)."),
) -> None:
    """A stored document: its text, where it appeared, and everything extracted from it."""
    from sitroom.console import extraction_as_text

    store = _store(db)
    found = store.extraction(doc_id)
    if found is None:
        _fail(f"no document {doc_id}")
    if format == "json":
        data = found.to_dict(with_text=True)
        data["appearances"] = store.appearances(doc_id)
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    typer.echo(extraction_as_text(found))
    for appearance in store.appearances(doc_id):
        typer.echo(f"seen at   {appearance['location']}  {appearance['url'] or ''}  {appearance['published'] or ''}")
    typer.echo("")
    typer.echo(found.document.text)


# -- entities and analyst corrections --------------------------------------------------------

entities_app = typer.Typer(help="Entities resolved across the store, and the analyst's corrections.",
                           invoke_without_command=True, no_args_is_help=False)
app.add_typer(entities_app, name="entities", rich_help_panel="Explore the picture")


@entities_app.callback()
def entities(
    ctx: typer.Context,
    type: Optional[str] = typer.Option(None, "--type", help="PERSON, ORG, GPE, LOC, NORP or FAC."),
    q: Optional[str] = typer.Option(None, "--q", help="Only entities one of whose names holds this text."),
    limit: int = LimitOption,
    offset: int = OffsetOption,
    format: str = FormatOption,
    db: Optional[str] = DbOption,
) -> None:
    """List entities resolved across documents (corrections applied), most documents first.

    Example: sitroom entities --type PERSON
    """
    if ctx.invoked_subcommand is not None:
        return
    from sitroom.console import print_entities

    _list(db, lambda p: p.entities(type=type, q=q, limit=limit, offset=offset), format, print_entities)


def _correct(db: Optional[str], action: str, name: str, type: Optional[str], target: Optional[str]) -> None:
    picture = _picture(db)
    with _clear_error(ValueError):
        entity = picture.correct(action, name, type=type, target=target)
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


# -- who said what ----------------------------------------------------------------------------


@app.command(rich_help_panel="Explore the picture")
def claims(
    speaker: Optional[str] = typer.Option(None, "--speaker", help="A speaker key, or words of a speaker's name (\"Kirby\")."),
    about: Optional[str] = typer.Option(None, "--about", help="Only claims about this entity (key or name)."),
    q: Optional[str] = typer.Option(None, "--q", help="Only claims whose content or speaker holds this text."),
    source: Optional[str] = SourceOption,
    since: Optional[str] = SinceOption,
    until: Optional[str] = UntilOption,
    clusters: bool = typer.Option(False, "--clusters", help="Group what each speaker said across reports."),
    limit: int = LimitOption,
    offset: int = OffsetOption,
    format: str = FormatOption,
    db: Optional[str] = DbOption,
) -> None:
    """List who said what, with the evidence; dates are when it was said (else the report's).

    Example: sitroom claims --speaker Kirby --since 2024-10-01
    """
    from sitroom.console import print_claims, print_clusters

    filters = dict(speaker=speaker, entity=about, q=q, source=source, since=since, until=until, limit=limit,
                   offset=offset)
    if clusters:
        _list(db, lambda p: p.claim_clusters(**filters), format, print_clusters)
    else:
        _list(db, lambda p: p.claims(**filters), format, print_claims)


@app.command(rich_help_panel="Explore the picture")
def speakers(
    limit: int = LimitOption,
    offset: int = OffsetOption,
    format: str = FormatOption,
    db: Optional[str] = DbOption,
) -> None:
    """List speakers resolved across documents, most claims first.  Example: sitroom speakers --limit 20"""
    from sitroom.console import print_speakers

    _list(db, lambda p: p.speakers(limit=limit, offset=offset), format, print_speakers)


# -- how many ---------------------------------------------------------------------------------


@app.command(rich_help_panel="Explore the picture")
def figures(
    counts: Optional[str] = typer.Argument(None, help="Only tracks counting this (\"soldiers\" finds troops)."),
    entity: Optional[str] = EntityOption,
    happened: Optional[str] = typer.Option(None, "--happened", help="killed, wounded, casualties, displaced, "
                                           "delivered, present, captured, missing, destroyed or other."),
    since: Optional[str] = SinceOption,
    until: Optional[str] = UntilOption,
    conflicts: bool = typer.Option(False, "--conflicts", help="Only tracks where sources conflict."),
    limit: int = LimitOption,
    offset: int = OffsetOption,
    format: str = FormatOption,
    db: Optional[str] = DbOption,
) -> None:
    """List figure tracks: the values sources give for one counted thing, with evidence.

    Example: sitroom figures soldiers --entity "North Korea"
    """
    from sitroom.console import print_tracks

    _list(db, lambda p: p.figure_tracks(counts=counts, entity=entity, happened=happened, since=since, until=until,
                                        conflicts=conflicts, limit=limit, offset=offset), format, print_tracks)


# -- what happened, when and where ------------------------------------------------------------


@app.command(rich_help_panel="Explore the picture")
def events(
    type: Optional[str] = typer.Option(None, "--type", help="A PLOVER event type, e.g. MOBILIZE."),
    entity: Optional[str] = EntityOption,
    q: Optional[str] = typer.Option(None, "--q", help="Only events whose text or participants hold this text."),
    source: Optional[str] = SourceOption,
    since: Optional[str] = SinceOption,
    until: Optional[str] = UntilOption,
    limit: int = LimitOption,
    offset: int = OffsetOption,
    format: str = FormatOption,
    db: Optional[str] = DbOption,
) -> None:
    """List events one per report, in time order.  Example: sitroom events --type MOBILIZE"""
    from sitroom.console import print_events

    _list(db, lambda p: p.events(type=type, entity=entity, q=q, source=source, since=since, until=until,
                                 limit=limit, offset=offset), format, print_events)


@app.command(rich_help_panel="Explore the picture")
def timeline(
    type: Optional[str] = typer.Option(None, "--type", help="A PLOVER event type, e.g. MOBILIZE."),
    entity: Optional[str] = EntityOption,
    q: Optional[str] = typer.Option(None, "--q", help="Only events whose text or participants hold this text."),
    source: Optional[str] = SourceOption,
    since: Optional[str] = SinceOption,
    until: Optional[str] = UntilOption,
    limit: int = typer.Option(100, "--limit", min=1, help="Items per page."),
    offset: int = OffsetOption,
    format: str = FormatOption,
    db: Optional[str] = DbOption,
) -> None:
    """The timeline: events merged across reports, oldest first, each with its reports.

    Example: sitroom timeline --entity "North Korea" --since 2024-10-01
    """
    from sitroom.console import print_timeline

    _list(db, lambda p: p.timeline(type=type, entity=entity, q=q, source=source, since=since, until=until,
                                   limit=limit, offset=offset), format, print_timeline)


@app.command(rich_help_panel="Explore the picture")
def places(
    country: Optional[str] = typer.Option(None, "--country", help="An ISO country code, e.g. UA."),
    q: Optional[str] = typer.Option(None, "--q", help="Only places whose name holds this text."),
    entity: Optional[str] = EntityOption,
    source: Optional[str] = SourceOption,
    since: Optional[str] = SinceOption,
    until: Optional[str] = UntilOption,
    limit: int = typer.Option(200, "--limit", min=1, help="Items per page."),
    offset: int = OffsetOption,
    format: str = FormatOption,
    db: Optional[str] = DbOption,
) -> None:
    """List places with coordinates, most mentioned first.  Example: sitroom places --country RU"""
    from sitroom.console import print_places

    _list(db, lambda p: p.places(country=country, q=q, entity=entity, source=source, since=since, until=until,
                                 limit=limit, offset=offset), format, print_places)


# -- take it away, serve it --------------------------------------------------------------------


@app.command(rich_help_panel="Take it away")
def export(
    format: Optional[str] = typer.Option(None, "--format", help="An export format (see --list)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here instead of standard output."),
    filter: list[str] = typer.Option([], "--filter", help="NAME=VALUE, a filter of the exported list, e.g. country=UA."),
    list_formats: bool = typer.Option(False, "--list", help="List the formats, what each exports and its filters."),
    db: Optional[str] = DbOption,
) -> None:
    """Write the picture in an export format, filtered like the list it exports.

    Example: sitroom export --format geojson --filter country=RU -o places.geojson
    """
    from sitroom import export as exports

    if list_formats:
        for fmt in exports.formats():
            typer.echo(f"{fmt.name:<10} {fmt.list}: {fmt.description}")
            typer.echo(f"{'':<10} filters: {', '.join(exports.filter_names(fmt))}")
        return
    if not format:
        _fail("--format is needed (sitroom export --list shows the formats)")
    filters: dict[str, Any] = {}
    for pair in filter:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            _fail(f"--filter takes NAME=VALUE, not {pair!r}")
        filters[name.strip()] = value.lower() in ("1", "true", "yes") if name.strip() == "conflicts" else value
    picture = _picture(db)
    try:
        with _clear_error():
            exports.check_filters(exports.get(format), filters)
            if output is None:
                picture.export(format, sys.stdout, **filters)
            else:
                with output.open("w", encoding="utf-8") as out:
                    picture.export(format, out, **filters)
    finally:
        picture.close()


@app.command(rich_help_panel="Take it away")
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

    from sitroom.web.app import create_app

    store = _store(db)
    if examples and store.status(last_runs=0)["counts"]["documents"] == 0:
        from sitroom.console import ingest_progress
        from sitroom.bundled import example_items, load_examples

        with ingest_progress(sum(1 for _ in example_items())) as on_progress:
            typer.echo(f"loaded {load_examples(store, on_progress=on_progress)} example documents", err=True)
    typer.echo(f"serving {store.url} on http://{host}:{port}/ (API docs at /docs)", err=True)
    uvicorn.run(create_app(store=store, warm=True), host=host, port=port, log_level="warning")


# -- the picture's tables ------------------------------------------------------------------------

picture_app = typer.Typer(help="The picture kept in the store's tables: bring it up to date, rebuild it, see its state.",
                          no_args_is_help=True)
app.add_typer(picture_app, name="picture", rich_help_panel="Explore the picture")


def _picture_run(db: Optional[str], full: bool) -> None:
    from sitroom.picture import maintain
    from sitroom.store import StoreError

    store = _store(db)

    def said(report: Any) -> None:
        typer.echo(f"round {report.rounds}: {report.documents:,} documents taken in, {report.groups:,} groups "
                   f"derived, {report.seconds:.1f} s", err=True)

    try:
        with store.errors_as_store_error():
            report = (maintain.rebuild if full else maintain.update)(store, on_round=said)
    except StoreError as error:
        _fail(str(error))
    finally:
        store.close()
    typer.echo(json.dumps(report.to_dict()))


@picture_app.command("update")
def picture_update(db: Optional[str] = DbOption) -> None:
    """Take in the documents stored since the last update (ingest does this itself; for a store
    written by other means). Prints what it did as one JSON line.

    Example: sitroom picture update --db sqlite:///sitroom.db
    """
    _picture_run(db, full=False)


@picture_app.command("rebuild")
def picture_rebuild(db: Optional[str] = DbOption) -> None:
    """Derive the whole picture again from the stored records: for repairs, and after changing
    sitroom's picture code. Gives the picture the updates give. Prints one JSON line.

    Example: sitroom picture rebuild --db sqlite:///sitroom.db
    """
    _picture_run(db, full=True)


@picture_app.command("status")
def picture_status(db: Optional[str] = DbOption) -> None:
    """Whether the picture is up to date, how many documents wait, and how many items it holds.

    Example: sitroom picture status
    """
    from sitroom.store import picture_tables

    store = _store(db)
    try:
        with store.errors_as_store_error():
            typer.echo(json.dumps(picture_tables.state(store)))
    finally:
        store.close()


# -- measuring sitroom: eval and bench -------------------------------------------------------

eval_app = typer.Typer(help="Score the extractors on the public gold sets in the shared data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval", rich_help_panel="Measure sitroom")


def _gold_folder(data: Optional[Path], name: str) -> Path:
    """The gold standard's folder: as given, else ``<shared>/eval/<name>``."""
    return data if data is not None else settings.shared_dir() / "eval" / name


@eval_app.command("tempeval3")
def eval_tempeval3(
    data: Optional[Path] = typer.Option(None, help="The TempEval-3 folder (default: <shared>/eval/tempeval3)."),
    split: str = typer.Option("test", help="train (TimeBank + AQUAINT) or test (platinum)."),
    errors: bool = typer.Option(False, "--errors", help="Also list every missed, spurious or mis-normalized expression."),
) -> None:
    """Time expressions against TempEval-3: strict/relaxed span F1, type accuracy, value F1 (one JSON object).

    Example: sitroom eval tempeval3 --split test
    """
    from sitroom.eval.tempeval3 import evaluate, read_split

    folder = _gold_folder(data, "tempeval3")
    with _clear_error():
        documents = read_split(folder, split)
    typer.echo(json.dumps(evaluate(documents, with_errors=errors), ensure_ascii=False))


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
    from sitroom.eval.polnear import PolnearError, evaluate, to_json

    if split not in ("train", "dev", "test"):
        _fail("--split must be train, dev or test")
    if baseline not in (None, "textacy"):
        _fail("--baseline must be textacy")
    folder = _gold_folder(data, "polnear")
    with _clear_error(PolnearError):
        result = evaluate(folder, split, system=baseline or "sitroom", limit=limit)
    typer.echo(to_json(result))


@eval_app.command("geoparsing")
def eval_geoparsing(
    data: Optional[Path] = typer.Option(None, help="The geoparsing folder (default: <shared>/eval/geoparsing)."),
    corpus: str = typer.Option("gwn", help="gwn (GeoWebNews), lgl, trnews or geovirus."),
    limit: Optional[int] = typer.Option(None, min=1, help="Score only the first N articles."),
    errors: bool = typer.Option(False, "--errors", help="Also list every gold toponym resolved more than 161 km off."),
) -> None:
    """Places against a geoparsing gold set: recognition P/R/F1, accuracy within 161 km (one JSON object).

    Example: sitroom eval geoparsing --corpus lgl
    """
    from sitroom.eval.geoparsing import evaluate, read_corpus

    folder = _gold_folder(data, "geoparsing")
    with _clear_error():
        documents = read_corpus(folder, corpus)
    typer.echo(json.dumps(evaluate(documents[:limit], corpus=corpus, with_errors=errors), ensure_ascii=False))


@eval_app.command("newsquant")
def eval_newsquant(
    data: Optional[Path] = typer.Option(None, "--data", help="The NewsQuant folder (default: <shared>/eval/newsquant)."),
    test_set: str = typer.Option("NewsQuant", "--set", help="NewsQuant, or one of the unit sets: currency-model, "
                                 "dimension-model, temperature-model, age-model (value and unit only)."),
    baseline: Optional[str] = typer.Option(None, "--baseline", help="Score a baseline instead: quantulum3."),
    limit: Optional[int] = typer.Option(None, min=1, help="Only the first N sentences."),
) -> None:
    """Quantities on NewsQuant, scored with its published rules; prints one JSON object.

    Example: sitroom eval newsquant --data ../shared/eval/newsquant
    """
    from sitroom.eval.newsquant import evaluate

    with _clear_error(OSError, ValueError, RuntimeError):
        result = evaluate(data, system=baseline or "sitroom", limit=limit, test_set=test_set)
    typer.echo(json.dumps(result))


@eval_app.command("plover")
def eval_plover(
    data: Optional[Path] = typer.Option(None, "--data", help="The PLOVER folder (default: SITROOM_SHARED/eval/plover)."),
    split: str = typer.Option("test", "--split", help="all, dev (patterns tuned on it) or test (held out)."),
) -> None:
    """Event type accuracy, macro F1, actor and recipient agreement on the PLOVER GSR, and precision
    on the judged non-event news sentences of gold/event_sentences (dev and test), as one JSON object.

    Example: sitroom eval plover --data ../shared/eval/plover --split test
    """
    from sitroom.eval.plover import SPLITS, evaluate

    if split not in SPLITS:
        _fail(f"--split must be one of {', '.join(SPLITS)}")
    folder = _gold_folder(data, "plover")
    with _clear_error(FileNotFoundError, ValueError):
        result = evaluate(folder, split=split)
    typer.echo(json.dumps(result, ensure_ascii=False, indent=2))


@eval_app.command("identity")
def eval_identity(
    db: Optional[str] = typer.Option(None, "--db", help="A store of the Ukraine articles and the VOA stories "
                                     "(default: build one in a temporary file, about two minutes)."),
    split: str = typer.Option("dev", "--split", help="dev (rules were written against it), test (held out) or all."),
    errors: bool = typer.Option(False, "--errors", help="Also list every wrong merge and speaker."),
    top: bool = typer.Option(False, "--top", help="Also list the 100 most-mentioned entities with their types."),
) -> None:
    """Entity merges, types, speakers and near-duplicates against the identity gold (gold/identity).

    Example: sitroom eval identity --split test
    """
    import tempfile

    from sitroom.eval.identity import evaluate, top_entities
    from sitroom.picture import Picture

    shared = settings.shared_dir()
    with tempfile.TemporaryDirectory(prefix="sitroom-identity-") as folder:
        picture = Picture(_store(db or _ukraine_store(Path(folder), "eval identity")))
        with _clear_error():
            result = evaluate(picture, split=split, shared=shared if shared.is_dir() else None, with_errors=errors)
            if top:
                result["top_entities"] = top_entities(picture)
        picture.close()
    typer.echo(json.dumps(result, ensure_ascii=False, indent=2))


def _ukraine_store(folder: Path, command: str) -> str:
    """A store of the shared Ukraine war articles (dated by their file names) and the bundled VOA
    stories, built in ``folder``: what the identity and figure gold were drawn from."""
    from sitroom.batch import ingest as run_ingest

    articles = settings.shared_dir() / "corpus" / "ukraine-war-news" / "articles"
    if not articles.is_dir():
        _fail(f"no Ukraine articles at {articles} (set SITROOM_SHARED, or give --db)")
    db = f"sqlite:///{folder / 'evaluation.db'}"
    run_ingest([str(articles), str(settings.examples_dir() / "voa_stories.jsonl")], _store(db), command=command)
    return db


@eval_app.command("figures")
def eval_figures(
    db: Optional[str] = typer.Option(None, "--db", help="A store of the Ukraine articles and the VOA stories "
                                     "(default: build one in a temporary file, about two minutes)."),
    split: str = typer.Option("dev", "--split", help="dev (rules were written against it), test (held out) or all."),
    errors: bool = typer.Option(False, "--errors", help="Also list every wrong frame and pair."),
) -> None:
    """Figure frames (owner, what happened, scope, kind, time), junk, track purity and conflicts
    against the figure gold (gold/figures).

    Example: sitroom eval figures --split test
    """
    import tempfile

    from sitroom.eval.figures import evaluate
    from sitroom.picture import Picture

    with tempfile.TemporaryDirectory(prefix="sitroom-figures-") as folder:
        picture = Picture(_store(db or _ukraine_store(Path(folder), "eval figures")))
        with _clear_error():
            result = evaluate(picture, split=split, with_errors=errors)
        picture.close()
    typer.echo(json.dumps(result, ensure_ascii=False, indent=2))


@app.command(rich_help_panel="Measure sitroom")
def audit(
    kind: Optional[str] = typer.Option(None, "--kind", help="claims, events, quantities, times or places."),
    sample: int = typer.Option(60, "--sample", min=1, help="How many items to draw."),
    seed: int = typer.Option(1, "--seed", help="The seed of the draw (the same seed draws the same items)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write the sheet here (default: standard output)."),
    score: Optional[Path] = typer.Option(None, "--score", help="Print precision from this judged sheet instead."),
    strip: Optional[Path] = typer.Option(None, "--strip", help="Write this judged sheet without article text instead."),
    under: Optional[str] = typer.Option(None, "--under", help="Only documents ingested from under this folder or file."),
    db: Optional[str] = DbOption,
) -> None:
    """Precision on real reporting: draw a sheet of extracted items to judge (right, partly, wrong),
    or score a judged sheet.

    Example: sitroom audit --kind claims --sample 60 --seed 1 -o claims.csv;  sitroom audit --score claims.csv
    """
    from sitroom.eval.audit import documents_seen_under, read_sheet, sample_sheet, score_sheet, strip_sheet

    with _clear_error():
        if score is not None:
            typer.echo(json.dumps(score_sheet(read_sheet(score)), indent=2))
            return
        if strip is not None:
            rows = read_sheet(strip)
            if output is None:
                strip_sheet(rows, sys.stdout)
            else:
                with output.open("w", encoding="utf-8", newline="") as out:
                    strip_sheet(rows, out)
            return
        if kind is None:
            _fail("--kind is needed to draw a sheet (or --score / --strip a judged one)")
        store = _store(db)
        try:
            documents = documents_seen_under(store, under) if under else None
            if output is None:
                count = sample_sheet(store, kind, sample, seed, sys.stdout, documents)
            else:
                with output.open("w", encoding="utf-8", newline="") as out:
                    count = sample_sheet(store, kind, sample, seed, out, documents)
        finally:
            store.close()
        typer.echo(f"{count} {kind} drawn with seed {seed}", err=True)


@app.command(rich_help_panel="Measure sitroom")
def bench(
    docs: int = typer.Option(400, "--docs", min=1, help="How many documents."),
    workers: int = typer.Option(1, "--workers", min=1),
    cluster: Optional[str] = typer.Option(None, "--cluster", help="sitroom parses on this Dask cluster (local:N or "
                                          "tcp://HOST:PORT); spaCy gets one process per worker thread."),
    batch_size: int = typer.Option(settings.DEFAULT_BATCH_SIZE, "--batch-size", min=1),
    corpus: Optional[Path] = typer.Option(None, help="A folder or file to read (default: Reuters in the shared data, else the bundled VOA stories)."),
    api: bool = typer.Option(False, "--api", help="Instead: p50/p95 latency of the main API queries on the store --db."),
    db: Optional[str] = DbOption,
    per_query: int = typer.Option(40, "--per-query", min=1, help="With --api: requests per query kind."),
) -> None:
    """Full ingest path vs bare spaCy on the same documents; prints one JSON line.

    With --api, serves the store --db on a free 127.0.0.1 port and times the main API queries
    over real HTTP instead (build a large store first, e.g. sitroom ingest ../shared/corpus/reuters-21578).

    Example: sitroom bench --docs 400 --workers 2;  sitroom bench --docs 200 --cluster local:2;
    sitroom bench --api --db sqlite:///reuters.db
    """
    if api:
        from sitroom.bench.api import run as run_load_check
        from sitroom.store import normalize_url

        typer.echo(json.dumps(run_load_check(normalize_url(db), per_query=per_query)))
        return
    from sitroom.bench.ingest import run_bench
    from sitroom.cluster import ClusterError

    with _clear_error(OSError, ValueError, ClusterError):
        result = run_bench(docs=docs, workers=workers, batch_size=batch_size, corpus=corpus, cluster=cluster)
    typer.echo(json.dumps(result))


def main() -> None:  # pragma: no cover - console entry point
    app()
