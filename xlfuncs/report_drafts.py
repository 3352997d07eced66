"""Draft text for report sections the unit left empty, written only from what it filed.

A draft restates the table's own figures (amounts, 执行率, 分值, 得分, 总分, each indicator's
年度指标值 and 实际完成值) and the unit's own words (年度总体目标, 偏差原因分析及改进措施). It
never states a fact the filing does not hold: no management practice, no publication, no
“no deviation found”, no count of zero. A clause whose figure was not filed is left out, and a
section with nothing to restate gets no draft (the 校验报告 lists it for the unit to write).
Sections with subsections get no draft of their own.
"""

from __future__ import annotations

from collections.abc import Callable

from .official import show_points, show_rate
from .report_figures import IndicatorLine, TableFigures


def _join(parts: list[str], sep: str = "，") -> str:
    return sep.join(p for p in parts if p)


def _money(f: TableFigures, label: str, value: float | None) -> str:
    return f"{label}{f.amount(value)}" if value is not None else ""


def _budget(f: TableFigures) -> str:
    """"全年执行数400.00万元，执行率100.0%，预算执行得分10分（分值10分）" — the filed clauses only."""
    parts = [_money(f, "全年执行数", f.executed)]
    if f.rate is not None:
        parts.append(f"执行率{show_rate(f.rate)}")
    if f.budget_score is not None:
        points = f"（分值{show_points(f.budget_points)}分）" if f.budget_points is not None else ""
        parts.append(f"预算执行得分{show_points(f.budget_score)}分{points}")
    return _join(parts)


def _total(f: TableFigures) -> str:
    if f.total is None:
        return ""
    points = f"（分值{show_points(f.points_total)}分）" if f.points_total is not None else ""
    grade = f"，等级“{f.grade}”" if f.grade else ""
    return f"自评总分{show_points(f.total)}分{points}{grade}"


def indicator_sentence(line: IndicatorLine) -> str:
    """"出车次数：年度指标值30场，实际完成值31场，得分10分（分值10分）" — as filed."""
    parts = [f"年度指标值{line.target}" if line.target else "", f"实际完成值{line.actual}" if line.actual else ""]
    if line.score is not None:
        points = f"（分值{line.points_text}分）" if line.points is not None else ""
        parts.append(f"得分{line.score_text}分{points}")
    body = _join(parts)
    return f"{line.name}：{body}" if body else ""


def _indicators(lines: list[IndicatorLine]) -> str:
    sentences = [s for s in (indicator_sentence(line) for line in lines) if s]
    return "；".join(sentences) + "。" if sentences else ""


def problem_lines(f: TableFigures) -> list[str]:
    """Gaps the filed figures show: execution below the budget, scores below their points."""
    lines = []
    if f.executed is not None and f.full_year is not None and f.executed < f.full_year - 1e-9:
        rate = f"，执行率{show_rate(f.rate)}" if f.rate is not None else ""
        lines.append(f"全年执行数{f.amount(f.executed)}，少于全年预算数{f.amount(f.full_year)}{rate}。")
    for line in f.short_of_points:
        why = f"偏差原因分析及改进措施：{line.deviation}" if line.deviation else ""
        lines.append(_join([indicator_sentence(line), why], "；") + "。")
    return [f"{i}.{text}" for i, text in enumerate(lines, 1)]


def _problems(f: TableFigures) -> str:
    return "\n".join(problem_lines(f))


def _measures(f: TableFigures) -> str:
    """The unit's own 偏差原因分析及改进措施, row by row."""
    lines = [f"{line.name}：{line.deviation}" for line in f.indicators if line.deviation]
    return "\n".join(f"{i}.{text}" for i, text in enumerate(lines, 1))


# ------------------------------------------------------------------ 附件2


def _basic_info(f: TableFigures) -> str:
    who = f.unit if not f.name or f.name == f.unit else f"{f.unit}（{f.name}）"
    figures = _join([_money(f, "年初预算数", f.initial), _money(f, "全年预算数", f.full_year), _budget(f)])
    if not figures:
        return ""
    year = f"{f.year}年度" if f.year else ""
    return f"{who}{year}部门整体支出{figures}。"


