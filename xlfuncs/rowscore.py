"""Scoring one indicator row (rules.md §1): quantities, ranges, dates and qualitative answers.

:func:`judge` says how far a row's actual meets its target (a share of the points, or why it
cannot say); :func:`score_indicator` turns that into points. A row that cannot be judged comes back
with ``score is None``, a problem code and a Chinese explanation saying what to fill in; nothing
here guesses a number.

Over 400 lines on purpose: every value form a row can hold (quantities, ranges, deadlines and dates,
qualitative answers with their negations and weakenings) is judged here, each next to the Chinese
explanation it gives, so one row's rule reads in one place.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple

from .measures import (
    RANGE,
    Measure,
    parse_measure,
    unit_of,
    units_compatible,
    with_unit,
    written_unit,
)
from .profiles import Band, Profile
from .textnorm import fold_text
from .values import EQ, GE, GT, LE, LT, OK, clean_text, format_number, parse_points

POSITIVE, REVERSE, EQUAL, APPROX, QUALITATIVE = "positive", "reverse", "equal", "approx", "qualitative"
WITHIN, DEADLINE = "range", "deadline"
METHOD_LABELS = {POSITIVE: "正向指标", REVERSE: "反向指标", EQUAL: "等于型指标", APPROX: "约数指标",
                 QUALITATIVE: "定性指标", WITHIN: "区间指标", DEADLINE: "时限指标"}
KIND_WORDS = {
    "正向": POSITIVE, "正向指标": POSITIVE, "positive": POSITIVE, "≥": POSITIVE, ">=": POSITIVE, "≧": POSITIVE,
    ">": POSITIVE, "反向": REVERSE, "反向指标": REVERSE, "reverse": REVERSE, "≤": REVERSE, "<=": REVERSE,
    "≦": REVERSE, "<": REVERSE, "等于": EQUAL, "equal": EQUAL, "=": EQUAL, "═": EQUAL, "约": APPROX,
    "approx": APPROX, "定性": QUALITATIVE, "定性指标": QUALITATIVE, "qualitative": QUALITATIVE,
    "定量": "", "定量指标": "", "自动": "", "auto": "", "": "",
}
_DIRECTION = {GE: POSITIVE, GT: POSITIVE, LE: REVERSE, LT: REVERSE, EQ: EQUAL, RANGE: WITHIN}

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

# How a qualitative answer relates to its target.
MET, WEAKER, NEGATED, UNKNOWN, STATED, LATE = "met", "weaker", "negated", "unknown", "stated", "late"


def round_score(value: float) -> float:
    """A score as the forms show it: two decimals (never -0.0)."""
    return round(value + 0.0, 2)


class Judgement(NamedTuple):
    """How far an actual meets its target, before points: ``share`` of the points, or a problem (a named
    tuple, like :class:`IndicatorResult`)."""

    share: float | None
    method: str
    how: str  # Chinese: how the share was reached, or why it cannot be
    problem: str = ""
    target: Measure | None = None
    actual: Measure | None = None
    completion: float | None = None  # actual / target for quantities
    band: Band | None = None  # the qualitative band used (stated, or named by the actual)
    auto_matched: bool = False  # qualitative 达成 judged from the wording
    verdict: str = ""  # MET, WEAKER, NEGATED, UNKNOWN, STATED, LATE for wording and dates


class IndicatorResult(NamedTuple):
    """The score of one indicator row and how it was reached (a named tuple: every evaluation makes
    one per row, and a worksheet one per cell)."""

    points: float | None
    score: float | None
    method: str
    explanation: str
    problem: str = ""  # one of the codes above when score is None
    target: Measure | None = None
    actual: Measure | None = None
    auto_matched: bool = False  # qualitative 达成 judged from the wording
    completion: float | None = None  # actual / target for quantities
    band: Band | None = None
    verdict: str = ""
    share: float | None = None
    from_filing: bool = False  # the filed score is kept (the form's own criteria); not recomputed
    role: str = "indicator"  # indicator, breakdown (其中 sub-row), unused (an empty template row)

    @property
    def judged(self) -> bool:
        """True when the rules gave a score (not a filed score taken as it is)."""
        return self.score is not None and not self.from_filing


def _unjudged(problem: str, why: str, method: str = "", target: Measure | None = None,
              actual: Measure | None = None, verdict: str = "") -> Judgement:
    return Judgement(None, method, why, problem, target, actual, verdict=verdict)


def kind_of(kind: Any) -> str | None:
    """The direction a 指标性质 cell forces ('' for automatic), None when it cannot be read."""
    text = fold_text(kind)
    if text in KIND_WORDS:
        return KIND_WORDS[text]
    if len(text) <= 6:  # a vertical label scrambled by text extraction: “性标定指”
        for word, code in (("定性", QUALITATIVE), ("定量", ""), ("正向", POSITIVE), ("反向", REVERSE)):
            if set(word) <= set(text):
                return code
    return None


# ------------------------------------------------------------------ qualitative


def _tidy(text: str) -> str:
    return fold_text(text).strip("。.；;，,、")


def qualitative_verdict(target: str, actual: str, profile: Profile) -> tuple[str, Band | None]:
    """How a worded actual relates to a worded target: (MET/WEAKER/NEGATED/UNKNOWN/STATED, band named).

    Met in its own words (“及时” → “及时”, “好” → “良好”) or by an achievement phrase is MET; a
    denial (不及时, 未完成, 否) is NEGATED; a hedge (基本完成, 较好 against 好) is WEAKER; an actual
    that names a band (部分达成预期指标) is STATED with that band.
    """
    t, a = _tidy(target), _tidy(actual)
    if not a:
        return UNKNOWN, None
    if a == t:
        return MET, None
    named = profile.band(a) if len(a) >= 2 else None
    if named is not None:
        return (MET if named.is_top else STATED), named
    if a in profile.achievement_phrases:
        return MET, None
    if any(p in a and p not in t for p in profile.negative_phrases):
        return NEGATED, None
    if t and t in a:
        before = a[: a.find(t)]
        if any(before.endswith(w) for w in profile.negation_words):
            return NEGATED, None
        if any(before.endswith(w) or before.startswith(w) for w in profile.weakening_words):
            return WEAKER, None
        return MET, None
    if t in ("是", "有") and a in ("否", "无", "没有"):
        return NEGATED, None
    t_negative = any(t.startswith(w) for w in profile.negation_words)
    if not t_negative and any(a.startswith(w) for w in profile.negation_words):
        return NEGATED, None
    if any(a.startswith(w) for w in profile.weakening_words):
        return WEAKER, None
    return UNKNOWN, None


def _band_range(band: Band) -> str:
    return f"{format_number(band.min * 100)}%–{format_number(band.max * 100)}%"


def _judge_band(band: Band, t: Measure, a: Measure, why: str, verdict: str = "") -> Judgement:
    how = (f"定性指标，评价档次“{band.label}”（{_band_range(band)}）{why}，按该档建议得分比例 "
           f"{format_number(band.default * 100)}%")
    return Judgement(band.default, QUALITATIVE, how, "", t, a, band=band, verdict=verdict)


_FIGURE = re.compile(r"(?<![0-9A-Za-z.])[0-9]+(?:\.[0-9]+)?%")  # a percentage written among words
_LOWER_WORDS = ("减少", "下降", "降低", "以内", "以下", "不超过", "不高于", "控制", "≤", "<")


def _figure_in_words(t: Measure, a: Measure) -> Judgement | None:
    """A worded target carrying one percentage (“11月底完成100%”) met by an observed percentage
    (“100%”). Only “met” is judged this way; anything else needs a band."""
    if not (t.is_qualitative and a.is_observation and a.unit) or any(w in t.text for w in _LOWER_WORDS):
        return None
    figures = [m for m in (parse_measure(token) for token in _FIGURE.findall(t.text))
               if m.is_quantity and m.unit == a.unit and not m.deadline]
    if len(figures) != 1 or (a.value or 0.0) < (figures[0].value or 0.0) - 1e-9:
        return None
    how = f"年度指标值“{t.text}”中的 {figures[0].shown(figures[0].value)} 已达到（实际完成 {a.shown(a.value)}）"
    return Judgement(1.0, POSITIVE, how, "", t, a, verdict=MET)


def _judge_qualitative(t: Measure, a: Measure, profile: Profile, band_text: str) -> Judgement:
    if band_text:
        chosen = profile.band(band_text)
        if chosen is None:
            labels = "、".join(b.label for b in profile.bands)
            return _unjudged(BAD_BAND, f"评价档次“{band_text}”无法识别（可选：{labels}）", QUALITATIVE, t, a)
        return _judge_band(chosen, t, a, "")
    target_text = t.text if t.is_qualitative else t.describe().strip("“”")
    actual_text = a.text or a.describe()
    verdict, named = qualitative_verdict(target_text, actual_text, profile)
    if verdict == UNKNOWN:
        figure = _figure_in_words(t, a)
        if figure is not None:
            return figure
    if verdict == MET:
        how = (f"定性指标，实际完成“{actual_text}”与年度指标“{target_text}”一致，视为达成年度指标")
        return Judgement(1.0, QUALITATIVE, how, "", t, a, band=named, auto_matched=True, verdict=MET)
    if verdict == STATED and named is not None:
        return _judge_band(named, t, a, f"（实际完成值写明“{actual_text}”）", STATED)
    if verdict == WEAKER:
        band = profile.middle_band()
        why = (f"定性指标“{target_text}”的实际完成“{actual_text}”弱于年度指标（基本、较、部分…），"
               f"属“{band.label}”（{_band_range(band)}），请选择评价档次并按档次给分")
    elif verdict == NEGATED:
        band = profile.bottom_band
        why = (f"定性指标“{target_text}”的实际完成“{actual_text}”表明未达成年度指标，"
               f"属“{band.label}”（{_band_range(band)}），请选择评价档次并按档次给分")
    else:
        why = (f"定性指标“{target_text}”的实际完成“{actual_text}”无法自动判定是否达成，"
               "请选择评价档次（或把实际完成值写成可与目标比较的表述）")
    return _unjudged(NEEDS_BAND, why, QUALITATIVE, t, a, verdict)


# ------------------------------------------------------------------ quantities


@lru_cache(maxsize=256)
def _words(words: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for a profile's word list (matching a name against it in one pass)."""
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True) if w) or "(?!)")


