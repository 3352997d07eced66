"""The master workbook's 自评报告 sheet: pre-filled sections, read back as report texts."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from workbook.report_sheet import HEADERS, SHEET_NAME, read_report_sheet, write_report_sheet
from xlfuncs.engine import evaluate
from xlfuncs.filing import FilingError
from xlfuncs.outlines import split_report
from xlfuncs.reports import report_contents


def _built(filing: dict, path: Path):
    book = xlsxwriter.Workbook(str(path))
    write_report_sheet(book, filing)
    book.close()
    return openpyxl.load_workbook(path)[SHEET_NAME]


def _rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_one_row_per_section_per_report(seed, tmp_path):
    sheet = _built(seed, tmp_path / "book.xlsx")
    rows = _rows(sheet)
    assert tuple(rows[1]) == HEADERS
    contents = report_contents(seed)
    expected = [(c.label if c.label == "附件2" else f"{c.label} {c.figures.name}", s.heading)
                for c in contents for s in c.outline.sections]
    assert [(r[0], r[1]) for r in rows[2:]] == expected
    assert rows[2][0] == "附件2" and rows[-1][0] == "附件4-5 2022年全年相关维修改造费等"


def test_sheet_reads_back_to_the_same_sections(seed, tmp_path):
    texts = read_report_sheet(_rows(_built(seed, tmp_path / "book.xlsx")))
    contents = report_contents(seed)
    assert list(texts) == [c.pointer for c in contents]
    for content in contents:
        assert split_report(texts[content.pointer], content.outline).bodies == content.bodies


def test_report_checks_see_the_same_text_after_the_round_trip(seed, tmp_path):
    texts = read_report_sheet(_rows(_built(seed, tmp_path / "book.xlsx")))
    before = {(f.rule, f.pointer, f.message) for f in evaluate(seed).findings if f.rule in ("F1", "F2", "B6")}
    seed["department_report"]["text"] = texts["/department_report/text"]
    for i, project in enumerate(seed["projects"]):
        project["report"]["text"] = texts[f"/projects/{i}/report/text"]
    after = {(f.rule, f.pointer, f.message) for f in evaluate(seed).findings if f.rule in ("F1", "F2", "B6")}
    assert after == before and any(rule == "F1" for rule, _, _ in after)


def test_missing_reports_are_prefilled_with_highlighted_drafts(clean, tmp_path):
    clean["projects"][1].pop("report")
    sheet = _built(clean, tmp_path / "book.xlsx")
    rows = _rows(sheet)
    project_rows = [i for i, r in enumerate(rows, start=1) if str(r[0]).startswith("附件4-2")]
    output = next(i for i in project_rows if rows[i - 1][1] == "1.产出指标完成情况分析")
    assert "宣传场次：年度指标值≥10场，实际完成值12场" in rows[output - 1][2]
    assert sheet.cell(output, 3).fill.fgColor.rgb.endswith("FFF2CC")
    work = next(i for i in project_rows if rows[i - 1][1] == "一、绩效自评工作开展情况")
    assert "宣传项目" in rows[work - 1][2]
    filed = next(i for i, r in enumerate(rows, start=1) if r[0] == "附件2" and r[1] == "一、预算单位基本情况")
    assert sheet.cell(filed, 3).fill.fgColor.rgb in (None, "00000000")


def test_text_that_looks_like_a_formula_stays_text(clean, tmp_path):
    clean["department_report"]["text"] = "一、预算单位基本情况\n=HYPERLINK(\"http://x\",\"点击\")\n+1\n-2\n@SUM(A1)"
    sheet = _built(clean, tmp_path / "book.xlsx")
    cell = next(c for c in sheet["C"] if c.value and str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"
    texts = read_report_sheet(_rows(sheet))
    assert "=HYPERLINK(\"http://x\",\"点击\")\n+1\n-2\n@SUM(A1)" in texts["/department_report/text"]


def test_only_content_cells_are_editable(seed, tmp_path):
    sheet = _built(seed, tmp_path / "book.xlsx")
    assert sheet.protection.sheet
    assert sheet.cell(3, 1).protection.locked and sheet.cell(3, 2).protection.locked
    assert not sheet.cell(3, 3).protection.locked


def test_cleared_report_reads_as_empty_and_unknown_rows_are_ignored():
    rows = [["说明"], list(HEADERS), ["附件2", "一、预算单位基本情况", None], ["附件2", "二、一般公共预算支出情况", "  "],
            ["备注", "随便写写", "不是报告"], ["附件4-1 培训项目", "一、绩效自评工作开展情况", "开展了自评。"]]
    texts = read_report_sheet(rows)
    assert texts["/department_report/text"] == ""
    assert texts["/projects/0/report/text"] == "项目支出绩效自评报告\n\n一、绩效自评工作开展情况\n开展了自评。"
    assert read_report_sheet([]) == {} and read_report_sheet([["无表头"]]) == {}


def test_edited_inline_sections_keep_their_label():
    rows = [list(HEADERS), ["附件4-1", "（1）经济效益", "节约资金10万元。\n第二行"]]
    text = read_report_sheet(rows)["/projects/0/report/text"]
    assert "（1）经济效益：节约资金10万元。\n第二行" in text


def test_overlong_section_is_refused_in_chinese(clean, tmp_path):
    clean["department_report"]["text"] = "一、预算单位基本情况\n" + "字" * 32768
    book = xlsxwriter.Workbook(str(tmp_path / "book.xlsx"))
    with pytest.raises(FilingError, match="超过 32767 字"):
        write_report_sheet(book, clean)
    book.close()
