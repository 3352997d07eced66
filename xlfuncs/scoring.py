"""Scoring by the rules (rules.md §1): execution rate, budget score, every indicator row, totals, grade.

Every function takes values as filed and a :class:`~xlfuncs.profiles.Profile`. A score that
cannot be judged comes back as ``score is None`` with a Chinese reason; nothing here guesses a
number. One indicator row is scored by :mod:`xlfuncs.rowscore`; this module puts a table together
the way its form says (``form``): budget points from the budget heading, no budget score on forms
that give it none, filed scores kept on forms without per-row points, process rows (项目决策,
项目管理), 其中 sub-rows and the table total.

Slightly over 400 lines: the funds amounts a table is scored from (a blank or zero 年度资金总额 row
read from its 其中 rows) and the table total are one account of how a form is scored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .categories import is_process
from .filing import Indicator, Table
from .groups import Group, groups
from .measures import parse_measure
from .profile_text import budget_factor
from .profiles import Profile
from .rowscore import (
    APPROX,
    BAD_BAND,
    BAD_KIND,
    EQUAL,
    FORMS,
    KIND_WORDS,
    METHOD_LABELS,
    NEEDS_BAND,
    NO_ACTUAL,
    NO_POINTS,
    NO_TARGET,
    NOT_OBSERVED,
    POSITIVE,
    QUALITATIVE,
    REVERSE,
    UNITS,
    IndicatorResult,
    Judgement,
    judge,
    overshoots,
    result_from,
    round_score,
    score_indicator,
)
from .textnorm import fold_text
from .values import (
    WAN,
    clean_text,
    format_number,
    format_rate,
    heading_points,
    parse_amount,
    parse_points,
    parse_rate,
)

__all__ = [
    "APPROX", "BAD_BAND", "BAD_KIND", "EQUAL", "FORMS", "KIND_WORDS", "METHOD_LABELS", "NEEDS_BAND",
    "NO_ACTUAL", "NO_POINTS", "NO_TARGET", "NOT_OBSERVED", "POSITIVE", "QUALITATIVE", "REVERSE", "UNITS",
    "BudgetResult", "IndicatorResult", "TableScore", "capped_total", "execution_rate", "grade_for",
    "overshoots", "rate_cap", "score_budget", "score_indicator", "score_table",
]

FILED, BUDGET_RATE, PARENT = "filed", "budget_rate", "parent"
BREAKDOWN, UNUSED, CUT = "breakdown", "unused", "cut"
# Why a table has no total (TableScore.problem).
NO_INDICATORS, POINTS_SUM, INCOMPLETE, UNSCORED = "no_indicators", "points_sum", "incomplete", "unscored"
_CRITERIA_WORDS = ("计分标准", "评分标准", "评分办法", "计分办法", "指标解释")


# ------------------------------------------------------------------ budget


@dataclass(frozen=True)
class BudgetResult:
    """执行率 and the budget score of a funds block."""

    points: float | None
    rate: float | None
    rate_initial: float | None
    score: float | None
    explanation: str
    problem: str = ""
    scored: bool = True  # False: the form gives budget execution no points
    rate_filed: bool = False  # the rate is the filed one (the amounts could not be read)


def execution_rate(executed: Any, budget: Any, unit: str = WAN) -> tuple[float | None, str]:
    """Return (执行数 ÷ 预算数, '') or (None, Chinese reason)."""
    ex, bu = parse_amount(executed, unit), parse_amount(budget, unit)
    if not ex.ok:
        return None, "全年执行数为空" if ex.empty else ex.note
    if not bu.ok:
        return None, "预算数为空" if bu.empty else bu.note
    if bu.value is None or bu.value <= 0:
        return None, "预算数为0，无法计算执行率"
    if ex.value is None or ex.value < 0:
        return None, "全年执行数不能为负数"
    return ex.value / bu.value, ""


def budget_share(rate: float, profile: Profile) -> float:
    """Share of the budget points a rate earns: tiers, or min(rate, 1) (profile)."""
    if profile.budget_tiers:
        for min_rate, share in profile.budget_tiers:
            if rate >= min_rate - 1e-12:
                return share
        return 0.0
    return min(rate, 1.0) if profile.cap_rate_at_one else rate


def score_budget(executed: Any, full_year: Any, points: Any, profile: Profile, initial: Any = None,
                 *, filed_rate: Any = None, unit: str = WAN) -> BudgetResult:
    """Budget score: 分值 × min(执行率, 1) (or as the profile says), with the rate against 年初 too.

    When the amounts cannot be read, the filed 执行率 (``filed_rate``) is used and said so.
    """
    rate_initial, _ = execution_rate(executed, initial, unit) if initial is not None else (None, "")
    pts = parse_points(points)
    rate, why = execution_rate(executed, full_year, unit)
    from_filed = False
    if rate is None and filed_rate is not None:
        filed = parse_rate(filed_rate)
        if filed.ok and filed.value is not None and filed.value >= 0:
            rate, from_filed = filed.value, True
    if not pts.ok or pts.value is None or pts.value < 0:
        reason = "分值为空；请填写分值" if pts.empty else pts.note or "分值不能为负数"
        return BudgetResult(None, rate, rate_initial, None, f"无法评分：{reason}", NO_POINTS, rate_filed=from_filed)
    if rate is None:
        return BudgetResult(pts.value, None, rate_initial, None, f"无法评分：{why}", NO_ACTUAL)
    score = round_score(pts.value * budget_share(rate, profile))
    text = (f"执行率 {format_rate(rate)}{'（按填报执行率，金额无法读取）' if from_filed else ''}，预算执行得分 = "
            f"{format_number(pts.value)} × {budget_factor(profile)} = {format_number(score)}")
    if rate_initial is not None and abs(rate_initial - rate) > 1e-9:
        text += f"；按年初预算数计执行率为 {format_rate(rate_initial)}"
    return BudgetResult(pts.value, rate, rate_initial, score, text, rate_filed=from_filed)


def _blank(raw: Any) -> bool:
    return parse_amount(raw).empty


def _zero(raw: Any, unit: str) -> bool:
    amount = parse_amount(raw, unit)
    return amount.ok and amount.value == 0


def funds_amounts(table: Table) -> tuple[Any, Any, Any]:
    """(年初, 全年, 执行) of the funds block: the 年度资金总额 row, or — when that row is left blank
    or filled with zeros (a system export whose total did not add up its rows; A1 reports it)
    but the rows under it carry amounts — their sums."""
    row = table.budget
    cells = (row["initial"].raw, row["full_year"].raw, row["executed"].raw)
    if not all(_blank(c) or _zero(c, table.money_unit) for c in cells):
        return cells
    parts = table.breakdown or [r for r in table.sub_rows if r.key in ("current_year", "carried_over", "other")]
    sums = []
    for column in ("initial", "full_year", "executed"):
        values = [parse_amount(p[column].raw, table.money_unit) for p in parts]
        read = [v.value for v in values if v.ok and v.value is not None]
        sums.append(sum(read) if read and all(v.ok or v.empty for v in values) else None)
    if not any(sums) and not all(_blank(c) for c in cells):
        return cells  # zeros all through: nothing was budgeted, the zeros stand
    return tuple(sums)  # type: ignore[return-value]


def table_budget(table: Table, profile: Profile) -> BudgetResult:
    """The budget result of a table as its form scores it."""
    row = table.budget
    initial, full_year, executed = funds_amounts(table)
    points = row["points"].raw
    if parse_points(points).empty and table.form.budget_heading_points is not None:
        points = table.form.budget_heading_points
    result = score_budget(executed, full_year, points, profile, initial, filed_rate=row["rate"].raw,
                          unit=table.money_unit)
    if not table.form.budget_scored:
        return BudgetResult(None, result.rate, result.rate_initial, None,
                            "本表式不对预算执行计分，总分只含指标得分", scored=False, rate_filed=result.rate_filed)
    return result


# ------------------------------------------------------------------ rows


def _empty(raw: Any) -> bool:
    return parse_measure(raw).status in ("blank", "na")


def row_role(row: Indicator) -> str:
    """``breakdown`` for a 其中 sub-row, ``unused`` for a row with no target, actual, points or
    score (a template row left in, or one marked not applicable), else ``indicator``. A row whose
    三级指标 prints its own points (“相关性(5分)”, scoring forms with no 分值 column) is an
    indicator even before it is scored."""
    if row.breakdown_of is not None:
        return BREAKDOWN
    if (_empty(row.target.raw) and _empty(row.actual.raw) and _empty(row.points.raw) and _empty(row.score.raw)
            and (row.points.raw is not None or heading_points(row.level3.raw) is None)):
        return UNUSED
    return "indicator"


def _filed(row: Indicator, verdict: Judgement, points: float | None, why: str) -> IndicatorResult:
    filed = parse_points(row.score.raw)
    score = filed.value if filed.ok else None
    if verdict.method not in (POSITIVE, EQUAL):  # completion matters (D5) only where more is better
        verdict = verdict._replace(completion=None)
    if score is None:
        text = f"无法评分：{why}，但得分{'为空' if filed.empty else '无法识别'}；请填写得分"
        return IndicatorResult(points, None, FILED, text, NO_POINTS, verdict.target, verdict.actual,
                               completion=verdict.completion, verdict=verdict.verdict, from_filing=True)
    text = f"{why}，采用填报得分 {format_number(score)}"
    return IndicatorResult(points, score, FILED, text, "", verdict.target, verdict.actual,
                           completion=verdict.completion, verdict=verdict.verdict, share=verdict.share,
                           from_filing=True)


def _has_criteria(row: Indicator) -> bool:
    return any(any(w in clean_text(label) for w in _CRITERIA_WORDS) and clean_text(f.raw)
               for label, f in row.extra.items())


def _score_row(row: Indicator, table: Table, process: bool, budget: BudgetResult,
               profile: Profile) -> IndicatorResult:
    role = row_role(row)
    if role == UNUSED:
        return IndicatorResult(None, None, "", "未使用的指标行（没有指标值、完成值、分值和得分）", role=UNUSED)
    verdict = judge(row.target.raw, row.actual.raw, profile, row.kind.raw, row.band.raw, row.level3.raw,
                    row.level2.raw, row.unit.raw)
    if role == BREAKDOWN:
        text = f"其中子行：{verdict.how}" if verdict.share is not None else f"其中子行无法判定：{verdict.how}"
        return IndicatorResult(None, None, verdict.method, text, verdict.problem, verdict.target, verdict.actual,
                               verdict.auto_matched, verdict.completion, verdict.band, verdict.verdict,
                               verdict.share, role=BREAKDOWN)
    if not table.form.row_points:
        return _filed(row, verdict, None, "本表式没有逐行分值，无法按规则重算")
    points = parse_points(row.points.raw)
    if not points.ok or points.value is None or points.value < 0:
        return score_indicator(row.target.raw, row.actual.raw, row.points.raw, profile, row.kind.raw,
                               row.band.raw, row.level3.raw, group=row.level2.raw, unit=row.unit.raw)
    if process and budget.rate is not None and any(n in fold_text(row.level3.raw) for n in profile.budget_rate_names):
        score = round_score(points.value * budget_share(budget.rate, profile))
        text = (f"过程指标“预算执行率”按资金执行率 {format_rate(budget.rate)} 计分：{format_number(points.value)} × "
                f"{budget_factor(profile)} = {format_number(score)}")
        return IndicatorResult(points.value, score, BUDGET_RATE, text,
                               share=score / points.value if points.value else None)
    if verdict.share is None and (process and verdict.problem in (NO_TARGET, NEEDS_BAND, FORMS)
                                  or verdict.problem in (NO_TARGET, NO_ACTUAL) and _has_criteria(row)):
        return _filed(row, verdict, points.value, "按本表式的评分标准自评（过程指标或计分标准），不按指标值重算")
    return result_from(verdict, points.value, profile)


def _parents(table: Table, results: list[IndicatorResult]) -> list[IndicatorResult]:
    """A row whose 其中 sub-rows carry the values (★ parent rows with no target or actual of their
    own) is met when every sub-row meets its target."""
    children: dict[int, list[IndicatorResult]] = {}
    for row, result in zip(table.indicators, results, strict=True):
        if row.breakdown_of is not None:
            children.setdefault(row.breakdown_of, []).append(result)
    out = list(results)
    for index, subs in children.items():
        row, parent = table.indicators[index], results[index]
        if parent.points is None or parent.from_filing or not (_empty(row.target.raw) and _empty(row.actual.raw)):
            continue
        shares = [s.share for s in subs]
        if all(s is not None and s >= 1 - 1e-9 for s in shares):
            text = f"其中 {len(subs)} 项子行均达到目标，得满分 {format_number(parent.points)}"
            out[index] = IndicatorResult(parent.points, parent.points, PARENT, text, share=1.0)
        elif any(s is None for s in shares):
            out[index] = IndicatorResult(parent.points, None, PARENT, "无法评分：其中子行有无法判定的，请先补全子行",
                                         NEEDS_BAND)
        else:
            out[index] = IndicatorResult(parent.points, None, PARENT,
                                         "无法评分：其中子行未全部达到目标，请选择评价档次并说明原因", NEEDS_BAND)
    return out


# ------------------------------------------------------------------ tables


@dataclass(frozen=True)
class TableScore:
    """Recomputed scores of one table (附件1 or 附件3-N); ``indicators`` align with the table's rows."""

    label: str
    name: str
    budget: BudgetResult
    indicators: list[IndicatorResult]
    points_total: float | None
    total: float | None
    grade: str | None
    explanation: str
    problem: str = ""  # why there is no total: NO_INDICATORS, POINTS_SUM, INCOMPLETE, UNSCORED
    groups: list[Group] = field(default_factory=list)  # the rows under their level-1 headings

    @property
    def counted(self) -> list[IndicatorResult]:
        """The rows whose points and scores make the total (not 其中 sub-rows, not unused rows)."""
        return [r for r in self.indicators if r.role == "indicator"]


