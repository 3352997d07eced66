"""Checks on scores (D1–D9): ranges, totals, recomputed scores, bands, overshoots, grades, unscorable rows."""

from __future__ import annotations

from collections.abc import Iterator

from ..filing import Field, Indicator, Table
from ..findings import INFO, WARNING, Finding
from ..rowscore import (
    BAD_BAND,
    BAD_KIND,
    FORMS,
    NEEDS_BAND,
    NEGATED,
    NO_ACTUAL,
    NO_TARGET,
    WEAKER,
    IndicatorResult,
)
from ..scoring import FILED, POSITIVE, QUALITATIVE, TableScore, capped_total, grade_for, overshoots
from ..values import clean_text, format_number, format_rate, parse_points, parse_rate
from .context import Context, check, indicator_name, iter_rows, iter_tables, reason_field, text


def _value(field: Field) -> float | None:
    return parse_points(field.raw).value  # None unless a number was read


@check("D1")
def score_range(ctx: Context) -> Iterator[Finding]:
    for table, scores in iter_tables(ctx):
        cells: list[tuple[Field, float | None, int | None]] = []  # (score cell, points, row index or None)
        if scores.budget.scored:
            cells.append((table.budget["score"], scores.budget.points, None))
        cells += [(row.score, _value(row.points), row.index)
                  for row, result in zip(table.indicators, scores.indicators, strict=True)
                  if result.role == "indicator" and table.form.row_points]
        for score_cell, points, index in cells:
            score = _value(score_cell)
            if score is None or points is None:
                continue
            if score < -1e-9 or score > points + ctx.profile.score_tolerance:
                where = f"{table.label} 预算执行" if index is None else indicator_name(table, index)
                yield ctx.finding(
                    "D1", score_cell.pointer,
                    f"{where} 得分 {format_number(score)} 超出 0–{format_number(points)} 分",
                    expected=f"0–{format_number(points)}", actual=score, table=table.label)


def _filed_parts(table: Table, scores: TableScore) -> list[tuple[float | None, float | None]]:
    """(filed score, points) of the budget (when scored) and every counted row."""
    parts: list[tuple[float | None, float | None]] = []
    if scores.budget.scored:
        parts.append((_value(table.budget["score"]), scores.budget.points))
    for row, result in zip(table.indicators, scores.indicators, strict=True):
        if result.role == "indicator":
            parts.append((_value(row.score), _value(row.points) if table.form.row_points else None))
    return parts


@check("D2")
def total_score(ctx: Context) -> Iterator[Finding]:
    full = ctx.profile.weights["total"]
    for table, scores in iter_tables(ctx):
        filed_total = _value(table.total_score)
        if filed_total is None:
            continue
        parts = _filed_parts(table, scores)
        if table.complete and all(s is not None for s, _ in parts):
            values = [s for s, _ in parts if s is not None]
            expected, cap = capped_total(values, scores.budget.rate, ctx.profile)
            if not ctx.points_close(expected, filed_total):
                how = (f"，按执行率 {format_rate(scores.budget.rate)} 封顶为 {format_number(cap)}"
                       if cap is not None else "")
                yield ctx.finding(
                    "D2", table.total_score.pointer,
                    f"{table.label} 总分填报 {format_number(filed_total)}，"
                    f"{'预算执行得分与' if scores.budget.scored else ''}各指标得分合计为 "
                    f"{format_number(round(sum(values), 2))}{how}",
                    expected=expected, actual=filed_total, table=table.label)
            continue
        if not table.form.row_points and any(p is None for _, p in parts[1 if scores.budget.scored else 0:]):
            continue
        known_points = sum(p for s, p in parts if p is not None)
        known = sum(s if s is not None else p for s, p in parts if p is not None)
        known += sum(s for s, p in parts if p is None and s is not None)
        highest = round(known + max(0.0, full - known_points), 2)
        if filed_total > highest + ctx.profile.score_tolerance:
            cut = "（表格被截断，未显示的指标按满分计）" if not table.complete else "（无法读取的得分按满分计）"
            yield ctx.finding(
                "D2", table.total_score.pointer,
                f"{table.label} 总分填报 {format_number(filed_total)}，各项得分合计最多 {format_number(highest)}{cut}",
                expected=f"≤{format_number(highest)}", actual=filed_total, table=table.label)


