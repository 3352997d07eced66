"""The worksheet functions as xlwings UDFs: thin adapters over :mod:`xlfuncs.cellfuncs`.

This is the one module in ``xlfuncs`` that imports xlwings. xlwings picks the decorators
when it is first imported (see docs/runtimes.md):

* Windows Excel with a local Python (classic xlwings): ``@xw.func`` registers the function
  for the pre-generated VBA wrappers in the workbook's ``xlwings_udfs`` module
  (``workbook/vba.py``), which call ``XLPy.CallUDF("xlfuncs.udfs", NAME, ...)``.
* xlwings Lite / the server code path (``XLWINGS_ON_SERVER=true``): the Office.js decorators;
  the docstrings below become the function help Excel shows.
* Anywhere else the decorators do nothing and these are plain Python functions.

Arguments arrive as Excel sends them: ``None`` for an empty cell, floats, strings, booleans,
lists for ranges, and error values as their text (``err_to_str``: "#DIV/0!" …). A result
that cannot be judged is an Excel error value: the adapter returns a :class:`UdfError`, a
``str`` holding the error code (which each runtime turns into a real error value: the Office.js
converter does it for codes starting with "#", the generated VBA wrapper does it with
``CVErr``) and carrying the Chinese reason in ``.reason``. ``PERF_EXPLAIN`` states the reason
in a cell. Nothing here raises.

No ``from __future__ import annotations`` here on purpose: xlwings' server path resolves each
UDF's type hints on every call, and string annotations would be compiled each time.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

import xlwings as xw

from . import cellfuncs
from .cellfuncs import CellError
from .profile_text import render

#: The UDFs the workbook formulas call, in the order the VBA wrappers are written.
UDF_NAMES = ("EXEC_RATE", "BUDGET_SCORE", "PERF_SCORE", "PERF_EXPLAIN", "SCORE_TOTAL",
             "GRADE", "CHECK_EQUAL", "CHECK_HEADING")

#: Excel function category shown in the Insert Function dialog (classic xlwings).
CATEGORY = "预算绩效自评"

_INTERNAL_REASON = "计算出错，请用“校验”按钮或命令行 perfeval validate 查看原因"


class UdfError(str):
    """An Excel error code (``"#VALUE!"`` …) as a UDF result, with the reason it was returned."""

    reason: str

    def __new__(cls, code: str, reason: str = "") -> "UdfError":
        obj = super().__new__(cls, code)
        obj.reason = reason
        return obj

    @property
    def code(self) -> str:
        """The error code, e.g. ``"#N/A"``."""
        return str.__str__(self)


def to_excel(result: Any) -> Any:
    """Convert a cell-function result to what a UDF returns: errors become :class:`UdfError`."""
    if isinstance(result, CellError):
        return UdfError(result.code, result.reason)
    return result


def _adapter(func: Callable[..., Any]) -> Callable[..., Any]:
    """Convert the result and keep any unexpected exception out of Excel. The help text (the
    docstring) shows the default profile's figures: ``{budget_rule}`` and the like are filled in."""

    @wraps(func)
    def wrapper(*args: Any) -> Any:
        try:
            return to_excel(func(*args))
        except Exception:  # noqa: BLE001 - a UDF must never raise into Excel
            return UdfError("#VALUE!", _INTERNAL_REASON)

    wrapper.__doc__ = render(func.__doc__ or "")
    return wrapper


#: What each argument means, shown by Excel's function help (Office.js and classic xlwings);
#: ``{…}`` are the default profile's figures.
_ARG_HELP = {
    "executed": "全年执行数（万元）",
    "budget": "全年预算数（万元）",
    "points": "分值",
    "target": "年度指标值，如“≥50个”“95%”“及时完成”",
    "actual": "实际完成值，如“50”“100%”“达成预期指标”",
    "kind": "指标性质（可选）：正向、反向、等于、约、定性；留空自动判断",
    "band": "定性指标的评价档次（可选），如“部分达成年度指标并具有一定效果”",
    "name": "三级指标名称（可选），用于识别差错率等反向指标",
    "profile": "规则配置（可选）：名称或 .toml 文件路径，默认 default",
    "group": "二级指标（可选），用于识别成本指标（无比较符号时成本越低越好）",
    "budget_score": "预算执行率得分",
    "scores_range": "各项指标得分所在区域",
    "rate": "执行率（可选）：规则配置按执行率封顶总分时使用",
    "budget_points": "预算执行率分值（可选）",
    "total": "总分",
    "expected": "应有的数（如年度资金总额）",
    "actual_or_range": "实际的数，或要求和的区域",
    "tolerance": "允许误差（可选）；留空时为规则配置的金额允差（默认 {amount_tolerance}）",
    "heading": "一级指标名称，如“产出指标(50分)”",
    "points_range": "该一级指标下各行分值所在区域",
}
ARG_DOCS = {name: render(text) for name, text in _ARG_HELP.items()}


