"""Reading values as accountants type them.

Every parser here accepts anything (None, numbers, strings, booleans, lists) and
never raises: what it cannot read comes back with ``status == "unreadable"`` and
a Chinese ``note`` saying why.
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

NA_MARKERS = frozenset({"—", "——", "-", "--", "/", "－", "─", "–", "不适用", "N/A", "n/a"})

_PREFIX_COMPARATORS: tuple[tuple[str, str], ...] = (
    ("不低于", GE), ("不少于", GE), ("不小于", GE), ("大于等于", GE), ("大于或等于", GE),
    ("不高于", LE), ("不超过", LE), ("不大于", LE), ("不多于", LE), ("小于等于", LE), ("小于或等于", LE),
    (">=", GE), ("≥", GE), ("≧", GE), ("<=", LE), ("≤", LE), ("≦", LE),
    ("大于", GT), ("高于", GT), ("超过", GT), ("多于", GT), ("达到", GE),
    ("小于", LT), ("低于", LT), ("少于", LT), ("控制在", LE),
    ("==", EQ), ("═", EQ), ("=", EQ), ("等于", EQ), (">", GT), ("<", LT),
)
_SUFFIX_COMPARATORS: tuple[tuple[str, str], ...] = (
    ("及以上", GE), ("以上", GE), ("及以下", LE), ("以下", LE), ("以内", LE), ("之内", LE),
)

# Unit spellings → canonical unit. "万" alone is read as 万元 (rules.md §3).
_UNIT_ALIASES = {
    "万元": "万元", "万": "万元", "元": "元", "%": "%", "百分比": "%", "个百分点": "%",
    "次": "次", "场": "场", "类": "类", "个": "个", "人": "人", "人次": "人次", "户": "户",
    "亩": "亩", "只": "只", "头": "头", "台": "台", "套": "套", "米": "米", "厘米": "厘米",
    "平方米": "平方米", "㎡": "平方米", "m2": "平方米", "立方米": "立方米", "公里": "公里",
    "千米": "公里", "天": "天", "日": "天", "月": "月", "年": "年", "小时": "小时", "件": "件",
    "家": "家", "项": "项", "批": "批", "辆": "辆", "篇": "篇", "期": "期", "座": "座",
    "处": "处", "所": "所", "条": "条", "份": "份", "株": "株", "棵": "棵", "名": "名",
    "栋": "栋", "间": "间", "吨": "吨", "度": "度", "千瓦时": "度", "本": "本", "册": "册",
    "分": "分", "km": "公里", "m": "米",
}
# Conversions into a base unit: unit → (base unit, factor).
_UNIT_SCALE = {"元": ("万元", 0.0001), "厘米": ("米", 0.01), "公里": ("米", 1000.0)}

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9, "十": 10}
_PERIODS_PER_YEAR = {"日": 365, "天": 365, "周": 52, "星期": 52, "旬": 36, "月": 12,
                     "季度": 4, "季": 4, "半年": 2, "年": 1, "年度": 1}

_NUMBER = r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+"
_NUMBER_RE = re.compile(rf"^(?P<num>{_NUMBER})(?P<rest>.*)$")
_FREQ_RE = re.compile(
    r"^每(?P<period>半年|季度|星期|年度|季|月|周|旬|日|天|年)(?:至少|不少于)?"
    r"(?P<count>[0-9]+|[一二两三四五六七八九十]+)次$"
)
_SCORE_SUFFIX_RE = re.compile(r"分$")
_HEADING_POINTS_RE = re.compile(r"\((?P<num>[0-9]+(?:\.[0-9]+)?)分\)|(?P<bare>[0-9]+(?:\.[0-9]+)?)分")


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
    """A plain figure (amount, points or rate) read from a cell."""

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


def _chinese_count(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS for ch in text):
        return None
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[text] if len(text) == 1 else None


def _from_native(raw: Any) -> Number | None:
    """Numbers that arrive as numbers (JSON, Excel cells)."""
    if isinstance(raw, bool):
        return Number(UNREADABLE, note="逻辑值不是数字")
    if isinstance(raw, (int, float)):
        value = float(raw)
        if not _finite(value):
            return Number(UNREADABLE, note="不是有限的数字")
        return Number(OK, value)
    if raw is None:
        return Number(BLANK)
    if not isinstance(raw, str):
        return Number(UNREADABLE, note=f"无法识别的数据类型：{type(raw).__name__}")
    return None


@lru_cache(maxsize=65536)
def _parse_number_text(text: str, kind: str) -> Number:
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
        if rest in ("", "万元", "万"):
            return Number(OK, value, "万元")
        if rest == "元":
            return Number(OK, value / 10000.0, "万元", note="按元换算为万元")
        return Number(UNREADABLE, note=f"“{text}”不是以万元计的金额")
    if rest == "":
        return Number(OK, value)
    return Number(UNREADABLE, note=f"“{text}”不是分值")


def parse_amount(raw: Any) -> Number:
    """Read an amount in 万元: ``"　400"``, ``"523.12万"``, ``"5231200元"``, ``400``."""
    if isinstance(raw, str):
        return _parse_number_text(_clean_str(raw), "amount")
    native = _from_native(raw)
    return native if native is not None else _parse_number_text(clean_text(raw), "amount")


def parse_points(raw: Any) -> Number:
    """Read a 分值 or 得分: ``"10分"``, ``"10　"``, ``"—"`` (not applicable)."""
    if isinstance(raw, str):
        return _parse_number_text(_clean_str(raw), "points")
    native = _from_native(raw)
    return native if native is not None else _parse_number_text(clean_text(raw), "points")


def parse_rate(raw: Any) -> Number:
    """Read a rate as a fraction: ``"100%"`` → 1.0; Excel's 1.0 stays 1.0."""
    if isinstance(raw, str):
        return _parse_number_text(_clean_str(raw), "rate")
    native = _from_native(raw)
    return native if native is not None else _parse_number_text(clean_text(raw), "rate")


