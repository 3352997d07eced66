"""Reading indicator values (年度指标值, 实际完成值) as people write them.

Real forms write a target in many ways: comparators in words or symbols (大于, ≥, ≧, >=, ‹=, ﹦,
═, 不低于, 达98%, 98%以上, 90%（含）以上, 3日内), ranges (90%-100%, [90%,100%], ≥90%且≤100%),
frequencies (每月一次, 1次/月, 一月一次, 按月, 月均2次), deadlines (9月前, 11月底前,
2021年12月完成; an actual "7月" is a date), durations (≤3个工作日, 24小时内, 6个月), per-unit
costs (≤200元/人, 583元/人*月), Chinese numerals (五次, 两场), ‰, 亿元 and units such as 公顷,
千克, 平方米, 万美元, 万粒, 艘, 篇. :func:`parse_measure` never raises: words it cannot read as
a figure come back as a qualitative value, cells it cannot read at all as ``unreadable``.

A value is kept in a base unit (万元, 米, 千克, 天 …) so that 元 and 万元, 公里 and 米 compare;
``written_unit`` and ``scale`` keep how it was written, for messages.

Over 400 lines on purpose: every way of writing a value (comparators, ranges, frequencies, deadlines,
durations, units, numerals) is read here beside the others, because they compete for the same cell
text and their order decides what a cell means.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple

from .values import (
    BLANK,
    EQ,
    GE,
    GT,
    LE,
    LT,
    NA_MARKERS,
    NOT_APPLICABLE,
    OK,
    UNREADABLE,
    _clean_str,
    _from_native,
    clean_text,
    format_number,
)

QUANTITY = "quantity"
QUALITATIVE = "qualitative"
RANGE = "range"  # comparator code: value ≤ x ≤ high
DATE_UNIT = "日期"

# A lone "一" in a value cell is a dash typed with the wrong key (or read so by OCR).
MEASURE_NA = NA_MARKERS | {"一", "—/—"}

_PREFIX_COMPARATORS = tuple(sorted((
    ("不低于", GE), ("不少于", GE), ("不小于", GE), ("大于等于", GE), ("大于或等于", GE), ("至少", GE),
    ("最少", GE), ("不高于", LE), ("不超过", LE), ("不超", LE), ("未超过", LE), ("不大于", LE), ("不多于", LE),
    ("小于等于", LE), ("小于或等于", LE), ("最多", LE), ("控制在", LE),
    (">=", GE), ("=>", GE), ("≥", GE), ("≧", GE), ("⩾", GE), ("≮", GE), ("›=", GE),
    ("<=", LE), ("=<", LE), ("≤", LE), ("≦", LE), ("⩽", LE), ("≯", LE), ("‹=", LE),
    ("大于", GT), ("高于", GT), ("超过", GT), ("多于", GT), ("达到", GE), ("达", GE),
    ("小于", LT), ("低于", LT), ("少于", LT), ("不足", LT),
    ("==", EQ), ("═", EQ), ("=", EQ), ("等于", EQ), (">", GT), ("<", LT), ("›", GT), ("‹", LT),
), key=lambda item: -len(item[0])))
_SUFFIX_COMPARATORS = (
    ("及以上", GE), ("以上", GE), ("及以下", LE), ("以下", LE), ("以内", LE), ("之内", LE), ("内", LE),
)
_COUNT_PREFIXES = ("全年共", "全年", "累计", "共计", "合计", "总计", "年度", "共", "年均")
_INCLUSIVE = re.compile(r"\((?:含|包含|含本数)\)")

# Units: written spelling → (base unit, factor from written to base).
_UNITS: dict[str, tuple[str, float]] = {
    "万元": ("万元", 1.0), "万": ("万元", 1.0), "元": ("万元", 0.0001), "千元": ("万元", 0.1), "亿元": ("万元", 10000.0),
    "美元": ("美元", 1.0), "%": ("%", 1.0), "百分比": ("%", 1.0), "个百分点": ("%", 1.0), "‰": ("%", 0.1),
    "平方米": ("平方米", 1.0), "㎡": ("平方米", 1.0), "m2": ("平方米", 1.0), "m²": ("平方米", 1.0),
    "平米": ("平方米", 1.0), "平方公里": ("平方米", 1e6), "km2": ("平方米", 1e6), "亩": ("亩", 1.0),
    "公顷": ("公顷", 1.0), "米": ("米", 1.0), "m": ("米", 1.0), "延米": ("米", 1.0), "厘米": ("米", 0.01),
    "cm": ("米", 0.01), "毫米": ("米", 0.001), "mm": ("米", 0.001), "公里": ("米", 1000.0),
    "千米": ("米", 1000.0), "km": ("米", 1000.0), "千克": ("千克", 1.0), "公斤": ("千克", 1.0),
    "kg": ("千克", 1.0), "克": ("千克", 0.001), "吨": ("千克", 1000.0), "斤": ("千克", 0.5),
    "立方米": ("立方米", 1.0), "m3": ("立方米", 1.0), "m³": ("立方米", 1.0), "方": ("立方米", 1.0),
    "升": ("立方米", 0.001), "天": ("天", 1.0), "日": ("天", 1.0), "个工作日": ("工作日", 1.0),
    "工作日": ("工作日", 1.0), "小时": ("天", 1 / 24), "个小时": ("天", 1 / 24), "h": ("天", 1 / 24),
    "分钟": ("天", 1 / 1440), "周": ("天", 7.0), "个周": ("天", 7.0), "星期": ("天", 7.0),
    "个星期": ("天", 7.0), "个月": ("月", 1.0), "年": ("年", 1.0), "度": ("度", 1.0), "千瓦时": ("度", 1.0),
    "kwh": ("度", 1.0), "分": ("分", 1.0), "倍": ("倍", 1.0),
}
_COUNT_UNITS = (
    "次 场 场次 类 个 项 项次 人 人次 户 户次 亩次 只 头 台 台次 套 件 家 家次 批 批次 辆 篇 期 座 处 所 条 份 株 棵 名 栋 间 "
    "本 册 粒 艘 部 架 块 张 盏 根 组 宗 起 例 课时 学时 节 村 镇 校 车次 班次 趟 人日 床 幅 首 集 卷 门 堂 轮 单 笔 "
    "个次 处次 公顷次 羽 尾 匹 枚 片 支 把 对 双 箱 袋 盒 瓶 桶 车 船 户数 人数"
).split()
for _unit in _COUNT_UNITS:
    _UNITS.setdefault(_unit, (_unit, 1.0))
_MONEY_BASES = frozenset({"万元", "美元"})

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_CN_MULTIPLIERS = {"十": 10, "百": 100, "千": 1000}
_CN = "零〇一二两三四五六七八九十百千"
_PERIODS_PER_YEAR = {"日": 365, "天": 365, "周": 52, "星期": 52, "旬": 36, "月": 12, "季度": 4, "季": 4,
                     "半年": 2, "年": 1, "年度": 1}
_PERIOD = "半年|季度|星期|年度|季|月|周|旬|日|天|年"
_COUNT = rf"[0-9]+|[{_CN}]+"
_FREQUENCIES = (
    re.compile(rf"^每(?P<n>{_COUNT})?个?(?P<p>{_PERIOD})(?:至少|不少于|不低于|开展|进行)?(?:(?P<c>{_COUNT})次)?$"),
    re.compile(rf"^(?P<c>{_COUNT})次(?:/|每)(?P<p>{_PERIOD})$"),
    re.compile(rf"^一(?P<p>{_PERIOD})(?P<c>{_COUNT})次$"),
    re.compile(rf"^(?P<p>月|季|年|周)均(?P<c>{_COUNT})次$"),
    re.compile(rf"^按(?P<p>{_PERIOD})度?(?:[\u4e00-\u9fff]{{0,6}})$"),
)
_NUMBER_RE = re.compile(r"^(?P<num>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?P<rest>.*)$")
_PLAIN = re.compile(r"^([0-9]{1,15}(?:\.[0-9]+)?)(%|[^\x00-\x7f0-9月年日]{1,3})?$")
_THOUSANDS = re.compile(r"(?<=[0-9]),(?=[0-9]{3}(?:[^0-9%]|$))")
_RANGE_RE = re.compile(
    r"^(?P<a>[0-9]+(?:\.[0-9]+)?)(?P<ua>[^0-9~～至到—–\-]*?)(?:-|~|～|至|到|—|–)"
    r"(?P<b>[0-9]+(?:\.[0-9]+)?)(?P<ub>[^0-9]*)$")
_BRACKET_RANGE = re.compile(r"^[\[【(](?P<a>[^,，]+)[,，](?P<b>[^\]】)]+)[\]】)](?P<u>[^0-9]{0,4})$")
_BOTH = re.compile(r"且|并且|,|，|、")
_DATE_RE = re.compile(
    r"^(?:已于|已在|已|均于|于|在)?(?:(?P<year>(?:19|20)[0-9]{2})年度?)?"
    r"(?:(?P<month>1[0-2]|0?[1-9])月份?(?:(?P<day>[12][0-9]|3[01]|0?[1-9])[日号])?(?P<part>底|末|初|上旬|中旬|下旬|中)?"
    r"|(?P<yearpart>年底|年末|年内|年中|年度内|当年))"
    r"(?P<suffix>之前|以前|前|以内|之内|内|为止|止)?"
    r"(?P<done>(?:全部|全面|足额|按时)?(?:完成|完工|结束|办结|拨付|支付|兑现|验收|发放|到位|结算)[\u4e00-\u9fff]{0,8})?$")
_PART_DAY = {"初": 5, "上旬": 10, "中旬": 20, "中": 15, "下旬": 31, "底": 31, "末": 31}
_YEARPART_DATE = {"年底": 1231, "年末": 1231, "年内": 1231, "年度内": 1231, "当年": 1231, "年中": 630}


class Measure(NamedTuple):
    """An indicator value (年度指标值 or 实际完成值) as understood (a named tuple: cheap to make, and every
    new cell text makes one or two)."""

    status: str  # OK, BLANK, NOT_APPLICABLE, UNREADABLE
    form: str = ""  # QUANTITY or QUALITATIVE when status is OK
    text: str = ""  # cleaned text
    comparator: str | None = None  # GE, GT, LE, LT, EQ, RANGE
    approximate: bool = False
    value: float | None = None  # in the base unit (the lower bound of a range)
    unit: str = ""  # base unit
    frequency: bool = False  # value is a count per year
    note: str = ""
    high: float | None = None  # upper bound of a range, base unit
    deadline: bool = False  # a date or time limit: value = month × 100 + day
    year: int | None = None  # the year of a date, when written
    written_unit: str = ""  # the unit as written, for messages
    scale: float = 1.0  # base value = written value × scale

    @property
    def is_quantity(self) -> bool:
        """True for a figure (with or without comparator and unit), a range or a date."""
        return self.status == OK and self.form == QUANTITY

    @property
    def is_qualitative(self) -> bool:
        """True for words without a figure (保持, 及时完成 …)."""
        return self.status == OK and self.form == QUALITATIVE

    @property
    def is_range(self) -> bool:
        """True for a range target (90%-100%)."""
        return self.comparator == RANGE

    @property
    def is_observation(self) -> bool:
        """True when the value is a plain observed figure (no comparator, not 约, not a range)."""
        return self.is_quantity and self.comparator is None and not self.approximate

    def shown(self, value: float | None) -> str:
        """A base-unit value as written: 7.289 (万元) → ``"72890元"`` when written in 元."""
        if value is None:
            return "—"
        return f"{format_number(value / self.scale if self.scale else value)}{self.written_unit or self.unit}"

    def describe(self) -> str:
        """Chinese rendering of the value as understood, for explanations."""
        if self.status == BLANK:
            return "（空白）"
        if self.status == NOT_APPLICABLE:
            return "（不适用）"
        if self.status == UNREADABLE:
            return f"无法识别（{self.note}）"
        if self.form == QUALITATIVE or self.deadline:
            return f"“{self.text}”"
        if self.frequency:
            return f"{self.text}（折合每年{format_number(self.value)}次）"
        if self.is_range:
            low = format_number(self.value / self.scale if self.scale else self.value)
            return f"{low}–{self.shown(self.high)}"
        words = {GE: "≥", GT: ">", LE: "≤", LT: "<", EQ: "="}
        prefix = ("约" if self.approximate else "") + words.get(self.comparator or "", "")
        return prefix + self.shown(self.value)


# ------------------------------------------------------------------ pieces


def chinese_number(text: str) -> tuple[int, int] | None:
    """A Chinese numeral at the start of ``text``: ``"一百二十人"`` → (120, 4); None when there is none."""
    total = section = 0
    digit: int | None = None
    used = 0
    for ch in text:
        if ch in _CN_DIGITS:
            if digit is not None:
                break
            digit = _CN_DIGITS[ch]
        elif ch in _CN_MULTIPLIERS:
            section += (digit if digit is not None else 1) * _CN_MULTIPLIERS[ch]
            digit = None
        elif ch == "万" and used:
            total = (total + section + (digit or 0)) * 10000
            section, digit = 0, None
        else:
            break
        used += 1
    if not used:
        return None
    return total + section + (digit or 0), used


def _count(text: str | None, default: int = 1) -> int | None:
    if not text:
        return default
    if text.isdigit():
        return int(text)
    parsed = chinese_number(text)
    return parsed[0] if parsed and parsed[1] == len(text) else None


def _unit(rest: str) -> tuple[str, float, str] | None:
    """(base unit, factor, written unit) of the text after a number, or None when it is not a unit."""
    if rest == "":
        return "", 1.0, ""
    for suffix in ("/年", "每年"):
        if rest.endswith(suffix) and len(rest) > len(suffix):
            rest = rest[: -len(suffix)]
    lowered = rest.lower()
    if lowered in _UNITS:
        base, factor = _UNITS[lowered]
        return base, factor, rest
    if rest.startswith("万") and rest[1:].lower() in _UNITS:
        base, factor = _UNITS[rest[1:].lower()]
        return base, factor * 10000.0, rest
    if "/" in rest:
        head, _, tail = rest.partition("/")
        top = _unit(head) if head else None
        denominator = re.sub(r"[*×xX・•.]", "·", tail)
        if top and top[0] and denominator and re.fullmatch(r"[\u4e00-\u9fff·]{1,6}", denominator):
            return f"{top[0]}/{denominator}", top[1], f"{top[2]}/{denominator}"
    return None


_PREFIX_RE = re.compile("^(?:" + "|".join(re.escape(w) for w, _ in _PREFIX_COMPARATORS) + ")")
_PREFIX_CODES = dict(_PREFIX_COMPARATORS)
_SUFFIX_RE = re.compile(".(?:" + "|".join(re.escape(w) for w, _ in _SUFFIX_COMPARATORS) + ")$")
_SUFFIX_CODES = dict(_SUFFIX_COMPARATORS)


def _strip_comparator(text: str) -> tuple[str, str | None, bool]:
    approximate = False
    comparator: str | None = None
    for word in ("大约", "约为", "约", "左右"):
        if text.startswith(word):
            approximate, text = True, text[len(word):]
            break
    if text.endswith("左右"):
        approximate, text = True, text[:-2]
    prefix = _PREFIX_RE.match(text)
    if prefix:
        comparator, text = _PREFIX_CODES[prefix.group(0)], text[prefix.end():]
    suffix = _SUFFIX_RE.search(text)
    if suffix:
        word = suffix.group(0)[1:]
        comparator = comparator or _SUFFIX_CODES[word]
        text = text[: -len(word)]
    if not approximate and text.startswith("约"):
        approximate, text = True, text[1:]
    return text, comparator, approximate


def _number_and_rest(body: str) -> tuple[float, str] | None:
    if body.startswith("百分之"):
        rest = body[3:]
        match = _NUMBER_RE.match(rest)
        if match:
            return float(match.group("num")), "%" + match.group("rest")
        parsed = chinese_number(rest)
        return (float(parsed[0]), "%" + rest[parsed[1]:]) if parsed else None
    match = _NUMBER_RE.match(body)
    if match:
        return float(match.group("num")), match.group("rest")
    parsed = chinese_number(body)
    if parsed and parsed[1] < len(body):  # a Chinese numeral counts only with a unit after it
        return float(parsed[0]), body[parsed[1]:]
    return None


def _plain_quantity(text: str, body: str, comparator: str | None, approximate: bool) -> Measure | None:
    found = _number_and_rest(body)
    if found is None:
        return None
    unit = _unit(found[1])
    if unit is None:
        return None
    value = found[0] * unit[1]
    if value != value or value in (float("inf"), float("-inf")):
        return Measure(UNREADABLE, text=text, note=f"“{text}”数值过大")
    return Measure(OK, QUANTITY, text, comparator, approximate, value, unit[0],
                   written_unit=unit[2], scale=unit[1])


def _frequency(text: str, body: str, comparator: str | None, approximate: bool) -> Measure | None:
    if "次" not in body and not body.startswith(("按", "每")):
        return None
    for pattern in _FREQUENCIES:
        match = pattern.match(body)
        if not match:
            continue
        groups = match.groupdict()
        every, count = _count(groups.get("n")), _count(groups.get("c"))
        if every is None or count is None or every == 0:
            return None
        per_year = _PERIODS_PER_YEAR[match.group("p")] * count / every
        if comparator is None and any(w in body for w in ("至少", "不少于", "不低于")):
            comparator = GE
        return Measure(OK, QUANTITY, text, comparator, approximate, float(per_year), "次", True,
                       written_unit="次")
    return None


def _date(text: str, body: str) -> Measure | None:
    if "月" not in body and "年" not in body:
        return None
    match = _DATE_RE.match(body)
    if not match:
        return None
    if match.group("yearpart"):
        value = _YEARPART_DATE[match.group("yearpart")]
    else:
        day = match.group("day")
        part = match.group("part")
        value = int(match.group("month")) * 100 + (int(day) if day else _PART_DAY.get(part or "", 31))
    comparator = LE if match.group("suffix") or match.group("yearpart") in ("年内", "年度内") else None
    year = int(match.group("year")) if match.group("year") else None
    return Measure(OK, QUANTITY, text, comparator, False, float(value), DATE_UNIT, deadline=True, year=year,
                   written_unit=DATE_UNIT)


def _bound(part: str) -> Measure | None:
    measure = _parse_text(part)
    return measure if measure.is_quantity and not measure.frequency and not measure.deadline else None


def _range(text: str, body: str) -> Measure | None:
    bracket = _BRACKET_RANGE.match(body)
    if bracket:
        unit = bracket.group("u")
        low, high = _bound(bracket.group("a") + unit), _bound(bracket.group("b") + unit)
    else:
        match = _RANGE_RE.match(body)
        if match:
            unit = match.group("ub") or match.group("ua")
            low = _bound(match.group("a") + (match.group("ua") or unit))
            high = _bound(match.group("b") + unit)
        else:
            parts = _BOTH.split(body)
            if len(parts) != 2:
                return None
            first, second = _bound(parts[0]), _bound(parts[1])
            if first is None or second is None:
                return None
            kinds = {first.comparator, second.comparator}
            if not (kinds & {GE, GT} and kinds & {LE, LT}):
                return None
            low, high = (first, second) if first.comparator in (GE, GT) else (second, first)
    if low is None or high is None or low.value is None or high.value is None:
        return None
    if low.unit and high.unit and low.unit != high.unit:
        return None
    keep = high if high.unit else low
    if low.value > high.value:
        return None
    return Measure(OK, QUANTITY, text, RANGE, False, low.value, keep.unit, high=high.value,
                   written_unit=keep.written_unit, scale=keep.scale)


@lru_cache(maxsize=65536)
def _parse_text(text: str) -> Measure:
    if not text:
        return Measure(BLANK)
    if text in MEASURE_NA:
        return Measure(NOT_APPLICABLE, text=text)
    plain = _PLAIN.match(text)
    if plain:  # the common case: “98%”, “31场”, “10” with nothing around it
        unit = _UNITS.get(plain.group(2).lower()) if plain.group(2) else ("", 1.0)
        if unit is not None:
            return Measure(OK, QUANTITY, text, None, False, float(plain.group(1)) * unit[1], unit[0],
                           written_unit=plain.group(2), scale=unit[1])
    body = _INCLUSIVE.sub("", text) if "(" in text else text
    for prefix in _COUNT_PREFIXES:
        if body.startswith(prefix) and len(body) > len(prefix):
            rest = body[len(prefix):]
            if rest[0].isdigit() or rest[0] in _CN or rest[0] in "≥≤><=约":
                body = rest
            break
    date = _date(text, body)
    if date is not None:
        return date
    if body[:1] in "[【(" or _BOTH.search(body) or any(mark in body for mark in "-~～至到—–"):
        ranged = _range(text, _THOUSANDS.sub("", body) if body[:1] not in "[【(" else body)
        if ranged is not None:
            return ranged
    body, comparator, approximate = _strip_comparator(body)
    found = _frequency(text, body, comparator, approximate)
    if found is None:
        found = _plain_quantity(text, _THOUSANDS.sub("", body), comparator, approximate)
    return found if found is not None else Measure(OK, QUALITATIVE, text)


@lru_cache(maxsize=65536)
def _parse_typed(typed: str) -> Measure:
    """A cell's text as typed, read (remembered per text as typed: a cell read again costs one lookup)."""
    return _parse_text(_clean_str(typed))


