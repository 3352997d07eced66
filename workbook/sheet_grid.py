"""One sheet of a workbook as the reader sees it: values by A1 cell, the formula texts when known,
the cell notes, and a way to get a formula cell's cached value."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .layouts.cells import cells_of, col_letters, split_cell


@dataclass
class SheetGrid:
    """One sheet as read: values by A1 cell; ``formulas`` None when unknown (values as displayed)."""

    values: dict[str, Any]
    formulas: dict[str, str] | None = None
    notes: dict[str, str] = field(default_factory=dict)  # cell → note text ("" when only its presence is known)
    cached: Callable[[str], Any] | None = None  # cached value of a formula cell, when it can be had
    notes_known: bool = True  # False: which cells carry notes is unknown (values alone)

    def get(self, cell: str) -> Any:
        """The value of a cell (None when empty; a formula cell's value only without formula info)."""
        return self.values.get(cell)

    def formula(self, cell: str) -> str | None:
        """The formula text of a cell, when formulas are known."""
        return None if self.formulas is None else self.formulas.get(cell)

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[Any]], formulas: Sequence[Sequence[Any]] | None = None,
                  notes: Mapping[str, str] | None = None) -> SheetGrid:
        """A grid from rows of values starting at A1 (and optional rows of formula texts)."""
        values: dict[str, Any] = {}
        for r, row in enumerate(rows or [], start=1):
            for c, value in enumerate(row or []):
                if value is not None and value != "":
                    values[f"{col_letters(c)}{r}"] = value
        found: dict[str, str] | None = None
        if formulas is not None:
            found = {}
            for r, row in enumerate(formulas, start=1):
                for c, text in enumerate(row or []):
                    if isinstance(text, str) and text.startswith("="):
                        found[f"{col_letters(c)}{r}"] = text
        return cls(values, found, dict(notes or {}), notes_known=notes is not None)


def grid_rows(grid: SheetGrid, columns: int) -> list[list[Any]]:
    """The first ``columns`` columns of a grid as rows of values from row 1."""
    last = max((split_cell(cell)[1] for cell in grid.values), default=0)
    if not last:
        return []
    return [[grid.get(cell) for cell in row] for row in cells_of(f"A1:{col_letters(columns - 1)}{last}")]
