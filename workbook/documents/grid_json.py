"""Grid JSON (the corpus format, ``tests/corpus/FORMAT.md``) → :class:`~xlfuncs.grid.Document`.

The format is read in one place, :mod:`xlfuncs.recognise.gridjson` (one table object, a list of
them or ``{"tables": [...]}``; cells text or null, numbers kept as the text they print; sizes
bounded); this reader only names the document by its file name, counts its cells against the
document budget and says what is wrong in the readers' words.
"""

from __future__ import annotations

from pathlib import Path

from xlfuncs.filing import FilingError
from xlfuncs.grid import Document
from xlfuncs.recognise.gridjson import GridError, load_grid_json

from .limits import CellBudget


def read_grid_json(path: Path, budget: CellBudget) -> Document:
    """Read a grid JSON file (one table object or a list of them)."""
    try:
        document = load_grid_json(path, path.name)
    except GridError as exc:
        raise FilingError(str(exc)) from None
    for table in document.tables:
        budget.take(sum(len(row) for row in table.rows))
    return document
