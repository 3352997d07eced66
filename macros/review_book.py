"""Write the review workbook with XlsxWriter in constant-memory mode: rows stream in as files are
examined, and only counters stay in memory.

Sheets: 汇总 (one row per table, reviewer columns, filters, frozen headers, conditional
formats, 状态 dropdown), 问题清单 (one row per finding; continued on 问题清单(2)… past Excel's row
limit), 图表 (native charts over the data they show) and 说明 (what was reviewed, when, how,
every file's SHA-256). Every text is written as text: a unit named “=HYPERLINK(…)” stays a name.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from xlfuncs import jsonio
from xlfuncs.catalogue import RULES

from .batch import UNREADABLE, FileResult, counted_under
from .review_sheet import (
    CHANGE,
    CHARTS_SHEET,
    ERRORS,
    FILE,
    FILED_TOTAL,
    GONE,
    GRADE,
    ISSUE_COLUMNS,
    ISSUE_SEVERITY,
    ISSUES_SHEET,
    KIND_WORDS,
    NOTES_SHEET,
    OPEN,
    PASSED,
    RATE,
    RETURNED,
    SCORE,
    SEVERITY_WORDS,
    STATUS,
    STATUSES,
    SUMMARY_COLUMNS,
    SUMMARY_SHEET,
    TABLE,
    TOTAL,
    UNDETERMINED,
    WARNINGS,
    Column,
)
from .xlsx_rows import Link, RowStream, splice_rows

EXCEL_ROWS = 1_048_576
SCORE_BINS = (("<60", None, 60), ("60–69.99", 60, 70), ("70–79.99", 70, 80), ("80–89.99", 80, 90), ("≥90", 90, None))
ISSUE_STYLES = [c.kind if c.kind == "wrap" else None for c in ISSUE_COLUMNS]  # only 问题 wraps
RED = {"bg_color": "#FFC7CE", "font_color": "#9C0006"}
AMBER = {"bg_color": "#FFEB9C", "font_color": "#9C5700"}
GREEN = {"bg_color": "#C6EFCE", "font_color": "#006100"}


@dataclass
class ReviewInfo:
    """What 说明 says about the run."""

    created: dt.datetime
    version: str
    profile: str  # how profiles were chosen, in words
    sources: list[str]
    files: int = 0
    tables: int = 0
    unreadable: int = 0
    skipped: int = 0
    totals: dict[str, int] = field(default_factory=lambda: {"errors": 0, "warnings": 0, "info": 0})
    previous: str = ""  # the previous review read, in words
    changes: dict[str, int] = field(default_factory=dict)


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


class ReviewBook:
    """The review workbook being written; call :meth:`close` once every row is in."""

    def __init__(self, path: str | Path, extras: list[str] | None = None) -> None:
        self.book = xlsxwriter.Workbook(str(path), {
            "constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
            "strings_to_urls": False, "default_date_format": "yyyy-mm-dd",
            "default_format_properties": {"font_name": "宋体", "font_size": 10.5}})
        self.formats = self._formats()
        self.columns = SUMMARY_COLUMNS + tuple(Column(h, 16, "wrap", True) for h in extras or [])
        self.index = {c.header: i for i, c in enumerate(self.columns)}
        self.summary = self._sheet(SUMMARY_SHEET, self.columns)
        self.issues = self._sheet(ISSUES_SHEET, ISSUE_COLUMNS)
        self.charts = self.book.add_worksheet(CHARTS_SHEET)
        self.notes = self.book.add_worksheet(NOTES_SHEET)
        # Data rows of 汇总 and 问题清单 go straight to XML (xlsx_rows); XlsxWriter writes the rest.
        self.summary_stream = RowStream(len(self.columns))
        self.issue_rows = RowStream(len(ISSUE_COLUMNS))
        self.parts = {"xl/worksheets/sheet1.xml": self.summary_stream, "xl/worksheets/sheet2.xml": self.issue_rows}
        self.statuses: Counter[str] = Counter()
        self.bins: Counter[str] = Counter()
        self.rules: Counter[str] = Counter()
        self.file_log = tempfile.TemporaryFile("w+", encoding="utf-8")  # 说明's file list, kept off the heap

    # -------------------------------------------------------------- setup

    def _formats(self) -> dict[str, Any]:
        add = self.book.add_format
        base = {"valign": "top"}
        return {
            "header": add({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                           "valign": "vcenter", "align": "center"}),
            "reviewer_header": add({**base, "bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True,
                                    "valign": "vcenter", "align": "center"}),
            "text": add(base), "wrap": add({**base, "text_wrap": True}),
            "number": add({**base, "num_format": "#,##0.00"}), "count": add({**base, "num_format": "0"}),
            "rate": add({**base, "num_format": "0.0%"}), "year": add({**base, "num_format": "0", "align": "center"}),
            "date": add({**base, "num_format": "yyyy-mm-dd"}), "link": add({**base, "font_color": "#0563C1", "underline": 1}),
            "title": add({**base, "bold": True, "font_size": 14}), "bold": add({**base, "bold": True}),
            "red": add(RED), "amber": add(AMBER), "green": add(GREEN),
            "changed": add({"bg_color": "#FFF2CC"}), "gone": add({"font_color": "#808080", "italic": True}),
        }

    def _sheet(self, name: str, columns: tuple[Column, ...]) -> Any:
        sheet = self.book.add_worksheet(name)
        for i, column in enumerate(columns):
            sheet.set_column(i, i, column.width, self.formats.get(column.kind, self.formats["text"]))
        sheet.set_row(0, 30)
        for i, column in enumerate(columns):
            sheet.write_string(0, i, column.header, self.formats["reviewer_header" if column.reviewer else "header"])
        sheet.freeze_panes(1, 4 if name == SUMMARY_SHEET else 0)
        return sheet

    # -------------------------------------------------------------- rows

    @property
    def summary_rows(self) -> int:
        """Data rows written to 汇总 so far."""
        return self.summary_stream.rows

    def _cell(self, sheet: Any, row: int, col: int, value: Any) -> None:
        """One cell of 说明: text stays text, numbers are numbers."""
        if value is None or value == "":
            return
        if isinstance(value, int | float) and not isinstance(value, bool):
            sheet.write_number(row, col, value)
        else:
            sheet.write_string(row, col, str(value))

    def add_row(self, values: dict[str, Any]) -> None:
        """Append one 汇总 row (a dict from header to value)."""
        cells: list[Any] = [None] * len(self.columns)
        styles: list[str | None] = [None] * len(self.columns)
        for header, value in values.items():
            col = self.index.get(header)
            if col is None or value is None:
                continue
            kind = self.columns[col].kind
            cells[col], styles[col] = value, "date" if isinstance(value, dt.date) else kind
        if isinstance(values.get(FILE), str) and OPEN in self.index:
            cells[self.index[OPEN]], styles[self.index[OPEN]] = Link(values[FILE], "打开"), "link"
        self.summary_stream.add(cells, styles)
        if values.get(STATUS) in STATUSES:
            self.statuses[values[STATUS]] += 1
        total = values.get(TOTAL)
        if isinstance(total, int | float):
            self.bins[next(label for label, low, high in SCORE_BINS
                           if (low is None or total >= low) and (high is None or total < high))] += 1
        elif values.get(GRADE) == UNDETERMINED:
            self.bins[UNDETERMINED] += 1

    def _issue_rows(self) -> RowStream:
        """The row stream of the current 问题清单 sheet; a new sheet past Excel's row limit."""
        if self.issue_rows.rows + 2 >= EXCEL_ROWS:
            self._finish_issue_sheet()
            self.issues = self._sheet(f"{ISSUES_SHEET}({len(self.parts)})", ISSUE_COLUMNS)
            self.issue_rows = RowStream(len(ISSUE_COLUMNS))
            self.parts[f"xl/worksheets/sheet{len(self.book.worksheets())}.xml"] = self.issue_rows
        return self.issue_rows

    def add_findings(self, result: FileResult, file_label: str) -> None:
        """Append a file's findings to 问题清单 (one row; the reason, for a file that could not be read)."""
        if not result.readable:
            rows = [(result.unit, UNREADABLE, "", "", "", "—", UNREADABLE, result.reason, file_label)]
        else:
            projects = {t.table: t.project for t in result.tables}
            labels = list(projects)
            rows = []
            for f in result.findings:
                self.rules[f["rule"]] += 1
                rows.append((result.unit, f["table"], projects.get(counted_under(f["table"], labels), ""),
                             f.get("sheet"), f.get("cell"), f["rule"],
                             SEVERITY_WORDS.get(f["severity"], f["severity"]), f["message"], file_label))
        for values in rows:
            self._issue_rows().add(values, ISSUE_STYLES)

    def add_file(self, result: FileResult, file_label: str) -> None:
        """Remember a file for 说明's list (on disk, not in memory)."""
        self.file_log.write(jsonio.dumps([file_label, KIND_WORDS.get(result.kind, result.kind), result.size, result.sha256,
                                          result.unit, result.year, result.reason or "已读取"], indent=None) + "\n")

    # -------------------------------------------------------------- closing

    def _finish_issue_sheet(self) -> None:
        last = max(self.issue_rows.rows, 1)
        self.issues.autofilter(0, 0, last, len(ISSUE_COLUMNS) - 1)
        severity = xl_col_to_name(ISSUE_SEVERITY)
        self.issues.conditional_format(1, 0, last, len(ISSUE_COLUMNS) - 1, {
            "type": "formula", "criteria": f'=${severity}2="错误"', "format": self.formats["red"]})

    def _finish_summary(self) -> None:
        last, width = max(self.summary_rows, 1), len(self.columns) - 1
        sheet, col = self.summary, self.index
        sheet.autofilter(0, 0, last, width)
        letter = {h: xl_col_to_name(i) for h, i in col.items()}
        rules = [
            (0, width, f'=${letter[TABLE]}2="{UNREADABLE}"', "red"),
            (0, width, f'=${letter[CHANGE]}2="{GONE}"', "gone"),
            (col[CHANGE], col[CHANGE], f"=LEN(${letter[CHANGE]}2)>0", "changed"),
            (col[ERRORS], col[ERRORS], f"=${letter[ERRORS]}2>0", "red"),
            (col[WARNINGS], col[WARNINGS], f"=${letter[WARNINGS]}2>0", "amber"),
            (col[STATUS], col[STATUS], f'=${letter[STATUS]}2="{RETURNED}"', "red"),
            (col[STATUS], col[STATUS], f'=${letter[STATUS]}2="{PASSED}"', "green"),
        ]
        filed, total = letter[FILED_TOTAL], letter[TOTAL]
        differs = f"=AND(ISNUMBER(${filed}2),ISNUMBER(${total}2),ABS(${filed}2-${total}2)>=0.01)"
        rules += [(col[FILED_TOTAL], col[FILED_TOTAL], differs, "amber"), (col[TOTAL], col[TOTAL], differs, "amber")]
        for first, last_col, criteria, fmt in rules:
            sheet.conditional_format(1, first, last, last_col, {"type": "formula", "criteria": criteria,
                                                                 "format": self.formats[fmt]})
        sheet.data_validation(1, col[STATUS], EXCEL_ROWS - 1, col[STATUS], {
            "validate": "list", "source": list(STATUSES), "input_title": "状态",
            "input_message": "待审 / 通过 / 退回修改", "error_title": "状态",
            "error_message": "请从下拉列表选择：待审、通过、退回修改"})
        sheet.data_validation(1, col[SCORE], EXCEL_ROWS - 1, col[SCORE], {
            "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 100, "error_type": "warning",
            "error_title": "审核得分", "error_message": "审核得分一般在 0–100 之间"})

    def _range(self, header: str) -> list[Any]:
        col = self.index[header]
        return [SUMMARY_SHEET, 1, col, max(self.summary_rows, 1), col]

    def _column_range(self, header: str) -> str:
        letter, last = xl_col_to_name(self.index[header]), max(self.summary_rows, 1) + 1
        return f"{_quoted(SUMMARY_SHEET)}!${letter}$2:${letter}${last}"

    def _write_chart_data(self) -> dict[str, tuple[int, int]]:
        """The small tables the charts read, written row by row (constant-memory mode needs rows in
        order); returns each block's (first row, last row)."""
        sheet, f = self.charts, self.formats
        for col, width in ((0, 12), (3, 8), (4, 40), (6, 10)):
            sheet.set_column(col, col, width)
        total, grade, status = (self._column_range(h) for h in (TOTAL, GRADE, STATUS))
        bins: list[list[Any]] = []
        for label, low, high in SCORE_BINS:
            parts = ([f'{total},">={low}"'] if low is not None else []) + ([f'{total},"<{high}"'] if high is not None else [])
            bins.append([label, (f"=COUNTIFS({','.join(parts)})", self.bins[label])])
        bins.append([UNDETERMINED, (f'=COUNTIF({grade},"{UNDETERMINED}")', self.bins[UNDETERMINED])])
        titles = {r.id: r.describe() for r in RULES}  # the default profile's figures, as docs/rules.md (files may differ)
        rules = [[rule, titles.get(rule, ""), count] for rule, count in self.rules.most_common()] or [["无", "", 0]]
        statuses = [[name, (f'=COUNTIF({status},"{name}")', self.statuses[name])] for name in STATUSES]
        blocks = ((0, bins), (3, rules), (6, statuses))
        sheet.write_string(0, 0, "图表所用数据：总分分布与状态统计是对“汇总”的公式，随“汇总”更新；问题数为审核时的统计", f["bold"])
        for col, text in ((0, "重算总分"), (1, "表数"), (3, "规则"), (4, "说明"), (5, "问题数"), (6, "状态"), (7, "表数")):
            sheet.write_string(1, col, text, f["header"])
        for i in range(max(len(rows) for _, rows in blocks)):
            for first_col, rows in blocks:
                for offset, value in enumerate(rows[i] if i < len(rows) else []):
                    if isinstance(value, tuple):
                        sheet.write_formula(2 + i, first_col + offset, value[0], None, value[1])
                    elif isinstance(value, str):
                        sheet.write_string(2 + i, first_col + offset, value)
                    else:
                        sheet.write_number(2 + i, first_col + offset, value)
        return {"bins": (2, 1 + len(bins)), "rules": (2, 1 + len(rules)), "statuses": (2, 1 + len(statuses))}

    def _count_chart(self, kind: str, title: str, rows: tuple[int, int], category: int) -> Any:
        """A chart of one 图表 block: categories in column ``category``, counts in the column after its label(s)."""
        first, last = rows
        values = category + (2 if category == 3 else 1)  # the rules block has a 说明 column between
        chart = self.book.add_chart({"type": kind})
        chart.add_series({"name": "数量", "categories": [CHARTS_SHEET, first, category, last, category],
                          "values": [CHARTS_SHEET, first, values, last, values], "data_labels": {"value": True}})
        chart.set_title({"name": title})
        chart.set_legend({"none": True})
        return chart

    def _add_charts(self) -> None:
        blocks = self._write_chart_data()
        histogram = self._count_chart("column", "重算总分分布", blocks["bins"], 0)
        scatter = self.book.add_chart({"type": "scatter"})
        scatter.add_series({"name": "各表", "categories": self._range(RATE), "values": self._range(TOTAL),
                            "marker": {"type": "circle", "size": 5}})
        scatter.set_title({"name": "执行率与重算总分"})
        scatter.set_x_axis({"name": "执行率", "num_format": "0%"})
        scatter.set_y_axis({"name": "重算总分", "min": 0, "max": 100})
        scatter.set_legend({"none": True})
        by_rule = self._count_chart("bar", "问题按规则统计", blocks["rules"], 3)
        by_rule.set_y_axis({"reverse": True})
        by_status = self._count_chart("column", "各审核状态的表数", blocks["statuses"], 6)
        for chart, cell in ((histogram, "J2"), (scatter, "R2"), (by_rule, "J20"), (by_status, "R20")):
            self.charts.insert_chart(cell, chart, {"x_scale": 1.1, "y_scale": 1.1})

    def _write_notes(self, info: ReviewInfo) -> None:
        sheet, f = self.notes, self.formats
        sheet.set_column(0, 0, 16)
        sheet.set_column(1, 1, 60)
        sheet.set_column(2, 6, 14)
        counts = info.totals
        lines = [
            ("审核时间", info.created.isoformat(timespec="seconds")),
            ("perfeval 版本", info.version),
            ("规则配置", info.profile),
            ("审核范围", "；".join(info.sources)),
            ("文件", f"{info.files} 个（无法读取 {info.unreadable} 个；另有 {info.skipped} 个不是填报的文件未审核）"),
            ("表", f"{info.tables} 张"),
            ("问题", f"错误 {counts['errors']}、警告 {counts['warnings']}、提示 {counts['info']}"),
            ("上次审核", info.previous or "无（首次审核）"),
        ]
        if info.changes:
            lines.append(("本次变化", "、".join(f"{k} {v}" for k, v in info.changes.items())))
        lines += [
            ("审核人填写", "“汇总”中橙色表头的列（审核得分、审核意见、状态、审核人、日期）由审核人填写；"
                          "其余各列由 perfeval 每次审核时重新计算。"),
            ("再次审核", "再次运行 perfeval review 时，按“单位 + 年度 + 表（项目表按项目名称）”找回上次填写的内容，"
                        "“本次变化”列说明哪些填报有了变化；本次找不到文件的行保留并注明。上次的审核文件另存为带日期的备份，不会被覆盖。"),
            ("退回", "状态选“退回修改”后运行 perfeval review --returns 文件夹，为每个单位生成退回修改通知（.docx）。"),
        ]
        sheet.write_string(0, 0, "预算绩效自评审核汇总：说明", f["title"])
        row = 2
        for label, text in lines:
            sheet.write_string(row, 0, label, f["bold"])
            sheet.write_string(row, 1, text, f["wrap"])
            row += 1
        row += 1
        sheet.write_string(row, 0, "审核的文件", f["bold"])
        row += 1
        for col, text in enumerate(("文件", "类型", "大小（字节）", "SHA-256", "单位", "年度", "读取结果")):
            sheet.write_string(row, col, text, f["header"])
        self.file_log.seek(0)
        for line in self.file_log:
            row += 1
            for col, value in enumerate(json.loads(line)):
                self._cell(sheet, row, col, value)

    def close(self, info: ReviewInfo) -> None:
        """Finish every sheet and write the file."""
        self._finish_summary()
        self._finish_issue_sheet()
        self._add_charts()
        self._write_notes(info)
        self.file_log.close()
        self.book.close()
        kinds = {c.kind for c in self.columns} | {"date"}
        # Every kind's format is distinct and used by a column, so XlsxWriter has given each its own index.
        splice_rows(self.book.filename, self.parts, {k: self.formats[k].xf_index or 0 for k in kinds})
        for stream in self.parts.values():
            stream.close()  # splice_rows published the file synced (xlfuncs.fileio.publish)

