"""Exports: the picture in the formats analysts take it away in.

A format is one module that registers an ``ExportFormat``: its name, media type and file
suffix, the read-API list it exports (whose filters it takes: "places" takes ``country``,
``entity``, ``since``...), and a ``write(picture, out, filters)`` function that streams it
to a text file. ``export`` walks the list page by page, so a large store is never held in
memory. A new format is one module and one ``register`` call (docs/extending.md).
"""

from __future__ import annotations

import inspect
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from sitroom.picture.api import BadRequest

if TYPE_CHECKING:
    from sitroom.picture import Picture

PAGE_SIZE = 500
# The read-API list each format may export, by name of its Picture method.
LISTS = ("documents", "entities", "claims", "claim_clusters", "speakers", "figure_tracks", "events", "timeline",
         "places")


@dataclass(frozen=True)
class ExportFormat:
    """One export format."""

    name: str
    media_type: str
    suffix: str
    list: str
    write: Callable[["Picture", IO[str], dict[str, Any]], None]
    description: str = ""


_FORMATS: dict[str, ExportFormat] = {}


def register(fmt: ExportFormat) -> ExportFormat:
    """Add (or replace) a format."""
    if fmt.list not in LISTS:
        raise ValueError(f"export format {fmt.name!r}: list must be one of {', '.join(LISTS)}, not {fmt.list!r}")
    _FORMATS[fmt.name] = fmt
    return fmt


def unregister(name: str) -> None:
    _FORMATS.pop(name, None)


def formats() -> list[ExportFormat]:
    """Every registered format, by name."""
    from sitroom.plugins import load_plugins

    load_plugins()
    return sorted(_FORMATS.values(), key=lambda f: f.name)


def get(name: str) -> ExportFormat:
    known = {f.name: f for f in formats()}
    if name not in known:
        raise BadRequest(f"no export format {name!r}; known: {', '.join(known)}")
    return known[name]


def filter_names(fmt: ExportFormat) -> list[str]:
    """The filters a format takes: those of the list it exports."""
    from sitroom.picture import Picture

    parameters = inspect.signature(getattr(Picture, fmt.list)).parameters
    return [name for name, p in parameters.items() if p.kind is p.KEYWORD_ONLY and name not in ("limit", "offset")]


def check_filters(fmt: ExportFormat, filters: dict[str, Any]) -> dict[str, Any]:
    """The filters without empty values; an unknown filter is a clear error."""
    allowed = filter_names(fmt)
    unknown = sorted(set(filters) - set(allowed))
    if unknown:
        raise BadRequest(f"format {fmt.name!r} exports {fmt.list}, which takes {', '.join(allowed)}; "
                         f"not {', '.join(unknown)}")
    return {name: value for name, value in filters.items() if value not in (None, "", False)}


def each(picture: "Picture", list_name: str, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every item of a read-API list, a page at a time."""
    ask = getattr(picture, list_name)
    offset = 0
    while True:
        found = ask(**filters, limit=PAGE_SIZE, offset=offset)
        yield from found["items"]
        offset += len(found["items"])
        if not found["items"] or offset >= found["total"]:
            return


def export(picture: "Picture", format: str, out: IO[str] | None = None, **filters: Any) -> str | None:
    """Write the picture as ``format`` to ``out``; without ``out``, return it as a string."""
    fmt = get(format)
    chosen = check_filters(fmt, filters)
    if out is not None:
        fmt.write(picture, out, chosen)
        return None
    buffer = io.StringIO()
    fmt.write(picture, buffer, chosen)
    return buffer.getvalue()


# The formats that ship with sitroom register themselves.
from sitroom.export import (  # noqa: E402, F401
    claims_jsonld,
    csv_tables,
    ftm,
    geojson,
    jsonl,
    plover,
    stix,
    timelinejs,
    web_annotations,
)
