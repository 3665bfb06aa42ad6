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
        for failure in run["failures"][:MAX_LISTED_FAILURES] if not show_all else run["failures"]:
            console.print(f"    [red]failed[/red] {escape(failure['location'])}: {escape(failure['reason'])}")
        hidden = 0 if show_all else len(run["failures"]) - MAX_LISTED_FAILURES
        if hidden > 0:
            console.print(f"    … and {hidden} more (sitroom status --all-failures)")


def print_search(rows: list[dict[str, Any]]) -> None:
    if not rows:
        console.print("no match")
    for row in rows:
        console.print(f"[bold]{row['id']}[/bold] {row['published'] or '-'} {escape(row['title'] or '(untitled)')}")
        console.print(f"    {escape(' '.join((row['snippet'] or '').split()))}")


def print_entities(rows: list[dict[str, Any]]) -> None:
    table = Table("name", "type", "documents", "mentions")
    for row in rows:
        table.add_row(escape(row["name"]), row["type"], str(row["documents"]), str(row["mentions"]))
    console.print(table)