def _in_top_band(ctx: Context, filed: float, points: float) -> bool:
    top = ctx.profile.top_band
    return points > 0 and top.min - 1e-9 <= filed / points <= 1 + 1e-9


@check("D3")
def recomputed_scores(ctx: Context) -> Iterator[Finding]:
    for table, row, result in iter_rows(ctx):
        filed = _value(row.score)
        if (not result.judged or filed is None or result.points is None or result.score is None
                or not -1e-9 <= filed <= result.points + ctx.profile.score_tolerance
                or clean_text(row.band.raw) or result.band is not None and not result.auto_matched):
            continue
        if ctx.points_close(filed, result.score):
            continue
        severity = None
        if result.auto_matched:
            severity = INFO if _in_top_band(ctx, filed, result.points) else WARNING
        coefficient = parse_rate(row.coefficient.raw)
        note = ""
        if coefficient.ok and coefficient.value is not None and result.share is not None:
            note = f"；得分系数填报 {format_rate(coefficient.value)}，按规则应为 {format_rate(result.share)}"
        yield ctx.finding(
            "D3", row.score.pointer,
            f"{indicator_name(table, row.index)} 得分填报 {format_number(filed)}，按规则应为 "
            f"{format_number(result.score)}（{result.explanation}）{note}",
            expected=result.score, actual=filed, table=table.label, severity=severity)


@check("D4")
def band_range(ctx: Context) -> Iterator[Finding]:
    for table, row, result in iter_rows(ctx):
        band = ctx.profile.band(clean_text(row.band.raw)) or (result.band if not result.auto_matched else None)
        filed, points = _value(row.score), _value(row.points)
        if band is None or filed is None or not points:
            continue
        share = filed / points
        inside = band.min - 1e-9 <= share <= band.max + 1e-9 and (band.is_top or share < band.max - 1e-9)
        if not inside:
            low, high = band.min * points, band.max * points
            yield ctx.finding(
                "D4", row.score.pointer,
                f"{indicator_name(table, row.index)} 评价档次“{band.label}”的得分应在 "
                f"{format_number(low)}–{format_number(high)} 分{'（不含上限）' if not band.is_top else ''}，"
                f"填报 {format_number(filed)}",
                expected=f"{format_number(low)}–{format_number(high)}", actual=filed, table=table.label)


@check("D5")
def overshoot(ctx: Context) -> Iterator[Finding]:
    for table, row, result in iter_rows(ctx):
        # a kept filed score keeps its completion only where more is better (scoring._filed)
        method = POSITIVE if result.method == FILED else result.method
        if not overshoots(result.completion, method, ctx.profile):
            continue
        reason = reason_field(table, row)
        if reason is not None and text(reason):
            continue
        yield ctx.finding(
            "D5", (reason or row.actual).pointer,
            f"{indicator_name(table, row.index)} 完成值为目标的 {format_number(result.completion * 100, 1)}%，"
            f"超出目标 {format_number(ctx.profile.overshoot * 100)}% 及以上，须说明偏差原因（目标是否设置过低）",
            expected="偏差说明", actual=None, table=table.label)


@check("D6")
def grade_label(ctx: Context) -> Iterator[Finding]:
    for table in ctx.view.tables:
        label = text(table.total_grade)
        expected = grade_for(table.total_score.raw, ctx.profile)
        if label and expected and label != expected:
            yield ctx.finding(
                "D6", table.total_grade.pointer,
                f"{table.label} 等级填报“{label}”，总分 {clean_text(table.total_score.raw)} 对应等级应为“{expected}”",
                expected=expected, actual=label, table=table.label)


def _is_boilerplate(row: Indicator, phrases: frozenset[str]) -> bool:
    target, actual = text(row.target), text(row.actual)
    return target == actual and (target in phrases or any(p in target for p in phrases if len(p) > 1))


def _full_marks(row: Indicator) -> bool:
    score = _value(row.score)
    return score is not None and score == _value(row.points)


