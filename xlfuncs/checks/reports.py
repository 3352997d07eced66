"""Checks of the narrative reports against the tables (F1, F2, F5–F8, B6) and copied goals (F4).

Reports are cut into their outline's sections by :func:`xlfuncs.outlines.split_report`, the one
section splitter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ..filing import Table
from ..findings import Finding
from ..measures import parse_measure, unit_of, with_unit, written_unit
from ..outlines import DEPARTMENT_OUTLINE, PROJECT_OUTLINE, SplitReport, split_report
from ..scoring import UNUSED
from ..textnorm import simplify
from ..values import convert_money, format_rate
from .content import goal_words
from .context import Context, amount, check, filing_errors, money, text
from .reasons import explained, strip_prompts

_AMOUNT_RE = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*(亿元|万元|元)(?![/每])")
_NO_GAP_CLAIM = re.compile(r"预算(?:和|与|及)?决算(?:的)?(?:存在)?差异|预决算(?:的)?差异")
_QUOTED = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*(%|‰|[\u4e00-\u9fff]{1,3})")
_NOT_INDICATOR_UNITS = frozenset({"万元", "美元", "年", "月", "天", "日期", "分", "工作日"})
_DEPARTMENT_FIGURES = (
    (re.compile(r"基本支出(?:合计|共计|总额|为|共|是|:)?\s*([0-9]+(?:\.[0-9]+)?)\s*(万元|元)"), "basic", "基本支出"),
    (re.compile(r"项目(?:总)?支出(?:合计|共计|总额|为|共|是|:)?\s*([0-9]+(?:\.[0-9]+)?)\s*(万元|元)"), "project",
     "项目支出"),
)

# Report sections whose amounts must equal a funds column (附件4 outline 二（一）).
SECTION_COLUMNS = (("funds.execution", "executed", "全年执行数"), ("funds.arrival", "full_year", "全年预算数"))
# Sections of 附件4 that must speak of the project itself (F7 compares them across reports).
OWN_SECTIONS = tuple(s.key for s in PROJECT_OUTLINE.sections if s.key.startswith(("goals.", "deviation.")))


def report_text(raw: object) -> str:
    """A report's text with full-width forms folded and traditional characters simplified, or ''."""
    return simplify(raw) if isinstance(raw, str) else ""  # simplify keeps its own cache


def amounts_in(text_: str, unit: str = "万元") -> list[float]:
    """Every amount quoted in a text (“N万元”, “N元”, “N亿元”), in ``unit``."""
    return [convert_money(float(n), u, unit) for n, u in _AMOUNT_RE.findall(text_)]


def project_reports(ctx: Context) -> Iterator[tuple[Table, SplitReport]]:
    """Every 附件3-N that has a 附件4-N text, with the text cut into the outline's sections."""
    for table in ctx.view.projects:
        body = report_text(table.report.raw)
        if body:
            yield table, split_report(body, PROJECT_OUTLINE)


@check("F1")
def report_amounts(ctx: Context) -> Iterator[Finding]:
    for table, sections in project_reports(ctx):
        for key, column, label in SECTION_COLUMNS:
            figure = amount(table.budget[column], table.money_unit)
            quoted = amounts_in(sections.body(key), table.money_unit)
            if figure is None or not quoted:
                continue
            wrong = [q for q in quoted if not ctx.close(q, figure)]
            if wrong:
                yield ctx.finding(
                    "F1", table.report.pointer,
                    f"{table.report_label} “{PROJECT_OUTLINE.section(key).title}”写 {money(wrong[0], table)}，"
                    f"{table.label} {label}为 {money(figure, table)}",
                    expected=figure, actual=wrong[0], table=table.report_label)


