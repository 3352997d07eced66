"""The review workbook's columns, statuses and row keys: one place for the writer, the reader of
the previous review and the letters.

A 汇总 row is a dict from column header to value. Rows are matched between runs by
:func:`row_key` (unit + year + table; a project table by its project name, so a project
added before it does not shift it; a file that could not be read by its file name).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xlfuncs.values import clean_text

from .batch import UNREADABLE, FileResult, TableRow

SUMMARY_SHEET, ISSUES_SHEET, CHARTS_SHEET, NOTES_SHEET = "汇总", "问题清单", "图表", "说明"
PENDING, PASSED, RETURNED = "待审", "通过", "退回修改"
STATUSES = (PENDING, PASSED, RETURNED)
UNDETERMINED = "无法确定"
NEW, GONE = "新增", "文件已不在本次审核中（保留上次的记录）"


@dataclass(frozen=True)
class Column:
    """One 汇总 column: header, width, how its values are shown, and whether the reviewer fills it."""

    header: str
    width: float
    kind: str = "text"  # text, wrap, number, count, rate, year, date, link
    reviewer: bool = False


UNIT, YEAR, TABLE, PROJECT = "单位", "年度", "表", "项目"
FULL_YEAR, EXECUTED, RATE = "全年预算数", "全年执行数", "执行率"
FILED_TOTAL, FILED_GRADE, TOTAL, GRADE = "单位总分", "单位等级", "重算总分", "重算等级"
ERRORS, WARNINGS, INFOS, PROBLEMS = "错误", "警告", "提示", "主要问题"
SCORE, OPINION, STATUS, REVIEWER, DATE = "审核得分", "审核意见", "状态", "审核人", "日期"
CHANGE, MONEY_UNIT, PROFILE, FILE, HASH = "本次变化", "金额单位", "规则配置", "文件", "SHA-256"
OPEN = "打开"  # a link to the file; 文件 itself stays plain text, so it reads back whatever saved the workbook

SUMMARY_COLUMNS: tuple[Column, ...] = (
    Column(UNIT, 26), Column(YEAR, 7, "year"), Column(TABLE, 9), Column(PROJECT, 26),
    Column(FULL_YEAR, 12, "number"), Column(EXECUTED, 12, "number"), Column(RATE, 9, "rate"),
    Column(FILED_TOTAL, 9, "number"), Column(FILED_GRADE, 8), Column(TOTAL, 9, "number"), Column(GRADE, 8),
    Column(ERRORS, 6, "count"), Column(WARNINGS, 6, "count"), Column(INFOS, 6, "count"),
    Column(PROBLEMS, 50, "wrap"),
    Column(SCORE, 9, "number", True), Column(OPINION, 30, "wrap", True), Column(STATUS, 10, "text", True),
    Column(REVIEWER, 8, "text", True), Column(DATE, 11, "date", True),
    Column(CHANGE, 30, "wrap"), Column(MONEY_UNIT, 8), Column(PROFILE, 10), Column(FILE, 36), Column(OPEN, 6, "link"),
    Column(HASH, 18),
)
REVIEWER_HEADERS = tuple(c.header for c in SUMMARY_COLUMNS if c.reviewer)
KNOWN_HEADERS = frozenset(c.header for c in SUMMARY_COLUMNS)
#: Results compared between runs to say what changed.
COMPARED = (ERRORS, WARNINGS, INFOS, TOTAL, FILED_TOTAL, PROFILE)

#: 问题清单: every value is text. Kept narrow: it is the sheet with the most cells.
ISSUE_COLUMNS: tuple[Column, ...] = (
    Column(UNIT, 26), Column(TABLE, 9), Column(PROJECT, 22), Column("工作表", 12), Column("单元格", 8),
    Column("规则", 6), Column("严重程度", 9), Column("问题", 80, "wrap"), Column(FILE, 36),
)
ISSUE_SEVERITY = 6  # column index of 严重程度
KIND_WORDS = {"json": "填报 JSON", "grid": "表格网格 JSON（导入）", "workbook": "主工作簿",
              "document": "Word/Excel/网页/PDF（导入）", "legacy": "旧版 Excel .xls/.et（导入）",
              "package": "导出的材料包（导入）", "zip": "压缩包", "folder": "文件夹"}
SEVERITY_WORDS = {"error": "错误", "warning": "警告", "info": "提示"}


def _key_text(value: Any) -> str:
    return clean_text(value)


def row_key(row: dict[str, Any]) -> tuple[str, str, str, str]:
    """The identity of a 汇总 row across runs: (unit, year, table kind, project or file)."""
    table = _key_text(row.get(TABLE))
    if table == UNREADABLE or not table:
        return "", "", UNREADABLE, _key_text(row.get(FILE))
    unit, year = _key_text(row.get(UNIT)), _key_text(row.get(YEAR))
    if table.startswith("附件3"):
        return unit, year, "附件3", _key_text(row.get(PROJECT)) or table
    return unit, year, table, ""


def _year_value(text: str) -> int | str:
    return int(text) if text.isdigit() and len(text) == 4 else text


def table_row(result: FileResult, table: TableRow, file_label: str) -> dict[str, Any]:
    """The 汇总 row of one table of a file that was read (reviewer columns empty)."""
    words = "；".join(table.problems) or ("" if table.errors + table.warnings else "未发现错误或警告")
    if table.total is None and table.explanation:
        words = f"{words}；重算总分：{table.explanation}" if words else f"重算总分：{table.explanation}"
    return {
        UNIT: result.unit, YEAR: _year_value(result.year), TABLE: table.table,
        PROJECT: table.project, FULL_YEAR: table.full_year, EXECUTED: table.executed,
        RATE: table.rate, FILED_TOTAL: table.filed_total, FILED_GRADE: table.filed_grade,
        TOTAL: table.total, GRADE: table.grade if table.total is not None else UNDETERMINED,
        ERRORS: table.errors, WARNINGS: table.warnings, INFOS: table.info, PROBLEMS: words,
        MONEY_UNIT: table.money_unit, PROFILE: result.profile, FILE: file_label, HASH: result.sha256,
    }


def unreadable_row(result: FileResult, file_label: str) -> dict[str, Any]:
    """The one 汇总 row of a file that could not be read: it says why."""
    return {UNIT: result.unit, YEAR: _year_value(result.year), TABLE: UNREADABLE, PROJECT: "",
            PROBLEMS: result.reason, FILE: file_label, HASH: result.sha256}


def result_rows(result: FileResult, file_label: str) -> list[dict[str, Any]]:
    """Every 汇总 row of one examined file."""
    if not result.readable:
        return [unreadable_row(result, file_label)]
    return [table_row(result, table, file_label) for table in result.tables]
