"""Checks of the narrative reports against the tables (F1, F2, B6) and copied goals (F4)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from ..findings import Finding
from ..outlines import PROJECT_OUTLINE, split_report
from ..values import format_amount
from .context import Context, amount, check, text

_AMOUNT_RE = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*万元")
_NO_GAP_CLAIM = re.compile(r"预算(?:和|与|及)?决算(?:的)?(?:存在)?差异|预决算(?:的)?差异")

# Report sections whose amounts must equal a funds column (附件4 outline 二（一）).
SECTION_COLUMNS = (("funds.execution", "executed", "全年执行数"), ("funds.arrival", "full_year", "全年预算数"))


def report_text(raw: object) -> str:
    """A report's text with full-width forms folded, or '' when it is not text."""
    return _folded(raw) if isinstance(raw, str) else ""


@lru_cache(maxsize=256)
def _folded(text_: str) -> str:
    return unicodedata.normalize("NFKC", text_)


def amounts_in(text_: str) -> list[float]:
    """Every “N万元” figure in a text."""
    return [float(m) for m in _AMOUNT_RE.findall(text_)]


@check("F1")
def report_amounts(ctx: Context) -> Iterator[Finding]:
    for table in ctx.view.projects:
        body = report_text(table.report.raw)
        if not body:
            continue
        sections = split_report(body, PROJECT_OUTLINE)
        for key, column, label in SECTION_COLUMNS:
            figure = amount(table.budget[column])
            quoted = amounts_in(sections.body(key))
            if figure is None or not quoted:
                continue
            wrong = [q for q in quoted if not ctx.close(q, figure)]
            if wrong:
                yield ctx.finding(
                    "F1", table.report.pointer,
                    f"{table.report_label} “{PROJECT_OUTLINE.section(key).title}”写 {format_amount(wrong[0])} 万元，"
                    f"{table.label} {label}为 {format_amount(figure)} 万元",
                    expected=figure, actual=wrong[0], table=table.report_label)


@check("F2")
def claimed_gap(ctx: Context) -> Iterator[Finding]:
    for table in ctx.view.tables:
        body = report_text(table.report.raw)
        match = _NO_GAP_CLAIM.search(body)
        if not match:
            continue
        figures = [amount(table.budget[c]) for c in ("initial", "full_year", "executed")]
        if any(f is None for f in figures) or not all(ctx.close(f, figures[0]) for f in figures):
            continue
        yield ctx.finding(
            "F2", table.report.pointer,
            f"{table.report_label} 称“{match.group(0)}”，但{table.label} 年初预算数、全年预算数、全年执行数"
            f"均为 {format_amount(figures[0])} 万元，表中没有差异",
            expected="与表格一致", actual=match.group(0), table=table.report_label)


@check("F4")
def copied_goals(ctx: Context) -> Iterator[Finding]:
    seen: dict[str, str] = {}
    for table in ctx.view.projects:
        goal = text(table.goal_expected)
        if not goal:
            continue
        if goal in seen:
            yield ctx.finding(
                "F4", table.goal_expected.pointer,
                f"{table.label} 年度总体目标“{goal}”与{seen[goal]}相同，与本项目“{text(table.name)}”不符，"
                "疑为照抄",
                expected="本项目的目标", actual=goal, table=table.label)
        else:
            seen[goal] = table.label


@check("B6")
def mixed_totals(ctx: Context) -> Iterator[Finding]:
    department = ctx.view.department
    body = report_text(department.report.raw)
    initial, full = amount(department.budget["initial"]), amount(department.budget["full_year"])
    breakdown = [amount(f) for f in ctx.view.by_expense.values()]
    breakdown = [b for b in breakdown if b is not None]
    if not body or initial is None or full is None or ctx.close(initial, full) or not breakdown:
        return
    for sentence in re.split(r"[。\n]", body):
        quoted = amounts_in(sentence)
        if any(ctx.close(q, initial) for q in quoted) and any(
                ctx.close(q, b) for q in quoted for b in breakdown):
            yield ctx.finding(
                "B6", department.report.pointer,
                f"附件2 “{sentence.strip()[:60]}”把年初预算总额 {format_amount(initial)} 万元与全年口径的"
                f"分项（合计 {format_amount(full)} 万元）混用",
                expected=full, actual=initial, table="附件2")
            return
