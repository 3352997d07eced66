"""One sheet of a workbook as the reader sees it: values by A1 cell, the formula texts when known,
the cell notes, a way to get a formula cell's cached value, and the cells that could not be read;
and :class:`SheetSource`, the sheets of a workbook by name, each read when first used."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .layouts.cells import col_index, col_letters, split_cell


@dataclass
class SheetGrid:
    """One sheet as read: values by A1 cell; ``formulas`` None when unknown (values as displayed)."""

    values: dict[str, Any]
    formulas: dict[str, str] | None = None
    notes: dict[str, str] = field(default_factory=dict)  # cell → note text ("" when only its presence is known)
    cached: Callable[[str], Any] | None = None  # cached value of a formula cell, when it can be had
    notes_known: bool = True  # False: which cells carry notes is unknown (values alone)
    problems: dict[str, str] = field(default_factory=dict)  # cell → why its content cannot be read
    bad_refs: list[str] = field(default_factory=list)  # addresses in the file that are no cell

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


class SheetSource(Mapping[str, SheetGrid]):
    """The sheets of a workbook by name, in the workbook's order; a sheet is read when first used.

    ``load(name)`` reads a whole sheet; ``head(name, rows)`` (when given) reads only its first rows,
    for a look at a sheet the reader may not need (an extra sheet of a million rows costs nothing).
    """

    def __init__(self, names: Sequence[str], load: Callable[[str], SheetGrid],
                 head: Callable[[str, int], SheetGrid] | None = None, close: Callable[[], None] | None = None) -> None:
        self._names = list(dict.fromkeys(names))
        self._load, self._head, self._close = load, head, close
        self._read: dict[str, SheetGrid] = {}

    def close(self) -> None:
        """Let go of the file the sheets are read from (sheets read so far stay usable)."""
        if self._close is not None:
            self._close()

    @classmethod
    def of(cls, grids: Mapping[str, SheetGrid | Sequence[Sequence[Any]]]) -> SheetSource:
        """Sheets already in memory (grids, or rows of values from A1)."""
        if isinstance(grids, SheetSource):
            return grids
        ready = {name: g if isinstance(g, SheetGrid) else SheetGrid.from_rows(g) for name, g in grids.items()}
        return cls(list(ready), ready.__getitem__)

    def __getitem__(self, name: str) -> SheetGrid:
        if name not in self._read:
            if name not in self._names:
                raise KeyError(name)
            self._read[name] = self._load(name)
        return self._read[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def head(self, name: str, rows: int) -> SheetGrid:
        """The sheet's first ``rows`` rows at least (the whole sheet when it was read already)."""
        if name in self._read or self._head is None:
            return self[name]
        return self._head(name, rows)


def grid_rows(grid: SheetGrid, columns: int) -> list[Sequence[Any]]:
    """The first ``columns`` columns of a grid as rows of values from row 1 (rows with nothing in
    those columns are one shared empty tuple, so a stray cell a million rows down costs little)."""
    found: dict[int, list[Any]] = {}
    for cell, value in grid.values.items():
        column, row = split_cell(cell)
        index = col_index(column)
        if index < columns:
            found.setdefault(row, [None] * columns)[index] = value
    if not found:
        return []
    empty: tuple[Any, ...] = ()
    rows: list[Sequence[Any]] = [empty] * max(found)
    for row, values in found.items():
        rows[row - 1] = values
    return rows
