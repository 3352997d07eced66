"""Indicator values as people write them (issue 8 §2): one case per form, and properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xlfuncs.measures import DATE_UNIT, RANGE, chinese_number, is_count, parse_measure, unit_of, with_unit
from xlfuncs.profiles import load_profile
from xlfuncs.rowscore import score_indicator
from xlfuncs.values import EQ, GE, GT, LE, LT, OK

pytestmark = pytest.mark.core
DEFAULT = load_profile()


@pytest.mark.parametrize(("raw", "low", "high", "unit"), [
    ("90%-100%", 90, 100, "%"), ("[90%,100%]", 90, 100, "%"), ("≥90%且≤100%", 90, 100, "%"),
    ("90-100%", 90, 100, "%"), ("90%~100%", 90, 100, "%"), ("90%至100%", 90, 100, "%"),
    ("【3,5】个", 3, 5, "个"), ("不低于90%且不高于100%", 90, 100, "%"),
])
def test_ranges(raw, low, high, unit):
    m = parse_measure(raw)
    assert m.is_range and m.comparator == RANGE
    assert (m.value, m.high, m.unit) == (pytest.approx(low), pytest.approx(high), unit)


@pytest.mark.parametrize(("raw", "comparator", "value", "unit"), [
    # inclusive marks and suffixes
    ("90%（含）以上", GE, 90, "%"), ("90%以上(含)", GE, 90, "%"), ("98%以上", GE, 98, "%"), ("10亩以内", LE, 10, "亩"),
    ("50人以下", LE, 50, "人"),
    # durations
    ("≤3个工作日", LE, 3, "工作日"), ("3日内", LE, 3, "天"), ("24小时内", LE, 1, "天"), ("6个月", None, 6, "月"),
    ("2周", None, 14, "天"),
    # per-unit costs: kept per unit, money in 万元 underneath
    ("≤200元/人", LE, 0.02, "万元/人"), ("1000元/生", None, 0.1, "万元/生"), ("583元/人*月", None, 0.0583, "万元/人·月"),
    ("≤5300元/户", LE, 0.53, "万元/户"), ("元/户", None, None, ""),
    # ‰, 亿元, Chinese numerals, 达
    ("5‰", None, 0.5, "%"), ("1.2亿元", None, 12000, "万元"), ("五次", None, 5, "次"), ("两场", None, 2, "场"),
    ("一百二十人", None, 120, "人"), ("十二个", None, 12, "个"), ("百分之九十五", None, 95, "%"), ("达98%", GE, 98, "%"),
    # comparators in ASCII and odd code points
    (">=90%", GE, 90, "%"), ("<=5%", LE, 5, "%"), ("‹=5%", LE, 5, "%"), ("﹦100%", EQ, 100, "%"), ("≧3台", GE, 3, "台"),
    ("═8个", EQ, 8, "个"), ("≦2%", LE, 2, "%"), ("＞10人次", GT, 10, "人次"), ("不足5%", LT, 5, "%"),
    ("至少3次", GE, 3, "次"),
    # units
    ("12公顷", None, 12, "公顷"), ("500千克", None, 500, "千克"), ("2吨", None, 2000, "千克"), ("300平方米", None, 300, "平方米"),
    ("3.5公里", None, 3500, "米"), ("20000万美元", None, 2e8, "美元"), ("550万粒", None, 5.5e6, "粒"), ("6艘", None, 6, "艘"),
    ("2200篇", None, 2200, "篇"), ("72890元", None, 7.289, "万元"), ("523.12万", None, 523.12, "万元"),
    # counts with a leading 全年/累计
    ("全年12次", None, 12, "次"), ("累计300户", None, 300, "户"), ("1,289.42万元", None, 1289.42, "万元"),
])
def test_quantities(raw, comparator, value, unit):
    m = parse_measure(raw)
    if value is None:
        assert not m.is_quantity
        return
    assert m.is_quantity, m
    assert (m.comparator, m.unit) == (comparator, unit)
    assert m.value == pytest.approx(value)


@pytest.mark.parametrize(("raw", "per_year"), [
    ("1次/月", 12), ("一月一次", 12), ("按月", 12), ("按季度", 4), ("每月一次", 12), ("每季度一次", 4), ("每年一次", 1),
    ("每两个月一次", 6), ("月均2次", 24), ("12次/年", 12), ("每周2次", 104), ("一年两次", 2), ("每季度不少于1次", 4),
])
def test_frequencies(raw, per_year):
    m = parse_measure(raw)
    assert m.frequency and m.unit == "次" and m.value == pytest.approx(per_year)


@pytest.mark.parametrize(("raw", "comparator", "value", "year"), [
    ("9月前", LE, 931, None), ("11月底前", LE, 1131, None), ("2021年12月完成", None, 1231, 2021), ("7月", None, 731, None),
    ("年底前完成", LE, 1231, None), ("12月31日前", LE, 1231, None), ("2022年10月", None, 1031, 2022),
    ("10月中旬", None, 1020, None), ("已于10月完成", None, 1031, None),
    ("2021年11月30日前完成资金支付", LE, 1130, 2021), ("年内", LE, 1231, None),
])
def test_dates(raw, comparator, value, year):
    m = parse_measure(raw)
    assert m.deadline and m.unit == DATE_UNIT
    assert (m.comparator, m.value, m.year) == (comparator, value, year)


@pytest.mark.parametrize("raw", ["及时完成", "保持", "到0次", "第O份", "11月底完成100%", "三公经费", "一流", "达标", "290$"])
def test_words_stay_words(raw):
    assert parse_measure(raw).is_qualitative


def test_lone_dash_marks():
    for raw in ("一", "—", "/", "-", "——"):
        assert parse_measure(raw).status == "na"


def test_chinese_numbers():
    assert chinese_number("一百二十人") == (120, 4)
    assert chinese_number("两万三千") == (23000, 4)
    assert chinese_number("十") == (10, 1)
    assert chinese_number("人") is None


# --------------------------------------------------------------- in scoring


def score(target, actual, points=10, **kw):
    return score_indicator(target, actual, points, DEFAULT, **kw).score


def test_deadline_met_before_and_missed_after():
    assert score("9月前", "7月") == 10  # corpus a01: July against “before September” is met
    assert score("11月前", "10月") == 10
    assert score("2021年12月完成", "2021年12月完成") == 10
    late = score_indicator("9月前", "10月", 10, DEFAULT)
    assert late.score is None and "晚于" in late.explanation


def test_fraction_typed_into_a_percentage():
    assert score("≥95%", "0.98") == 10  # 98 %, not 0.98 %
    assert score("≥95%", "0.9") == pytest.approx(9.47)
    assert score("≥95%", "96") == 10  # a bare number takes the target's unit


def test_actual_takes_the_unit_of_the_target_or_the_unit_column():
    assert score("=72890元", "72890") == 10
    assert score("72890", "72890", kind="=", unit="元") == 10
    assert score("95", "95", kind="≥", unit="%") == 10
    assert score_indicator("100", "90", 10, DEFAULT, unit="%").explanation.count("%") >= 2


def test_units_convert_within_a_dimension():
    assert score("≥3公里", "3500米") == 10
    assert score("≥1万元", "10000元") == 10
    assert score("≤24小时", "1天") == 10


def test_ranges_in_scoring():
    assert score("90%-100%", "95%") == 10
    assert score("90%-100%", "81%") == 9
    assert score("[90%,100%]", "110%") == 9  # above the range: reverse from its top, 1 − 10/100


def test_per_unit_cost_and_frequency():
    assert score("≤200元/人", "180元/人") == 10
    assert score("≤200元/人", "220元/人") == 9
    assert score("1次/月", "12次") == 10
    assert score("按月", "6次") == 5


# --------------------------------------------------------------- properties

ALPHABET = ("0123456789.%‰万元亿次场人户个≥≤><=﹦═≧‹›约大于小于不低于以上以内（含）()[]【】,，-~至且每月季度年周按一二两三五十百"
            "/人·*前底完成日内小时工作天/　 \n")


@given(st.one_of(st.text(), st.text(alphabet=ALPHABET, max_size=20), st.none(), st.integers(), st.floats()))
def test_parse_measure_never_raises(raw):
    m = parse_measure(raw)
    assert m.status in (OK, "blank", "na", "unreadable")
    for value in (m.value, m.high):
        assert value is None or math.isfinite(value)
    m.describe()


COMPARATORS = {"≥": GE, ">=": GE, "不低于": GE, "≤": LE, "<=": LE, "不超过": LE, "=": EQ, "﹦": EQ, ">": GT, "<": LT, "": None}
UNITS = {"%": ("%", 1.0), "次": ("次", 1.0), "人": ("人", 1.0), "万元": ("万元", 1.0), "元": ("万元", 1e-4),
         "公里": ("米", 1000.0), "亩": ("亩", 1.0), "千克": ("千克", 1.0), "元/人": ("万元/人", 1e-4), "": ("", 1.0)}


@given(st.sampled_from(sorted(COMPARATORS)), st.decimals(min_value=0, max_value=10**7, places=2),
       st.sampled_from(sorted(UNITS)))
def test_round_trip_comparator_number_unit(word, number, unit):
    m = parse_measure(f"{word}{number}{unit}")
    base, factor = UNITS[unit]
    assert m.is_quantity
    assert m.comparator == COMPARATORS[word]
    assert m.unit == base
    assert m.value == pytest.approx(float(number) * factor)
    assert m.shown(m.value).endswith(unit)


@given(st.decimals(min_value=0, max_value=1000, places=1), st.decimals(min_value=0, max_value=1000, places=1),
       st.sampled_from(["{a}%-{b}%", "[{a}%,{b}%]", "≥{a}%且≤{b}%", "{a}-{b}%"]))
def test_round_trip_ranges(a, b, pattern):
    low, high = sorted((a, b))
    m = parse_measure(pattern.format(a=low, b=high))
    assert m.is_range and m.unit == "%"
    assert (m.value, m.high) == (pytest.approx(float(low)), pytest.approx(float(high)))


@given(st.sampled_from([("月", 12), ("季度", 4), ("年", 1), ("周", 52)]), st.integers(1, 30))
def test_round_trip_frequencies(period, count):
    name, per_year = period
    for text in (f"每{name}{count}次", f"{count}次/{name}"):
        m = parse_measure(text)
        assert m.frequency and m.value == pytest.approx(per_year * count)


@given(st.integers(1, 12), st.sampled_from(["前", "底前", "之前", ""]))
def test_round_trip_dates(month, suffix):
    m = parse_measure(f"{month}月{suffix}")
    assert m.deadline and m.value // 100 == month
    assert (m.comparator == LE) is bool(suffix)


def test_unit_column_helpers():
    assert unit_of("元") == ("万元", 1e-4, "元")
    assert unit_of("tot扁") is None and unit_of("") is None
    bare = parse_measure("72890")
    assert with_unit(bare, unit_of("元")).value == pytest.approx(7.289)


@pytest.mark.parametrize(("text", "count"), [
    ("≤4", True), ("10场以内", True), ("≥87人次", True), ("五次", True), ("6艘", True),
    ("≤2%", False), ("≤0.2万元", False), ("≤3天", False), ("≤3个工作日", False), ("5.5亩", False),
    ("1次/月", False), ("11月底前", False), ("及时", False), ("", False),
])
def test_is_count(text, count):
    assert is_count(parse_measure(text)) is count
