"""Move a formula from one cell to another as Excel's fill does: relative references shift, ``$``
parts stay. A sheet stores a formula filled down a column once (``<f t="shared" ref=… si=…>``)
and the other cells of the range only name it; the reader needs each cell's own text."""

from __future__ import annotations

import re

from .layouts.cells import col_index, col_letters

MAX_ROW = 1_048_576
MAX_COLUMN = 16_384

# one reference (optionally sheet-qualified), or a string literal to skip, or a name/function
_TOKEN = re.compile(
    r'"(?:[^"]|"")*"'  # a string literal: nothing inside it is a reference
    r"|(?<![\w.$])(?P<sheet>(?:'(?:[^']|'')+'|[^\s\"'!(),;:+\-*/^&=<>%{}]+)!)?"
    r"(?P<ref>\$?[A-Za-z]{1,3}\$?[0-9]{1,7}(?::\$?[A-Za-z]{1,3}\$?[0-9]{1,7})?"
    r"|\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}|\$?[0-9]{1,7}:\$?[0-9]{1,7})(?![\w(.!])"
    r"|[A-Za-z_\\][\w.]*"  # a name or function (so "LOG10(" is never read as a cell)
)
_CELL = re.compile(r"(\$?)([A-Za-z]{1,3})(\$?)([0-9]{1,7})$")
_COLUMN = re.compile(r"(\$?)([A-Za-z]{1,3})$")
_ROW = re.compile(r"(\$?)([0-9]{1,7})$")


def _column(fixed: str, letters: str, shift: int) -> str | None:
    if fixed:
        return fixed + letters.upper()
    index = col_index(letters.upper()) + shift
    return col_letters(index) if 0 <= index < MAX_COLUMN else None


def _row(fixed: str, digits: str, shift: int) -> str | None:
    if fixed:
        return fixed + digits
    number = int(digits) + shift
    return str(number) if 1 <= number <= MAX_ROW else None


def _part(text: str, rows: int, cols: int) -> str | None:
    cell = _CELL.match(text)
    if cell:
        column, row = _column(cell.group(1), cell.group(2), cols), _row(cell.group(3), cell.group(4), rows)
        return None if column is None or row is None else column + row
    column = _COLUMN.match(text)
    if column:
        return _column(column.group(1), column.group(2), cols)
    row = _ROW.match(text)
    return _row(row.group(1), row.group(2), rows) if row else None


def shift_formula(formula: str, rows: int, cols: int) -> str:
    """``formula`` as it reads ``rows`` rows down and ``cols`` columns right of where it was
    written; a reference moved off the sheet becomes ``#REF!`` (as in Excel)."""
    def moved(match: re.Match[str]) -> str:
        ref = match.group("ref")
        if ref is None:
            return match.group(0)
        parts = [_part(p, rows, cols) for p in ref.split(":")]
        shifted = "#REF!" if any(p is None for p in parts) else ":".join(p for p in parts if p)
        return (match.group("sheet") or "") + shifted
    if rows == 0 and cols == 0:
        return formula
    return _TOKEN.sub(moved, formula)
