"""The cells of a master workbook in memory: constants and formula trees, evaluated lazily.

The builder fills a :class:`CellModel` from a filing and writes it; the reader fills one from
the cells it read and evaluates the same formula trees. Also here: when a filed result equals
what its formula gives (:func:`same_result`). How a filing value becomes a cell value is the
core's :func:`xlfuncs.official.to_cell` (the package's tables hold the same values).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from xlfuncs.cellfuncs import CellError
from xlfuncs.values import as_typed, clean_text, parse_amount, parse_points, parse_rate

from .layouts.expr import Expr
from .layouts.forms import AMOUNT, POINTS, RATE

Key = tuple[str, str]
_PARSERS = {AMOUNT: parse_amount, POINTS: parse_points, RATE: parse_rate}
EXCEL_TEXT_LIMIT = 32767


class CellModel:
    """Constants and formulas by (sheet, cell); formula values are computed on demand and cached."""

    def __init__(self, profile: str | None = None, *, udfs: bool = True) -> None:
        self._profile = profile
        self._udfs = udfs
        self.constants: dict[Key, Any] = {}
        self.formulas: dict[Key, Expr] = {}
        self._cache: dict[Key, Any] = {}
        self._active: set[Key] = set()

    @property
    def profile(self) -> str | None:
        """The profile name the formulas pass (None for the default)."""
        return self._profile

    @property
    def udfs(self) -> bool:
        """False: compute as a spreadsheet without perfeval's functions does (they are #NAME?)."""
        return self._udfs

    def without_udfs(self) -> CellModel:
        """The same cells, computed as where perfeval's functions are not loaded."""
        other = CellModel(self._profile, udfs=False)
        other.constants, other.formulas = dict(self.constants), dict(self.formulas)
        return other

    def set(self, sheet: str, cell: str, value: Any) -> None:
        """Put a constant (None for an empty cell) in a cell."""
        key = (sheet, cell)
        self.formulas.pop(key, None)
        self._cache.pop(key, None)
        self.constants[key] = value

    def set_formula(self, sheet: str, cell: str, expr: Expr) -> None:
        """Put a formula in a cell."""
        key = (sheet, cell)
        self.constants.pop(key, None)
        self._cache.pop(key, None)
        self.formulas[key] = expr

    def clear_cache(self) -> None:
        """Forget computed values (after constants changed)."""
        self._cache.clear()

    def is_formula(self, sheet: str, cell: str) -> bool:
        """True when the cell holds a formula."""
        return (sheet, cell) in self.formulas

    def value(self, sheet: str, cell: str) -> Any:
        """The cell's value: a constant, or its formula evaluated (a CellError for an error)."""
        key = (sheet, cell)
        if key in self.constants:
            return self.constants[key]
        expr = self.formulas.get(key)
        if expr is None:
            return None
        if key in self._cache:
            return self._cache[key]
        if key in self._active:  # a cycle cannot happen in our layouts; answer like Excel would
            return CellError("#REF!", "循环引用")
        self._active.add(key)
        try:
            result = expr.evaluate(self, sheet)
        finally:
            self._active.discard(key)
        self._cache[key] = result
        return result


# ----------------------------------------------------------------------- filing value → cell


def from_cell(value: Any) -> Any:
    """A value read from a cell as the filing holds it: dates as ISO text, empty text as None."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, str) and value == "":
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def cached_value(value: Any) -> Any:
    """What XlsxWriter writes as a formula's cached value."""
    if isinstance(value, CellError):
        return value.code
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)  # "0", not "0.0", as Excel writes it
    return value


def is_blank(raw: Any) -> bool:
    """True for None or text holding only whitespace."""
    return raw is None or (isinstance(raw, str) and not clean_text(raw))


def same_result(kind: str, filed: Any, computed: Any) -> bool:
    """True when a filed result is what its formula gives (so the cell can stay a formula)."""
    if isinstance(computed, CellError):
        return not is_blank(filed) and clean_text(filed) == computed.code
    if computed == "" or computed is None:
        return is_blank(filed)
    if is_blank(filed):
        return False
    if kind in _PARSERS and isinstance(computed, (int, float)) and not isinstance(computed, bool):
        parsed = _PARSERS[kind](filed)
        return parsed.ok and parsed.value is not None and abs(parsed.value - float(computed)) <= 1e-9
    return clean_text(filed) == clean_text(computed)


def display(kind: str, value: Any) -> str:
    """A value as a person reads it (in notes and messages)."""
    if isinstance(value, CellError):
        return f"{value.code}（{value.reason}）"
    if is_blank(value):
        return "（空白）"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            return as_typed(value)
        if kind == RATE:
            return f"{value * 100:.10g}%"
        return f"{value:.10g}"
    return " ".join(str(value).splitlines())  # one line: a note keeps it on the line after its label


def claim_equals(kind: str, cell_value: Any, noted: str) -> bool:
    """True when a constant in a result cell is still the imported value its note records."""
    if noted == "（空白）":
        return is_blank(cell_value)
    if is_blank(cell_value):
        return False
    if display(kind, cell_value) == noted:  # the note was written from this very value
        return True
    if kind in _PARSERS:
        a, b = _PARSERS[kind](cell_value), _PARSERS[kind](noted)
        if a.ok and b.ok and a.value is not None and b.value is not None:
            return abs(a.value - b.value) <= 1e-9 * max(1.0, abs(a.value))
    return clean_text(cell_value) == clean_text(noted)


def text_too_long(value: Any) -> bool:
    """True for a text longer than an Excel cell holds."""
    return isinstance(value, str) and len(value) > EXCEL_TEXT_LIMIT