def grade_for(total: Any, profile: Profile) -> str | None:
    """Grade label of a total score, or None when the total is not a number."""
    value = parse_points(total)
    if not value.ok or value.value is None:
        return None
    return profile.grade(value.value)


def rate_cap(rate: float | None, profile: Profile) -> float | None:
    """The highest total the profile allows at this execution rate (None: no cap)."""
    if not profile.cap_total_by_rate or rate is None:
        return None
    for min_rate, cap in profile.rate_caps:
        if rate >= min_rate - 1e-12:
            return cap
    return None


def capped_total(scores: list[float], rate: float | None, profile: Profile) -> tuple[float, float | None]:
    """The table total as the rules give it: the sum of the scores, capped by the execution rate
    under profiles that ask for it, never below 0, to 2 decimals. Returns (total, cap applied or None).

    The one definition of a table's total: the engine's score, check D2 and the SCORE_TOTAL
    cell function all use it.
    """
    total = sum(scores)
    cap = rate_cap(rate, profile)
    applied = cap if cap is not None and total > cap else None
    if applied is not None:
        total = applied
    return round_score(max(0.0, total)), applied


def block_points(table: Table, table_groups: list[Group]) -> float | None:
    """Points of the indicator block on a form without per-row points: the sum of the level-1
    headings (``table_groups``) when each prints its points, else the block heading (“年度绩效目标(80分)”)."""
    declared = [g.declared for g in table_groups if any(row_role(r) != UNUSED for r in g.rows)]
    if declared and all(d is not None for d in declared):
        return sum(d for d in declared if d is not None)
    return table.form.indicator_heading_points


