"""Draft text for report sections left empty, written only from the tables' figures.

A draft states what the tables and the engine's scores say (amounts, 执行率, scores,
indicator completions, 无法评分 and why); it never invents a fact the tables do not hold.
Sections with subsections get no draft of their own.
"""

from __future__ import annotations

from collections.abc import Callable

from xlfuncs.values import format_amount, format_rate

from .report_figures import UNSCORED, IndicatorLine, TableFigures, points_text


def _wan(value: float | None) -> str:
    return f"{format_amount(value)}万元" if value is not None else "（未填报）"


def _share(part: float | None, whole: float | None) -> str:
    if part is None or not whole:
        return ""
    return f"，占全年预算数的{part / whole * 100:.2f}%"


def _total(f: TableFigures) -> str:
    if f.total is None:
        return f"总分无法确定（{f.total_explanation}）"
    return f"自评总分{points_text(f.total)}分，等级“{f.grade}”"


def _budget(f: TableFigures) -> str:
    text = f"全年执行数{_wan(f.executed)}，执行率{format_rate(f.rate)}，"
    if f.budget_score is None:
        text += f"预算执行{f.budget_explanation}"
    else:
        text += f"预算执行得分{points_text(f.budget_score)}分（分值{points_text(f.budget_points)}分）"
    if f.rate_initial is not None and f.rate is not None and abs(f.rate_initial - f.rate) > 1e-9:
        text += f"；按年初预算数{_wan(f.initial)}计，执行率为{format_rate(f.rate_initial)}"
    return text


def indicator_sentence(line: IndicatorLine) -> str:
    """"出车次数：年度指标值30场，实际完成值31场，完成率103.3%，得分10分（分值10分）"."""
    text = f"{line.name}：年度指标值{line.target or '（空白）'}，实际完成值{line.actual or '（空白）'}"
    if line.score is None:
        return f"{text}，{line.explanation}"
    if line.completion not in ("", "—"):
        text += f"，{'完成率' if line.completion.endswith('%') else ''}{line.completion}"
    return f"{text}，得分{points_text(line.score)}分（分值{points_text(line.points)}分）"


def _indicators(lines: list[IndicatorLine], missing: str) -> str:
    if not lines:
        return missing
    return "；".join(indicator_sentence(line) for line in lines) + "。"


def problem_lines(f: TableFigures) -> list[str]:
    """What the figures show as short of the goals: rate below 100%, indicators below full
    marks, indicators that cannot be scored."""
    lines = []
    if f.rate is not None and f.rate < 1 - 1e-9:
        lines.append(f"预算执行率{format_rate(f.rate)}，全年执行数{_wan(f.executed)}少于全年预算数{_wan(f.full_year)}。")
    for line in f.short_of_points:
        lines.append(indicator_sentence(line) + "，未达到年度指标值。")
    for line in f.unscored:
        lines.append(f"{line.name}{UNSCORED}：{line.explanation.removeprefix(UNSCORED + '：')}。")
    return [f"{i}.{text}" for i, text in enumerate(lines, 1)]


def _problems(f: TableFigures) -> str:
    lines = problem_lines(f)
    if lines:
        return "对照绩效自评表，存在以下偏离绩效目标或需要核实的情况：\n" + "\n".join(lines)
    return (f"对照绩效自评表，预算执行率{format_rate(f.rate)}，{len(f.indicators)}项绩效指标均达到年度指标值，"
            "未发现偏离绩效目标的情况。")


def _measures(f: TableFigures) -> str:
    names = [line.name for line in (*f.short_of_points, *f.unscored)]
    if names or (f.rate is not None and f.rate < 1 - 1e-9):
        subject = f"“{'”“'.join(names)}”等指标" if names else "预算执行"
        return (f"针对{subject}的情况，核实实际完成数据，分析偏差原因；在下一年度绩效目标设定和预算编制中据实调整，"
                "并加强预算执行过程中的绩效运行监控。")
    return "继续加强预算执行和绩效运行监控，科学设置可量化、可考核的绩效指标。"


def _publicity(f: TableFigures) -> str:
    kind = "部门整体支出" if f.label == "附件1" else "项目支出"
    return f"按规定公开{kind}绩效自评表及本报告，自评结果作为以后年度预算安排和改进管理的参考。"


# ------------------------------------------------------------------ 附件2


