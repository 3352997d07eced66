"""Checks on points (C1–C4) and scores (D1–D8)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..filing import Indicator, Table
from ..findings import WARNING, Finding
from ..scoring import QUALITATIVE, capped_total, grade_for, overshoots
from ..values import clean_text, format_number, format_rate, heading_points, parse_points
from .context import Context, check, indicator_name, iter_tables, text

CATEGORY_WORDS = (("产出", "output", "产出指标"), ("效益", "benefit", "效益指标"),
                  ("满意", "satisfaction", "满意度指标"))


@dataclass
class Group:
    """Rows under one level-1 heading."""

    key: str
    label: str
    heading: Indicator
    declared: float | None
    rows: list[Indicator] = field(default_factory=list)


def category(level1: str) -> tuple[str, str]:
    """(profile weight key, display label) of a level-1 heading."""
    for word, key, label in CATEGORY_WORDS:
        if word in level1:
            return key, label
    bare = level1.split("(")[0] or "（未填一级指标）"
    return bare, bare


def groups(table: Table) -> list[Group]:
    """Indicator rows grouped by level-1 heading; a blank heading continues the one above
    (merged cells in a workbook leave only the first row filled)."""
    result: list[Group] = []
    for row in table.indicators:
        level1 = clean_text(row.level1.raw)
        if not level1 and result:
            result[-1].rows.append(row)
            continue
        key, label = category(level1)
        if result and result[-1].key == key:
            group = result[-1]
            if group.declared is None:
                group.declared = heading_points(level1)
        else:
            group = Group(key, label, row, heading_points(level1))
            result.append(group)
        group.rows.append(row)
    return result


def _points(row: Indicator) -> float | None:
    parsed = parse_points(row.points.raw)
    return parsed.value if parsed.ok else None


@check("C1")
def heading_sums(ctx: Context) -> Iterator[Finding]:
    for table in ctx.view.tables:
        for group in groups(table):
            declared = group.declared
            if declared is None:
                declared = ctx.profile.weights.get(group.key)
            values = [_points(r) for r in group.rows]
            if declared is None or any(v is None for v in values):
                continue
            added = sum(values)
            if not ctx.points_close(added, declared):
                listed = " + ".join(format_number(v) for v in values)
                yield ctx.finding(
                    "C1", group.heading.level1.pointer,
                    f"{table.label} {group.label}（{format_number(declared)}分）下各行分值 {listed} = "
                    f"{format_number(added)}，与一级指标分值 {format_number(declared)} 不符",
                    expected=declared, actual=added, table=table.label)


@check("C2")
def hundred_points(ctx: Context) -> Iterator[Finding]:
    full = ctx.profile.weights["total"]
    for table, score in iter_tables(ctx):
        added = score.points_total
        filed = parse_points(table.total_points.raw)
        if added is None:
            continue
        filed_value = filed.value if filed.ok else None
        if not ctx.points_close(added, full):
            yield ctx.finding(
                "C2", table.total_points.pointer,
                f"{table.label} 预算执行分值与各指标分值合计 {format_number(added)}，应为 "
                f"{format_number(full)}（总分行填报 {format_number(filed_value)}）",
                expected=full, actual=added, table=table.label)
        elif filed_value is None or not ctx.points_close(filed_value, full):
            yield ctx.finding(
                "C2", table.total_points.pointer,
                f"{table.label} 总分行分值填报 {format_number(filed_value)}，应为 {format_number(full)}",
                expected=full, actual=filed_value, table=table.label)


@check("C3")
def heading_weights(ctx: Context) -> Iterator[Finding]:
    weights = ctx.profile.weights
    for table in ctx.view.tables:
        budget = parse_points(table.budget["points"].raw)
        if budget.ok and budget.value is not None and abs(budget.value - weights["budget"]) > 1e-9:
            yield ctx.finding(
                "C3", table.budget["points"].pointer,
                f"{table.label} 预算执行率分值 {format_number(budget.value)}，规则配置为 "
                f"{format_number(weights['budget'])}（如有特殊情况请说明）",
                expected=weights["budget"], actual=budget.value, table=table.label)
        for group in groups(table):
            expected = weights.get(group.key)
            if expected is None or group.declared is None or abs(group.declared - expected) < 1e-9:
                continue
            yield ctx.finding(
                "C3", group.heading.level1.pointer,
                f"{table.label} {group.label}标注 {format_number(group.declared)} 分，规则配置为 "
                f"{format_number(expected)} 分（如有特殊情况请说明）",
                expected=expected, actual=group.declared, table=table.label)


@check("C4")
def points_readable(ctx: Context) -> Iterator[Finding]:
    for table in ctx.view.tables:
        cells = [(table.budget["points"], f"{table.label} 年度资金总额")]
        cells += [(row.points, indicator_name(table, row.index)) for row in table.indicators]
        for cell, where in cells:
            parsed = parse_points(cell.raw)
            if not parsed.ok or parsed.value is None or parsed.value < 0:
                why = "为空" if parsed.empty else f"“{cell.raw}”不是有效数字"
                yield ctx.finding("C4", cell.pointer, f"{where} 的分值{why}",
                                  expected="数字", actual=cell.raw if not isinstance(cell.raw, (list, dict)) else str(cell.raw),
                                  table=table.label)


def _score_cells(table: Table) -> list[tuple[object, object, str]]:
    cells = [(table.budget["score"], table.budget["points"], f"{table.label} 预算执行")]
    cells += [(r.score, r.points, indicator_name(table, r.index)) for r in table.indicators]
    return cells


@check("D1")
def score_range(ctx: Context) -> Iterator[Finding]:
    for table in ctx.view.tables:
        for score_cell, points_cell, where in _score_cells(table):
            score, points = parse_points(score_cell.raw), parse_points(points_cell.raw)
            if not score.ok or not points.ok or score.value is None or points.value is None:
                continue
            if score.value < -1e-9 or score.value > points.value + ctx.profile.score_tolerance:
                yield ctx.finding(
                    "D1", score_cell.pointer,
                    f"{where} 得分 {format_number(score.value)} 超出 0–{format_number(points.value)} 分",
                    expected=f"0–{format_number(points.value)}", actual=score.value, table=table.label)


@check("D2")
def total_score(ctx: Context) -> Iterator[Finding]:
    for table, scores in iter_tables(ctx):
        parsed = [parse_points(cell.raw) for cell, _, _ in _score_cells(table)]
        filed_total = parse_points(table.total_score.raw)
        if not filed_total.ok or any(not p.ok for p in parsed):
            continue
        expected, cap = capped_total([p.value or 0.0 for p in parsed], scores.budget.rate, ctx.profile)
        if not ctx.points_close(expected, filed_total.value or 0.0):
            how = (f"，按执行率 {format_rate(scores.budget.rate)} 封顶为 {format_number(cap)}"
                   if cap is not None else "")
            yield ctx.finding(
                "D2", table.total_score.pointer,
                f"{table.label} 总分填报 {format_number(filed_total.value)}，预算执行得分与各指标得分合计为 "
                f"{format_number(round(sum(p.value or 0.0 for p in parsed), 2))}{how}",
                expected=expected, actual=filed_total.value, table=table.label)


def _in_range(score: float, points: float, tolerance: float) -> bool:
    return -1e-9 <= score <= points + tolerance


@check("D3")
def recomputed_scores(ctx: Context) -> Iterator[Finding]:
    for table, scores in iter_tables(ctx):
        for row, result in zip(table.indicators, scores.indicators, strict=True):
            filed = parse_points(row.score.raw)
            if (not result.judged or not filed.ok or filed.value is None or result.points is None
                    or not _in_range(filed.value, result.points, ctx.profile.score_tolerance)
                    or clean_text(row.band.raw)):
                continue
            if not ctx.points_close(filed.value, result.score):
                severity = WARNING if result.auto_matched else None
                yield ctx.finding(
                    "D3", row.score.pointer,
                    f"{indicator_name(table, row.index)} 得分填报 {format_number(filed.value)}，按规则应为 "
                    f"{format_number(result.score)}（{result.explanation}）",
                    expected=result.score, actual=filed.value, table=table.label, severity=severity)


@check("D4")
def band_range(ctx: Context) -> Iterator[Finding]:
    for table in ctx.view.tables:
        for row in table.indicators:
            band = ctx.profile.band(clean_text(row.band.raw))
            filed, points = parse_points(row.score.raw), parse_points(row.points.raw)
            if band is None or not filed.ok or not points.ok or not points.value or filed.value is None:
                continue
            share = filed.value / points.value
            upper_ok = share <= band.max + 1e-9
            lower_ok = share >= band.min - 1e-9
            top = band.max >= 1.0
            if not (lower_ok and upper_ok) or (not top and share >= band.max - 1e-9):
                low, high = band.min * points.value, band.max * points.value
                yield ctx.finding(
                    "D4", row.score.pointer,
                    f"{indicator_name(table, row.index)} 评价档次“{band.label}”的得分应在 "
                    f"{format_number(low)}–{format_number(high)} 分{'（不含上限）' if not top else ''}，"
                    f"填报 {format_number(filed.value)}",
                    expected=f"{format_number(low)}–{format_number(high)}", actual=filed.value,
                    table=table.label)


@check("D5")
def overshoot(ctx: Context) -> Iterator[Finding]:
    for table, scores in iter_tables(ctx):
        for row, result in zip(table.indicators, scores.indicators, strict=True):
            if not overshoots(result.completion, result.method, ctx.profile) or text(row.deviation):
                continue
            yield ctx.finding(
                "D5", row.deviation.pointer,
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


@check("D8")
def all_full_marks(ctx: Context) -> Iterator[Finding]:
    for table, scores in iter_tables(ctx):
        cells = _score_cells(table)
        if not table.indicators:
            continue
        full = True
        for score_cell, points_cell, _ in cells:
            score, points = parse_points(score_cell.raw), parse_points(points_cell.raw)
            if not (score.ok and points.ok and score.value == points.value):
                full = False
                break
        qualitative = [r for r, s in zip(table.indicators, scores.indicators, strict=True)
                       if s.method == QUALITATIVE or s.target is not None and s.target.is_qualitative]
        boiler = [r for r in qualitative if _is_boilerplate(r, ctx.profile.boilerplate_phrases)]
        if full and boiler:
            phrases = "、".join(sorted({text(r.target) for r in boiler}))
            yield ctx.finding(
                "D8", table.pointer + "/indicators",
                f"{table.label} 所有指标均为满分，且 {len(boiler)} 项定性指标的目标与完成情况均为套话"
                f"（{phrases}），自评可能流于形式",
                expected=None, actual=len(boiler), table=table.label)
