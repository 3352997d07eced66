"""Numbers shown as the user saw them in Excel: the number-format renderer."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook.documents.numfmt import LOCALE_BUILTINS, is_date_format, render, serial_to_datetime, split_sections

CASES = [
    (0.5, "0.00", "0.50"), (1, "0%", "100%"), (0.05, "0%", "5%"), (0.9876, "0.00%", "98.76%"),
    (1.0235, "0.0%", "102.4%"), (1234567.891, "#,##0.00", "1,234,567.89"), (2662.18, "General", "2662.18"),
    (0.1 + 0.2, "General", "0.3"), (-0.3, "General", "-0.3"), (0.000123, "General", "0.000123"),
    (123456789012345678, "General", "1.23457E+17"), (400, "G/通用格式", "400"), (10, 'G/通用格式"分"', "10分"),
    (523.12, '0.00"万元"', "523.12万元"), (-5, "0.00;[Red]-0.00", "-5.00"), (-5, "0.00_);(0.00)", "(5.00)"),
    (5, "0.00_);(0.00)", "5.00"), (0, '0.00;-0.00;"—"', "—"), (0, "0;-0;;@", ""), (2.675, "0.00", "2.68"),
    (2.665, "0.00", "2.67"), (-2.5, "0", "-3"), (12345, "0.00E+00", "1.23E+04"), (0.00012, "0.0E+00", "1.2E-04"),
    (1234567, "#,##0,", "1,235"), (1.5, "¥#,##0.00", "¥1.50"), (1.5, "[$¥-804]#,##0.00", "¥1.50"), (400, "0_ ", "400"),
    (3, "0.0#", "3.0"), (3.14159, "0.0#", "3.14"), (7, "00", "07"), (3, "0.", "3."), (12, '"第"0"名"', "第12名"),
    (100, '[>=100]0"以上";0', "100以上"), (99, '[>=100]0"以上";0', "99"), (0.5, "# ?/?", "0.5"),
    (-0.001, "0.00", "0.00"), (1e-12, "General", "1E-12"), (True, "General", "TRUE"), ("文字", "@", "文字"),
    ("abc", '0;-0;0;"备注："@', "备注：abc"), (float("nan"), "0.00", "#NUM!"),
]


@pytest.mark.parametrize(("value", "fmt", "shown"), CASES)
def test_render(value, fmt, shown):
    assert render(value, fmt) == shown


@pytest.mark.parametrize(("value", "fmt", "shown"), [
    (44621, 'yyyy"年"m"月"d"日"', "2022年3月1日"), (44621, "yyyy/m/d", "2022/3/1"), (44621, "yyyy-mm-dd", "2022-03-01"),
    (44621.5, "yyyy/m/d h:mm", "2022/3/1 12:00"), (44621.75, "h:mm AM/PM", "6:00 PM"), (44621.25, "上午/下午h时mm分", "上午6时00分"),
    (dt.datetime(2022, 12, 31, 8, 5, 9), "yyyy.mm.dd hh:mm:ss", "2022.12.31 08:05:09"), (44621, "aaaa", "星期二"),
    (44621, "mmm d, yyyy", "Mar 1, 2022"), (44621, "dddd", "Tuesday"), (dt.date(2023, 1, 5), "m/d", "1/5"),
    (dt.date(2023, 1, 5), "General", "2023/1/5"), (dt.time(9, 30), "h:mm", "9:30"), (44621, LOCALE_BUILTINS[14], "2022/3/1"),
    (44621, LOCALE_BUILTINS[31], "2022年3月1日"), (44621, "[$-F800]yyyy/mm/dd", "2022/03/01"),
])
def test_render_dates(value, fmt, shown):
    assert render(value, fmt) == shown


def test_serials_and_systems():
    assert serial_to_datetime(1) == dt.datetime(1900, 1, 1)
    assert serial_to_datetime(61) == dt.datetime(1900, 3, 1)  # after the phantom 29 Feb 1900
    assert serial_to_datetime(0, date1904=True) == dt.datetime(1904, 1, 1)
    assert render(0, "yyyy/m/d", date1904=True) == "1904/1/1"


def test_sections_and_date_detection():
    assert split_sections('0.00;"a;b";[Red]0') == ["0.00", '"a;b"', "[Red]0"]
    assert is_date_format('yyyy"年"m"月"') and is_date_format("h:mm") and is_date_format("[$-804]aaaa")
    assert not is_date_format("0.00") and not is_date_format('0"天"') and not is_date_format("G/通用格式")
    assert not is_date_format('"年度"0')


def _half_up(value: float, places: int) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


amounts = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)


@given(amounts, st.integers(min_value=0, max_value=4))
def test_fixed_decimals_round_half_up(value, places):
    fmt = "0" + ("." + "0" * places if places else "")
    expected = _half_up(value, places)
    shown = render(value, fmt)
    assert Decimal(shown) == expected
    assert (shown.partition(".")[2] if places else "") == ("" if not places else shown.split(".")[1])
    assert len(shown.partition(".")[2]) == places


@given(amounts)
def test_thousands_separator_groups_the_same_number(value):
    shown = render(value, "#,##0.00")
    assert Decimal(shown.replace(",", "")) == _half_up(value, 2)
    digits = shown.lstrip("-").split(".")[0]
    assert all(len(group) == 3 for group in digits.split(",")[1:])


@given(st.floats(min_value=0, max_value=100, allow_nan=False))
def test_percent_is_value_times_100(value):
    shown = render(value, "0.0%")
    assert shown.endswith("%")
    assert Decimal(shown[:-1]) == (Decimal(repr(value)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@given(st.decimals(min_value=-1e10, max_value=1e10, places=4, allow_nan=False, allow_infinity=False))
def test_general_gives_back_the_number_typed(value):
    # Excel keeps 15 significant digits; these have at most 15
    number = float(value)
    assert Decimal(render(number, "General")) == Decimal(repr(number)).normalize()