def parse_measure(raw: Any) -> Measure:
    """Read a 年度指标值 or 实际完成值 (see the module docstring for the forms understood).

    Numbers that arrive as numbers become quantities without a unit.
    """
    if isinstance(raw, str):
        return _parse_typed(raw)
    native = _from_native(raw)
    if native is not None:
        if native.status == OK:
            return Measure(OK, QUANTITY, clean_text(raw), value=native.value)
        return Measure(native.status, note=native.note)
    return _parse_text(clean_text(raw))


def unit_of(raw: Any) -> tuple[str, float, str] | None:
    """A 度量单位 / 计量单位 cell as (base unit, factor, written unit); None when blank or not a unit."""
    text = clean_text(raw)
    if not text or text in MEASURE_NA:
        return None
    found = _unit(text)
    return found if found and found[0] else None


def with_unit(measure: Measure, unit: tuple[str, float, str] | None) -> Measure:
    """A unitless quantity read in ``unit`` (from the row's unit column or the target's unit)."""
    if unit is None or not measure.is_quantity or measure.unit or measure.frequency or measure.deadline:
        return measure
    base, factor, written = unit
    high = measure.high * factor if measure.high is not None else None
    value = measure.value * factor if measure.value is not None else None
    return measure._replace(value=value, high=high, unit=base, written_unit=written, scale=factor)


def written_unit(measure: Measure) -> tuple[str, float, str] | None:
    """The unit a quantity was written in, as :func:`with_unit` takes it."""
    if not measure.is_quantity or not measure.unit or measure.frequency or measure.deadline:
        return None
    return measure.unit, measure.scale, measure.written_unit or measure.unit


def units_compatible(target: Measure, actual: Measure) -> bool:
    """True when the two figures can be compared (a missing unit matches any)."""
    return not target.unit or not actual.unit or target.unit == actual.unit


_COUNT_BASES = frozenset(_COUNT_UNITS)


def is_count(measure: Measure) -> bool:
    """True for a plain count: a figure with no unit or a counting unit (个, 次, 人, 户 …), not a
    rate, an amount, a size, a duration, a date or a frequency."""
    return (measure.is_quantity and not measure.frequency and not measure.deadline
            and (not measure.unit or measure.unit in _COUNT_BASES))
