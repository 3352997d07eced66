"""Scoring by the rules (rules.md §1): execution rate, budget score, indicator scores, totals, grade.

Every function takes values as filed and a :class:`~xlfuncs.profiles.Profile`. A score that
cannot be judged comes back as ``score is None`` with a Chinese ``reason``; nothing here
guesses a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .filing import Table
from .profile_text import budget_factor
from .profiles import Profile
from .values import (
    EQ,
    GE,
    GT,
    LE,
    LT,
    OK,
    Measure,
    clean_text,
    format_number,
    format_rate,
    parse_amount,
    parse_measure,
    parse_points,
    units_compatible,
)

POSITIVE, REVERSE, EQUAL, APPROX, QUALITATIVE = "positive", "reverse", "equal", "approx", "qualitative"
METHOD_LABELS = {POSITIVE: "正向指标", REVERSE: "反向指标", EQUAL: "等于型指标",
                 APPROX: "约数指标", QUALITATIVE: "定性指标"}
KIND_WORDS = {
    "正向": POSITIVE, "正向指标": POSITIVE, "positive": POSITIVE, "≥": POSITIVE, ">=": POSITIVE,
    "反向": REVERSE, "反向指标": REVERSE, "reverse": REVERSE, "≤": REVERSE, "<=": REVERSE,
    "等于": EQUAL, "equal": EQUAL, "=": EQUAL, "约": APPROX, "approx": APPROX,
    "定性": QUALITATIVE, "定性指标": QUALITATIVE, "qualitative": QUALITATIVE,
    "自动": "", "auto": "", "": "",
}
_DIRECTION = {GE: POSITIVE, GT: POSITIVE, LE: REVERSE, LT: REVERSE, EQ: EQUAL}

# Why a score cannot be judged (stable codes, used by the checks).
NO_POINTS = "points"
NO_TARGET = "target"
NO_ACTUAL = "actual"
NOT_OBSERVED = "not_observed"
UNITS = "units"
FORMS = "forms"
NEEDS_BAND = "needs_band"
BAD_BAND = "bad_band"
BAD_KIND = "bad_kind"


def _round(value: float) -> float:
    return round(value + 0.0, 2)


@dataclass(frozen=True)
class IndicatorResult:
    """The score of one indicator row and how it was reached."""

    points: float | None
    score: float | None
    method: str
    explanation: str
    problem: str = ""  # one of the codes above when score is None
    target: Measure | None = None
    actual: Measure | None = None
    auto_matched: bool = False  # qualitative 达成 judged from the wording
    completion: float | None = None  # actual / target for quantities

    @property
    def judged(self) -> bool:
        """True when the rules gave a score."""
        return self.score is not None


def _unjudged(points: float | None, problem: str, why: str, method: str = "",
              target: Measure | None = None, actual: Measure | None = None) -> IndicatorResult:
    return IndicatorResult(points, None, method, f"无法评分：{why}", problem, target, actual)


def _qualitative_met(target: Measure, actual: Measure, profile: Profile) -> bool:
    if not actual.text:
        return False
    return (actual.text == target.text or target.text in actual.text
            or actual.text in profile.achievement_phrases)


def _direction(kind: str, target: Measure, name: str, profile: Profile) -> str:
    if kind:
        return kind
    if target.approximate:
        return APPROX
    if target.comparator:
        return _DIRECTION[target.comparator]
    if any(word in name for word in profile.reverse_name_keywords):
        return REVERSE
    return POSITIVE


def _quantity_share(direction: str, t: float, a: float, profile: Profile) -> tuple[float, str]:
    """Share of the points earned and a Chinese phrase on how."""
    if direction == POSITIVE:
        if a >= t:
            return 1.0, "实际达到目标"
        if t <= 0:
            return 0.0, "目标为0而实际为负"
        return a / t, f"未达到目标，按完成比例 {format_number(a)}÷{format_number(t)} 计分"
    if direction == REVERSE:
        if a <= t:
            return 1.0, "实际控制在目标以内"
        if t <= 0:
            return 0.0, "目标为0而实际超出"
        if profile.reverse_formula == "ratio":
            return t / a, f"超出目标，按 {format_number(t)}÷{format_number(a)} 计分"
        return 1.0 - (a - t) / t, f"超出目标，按 1−({format_number(a)}−{format_number(t)})÷{format_number(t)} 计分"
    tolerance = profile.approx_tolerance if direction == APPROX else profile.equal_tolerance
    if t == 0:
        return (1.0, "实际为0，与目标相符") if a <= 0 else (0.0, "目标为0而实际不为0")
    if abs(a - t) <= abs(t) * tolerance + 1e-9:
        return 1.0, "实际与目标相符" if direction == EQUAL else f"实际在目标±{format_number(tolerance * 100)}%以内"
    if a <= 0:
        return 0.0, "实际为0"
    share = min(a / t, t / a)
    return share, f"与目标有偏差，按 {format_number(min(a, t))}÷{format_number(max(a, t))} 计分"


def overshoots(completion: float | None, method: str, profile: Profile) -> bool:
    """指标偏离: a positive or equal indicator completed at (1 + ``checks.overshoot``) × target or more.

    The one definition: check D5 asks for a note on it, ``optional.deviation_penalty`` takes
    points off for it (the scorer, hence the cell functions too).
    """
    return (completion is not None and method in (POSITIVE, EQUAL)
            and completion >= 1 + profile.overshoot - 1e-9)


def score_indicator(target: Any, actual: Any, points: Any, profile: Profile,
                    kind: Any = None, band: Any = None, name: Any = None) -> IndicatorResult:
    """Score one 绩效指标 row.

    ``kind`` (正向/反向/等于/约/定性, blank for automatic) overrides the direction read
    from the target's comparator; ``band`` is the 评价档次 an evaluator chose for a
    qualitative row; ``name`` (三级指标) lets names such as 差错率 mark reverse rows.
    """
    pts = parse_points(points)
    if not pts.ok or pts.value is None or pts.value < 0:
        why = "分值为空" if pts.empty else pts.note or "分值不能为负数"
        return _unjudged(None, NO_POINTS, why)
    p = pts.value
    kind_text = clean_text(kind)
    if kind_text not in KIND_WORDS:
        return _unjudged(p, BAD_KIND, f"指标性质“{kind_text}”无法识别（可填：正向、反向、等于、约、定性）")
    forced = KIND_WORDS[kind_text]
    t, a = parse_measure(target), parse_measure(actual)
    band_text = clean_text(band)
    if t.status != OK:
        return _unjudged(p, NO_TARGET, f"年度指标值{t.describe()}", target=t, actual=a)
    if a.status != OK:
        return _unjudged(p, NO_ACTUAL, f"实际完成值{a.describe()}", target=t, actual=a)
    if forced == QUALITATIVE or t.is_qualitative or a.is_qualitative and not t.is_quantity:
        return _score_qualitative(t, a, p, profile, band_text)
    if not a.is_quantity:
        if band_text:
            return _score_qualitative(t, a, p, profile, band_text)
        return _unjudged(p, FORMS, f"年度指标值是数值{t.describe()}，实际完成值却是文字“{a.text}”；"
                         "请填写实际数值", target=t, actual=a)
    if not a.is_observation:
        return _unjudged(p, NOT_OBSERVED, f"实际完成值“{a.text}”是目标式表述，不是实际观测值；"
                         "请填写实际完成的数值", target=t, actual=a)
    if not units_compatible(t, a):
        return _unjudged(p, UNITS, f"年度指标值单位“{t.unit}”与实际完成值单位“{a.unit}”不一致",
                         target=t, actual=a)
    direction = _direction(forced, t, clean_text(name), profile)
    share, how = _quantity_share(direction, t.value or 0.0, a.value or 0.0, profile)
    score = _round(p * max(0.0, min(1.0, share)))
    completion = (a.value / t.value) if t.value else None
    penalty = ""
    if profile.deviation_penalty and overshoots(completion, direction, profile):
        score = _round(max(0.0, score - profile.deviation_penalty))
        penalty = (f"；完成值为目标的 {format_number(completion * 100, 1)}%，指标偏离扣 "
                   f"{format_number(profile.deviation_penalty)} 分")
    unit = t.unit or a.unit
    text = (f"年度指标值{t.describe()}，实际完成{format_number(a.value)}{unit}，"
            f"{METHOD_LABELS[direction]}：{how}{penalty}，得分 {format_number(score)}（分值 {format_number(p)}）")
    return IndicatorResult(p, score, direction, text, "", t, a, False, completion)


def _score_qualitative(t: Measure, a: Measure, p: float, profile: Profile,
                       band_text: str) -> IndicatorResult:
    if band_text:
        chosen = profile.band(band_text)
        if chosen is None:
            labels = "、".join(b.label for b in profile.bands)
            return _unjudged(p, BAD_BAND, f"评价档次“{band_text}”无法识别（可选：{labels}）",
                             QUALITATIVE, t, a)
        score = _round(p * chosen.default)
        text = (f"定性指标，评价档次“{chosen.label}”（{format_number(chosen.min * 100)}%–"
                f"{format_number(chosen.max * 100)}%），按该档建议得分 {format_number(score)}"
                f"（分值 {format_number(p)}）")
        return IndicatorResult(p, score, QUALITATIVE, text, "", t, a, False)
    target_text = t.text if t.is_qualitative else t.describe()
    if t.is_qualitative and _qualitative_met(t, a, profile):
        text = (f"定性指标，实际完成“{a.text}”与年度指标“{target_text}”一致，视为达成年度指标，"
                f"得满分 {format_number(p)}")
        return IndicatorResult(p, p, QUALITATIVE, text, "", t, a, True)
    return _unjudged(p, NEEDS_BAND, f"定性指标“{target_text}”的实际完成“{a.text or a.describe()}”"
                     "无法自动判定是否达成，请选择评价档次", QUALITATIVE, t, a)


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


def execution_rate(executed: Any, budget: Any) -> tuple[float | None, str]:
    """Return (执行数 ÷ 预算数, '') or (None, Chinese reason)."""
    ex, bu = parse_amount(executed), parse_amount(budget)
    if not ex.ok:
        return None, "全年执行数为空" if ex.empty else ex.note
    if not bu.ok:
        return None, "预算数为空" if bu.empty else bu.note
    if bu.value is None or bu.value <= 0:
        return None, "预算数为0，无法计算执行率"
    if ex.value is None or ex.value < 0:
        return None, "全年执行数不能为负数"
    return ex.value / bu.value, ""


def _budget_share(rate: float, profile: Profile) -> float:
    if profile.budget_tiers:
        for min_rate, share in profile.budget_tiers:
            if rate >= min_rate - 1e-12:
                return share
        return 0.0
    return min(rate, 1.0) if profile.cap_rate_at_one else rate


def score_budget(executed: Any, full_year: Any, points: Any, profile: Profile,
                 initial: Any = None) -> BudgetResult:
    """Budget score: 分值 × min(执行率, 1) (or as the profile says), with the rate against 年初 too."""
    rate_initial, _ = execution_rate(executed, initial) if initial is not None else (None, "")
    pts = parse_points(points)
    rate, why = execution_rate(executed, full_year)
    if not pts.ok or pts.value is None or pts.value < 0:
        reason = "分值为空" if pts.empty else pts.note or "分值不能为负数"
        return BudgetResult(None, rate, rate_initial, None, f"无法评分：{reason}", NO_POINTS)
    if rate is None:
        return BudgetResult(pts.value, None, rate_initial, None, f"无法评分：{why}", NO_ACTUAL)
    score = _round(pts.value * _budget_share(rate, profile))
    text = f"执行率 {format_rate(rate)}，预算执行得分 = {format_number(pts.value)} × {budget_factor(profile)} = {format_number(score)}"
    if rate_initial is not None and abs(rate_initial - rate) > 1e-9:
        text += f"；按年初预算数计执行率为 {format_rate(rate_initial)}"
    return BudgetResult(pts.value, rate, rate_initial, score, text)


# ------------------------------------------------------------------ tables


@dataclass(frozen=True)
class TableScore:
    """Recomputed scores of one table (附件1 or 附件3-N)."""

    label: str
    name: str
    budget: BudgetResult
    indicators: list[IndicatorResult]
    points_total: float | None
    total: float | None
    grade: str | None
    explanation: str


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
    return _round(max(0.0, total)), applied


def score_table(table: Table, profile: Profile) -> TableScore:
    """Recompute the budget score, every indicator, the total and the grade of a table."""
    row = table.budget
    budget = score_budget(row["executed"].raw, row["full_year"].raw, row["points"].raw,
                          profile, row["initial"].raw)
    results = [score_indicator(i.target.raw, i.actual.raw, i.points.raw, profile,
                               i.kind.raw, i.band.raw, i.level3.raw) for i in table.indicators]
    points = [budget.points, *(r.points for r in results)]
    points_total = None if any(p is None for p in points) else _round(sum(points))
    scores = [budget.score, *(r.score for r in results)]
    name = clean_text(table.name.raw)
    if any(s is None for s in scores):
        missing = sum(1 for s in scores if s is None)
        return TableScore(table.label, name, budget, results, points_total, None, None,
                          f"有 {missing} 项无法评分，总分无法确定")
    total, cap = capped_total(scores, budget.rate, profile)
    notes = [f"执行率 {format_rate(budget.rate)}，总分封顶 {format_number(cap)}"] if cap is not None else []
    grade = profile.grade(total)
    text = f"总分 {format_number(total)}，等级“{grade}”" + ("（" + "；".join(notes) + "）" if notes else "")
    return TableScore(table.label, name, budget, results, points_total, total, grade, text)