def _direction(forced: str, t: Measure, name: str, group: str, profile: Profile) -> str:
    if forced:
        return forced
    if t.approximate:
        return APPROX
    if t.comparator:
        return _DIRECTION[t.comparator]
    if not name and not group:
        return REVERSE if t.value == 0 else POSITIVE
    positive = bool(_words(profile.positive_name_keywords).search(name))
    if t.value == 0 or _words(profile.reverse_name_keywords).search(name):
        return REVERSE
    if not positive and _words(profile.reverse_count_keywords).search(name):
        return REVERSE
    if (t.unit in ("%", "") and (t.value or 0) >= 100 - 1e-9
            and _words(profile.control_name_keywords).search(name)):
        return REVERSE
    cost = _words(profile.cost_keywords)
    if not positive and (cost.search(group) or cost.search(name)):
        return REVERSE
    return POSITIVE


def _reverse_share(t: float, a: float, profile: Profile, shown: Any = format_number) -> tuple[float, str]:
    if a <= t:
        return 1.0, "实际控制在目标以内"
    if t <= 0:
        return 0.0, "目标为0而实际超出"
    if profile.reverse_formula == "ratio":
        return t / a, f"超出目标，按 {shown(t)}÷{shown(a)} 计分"
    return 1.0 - (a - t) / t, f"超出目标，按 1−({shown(a)}−{shown(t)})÷{shown(t)} 计分"


