"""The rows the recogniser walks: cells with their origin, and tables joined when a page break
split one form over two grids."""

from __future__ import annotations

from dataclasses import dataclass

from ..grid import Cell, Table
from .fold import fold


@dataclass(frozen=True)
class Origin:
    """Where a row came from: file, 1-based table number, 0-based row, sheet."""

    file: str
    table: int
    row: int
    sheet: str | None = None

    def cell(self, col: int) -> dict[str, object]:
        """The trace entry of one cell of this row (1-based row and column, as the contract says);
        a line taken from a paragraph above the table (``table`` 0) names the paragraph instead."""
        if self.table == 0:
            return {"file": self.file, "paragraph": self.row + 1}
        entry: dict[str, object] = {"file": self.file, "table": self.table, "row": self.row + 1, "col": col + 1}
        if self.sheet:
            entry["sheet"] = self.sheet
        return entry


@dataclass
class Row:
    """One grid row: cells as found and where the row came from."""

    cells: list[Cell]
    origin: Origin

    def text(self, col: int) -> str | None:
        """The cell at ``col`` (None when covered by a merge or past the row's end)."""
        return self.cells[col] if 0 <= col < len(self.cells) else None

    def filled(self) -> list[tuple[int, str]]:
        """(column, text) of every cell holding more than whitespace."""
        return [(c, t) for c, t in enumerate(self.cells) if t is not None and t.strip()]

    def present(self) -> list[tuple[int, str]]:
        """(column, text) of every cell that is there (not covered by a merge), empty or not."""
        return [(c, t) for c, t in enumerate(self.cells) if t is not None]

    def span_end(self, col: int) -> int:
        """The last column a cell at ``col`` covers to its right (merged cells are None)."""
        end = col
        while end + 1 < len(self.cells) and self.cells[end + 1] is None:
            end += 1
        return end

    @property
    def width(self) -> int:
        """Number of cells in the row."""
        return len(self.cells)

    @property
    def is_blank(self) -> bool:
        """True when no cell holds anything."""
        return not self.filled()


@dataclass
class Grid:
    """The rows of one form (one table, or several tables joined) and the table's own facts."""

    rows: list[Row]
    source: str
    index: int  # number of the first table
    sheet: str | None
    complete: bool
    caption: str
    meta: dict[str, object]

    @property
    def width(self) -> int:
        """Widest row."""
        return max((r.width for r in self.rows), default=0)


def grid_of(table: Table) -> Grid:
    """A document table as rows with their origins."""
    rows = [Row(list(cells), Origin(table.source, table.index, r, table.sheet)) for r, cells in enumerate(table.rows)]
    return Grid(rows, table.source, table.index, table.sheet, table.complete, table.caption, dict(table.meta))


def append(grid: Grid, table: Table) -> None:
    """Add the rows of ``table`` (a continuation) to ``grid``."""
    grid.rows += grid_of(table).rows
    grid.complete = grid.complete and table.complete


def looks_titled(table: Table) -> bool:
    """True when a table opens like a form of its own: a title, a 项目名称/部门 line or a funds block."""
    for cells in table.rows[:6]:
        for text in cells:
            key = fold(text)
            if any(word in key for word in ("自评表", "自评报告", "评价表", "目标表")) or key.startswith(
                    ("项目名称", "项目支出名称", "预算部门名称", "资金情况", "项目资金", "预算资金(", "年度预算申请")):
                return True
    return False
