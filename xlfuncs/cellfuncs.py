"""The worksheet functions, as plain Python: what every formula cell of the master workbook computes.

These take arguments the way a spreadsheet passes them (None for an empty cell, floats,
strings, booleans, 1×1 or larger 2-D lists for ranges, error values) and return a
number, a text, or a :class:`CellError` carrying an Excel error code and a Chinese reason.
They never raise. The xlwings UDFs (``xlfuncs.udfs``), the workbook builder's cached
values and the recalculation tests all call these same functions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .categories import heading_category
from .profiles import DEFAULT_PROFILE, Profile, ProfileError, load_profile
from .scoring import capped_total, execution_rate, grade_for, score_budget, score_indicator
from .values import clean_text, format_number, heading_points, parse_points, parse_rate

CHECK_OK = "✓"


@dataclass(frozen=True)
class CellError:
    """An Excel error value with the reason it was returned."""

    code: str  # "#VALUE!", "#N/A", "#NUM!", "#DIV/0!"
    reason: str

    def __str__(self) -> str:
        return self.code


CellResult = float | str | CellError
ERROR_CODES = ("#VALUE!", "#N/A", "#NUM!", "#DIV/0!", "#REF!", "#NAME?", "#NULL!")


def is_error(value: Any) -> bool:
    """True for a CellError or an error value as a spreadsheet passes it in."""
    return isinstance(value, CellError) or (isinstance(value, str) and value.strip() in ERROR_CODES)


def scalar(value: Any) -> Any:
    """The single value of a cell argument: a 1×1 range becomes its value."""
    while isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    if isinstance(value, (list, tuple)) and not value:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def flatten(value: Any) -> list[Any]:
    """All cells of a range argument, row by row."""
    if isinstance(value, (list, tuple)):
        return [cell for item in value for cell in flatten(item)]
    return [value]


def _profile(name: Any) -> Profile | CellError:
    text = clean_text(scalar(name)) or DEFAULT_PROFILE
    try:
        return load_profile(text)
    except ProfileError as exc:
        return CellError("#VALUE!", str(exc))


def _text_or_none(value: Any) -> Any:
    """An optional argument as a scalar; an error value in it is ignored (it only refines the rule)."""
    value = scalar(value)
    return None if is_error(value) else value


def _first_error(*args: Any) -> CellError | None:
    for arg in args:
        for cell in flatten(arg):
            if isinstance(cell, CellError):
                return cell
            if is_error(cell):
                return CellError(str(cell).strip(), f"引用的单元格有错误值 {str(cell).strip()}")
    return None


def exec_rate(executed: Any, budget: Any) -> CellResult:
    """执行率 = 全年执行数 ÷ 预算数, as a fraction (format the cell as %)."""
    error = _first_error(executed, budget)
    if error:
        return error
    rate, why = execution_rate(scalar(executed), scalar(budget))
    if rate is None:
        return CellError("#DIV/0!" if "为0" in why else "#VALUE!", why)
    return rate


def budget_score(executed: Any, budget: Any, points: Any, profile: Any = None) -> CellResult:
    """预算执行得分 = 分值 × min(执行率, 1) under the profile."""
    error = _first_error(executed, budget, points)
    if error:
        return error
    rules = _profile(profile)
    if isinstance(rules, CellError):
        return rules
    result = score_budget(scalar(executed), scalar(budget), scalar(points), rules)
    if result.score is None:
        return CellError("#VALUE!", result.explanation)
    return result.score


def perf_score(target: Any, actual: Any, points: Any, kind: Any = None, band: Any = None,
               name: Any = None, profile: Any = None, group: Any = None) -> CellResult:
    """The score of one indicator row, or an error value when it cannot be judged.

    ``group`` (二级指标) marks cost rows (成本指标: lower is better when the target has no comparator).
    """
    error = _first_error(target, actual, points, kind, band)
    if error:
        return error
    rules = _profile(profile)
    if isinstance(rules, CellError):
        return rules
    result = score_indicator(scalar(target), scalar(actual), scalar(points), rules,
                             scalar(kind), scalar(band), scalar(name), group=_text_or_none(group))
    if result.score is None:
        return CellError("#N/A" if result.problem in ("needs_band",) else "#VALUE!", result.explanation)
    return result.score


def perf_explain(target: Any, actual: Any, points: Any, kind: Any = None, band: Any = None,
                 name: Any = None, profile: Any = None, group: Any = None) -> str:
    """One Chinese sentence on how the indicator's score was reached (or why it cannot be)."""
    error = _first_error(target, actual, points, kind, band)
    if error:
        return f"无法评分：{error.reason}"
    rules = _profile(profile)
    if isinstance(rules, CellError):
        return rules.reason
    return score_indicator(scalar(target), scalar(actual), scalar(points), rules,
                           scalar(kind), scalar(band), scalar(name), group=_text_or_none(group)).explanation