def _positive_share(t: float, a: float, shown: Any = format_number) -> tuple[float, str]:
    if a >= t:
        return 1.0, "实际达到目标"
    if t <= 0:
        return 0.0, "目标为0而实际为负"
    return a / t, f"未达到目标，按完成比例 {shown(a)}÷{shown(t)} 计分"


def _quantity_share(direction: str, target: Measure, a: float, profile: Profile) -> tuple[float, str]:
    """Share of the points earned and a Chinese phrase on how (figures as the target writes them)."""
    scale = target.scale or 1.0

    def shown(value: float) -> str:
        return format_number(value / scale)

    t = target.value or 0.0
    if direction == WITHIN:
        high = target.high if target.high is not None else t
        if t - 1e-9 <= a <= high + 1e-9:
            return 1.0, "实际在目标区间内"
        return _positive_share(t, a, shown) if a < t else _reverse_share(high, a, profile, shown)
    if direction == POSITIVE:
        return _positive_share(t, a, shown)
    if direction == REVERSE:
        return _reverse_share(t, a, profile, shown)
    tolerance = profile.approx_tolerance if direction == APPROX else profile.equal_tolerance
    if t == 0:
        return (1.0, "实际为0，与目标相符") if a <= 0 else (0.0, "目标为0而实际不为0")
    if abs(a - t) <= abs(t) * tolerance + 1e-9:
        return 1.0, "实际与目标相符" if direction == EQUAL else f"实际在目标±{format_number(tolerance * 100)}%以内"
    if a <= 0:
        return 0.0, "实际为0"
    share = min(a / t, t / a)
    return share, f"与目标有偏差，按 {shown(min(a, t))}÷{shown(max(a, t))} 计分"


