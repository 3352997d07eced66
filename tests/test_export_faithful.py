"""Issue 11: the package is the unit's own filing.

On the seed, the corrected seed and filings made from them (a warning-only filing, a unit's
own deduction, a project-only filing, a 元 filing, a blank the forms need): the tables and
reports carry the filed values; differences from the rules are findings in the 校验报告; no
tool text in any official file; every number a report prints is in the tables.
"""

from __future__ import annotations

import json

import openpyxl
import pytest
from package_support import (
    assert_no_tool_text,
    docx_cells,
    docx_paragraphs,
    export_filing,
    numbers_in,
    sheet_numbers,
)

import xlfuncs.data
from macros.export import ExportRefused, export_package
from workbook.builder import build_workbook
from xlfuncs.outlines import DEPARTMENT_OUTLINE, PROJECT_OUTLINE

SEED_PATH = xlfuncs.data.__file__.rsplit("/", 1)[0] + "/lukou-2022.json"


# ------------------------------------------------------------------ filings made from the seeds


def warning_only(corrected: dict) -> dict:
    """The corrected seed with an actual written like a target (E1: cannot be judged; a warning)."""
    corrected["department"]["indicators"][1]["actual"] = "大于14000次"
    return corrected


def own_deduction(corrected: dict) -> dict:
    """The unit took a point off a qualitative row itself: 4 of 5, 总分 99 (D3 warning only)."""
    corrected["department"]["indicators"][7]["score"] = "4"
    corrected["department"]["total"]["score"] = "99"
    return corrected


def project_only(corrected: dict) -> dict:
    """Only 附件3 tables were filed (filing-format: an unfiled department)."""
    corrected["department"] = {"name": "", "funds": {}, "indicators": [], "filed": False}
    corrected.pop("department_report", None)
    return corrected


def in_yuan(corrected: dict) -> dict:
    """The same filing with every amount in 元 and ``money_unit`` 元."""
    def scale(row: dict) -> None:
        for key in ("initial", "full_year", "executed"):
            if row.get(key) not in (None, ""):
                row[key] = f"{float(str(row[key]).strip('　 ')) * 10000:.0f}"
    corrected["money_unit"] = "元"
    scale(corrected["department"]["funds"]["total"])
    for group in ("by_income", "by_expense"):
        values = corrected["department"]["funds"][group]
        for key, value in values.items():
            if value not in (None, ""):
                values[key] = f"{float(str(value).strip('　 ')) * 10000:.0f}"
    for project in corrected["projects"]:
        for row in project["funds"].values():
            scale(row)
    return corrected


def without_reports(filing: dict) -> dict:
    """Every report section left to drafts."""
    filing.get("department_report", {})["text"] = ""
    for project in filing["projects"]:
        project.setdefault("report", {})["text"] = ""
    return filing


@pytest.fixture(scope="module")
def packages(tmp_path_factory, seed_data, corrected_data):
    """Each filing's package (forced where the engine still reports errors)."""
    import copy

    made = {}
    cases = {
        "seed": (seed_data, True),
        "corrected": (corrected_data, False),
        "warning_only": (warning_only(copy.deepcopy(corrected_data)), False),
        "own_deduction": (own_deduction(copy.deepcopy(corrected_data)), False),
        "project_only": (project_only(copy.deepcopy(corrected_data)), True),
        "in_yuan": (in_yuan(copy.deepcopy(corrected_data)), True),
        "drafts": (without_reports(copy.deepcopy(corrected_data)), False),
    }
    for name, (filing, force) in cases.items():
        made[name] = export_filing(copy.deepcopy(filing), tmp_path_factory.mktemp(name), force=force)
    return made


# ------------------------------------------------------------------ filed values, never rules' values


def _cell(ws, label: str, column: str):
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.strip() == label:
                return ws[f"{column}{cell.row}"].value
    raise AssertionError(label)


