"""What the CLI shows in a terminal: the ingest progress bar, run summaries and listings (rich)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

if TYPE_CHECKING:
    from sitroom.batch import IngestReport, ProgressCallback
    from sitroom.model import Extraction

console = Console()
MAX_LISTED_FAILURES = 30
errors = Console(stderr=True)


@contextmanager
def ingest_progress(expected: int, enabled: bool = True) -> Iterator["ProgressCallback | None"]:
    """A progress bar over about ``expected`` inputs: documents/s, errors, time left."""
    if not enabled:
        yield None
        return
    columns = (
        TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:.1f} docs/s"), TextColumn("[red]{task.fields[failed]} errors"),
        TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
    )
    with Progress(*columns, console=errors, transient=False) as progress:
        task = progress.add_task("ingest", total=max(expected, 1), rate=0.0, failed=0)
        started = progress.get_time()

        def update(report: "IngestReport") -> None:
            done = report.added + report.replaced + report.duplicates + report.failed
            elapsed = max(progress.get_time() - started, 1e-6)
            progress.update(task, completed=done, total=max(expected, done), rate=done / elapsed, failed=report.failed)

        yield update


def print_ingest_report(report: "IngestReport") -> None:
    c = report.counts()
    rate = (report.added + report.replaced) / report.seconds if report.seconds else 0.0
    console.print(
        f"run {report.run_id}: {c['seen']} documents read, {c['added']} added, {c['replaced']} replaced, "
        f"{c['duplicates']} already known, {c['near_duplicates']} near-duplicates linked, "
        f"{c['failed']} skipped or failed — {report.seconds:.1f} s, {rate:.1f} docs/s"
    )
    for location, note in report.notes:
        console.print(f"  note  {escape(location)}: {escape(note)}")
    if report.failures:
        table = Table("input", "why it was skipped", title=f"{len(report.failures)} inputs skipped or failed")
        for location, reason in report.failures[:MAX_LISTED_FAILURES]:
            table.add_row(escape(location), escape(reason))
        console.print(table)
    if len(report.failures) > MAX_LISTED_FAILURES:
        by_reason = Counter(_reason_kind(reason) for _, reason in report.failures)
        console.print(f"{len(report.failures) - MAX_LISTED_FAILURES} more; all of them by reason "
                      f"(every one is kept: sitroom status --all-failures):")
        for kind, count in by_reason.most_common():
            console.print(f"  {count:>6}  {escape(kind)}")


def _reason_kind(reason: str) -> str:
    """A reason without its particulars (line numbers, sizes), for grouping."""
    return reason.split(":")[0].strip()


def print_status(status: dict[str, Any], show_all: bool = False) -> None:
    console.print(f"store {escape(status['url'])}")
    counts = Table("what", "count")
    for name, value in status["counts"].items():
        counts.add_row(name, str(value))
    console.print(counts)
    for run in status["runs"]:
        console.print(
            f"run {run['id']}  {run['started_at']}  {escape(run['command'][:80])}\n"
            f"    {run['seen']} read, {run['added']} added, {run['replaced']} replaced, {run['duplicates']} known, "
            f"{run['near_duplicates']} near-dup, {run['failed']} failed"
            + (f", {run['seconds']:.1f} s" if run["seconds"] else ", unfinished")
        )
        if run.get("error"):
            console.print(f"    [red]the run failed:[/red] {escape(run['error'])}")
        for failure in run["failures"][:MAX_LISTED_FAILURES] if not show_all else run["failures"]:
            console.print(f"    [red]failed[/red] {escape(failure['location'])}: {escape(failure['reason'])}")
        hidden = 0 if show_all else len(run["failures"]) - MAX_LISTED_FAILURES
        if hidden > 0:
            console.print(f"    … and {hidden} more (sitroom status --all-failures)")


def _footer(page: dict[str, Any], noun: str) -> None:
    """How many there are and which ones were shown, with the option for the next page."""
    shown = len(page["items"])
    if not page["total"]:
        console.print(f"no {noun} match")
        return
    line = f"{page['offset'] + 1}-{page['offset'] + shown} of {page['total']} {noun}"
    if page["offset"] + shown < page["total"]:
        line += f" (next: --offset {page['offset'] + shown})"
    console.print(f"[dim]{escape(line)}[/dim]")


def _where(evidence: dict[str, Any] | None) -> str:
    if not evidence:
        return ""
    return f"{evidence['document_id']}[{evidence['start']}:{evidence['end']}]"


def print_search(page: dict[str, Any]) -> None:
    for row in page["items"]:
        console.print(f"[bold]{row['id']}[/bold] {row['published'] or '-'} {escape(row['title'] or '(untitled)')}")
        console.print(f"    {escape(' '.join((row['snippet'] or '').split()))}")
    _footer(page, "documents")


def print_documents(page: dict[str, Any]) -> None:
    for row in page["items"]:
        near = f"  (near-duplicate of {row['near_duplicate_of']})" if row.get("near_duplicate_of") else ""
        console.print(f"[bold]{row['id']}[/bold] {row['published'] or '-':<10} {escape(row['source'] or '-')}: "
                      f"{escape(row['title'] or '(untitled)')}{near}")
    _footer(page, "documents")


def print_entities(page: dict[str, Any]) -> None:
    table = Table("name", "type", "documents", "mentions", "also written", "key")
    for row in page["items"]:
        aliases = ", ".join(row["aliases"][:4]) + (" …" if len(row["aliases"]) > 4 else "")
        table.add_row(escape(row["name"]), row["type"], str(row["documents"]), str(row["mentions"]), escape(aliases),
                      row["key"])
    if page["items"]:
        console.print(table)
    _footer(page, "entities")


def print_claims(page: dict[str, Any]) -> None:
    for c in page["items"]:
        stance = f" [{c['stance']}]" if c.get("stance") else ""
        console.print(f"{c.get('said_on') or '????-??-??'}  {escape(c['speaker'] or '?')} {escape(c['cue'] or '')}"
                      f"{escape(stance)}: {escape(c['content'] or '')}", highlight=False)
        console.print(f"    ({c['kind']}; {_where(c['evidence'])}  {escape(c['evidence']['document_title'] or '')})",
                      highlight=False)
    _footer(page, "claims")


def print_clusters(page: dict[str, Any]) -> None:
    for c in page["items"]:
        console.print(f"{c['first_said'] or '????-??-??'}  {escape(c['speaker'] or '?')}: {escape(c['content'])}",
                      highlight=False)
        console.print(f"    {len(c['appearances'])} report(s) in {c['documents']} document(s), "
                      f"{c['independent_sources']} independent source(s): "
                      + ", ".join(_where(a["evidence"]) for a in c["appearances"][:5]), highlight=False)
    _footer(page, "claim clusters")


def print_speakers(page: dict[str, Any]) -> None:
    table = Table("speaker", "claims", "documents", "key")
    for row in page["items"]:
        table.add_row(escape(row["name"] or "?"), str(row["claims"]), str(row["documents"]), row["key"])
    if page["items"]:
        console.print(table)
    _footer(page, "speakers")


def print_tracks(page: dict[str, Any]) -> None:
    from sitroom.picture.figures import describe

    for track in page["items"]:
        flag = "  [red]conflict[/red]" if track["conflict"] else ""
        spread = track.get("spread")
        spread_text = (f"; spread {spread['low']:,g}-{spread['high']:,g} from {spread['sources']} source(s)"
                       if spread else "")
        console.print(f"[bold]{escape(track['label'])}[/bold]  {len(track['points'])} value(s) from "
                      f"{len(track['sources'])} source(s){spread_text}{flag}")
        for p in track["points"]:
            mark = " CONFLICT" if p["conflict"] else ""
            plan = f" by {p['target']}" if p.get("target") else ""
            console.print(f"  {p.get('refers_to') or p['date'] or '????-??-??'}  {describe(p):<24} {p['kind']}{plan:<9} "
                          f"{escape(p['source'] or '?')}{mark}  {_where(p['evidence'])}", highlight=False)
            console.print(f"      {escape(p['evidence']['sentence'] or '')}", highlight=False)
        for conflict in track.get("conflicts", []):
            console.print(f"  [red]conflict:[/red] {escape(conflict['why'])}", highlight=False)
    _footer(page, "figure tracks")


def _participants(item: dict[str, Any]) -> str:
    def names(people: list[Any]) -> str:
        return ", ".join(p["name"] if isinstance(p, dict) else p for p in people)

    who, whom = names(item.get("actors") or []) or "?", names(item.get("recipients") or [])
    return who + (f" -> {whom}" if whom else "")


def print_events(page: dict[str, Any]) -> None:
    for e in page["items"]:
        extras = "; ".join(x for x in (f"at {e['location']}" if e.get("location") else "",
                                       f"size {e['quantity']}" if e.get("quantity") else "",
                                       f"claim {e['claim_id']}" if e.get("claim_id") else "") if x)
        console.print(f"{e['date'] or '????-??-??'}  {e['type']:<9} {e['modality']:<12} {escape(_participants(e))}"
                      f"{'  (' + escape(extras) + ')' if extras else ''}", highlight=False)
        console.print(f"    \"{escape(e['text'] or '')}\"  [{_where(e['evidence'])}]", highlight=False)
    _footer(page, "events")


def print_timeline(page: dict[str, Any]) -> None:
    for e in page["items"]:
        basis = " (reported on)" if e["date_basis"] == "published" else ""
        basis += " background" if e.get("background") else ""
        console.print(f"{e['date'] or '????-??-??'}{basis}  {e['type']:<9} {e['modality']:<12} "
                      f"{escape(_participants(e))}  {len(e['reports'])} report(s), "
                      f"{e['independent_sources']} independent source(s)", highlight=False)
        console.print(f"    \"{escape(e['summary'] or '')}\"  [{_where(e['reports'][0]['evidence'])}]", highlight=False)
    _footer(page, "timeline entries")


def print_places(page: dict[str, Any]) -> None:
    table = Table("place", "country", "lat", "lon", "mentions", "documents")
    for row in page["items"]:
        table.add_row(escape(row["name"] or "?"), row["country_code"] or "", _coordinate(row["lat"]),
                      _coordinate(row["lon"]), str(row["mentions"]), str(row["documents"]))
    if page["items"]:
        console.print(table)
    _footer(page, "places")


def _coordinate(value: float | None) -> str:
    return f"{value:.4f}" if value is not None else ""


def extraction_as_text(found: "Extraction") -> str:
    """One extraction for a terminal: the document header, then one line per record, by kind."""
    from sitroom import kinds

    d = found.document
    lines = [f"document {d.id}  published={d.published or '-'}  source={d.source or '-'}  language={d.language or '-'}"]
    if d.title:
        lines.append(f"  {d.title}")
    for e in found.entities:
        roles = f"  roles: {'; '.join(e.roles)}" if e.roles else ""
        lines.append(f"entity   {e.id:>5} {e.type:<6} {e.name}  ({len(e.mentions)} mentions){roles}")
    for c in found.claims:
        lines.append(f"claim    {c.id:>5} {c.speaker.name} [{c.cue.text}] {c.kind}: {c.content.text}")
    for q in found.quantities:
        lines.append(f"figure   {q.text!r} value={q.value} bound={q.bound} unit={q.unit or '-'} counts={q.counts or '-'}")
    for t in found.times:
        lines.append(f"time     {t.text!r} {t.type} {t.value}{' ' + t.mod if t.mod else ''}")
    for p in found.places:
        lines.append(f"place    {p.text!r} {p.name} [{p.country_code or '-'}] {p.lat},{p.lon}")
    for v in found.events:
        actors = ", ".join(a.name for a in v.actors)
        lines.append(f"event    {v.id:>5} {v.type} ({v.modality}) {actors}: {v.text}")
    for name, records in found.extra.items():  # kinds registered by plugins
        if name in kinds.names():
            lines.extend(f"{name:<8} {record!r}" for record in records)
    lines.extend(f"note     {n}" for n in found.notes)
    return "\n".join(lines)
