"""The figures a report quotes, taken from the tables and the engine's recomputed scores.

Amounts are the tables' own values (附件1 / 附件3-N), read with the engine's parser;
rates, scores, totals and grades are the engine's results (the same numbers the filing
package's 绩效自评表.xlsx shows). Nothing here scores or checks anything: an indicator the
engine could not score is shown as 无法评分 with the engine's reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xlfuncs.checks.points import groups
from xlfuncs.filing import EXPENSE_LABELS, FUND_ROW_LABELS, INCOME_LABELS, FilingView, Table
from xlfuncs.scoring import QUALITATIVE, REVERSE, IndicatorResult, TableScore
from xlfuncs.values import clean_text, format_amount, format_number, format_rate, parse_amount

DASH = "—"
UNSCORED = "无法评分"


def plain(raw: Any) -> str:
    """A cell value as one tidy line: runs of whitespace (U+3000, line breaks) removed
    between Chinese characters and kept as one space between Latin words or digits."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, int | float):
        return format_number(float(raw), 6)
    pieces = str(raw).split()
    text = pieces[0] if pieces else ""
    for piece in pieces[1:]:
        if text[-1].isascii() and text[-1].isalnum() and piece[0].isascii() and piece[0].isalnum():
            text += " "
        text += piece
    return text


def amount_value(raw: Any) -> float | None:
    """An amount in 万元, or None when blank, "—" or unreadable."""
    parsed = parse_amount(raw)
    return parsed.value if parsed.ok else None


def amount_text(raw: Any) -> str:
    """An amount as the forms print it (two decimals); blank → "—"; unreadable → as filed."""
    parsed = parse_amount(raw)
    if parsed.ok:
        return format_amount(parsed.value)
    return DASH if parsed.empty else plain(raw)


def points_text(value: float | None) -> str:
    """A 分值 or 得分; None → "—"."""
    return format_number(value)


@dataclass(frozen=True)
class FundLine:
    """One row of a funds block: label and the three amounts."""

    label: str
    initial: str
    full_year: str
    executed: str


@dataclass(frozen=True)
class IndicatorLine:
    """One 绩效指标 row with its recomputed score."""

    group: str  # weight key of the level-1 group: output / benefit / satisfaction / other
    level1: str
    level2: str
    level3: str
    target: str
    actual: str
    points: float | None
    score: float | None
    completion: str  # 完成率 for quantities, 达成 / 达标 / 未达标 / 无法评分 otherwise
    explanation: str
    result: IndicatorResult

    @property
    def name(self) -> str:
        """三级指标, or 二级指标 when the row has no name."""
        return self.level3 or self.level2 or "（未命名指标）"

    @property
    def full_marks(self) -> bool:
        """True when the recomputed score equals the points."""
        return self.score is not None and self.points is not None and self.score >= self.points - 1e-9


@dataclass(frozen=True)
class TableFigures:
    """What a report says about its table: amounts, rate, scores, total, grade."""

    label: str  # 附件1 / 附件3-N
    report_label: str  # 附件2 / 附件4-N
    name: str
    unit: str
    year: str
    funds: list[FundLine]
    initial: float | None
    full_year: float | None
    executed: float | None
    rate: float | None
    rate_initial: float | None
    budget_points: float | None
    budget_score: float | None
    budget_explanation: str
    indicators: list[IndicatorLine]
    points_total: float | None
    total: float | None
    grade: str | None
    total_explanation: str
    by_income: list[tuple[str, float | None, str]] = field(default_factory=list)  # label, value, text
    by_expense: list[tuple[str, float | None, str]] = field(default_factory=list)
    projects: list[tuple[str, str, float | None, float | None]] = field(default_factory=list)  # 附件3-N, name, 全年, 执行

    @property
    def unscored(self) -> list[IndicatorLine]:
        """Indicators the rules could not score."""
        return [i for i in self.indicators if i.score is None]

    @property
    def short_of_points(self) -> list[IndicatorLine]:
        """Scored indicators below full marks."""
        return [i for i in self.indicators if i.score is not None and not i.full_marks]

    def in_group(self, key: str) -> list[IndicatorLine]:
        """Indicators under one level-1 group (output, benefit, satisfaction)."""
        return [i for i in self.indicators if i.group == key]


def _completion(result: IndicatorResult, band: Any) -> str:
    if result.score is None:
        return UNSCORED
    if result.method == QUALITATIVE:
        chosen = clean_text(band)
        return chosen if chosen and not result.auto_matched else "达成"
    if result.method == REVERSE:
        return "达标" if result.points is not None and result.score >= result.points - 1e-9 else "未达标"
    return format_rate(result.completion) if result.completion is not None else DASH


def _indicator_lines(table: Table, score: TableScore) -> list[IndicatorLine]:
    lines = []
    results = iter(score.indicators)
    for group in groups(table):
        for row in group.rows:
            result = next(results)
            lines.append(IndicatorLine(
                group.key, plain(group.heading.level1.raw), plain(row.level2.raw), plain(row.level3.raw),
                plain(row.target.raw), plain(row.actual.raw), result.points, result.score,
                _completion(result, row.band.raw), result.explanation, result))
    return lines


def _fund_lines(table: Table) -> list[FundLine]:
    return [FundLine(FUND_ROW_LABELS[key], amount_text(row["initial"].raw), amount_text(row["full_year"].raw),
                     amount_text(row["executed"].raw)) for key, row in table.funds.items()]


def table_figures(filing: FilingView, table: Table, score: TableScore) -> TableFigures:
    """Figures of one table (附件1 or 附件3-N) with the engine's score of it."""
    budget_row = table.budget
    budget = score.budget
    extra: dict[str, Any] = {}
    if table.is_department:
        extra["by_income"] = [(INCOME_LABELS[k], amount_value(f.raw), amount_text(f.raw))
                              for k, f in filing.by_income.items()]
        extra["by_expense"] = [(EXPENSE_LABELS[k], amount_value(f.raw), amount_text(f.raw))
                               for k, f in filing.by_expense.items()]
        extra["projects"] = [(p.label, plain(p.name.raw), amount_value(p.budget["full_year"].raw),
                              amount_value(p.budget["executed"].raw)) for p in filing.projects]
    return TableFigures(
        label=table.label, report_label=table.report_label, name=plain(table.name.raw),
        unit=plain(filing.unit), year=plain(filing.year), funds=_fund_lines(table),
        initial=amount_value(budget_row["initial"].raw), full_year=amount_value(budget_row["full_year"].raw),
        executed=amount_value(budget_row["executed"].raw), rate=budget.rate, rate_initial=budget.rate_initial,
        budget_points=budget.points, budget_score=budget.score, budget_explanation=budget.explanation,
        indicators=_indicator_lines(table, score), points_total=score.points_total, total=score.total,
        grade=score.grade, total_explanation=score.explanation, **extra)


def all_figures(filing: FilingView, scores: list[TableScore]) -> list[TableFigures]:
    """Figures of 附件1 and every 附件3-N, in filing order."""
    return [table_figures(filing, table, score) for table, score in zip(filing.tables, scores, strict=True)]