def test_a_unit_s_own_deduction_is_kept_in_tables_and_reports(packages):
    result = packages["own_deduction"]
    assert not result.forced and result.errors == 0
    book = openpyxl.load_workbook(result.folder / "绩效自评表.xlsx")
    ws = book["附件1"]
    row = next(c.row for c in ws["D"] if c.value == "维护社会和谐稳定")
    assert ws[f"H{row}"].value == 4 and _cell(ws, "总分", "H") == 99
    table = docx_cells(result.folder / "附件2 部门整体支出绩效自评报告.docx")[-1]
    assert next(r for r in table if r[2] == "维护社会和谐稳定")[5:] == ["5", "4"]
    assert table[-1][5:] == ["100", "99"]
    report = (result.folder / "校验报告.txt").read_text(encoding="utf-8-sig")
    # a row met in its own words, scored inside the 达成 band: the engine says so as a hint (issue 8)
    assert "[提示 D3] 附件1 第8行指标“维护社会和谐稳定” 得分填报 4，按规则应为 5" in report


def test_a_warning_only_filing_exports_its_filed_scores(packages):
    result = packages["warning_only"]
    assert not result.forced and result.errors == 0
    ws = openpyxl.load_workbook(result.folder / "绩效自评表.xlsx")["附件1"]
    row = next(c.row for c in ws["D"] if c.value == "出车次数")
    assert ws[f"F{row}"].value == "大于14000次" and ws[f"H{row}"].value == 10 and _cell(ws, "总分", "H") == 100
    assert "[警告 E1] 附件1 第2行指标“出车次数”" in (result.folder / "校验报告.txt").read_text(encoding="utf-8-sig")


def test_the_seed_tables_keep_every_filed_figure(packages, seed_data):
    result = packages["seed"]
    book = openpyxl.load_workbook(result.folder / "绩效自评表.xlsx")
    green = book["附件3-3"]
    assert [green[f"{c}8"].value for c in "DEFGHI"] == [31.6, 31.6, 523.12, 10, 1.0, 10]
    assert [green[f"{c}9"].value for c in "DEFGHI"] == [31.6, 31.6, 523.12, 10, 1.0, 10]  # the 其中 row (A5)
    funds = docx_cells(result.folder / "附件4-3 区委区政府大院及武装部营院绿化费 项目支出绩效自评报告.docx")[0]
    assert funds[2] == ["其中：当年财政拨款", "31.60", "31.60", "523.12", "10", "100.0%", "10"]
    for ws in book:
        assert _cell(ws, "总分", "G") == 100 and _cell(ws, "总分", "H") == 100  # 分值 as filed, not the sum 110
    for path in result.folder.glob("*.docx"):
        assert docx_cells(path)[-1][-1][5:] == ["100", "100"], path.name


def test_a_forced_package_says_so_only_in_its_check_report_and_manifest(packages):
    result = packages["seed"]
    assert result.forced and result.manifest["forced"] is True and result.manifest["error_count"] == 21
    assert (result.folder / "校验报告.txt").read_text(encoding="utf-8-sig").startswith("强制导出：仍有 21 个错误")


def test_a_blank_the_forms_need_is_an_error_and_stays_blank_when_forced(tmp_path, corrected):
    corrected["department"]["total"]["score"] = None
    corrected["projects"][1]["funds"]["total"]["rate"] = ""
    with pytest.raises(ExportRefused) as refused:
        export_filing(corrected, tmp_path)
    x1 = [(f.pointer, f.severity) for f in refused.value.findings if f.rule == "X1"]
    assert x1 == [("/department/total/score", "error"), ("/projects/1/funds/total/rate", "error")]
    assert not (tmp_path / "out").exists()
    result = export_filing(corrected, tmp_path, force=True)
    book = openpyxl.load_workbook(result.folder / "绩效自评表.xlsx")
    assert _cell(book["附件1"], "总分", "H") is None and book["附件3-2"]["H8"].value is None
    report = (result.folder / "校验报告.txt").read_text(encoding="utf-8-sig")
    assert "[错误 X1] 附件1 总分 得分为空" in report