def _points_total(table: Table, budget: BudgetResult, counted: list[IndicatorResult],
                  table_groups: list[Group], full: float) -> float | None:
    parts: list[float | None] = [budget.points] if budget.scored else []
    if table.form.row_points:
        parts += [r.points for r in counted]
    else:
        block = block_points(table, table_groups)
        if block is None and budget.points is not None:
            block = full - budget.points  # the block's heading cannot be read: the rest of the 100 points
        parts.append(block)
    return None if any(p is None for p in parts) else round_score(sum(p for p in parts if p is not None))


def score_table(table: Table, profile: Profile) -> TableScore:
    """Recompute the budget score, every indicator, the total and the grade of a table."""
    budget = table_budget(table, profile)
    table_groups = groups(table)
    categories = {row.index: group.category for group in table_groups for row in group.rows}
    results = [_score_row(row, table, is_process(categories.get(row.index)), budget, profile)
               for row in table.indicators]
    results = _parents(table, results)
    cut = None
    if table.cut_index is not None:
        cut = results[table.cut_index]
        results[table.cut_index] = _as_cut(cut)
    counted = [r for r in results if r.role == "indicator"]
    full = profile.weights["total"]
    points_total = _points_total(table, budget, counted, table_groups, full)
    name = clean_text(table.name.raw)

    def unscored(problem: str, why: str) -> TableScore:
        return TableScore(table.label, name, budget, results, points_total, None, None, why, problem, table_groups)

    if not counted and table.complete:
        return unscored(NO_INDICATORS, "表中没有绩效指标，总分和等级无法确定；请填写绩效指标")
    if not table.complete:
        # points cannot be negative: when the visible points (the cut row's too, when it can be judged)
        # already make the full 100, nothing after the cut can count, and the total is known
        seen = counted + ([cut] if cut is not None and cut.role == "indicator" and cut.judged else [])
        visible = _points_total(table, budget, seen, table_groups, full) if table.form.row_points else None
        if visible is None or abs(visible - full) > profile.score_tolerance:
            return unscored(INCOMPLETE, "来源表格不完整（被截断），总分和等级无法确定")
        counted, points_total = seen, visible
    if points_total is not None and abs(points_total - full) > profile.score_tolerance:
        return unscored(POINTS_SUM, f"分值合计 {format_number(points_total)}，应为 {format_number(full)}，"
                                    "总分和等级无法确定；请先改正分值")
    scores = ([budget.score] if budget.scored else []) + [r.score for r in counted]
    if any(s is None for s in scores) or points_total is None:
        missing = sum(1 for s in scores if s is None)
        return unscored(UNSCORED, f"有 {missing} 项无法评分，总分无法确定" if missing else "分值不全，总分无法确定")
    total, cap = capped_total([s for s in scores if s is not None], budget.rate, profile)
    notes = [f"执行率 {format_rate(budget.rate)}，总分封顶 {format_number(cap)}"] if cap is not None else []
    grade = profile.grade(total)
    text = f"总分 {format_number(total)}，等级“{grade}”" + ("（" + "；".join(notes) + "）" if notes else "")
    return TableScore(table.label, name, budget, results, points_total, total, grade, text, "", table_groups)


def _as_cut(result: IndicatorResult) -> IndicatorResult:
    return result._replace(explanation=f"来源表格在此行被截断，本行内容可能不全。{result.explanation}", role=CUT)