@check("F2")
def claimed_gap(ctx: Context) -> Iterator[Finding]:
    for table in ctx.view.tables:
        body = report_text(table.report.raw)
        match = _NO_GAP_CLAIM.search(body)
        if not match:
            continue
        figures = [amount(table.budget[c], table.money_unit) for c in ("initial", "full_year", "executed")]
        if any(f is None for f in figures) or not all(ctx.close(f, figures[0]) for f in figures if f is not None):
            continue
        yield ctx.finding(
            "F2", table.report.pointer,
            f"{table.report_label} 称“{match.group(0)}”，但{table.label} 年初预算数、全年预算数、全年执行数"
            f"均为 {money(figures[0], table)}，表中没有差异",
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
    if not ctx.view.has_department:
        return
    unit = department.money_unit
    body = report_text(department.report.raw)
    initial, full = amount(department.budget["initial"], unit), amount(department.budget["full_year"], unit)
    breakdown = [amount(f, unit) for f in ctx.view.by_expense.values()]
    parts = [b for b in breakdown if b is not None]
    if not body or initial is None or full is None or ctx.close(initial, full) or not parts:
        return
    for sentence in re.split(r"[。\n]", body):
        quoted = amounts_in(sentence, unit)
        if any(ctx.close(q, initial) for q in quoted) and any(ctx.close(q, b) for q in quoted for b in parts):
            yield ctx.finding(
                "B6", department.report.pointer,
                f"附件2 “{sentence.strip()[:60]}”把年初预算总额 {money(initial, department)} 与全年口径的"
                f"分项（合计 {money(full, department)}）混用",
                expected=full, actual=initial, table="附件2")
            return


@check("F6")
def department_report_figures(ctx: Context) -> Iterator[Finding]:
    department = ctx.view.department
    body = report_text(department.report.raw)
    if not ctx.view.has_department or not body:
        return
    unit = department.money_unit
    for pattern, key, label in _DEPARTMENT_FIGURES:
        figure = amount(ctx.view.by_expense[key], unit)
        if figure is None:
            continue
        for number, written in pattern.findall(body):
            quoted = convert_money(float(number), written, unit)
            if not ctx.close(quoted, figure):
                yield ctx.finding(
                    "F6", department.report.pointer,
                    f"附件2 写{label} {money(quoted, department)}，附件1 {label}为 {money(figure, department)}",
                    expected=figure, actual=round(quoted, 2), table="附件2")
                break


def _section_title(key: str) -> str:
    return PROJECT_OUTLINE.section(key).title


@check("F7")
def copied_sections(ctx: Context) -> Iterator[Finding]:
    seen: dict[tuple[str, str], str] = {}
    minimum = ctx.profile.boilerplate_min_chars
    for table, sections in project_reports(ctx):
        copied = []
        for key in OWN_SECTIONS:
            words = goal_words(sections.body(key))
            if len(words) < minimum:
                continue
            earlier = seen.setdefault((key, words), table.report_label)
            if earlier != table.report_label:
                copied.append((key, earlier))
        if copied:
            listed = "、".join(f"“{_section_title(k)}”（同{e}）" for k, e in copied[:4])
            more = f"等 {len(copied)} 处" if len(copied) > 4 else ""
            yield ctx.finding(
                "F7", table.report.pointer,
                f"{table.report_label} {listed}{more}与其他项目报告一字不差，应写本项目自己的情况",
                expected="本项目的分析", actual=len(copied), table=table.report_label)


def _table_values(table: Table, results: list) -> list[tuple[str, float]]:
    values = []
    for row, result in zip(table.indicators, results, strict=True):
        if result.role == UNUSED:
            continue
        target = parse_measure(row.target.raw)
        target = with_unit(target, unit_of(row.unit.raw)) if not target.unit else target
        for measure in (target, with_unit(parse_measure(row.actual.raw), written_unit(target) or unit_of(row.unit.raw))):
            if measure.is_quantity and measure.value is not None:
                values.append((measure.unit, measure.value))
                if measure.high is not None:
                    values.append((measure.unit, measure.high))
    return values


@lru_cache(maxsize=256)
def _quoted_values(body: str) -> tuple[tuple[str, float, str], ...]:
    """(base unit, value, as written) of every figure a report text quotes with an indicator unit."""
    found = []
    for match in _QUOTED.finditer(body):
        number, tail = match.group(1), match.group(2)
        for size in range(len(tail), 0, -1):
            unit = unit_of(tail[:size])
            if unit is not None:
                if unit[0] not in _NOT_INDICATOR_UNITS and "/" not in unit[0]:
                    found.append((unit[0], float(number) * unit[1], number + tail[:size]))
                break
    return tuple(found)


@check("F8")
def quoted_values(ctx: Context) -> Iterator[Finding]:
    for table, sections in project_reports(ctx):
        analysis = "\n".join(sections.body(k) for k in ("goals", "goals.output", "goals.benefit", "goals.benefit.economic",
                                                        "goals.benefit.social", "goals.benefit.ecological",
                                                        "goals.benefit.sustainable", "goals.satisfaction"))
        quoted = _quoted_values(analysis)
        known = _table_values(table, ctx.scores[table.label].indicators) if quoted else []
        missing = [shown for unit, value, shown in quoted
                   if not any(u == unit and abs(v - value) <= 1e-6 * max(1.0, abs(value)) for u, v in known)]
        if missing:
            listed = "、".join(f"“{m}”" for m in dict.fromkeys(missing))
            yield ctx.finding(
                "F8", table.report.pointer,
                f"{table.report_label} 绩效目标完成情况分析中引用的 {listed} 在{table.label} 的指标值和完成值中找不到，"
                "请核对报告与表格是否一致", expected="与附件3 一致", actual=missing[0], table=table.report_label)


def _problems_section(table: Table) -> str:
    body = report_text(table.report.raw)
    if not body:
        return ""
    if table.is_department:
        return split_report(body, DEPARTMENT_OUTLINE).body("problems")
    split = split_report(body, PROJECT_OUTLINE)
    return split.body("deviation.problems") or split.body("deviation")


@check("F5")
def claims_against_tables(ctx: Context) -> Iterator[Finding]:
    profile = ctx.profile
    for table in ctx.view.tables:
        budget = ctx.scores[table.label].budget
        low = budget.rate is not None and budget.rate < profile.low_rate - 1e-12
        errors = filing_errors(ctx, table.label)
        claim = strip_prompts(_problems_section(table), profile.prompt_phrases)
        claim = claim.strip().lstrip("。.，,；;:：").strip()
        if claim and profile.no_problem_patterns.search(claim) and (errors or low):
            why = (f"{table.label} 有 {len(errors)} 个错误（如 {errors[0].rule}）" if errors
                   else f"{table.label} 执行率 {format_rate(budget.rate)} 低于 {format_rate(profile.low_rate)}")
            yield ctx.finding(
                "F5", table.report.pointer,
                f"{table.report_label} “存在的问题”称“{claim[:30]}”，但{why}；请如实分析存在的问题及原因",
                expected="如实说明问题", actual=claim[:60], table=table.report_label)
        actual = report_text(table.goal_actual.raw)
        claimed = next((c for c in profile.completion_claims if c in actual), None)
        if claimed and low and not explained(ctx, table, table.budget, "rate"):
            yield ctx.finding(
                "F5", table.goal_actual.pointer,
                f"{table.label} 实际完成情况称“{claimed}”，但执行率只有 {format_rate(budget.rate)}，"
                "又没有说明原因；请说明未执行的资金与目标完成情况的关系",
                expected="与执行率一致的说明", actual=claimed, table=table.label)