def heading_points(raw: Any) -> float | None:
    """Return the points printed in a level-1 heading: ``"产出指标\\n(50分)"`` → 50."""
    match = _HEADING_POINTS_RE.search(clean_text(raw))
    if not match:
        return None
    return float(match.group("num") or match.group("bare"))


# ---------------------------------------------------------------- indicator values

QUANTITY = "quantity"
QUALITATIVE = "qualitative"


@dataclass(frozen=True, slots=True)
class Measure:
    """An indicator value (年度指标值 or 实际完成值) as understood."""

    status: str  # OK, BLANK, NOT_APPLICABLE, UNREADABLE
    form: str = ""  # QUANTITY or QUALITATIVE when status is OK
    text: str = ""  # cleaned text
    comparator: str | None = None
    approximate: bool = False
    value: float | None = None
    unit: str = ""
    frequency: bool = False
    note: str = ""

    @property
    def is_quantity(self) -> bool:
        """True for a number (with or without comparator and unit)."""
        return self.status == OK and self.form == QUANTITY

    @property
    def is_qualitative(self) -> bool:
        """True for words without a figure (保持, 及时完成 …)."""
        return self.status == OK and self.form == QUALITATIVE

    @property
    def is_observation(self) -> bool:
        """True when the value is a plain observed figure (no comparator, not 约)."""
        return self.is_quantity and self.comparator is None and not self.approximate

    def describe(self) -> str:
        """Chinese rendering of the value as understood, for explanations."""
        if self.status == BLANK:
            return "（空白）"
        if self.status == NOT_APPLICABLE:
            return "（不适用）"
        if self.status == UNREADABLE:
            return f"无法识别（{self.note}）"
        if self.form == QUALITATIVE:
            return f"“{self.text}”"
        if self.frequency:
            return f"{self.text}（折合每年{format_number(self.value)}次）"
        words = {GE: "≥", GT: ">", LE: "≤", LT: "<", EQ: "="}
        prefix = ("约" if self.approximate else "") + words.get(self.comparator or "", "")
        return f"{prefix}{format_number(self.value)}{self.unit}"


