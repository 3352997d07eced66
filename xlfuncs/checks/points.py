"""Checks on points (C1–C6): headings against their rows, the table's 100 points, missing groups."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..categories import BY_KEY, PROCESS_KEYS, STANDARD_CATEGORIES, category_of
from ..filing import Indicator, Table
from ..findings import INFO, Finding
from ..groups import Group, groups
from ..scoring import BREAKDOWN, UNUSED, TableScore
from ..textnorm import fold_text
from ..values import format_number, heading_points, parse_points
from .context import Context, check, indicator_name, iter_tables

__all__ = ["Group", "groups"]  # the grouping lives in xlfuncs.groups; kept importable from here


def _points(row: Indicator) -> float | None:
    return parse_points(row.points.raw).value  # None unless a number was read


def counted_rows(score: TableScore, rows: list[Indicator]) -> list[Indicator]:
    """Rows whose points count: not 其中 sub-rows, not unused template rows (the roles scoring gave them)."""
    results = score.indicators
    return [r for r in rows if results[r.index].role not in (BREAKDOWN, UNUSED)]


def _level2_groups(group: Group) -> list[tuple[Indicator, float, list[Indicator]]]:
    """Second-level headings that print their own points (“数量指标(10分)”) and their rows; a blank
    二级指标, or the same text again, continues the heading above."""
    out: list[tuple[Indicator, float | None, list[Indicator]]] = []
    current = ""
    for row in group.rows:
        label = fold_text(row.level2.raw)
        if label and label != current:
            current = label
            out.append((row, heading_points(label), [row]))
        elif out:
            out[-1][2].append(row)
    return [(heading, points, rows) for heading, points, rows in out if points is not None]


def _sum_mismatch(ctx: Context, table: Table, rows: list[Indicator], declared: float) -> tuple[float, list[float]] | None:
    values = [_points(r) for r in counted_rows(ctx.scores[table.label], rows) if r.index != table.cut_index]
    if not values or any(v is None for v in values):
        return None
    added = sum(v for v in values if v is not None)
    cut = table.cut_index is not None and any(r.index == table.cut_index for r in rows)
    if ctx.points_close(added, declared) or cut and added < declared:
        return None  # a group cut off in its source can only be wrong when it already exceeds
    return added, [v for v in values if v is not None]


@check("C1")
def heading_sums(ctx: Context) -> Iterator[Finding]:
    for table, score in iter_tables(ctx):
        table_groups = score.groups
        if not table.form.row_points:
            yield from _block_against_headings(ctx, table, table_groups)
            continue
        for group in table_groups:
            declared = group.declared
            if declared is None and group.category in STANDARD_CATEGORIES and not table.form.row_weights:
                # a 权重 form lets the unit split the block's points; only printed group points bind
                declared = ctx.profile.weights.get(group.key)
            if declared is not None:
                mismatch = _sum_mismatch(ctx, table, group.rows, declared)
                if mismatch:
                    added, values = mismatch
                    yield ctx.finding(
                        "C1", group.heading.level1.pointer,
                        f"{table.label} {group.label}（{format_number(declared)}分）下各行分值 "
                        f"{' + '.join(format_number(v) for v in values)} = {format_number(added)}，"
                        f"与一级指标分值 {format_number(declared)} 不符",
                        expected=declared, actual=added, table=table.label)
            for heading, points, rows in _level2_groups(group):
                mismatch = _sum_mismatch(ctx, table, rows, points)
                if mismatch:
                    yield ctx.finding(
                        "C1", heading.level2.pointer,
                        f"{table.label} 二级指标“{fold_text(heading.level2.raw)}”标注 {format_number(points)} 分，"
                        f"其下各行分值合计 {format_number(mismatch[0])}",
                        expected=points, actual=mismatch[0], table=table.label)


def _block_against_headings(ctx: Context, table: Table, table_groups: list[Group]) -> Iterator[Finding]:
    """A form without per-row points: the level-1 headings must add to the block heading (80分)."""
    block = table.form.indicator_heading_points
    declared = [g.declared for g in table_groups if counted_rows(ctx.scores[table.label], g.rows)]
    if block is None or not declared or any(d is None for d in declared):
        return
    added = sum(d for d in declared if d is not None)
    if not ctx.points_close(added, block):
        listed = " + ".join(f"{g.label}{format_number(g.declared)}" for g in table_groups if g.declared is not None)
        yield ctx.finding(
            "C1", table_groups[0].heading.level1.pointer,
            f"{table.label} 绩效指标块标注 {format_number(block)} 分，各一级指标标注 {listed} = "
            f"{format_number(added)} 分，两者不符",
            expected=block, actual=added, table=table.label)


@check("C2")
def hundred_points(ctx: Context) -> Iterator[Finding]:
    full = ctx.profile.weights["total"]
    for table, score in iter_tables(ctx):
        if not table.complete:
            continue
        added = score.points_total
        filed = parse_points(table.total_points.raw)
        filed_value = filed.value if filed.ok else None
        if added is not None and not ctx.points_close(added, full):
            yield ctx.finding(
                "C2", table.total_points.pointer,
                f"{table.label} {'预算执行分值与' if score.budget.scored else ''}各指标分值合计 {format_number(added)}，"
                f"应为 {format_number(full)}（总分行填报 {format_number(filed_value)}）；分值合计不对时不给总分和等级",
                expected=full, actual=added, table=table.label)
        elif added is not None and filed_value is not None and not ctx.points_close(filed_value, full):
            yield ctx.finding(
                "C2", table.total_points.pointer,
                f"{table.label} 总分行分值填报 {format_number(filed_value)}，应为 {format_number(full)}",
                expected=full, actual=filed_value, table=table.label)


def _deviations(ctx: Context, table: Table, table_groups: list[Group]) -> list[tuple[object, str, float, float]]:
    weights = ctx.profile.weights
    out: list[tuple[object, str, float, float]] = []
    budget = ctx.scores[table.label].budget
    if budget.scored and budget.points is not None and abs(budget.points - weights["budget"]) > 1e-9:
        pointer = (table.budget["points"].pointer if parse_points(table.budget["points"].raw).ok
                   else table.pointer + "/form/budget_heading")
        out.append((pointer, "预算执行", budget.points, weights["budget"]))
    for group in table_groups:
        expected = weights.get(group.key) if group.category in STANDARD_CATEGORIES else None
        if expected is not None and group.declared is not None and abs(group.declared - expected) > 1e-9:
            out.append((group.heading.level1.pointer, group.label, group.declared, expected))
    return out


def _own_split(ctx: Context, table: Table, table_groups: list[Group]) -> bool:
    """True when the form prints its own split and it adds up: the budget points (when the form scores
    the budget) and the indicator block — its heading (“年度绩效目标(80分)”) or else the sum of the
    level-1 headings — make the profile's total."""
    budget = ctx.scores[table.label].budget
    parts = [budget.points] if budget.scored else []
    block = table.form.indicator_heading_points
    if block is None:
        declared = [g.declared for g in table_groups
                    if counted_rows(ctx.scores[table.label], g.rows) or g.declared is not None]
        block = sum(d for d in declared if d is not None) if declared and all(d is not None for d in declared) else None
    parts.append(block)
    if any(p is None for p in parts):
        return False
    return abs(sum(p for p in parts if p is not None) - ctx.profile.weights["total"]) <= ctx.profile.score_tolerance