def _basic_spending(f: TableFigures) -> str:
    value = f.expense_values.get("basic")
    return f"基本支出{f.amount(value)}。" if value is not None else ""


def _project_spending(f: TableFigures) -> str:
    value = f.expense_values.get("project")
    parts = [f"项目支出{f.amount(value)}。" if value is not None else ""]
    if f.projects:
        listed = []
        for label, name, budget, done in f.projects:
            amounts = _join([f"全年预算数{budget}{f.money_unit}" if budget else "",
                             f"全年执行数{done}{f.money_unit}" if done else ""])
            listed.append(f"{label} {name}" + (f"：{amounts}" if amounts else ""))
        parts.append(f"填报项目支出绩效自评表{len(f.projects)}张：{'；'.join(listed)}。")
    return "".join(parts)


def _performance(f: TableFigures) -> str:
    parts = []
    budget = _budget(f)
    if budget:
        parts.append(budget)
    scored = [line for line in f.scored if not line.part]
    short = [line.name for line in scored if line.short]
    if scored and not short:
        parts.append("各项绩效指标得分均等于分值")
    elif short and len(short) < len(scored):
        parts.append(f"绩效指标中“{'”“'.join(short)}”得分低于分值，其余得分等于分值")
    elif short:
        parts.append("各项绩效指标得分均低于分值")
    if f.total is not None:
        parts.append(_total(f))
    if f.goal_actual:
        parts.append(f"年度总体目标完成情况：{f.goal_actual.rstrip('。；;，,')}")
    return "；".join(parts) + "。" if parts else ""


# ------------------------------------------------------------------ 附件4-N


def _work(f: TableFigures) -> str:
    figures = _join([_money(f, "项目全年预算数", f.full_year), _budget(f)])
    total = _total(f)
    year = f"{f.year}年度" if f.year else ""
    head = f"{f.unit}对“{f.name}”项目{year}预算执行和绩效目标完成情况开展了自评" if f.unit and f.name else ""
    return "；".join(p for p in (head, figures, total) if p) + "。" if (figures or total) else ""


def _arrival(f: TableFigures) -> str:
    # Only the 全年预算数: check F1 compares every amount of this section with it.
    return f"项目全年预算数{f.amount(f.full_year)}。" if f.full_year is not None else ""


def _execution(f: TableFigures) -> str:
    budget = _budget(f)
    return budget + "。" if budget else ""


def _group(key: str) -> Callable[[TableFigures], str]:
    return lambda f: _indicators(f.in_group(key))


def _benefit(word: str) -> Callable[[TableFigures], str]:
    return lambda f: _indicators([line for line in f.in_group("benefit") if word in line.level2])


DEPARTMENT_DRAFTS: dict[str, Callable[[TableFigures], str]] = {
    "basic_info": _basic_info,
    "spending.basic": _basic_spending,
    "spending.project": _project_spending,
    "performance": _performance,
    "problems": _problems,
    "measures": _measures,
}

PROJECT_DRAFTS: dict[str, Callable[[TableFigures], str]] = {
    "work": _work,
    "funds.arrival": _arrival,
    "funds.execution": _execution,
    "goals.output": _group("output"),
    "goals.benefit.economic": _benefit("经济"),
    "goals.benefit.social": _benefit("社会"),
    "goals.benefit.ecological": _benefit("生态"),
    "goals.benefit.sustainable": _benefit("可持续"),
    "goals.satisfaction": _group("satisfaction"),
    "deviation.problems": _problems,
    "deviation.measures": _measures,
}


def draft(kind: str, key: str, figures: TableFigures) -> str:
    """The draft of one section; '' when the filing holds nothing it could restate."""
    drafts = DEPARTMENT_DRAFTS if kind == "department" else PROJECT_DRAFTS
    maker = drafts.get(key)
    return maker(figures) if maker else ""

