"""The figures a report quotes: the official table's values as filed (:mod:`xlfuncs.official`).

Every amount, rate, 分值, 得分 and 总分 here is the value the package's 绩效自评表.xlsx shows in
the same cell, formatted the way that cell prints it. Nothing is scored or checked here; the
grade is the filed one, or the grade the profile gives the filed 总分.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xlfuncs.checks.points import groups
from xlfuncs.filing import EXPENSE_LABELS, FUND_ROW_LABELS, INCOME_LABELS, FilingView, Table
from xlfuncs.profiles import Profile
from xlfuncs.scoring import grade_for

from .official import (
    AMOUNT,
    POINTS,
    RATE,
    cell_value,
    money_unit,
    number,
    plain,
    show,
    show_amount,
    show_points,
)


@dataclass(frozen=True)
class FundLine:
    """One row of a funds block as the table shows it (texts, "" for blank cells)."""

    label: str
    initial: str
    full_year: str
    executed: str
    points: str
    rate: str
    score: str


@dataclass(frozen=True)
class IndicatorLine:
    """One 绩效指标 row as filed."""

    group: str  # weight key of the level-1 group: output / benefit / satisfaction / other
    level1: str
    level2: str
    level3: str
    target: str
    actual: str
    points: float | None
    score: float | None
    points_text: str
    score_text: str
    deviation: str
    part: bool = False  # a “其中” sub-row (no points of its own)

    @property
    def name(self) -> str:
        """三级指标, or 二级指标 when the row has no name."""
        return self.level3 or self.level2

    @property
    def short(self) -> bool:
        """True when the filed score is below the filed points."""
        return self.score is not None and self.points is not None and self.score < self.points - 1e-9


@dataclass(frozen=True)
class TableFigures:
    """What a report says about its table: the table's own values."""

    label: str  # 附件1 / 附件3-N
    report_label: str  # 附件2 / 附件4-N
    name: str
    unit: str
    year: str
    money_unit: str
    funds: list[FundLine]
    initial: float | None
    full_year: float | None
    executed: float | None
    rate: float | None
    total_line: FundLine
    budget_points: float | None
    budget_score: float | None
    indicators: list[IndicatorLine]
    points_total: float | None
    total: float | None
    points_total_text: str
    total_text: str
    grade: str
    goal_expected: str = ""
    goal_actual: str = ""
    by_income: list[tuple[str, str]] = field(default_factory=list)  # label, amount text
    by_expense: list[tuple[str, str]] = field(default_factory=list)
    expense_values: dict[str, float | None] = field(default_factory=dict)  # basic / project
    projects: list[tuple[str, str, str, str]] = field(default_factory=list)  # 附件3-N, name, 全年, 执行 (texts)

    @property
    def short_of_points(self) -> list[IndicatorLine]:
        """Rows whose filed score is below their points."""
        return [i for i in self.indicators if i.short]

    @property
    def scored(self) -> list[IndicatorLine]:
        """Rows with both points and a score filed."""
        return [i for i in self.indicators if i.points is not None and i.score is not None]

    def in_group(self, key: str) -> list[IndicatorLine]:
        """Indicators under one level-1 group (output, benefit, satisfaction)."""
        return [i for i in self.indicators if i.group == key]

    def amount(self, value: float | None) -> str:
        """An amount with the table's unit: "400.00万元"."""
        return f"{show_amount(value)}{self.money_unit}"


def _indicator_lines(table: Table) -> list[IndicatorLine]:
    lines = []
    for group in groups(table):
        for row in group.rows:
            points = cell_value(POINTS, row.points.raw)
            score = cell_value(POINTS, row.score.raw)
            lines.append(IndicatorLine(
                group.key, plain(group.heading.level1.raw), plain(row.level2.raw), plain(row.level3.raw),
                plain(row.target.raw), plain(row.actual.raw), number(points), number(score),
                show_points(points), show_points(score), plain(row.deviation.raw),
                part=row.raw.get("breakdown_of") is not None))
    return lines


_FUND_COLUMNS = (("initial", AMOUNT), ("full_year", AMOUNT), ("executed", AMOUNT),
                 ("points", POINTS), ("rate", RATE), ("score", POINTS))


def _fund_lines(table: Table, unit: str) -> list[FundLine]:
    lines = []
    for key, row in table.funds.items():
        values = {column: cell_value(kind, row[column].raw, unit) for column, kind in _FUND_COLUMNS}
        if key != "total" and all(v is None for v in values.values()):
            continue  # an unused 其中 row: the table shows it empty, the report leaves it out
        lines.append(FundLine(FUND_ROW_LABELS[key], *(show(kind, values[column]) for column, kind in _FUND_COLUMNS)))
    return lines


def _grade(table: Table, total: Any, profile: Profile) -> str:
    filed = plain(table.total_grade.raw)
    if filed:
        return filed
    return grade_for(total, profile) or "" if number(total) is not None else ""


def table_figures(filing: FilingView, table: Table, profile: Profile) -> TableFigures:
    """Figures of one table (附件1 or 附件3-N), as filed."""
    unit = money_unit(filing.raw, table.pointer)
    budget = table.budget
    initial, full_year, executed = (cell_value(AMOUNT, budget[c].raw, unit) for c in ("initial", "full_year", "executed"))
    points, rate, score = (cell_value(kind, budget[c].raw, unit) for c, kind in (
        ("points", POINTS), ("rate", RATE), ("score", POINTS)))
    total_points = cell_value(POINTS, table.total_points.raw)
    total = cell_value(POINTS, table.total_score.raw)
    funds = _fund_lines(table, unit)
    extra: dict[str, Any] = {}
    if table.is_department:
        extra["by_income"] = [(INCOME_LABELS[k], show_amount(cell_value(AMOUNT, f.raw, unit)))
                              for k, f in filing.by_income.items()]
        extra["by_expense"] = [(EXPENSE_LABELS[k], show_amount(cell_value(AMOUNT, f.raw, unit)))
                               for k, f in filing.by_expense.items()]
        extra["expense_values"] = {k: number(cell_value(AMOUNT, f.raw, unit)) for k, f in filing.by_expense.items()}
        extra["projects"] = [
            (p.label, plain(p.name.raw),
             *(show_amount(cell_value(AMOUNT, p.budget[c].raw, money_unit(filing.raw, p.pointer)))
               for c in ("full_year", "executed")))
            for p in filing.projects]
    return TableFigures(
        label=table.label, report_label=table.report_label, name=plain(table.name.raw),
        unit=plain(filing.unit), year=plain(filing.year), money_unit=unit, funds=funds,
        initial=number(initial), full_year=number(full_year), executed=number(executed), rate=number(rate),
        total_line=funds[0], budget_points=number(points), budget_score=number(score),
        indicators=_indicator_lines(table), points_total=number(total_points), total=number(total),
        points_total_text=show_points(total_points), total_text=show_points(total),
        grade=_grade(table, total, profile), goal_expected=plain(table.goal_expected.raw),
        goal_actual=plain(table.goal_actual.raw), **extra)