# “注：1.一级指标分值统一设置为：产出指标50分、效益指标30分、服务对象满意度指标10分、预算资金执行率10分”
_SPLIT_NOTE = re.compile(r"分值统一设置|统一设置为")
_SPLIT_PART = re.compile(r"(产出指标|效益指标|满意度指标|预算(?:资金)?执行率)\s*([0-9]+(?:\.[0-9]+)?)\s*分")


def printed_split(notes: tuple[str, ...]) -> dict[str, float]:
    """The level-1 points a form's printed note fixes for every filer (the 10号 note), by category key."""
    split: dict[str, float] = {}
    for note in notes:
        text = fold_text(note)
        if not _SPLIT_NOTE.search(text):
            continue
        for name, points in _SPLIT_PART.findall(text):
            category = category_of(name)
            key = "budget" if name.startswith("预算") else category.key if category is not None else None
            if key is not None:
                split.setdefault(key, float(points))
    return split


def _against_printed_split(table: Table, table_groups: list[Group]) -> list[tuple[object, str, float, float]]:
    split = printed_split(table.form.notes)
    return [(g.heading.level1.pointer, g.label, g.declared, split[g.key]) for g in table_groups
            if g.key in split and g.declared is not None and abs(g.declared - split[g.key]) > 1e-9]


