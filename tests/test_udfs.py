"""The UDFs through xlwings' own Office.js server code path (the test harness, see docs/runtimes.md).

Payloads are shaped as the Office.js client sends them: every argument a 2-D list, empty cells
as "", error cells as ``{"type": "Error", ...}``; results come back as 2-D lists where an
Excel error is ``{"type": "Error", "errorType": ...}`` (custom-functions runtime 1.4).
"""

from __future__ import annotations

import asyncio
import math

import pytest
import xlwings as xw
import xlwings.server as server
from hypothesis import given, settings
from hypothesis import strategies as st

from xlfuncs import cellfuncs, udfs

ERROR_TYPES = {"#DIV/0!": "Div0", "#N/A": "NotAvailable", "#VALUE!": "Value", "#NUM!": "Num",
               "#REF!": "Ref", "#NAME?": "Name", "#NULL!": "Null"}


def body(func: str, *args, runtime: str = "1.4") -> dict:
    """A custom-function call as the Office.js client posts it."""
    return {"client": "Office.js", "func_name": func, "args": [a if isinstance(a, list) else [[a]] for a in args],
            "caller_address": "[主工作簿.xlsx]附件3-3!H9", "session_id": "s1", "culture_info_name": "zh-CN",
            "date_format": "yyyy/m/d", "version": xw.__version__, "runtime": runtime}


def call(func: str, *args, runtime: str = "1.4"):
    """The single value a call returns (the runtime always answers a 2-D list)."""
    result = asyncio.run(server.custom_functions_call(body(func, *args, runtime=runtime), udfs))
    assert isinstance(result, list) and len(result) == 1 and len(result[0]) == 1
    return result[0][0]


def excel_error(code: str) -> dict:
    return {"type": "Error", "errorType": ERROR_TYPES[code]}


def error_arg(code: str) -> list:
    """An error cell as Office.js passes it in an argument."""
    return [[{"type": "Error", "basicType": "Error", "basicValue": code, "errorType": ERROR_TYPES[code]}]]


# ----------------------------------------------------------------------------- meta

def test_meta_lists_every_udf_with_its_help():
    meta = server.custom_functions_meta(udfs)
    functions = {f["name"]: f for f in meta["functions"]}
    assert set(functions) == set(udfs.UDF_NAMES)
    for name in udfs.UDF_NAMES:
        func = functions[name]
        assert func["description"] == getattr(udfs, name).__doc__
        assert any("\u4e00" <= ch <= "\u9fff" for ch in func["description"]), name
        for param in func["parameters"]:
            assert param["description"] == udfs.ARG_DOCS[param["name"]]
    perf = [p["name"] for p in functions["PERF_SCORE"]["parameters"]]
    assert perf[:6] == ["target", "actual", "points", "kind", "band", "name"]
    optional = {p["name"] for p in functions["PERF_SCORE"]["parameters"] if p.get("optional")}
    assert optional == {"kind", "band", "name", "profile", "group"}
    assert [p["name"] for p in functions["EXEC_RATE"]["parameters"]] == ["executed", "budget"]
    assert meta["allowErrorForDataTypeAny"] is True


# ----------------------------------------------------------------------------- values

def test_exec_rate_of_the_seed_project_3_3():
    value = call("EXEC_RATE", 523.12, 31.6)
    assert math.isclose(value, 523.12 / 31.6)
    assert str(value).startswith("16.554")


def test_values_are_the_rules_figures():
    assert call("BUDGET_SCORE", 523.12, 31.6, 10) == 10  # 执行率 1655 %: min(执行率, 1)
    assert call("BUDGET_SCORE", 90, 100, 10) == 9.0
    assert call("PERF_SCORE", "≥50个", "40", 10) == 8.0
    assert call("PERF_SCORE", "≤90万元", "99", 10) == 9.0  # linear: 10 × (1 − 9/90)
    assert call("PERF_SCORE", "≤90万元", "99", 10, "", "", "", "hubei") == 9.09  # ratio: 10 × 90/99
    assert call("PERF_SCORE", "及时完成", "及时完成", 5) == 5.0
    assert call("GRADE", 95) == "优"
    assert call("GRADE", 59.99) == "差"
    assert call("CHECK_EQUAL", 2662.18, [[1372.76], [1289.42]]) == cellfuncs.CHECK_OK
    assert call("CHECK_EQUAL", 100, [[60], [50]]) == 10
    assert call("CHECK_HEADING", "产出指标(50分)", [[20], [20], [20]]) == 10
    assert call("CHECK_HEADING", "产出指标\n(50分)", [[20], [20], [10]]) == cellfuncs.CHECK_OK


def test_perf_explain_is_one_chinese_sentence_on_how():
    text = call("PERF_EXPLAIN", "≥50个", "40", 10)
    assert text == "年度指标值≥50个，实际完成40个，正向指标：未达到目标，按完成比例 40÷50 计分，得分 8（分值 10）"
    assert "50" in text and "40" in text and "正向" in text and "\n" not in text
    band = call("PERF_EXPLAIN", "高质量完成", "基本完成", 10, "定性", "部分达成年度指标并具有一定效果")
    assert "部分达成" in band