def format_number(value: float | None, digits: int = 2) -> str:
    """Format a figure with at most ``digits`` decimals and no trailing zeros."""
    if value is None:
        return "—"
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _unsigned_zero(text: str) -> str:
    """“-0.00” → “0.00”: a value that rounds to zero has no sign."""
    return text[1:] if text.startswith("-") and not text.strip("-0.%") else text


def format_amount(value: float | None) -> str:
    """Format an amount in 万元 with two decimals, as the forms print it."""
    return "—" if value is None else _unsigned_zero(f"{value:.2f}")


def format_rate(value: float | None) -> str:
    """Format a fraction as a percentage with one decimal: 16.5544 → ``1655.4%``."""
    return "—" if value is None else _unsigned_zero(f"{value * 100:.1f}%")


def _strip_comparator(text: str) -> tuple[str, str | None, bool]:
    approximate = False
    comparator: str | None = None
    for word in ("大约", "约为", "约", "左右"):
        if text.startswith(word):
            approximate, text = True, text[len(word):]
            break
    if text.endswith("左右"):
        approximate, text = True, text[:-2]
    for word, code in _PREFIX_COMPARATORS:
        if text.startswith(word):
            comparator, text = code, text[len(word):]
            break
    for word, code in _SUFFIX_COMPARATORS:
        if text.endswith(word):
            comparator = comparator or code
            text = text[: -len(word)]
            break
    if not approximate and text.startswith("约"):
        approximate, text = True, text[1:]
    return text, comparator, approximate


def _canonical_unit(rest: str) -> tuple[str, float] | None:
    """Map the text after a number to (unit, scale), or None when it is not a unit."""
    if rest == "":
        return "", 1.0
    for suffix in ("/年", "每年"):
        if rest.endswith(suffix) and len(rest) > len(suffix):
            rest = rest[: -len(suffix)]
    if rest in _UNIT_ALIASES:
        unit = _UNIT_ALIASES[rest]
        base, factor = _UNIT_SCALE.get(unit, (unit, 1.0))
        return base, factor
    if rest.startswith("万") and rest[1:] in _UNIT_ALIASES:
        unit = _UNIT_ALIASES[rest[1:]]
        base, factor = _UNIT_SCALE.get(unit, (unit, 1.0))
        return base, factor * 10000.0
    return None


@lru_cache(maxsize=65536)
def _parse_measure_text(text: str) -> Measure:
    if not text:
        return Measure(BLANK)
    if text in NA_MARKERS:
        return Measure(NOT_APPLICABLE, text=text)
    body, comparator, approximate = _strip_comparator(text)
    freq = _FREQ_RE.match(body)
    if freq:
        count = _chinese_count(freq.group("count"))
        if count is not None:
            per_year = _PERIODS_PER_YEAR[freq.group("period")] * count
            return Measure(OK, QUANTITY, text, comparator, approximate, float(per_year), "次", True)
    number = _NUMBER_RE.match(body.replace(",", ""))
    if number:
        unit = _canonical_unit(number.group("rest"))
        if unit is not None:
            value = float(number.group("num")) * unit[1]
            if not _finite(value):
                return Measure(UNREADABLE, text=text, note=f"“{text}”数值过大")
            return Measure(OK, QUANTITY, text, comparator, approximate, value, unit[0])
    return Measure(OK, QUALITATIVE, text)


def parse_measure(raw: Any) -> Measure:
    """Read a 年度指标值 or 实际完成值.

    Accepts comparators (大于, ≥, 不低于, …以上), 约, units (次, %, 万元, "万"),
    frequencies (每月一次 = 12次/年) and qualitative words. Numbers become
    quantities without a unit.
    """
    if isinstance(raw, str):
        return _parse_measure_text(_clean_str(raw))
    native = _from_native(raw)
    if native is not None:
        if native.status == OK:
            return Measure(OK, QUANTITY, clean_text(raw), value=native.value)
        return Measure(native.status, note=native.note)
    return _parse_measure_text(clean_text(raw))


def units_compatible(target: Measure, actual: Measure) -> bool:
    """True when the two figures can be compared (a missing unit matches any)."""
    return not target.unit or not actual.unit or target.unit == actual.unit
