"""The scoring rules as native spreadsheet formulas, built from a rule profile's numbers.

Everything a spreadsheet can compute by itself is a plain formula here, so Excel (macros on or
off), WPS, LibreOffice and gnumeric all recalculate it: 执行率, 预算执行得分, the table total
with its caps, the grade bands, the equality checks. Each builder mirrors the engine function
named in its docstring (:mod:`xlfuncs.scoring`, :mod:`xlfuncs.cellfuncs`); the tests compare
the two on the same inputs.

What needs perfeval's Python (scoring an indicator from its wording, the explanations, the
heading points read from the heading text) stays a UDF call, guarded by the sheet's *probe*:
a cell that is 1 when perfeval's functions answer and 0 otherwise. A guarded cell shows
:data:`~.expr.PENDING` instead of ``#NAME?``, and so does every total that depends on one.
"""

from __future__ import annotations

from xlfuncs.profiles import Profile
from xlfuncs.values import format_number

from .expr import PENDING, Call, Err, Expr, Fn, Num, Op, Ref, Text, fn, if_

#: The engine's slack on threshold comparisons (``rate >= min_rate - 1e-12`` …), written into
#: the formulas so that a value on a threshold falls on the same side in both.
RATE_EPSILON = 1e-12
GRADE_EPSILON = 1e-9
CHECK_OK = "✓"
NO_INDICATORS = "无等级：没有绩效指标"


def _is_number(ref: Expr) -> Fn:
    return fn("ISNUMBER", ref)


def rate(executed: Ref, budget: Ref) -> Expr:
    """执行率 = 执行数 ÷ 预算数 (:func:`xlfuncs.scoring.execution_rate`): #VALUE! when either is not
    a number or the executed amount is negative, #DIV/0! when the budget is not above 0."""
    value = if_(Op(">", budget, Num(0)),
                if_(Op(">=", executed, Num(0)), Op("/", executed, budget),
                    Err("#VALUE!", "全年执行数不能为负数")),
                Err("#DIV/0!", "预算数为0，无法计算执行率"))
    return if_(_is_number(executed),
               if_(_is_number(budget), value, Err("#VALUE!", "预算数", budget)),
               Err("#VALUE!", "全年执行数", executed))


def _budget_share(rate_value: Expr, profile: Profile) -> Expr:
    """Share of the points the rate earns (``scoring._budget_share``)."""
    if profile.budget_tiers:
        share: Expr = Num(0)
        for min_rate, part in reversed(profile.budget_tiers):
            share = if_(Op(">=", rate_value, Num(min_rate - RATE_EPSILON)), Num(part), share)
        return share
    if profile.cap_rate_at_one:
        return fn("MIN", rate_value, Num(1))
    return rate_value


def budget_score(executed: Ref, budget: Ref, points: Ref, profile: Profile) -> Expr:
    """预算执行得分 = ROUND(分值 × share(执行率), 2) (:func:`xlfuncs.scoring.score_budget`)."""
    score = fn("ROUND", Op("*", points, _budget_share(rate(executed, budget), profile)), Num(2))
    return if_(fn("AND", _is_number(points), Op(">=", points, Num(0))), score, Err("#VALUE!", "分值", points))


def _rate_cap(rate_value: Expr, profile: Profile) -> Expr:
    """The highest total allowed at this rate (``scoring.rate_cap``); a huge number when none."""
    cap: Expr = Num(1e307)
    for min_rate, limit in reversed(profile.rate_caps):
        cap = if_(Op(">=", rate_value, Num(min_rate - RATE_EPSILON)), Num(limit), cap)
    return cap


def table_total(scores: tuple[Ref, ...], count: int, rate_value: Expr, profile: Profile,
                probe: Ref | None) -> Expr:
    """总分 (:func:`xlfuncs.scoring.capped_total`): the sum of every score, capped by the rate under
    profiles that ask for it, never below 0, to 2 decimals. An error among the scores is the
    total's error; a blank or text score makes it #VALUE!; :data:`PENDING` without perfeval."""
    total: Expr = Fn("SUM", scores)
    if profile.cap_total_by_rate:
        total = fn("MIN", total, _rate_cap(rate_value, profile))
    value = fn("ROUND", fn("MAX", Num(0), total), Num(2))
    checked = if_(fn("ISERROR", Fn("SUM", scores)), Fn("SUM", scores),
                  if_(Op("<", Fn("COUNT", scores), Num(count)),
                      Err("#VALUE!", "有得分为空或不是数字，总分无法确定"), value))
    return checked if probe is None else available(probe, checked)


def grade_bands(total: Ref, profile: Profile) -> Expr:
    """等级 of a number (``Profile.grade``): the bands from the highest."""
    grades = list(profile.grades)
    out: Expr = Text(grades[-1].label)
    for grade in reversed(grades[:-1]):
        out = if_(Op(">=", total, Num(grade.min - GRADE_EPSILON)), Text(grade.label), out)
    return out


def points_mismatch(profile: Profile) -> str:
    """What the grade cell says when the points do not add up to the profile's total."""
    return f"无等级：分值合计不等于{format_number(profile.weights.get('total', 100))}"


def grade(total: Ref, points: tuple[Ref, ...], indicators: tuple[Ref, ...], profile: Profile) -> Expr:
    """自评等级: no grade for a table without indicators or whose points do not add up to the
    profile's total (the cell says why); otherwise the band of the total. A pending total
    leaves the grade pending; a total that is not a number is #VALUE!."""
    expected = profile.weights.get("total", 100.0)
    banded = if_(_is_number(total), grade_bands(total, profile),
                 if_(Op("=", total, Text(PENDING)), Text(PENDING), Err("#VALUE!", "总分不是数字")))
    off = Op(">", fn("ABS", Op("-", Fn("SUM", points), Num(expected))), Num(profile.score_tolerance + 1e-9))
    return if_(Op("=", Fn("COUNTA", indicators), Num(0)), Text(NO_INDICATORS),
               if_(off, Text(points_mismatch(profile)), banded))


def check_equal(expected: tuple[Ref, ...], actual: tuple[Ref, ...], tolerance: float) -> Expr:
    """“✓” when the sums agree within ``tolerance``, else the difference actual − expected rounded
    to 2 decimals (:func:`xlfuncs.cellfuncs.check_equal` on numbers)."""
    difference = Op("-", Fn("SUM", actual), Fn("SUM", expected))
    return if_(Op("<=", fn("ABS", difference), Num(tolerance + 1e-9)), Text(CHECK_OK),
               fn("ROUND", difference, Num(2)))


def probe(inputs: tuple[Ref, ...]) -> Expr:
    """1 when perfeval's functions answer, else 0: ``PERF_SCORE(1,1,1)`` is a number only then.

    ``inputs`` are every cell the sheet's UDF calls read, so editing any of them recalculates the
    probe first (a spreadsheet recalculates a cell when one it refers to changes), and the UDF
    cells, which refer to the probe, follow it.
    """
    answered = fn("ISNUMBER", Call("PERF_SCORE", (Num(1), Num(1), Num(1))))
    return if_(fn("AND", answered, Op(">=", Fn("COUNTA", inputs), Num(0))), Num(1), Num(0))


def available(probe_cell: Ref, then: Expr) -> Expr:
    """``IF(probe=1, then, "待计算")``."""
    return if_(Op("=", probe_cell, Num(1)), then, Text(PENDING))
