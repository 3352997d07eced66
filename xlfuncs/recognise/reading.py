"""What the recogniser learns about one table while it walks it: the table's filing values with
the cell each came from, the cells it used, and the features that tell the form family."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..filing import join_pointer
from .fold import fold
from .rows import Grid, Origin, Row

Path = tuple[str | int, ...]

YEAR = re.compile(r"(20\d{2})年度")
YEAR_LOOSE = re.compile(r"(20\d{2})年")


@dataclass
class Unplaced:
    """A cell with content that no block of the form could take."""

    origin: Origin
    col: int
    text: str
    why: str

    def to_dict(self) -> dict[str, Any]:
        """The ``import.unplaced`` entry (1-based row and column)."""
        entry = self.origin.cell(self.col)
        if self.origin.table == 0:
            entry.update({"table": None, "row": None, "col": None})
        return {**entry, "text": self.text, "why": self.why}


@dataclass
class Reading:
    """One table being read (values relative to the table: ``("funds", "total", "initial")``)."""

    grid: Grid
    data: dict[str, Any] = field(default_factory=dict)
    trace: dict[str, dict[str, Any]] = field(default_factory=dict)
    used: set[tuple[int, int]] = field(default_factory=set)
    unplaced: list[Unplaced] = field(default_factory=list)
    features: set[str] = field(default_factory=set)
    kind: str | None = None  # "department" or "project"
    title: str = ""
    year: int | None = None
    year_origin: dict[str, Any] | None = None
    unit_name: str | None = None
    unit_origin: dict[str, Any] | None = None
    unit_explicit: bool = False  # the unit came from a 填报单位 / 单位名称 line, not from 实施单位
    money_unit: str | None = None
    notes: list[str] = field(default_factory=list)
    profile: str | None = None  # the rule profile the form's printed notes spell out

    # ----------------------------------------------------------------- writing values

    def put(self, path: Path, value: Any, row: int | None = None, col: int | None = None) -> None:
        """Write a value at ``path`` of the table; ``row``/``col`` (grid indices) say where it was read."""
        node = self.data
        for key in path[:-1]:
            if isinstance(node, list):
                node = node[int(key)]
                continue
            node = node.setdefault(key, {})
        node[path[-1]] = value
        if row is not None and col is not None:
            self.trace[pointer_of(path)] = self.origin(row).cell(col)
            self.used.add((row, col))

    def has(self, path: Path) -> bool:
        """True when a value was already written at ``path``."""
        node: Any = self.data
        for key in path:
            if isinstance(node, dict) and key in node:
                node = node[key]
            elif isinstance(node, list) and isinstance(key, int) and key < len(node):
                node = node[key]
            else:
                return False
        return True

    def use(self, row: int, col: int) -> None:
        """Mark a cell as understood (a label of the form)."""
        self.used.add((row, col))

    def use_row(self, row: int) -> None:
        """Mark every cell of a row as understood."""
        for col, _ in self.rows[row].present():
            self.used.add((row, col))

    # ----------------------------------------------------------------- reading the grid

    @property
    def rows(self) -> list[Row]:
        """The grid rows."""
        return self.grid.rows

    def origin(self, row: int) -> Origin:
        """Origin of a grid row."""
        return self.rows[row].origin

    def note_year(self, text: str, row: int, col: int, *, loose: bool = False) -> None:
        """Take the year from a title or heading cell (first found wins)."""
        if self.year is not None:
            return
        match = (YEAR_LOOSE if loose else YEAR).search(fold(text))
        if match:
            self.year = int(match.group(1))
            self.year_origin = self.origin(row).cell(col)

    def leftovers(self) -> None:
        """Every cell with content that nothing used becomes an unplaced entry."""
        for r, row in enumerate(self.rows):
            for c, text in row.filled():
                if (r, c) not in self.used:
                    self.unplaced.append(Unplaced(row.origin, c, text, "不属于本表式的任何栏目"))


def pointer_of(path: Path) -> str:
    """The relative JSON Pointer of a table path: ``("funds", "total", "initial")`` → ``/funds/total/initial``."""
    return join_pointer("", *path)