def _cell(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``@xw.arg`` for one argument: error values arrive as their text, ranges as 2-D lists."""
    return xw.arg(name, doc=ARG_DOCS[name], err_to_str=True, ndim=2)


@xw.func(category=CATEGORY)
@_cell("executed")
@_cell("budget")
@_adapter
def EXEC_RATE(executed: Any, budget: Any) -> Any:
    """执行率 = 全年执行数 ÷ 全年预算数（小数，单元格设为百分比格式）。预算数为0或不是数字时返回错误值。"""
    return cellfuncs.exec_rate(executed, budget)


@xw.func(category=CATEGORY)
@_cell("executed")
@_cell("budget")
@_cell("points")
@_cell("profile")
@_adapter
def BUDGET_SCORE(executed: Any, budget: Any, points: Any, profile: Any = None) -> Any:
    """预算执行率得分 = {budget_rule}（按规则配置），保留2位小数。无法计算时返回错误值。"""
    return cellfuncs.budget_score(executed, budget, points, profile)


@xw.func(category=CATEGORY)
@_cell("target")
@_cell("actual")
@_cell("points")
@_cell("kind")
@_cell("band")
@_cell("name")
@_cell("profile")
@_cell("group")
@_adapter
def PERF_SCORE(target: Any, actual: Any, points: Any, kind: Any = None, band: Any = None,
               name: Any = None, profile: Any = None, group: Any = None) -> Any:
    """按评分规则计算一项绩效指标的得分。实际完成值写成目标式表述、单位不一致、定性指标未给档次等无法评分时返回错误值，原因见 PERF_EXPLAIN。"""
    return cellfuncs.perf_score(target, actual, points, kind, band, name, profile, group)


@xw.func(category=CATEGORY)
@_cell("target")
@_cell("actual")
@_cell("points")
@_cell("kind")
@_cell("band")
@_cell("name")
@_cell("profile")
@_cell("group")
@_adapter
def PERF_EXPLAIN(target: Any, actual: Any, points: Any, kind: Any = None, band: Any = None,
                 name: Any = None, profile: Any = None, group: Any = None) -> Any:
    """用一句话说明该指标得分的由来：对目标值和实际值的理解、所用规则和档次，或无法评分的原因。"""
    return cellfuncs.perf_explain(target, actual, points, kind, band, name, profile, group)


@xw.func(category=CATEGORY)
@_cell("budget_score")
@_cell("scores_range")
@_cell("rate")
@_cell("profile")
@_cell("budget_points")
@_cell("points_range")
@_adapter
def SCORE_TOTAL(budget_score: Any, scores_range: Any, rate: Any = None, profile: Any = None,
                budget_points: Any = None, points_range: Any = None) -> Any:
    """总分 = 预算执行率得分 + 各项指标得分；任何一项为错误值或空白时返回错误值。规则配置按执行率封顶总分时，须给出执行率；给出分值时，分值合计不等于100则不给总分。"""
    return cellfuncs.score_total(budget_score, scores_range, rate, profile, budget_points, points_range)


@xw.func(category=CATEGORY)
@_cell("total")
@_cell("profile")
@_adapter
def GRADE(total: Any, profile: Any = None) -> Any:
    """按总分评定等级：{grades}（默认规则配置；分档以所用规则配置为准）。"""
    return cellfuncs.grade(total, profile)


@xw.func(category=CATEGORY)
@_cell("expected")
@_cell("actual_or_range")
@_cell("tolerance")
@_cell("profile")
@_adapter
def CHECK_EQUAL(expected: Any, actual_or_range: Any, tolerance: Any = None, profile: Any = None) -> Any:
    """核对两个数是否相符（区域先求和；允许误差留空时为规则配置的金额允差，默认 {amount_tolerance}）：相符返回“✓”，否则返回差额（实际 − 应有）。"""
    return cellfuncs.check_equal(expected, actual_or_range, tolerance, profile)


@xw.func(category=CATEGORY)
@_cell("heading")
@_cell("points_range")
@_cell("profile")
@_adapter
def CHECK_HEADING(heading: Any, points_range: Any, profile: Any = None) -> Any:
    """核对一级指标下各行分值之和是否等于标题所注分值（未注明时按规则配置）：相符返回“✓”，否则返回差额。"""
    return cellfuncs.check_heading(heading, points_range, profile)