def _sum_numbers(cells: list[Any]) -> tuple[float, Any]:
    """(the sum of the cells read as numbers, blanks skipped; the first cell that cannot be read or
    holds an error value, else None)."""
    total = 0.0
    for cell in cells:
        parsed = parse_points(cell)
        if parsed.empty:
            continue
        if is_error(cell) or not parsed.ok or parsed.value is None:
            return total, cell
        total += parsed.value
    return total, None


def _points_sum(budget_points: Any, points: Any) -> float | CellError:
    total, bad = _sum_numbers([*flatten(budget_points), *flatten(points)])
    if bad is not None:
        return CellError("#VALUE!", "有分值无法识别，分值合计不明，总分和等级无法确定")
    return total


def score_total(budget_score: Any, scores: Any, rate: Any = None, profile: Any = None,
                budget_points: Any = None, points: Any = None) -> CellResult:
    """总分 = budget score + indicator scores; any error or empty score makes it an error.

    With ``rate`` (执行率) and a profile that caps the total by the execution rate, the cap is
    applied as the engine applies it. With the points (``budget_points``, ``points``: the 分值
    cells), a table whose points do not add to the profile's total gets no total, as in the engine.
    """
    cells = [*flatten(budget_score), *flatten(scores)]
    error = _first_error(cells)
    if error:
        return CellError(error.code, f"有指标无法评分，总分无法确定（{error.reason}）")
    values = []
    for cell in cells:
        parsed = parse_points(cell)
        if not parsed.ok or parsed.value is None:
            return CellError("#VALUE!", "有得分为空或不是数字，总分无法确定")
        values.append(parsed.value)
    rules = _profile(profile)
    if isinstance(rules, CellError):
        return rules
    if budget_points is not None or points is not None:
        added = _points_sum(budget_points, points)
        if isinstance(added, CellError):
            return added
        full = rules.weights["total"]
        if abs(added - full) > rules.score_tolerance:
            return CellError("#VALUE!", f"分值合计 {format_number(added)}，应为 {format_number(full)}，"
                                        "总分和等级无法确定；请先改正分值")
    executed: float | None = None
    if rules.cap_total_by_rate:
        if _first_error(rate):
            return CellError("#VALUE!", "执行率为错误值，无法按执行率封顶总分")
        value = parse_rate(scalar(rate))
        if not value.ok or value.value is None:
            return CellError("#VALUE!", "本规则配置按执行率封顶总分，但没有执行率")
        executed = value.value
    return capped_total(values, executed, rules)[0]


def grade(total: Any, profile: Any = None) -> CellResult:
    """等级 (优/良/中/差) of a total under the profile."""
    error = _first_error(total)
    if error:
        return error
    rules = _profile(profile)
    if isinstance(rules, CellError):
        return rules
    label = grade_for(scalar(total), rules)
    return label if label is not None else CellError("#VALUE!", "总分不是数字")


def check_equal(expected: Any, actual: Any, tolerance: Any = None, profile: Any = None) -> CellResult:
    """“✓” when two figures agree within ``tolerance``, else the difference actual − expected.

    A blank ``tolerance`` is the profile's ``checks.amount_tolerance``.
    """
    error = _first_error(expected, actual, tolerance)
    if error:
        return error
    values = []
    for arg in (expected, actual):  # error values were answered above
        total, bad = _sum_numbers(flatten(arg))
        if bad is not None:
            return CellError("#VALUE!", f"“{bad}”不是数字")
        values.append(total)
    tol = parse_points(scalar(tolerance))
    if tol.ok and tol.value is not None:
        limit = tol.value
    elif not tol.empty:
        return CellError("#VALUE!", f"允许误差“{scalar(tolerance)}”不是数字")
    else:
        rules = _profile(profile)
        if isinstance(rules, CellError):
            return rules
        limit = rules.amount_tolerance
    difference = values[1] - values[0]
    return CHECK_OK if abs(difference) <= limit + 1e-9 else round(difference, 2)


def check_heading(heading: Any, points: Any, profile: Any = None) -> CellResult:
    """“✓” when the rows' points add up to the points printed in the level-1 heading (within the
    profile's ``checks.score_tolerance``), else the difference; a heading without printed points
    is compared with the profile's weights."""
    error = _first_error(heading, points)
    if error:
        return error
    rules = _profile(profile)
    if isinstance(rules, CellError):
        return rules
    declared = heading_points(scalar(heading))
    if declared is None:
        category = heading_category(scalar(heading))
        declared = rules.weights.get(category.key) if category is not None else None
        if declared is None:
            return CellError("#N/A", "一级指标未标注分值，且不是产出、效益、满意度之一")
    return check_equal(declared, points, rules.score_tolerance)
