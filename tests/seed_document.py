"""Test helper: a filing laid out as a unit types it in Word (the seed's layout, rules.md §4).

附件1 and each 附件3-N are tables with real merged cells and the filing's values exactly as filed
(full-width spaces, line breaks, "10分"); 附件2 and each 附件4-N are paragraphs, the first line as
a title, the outline headings (一、… （一）…) as headings. The grids built here are what a reader
must give back.
"""

from __future__ import annotations

import re
from typing import Any

from document_renders import Grid, Para

_HEADING = re.compile(r"^\s*([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
_FUND_LABELS = (("total", "年度资金总额"), ("current_year", "其中：当年财政拨款"), ("carried_over", "上年结转资金"),
                ("other", "其他资金"))
_FUND_COLUMNS = ("initial", "full_year", "executed", "points", "rate", "score")
WIDTH = 9


def _v(value: Any) -> str:
    return "" if value is None else str(value)


def _title_rows(title: str, year: Any) -> Grid:
    return [[title] + [None] * (WIDTH - 1), [f"（{year}年度）"] + [None] * (WIDTH - 1)]


def _goal_rows(goal: dict) -> Grid:
    return [["年度总体目标", "预期目标", None, None, None, "实际完成情况", None, None, None],
            [None, _v(goal.get("expected")), None, None, None, _v(goal.get("actual")), None, None, None]]


def _indicator_rows(table: dict) -> Grid:
    rows: Grid = [["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                   "偏差原因分析及改进措施"]]
    previous: dict = {}
    for item in table.get("indicators") or []:
        same_group = previous.get("level1") == item.get("level1")
        same_sub = same_group and previous.get("level2") == item.get("level2")
        rows.append([None, None if same_group else _v(item.get("level1")), None if same_sub else _v(item.get("level2")),
                     _v(item.get("level3")), _v(item.get("target")), _v(item.get("actual")), _v(item.get("points")),
                     _v(item.get("score")), _v(item.get("deviation"))])
        previous = item
    total = table.get("total") or {}
    rows.append(["总分", None, None, None, None, None, _v(total.get("points")), _v(total.get("score")), ""])
    return rows


def department_grid(filing: dict) -> Grid:
    """附件1 部门整体支出绩效自评表 as a grid (9 columns)."""
    department = filing["department"]
    funds = department.get("funds") or {}
    total = funds.get("total") or {}
    income = funds.get("by_income") or {}
    expense = funds.get("by_expense") or {}
    rows = _title_rows("部门整体支出绩效自评表", filing.get("year"))
    rows.append(["预算部门名称", _v(department.get("name"))] + [None] * (WIDTH - 2))
    rows.append(["年度预算申请（万元）", "", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
    rows.append([None, "年度资金总额", None] + [_v(total.get(k)) for k in _FUND_COLUMNS])
    rows.append([None, "按收入性质分", None, None, None, "按支出性质分", None, None, None])
    pairs = (("其中：一般公共预算", "general_budget", "其中：基本支出", "basic"),
             ("政府性基金拨款", "gov_fund", "项目支出", "project"),
             ("纳入专户管理的非税收入拨款", "special_account", "", None),
             ("其他资金", "other", "", None))
    for income_label, income_key, expense_label, expense_key in pairs:
        rows.append([None, income_label, None, _v(income.get(income_key)), None, expense_label, None,
                     _v(expense.get(expense_key)) if expense_key else "", None])
    return rows + _goal_rows(department.get("goal") or {}) + _indicator_rows(department)


def project_grid(filing: dict, project: dict) -> Grid:
    """附件3-N 项目支出绩效自评表 as a grid (9 columns)."""
    funds = project.get("funds") or {}
    rows = _title_rows("项目支出绩效自评表", filing.get("year"))
    rows.append(["项目名称", _v(project.get("name"))] + [None] * (WIDTH - 2))
    rows.append(["主管部门", _v(project.get("competent_department")), None, None, None, "实施单位",
                 _v(project.get("implementing_unit")), None, None])
    rows.append(["项目资金（万元）", "", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
    for key, label in _FUND_LABELS:
        row = funds.get(key) or {}
        rows.append([None, label, None] + [_v(row.get(k)) for k in _FUND_COLUMNS])
    return rows + _goal_rows(project.get("goal") or {}) + _indicator_rows(project)


def report_paragraphs(text: str | None) -> list[Para]:
    """A report's lines as paragraphs: the first as a title, outline headings as headings."""
    out: list[Para] = []
    for line in (text or "").split("\n"):
        if not line.strip():
            continue
        style = "Title" if not out else ("Heading 2" if _HEADING.match(line) else None)
        out.append(Para(line, style))
    return out


def seed_blocks(filing: dict) -> list[Para | Grid]:
    """The whole filing in document order: 附件1, 附件2, then 附件3-N and 附件4-N per project."""
    blocks: list[Para | Grid] = [Para("附件1"), Para(f"填报单位（盖章）：{filing.get('unit', '')}"),
                                 department_grid(filing)]
    blocks += [Para("附件2")] + report_paragraphs((filing.get("department_report") or {}).get("text"))
    for number, project in enumerate(filing.get("projects") or [], start=1):
        blocks += [Para(f"附件3-{number}"), project_grid(filing, project)]
        blocks += [Para(f"附件4-{number}")] + report_paragraphs((project.get("report") or {}).get("text"))
    return blocks