def _reasons_for_doubt(ctx: Context, table: Table, scores: TableScore,
                       counted: list[tuple[Indicator, IndicatorResult]]) -> list[str]:
    reasons = []
    qualitative = [r for r, s in counted if s.method == QUALITATIVE or s.target is not None and s.target.is_qualitative]
    boiler = [r for r in qualitative if _is_boilerplate(r, ctx.profile.boilerplate_phrases)]
    if boiler:
        phrases = "、".join(sorted({text(r.target) for r in boiler}))
        reasons.append(f"{len(boiler)} 项定性指标的目标与完成情况均为套话（{phrases}）")
    parents = {row.breakdown_of for row in table.indicators if row.breakdown_of is not None}
    empty = [r for r, _ in counted if r.index not in parents and not text(r.target) and not text(r.actual)]
    if empty:
        reasons.append(f"{len(empty)} 项指标没有指标值和完成值却得满分")
    rate = scores.budget.rate
    if rate is not None and rate < ctx.profile.low_rate - 1e-12:
        reasons.append(f"执行率只有 {format_rate(rate)}")
    return reasons


@check("D8")
def all_full_marks(ctx: Context) -> Iterator[Finding]:
    for table, scores in iter_tables(ctx):
        counted = [(r, s) for r, s in zip(table.indicators, scores.indicators, strict=True) if s.role == "indicator"]
        if len(counted) < 2 or not table.form.row_points:
            continue
        if not all(_full_marks(row) for row, _ in counted):
            continue
        reasons = _reasons_for_doubt(ctx, table, scores, counted)
        if reasons:
            yield ctx.finding(
                "D8", table.pointer + "/indicators",
                f"{table.label} 所有指标均为满分，而{'；'.join(reasons)}，自评可能流于形式",
                expected=None, actual=len(counted), table=table.label)


_REPORTED_ELSEWHERE = {"points", "not_observed", "units"}  # C4, E1, E3


def _unscored_message(table: Table, row: Indicator, result: IndicatorResult) -> str | None:
    if result.problem in _REPORTED_ELSEWHERE:
        return None
    if result.problem in (NO_TARGET, NO_ACTUAL):
        measure = result.target if result.problem == NO_TARGET else result.actual
        if measure is None or measure.status != "na":
            return None  # a blank cell is E7's
    elif result.problem not in (NEEDS_BAND, FORMS, BAD_BAND, BAD_KIND):
        return None
    why = result.explanation.removeprefix("无法评分：")
    filed, points = _value(row.score), result.points
    if result.verdict == NEGATED and filed is not None and points and filed >= points - 1e-9:
        why += f"；填报得分 {format_number(filed)} 为满分，与未达成不符"
    return f"{indicator_name(table, row.index)} 无法按规则评分：{why}"


@check("D9")
def unscorable_rows(ctx: Context) -> Iterator[Finding]:
    for table, scores in iter_tables(ctx):
        filed_rows = []
        for row, result in zip(table.indicators, scores.indicators, strict=True):
            if result.role != "indicator":
                continue
            if result.from_filing and result.score is not None:
                filed_rows.append(row)
                if result.verdict in (NEGATED, WEAKER):
                    yield ctx.finding(
                        "D9", row.actual.pointer,
                        f"{indicator_name(table, row.index)} 实际完成“{clean_text(row.actual.raw)}”"
                        f"{'表明未达成' if result.verdict == NEGATED else '弱于'}年度指标，填报得分 "
                        f"{format_number(result.score)} 请按评价档次核对", table=table.label, severity=INFO)
                continue
            message = _unscored_message(table, row, result)
            if message:
                yield ctx.finding("D9", row.score.pointer, message, expected="可评分的指标值与完成值",
                                  actual=None, table=table.label)
        if filed_rows:
            why = ("本表式没有逐行分值" if not table.form.row_points
                   else "这些是按表式评分标准自评的指标（过程指标或印有计分标准）")
            yield ctx.finding(
                "D9", filed_rows[0].score.pointer,
                f"{table.label} 有 {len(filed_rows)} 项指标无法按规则重算（{why}），采用填报得分计入总分",
                expected=None, actual=len(filed_rows), table=table.label, severity=INFO)