def _basic_info(f: TableFigures) -> str:
    who = f.unit if not f.name or f.name == f.unit else f"{f.unit}（预算部门：{f.name}）"
    return (f"{who}{f.year}年度部门整体支出年初预算数{_wan(f.initial)}，全年预算数{_wan(f.full_year)}，"
            f"{_budget(f)}。")


def _expense(f: TableFigures, label: str) -> float | None:
    return next((value for name, value, _ in f.by_expense if name == label), None)


def _basic_spending(f: TableFigures) -> str:
    return f"基本支出{_wan(_expense(f, '基本支出'))}{_share(_expense(f, '基本支出'), f.full_year)}。"


def _project_spending(f: TableFigures) -> str:
    amount = _expense(f, "项目支出")
    text = f"项目支出{_wan(amount)}{_share(amount, f.full_year)}"
    if f.projects:
        listed = "；".join(f"{label} {name}：全年预算数{_wan(budget)}，全年执行数{_wan(done)}"
                          for label, name, budget, done in f.projects)
        text += f"。填报项目支出绩效自评表{len(f.projects)}张：{listed}"
    return text + "。"


def _performance(f: TableFigures) -> str:
    full = sum(1 for line in f.indicators if line.full_marks)
    parts = [f"{len(f.indicators)}项绩效指标中{full}项得满分"]
    if f.short_of_points:
        parts.append(f"{len(f.short_of_points)}项未得满分")
    if f.unscored:
        parts.append(f"{len(f.unscored)}项{UNSCORED}")
    return f"按评分规则计算，{_budget(f)}；{'，'.join(parts)}；{_total(f)}。"


# ------------------------------------------------------------------ 附件4-N


def _work(f: TableFigures) -> str:
    return (f"{f.unit}对“{f.name}”项目{f.year}年度预算执行和绩效目标完成情况开展了自评。项目全年预算数"
            f"{_wan(f.full_year)}，{_budget(f)}；{_total(f)}。")


def _arrival(f: TableFigures) -> str:
    rows = f.funds[1:]
    text = f"项目年初预算数{_wan(f.initial)}，全年预算数{_wan(f.full_year)}"
    listed = [f"{row.label.removeprefix('其中：')}{row.full_year}万元" for row in rows if row.full_year != "—"]
    if listed:
        text += "，其中" + "、".join(listed)
    return text + "。"


def _execution(f: TableFigures) -> str:
    return _budget(f) + "。"


def _management(f: TableFigures) -> str:
    return f"项目资金纳入单位预算管理，全年执行数{_wan(f.executed)}，资金使用情况见{f.label}。"


def _group(key: str, missing: str) -> Callable[[TableFigures], str]:
    return lambda f: _indicators(f.in_group(key), missing)


def _benefit(word: str, title: str) -> Callable[[TableFigures], str]:
    def draft(f: TableFigures) -> str:
        lines = [line for line in f.in_group("benefit") if word in line.level2]
        return _indicators(lines, f"本项目未设置{title}指标。")
    return draft


DEPARTMENT_DRAFTS: dict[str, Callable[[TableFigures], str]] = {
    "basic_info": _basic_info,
    "spending.basic": _basic_spending,
    "spending.project": _project_spending,
    "performance": _performance,
    "problems": _problems,
    "measures": _measures,
    "publicity": _publicity,
}

PROJECT_DRAFTS: dict[str, Callable[[TableFigures], str]] = {
    "work": _work,
    "funds.arrival": _arrival,
    "funds.execution": _execution,
    "funds.management": _management,
    "goals.output": _group("output", "本项目未设置产出指标。"),
    "goals.benefit.economic": _benefit("经济", "经济效益"),
    "goals.benefit.social": _benefit("社会", "社会效益"),
    "goals.benefit.ecological": _benefit("生态", "生态效益"),
    "goals.benefit.sustainable": _benefit("可持续", "可持续影响"),
    "goals.satisfaction": _group("satisfaction", "本项目未设置满意度指标。"),
    "deviation.problems": _problems,
    "deviation.measures": _measures,
    "publicity": _publicity,
}


def draft(kind: str, key: str, figures: TableFigures) -> str:
    """The draft of one section ('' for sections that have subsections)."""
    drafts = DEPARTMENT_DRAFTS if kind == "department" else PROJECT_DRAFTS
    maker = drafts.get(key)
    return maker(figures) if maker else ""
