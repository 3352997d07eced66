"""Checks on the funds blocks (A1–A7) and department against projects (B1–B4), plus V1."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..filing import COLUMN_LABELS, EXPENSE_LABELS, FUND_ROW_LABELS, INCOME_LABELS, Field, Table, is_year
from ..findings import Finding
from ..values import format_amount, format_number, format_rate, parse_amount, parse_points, parse_rate
from .context import Context, amount, amount_or_zero, check, is_blank

SUB_ROWS = ("current_year", "carried_over", "other")
SUM_COLUMNS = ("initial", "full_year", "executed")
ADJUSTMENT_WORDS = re.compile(r"调整|追加|调增|调减|调剂|追减")
LOW_RATE_WORDS = re.compile(r"结余|未执行|未支付|未拨付|执行率低|执行进度慢")


def _has_reason(table: Table, key: str, words: re.Pattern[str]) -> bool:
    """A funds figure is explained by ``key`` on the total row (an additive field:
    ``adjust_reason`` or ``rate_reason``) or by the report's wording."""
    total_raw = ((table.raw.get("funds") or {}).get("total") or {})
    if isinstance(total_raw, dict) and str(total_raw.get(key) or "").strip():
        return True
    report = table.report.raw
    return isinstance(report, str) and bool(words.search(report))


@check("A1")
def sum_of_sources(ctx: Context) -> Iterator[Finding]:
    for table in ctx.view.projects:
        subs = [table.funds[k] for k in SUB_ROWS]
        if all(is_blank(row[c]) for row in subs for c in SUM_COLUMNS):
            continue  # the 其中 rows were not used at all
        for column in SUM_COLUMNS:
            total = amount(table.budget[column])
            parts = [amount_or_zero(row[column]) for row in subs]
            if total is None or any(p is None for p in parts):
                continue
            added = sum(parts)
            if not ctx.close(total, added):
                yield ctx.finding(
                    "A1", table.budget[column].pointer,
                    f"{table.label} {COLUMN_LABELS[column]}：年度资金总额 {format_amount(total)} ≠ "
                    f"当年财政拨款 + 上年结转资金 + 其他资金 = {format_amount(added)}",
                    expected=round(added, 2), actual=total, table=table.label)


@check("A2")
def filed_rate(ctx: Context) -> Iterator[Finding]:
    for table in ctx.view.tables:
        row, result = table.budget, ctx.scores[table.label].budget
        filed = parse_rate(row["rate"].raw)
        if not filed.ok or filed.value is None or result.rate is None:
            continue
        if not ctx.within(filed.value, result.rate, ctx.profile.rate_tolerance):
            yield ctx.finding(
                "A2", row["rate"].pointer,
                f"{table.label} 年度资金总额：填报执行率 {format_rate(filed.value)}，按全年执行数 "
                f"{format_amount(amount(row['executed']))} ÷ 全年预算数 "
                f"{format_amount(amount(row['full_year']))} 计算应为 {format_rate(result.rate)}",
                expected=round(result.rate, 6), actual=filed.value, table=table.label)


@check("A3")
def overspent(ctx: Context) -> Iterator[Finding]:
    for table in ctx.view.tables:
        row = table.budget
        executed, budget = amount(row["executed"]), amount(row["full_year"])
        if executed is None or budget is None:
            continue
        if executed > budget + ctx.profile.amount_tolerance:
            yield ctx.finding(
                "A3", row["executed"].pointer,
                f"{table.label} 全年执行数 {format_amount(executed)} 超过全年预算数 {format_amount(budget)}",
                expected=budget, actual=executed, table=table.label)


@check("A4")
def budget_score(ctx: Context) -> Iterator[Finding]:
    for table in ctx.view.tables:
        result = ctx.scores[table.label].budget
        filed = parse_points(table.budget["score"].raw)
        if result.score is None or not filed.ok or filed.value is None:
            continue
        if not ctx.points_close(filed.value, result.score):
            yield ctx.finding(
                "A4", table.budget["score"].pointer,
                f"{table.label} 预算执行得分填报 {format_number(filed.value)}，按规则应为 "
                f"{format_number(result.score)}（{result.explanation}）",
                expected=result.score, actual=filed.value, table=table.label)


@check("A5")
def points_on_sub_rows(ctx: Context) -> Iterator[Finding]:
    for table in ctx.view.projects:
        for key in SUB_ROWS:
            row = table.funds[key]
            filled = [row[c] for c in ("points", "score") if not is_blank(row[c])]
            if filled:
                yield ctx.finding(
                    "A5", filled[0].pointer,
                    f"{table.label} “{FUND_ROW_LABELS[key]}”行填了分值或得分；分值、得分只填在"
                    "年度资金总额行，其中各行填“—”（否则合计时预算分会被重复计算）",
                    expected="—", actual=filled[0].raw, table=table.label)


@check("A6")
def adjusted_budget(ctx: Context) -> Iterator[Finding]:
    for table in ctx.view.tables:
        initial, full = amount(table.budget["initial"]), amount(table.budget["full_year"])
        if initial is None or full is None or ctx.close(initial, full) or _has_reason(table, "adjust_reason", ADJUSTMENT_WORDS):
            continue
        yield ctx.finding(
            "A6", table.budget["full_year"].pointer,
            f"{table.label} 年初预算数 {format_amount(initial)} 调整为全年预算数 {format_amount(full)}，"
            f"未说明调整原因",
            expected=initial, actual=full, table=table.label)


