"""Plugins: modules that register record kinds (``sitroom.kinds``) or export formats
(``sitroom.export``) when imported.

They are found in the ``sitroom.plugins`` entry-point group of installed packages and in the
comma-separated module names of ``SITROOM_PLUGINS``, and imported once, the first time a
registry is read.
"""

from __future__ import annotations

import importlib
import os
from importlib.metadata import entry_points

_loaded = False


def load_plugins() -> None:
    """Import every plugin module once (a plugin that fails to import is a clear error)."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    for entry in entry_points(group="sitroom.plugins"):
        entry.load()
    for module in filter(None, (m.strip() for m in os.environ.get("SITROOM_PLUGINS", "").split(","))):
        try:
            importlib.import_module(module)
        except ImportError as error:
            raise ImportError(f"SITROOM_PLUGINS names {module!r}, which cannot be imported: {error}") from error
