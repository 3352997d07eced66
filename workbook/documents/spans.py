"""Assemble a grid from cells that carry row and column spans (every reader's shared step).

A cell placed with spans writes its text at its top-left position and ``None`` at every other
position it covers: the corpus grid convention of :mod:`xlfuncs.grid`. Positions nothing was
placed on are holes: at the end of a row they are dropped (the row is short, as a cut-off or
ragged table is), inside a row they read ``None`` (there is no cell there to be empty).
"""

from __future__ import annotations

from pathlib import Path

from xlfuncs.grid import Cell

from .limits import CellBudget, check_span

_HOLE = object()


class SpanGrid:
    """A growing grid of cells placed with spans."""

    def __init__(self, path: Path, budget: CellBudget, where: str = "") -> None:
        self._rows: list[list[object]] = []
        self._path = path
        self._budget = budget
        self._where = where

    def _ensure(self, row: int, col: int) -> None:
        while len(self._rows) <= row:
            self._rows.append([])
        line = self._rows[row]
        if len(line) <= col:
            self._budget.take(col + 1 - len(line))
            line.extend([_HOLE] * (col + 1 - len(line)))

    def is_free(self, row: int, col: int) -> bool:
        """Whether nothing has been placed on or over ``row``, ``col`` yet."""
        return row >= len(self._rows) or col >= len(self._rows[row]) or self._rows[row][col] is _HOLE

    def next_free(self, row: int, col: int) -> int:
        """The first free column at or after ``col`` in ``row`` (HTML places cells this way)."""
        while not self.is_free(row, col):
            col += 1
        return col

    def place(self, row: int, col: int, text: str, rowspan: int = 1, colspan: int = 1) -> None:
        """Put ``text`` at ``row``, ``col`` and mark the rest of its span as covered."""
        rowspan, colspan = max(rowspan, 1), max(colspan, 1)
        if rowspan > 1 or colspan > 1:
            check_span(self._path, self._where, rowspan, colspan)
        for r in range(row, row + rowspan):
            self._ensure(r, col + colspan - 1)
            for c in range(col, col + colspan):
                if r == row and c == col:
                    self._rows[r][c] = text
                elif self._rows[r][c] is _HOLE:
                    self._rows[r][c] = None

    def cover(self, row: int, col: int) -> None:
        """Mark one position as covered by a merged cell placed elsewhere (Word's vMerge continue)."""
        self._ensure(row, col)
        if self._rows[row][col] is _HOLE:
            self._rows[row][col] = None

    def append_text(self, row: int, col: int, text: str) -> None:
        """Add text to the cell at ``row``, ``col`` on a new line (text found in a covered cell)."""
        current = self._rows[row][col]
        if isinstance(current, str):
            self._rows[row][col] = f"{current}\n{text}" if current else text

    def anchor_above(self, row: int, col: int) -> tuple[int, int] | None:
        """The nearest text-holding position straight above ``row``, ``col`` (a vertical merge's top)."""
        for r in range(row - 1, -1, -1):
            if col < len(self._rows[r]) and isinstance(self._rows[r][col], str):
                return r, col
        return None

    def rows(self) -> list[list[Cell]]:
        """The grid: holes at a row's end dropped, holes inside a row as ``None``."""
        out: list[list[Cell]] = []
        for line in self._rows:
            end = len(line)
            while end and line[end - 1] is _HOLE:
                end -= 1
            out.append([None if cell is _HOLE else cell for cell in line[:end]])  # type: ignore[misc]
        return out


def sheet_rows(path: Path, budget: CellBudget, where: str, cells: dict[tuple[int, int], str],
               row_ends: dict[int, int], merges: list[tuple[int, int, int, int]],
               content: set[tuple[int, int]] | frozenset = frozenset()) -> list[list[Cell]]:
    """A spreadsheet's used area as grid rows.

    ``cells`` maps 0-based (row, col) of every cell present in the file to its shown text ("" when
    it holds no value); ``row_ends`` gives each row's end (one past its last cell present);
    ``merges`` are (min_row, min_col, max_row, max_col), 1-based inclusive; ``content`` lists cells
    that count as content though they show no text (formulas saved without a result). The used
    area runs to the last cell holding text or content, or the last merged range; a row ends at its last cell present, and
    a position inside a row that the file has no cell for is an empty cell ("").
    """
    last_row = last_col = 0
    for (r, c), text in cells.items():
        if text or (r, c) in content:
            last_row, last_col = max(last_row, r + 1), max(last_col, c + 1)
    for _, _, max_row, max_col in merges:
        last_row, last_col = max(last_row, max_row), max(last_col, max_col)
    if not last_row:
        return []
    grid = SpanGrid(path, budget, where)
    for min_row, min_col, max_row, max_col in merges:
        top, left = min_row - 1, min_col - 1
        grid.place(top, left, cells.get((top, left), ""), max_row - min_row + 1, max_col - min_col + 1)
    for (r, c), text in cells.items():
        if r < last_row and c < last_col and grid.is_free(r, c):
            grid.place(r, c, text)
    for r in range(last_row):
        for c in range(min(row_ends.get(r, 0), last_col)):
            if grid.is_free(r, c):
                grid.place(r, c, "")
    return grid.rows()[:last_row]