def test_optional_arguments_kind_band_name():
    # a rate named 差错率 is a reverse indicator even without a comparator
    assert call("PERF_SCORE", "1%", "1.2%", 10, "", "", "差错率") == 8.0  # 10 × (1 − 0.2/1)
    assert call("PERF_SCORE", "1%", "1.2%", 10) == 10.0  # without the name: positive, target met
    assert call("PERF_SCORE", "50", "40", 10, "反向") == 10.0
    partial = call("PERF_SCORE", "高质量完成", "基本完成", 10, "定性", "部分达成年度指标并具有一定效果")
    assert 6 <= partial < 8


def test_two_d_ranges():
    column = [[10.0], [20.0], [""], [5.5]]
    assert call("CHECK_EQUAL", 35.5, column) == cellfuncs.CHECK_OK
    row = [[10.0, 20.0, 5.5]]
    assert call("CHECK_EQUAL", 35.5, row) == cellfuncs.CHECK_OK
    assert call("SCORE_TOTAL", 10, [[20], [10], [10], [10], [15], [15], [10]]) == 100
    block = [[1, 2], [3, 4]]
    assert call("CHECK_EQUAL", 10, block) == cellfuncs.CHECK_OK


# ----------------------------------------------------------------------------- errors

@pytest.mark.parametrize(("func", "args", "code"), [
    ("EXEC_RATE", (523.12, 0), "#DIV/0!"),
    ("EXEC_RATE", ("", 31.6), "#VALUE!"),
    ("EXEC_RATE", ("五百", 31.6), "#VALUE!"),
    ("BUDGET_SCORE", (100, 100, "十"), "#VALUE!"),
    ("PERF_SCORE", ("大于14000次", "大于14000次", 10), "#VALUE!"),   # E1: the target phrase again
    ("PERF_SCORE", ("≥50个", "40", ""), "#VALUE!"),                  # no points
    ("PERF_SCORE", ("高质量完成", "基本完成", 10), "#N/A"),            # qualitative needs a band
    ("SCORE_TOTAL", (10, [[5], [""], [3]]), "#VALUE!"),              # an empty score
    ("GRADE", ("优秀",), "#VALUE!"),
    ("CHECK_EQUAL", (10, [["十"]]), "#VALUE!"),
    ("PERF_SCORE", ("≥50个", "40", 10, "斜向"), "#VALUE!"),          # unknown kind
    ("PERF_SCORE", ("≥50个", "40", 10, "", "", "", "no-such-profile"), "#VALUE!"),
])
def test_unjudgeable_gives_an_error_value(func, args, code):
    assert call(func, *args) == excel_error(code)


@pytest.mark.parametrize("code", list(ERROR_TYPES))
def test_error_value_arguments_propagate(code):
    assert call("EXEC_RATE", error_arg(code), 31.6) == excel_error(code)
    assert call("PERF_SCORE", "≥50个", error_arg(code), 10) == excel_error(code)
    assert call("SCORE_TOTAL", 10, [[5], error_arg(code)[0]]) == excel_error(code)
    explain = call("PERF_EXPLAIN", "≥50个", error_arg(code), 10)
    assert explain.startswith("无法评分") and code in explain


def test_missing_arguments_are_none_and_never_a_number():
    # an empty cell passed for a required argument arrives as None
    assert call("EXEC_RATE", "", "") == excel_error("#VALUE!")
    assert call("PERF_SCORE", "", "", "") == excel_error("#VALUE!")


def test_older_runtime_gets_the_error_text():
    assert call("EXEC_RATE", 1, 0, runtime="1.2") == "#DIV/0!"


def test_adapter_carries_the_reason_and_never_raises(monkeypatch):
    result = udfs.EXEC_RATE(523.12, 0)
    assert isinstance(result, udfs.UdfError) and result == "#DIV/0!" and "为0" in result.reason

    def boom(*_):
        raise RuntimeError("bug")

    monkeypatch.setattr(cellfuncs, "exec_rate", boom)
    broken = udfs.EXEC_RATE(1, 2)
    assert broken == "#VALUE!" and broken.reason


cell = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
                 st.booleans(), st.integers(min_value=-10**6, max_value=10**6),
                 st.sampled_from(list(ERROR_TYPES)))


@settings(max_examples=150, deadline=None)
@given(st.lists(cell, min_size=3, max_size=6))
def test_any_cell_values_give_a_value_or_an_error(values):
    for name in ("PERF_SCORE", "PERF_EXPLAIN"):
        result = getattr(udfs, name)(*values)
        assert isinstance(result, (int, float, str)) and not isinstance(result, bool)
        if isinstance(result, float):
            assert math.isfinite(result)
    for name, n in (("EXEC_RATE", 2), ("BUDGET_SCORE", 3), ("GRADE", 1), ("CHECK_EQUAL", 2),
                    ("CHECK_HEADING", 2), ("SCORE_TOTAL", 2)):
        result = getattr(udfs, name)(*values[:n])
        assert isinstance(result, (int, float, str))
