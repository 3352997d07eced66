"""Checks on what cells say (E1–E5, E8–E10)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ..filing import Table
from ..findings import INFO, Finding
from ..measures import DATE_UNIT, Measure, parse_measure
from ..rowscore import NOT_OBSERVED
from ..textnorm import simplify
from ..values import WAN, convert_money, display_text, format_number, parse_points
from .context import Context, amount, check, indicator_name, iter_rows, iter_tables, money, reason_field, text, words
from .templates import is_placeholder


@check("E1")
def observed_actuals(ctx: Context) -> Iterator[Finding]:
    for table, row, result in iter_rows(ctx, ("indicator", "breakdown")):
        if result.problem != NOT_OBSERVED:
            continue
        yield ctx.finding(
            "E1", row.actual.pointer,
            f"{indicator_name(table, row.index)} 实际完成值“{display_text(row.actual.raw)}”是目标式表述"
            f"（含比较词、“约”或区间），不是实际观测值，该指标无法评分；请填写实际完成的数值",
            expected="实际观测值", actual=display_text(row.actual.raw), table=table.label)


@check("E2")
def indicator_names(ctx: Context) -> Iterator[Finding]:
    phrases = ctx.profile.qualitative_words
    for table, row, _ in iter_rows(ctx, ("indicator", "breakdown")):
        name = words(row.level3)
        if not name:
            continue
        measure = parse_measure(row.level3.raw)
        if measure.is_quantity or name in phrases:
            what = ("时限" if measure.deadline else "数值") if measure.is_quantity else "完成情况"
            yield ctx.finding(
                "E2", row.level3.pointer,
                f"{table.label} 第{row.index + 1}行三级指标“{text(row.level3)}”是{what}，不是指标名称",
                expected="指标名称", actual=text(row.level3), table=table.label)


def _unit_name(m: Measure) -> str:
    return m.written_unit or m.unit


@check("E3")
def units(ctx: Context) -> Iterator[Finding]:
    for table, row, result in iter_rows(ctx, ("indicator", "breakdown")):
        t, a = result.target, result.actual
        if t is None or a is None or not t.is_quantity or not a.is_quantity:
            continue
        where = indicator_name(table, row.index)
        if t.unit and a.unit and t.unit != a.unit and DATE_UNIT not in (t.unit, a.unit):
            yield ctx.finding(
                "E3", row.actual.pointer,
                f"{where} 年度指标值单位“{_unit_name(t)}”与实际完成值单位“{_unit_name(a)}”不一致，无法比较",
                expected=_unit_name(t), actual=_unit_name(a), table=table.label)
        elif t.frequency and not a.frequency:
            yield ctx.finding(
                "E3", row.actual.pointer,
                f"{where} 年度指标值“{t.text}”按每年 {format_number(t.value)} 次与实际完成值“{a.text}”比较",
                expected=f"{format_number(t.value)}次", actual=a.text, table=table.label, severity=INFO)


_MONEY_NAME = ("资金", "金额", "经费", "费用", "预算", "支出", "补助")


def _money_target(table: Table, target: Measure, name: str) -> float | None:
    """The target as an amount in the table's money unit: a 万元/元 figure, or a bare number on a
    row whose name is about money (工程资金金额 43.2)."""
    if not target.is_quantity or target.value is None or target.frequency or target.is_range:
        return None
    if target.unit == WAN:
        return convert_money(target.value, WAN, table.money_unit)
    if not target.unit and any(w in name for w in _MONEY_NAME):
        return target.value
    return None


@check("E4")
def cost_equals_budget(ctx: Context) -> Iterator[Finding]:
    by_table: dict[str, tuple[float | None, ...]] = {}
    for table, row, result in iter_rows(ctx):
        if table.label not in by_table:
            by_table[table.label] = tuple(amount(table.budget[c], table.money_unit)
                                          for c in ("initial", "full_year", "executed"))
        initial, full, executed = by_table[table.label]
        target = result.target if result.target is not None else parse_measure(row.target.raw)
        if not target.is_quantity:
            continue
        value = _money_target(table, target, words(row.level3))
        if value is None:
            continue
        group = words(row.level2)
        where = indicator_name(table, row.index)
        budgets = [(b, what) for b, what in ((initial, "年初预算数"), (full, "全年预算数")) if b is not None]
        hit = next(((b, what) for b, what in budgets if ctx.close(value, b)), None)
        if "成本" in group:
            if hit:
                yield ctx.finding(
                    "E4", row.target.pointer,
                    f"{where} 成本指标 {money(value, table)} 等于{hit[1]}，应填写单位成本或成本控制目标",
                    expected="单位成本或成本控制数", actual=round(value, 2), table=table.label)
        elif "经济效益" in group:
            if any(v is not None and ctx.close(value, v) for v in (initial, full, executed)):
                yield ctx.finding(
                    "E4", row.target.pointer,
                    f"{where} 经济效益指标 {money(value, table)} 等于支出金额，支出不是效益，应填写项目带来的经济效益",
                    expected="经济效益", actual=round(value, 2), table=table.label)
        elif hit and any(w in group for w in ("数量", "质量", "时效")):
            yield ctx.finding(
                "E4", row.target.pointer,
                f"{where} 以资金金额 {money(value, table)}（等于{hit[1]}）作为{group or '产出'}，"
                "应填写资金形成的产出（数量、质量、时效）",
                expected="产出", actual=round(value, 2), table=table.label)


_NOT_A_REASON = re.compile(r"^(?:无|没有|暂无|0|/|—|-|——|略|同上|无偏差)[。.]?$")


@check("E5")
def deviation_notes(ctx: Context) -> Iterator[Finding]:
    for table, row, result in iter_rows(ctx):
        field = reason_field(table, row)
        if field is None or not table.form.row_points:
            continue
        reason = text(field)
        if reason and not _NOT_A_REASON.match(reason):
            continue
        filed, points = parse_points(row.score.raw), parse_points(row.points.raw)
        lost = filed.ok and points.ok and (filed.value or 0) < (points.value or 0) - 1e-9
        missed = result.judged and result.points is not None and result.score < result.points - 1e-9
        if lost or missed:
            said = f"（填写的“{reason}”不是原因）" if reason else ""
            yield ctx.finding(
                "E5", field.pointer,
                f"{indicator_name(table, row.index)} 未得满分或未达目标，须填写偏差原因分析及改进措施{said}",
                expected="偏差原因分析及改进措施", actual=reason or None, table=table.label)


_PUNCTUATION = re.compile(r"[\s，,。.；;：:、!！?？“”\"'‘’（）()《》\[\]【】—\-]+")
_NUMBERING = re.compile(r"(?m)(?:^|(?<=[。；;]))\s*(?:[0-9]+[、.](?![0-9])|[一二三四五六七八九十]+、|[(（][0-9一二三四五六七八九十]+[)）])")


def goal_words(raw: object) -> str:
    """A goal text reduced for comparison: folded, list numbering and punctuation removed."""
    if not isinstance(raw, str):
        return ""
    return _goal_words(raw)


@lru_cache(maxsize=1024)
def _goal_words(raw: str) -> str:
    return _PUNCTUATION.sub("", _NUMBERING.sub("", simplify(raw)))


_FIGURES = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def _only_a_figure(raw: object) -> bool:
    return bool(goal_words(raw)) and parse_measure(raw).is_quantity


@check("E8")
def goal_actual(ctx: Context) -> Iterator[Finding]:
    profile = ctx.profile
    for table in ctx.view.tables:
        for field, what in ((table.goal_expected, "预期目标"), (table.goal_actual, "实际完成情况")):
            if _only_a_figure(field.raw):
                yield ctx.finding(
                    "E8", field.pointer,
                    f"{table.label} 年度总体目标的{what}只有一个数字“{display_text(field.raw)}”，没有写明目标或完成情况",
                    expected="文字说明", actual=display_text(field.raw), table=table.label)
        actual = goal_words(table.goal_actual.raw)
        if not actual or _only_a_figure(table.goal_actual.raw):
            continue
        expected = goal_words(table.goal_expected.raw)
        shown = display_text(table.goal_actual.raw)
        severity = None
        if expected and actual == expected:
            why = "照抄了预期目标，没有写实际完成了什么"
        elif expected and len(actual) >= profile.goal_copy_min_chars and actual in expected:
            why = "原样抄自预期目标中的一句，没有写实际完成了什么"
        elif is_placeholder(ctx, table.goal_actual.raw):
            why = "是表格的提示语，没有写实际完成情况"
        elif actual in profile.goal_generic_phrases or len(actual) < profile.goal_min_chars:
            why = "只有一句笼统的话，没有写各项目标的实际完成情况（数量、进度、效果）"
        else:
            planned, done = _FIGURES.findall(expected), _FIGURES.findall(actual)
            if len(done) < 2 or sorted(planned) != sorted(done):
                continue
            why = f"中的数字（{'、'.join(dict.fromkeys(done))}）与预期目标完全相同，请核实是实际完成数而不是目标数"
            severity = INFO
        yield ctx.finding(
            "E8", table.goal_actual.pointer,
            f"{table.label} 年度总体目标的实际完成情况“{shown[:60]}”{why}",
            expected="逐项写明实际完成情况", actual=shown[:120], table=table.label, severity=severity)


@check("E9")
def satisfaction_targets(ctx: Context) -> Iterator[Finding]:
    for table, row, result in iter_rows(ctx):
        if "满意" not in words(row.level3) and "满意" not in words(row.level2) and "满意" not in words(row.level1):
            continue
        target = result.target if result.target is not None else parse_measure(row.target.raw)
        if target.is_quantity and target.unit != "%":
            shown = display_text(row.target.raw)
            # a survey score (“≥90分”) is a known practice: a hint; a bare or other figure: a warning
            yield ctx.finding(
                "E9", row.target.pointer,
                f"{indicator_name(table, row.index)} 满意度指标的年度指标值“{shown}”不是百分比；"
                "应写成如“≥90%”，并说明调查方式和样本",
                expected="百分比（如≥90%）", actual=shown, table=table.label,
                severity=INFO if target.unit == "分" else None)
        elif target.is_qualitative:
            yield ctx.finding(
                "E9", row.target.pointer,
                f"{indicator_name(table, row.index)} 满意度指标的年度指标值“{display_text(row.target.raw)}”是文字，"
                "无法与调查结果比较；宜写成百分比", expected="百分比", actual=display_text(row.target.raw),
                table=table.label, severity=INFO)


@check("E10")
def breakdown_sums(ctx: Context) -> Iterator[Finding]:
    for table, scores in iter_tables(ctx):
        children: dict[int, list[int]] = {}
        for row in table.indicators:
            if row.breakdown_of is not None and scores.indicators[row.index].role == "breakdown":
                children.setdefault(row.breakdown_of, []).append(row.index)
        for parent_index, indexes in children.items():
            parent = table.indicators[parent_index]
            for column, label in (("target", "年度指标值"), ("actual", "实际完成值")):
                whole = parse_measure(getattr(parent, column).raw)
                parts = [parse_measure(getattr(table.indicators[i], column).raw) for i in indexes]
                if not whole.is_observation or any(not p.is_observation for p in parts):
                    continue
                if any(p.unit != whole.unit for p in parts if p.unit and whole.unit):
                    continue
                added = sum(p.value or 0.0 for p in parts)
                value = whole.value or 0.0
                wrong = added > value + 1e-9 if len(parts) == 1 else abs(added - value) > 1e-6 * max(1.0, value)
                if wrong:
                    relation = "超过" if len(parts) == 1 else "不等于"
                    yield ctx.finding(
                        "E10", getattr(parent, column).pointer,
                        f"{indicator_name(table, parent_index)} 的{label} {whole.shown(whole.value)}，"
                        f"{relation}其中 {len(parts)} 项子行合计 {whole.shown(added)}",
                        expected=round(added, 6), actual=value, table=table.label)

