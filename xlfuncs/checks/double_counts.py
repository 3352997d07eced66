"""Indicators that restate the funds block instead of measuring what the money did.

E11: an 产出 or 效益 indicator that measures spending (预算执行率, 经费使用率, 经费完成情况 …) on a
form whose funds block already scores budget execution: the execution is counted twice.
E16: several 成本指标 whose amounts add up to the whole budget: they split the budget, they do
not state a unit cost (the several-row form of E4).
A9: a 结转结余率 indicator reported far below the share of the budget left unspent.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..filing import Indicator, Table
from ..findings import Finding
from ..measures import parse_measure
from ..values import format_rate
from .content import _money_target
from .context import Context, amount, check, indicator_name, iter_rows, iter_tables, money, text, words
from .targets import any_word, as_share

# Categories where an indicator must measure what the money produced or achieved.
_RESULT_CATEGORIES = ("output", "benefit")


def category_keys(ctx: Context, table: Table) -> dict[int, str]:
    """The category key (output, benefit, satisfaction, decision, management, or the heading's own
    words) of each indicator row of ``table``, as the scorer grouped them."""
    return {row.index: group.key for group in ctx.scores[table.label].groups for row in group.rows}


def _scores_execution(ctx: Context, table: Table) -> bool:
    budget = ctx.scores[table.label].budget
    return budget.scored and budget.points is not None and budget.points > 0


@check("E11")
def spending_as_result(ctx: Context) -> Iterator[Finding]:
    pattern = ctx.profile.spending_name_patterns
    for table, _ in iter_tables(ctx):
        if not _scores_execution(ctx, table):
            continue  # the form scores execution nowhere else (40/40/20) or inside 项目管理
        keys = category_keys(ctx, table)
        points = ctx.scores[table.label].budget.points
        for row in table.indicators:
            if keys.get(row.index) not in _RESULT_CATEGORIES or row.is_breakdown:
                continue
            found = pattern.search(words(row.level3))
            if not found:
                continue
            group = "产出指标" if keys[row.index] == "output" else "效益指标"
            yield ctx.finding(
                "E11", row.level3.pointer,
                f"{indicator_name(table, row.index)} 衡量的是资金花了多少（“{found.group(0)}”），"
                f"而预算执行已在资金块按执行率计分（{points:g} 分），放在{group}中是重复计分；"
                "应改为资金形成的产出或带来的效益",
                expected="产出或效益指标", actual=text(row.level3), table=table.label)


def _cost_rows(ctx: Context, table: Table) -> list[Indicator]:
    """The table's scored rows under a 成本指标 heading."""
    cost_words = ctx.profile.cost_keywords
    results = ctx.scores[table.label].indicators
    return [row for row, result in zip(table.indicators, results, strict=True)
            if result.role == "indicator" and any(w in words(row.level2) for w in cost_words)]


def _column_sum(table: Table, rows: list[Indicator], column: str) -> float | None:
    """The sum of the rows' money figures in ``column`` (target or actual), None unless every row has one."""
    values = []
    for row in rows:
        value = _money_target(table, parse_measure(getattr(row, column).raw), words(row.level3))
        if value is None:
            return None
        values.append(value)
    return sum(values)


@check("E16")
def costs_split_the_budget(ctx: Context) -> Iterator[Finding]:
    for table, _ in iter_tables(ctx):
        rows = _cost_rows(ctx, table)
        if len(rows) < 2:
            continue  # a single row equal to the budget is E4
        unit = table.money_unit
        budget = {c: amount(table.budget[c], unit) for c in ("initial", "full_year", "executed")}
        comparisons = (("target", "年度指标值", (("initial", "年初预算数"), ("full_year", "全年预算数"))),
                       ("actual", "实际完成值", (("executed", "全年执行数"), ("full_year", "全年预算数"))))
        for column, label, against in comparisons:
            added = _column_sum(table, rows, column)
            hit = next((what for key, what in against if added is not None and budget[key] is not None
                        and ctx.close(added, budget[key])), None)
            if hit is None:
                continue
            names = "、".join(f"“{text(r.level3)}”" for r in rows)
            yield ctx.finding(
                "E16", getattr(rows[0], column).pointer,
                f"{table.label} {len(rows)} 项成本指标 {names} 的{label}合计 {money(added, table)}，等于{hit}："
                "成本指标只是把预算分成几块，应填写单位成本或成本控制标准",
                expected="单位成本或成本控制数", actual=round(added, 2), table=table.label)
            break


@check("A9")
def carryover_against_rate(ctx: Context) -> Iterator[Finding]:
    names = any_word(ctx.profile.carryover_rate_names)
    gap = ctx.profile.carryover_gap
    for table, row, result in iter_rows(ctx):
        rate = ctx.scores[table.label].budget.rate
        if rate is None or rate >= 1 or not names.search(words(row.level3)):
            continue
        actual = result.actual if result.actual is not None else parse_measure(row.actual.raw)
        reported = as_share(actual)
        if reported is None or actual.comparator is not None:
            continue
        unspent = 1 - rate
        if unspent - reported > gap + 1e-9:
            yield ctx.finding(
                "A9", row.actual.pointer,
                f"{indicator_name(table, row.index)} 填报 {format_rate(reported)}，但执行率只有 {format_rate(rate)}，"
                f"约 {format_rate(unspent)} 的预算没有支出；未支出的资金应体现为结转结余，"
                "请核对结转结余率，或说明未支出资金的去向（如已被财政收回）",
                expected=round(unspent, 4), actual=round(reported, 4), table=table.label)
