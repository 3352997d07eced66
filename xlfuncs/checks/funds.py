"""Checks on the funds blocks (A1–A8) and department against projects (B1–B4), plus V1."""

from __future__ import annotations

from collections.abc import Iterator

from ..filing import COLUMN_LABELS, EXPENSE_LABELS, INCOME_LABELS, Field, FundRow, Table, is_year
from ..findings import Finding
from ..scoring import execution_rate, funds_amounts
from ..values import WAN, as_typed, format_number, format_rate, parse_amount, parse_points, parse_rate
from .context import Context, amount, amount_or_zero, check, in_wan, is_blank, money
from .reasons import explained

SUB_ROWS = ("current_year", "carried_over", "other")
SUM_COLUMNS = ("initial", "full_year", "executed")


def _parts(table: Table) -> list[tuple[str, list[FundRow]]]:
    """The sets of rows that should add up to 年度资金总额: the 其中 rows, and ``funds.breakdown``."""
    sets = []
    standard = [table.funds[k] for k in SUB_ROWS if k in table.funds]
    if standard:
        sets.append(("当年财政拨款 + 上年结转资金 + 其他资金", standard))
    if table.breakdown:
        sets.append((" + ".join(r.label for r in table.breakdown), table.breakdown))
    return sets


@check("A1")
def sum_of_sources(ctx: Context) -> Iterator[Finding]:
    for table in ctx.view.tables:
        unit = table.money_unit
        for names, rows in _parts(table):
            if all(is_blank(row[c]) for row in rows for c in SUM_COLUMNS):
                continue  # the 其中 rows were not used at all
            for column in SUM_COLUMNS:
                total = amount(table.budget[column], unit)
                parts = [amount_or_zero(row[column], unit) for row in rows]
                if total is None or any(p is None for p in parts):
                    continue
                if rows is table.breakdown and any(is_blank(row[column]) for row in rows):
                    continue  # a breakdown is checked when all its amounts are filled
                added = sum(p for p in parts if p is not None)
                if not ctx.close(total, added):
                    yield ctx.finding(
                        "A1", table.budget[column].pointer,
                        f"{table.label} {COLUMN_LABELS[column]}：年度资金总额 {money(total, table)} ≠ "
                        f"{names} = {money(added, table)}",
                        expected=round(added, 2), actual=total, table=table.label)


def _computed_rate(row: FundRow, table: Table) -> float | None:
    return execution_rate(row["executed"].raw, row["full_year"].raw, table.money_unit)[0]


@check("A2")
def filed_rate(ctx: Context) -> Iterator[Finding]:
    for table in ctx.view.tables:
        for row in _rows_to_explain(ctx, table):
            filed, rate = parse_rate(row["rate"].raw), _computed_rate(row, table)
            if not filed.ok or filed.value is None or rate is None:
                continue
            if not ctx.within(filed.value, rate, ctx.profile.rate_tolerance):
                yield ctx.finding(
                    "A2", row["rate"].pointer,
                    f"{table.label} {row.label}：填报执行率 {format_rate(filed.value)}，按全年执行数 "
                    f"{money(amount(row['executed'], table.money_unit), table)} ÷ 全年预算数 "
                    f"{money(amount(row['full_year'], table.money_unit), table)} 计算应为 {format_rate(rate)}",
                    expected=round(rate, 6), actual=filed.value, table=table.label)


@check("A3")
def overspent(ctx: Context) -> Iterator[Finding]:
    for table in ctx.view.tables:
        for row in table.fund_rows:
            executed, budget = amount(row["executed"], table.money_unit), amount(row["full_year"], table.money_unit)
            if executed is None or budget is None or row.pointer in ctx.shared(covered_by_total):
                continue
            if executed > budget + ctx.profile.amount_tolerance:
                yield ctx.finding(
                    "A3", row["executed"].pointer,
                    f"{table.label} {row.label}：全年执行数 {money(executed, table)} 超过全年预算数 "
                    f"{money(budget, table)}，须说明超支原因或核对全年预算数",
                    expected=budget, actual=executed, table=table.label)


@check("A4")
def budget_score(ctx: Context) -> Iterator[Finding]:
    for table in ctx.view.tables:
        result = ctx.scores[table.label].budget
        filed = parse_points(table.budget["score"].raw)
        if not result.scored or result.score is None or not filed.ok or filed.value is None:
            continue
        if not ctx.points_close(filed.value, result.score):
            yield ctx.finding(
                "A4", table.budget["score"].pointer,
                f"{table.label} 预算执行得分填报 {format_number(filed.value)}，按规则应为 "
                f"{format_number(result.score)}（{result.explanation}）",
                expected=result.score, actual=filed.value, table=table.label)


