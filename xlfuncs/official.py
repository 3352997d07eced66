"""The package's one source of figures: every value of the official tables as the unit filed it.

The values-only 绩效自评表.xlsx and the reports (附件2, 附件4-N) are both written from these
values, so a table and a report can never disagree. Nothing here scores, corrects or fills in:
a filed score stays the filed score (a difference from the rules is a finding in the
校验报告), a blank stays blank, and an error value a workbook showed (``#VALUE!``) becomes a
blank cell — the reader has already reported it as an error.

Amounts are kept in the unit the table was filed in (``money_unit``: the table's own, else the
filing's, else 万元; ``docs/filing-format.md``). A filing whose department is absent, ``null``
or ``"filed": false`` has no 附件1 and no 附件2: the package holds only its 附件3/附件4.
"""

from __future__ import annotations

import copy
import math
from typing import Any

from .cellfuncs import is_error
from .filing import resolve_pointer
from .values import as_typed, clean_text, parse_amount, parse_points, parse_rate
from .xmltext import xml_text

WAN, YUAN = "万元", "元"
MONEY_UNITS = (WAN, YUAN)
DEFAULT_MONEY_UNIT = WAN
AMOUNT, POINTS, RATE, YEAR = "amount", "points", "rate", "year"  # the kinds of workbook.layouts.forms
_PARSERS = {AMOUNT: parse_amount, POINTS: parse_points, RATE: parse_rate}


def normalized(filing: dict[str, Any]) -> dict[str, Any]:
    """A copy whose department is always an object (an empty, unfiled one for project-only filings),
    so the filing view and the workbook layouts see the usual shape."""
    if isinstance(filing.get("department"), dict):
        return filing
    copied = copy.copy(filing)
    copied["department"] = {"name": "", "funds": {}, "indicators": [], "filed": False}
    return copied


def _unit_of(value: Any) -> str | None:
    text = clean_text(value)
    return text if text in MONEY_UNITS else None


def money_unit(filing: dict[str, Any], table_pointer: str) -> str:
    """The money unit of one table (``/department`` or ``/projects/N``): its own ``money_unit``,
    else the filing's, else 万元."""
    table = resolve_pointer(filing, table_pointer)
    own = _unit_of(table.get("money_unit")) if isinstance(table, dict) else None
    return own or _unit_of(filing.get("money_unit")) or DEFAULT_MONEY_UNIT


def _round(value: float) -> float:
    return round(value, 6) if math.isfinite(value) else value


def amount(raw: Any, unit: str = DEFAULT_MONEY_UNIT) -> float | None:
    """An amount as a number in the table's own unit, or None when blank, "—" or unreadable.

    A bare number is in the table's unit; a unit written in the cell (“523.12万”, “5231200元”) is
    converted by :func:`~xlfuncs.values.parse_amount`, as the checks read it.
    """
    parsed = parse_amount(raw, unit)
    if not parsed.ok or parsed.value is None:
        return None
    return parsed.value if unit == WAN else _round(parsed.value)


def to_cell(kind: str, raw: Any) -> Any:
    """The cell value for a filing value: numbers for readable amounts, points and rates (so the
    formulas and Excel see numbers), text kept verbatim, None for a blank. The master workbook's
    cells and the package's tables both hold what this gives."""
    if raw is None:
        return None
    if isinstance(raw, bool):  # a logical cell, as the JSON has it (formulas see TRUE/FALSE, not 1/0)
        return raw
    if isinstance(raw, (int, float)):
        try:
            value = float(raw)
        except OverflowError:  # an integer beyond any float: keep its digits as text
            return str(raw)
        return value if math.isfinite(value) else as_typed(value)  # NaN, Infinity: kept as text
    if not isinstance(raw, str):
        return str(raw)
    if kind == YEAR:
        text = clean_text(raw).removesuffix("年度").removesuffix("年")
        return int(text) if text.isdigit() and len(text) <= 6 else raw
    if kind in _PARSERS:
        parsed = _PARSERS[kind](raw)
        if parsed.ok and parsed.value is not None:
            return parsed.value
        if parsed.status == "blank":
            return None
        return raw.strip() or None if parsed.empty else raw
    return raw


def cell_value(kind: str, raw: Any, unit: str = DEFAULT_MONEY_UNIT) -> Any:
    """The value an official table cell shows for a filed value: what the master workbook's cell
    would hold (:func:`to_cell`), amounts in the table's own unit, text made
    XML-safe; None for a blank or a workbook's error value."""
    if raw is None or (isinstance(raw, str) and not raw.strip()) or is_error(raw):
        return None
    if kind == AMOUNT and not isinstance(raw, bool):
        value = amount(raw, unit)
        if value is not None and math.isfinite(value):
            return value
    value = to_cell(kind, raw)
    return xml_text(value) if isinstance(value, str) else value


def number(value: Any) -> float | None:
    """A cell value as a number, or None for text and blanks."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        result = float(value)
    except OverflowError:  # an integer beyond any float
        return None
    return result if math.isfinite(result) else None


def show_amount(value: Any) -> str:
    """An amount as the tables print it (two decimals); text as filed; blank → ""."""
    n = number(value)
    return f"{n:.2f}" if n is not None else plain(value)


def show_points(value: Any) -> str:
    """A 分值 or 得分 as the tables print it (General: no trailing zeros)."""
    n = number(value)
    if n is None:
        return plain(value)
    text = f"{n:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def show_rate(value: Any) -> str:
    """A rate as the tables print it (one decimal percent)."""
    n = number(value)
    return f"{n * 100:.1f}%" if n is not None else plain(value)


SHOW = {AMOUNT: show_amount, POINTS: show_points, RATE: show_rate}


def show(kind: str, value: Any) -> str:
    """A cell value as text, formatted as its column prints it."""
    return SHOW.get(kind, plain)(value)


def plain(raw: Any) -> str:
    """A cell value as one tidy line: runs of whitespace (U+3000, line breaks) removed between
    Chinese characters and kept as one space between Latin words or digits."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, int | float):
        return show_points(raw) if number(raw) is not None else str(raw)
    pieces = str(raw).split()
    text = pieces[0] if pieces else ""
    for piece in pieces[1:]:
        if text[-1].isascii() and text[-1].isalnum() and piece[0].isascii() and piece[0].isalnum():
            text += " "
        text += piece
    return text