@check("C3")
def heading_weights(ctx: Context) -> Iterator[Finding]:
    for table, score in iter_tables(ctx):
        table_groups = score.groups
        for pointer, what, got, expected in _against_printed_split(table, table_groups):
            # the form's own note fixes the split: a heading off it is the filer's, not the form's
            yield ctx.finding(
                "C3", str(pointer),
                f"{table.label} {what}标注 {format_number(got)} 分，表式注明一级指标分值统一设置为 "
                f"{format_number(expected)} 分（如有特殊情况请说明）",
                expected=expected, actual=got, table=table.label)
        if printed_split(table.form.notes):
            continue
        deviations = _deviations(ctx, table, table_groups)
        if not deviations:
            continue
        if _own_split(ctx, table, table_groups) or not table.complete or table.form.family:
            # a form that prints its own split (40/40/20, 20 for the budget, an imported form) is
            # scored by it: worth knowing, never a warning
            listed = "、".join(f"{what} {format_number(got)} 分" for _, what, got, _ in deviations)
            yield ctx.finding(
                "C3", str(deviations[0][0]),
                f"{table.label} 表式印有自己的分值（{listed}），与规则配置“{ctx.profile.title}”不同；"
                "按表式的分值计算",
                expected=None, actual=listed, table=table.label, severity=INFO)
            continue
        for pointer, what, got, expected in deviations:
            yield ctx.finding(
                "C3", str(pointer),
                f"{table.label} {what}标注 {format_number(got)} 分，规则配置为 {format_number(expected)} 分"
                "（如有特殊情况请说明）",
                expected=expected, actual=got, table=table.label)


@check("C4")
def points_readable(ctx: Context) -> Iterator[Finding]:
    for table, score in iter_tables(ctx):
        cells = []
        budget_points = parse_points(table.budget["points"].raw)
        if score.budget.scored and not (budget_points.empty and score.budget.points is not None):
            cells.append((table.budget["points"], f"{table.label} 年度资金总额"))
        if table.form.row_points:
            cells += [(row.points, indicator_name(table, row.index))
                      for row, result in zip(table.indicators, score.indicators, strict=True)
                      if result.role == "indicator"]
        for cell, where in cells:
            parsed = parse_points(cell.raw)
            if not parsed.ok or parsed.value is None or parsed.value < 0:
                why = "为空" if parsed.empty else f"“{cell.raw}”不是有效数字"
                yield ctx.finding("C4", cell.pointer, f"{where} 的分值{why}，请填写分值",
                                  expected="数字", actual=cell.raw if not isinstance(cell.raw, (list, dict)) else str(cell.raw),
                                  table=table.label)


def _present(score: TableScore, table_groups: list[Group]) -> set[str]:
    found = set()
    for group in table_groups:
        rows = counted_rows(score, group.rows)
        if not rows:
            continue
        if group.category is not None:
            found.add(group.category.key)
        for row in rows:
            category = category_of(None, row.level2.raw)
            if category is not None:
                found.add(category.key)
    return found


@check("C5")
def missing_groups(ctx: Context) -> Iterator[Finding]:
    for table, score in iter_tables(ctx):
        table_groups = score.groups
        named = {g.category.key for g in table_groups if g.category is not None}
        if not table.indicators_complete or not named:
            continue
        process = bool(named & PROCESS_KEYS)
        required = ("decision", "management", "output", "benefit") if process else tuple(
            c.key for c in STANDARD_CATEGORIES if not (table.form.row_weights and c.key == "satisfaction"))
        present = _present(score, table_groups)
        for key in required:
            if key in present:
                continue
            label = BY_KEY[key].label
            yield ctx.finding(
                "C5", table.pointer + "/indicators",
                f"{table.label} 缺少一级指标“{label}”（或该一级指标下没有任何指标）；请补充相应绩效指标",
                expected=label, actual=None, table=table.label)


@check("C6")
def no_indicators(ctx: Context) -> Iterator[Finding]:
    for table, score in iter_tables(ctx):
        if table.complete and not score.counted:
            yield ctx.finding(
                "C6", table.pointer + "/indicators",
                f"{table.label} 没有填写任何绩效指标，无法评分，总分和等级无法确定；请填写绩效指标",
                expected="绩效指标", actual=None, table=table.label)
