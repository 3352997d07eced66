"""The value parser: rules.md §3 examples, and properties over arbitrary input."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xlfuncs.measures import parse_measure
from xlfuncs.values import (
    BLANK,
    EQ,
    GE,
    GT,
    LE,
    LT,
    NOT_APPLICABLE,
    OK,
    UNREADABLE,
    clean_text,
    format_rate,
    heading_points,
    parse_amount,
    parse_points,
    parse_rate,
)

pytestmark = pytest.mark.core

ANY_VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(), st.text(alphabet="０１２３４５６７８９．　%％万元分次约大于小于≥≤≧═=<>以上以内每月一—-/（）()\n "),
    st.lists(st.integers(), max_size=3),
)

pytestmark = pytest.mark.core  # engine tests: `pytest -m core` runs them alone in seconds


@pytest.mark.parametrize(("raw", "value"), [
    ("　400", 400.0), ("523.12万", 523.12), ("523.12万元", 523.12), ("１２３．５", 123.5),
    (400, 400.0), ("1,289.42", 1289.42), ("5231200元", 523.12), ("  31.6 ", 31.6),
])
def test_amounts(raw, value):
    parsed = parse_amount(raw)
    assert parsed.status == OK and parsed.value == pytest.approx(value)


@pytest.mark.parametrize(("raw", "status"), [
    (None, BLANK), ("", BLANK), ("　", BLANK), ("—", NOT_APPLICABLE), ("-", NOT_APPLICABLE),
    ("/", NOT_APPLICABLE), ("四百", UNREADABLE), ("12次", UNREADABLE), (True, UNREADABLE),
    (float("nan"), UNREADABLE),
])
def test_amount_statuses(raw, status):
    assert parse_amount(raw).status == status


def test_points_and_rates():
    assert parse_points("10分").value == 10
    assert parse_points("10　").value == 10
    assert parse_rate("100%").value == 1.0
    assert parse_rate("95").value == pytest.approx(0.95)
    assert parse_rate(0.95).value == pytest.approx(0.95)
    assert parse_rate("１６５５．４％").value == pytest.approx(16.554)
    assert format_rate(523.12 / 31.6) == "1655.4%"


@pytest.mark.parametrize(("raw", "points"), [
    ("产出指标\n(50分)", 50), ("效益指标\n（30分）　", 30), ("满意度\n指标\n（10分）", 10), ("产出指标", None),
])
def test_heading_points(raw, points):
    assert heading_points(raw) == points


@pytest.mark.parametrize(("raw", "comparator", "value", "unit"), [
    ("30场", None, 30, "场"), ("　31场", None, 31, "场"), ("≥50个", GE, 50, "个"), ("≤90万元", LE, 90, "万元"),
    ("=8个", EQ, 8, "个"), ("═8个", EQ, 8, "个"), ("≤202.6万元", LE, 202.6, "万元"), ("95%", None, 95, "%"),
    ("≥11.376万元", GE, 11.376, "万元"), ("98%以上", GE, 98, "%"), ("大于14000次", GT, 14000, "次"),
    ("小于0.5%", LT, 0.5, "%"), ("不低于95%", GE, 95, "%"), ("不高于5%", LE, 5, "%"), ("≧3台", GE, 3, "台"),
    ("＞10人次", GT, 10, "人次"), ("10亩以内", LE, 10, "亩"), ("大于13万", GT, 13, "万元"), ("12万元", None, 12, "万元"),
    ("达到100%", GE, 100, "%"),
])
def test_quantities(raw, comparator, value, unit):
    m = parse_measure(raw)
    assert m.is_quantity
    assert (m.comparator, m.value, m.unit) == (comparator, pytest.approx(value), unit)


def test_approximate_and_frequency():
    m = parse_measure("约3200次")
    assert m.approximate and m.value == 3200 and not m.is_observation
    f = parse_measure("每月一次")
    assert f.frequency and f.value == 12 and f.unit == "次"
    assert parse_measure("每季度一次").value == 4
    assert parse_measure("每年一次").value == 1


@pytest.mark.parametrize("raw", ["及时完成", "保持", "高质量完成", "在项目计划完成时间内完成", "达成预期指标",
                                 "2022年全年相关维修改造费等"])
def test_qualitative(raw):
    assert parse_measure(raw).is_qualitative


def test_clean_text_folds_layout():
    assert clean_text("效益指标\n（30分）　") == "效益指标(30分)"
    assert clean_text(10.0) == "10"


@given(ANY_VALUE)
def test_parsers_never_raise(raw):
    for parser in (parse_amount, parse_points, parse_rate, parse_measure):
        result = parser(raw)
        assert result.status in (OK, BLANK, NOT_APPLICABLE, UNREADABLE)
        if result.status == UNREADABLE:
            assert result.note
        value = getattr(result, "value", None)
        assert value is None or math.isfinite(value)
    heading_points(raw)
    clean_text(raw)


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from(["", "　", " ", "\n"]), st.sampled_from(["", "万", "万元"]))
def test_amount_round_trip_with_decoration(number, pad, unit):
    text = f"{pad}{number}{unit}{pad}"
    full_width = text.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    for raw in (text, full_width):
        parsed = parse_amount(raw)
        assert parsed.status == OK
        assert parsed.value == pytest.approx(float(number))