def test_a_project_only_filing_exports_only_its_project_tables_and_reports(packages):
    result = packages["project_only"]
    names = sorted(p.name for p in result.folder.iterdir())
    assert not [n for n in names if n.startswith(("附件1", "附件2"))]
    assert len([n for n in names if n.startswith("附件4-")]) == 5
    book = openpyxl.load_workbook(result.folder / "绩效自评表.xlsx")
    assert book.sheetnames == [f"附件3-{i}" for i in range(1, 6)]
    assert book["附件3-1"]["C4"].value == "株洲市渌口区机关事务服务中心"  # the unit, from the filing
    assert result.manifest["tables"] == book.sheetnames


def test_a_yuan_filing_is_exported_in_yuan(packages):
    result = packages["in_yuan"]
    book = openpyxl.load_workbook(result.folder / "绩效自评表.xlsx")
    department = book["附件1"]
    assert [department[f"{c}7"].value for c in "DEF"] == [24141600, 26621800, 26621800]
    assert department["A6"].value == "年度预算申请\n（元）" and book["附件3-1"]["A7"].value == "项目资金\n（元）"
    assert book["附件3-3"]["F8"].value == 316000 and book["附件3-2"]["F8"].value == 5231200
    paragraphs = docx_paragraphs(result.folder / "附件2 部门整体支出绩效自评报告.docx")
    captions = [text for style, text in paragraphs if style == "Table Caption"]
    assert captions[0] == "表1 部门整体支出资金情况（单位：元）" and "万元" not in " ".join(captions)
    funds = docx_cells(result.folder / "附件2 部门整体支出绩效自评报告.docx")[0]
    assert funds[1][:4] == ["年度资金总额", "24141600.00", "26621800.00", "26621800.00"]


def test_a_table_level_money_unit_overrides_the_filing_s(tmp_path, corrected):
    corrected["money_unit"] = "元"
    corrected["projects"][0]["money_unit"] = "万元"
    result = export_filing(corrected, tmp_path, force=True)
    book = openpyxl.load_workbook(result.folder / "绩效自评表.xlsx")
    assert book["附件3-1"]["A7"].value == "项目资金\n（万元）" and book["附件3-2"]["A7"].value == "项目资金\n（元）"


# ------------------------------------------------------------------ no tool text


@pytest.mark.parametrize("case", ["seed", "corrected", "warning_only", "own_deduction", "project_only", "in_yuan",
                                  "drafts"])
def test_no_tool_text_in_any_official_file(packages, case):
    assert_no_tool_text(packages[case])


# ------------------------------------------------------------------ one source of figures


def _report_sheet(label: str) -> str:
    return "附件1" if label == "附件2" else label.replace("附件4-", "附件3-")


@pytest.mark.parametrize("case", ["seed", "corrected", "own_deduction", "in_yuan", "project_only", "drafts"])
def test_every_number_in_a_report_table_is_in_its_table(packages, case):
    result = packages[case]
    numbers = sheet_numbers(result.folder / "绩效自评表.xlsx")
    for path in result.folder.glob("*.docx"):
        sheet = _report_sheet(path.name.split(" ")[0])
        for table in docx_cells(path):
            for row in table[1:]:
                for text in row:
                    missing = [n for n in numbers_in(text) if n not in numbers[sheet]]
                    assert not missing, (case, path.name, text, missing)


def test_every_number_in_drafted_text_is_in_the_tables(packages):
    """With no report text filed, every sentence is drafted: each number it quotes is a table's."""
    result = packages["drafts"]
    numbers = sheet_numbers(result.folder / "绩效自评表.xlsx")
    every = set().union(*numbers.values())
    headings = {s.heading for s in (*DEPARTMENT_OUTLINE.sections, *PROJECT_OUTLINE.sections)}
    checked = 0
    for path in result.folder.glob("*.docx"):
        label = path.name.split(" ")[0]
        allowed = every if label == "附件2" else numbers[_report_sheet(label)]
        for style, text in docx_paragraphs(path):
            if style.startswith("Heading") or style in ("Attachment Label", "Report Title", "Table Caption") \
                    or text in headings:
                continue
            for heading in headings:
                text = text.removeprefix(heading + "：")
            missing = [n for n in numbers_in(text) if n not in allowed]
            assert not missing, (path.name, text, missing)
            checked += len(numbers_in(text))
    assert checked > 100


