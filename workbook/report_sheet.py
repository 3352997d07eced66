"""The master workbook's report-input sheet 自评报告: one row per outline section per report.

Columns 报告 (附件2 / 附件4-N 项目名), 章节 (the outline heading) and 内容 (the section's text,
an input cell). A report the filing holds is pre-filled with the filed text cut into sections
(sections it lacks stay empty, so reading the sheet back gives the filed text: the export drafts
them and lists them in its 校验报告); a report the filing does not hold gets drafts restating the
tables' filed figures (:mod:`xlfuncs.report_drafts`), highlighted for the unit to keep, edit or
delete. Reading the
sheet back gives each report's text with its headings, keyed by JSON Pointer.

The rows are fixed by the outlines: 附件2 first, then 附件4-1 … 附件4-N in order, so the row of
any report is known without reading the sheet (:func:`first_row`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from xlfuncs.filing import FilingError
from xlfuncs.outlines import DEPARTMENT_OUTLINE, PROJECT_OUTLINE, join_sections, outline_for_label, report_pointer
from xlfuncs.profiles import Profile
from xlfuncs.reports import report_contents

if TYPE_CHECKING:  # the reader imports this module; only the builder needs XlsxWriter
    import xlsxwriter.workbook

SHEET_NAME = "自评报告"  # also workbook.layouts.REPORT_SHEET
HEADERS = ("报告", "章节", "内容")
WIDTHS = (24, 34, 96)  # characters
NOTE = ("自评报告正文（附件2 部门整体支出绩效自评报告、附件4-N 项目支出绩效自评报告）：在“内容”列填写或修改各章节正文。"
        "黄色底纹的是草稿，只复述表中填报的数字和文字，请保留、修改或删除（不需要的改写为“无”或自己的文字）；"
        "导出时按本表内容生成报告，仍为空的章节按表中数字起草，并在校验报告中列出请您核对。")
MAX_CELL_CHARS = 32767  # Excel's limit for one cell
_CHARS_PER_LINE = WIDTHS[2] // 2  # CJK characters are two columns wide
_LINE_HEIGHT = 15.0
_MAX_ROW_HEIGHT = 409.0
FIRST_DATA_ROW = 3  # 1-based: row 1 is the note, row 2 the header
CONTENT_COLUMN = "C"


def first_row(project_index: int | None) -> int:
    """1-based row of the first section of 附件2 (None) or of 附件4-(index+1)."""
    if project_index is None:
        return FIRST_DATA_ROW
    return FIRST_DATA_ROW + len(DEPARTMENT_OUTLINE.sections) + project_index * len(PROJECT_OUTLINE.sections)


def _row_height(text: str) -> float:
    lines = sum(max(1, math.ceil(len(line) / _CHARS_PER_LINE)) for line in (text.split("\n") or [""]))
    return min(_MAX_ROW_HEIGHT, max(_LINE_HEIGHT, lines * _LINE_HEIGHT + 3))


def write_report_sheet(workbook: xlsxwriter.workbook.Workbook, filing: dict[str, Any],
                       profile: Profile | str = "default", drafts: bool = True) -> None:
    """Add the 自评报告 sheet to a workbook being built, pre-filled from ``filing``.

    ``drafts`` False (a blank workbook, no figures yet) leaves unfiled sections empty; the export
    drafts them from the final figures. Every value is written as a string (text starting with ``=`` stays text). Raises
    FilingError when a section is longer than an Excel cell can hold.
    """
    sheet = workbook.add_worksheet(SHEET_NAME)
    note = workbook.add_format({"text_wrap": True, "valign": "top", "font_color": "#595959"})
    header = workbook.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter",
                                  "bg_color": "#D9D9D9"})
    label = workbook.add_format({"border": 1, "valign": "top", "text_wrap": True})
    heading = workbook.add_format({"border": 1, "valign": "top", "text_wrap": True, "bold": True})
    content = workbook.add_format({"border": 1, "valign": "top", "text_wrap": True, "locked": False})
    draft_format = workbook.add_format({"border": 1, "valign": "top", "text_wrap": True, "locked": False,
                                        "bg_color": "#FFF2CC"})
    for column, width in enumerate(WIDTHS):
        sheet.set_column(column, column, width)
    sheet.merge_range(0, 0, 0, len(HEADERS) - 1, NOTE, note)
    sheet.set_row(0, 36)
    for column, title in enumerate(HEADERS):
        sheet.write_string(1, column, title, header)
    row = 2
    for report in report_contents(filing, profile=profile):
        name = report.label if report.label == "附件2" else f"{report.label} {report.figures.name}".strip()
        for section in report.outline.sections:
            drafted = drafts and section.key in report.drafted and not report.filed
            unwanted = section.key in report.drafted and not drafted
            body = "" if unwanted else report.bodies.get(section.key, "")
            if len(body) > MAX_CELL_CHARS:
                raise FilingError(f"{report.label}“{section.heading}”正文超过 {MAX_CELL_CHARS} 字，"
                                  "Excel 单元格放不下，请精简后再生成主工作簿")
            sheet.write_string(row, 0, name, label)
            sheet.write_string(row, 1, section.heading, heading if section.level <= 2 else label)
            sheet.write_string(row, 2, body, draft_format if drafted else content)
            sheet.set_row(row, _row_height(body))
            row += 1
    sheet.freeze_panes(2, 0)
    _print_setup(sheet, row)
    sheet.protect("", {"format_columns": True, "format_rows": True, "select_locked_cells": True,
                       "select_unlocked_cells": True})


def _print_setup(sheet: Any, rows: int) -> None:
    """Print on A4 landscape, one page wide, the header row on every page, text wrapped in its cells."""
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(1)
    sheet.print_area(0, 0, max(rows, FIRST_DATA_ROW) - 1, len(HEADERS) - 1)
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.set_footer("&C第 &P 页，共 &N 页")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def _header_columns(rows: Sequence[Sequence[Any]]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows):
        cells = [_text(v).strip() for v in row]
        if all(title in cells for title in HEADERS):
            return index, {title: cells.index(title) for title in HEADERS}
    return None


def read_report_sheet(rows: Sequence[Sequence[Any]]) -> dict[str, str]:
    """Report texts from the 自评报告 sheet's rows (values, header included).

    Returns ``{JSON Pointer: text}``, e.g. ``{"/department_report/text": "…",
    "/projects/0/report/text": "…"}``; each text has the outline's headings in row order.
    A report whose 内容 cells are all empty maps to ``""``. Rows whose 报告 cell names no
    report (附件2 / 附件4-N) are ignored; an empty sheet gives ``{}``.
    """
    found = _header_columns(rows)
    if found is None:
        return {}
    start, columns = found
    sections: dict[str, list[tuple[str, str]]] = {}
    outlines = {}
    for row in rows[start + 1:]:
        cells = list(row) + [None] * (len(HEADERS) + max(columns.values()))
        label = _text(cells[columns["报告"]]).strip()
        pointer = report_pointer(label)
        heading = _text(cells[columns["章节"]]).strip()
        if pointer is None or not heading:
            continue
        outlines[pointer] = outline_for_label(label)
        sections.setdefault(pointer, []).append((heading, _text(cells[columns["内容"]]).strip("\n")))
    texts = {}
    for pointer, items in sections.items():
        if not any(body.strip() for _, body in items):
            texts[pointer] = ""
            continue
        outline = outlines[pointer]
        inline = {s.heading for s in outline.sections if s.inline}
        texts[pointer] = join_sections(outline.title, ((h, body, h in inline) for h, body in items))
    return texts
