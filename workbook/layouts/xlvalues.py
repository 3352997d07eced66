"""How a spreadsheet treats values, for the few operations the workbook's formulas use.

The formula trees of :mod:`.expr` evaluate in Python with these rules, so a cached value is
what Excel, WPS, LibreOffice and gnumeric show after recalculating. The formulas are written
so that the applications agree: arithmetic only ever sees numbers (every operand is guarded
by ``ISNUMBER``), no number is turned into text except integers, and errors propagate.

Values: ``None`` (an empty cell), ``float``/``int``, ``bool``, ``str``, :class:`CellError`.
"""

from __future__ import annotations

import math
from typing import Any

from xlfuncs.cellfuncs import CellError, is_error


def as_error(value: Any) -> CellError | None:
    """The error a value carries (a CellError, or an error code read from a cell), else None."""
    if isinstance(value, CellError):
        return value
    if is_error(value):
        code = str(value).strip()
        return CellError(code, f"引用的单元格有错误值 {code}")
    return None


def is_number(value: Any) -> bool:
    """``ISNUMBER``: a number, not a logical value."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_filled(value: Any) -> bool:
    """What ``COUNTA`` counts in a range of input cells: anything but an empty cell or empty text."""
    return value is not None and value != ""


def number_of(value: Any) -> float | CellError:
    """An operand of ``+ - * /``: empty is 0, TRUE/FALSE are 1/0, text is an error.

    (Excel converts numeric text; LibreOffice depends on a setting. The layouts never pass text
    to arithmetic, so the strictest reading is the honest one.)
    """
    error = as_error(value)
    if error:
        return error
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return float(value)
    if is_number(value):
        return float(value)
    return CellError("#VALUE!", f"“{value}”不是数字")


def _rank(value: Any) -> int:
    if isinstance(value, bool):
        return 2
    if isinstance(value, str):
        return 1
    return 0


def compare(op: str, left: Any, right: Any) -> bool | CellError:
    """``= <> < <= > >=`` as spreadsheets compare: an empty cell is 0 against a number and ""
    against a text; numbers sort before texts before logical values; text ignores case."""
    for side in (left, right):
        error = as_error(side)
        if error:
            return error
    if left is None:
        left = "" if isinstance(right, str) else (False if isinstance(right, bool) else 0.0)
    if right is None:
        right = "" if isinstance(left, str) else (False if isinstance(left, bool) else 0.0)
    a_rank, b_rank = _rank(left), _rank(right)
    if a_rank != b_rank:
        a, b = a_rank, b_rank
    elif isinstance(left, str):
        a, b = left.lower(), right.lower()
    else:
        a, b = float(left), float(right)
    return {"=": a == b, "<>": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def truth(value: Any) -> bool | CellError:
    """A value as the condition of ``IF``/``AND``: numbers are true unless 0."""
    error = as_error(value)
    if error:
        return error
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if is_number(value):
        return value != 0
    return CellError("#VALUE!", f"“{value}”不是逻辑值")


def round_half_away(value: float, digits: int) -> float:
    """``ROUND`` as LibreOffice and gnumeric compute it (checked: 2.675 → 2.68, 1.005 → 1.01, but
    1.2345 → 1.23): scale, add a half, and floor the sum taken to 15 significant digits, so a
    binary value a hair below a written half still rounds up. Half away from zero."""
    if not math.isfinite(value):
        return value
    factor = 10.0 ** digits
    shifted = float(f"{abs(value) * factor + 0.5:.15g}")
    return math.copysign(math.floor(shifted) / factor, value) + 0.0


def text_of(value: Any) -> str | CellError:
    """A value as ``&`` joins it: numbers in General format (used here for integers only)."""
    error = as_error(value)
    if error:
        return error
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if is_number(value):
        return f"{float(value):.15g}"
    return str(value)


def cells(value: Any) -> list[Any]:
    """The cells of a range value (a 2-D list) or a single value, row by row."""
    if isinstance(value, list):
        return [cell for row in value for cell in (row if isinstance(row, list) else [row])]
    return [value]