@check("A7")
def low_rate(ctx: Context) -> Iterator[Finding]:
    for table in ctx.view.tables:
        rate = ctx.scores[table.label].budget.rate
        if rate is None or rate >= ctx.profile.low_rate or _has_reason(table, "rate_reason", LOW_RATE_WORDS):
            continue
        yield ctx.finding(
            "A7", table.budget["rate"].pointer,
            f"{table.label} 执行率 {format_rate(rate)} 低于 {format_rate(ctx.profile.low_rate)}，未说明原因",
            expected=ctx.profile.low_rate, actual=round(rate, 6), table=table.label)


def _department_sum(ctx: Context, fields: dict[str, Field]) -> float | None:
    if all(is_blank(f) for f in fields.values()):
        return None
    parts = [amount_or_zero(f) for f in fields.values()]
    return None if any(p is None for p in parts) else sum(parts)


@check("B1")
def basic_plus_project(ctx: Context) -> Iterator[Finding]:
    total = amount(ctx.view.department.budget["full_year"])
    added = _department_sum(ctx, ctx.view.by_expense)
    if total is None or added is None or ctx.close(total, added):
        return
    yield ctx.finding(
        "B1", ctx.view.by_expense["basic"].pointer,
        f"附件1 基本支出 + 项目支出 = {format_amount(added)}，与年度资金总额（全年预算数）"
        f"{format_amount(total)} 不符",
        expected=total, actual=round(added, 2), table="附件1")


@check("B2")
def income_sources(ctx: Context) -> Iterator[Finding]:
    total = amount(ctx.view.department.budget["full_year"])
    added = _department_sum(ctx, ctx.view.by_income)
    if total is None or added is None or ctx.close(total, added):
        return
    names = "、".join(INCOME_LABELS.values())
    yield ctx.finding(
        "B2", ctx.view.by_income["general_budget"].pointer,
        f"附件1 按收入性质分（{names}）合计 {format_amount(added)}，与年度资金总额（全年预算数）"
        f"{format_amount(total)} 不符",
        expected=total, actual=round(added, 2), table="附件1")


def _projects_against_department(ctx: Context, rule: str, column: str) -> Iterator[Finding]:
    field = ctx.view.by_expense["project"]
    target = amount(field)
    values = [amount(p.budget[column]) for p in ctx.view.projects]
    if target is None or not values or any(v is None for v in values):
        return
    added = sum(values)
    if not ctx.close(added, target):
        listed = " + ".join(format_number(v) for v in values)
        yield ctx.finding(
            rule, field.pointer,
            f"各项目（附件3）{COLUMN_LABELS[column]}之和 {listed} = {format_amount(added)}，"
            f"与附件1 {EXPENSE_LABELS['project']} {format_amount(target)} 不符",
            expected=target, actual=round(added, 2), table="附件1")


@check("B3")
def projects_budget(ctx: Context) -> Iterator[Finding]:
    yield from _projects_against_department(ctx, "B3", "full_year")


@check("B4")
def projects_executed(ctx: Context) -> Iterator[Finding]:
    yield from _projects_against_department(ctx, "B4", "executed")


def _numeric_fields(ctx: Context) -> Iterator[tuple[str, Field, str]]:
    """(table label, field, kind) for every amount, rate and score cell."""
    for table in ctx.view.tables:
        for row_key, row in table.funds.items():
            for column in ("initial", "full_year", "executed"):
                yield table.label, row[column], "amount"
            yield table.label, row["rate"], "rate"
            if row_key == "total":
                yield table.label, row["score"], "points"
        for indicator in table.indicators:
            yield table.label, indicator.score, "points"
        yield table.label, table.total_score, "points"
    for field in (*ctx.view.by_income.values(), *ctx.view.by_expense.values()):
        yield "附件1", field, "amount"


_PARSERS = {"amount": parse_amount, "rate": parse_rate, "points": parse_points}
_KIND_WORDS = {"amount": "金额", "rate": "执行率", "points": "得分"}


def _short(raw: object, limit: int = 40) -> str:
    text = str(raw)
    return text if len(text) <= limit else text[:limit] + "…"


@check("V1")
def unreadable_numbers(ctx: Context) -> Iterator[Finding]:
    year = ctx.view.year
    if year is not None and not is_year(year):
        yield ctx.finding("V1", "/year", f"年度“{_short(year, 12)}”不是有效的年份", expected="四位数年份",
                          actual=_short(year, 12), table="基本信息")
    for label, field, kind in _numeric_fields(ctx):
        parsed = _PARSERS[kind](field.raw)
        if parsed.status == "unreadable":
            yield ctx.finding(
                "V1", field.pointer,
                f"{label} {_KIND_WORDS[kind]}“{_short(field.raw)}”无法识别为数字（{parsed.note}）",
                expected="数字", actual=field.raw if isinstance(field.raw, (str, int, float)) else str(field.raw),
                table=label)
