"""The one shape every imported document takes before recognition: tables as grids of cells, and
paragraphs of text, in document order.

Readers of Word, Excel, web pages, PDF and the corpus grid JSON all produce a :class:`Document`;
the recogniser (``xlfuncs.recognise``) turns it into a ``perfeval.filing/1`` filing. A grid
follows the corpus convention (``tests/corpus/FORMAT.md``): rows of cells after expanding merged
cells, a merged cell's text at its top-left position and ``None`` at every other position it
covers, ``""`` for a cell that is there and empty. Text is kept exactly as found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Cell = str | None


@dataclass
class Table:
    """One table of a document, as a grid of cells."""

    rows: list[list[Cell]]
    source: str  # the file it came from, as the user named it
    index: int  # 1-based number of the table within its source
    sheet: str | None = None  # Excel sheet name, PDF page ("第3页") or similar, when the source has one
    complete: bool = True  # False when the source says the table was cut off
    caption: str = ""  # text just above the table in the document (e.g. "附件3-2"), if any
    meta: dict[str, Any] = field(default_factory=dict)  # anything else the source states (corpus metadata)

    def cell(self, row: int, col: int) -> Cell:
        """The cell at 0-based ``row``, ``col`` (None outside the grid)."""
        if 0 <= row < len(self.rows) and 0 <= col < len(self.rows[row]):
            return self.rows[row][col]
        return None

    def where(self, row: int, col: int) -> str:
        """Chinese reference to a cell for messages: “表2 第5行第3列”（1-based）."""
        place = f"{self.source} " if self.source else ""
        sheet = f"{self.sheet} " if self.sheet else ""
        return f"{place}{sheet}表{self.index} 第{row + 1}行第{col + 1}列"


@dataclass
class Paragraph:
    """A paragraph of running text outside any table (report sections live here)."""

    text: str
    source: str
    index: int  # 1-based paragraph number within its source
    style: str = ""  # the source's own style name when it has one ("Heading 1"), for heading detection


@dataclass
class Document:
    """Everything read from one source file, in document order."""

    source: str
    blocks: list[Table | Paragraph] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the reader noticed about the file (one Chinese line each)

    @property
    def tables(self) -> list[Table]:
        """The tables, in order."""
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def paragraphs(self) -> list[Paragraph]:
        """The paragraphs outside tables, in order."""
        return [b for b in self.blocks if isinstance(b, Paragraph)]