def test_tables_and_reports_come_from_a_workbook_s_cells(tmp_path, corrected):
    """From a master workbook the package carries what its cells show: the unit's 4 and 99 stay."""
    book_path = build_workbook(own_deduction(corrected), tmp_path / "主表.xlsx")
    result = export_package(book_path, tmp_path / "out", pdf=False)
    ws = openpyxl.load_workbook(result.folder / "绩效自评表.xlsx")["附件1"]
    row = next(c.row for c in ws["D"] if c.value == "维护社会和谐稳定")
    assert ws[f"H{row}"].value == 4 and _cell(ws, "总分", "H") == 99
    table = docx_cells(result.folder / "附件2 部门整体支出绩效自评报告.docx")[-1]
    assert table[-1][5:] == ["100", "99"]
    assert json.loads((result.folder / "manifest.json").read_text(encoding="utf-8"))["source"]["kind"] == "workbook"


def test_the_seed_json_exports_the_same_tables_as_its_workbook(tmp_path, seed):
    """Both doors give the same official values (the workbook keeps filed results as its cells' values)."""
    from_json = export_package(SEED_PATH, tmp_path / "json", force=True, pdf=False)
    book_path = build_workbook(seed, tmp_path / "主表.xlsx")
    from_book = export_package(book_path, tmp_path / "book", force=True, pdf=False)
    a = openpyxl.load_workbook(from_json.folder / "绩效自评表.xlsx")
    b = openpyxl.load_workbook(from_book.folder / "绩效自评表.xlsx")
    for ws in a:
        values_a = [[c.value for c in row] for row in ws.iter_rows(max_col=9)]
        values_b = [[c.value for c in row] for row in b[ws.title].iter_rows(max_col=9)]
        assert values_a == values_b, ws.title


@pytest.mark.parametrize("department", [None, "absent", {"name": "", "funds": {}, "indicators": [], "filed": False}])
def test_every_unfiled_department_form_gives_no_attachment_1_or_2(corrected, department):
    """filing-format: a department absent, null or ``"filed": false`` is no 附件1 (the package side,
    independent of how the engine evaluates such a filing)."""
    from macros.package_checks import package_findings
    from macros.package_tables import table_sheets, tables_bytes
    from xlfuncs.reports import report_contents

    if department == "absent":
        corrected.pop("department")
    else:
        corrected["department"] = department
    corrected.pop("department_report")
    assert table_sheets(corrected) == [f"附件3-{i}" for i in range(1, 6)]
    assert [c.label for c in report_contents(corrected)] == [f"附件4-{i}" for i in range(1, 6)]
    assert not [f for f in package_findings(corrected) if f.table == "附件1"]
    import io

    book = openpyxl.load_workbook(io.BytesIO(tables_bytes(corrected, "default", "t", "u")))
    assert book.sheetnames == table_sheets(corrected) and book["附件3-2"]["F8"].value == 523.12


@pytest.mark.parametrize(("raw", "unit", "expected"), [
    ("400", "万元", 400.0), ("523.12万", "元", 5231200.0), ("5231200元", "万元", 523.12),
    ("5亿", "元", 500000000.0), ("5亿", "万元", 50000.0), ("—", "元", None), ("一百", "万元", None),
])
def test_official_amounts_are_converted_as_the_checks_read_them(raw, unit, expected):
    """The package prints an amount in its table's unit exactly as the engine reads it."""
    from xlfuncs.official import amount
    from xlfuncs.values import parse_amount

    assert amount(raw, unit) == expected
    parsed = parse_amount(raw, unit)
    assert (parsed.value if parsed.ok else None) == expected
