"""Checks on what cells say (E1–E7)."""

from __future__ import annotations

from collections.abc import Iterator

from ..filing import Field, Table
from ..findings import INFO, Finding
from ..scoring import NOT_OBSERVED
from ..values import clean_text, display_text, format_amount, parse_measure, parse_points
from .context import Context, amount, check, indicator_name, iter_tables, text


@check("E1")
def observed_actuals(ctx: Context) -> Iterator[Finding]:
    for table, scores in iter_tables(ctx):
        for row, result in zip(table.indicators, scores.indicators, strict=True):
            if result.problem != NOT_OBSERVED:
                continue
            yield ctx.finding(
                "E1", row.actual.pointer,
                f"{indicator_name(table, row.index)} 实际完成值“{display_text(row.actual.raw)}”是目标式表述"
                f"（含比较词或“约”），不是实际观测值，该指标无法评分；请填写实际完成的数值",
                expected="实际观测值", actual=display_text(row.actual.raw), table=table.label)


@check("E2")
def indicator_names(ctx: Context) -> Iterator[Finding]:
    words = ctx.profile.qualitative_words
    for table in ctx.view.tables:
        for row in table.indicators:
            name = text(row.level3)
            if not name:
                continue
            measure = parse_measure(row.level3.raw)
            if measure.is_quantity or name in words:
                what = "数值" if measure.is_quantity else "完成情况"
                yield ctx.finding(
                    "E2", row.level3.pointer,
                    f"{table.label} 第{row.index + 1}行三级指标“{name}”是{what}，不是指标名称",
                    expected="指标名称", actual=name, table=table.label)


@check("E3")
def units(ctx: Context) -> Iterator[Finding]:
    for table, scores in iter_tables(ctx):
        for row, result in zip(table.indicators, scores.indicators, strict=True):
            t, a = result.target, result.actual
            if t is None or a is None or not t.is_quantity or not a.is_quantity:
                continue
            where = indicator_name(table, row.index)
            if t.unit and a.unit and t.unit != a.unit:
                yield ctx.finding(
                    "E3", row.actual.pointer,
                    f"{where} 年度指标值单位“{t.unit}”与实际完成值单位“{a.unit}”不一致，无法比较",
                    expected=t.unit, actual=a.unit, table=table.label)
            elif t.frequency and not a.frequency:
                yield ctx.finding(
                    "E3", row.actual.pointer,
                    f"{where} 年度指标值“{t.text}”按每年 {t.value:g} 次与实际完成值“{a.text}”比较",
                    expected=f"{t.value:g}次", actual=a.text, table=table.label, severity=INFO)


def _fund_amounts(table: Table) -> list[float]:
    row = table.budget
    values = [amount(row[c]) for c in ("initial", "full_year", "executed")]
    return [v for v in values if v is not None]


@check("E4")
def cost_equals_budget(ctx: Context) -> Iterator[Finding]:
    for table in ctx.view.tables:
        budget = amount(table.budget["full_year"])
        spending = _fund_amounts(table)
        for row in table.indicators:
            level2 = text(row.level2)
            target = parse_measure(row.target.raw)
            if not target.is_quantity or target.unit != "万元" or target.value is None:
                continue
            where = indicator_name(table, row.index)
            if "成本" in level2 and budget is not None and ctx.close(target.value, budget):
                yield ctx.finding(
                    "E4", row.target.pointer,
                    f"{where} 成本指标 {format_amount(target.value)} 万元等于全年预算总额，"
                    "应填写单位成本或成本控制目标",
                    expected="单位成本或成本控制数", actual=format_amount(target.value), table=table.label)
            elif "经济效益" in level2 and any(ctx.close(target.value, v) for v in spending):
                yield ctx.finding(
                    "E4", row.target.pointer,
                    f"{where} 经济效益指标 {format_amount(target.value)} 万元等于支出金额，"
                    "支出不是效益，应填写项目带来的经济效益",
                    expected="经济效益", actual=format_amount(target.value), table=table.label)


@check("E5")
def deviation_notes(ctx: Context) -> Iterator[Finding]:
    for table, scores in iter_tables(ctx):
        for row, result in zip(table.indicators, scores.indicators, strict=True):
            if text(row.deviation):
                continue
            filed, points = parse_points(row.score.raw), parse_points(row.points.raw)
            lost = filed.ok and points.ok and (filed.value or 0) < (points.value or 0) - 1e-9
            missed = result.judged and result.points is not None and result.score < result.points - 1e-9
            if lost or missed:
                yield ctx.finding(
                    "E5", row.deviation.pointer,
                    f"{indicator_name(table, row.index)} 未得满分或未达目标，须填写偏差原因分析及改进措施",
                    expected="偏差原因分析及改进措施", actual=None, table=table.label)


def _text_fields(ctx: Context) -> Iterator[tuple[Table | None, Field, str]]:
    for table in ctx.view.tables:
        yield table, table.name, "名称"
        yield table, table.goal_expected, "年度总体目标（预期目标）"
        yield table, table.goal_actual, "年度总体目标（实际完成情况）"
        for row in table.indicators:
            for key in ("level2", "level3", "target", "actual", "deviation"):
                yield table, getattr(row, key), key


_REQUIRED = {"level3": "三级指标", "target": "年度指标值", "actual": "实际完成值"}
_FIELD_WORDS = {"level2": "二级指标", "level3": "三级指标", "target": "年度指标值",
                "actual": "实际完成值", "deviation": "偏差原因分析及改进措施"}


@check("E7")
def placeholders(ctx: Context) -> Iterator[Finding]:
    pattern = ctx.profile.placeholder_pattern
    if not text(Field("/unit", ctx.view.unit)):
        yield ctx.finding("E7", "/unit", "填报单位为空", expected="单位名称", actual=None, table="基本信息")
    for table, field, key in _text_fields(ctx):
        raw = clean_text(field.raw)
        label = table.label if table else ""
        what = _FIELD_WORDS.get(key, key)
        if raw and pattern.search(raw):
            yield ctx.finding("E7", field.pointer,
                              f"{label} {what}“{display_text(field.raw)}”是模板占位符或提示语，请填写实际内容",
                              expected="实际内容", actual=display_text(field.raw), table=label)
        elif not raw and (key in _REQUIRED or key == "名称"):
            yield ctx.finding("E7", field.pointer, f"{label} {_REQUIRED.get(key, what)}为空",
                              expected="必填", actual=None, table=label)
    for table in ctx.view.tables:
        for row in table.indicators:
            if parse_points(row.score.raw).empty:
                yield ctx.finding("E7", row.score.pointer, f"{indicator_name(table, row.index)} 得分为空",
                                  expected="必填", actual=None, table=table.label)