@check("A5")
def points_on_sub_rows(ctx: Context) -> Iterator[Finding]:
    for table in ctx.view.tables:
        for row in table.sub_rows:
            filled = [row[c] for c in ("points", "score") if not is_blank(row[c])]
            if filled:
                yield ctx.finding(
                    "A5", filled[0].pointer,
                    f"{table.label} “{row.label}”行填了分值或得分；分值、得分只填在"
                    "年度资金总额行，其中各行填“—”（否则合计时预算分会被重复计算）",
                    expected="—", actual=filled[0].raw, table=table.label)


def _same_as_total(row: FundRow, total: FundRow, table: Table) -> bool:
    """A sub-row carrying the same amounts as the total (all the money is of that kind): a finding
    on the total covers it."""
    unit = table.money_unit
    return all(amount(row[c], unit) == amount(total[c], unit) for c in SUM_COLUMNS if not is_blank(row[c]))


def covered_by_total(ctx: Context) -> frozenset[str]:
    """Pointers of the sub-rows a finding on their table's total covers (:func:`_same_as_total`);
    once per evaluation: ``ctx.shared(covered_by_total)``."""
    return frozenset(row.pointer for table in ctx.view.tables for row in table.sub_rows
                     if _same_as_total(row, table.budget, table))


def _rows_to_explain(ctx: Context, table: Table) -> list[FundRow]:
    covered = ctx.shared(covered_by_total)
    return [row for row in table.fund_rows if row.pointer not in covered]


@check("A6")
def adjusted_budget(ctx: Context) -> Iterator[Finding]:
    for table in ctx.view.tables:
        for row in _rows_to_explain(ctx, table):
            initial, full = amount(row["initial"], table.money_unit), amount(row["full_year"], table.money_unit)
            if initial is None or full is None or ctx.close(initial, full) or _carried_over(row, table, initial, full):
                continue
            if explained(ctx, table, row, "adjust"):
                continue
            yield ctx.finding(
                "A6", row["full_year"].pointer,
                f"{table.label} {row.label}：年初预算数 {money(initial, table)} 调整为全年预算数 "
                f"{money(full, table)}，没有一句说明调整原因的话（可写在资金行的调整原因、偏差原因栏或报告中）",
                expected=initial, actual=full, table=table.label)


def _carried_over(row: FundRow, table: Table, initial: float, full: float) -> bool:
    """The difference is the carry-over a column beside the row states (历年结余结转), not an
    in-year adjustment, and no adjustment column says otherwise."""
    carried, adjusted = 0.0, 0.0
    for label, field in row.extra.items():
        value = amount(field, table.money_unit)
        if value is None:
            continue
        if "结转" in label or "结余结转" in label:
            carried += value
        elif "调整" in label:
            adjusted += value
    return carried > 0 and abs(adjusted) < 1e-9 and abs(initial + carried - full) <= 0.01 + 1e-9


@check("A7")
def low_rate(ctx: Context) -> Iterator[Finding]:
    low = ctx.profile.low_rate
    for table in ctx.view.tables:
        budget = ctx.scores[table.label].budget
        for row in _rows_to_explain(ctx, table):
            if row.is_total:
                rate, initial_rate = budget.rate, budget.rate_initial
                if all(is_blank(row[c]) for c in SUM_COLUMNS) and not parse_rate(row["rate"].raw).ok:
                    continue  # the total row is empty (A8); its sub-rows are checked
            else:
                rate, initial_rate = _computed_rate(row, table), _initial_rate(row, table)
            below = [r for r in (rate, initial_rate) if r is not None and r < low - 1e-12]
            if not below or explained(ctx, table, row, "rate"):
                continue
            against = "" if rate is not None and rate < low - 1e-12 else "（按年初预算数计）"
            yield ctx.finding(
                "A7", row["rate"].pointer,
                f"{table.label} {row.label}：执行率{against} {format_rate(min(below))} 低于 {format_rate(low)}，"
                "没有一句说明该行资金未执行原因的话",
                expected=low, actual=round(min(below), 6), table=table.label)


def _initial_rate(row: FundRow, table: Table) -> float | None:
    executed, initial = amount(row["executed"], table.money_unit), amount(row["initial"], table.money_unit)
    if executed is None or initial is None or initial <= 0:
        return None
    return executed / initial


@check("A8")
def empty_total_row(ctx: Context) -> Iterator[Finding]:
    for table in ctx.view.tables:
        row = table.budget
        if not all(is_blank(row[c]) for c in SUM_COLUMNS):
            continue
        filled = [r for r in table.sub_rows if not all(is_blank(r[c]) for c in SUM_COLUMNS)]
        if not filled:
            continue
        _, full, executed = funds_amounts(table)
        yield ctx.finding(
            "A8", row["full_year"].pointer,
            f"{table.label} 年度资金总额行为空，而“{filled[0].label}”等其中行填有金额；请填写年度资金总额"
            f"（按其中各行合计：全年预算数 {money(full, table)}，全年执行数 {money(executed, table)}）",
            expected=full, actual=None, table=table.label)