def _date_key(m: Measure, other: Measure) -> tuple[int, float]:
    year = m.year if m.year is not None and other.year is not None else 0
    return year, m.value or 0.0


def _judge_date(t: Measure, a: Measure, profile: Profile) -> Judgement:
    if a.is_qualitative:
        return _judge_qualitative(t, a, profile, "")
    if not a.deadline:
        return _unjudged(FORMS, f"年度指标值是时限{t.describe()}，实际完成值{a.describe()}不是日期；"
                         "请填写实际完成的时间（如“10月”）", DEADLINE, t, a)
    if _date_key(a, t) <= _date_key(t, a):
        return Judgement(1.0, DEADLINE, f"实际完成时间{a.describe()}在时限{t.describe()}以内", "", t, a, verdict=MET)
    return _unjudged(NEEDS_BAND, f"实际完成时间{a.describe()}晚于时限{t.describe()}，请选择评价档次并说明原因",
                     DEADLINE, t, a, LATE)


def _units(t: Measure, a: Measure, unit: Any) -> tuple[Measure, Measure]:
    """Give a unitless target the row's 度量单位 and a unitless actual the target's unit; a fraction
    typed into a percentage (0.98 against ≥95%) is read as a percentage."""
    column = unit_of(unit)
    if t.is_quantity and not t.unit:
        t = with_unit(t, column)
    if a.is_quantity and not a.unit and not a.frequency:
        top = max(t.value or 0.0, t.high or 0.0)
        if t.unit == "%" and a.value is not None and 0 < a.value <= 1 < top:
            a = a._replace(value=a.value * 100)
        a = with_unit(a, written_unit(t) or column)
    return t, a


_JUDGED: dict[tuple[Any, ...], tuple[Profile, Judgement]] = {}
_JUDGED_MAX = 65536


def judge(target: Any, actual: Any, profile: Profile, kind: Any = None, band: Any = None,
          name: Any = None, group: Any = None, unit: Any = None) -> Judgement:
    """How far the actual meets the target, before points (see :func:`score_indicator`).

    Judgements are remembered per profile and cell values (a worksheet recalculates the same
    rows again and again); values that are not plain scalars are judged afresh.
    """
    if type(target) is bool or type(actual) is bool:  # True would share 1's entry
        return _judge(target, actual, profile, kind, band, name, group, unit)
    key = (id(profile), target, actual, kind, band, name, group, unit)
    try:
        hit = _JUDGED.get(key)
    except TypeError:  # a list or a dict in a cell: judged afresh
        return _judge(target, actual, profile, kind, band, name, group, unit)
    if hit is not None and hit[0] is profile:
        return hit[1]
    verdict = _judge(target, actual, profile, kind, band, name, group, unit)
    if len(_JUDGED) >= _JUDGED_MAX:
        _JUDGED.clear()
    _JUDGED[key] = (profile, verdict)
    return verdict


def clear_cache() -> None:
    """Forget remembered judgements (benchmarks measure the cold path)."""
    _JUDGED.clear()


