"""Record kinds: what one extractor finds, where it is stored, and how the reader shows it.

A kind is registered once, and every layer reads the registry instead of naming kinds
itself: the pipeline runs each kind's extractor, ``Extraction.to_dict`` writes its list, the
store gives it a table (``document_id``, ``idx``, ``start``, ``end``, the queried columns, and
the whole record as JSON in ``data``), and the reader highlights its spans. The six kinds of
the extraction contract are registered in ``sitroom.kinds.builtin``; a new extractor is one
module and one ``register`` call (docs/extending.md).

Plugins (``sitroom.plugins``) are imported the first time the registry is read.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sitroom.model import CONTRACT_LISTS, register_nested


@dataclass(frozen=True)
class Mark:
    """One span the document reader highlights: its CSS kind, anchor id and description."""

    start: int
    end: int
    kind: str
    anchor: str
    tip: str
    css: str = ""


@dataclass(frozen=True)
class RecordKind:
    """One kind of extracted record.

    - ``name``: the ``Extraction`` list, the contract key and the store table;
    - ``record``: its dataclass;
    - ``extract``: ``(doc, found) -> list[record]``, or ``"module:function"`` imported when the
      pipeline first runs (so the store and the web app never import spaCy);
    - ``stage``: pipeline order, lowest first (a kind may use what earlier stages found);
    - ``columns``: the queried columns, name -> SQLAlchemy type (the rest lives in ``data``);
      ``row`` gives their values for one record (default: the record's attributes of those names);
    - ``indexes``: columns to index; ``required``: columns that may not be NULL;
    - ``marks``: the reader view, ``(records) -> list[Mark]``; ``legend``: (mark kind, meaning);
    - ``nested``: record fields holding other dataclasses, so stored JSON reads back as records.
    """

    name: str
    record: type
    extract: Callable[[Any, Any], list] | str
    stage: int = 100
    columns: dict[str, Any] = field(default_factory=dict)
    row: Callable[[Any], dict[str, Any]] | None = None
    indexes: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    marks: Callable[[list[Any]], list[Mark]] | None = None
    legend: tuple[tuple[str, str], ...] = ()
    nested: dict[str, type] = field(default_factory=dict)

    def extractor(self) -> Callable[[Any, Any], list]:
        """The extractor function, imported on first use when given as ``"module:function"``."""
        if callable(self.extract):
            return self.extract
        module, _, name = self.extract.partition(":")
        return getattr(importlib.import_module(module), name)

    def column_values(self, record: Any) -> dict[str, Any]:
        """The values of ``start``, ``end`` and the queried columns for one record."""
        values = {"start": getattr(record, "start", None), "end": getattr(record, "end", None)}
        if self.row is not None:
            values.update(self.row(record))
        else:
            values.update({name: getattr(record, name, None) for name in self.columns})
        return values


_KINDS: dict[str, RecordKind] = {}


def register(kind: RecordKind) -> RecordKind:
    """Add (or replace) a kind. Its table is created the next time a store opens or saves."""
    if kind.name not in CONTRACT_LISTS:
        _load_plugins()  # the contract's kinds come first, whoever registers first
    if not dataclasses.is_dataclass(kind.record):
        raise TypeError(f"record kind {kind.name!r}: {kind.record!r} is not a dataclass")
    reserved = {"document", "notes", "error", "extra",  # Extraction's own fields
                "documents", "appearances", "runs", "failures", "entity_corrections"}  # the store's tables
    if kind.name in reserved or not kind.name.isidentifier():
        raise ValueError(f"record kind name {kind.name!r} is reserved or not an identifier")
    _KINDS[kind.name] = kind
    register_nested(kind.record, kind.nested)
    return kind


def unregister(name: str) -> None:
    """Remove a kind (a plugin's tests clean up with it); its stored rows are left alone."""
    _KINDS.pop(name, None)


def _load_plugins() -> None:
    import sitroom.kinds.builtin  # noqa: F401 - registers the six contract kinds first
    from sitroom.plugins import load_plugins

    load_plugins()


def all_kinds() -> list[RecordKind]:
    """Every registered kind, in registration order (the contract's order comes first)."""
    _load_plugins()
    return list(_KINDS.values())


def names() -> list[str]:
    return [kind.name for kind in all_kinds()]


def get(name: str) -> RecordKind:
    import sitroom.kinds.builtin  # noqa: F401 - the contract's kinds need no plugin loading

    if name not in _KINDS:
        _load_plugins()
    try:
        return _KINDS[name]
    except KeyError:
        raise KeyError(f"no record kind {name!r}; known: {', '.join(_KINDS)}") from None


def pipeline_order() -> list[RecordKind]:
    """The kinds in the order their extractors run."""
    return sorted(all_kinds(), key=lambda kind: kind.stage)


def legend() -> list[tuple[str, str]]:
    """(mark kind, meaning) for every kind, for the reader's key."""
    seen: dict[str, str] = {}
    for kind in all_kinds():
        for mark_kind, meaning in kind.legend:
            seen.setdefault(mark_kind, meaning)
    return list(seen.items())


def marks(found: Any) -> list[Mark]:
    """Every highlighted span of one extraction, from every kind's reader view."""
    out: list[Mark] = []
    for kind in all_kinds():
        if kind.marks is not None:
            out.extend(kind.marks(found.records(kind.name)))
    return out