def _department_sum(fields: dict[str, Field], unit: str) -> float | None:
    if all(is_blank(f) for f in fields.values()):
        return None
    parts = [amount_or_zero(f, unit) for f in fields.values()]
    return None if any(p is None for p in parts) else sum(p for p in parts if p is not None)


@check("B1")
def basic_plus_project(ctx: Context) -> Iterator[Finding]:
    department = ctx.view.department
    if not ctx.view.has_department:
        return
    total = amount(department.budget["full_year"], department.money_unit)
    added = _department_sum(ctx.view.by_expense, department.money_unit)
    if total is None or added is None or ctx.close(total, added):
        return
    yield ctx.finding(
        "B1", ctx.view.by_expense["basic"].pointer,
        f"附件1 基本支出 + 项目支出 = {money(added, department)}，与年度资金总额（全年预算数）"
        f"{money(total, department)} 不符",
        expected=total, actual=round(added, 2), table="附件1")


@check("B2")
def income_sources(ctx: Context) -> Iterator[Finding]:
    department = ctx.view.department
    if not ctx.view.has_department:
        return
    total = amount(department.budget["full_year"], department.money_unit)
    added = _department_sum(ctx.view.by_income, department.money_unit)
    if total is None or added is None or ctx.close(total, added):
        return
    names = "、".join(INCOME_LABELS.values())
    yield ctx.finding(
        "B2", ctx.view.by_income["general_budget"].pointer,
        f"附件1 按收入性质分（{names}）合计 {money(added, department)}，与年度资金总额（全年预算数）"
        f"{money(total, department)} 不符",
        expected=total, actual=round(added, 2), table="附件1")


def _projects_against_department(ctx: Context, rule: str, column: str) -> Iterator[Finding]:
    if not ctx.view.has_department:
        return
    department = ctx.view.department
    field = ctx.view.by_expense["project"]
    target = in_wan(amount(field, department.money_unit), department.money_unit)
    values = [in_wan(amount(p.budget[column], p.money_unit), p.money_unit) for p in ctx.view.projects]
    if target is None or not values or any(v is None for v in values):
        return
    added = sum(v for v in values if v is not None)
    if abs(added - target) > ctx.profile.amount_tolerance + 1e-9:
        listed = " + ".join(format_number(v) for v in values)
        yield ctx.finding(
            rule, field.pointer,
            f"各项目（附件3）{COLUMN_LABELS[column]}之和 {listed} = {format_number(added)} {WAN}，"
            f"与附件1 {EXPENSE_LABELS['project']} {format_number(target)} {WAN} 不符",
            expected=target, actual=round(added, 2), table="附件1")


@check("B3")
def projects_budget(ctx: Context) -> Iterator[Finding]:
    yield from _projects_against_department(ctx, "B3", "full_year")


@check("B4")
def projects_executed(ctx: Context) -> Iterator[Finding]:
    yield from _projects_against_department(ctx, "B4", "executed")


def _numeric_fields(ctx: Context) -> Iterator[tuple[Table, Field, str]]:
    """(table, field, kind) for every amount, rate and score cell."""
    for table in ctx.view.tables:
        for row in table.fund_rows:
            for column in SUM_COLUMNS:
                yield table, row[column], "amount"
            yield table, row["rate"], "rate"
            if row.is_total:
                yield table, row["score"], "points"
        cut = table.cut_index
        for indicator in table.indicators:
            if indicator.index != cut:
                yield table, indicator.score, "points"
                yield table, indicator.coefficient, "rate"
        yield table, table.total_score, "points"
    if ctx.view.has_department:
        for field in (*ctx.view.by_income.values(), *ctx.view.by_expense.values()):
            yield ctx.view.department, field, "amount"


_KIND_WORDS = {"amount": "金额", "rate": "比率", "points": "得分"}


def _short(raw: object, limit: int = 40) -> str:
    text = as_typed(raw)
    return text if len(text) <= limit else text[:limit] + "…"


@check("V1")
def unreadable_numbers(ctx: Context) -> Iterator[Finding]:
    year = ctx.view.year
    blank = year is None or (isinstance(year, str) and not year.strip())  # no year, as a blank amount is none
    if not blank and not is_year(year):
        yield ctx.finding("V1", "/year", f"年度“{_short(year, 12)}”不是有效的年份", expected="四位数年份",
                          actual=_short(year, 12), table="基本信息")
    for table, field, kind in _numeric_fields(ctx):
        if kind == "amount":
            parsed = parse_amount(field.raw, table.money_unit)
        else:
            parsed = parse_rate(field.raw) if kind == "rate" else parse_points(field.raw)
        if parsed.status == "unreadable":
            yield ctx.finding(
                "V1", field.pointer,
                f"{table.label} {_KIND_WORDS[kind]}“{_short(field.raw)}”无法识别为数字（{parsed.note}）",
                expected="数字", actual=field.raw if isinstance(field.raw, (str, int, float)) else str(field.raw),
                table=table.label)