def _judge(target: Any, actual: Any, profile: Profile, kind: Any, band: Any, name: Any, group: Any,
           unit: Any) -> Judgement:
    forced = kind_of(kind)
    if forced is None:
        return _unjudged(BAD_KIND, f"指标性质“{clean_text(kind)}”无法识别（可填：正向、反向、等于、约、定性）")
    t, a = parse_measure(target), parse_measure(actual)
    band_text = clean_text(band)
    if t.status != OK:
        hint = "；请填写年度指标值" if t.status != "na" else ""
        return _unjudged(NO_TARGET, f"年度指标值{t.describe()}{hint}", target=t, actual=a)
    if a.status != OK:
        hint = "；请填写实际完成值" if a.status != "na" else ""
        return _unjudged(NO_ACTUAL, f"实际完成值{a.describe()}{hint}", target=t, actual=a)
    t, a = _units(t, a, unit)
    if forced == QUALITATIVE or t.is_qualitative or a.is_qualitative and not t.is_quantity:
        return _judge_qualitative(t, a, profile, band_text)
    if t.deadline:
        return _judge_date(t, a, profile)
    if not a.is_quantity:
        if band_text:
            return _judge_qualitative(t, a, profile, band_text)
        return _unjudged(FORMS, f"年度指标值是数值{t.describe()}，实际完成值却是文字“{a.text}”；请填写实际数值",
                         target=t, actual=a)
    if a.deadline:
        return _unjudged(FORMS, f"实际完成值{a.describe()}是日期，年度指标值{t.describe()}不是时限；"
                         "请按年度指标值填写实际完成值", target=t, actual=a)
    if not a.is_observation:
        return _unjudged(NOT_OBSERVED, f"实际完成值“{a.text}”是目标式表述，不是实际观测值；请填写实际完成的数值",
                         target=t, actual=a)
    if not units_compatible(t, a):
        return _unjudged(UNITS, f"年度指标值单位“{t.written_unit or t.unit}”与实际完成值单位"
                         f"“{a.written_unit or a.unit}”不一致；请按年度指标值的单位填写实际完成值",
                         target=t, actual=a)
    direction = _direction(forced, t, fold_text(name), fold_text(group), profile)
    share, how = _quantity_share(direction, t, a.value or 0.0, profile)
    completion = (a.value / t.value) if t.value and direction != WITHIN else None
    how = f"年度指标值{t.describe()}，实际完成{a.shown(a.value)}，{METHOD_LABELS[direction]}：{how}"
    return Judgement(max(0.0, min(1.0, share)), direction, how, "", t, a, completion)


def score_indicator(target: Any, actual: Any, points: Any, profile: Profile, kind: Any = None,
                    band: Any = None, name: Any = None, *, group: Any = None, unit: Any = None) -> IndicatorResult:
    """Score one 绩效指标 row.

    ``kind`` (正向/反向/等于/约/定性, ≥/≤/=, blank for automatic) overrides the direction read from
    the target's comparator; ``band`` is the 评价档次 an evaluator chose for a qualitative row;
    ``name`` (三级指标) and ``group`` (二级指标) mark reverse rows (差错率, 事故, 成本指标);
    ``unit`` is the row's 度量单位 when the form has that column.
    """
    pts = parse_points(points)
    verdict = judge(target, actual, profile, kind, band, name, group, unit)
    if not pts.ok or pts.value is None or pts.value < 0:
        why = "分值为空；请填写分值" if pts.empty else pts.note or "分值不能为负数"
        return IndicatorResult(None, None, verdict.method, f"无法评分：{why}", NO_POINTS, verdict.target,
                               verdict.actual, completion=verdict.completion, verdict=verdict.verdict,
                               share=verdict.share)
    return result_from(verdict, pts.value, profile)


def overshoots(completion: float | None, method: str, profile: Profile) -> bool:
    """指标偏离: a positive or equal indicator completed at (1 + ``checks.overshoot``) × target or more.

    The one definition: check D5 asks for a note on it, ``optional.deviation_penalty`` takes
    points off for it (the scorer, hence the cell functions too).
    """
    return (completion is not None and method in (POSITIVE, EQUAL)
            and completion >= 1 + profile.overshoot - 1e-9)


def result_from(verdict: Judgement, points: float, profile: Profile) -> IndicatorResult:
    """Points × share, with the profile's 指标偏离 deduction; or the reason there is no score."""
    if verdict.share is None:
        return IndicatorResult(points, None, verdict.method, f"无法评分：{verdict.how}", verdict.problem,
                               verdict.target, verdict.actual, completion=verdict.completion,
                               verdict=verdict.verdict)
    score = round_score(points * verdict.share)
    penalty = ""
    completion = verdict.completion
    if profile.deviation_penalty and overshoots(completion, verdict.method, profile):
        score = round_score(max(0.0, score - profile.deviation_penalty))
        penalty = (f"；完成值为目标的 {format_number(completion * 100, 1)}%，指标偏离扣 "
                   f"{format_number(profile.deviation_penalty)} 分")
    if verdict.method == QUALITATIVE and verdict.auto_matched:
        text = f"{verdict.how}，得满分 {format_number(points)}"
    else:
        text = f"{verdict.how}{penalty}，得分 {format_number(score)}（分值 {format_number(points)}）"
    return IndicatorResult(points, score, verdict.method, text, "", verdict.target, verdict.actual,
                           verdict.auto_matched, completion, verdict.band, verdict.verdict, verdict.share)
