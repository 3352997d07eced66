"""Reading figures as accountants type them: amounts, points, rates; text cleaning and formatting.

Every parser here accepts anything (None, numbers, strings, booleans, lists) and never raises:
what it cannot read comes back with ``status == "unreadable"`` and a Chinese ``note`` saying
why. Indicator values (年度指标值, 实际完成值) are read by :mod:`xlfuncs.measures`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

OK = "ok"
BLANK = "blank"
NOT_APPLICABLE = "na"
UNREADABLE = "unreadable"

# Comparator codes used across the engine.
GE, GT, LE, LT, EQ = ">=", ">", "<=", "<", "="

NA_MARKERS = frozenset({"—", "——", "-", "--", "/", "－", "─", "–", "不适用", "N/A", "n/a", "\\"})

#: Money units a filing may state (``money_unit``) and what one of them is worth in 万元.
WAN, YUAN = "万元", "元"
MONEY_UNITS = {WAN: 1.0, YUAN: 0.0001, "亿元": 10000.0, "千元": 0.1}
# How an amount cell may spell its unit → the unit.
_MONEY_SPELLINGS = {"": "", "万元": WAN, "万": WAN, "元": YUAN, "亿元": "亿元", "亿": "亿元", "千元": "千元"}

_NUMBER = r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+"
_NUMBER_RE = re.compile(rf"^(?P<num>{_NUMBER})(?P<rest>.*)$")
_SCORE_SUFFIX_RE = re.compile(r"分$")
# “(50分)”; a bare “50分” only where a heading ends with it (“部门预算管理80分)”), not inside OCR noise (“…1分EB”)
_HEADING_POINTS_RE = re.compile(r"\((?P<num>[0-9]+(?:\.[0-9]+)?)分\)|(?P<bare>[0-9]+(?:\.[0-9]+)?)分(?=\)|$)")


def clean_text(raw: Any) -> str:
    """Return the value as text with full-width forms folded and all whitespace removed.

    Line breaks and U+3000 inside cells are layout, not content, in these forms
    ("产出指标\\n(50分)", "　31场"), so they are dropped entirely.
    """
    if raw is None:
        return ""
    if isinstance(raw, str):
        return _clean_str(raw)
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, float) and math.isfinite(raw) and raw == int(raw) and abs(raw) < 1e15:
        return str(int(raw))
    return _clean_str(str(raw))


@lru_cache(maxsize=65536)
def _clean_str(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def display_text(raw: Any) -> str:
    """Return text for messages: folded like :func:`clean_text` but single spaces kept."""
    if raw is None:
        return ""
    text = unicodedata.normalize("NFKC", str(raw))
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class Number:
    """A plain figure (amount, points or rate) read from a cell; ``value`` is None unless ``ok``."""

    status: str
    value: float | None = None
    unit: str = ""
    note: str = ""

    @property
    def ok(self) -> bool:
        """True when a number was read."""
        return self.status == OK

    @property
    def empty(self) -> bool:
        """True for a blank cell or a not-applicable marker."""
        return self.status in (BLANK, NOT_APPLICABLE)


def _finite(value: float) -> bool:
    return math.isfinite(value)


def as_typed(raw: Any) -> str:
    """A filed value as the user typed it, for messages: ``NaN``/``Infinity`` as JSON spells them
    (Python would say ``nan``/``inf``), logical values as a spreadsheet shows them (TRUE/FALSE)."""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float) and not math.isfinite(raw):
        return "NaN" if math.isnan(raw) else "Infinity" if raw > 0 else "-Infinity"
    return str(raw)


_BLANK = Number(BLANK)  # an empty cell, shared (a Number never changes)


def _from_native(raw: Any) -> Number | None:
    """Numbers that arrive as numbers (JSON, Excel cells)."""
    if raw is None:
        return _BLANK
    if isinstance(raw, bool):
        return Number(UNREADABLE, note="逻辑值不是数字")
    if isinstance(raw, (int, float)):
        value = float(raw)
        if not _finite(value):
            return Number(UNREADABLE, note="不是有限的数字")
        return Number(OK, value)
    if not isinstance(raw, str):
        return Number(UNREADABLE, note=f"无法识别的数据类型：{type(raw).__name__}")
    return None


def convert_money(value: float, from_unit: str, to_unit: str) -> float:
    """An amount in ``from_unit`` expressed in ``to_unit`` (万元, 元, 亿元, 千元)."""
    if from_unit == to_unit:
        return value
    return value * MONEY_UNITS.get(from_unit, 1.0) / MONEY_UNITS.get(to_unit, 1.0)


@lru_cache(maxsize=65536)
def _parse_number_text(typed: str, kind: str, unit: str = WAN) -> Number:
    """``typed`` (a cell's text as typed, or already cleaned: cleaning twice changes nothing) read as
    ``kind``; remembered per text as typed, so a cell read again costs one lookup."""
    text = _clean_str(typed)
    if not text:
        return Number(BLANK)
    if text in NA_MARKERS:
        return Number(NOT_APPLICABLE)
    body = text.replace(",", "").replace("，", "")
    if kind == "points":
        body = _SCORE_SUFFIX_RE.sub("", body)
    negative = body.startswith("-") and len(body) > 1
    if negative:
        body = body[1:]
    match = _NUMBER_RE.match(body)
    if not match:
        return Number(UNREADABLE, note=f"“{text}”不是数字")
    value = float(match.group("num"))
    if not _finite(value):
        return Number(UNREADABLE, note=f"“{text[:20]}…”数值过大")
    if negative:
        value = -value
    rest = match.group("rest")
    if kind == "rate":
        if rest in ("%", "百分比"):
            return Number(OK, value / 100.0, "%")
        if rest == "":
            # A typed rate without % sign: "95" means 95%, "0.95" means 95%.
            return Number(OK, value / 100.0 if value > 1.5 else value, "%")
        return Number(UNREADABLE, note=f"“{text}”不是比率")
    if kind == "amount":
        written = _MONEY_SPELLINGS.get(rest)
        if written is None:
            return Number(UNREADABLE, note=f"“{text}”不是以{unit}计的金额")
        if written in ("", unit):
            return Number(OK, value, unit)
        converted = convert_money(value, written, unit)
        if not _finite(converted):
            return Number(UNREADABLE, note=f"“{text}”数值过大")
        return Number(OK, converted, unit, note=f"按{written}换算为{unit}")
    if rest == "":
        return Number(OK, value)
    return Number(UNREADABLE, note=f"“{text}”不是分值")


def parse_amount(raw: Any, unit: str = WAN) -> Number:
    """Read an amount in ``unit`` (the table's money unit, 万元 by default): ``"　400"``,
    ``"523.12万"``, ``"5231200元"`` (converted), ``400``."""
    if unit not in MONEY_UNITS:
        unit = WAN
    if isinstance(raw, str):
        return _parse_number_text(raw, "amount", unit)
    native = _from_native(raw)
    if native is not None:
        return native if not native.ok else Number(OK, native.value, unit)
    return _parse_number_text(clean_text(raw), "amount", unit)


def parse_points(raw: Any) -> Number:
    """Read a 分值 or 得分: ``"10分"``, ``"10　"``, ``"—"`` (not applicable)."""
    if isinstance(raw, str):
        return _parse_number_text(raw, "points")
    native = _from_native(raw)
    return native if native is not None else _parse_number_text(clean_text(raw), "points")


def parse_rate(raw: Any) -> Number:
    """Read a rate as a fraction: ``"100%"`` → 1.0; Excel's 1.0 stays 1.0."""
    if isinstance(raw, str):
        return _parse_number_text(raw, "rate")
    native = _from_native(raw)
    return native if native is not None else _parse_number_text(clean_text(raw), "rate")


def heading_points(raw: Any) -> float | None:
    """Return the points printed in a level-1 heading: ``"产出指标\\n(50分)"`` → 50."""
    return _heading_points(clean_text(raw))


@lru_cache(maxsize=4096)
def _heading_points(text: str) -> float | None:
    match = _HEADING_POINTS_RE.search(text)
    if not match:
        return None
    return float(match.group("num") or match.group("bare"))


def format_number(value: float | None, digits: int = 2) -> str:
    """Format a figure with at most ``digits`` decimals and no trailing zeros."""
    if value is None:
        return "—"
    if abs(value) < 1e15 and value % 1 == 0:  # whole points and amounts, the usual case
        return str(int(value))
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _unsigned_zero(text: str) -> str:
    """“-0.00” → “0.00”: a value that rounds to zero has no sign."""
    return text[1:] if text.startswith("-") and not text.strip("-0.%") else text


def format_amount(value: float | None) -> str:
    """Format an amount with two decimals, as the forms print it."""
    return "—" if value is None else _unsigned_zero(f"{value:.2f}")


def money_text(value: float | None, unit: str = WAN) -> str:
    """An amount for messages with its unit: ``"523.12 万元"``, ``"250000.00 元"``."""
    return "—" if value is None else f"{format_amount(value)} {unit}"


def format_rate(value: float | None) -> str:
    """Format a fraction as a percentage with one decimal: 16.5544 → ``1655.4%``."""
    return "—" if value is None else _unsigned_zero(f"{value * 100:.1f}%")


