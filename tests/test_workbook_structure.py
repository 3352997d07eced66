"""The master workbook's structure: sheets, protection, inputs, validations, names, print setup,
verbatim labels, cached values, and a clean OOXML package."""

from __future__ import annotations

import re
import warnings
import zipfile

import openpyxl
import pytest
from workbook_support import sheet_part

from workbook.builder import build_workbook, plan_workbook
from workbook.layouts import (
    CONF_SHEET,
    RESULTS,
    button_slots,
    department_form,
    project_form,
    sheet_order,
)
from workbook.layouts.expr import UDFS, cells_of, col_index, split_cell
from workbook.layouts.styles import CLAIM_FILL, FORMULA_FILL, INPUT_FILL
from xlfuncs.profiles import load_profile

# rules.md §4, verbatim
DEPARTMENT_LABELS = ("附件1", "部门整体支出绩效自评表", "填报单位（盖章）：", "预算部门名称", "年度预算申请（万元）",
                     "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", "年度资金总额", "按收入性质分",
                     "其中：一般公共预算", "政府性基金拨款", "纳入专户管理的非税收入拨款", "其他资金", "按支出性质分",
                     "其中：基本支出", "项目支出", "年度总体目标", "预期目标", "实际完成情况", "绩效指标", "一级指标",
                     "二级指标", "三级指标", "年度指标值", "实际完成值", "偏差原因分析及改进措施", "总分", "填报人：",
                     "联系电话：", "填报日期：", "单位负责人签字：")
PROJECT_LABELS = ("项目支出绩效自评表", "填报单位（盖章）：", "项目支出名称", "主管部门", "实施单位", "项目资金（万元）",
                  "年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金", "年度总体目标", "预期目标",
                  "实际完成情况", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                  "偏差原因分析及改进措施", "总分", "填报人：", "联系电话：", "填报日期：", "单位负责人签字：")


@pytest.fixture(scope="module")
def seed_path(tmp_path_factory, seed_data):
    return build_workbook(seed_data, tmp_path_factory.mktemp("structure") / "seed.xlsx")


@pytest.fixture(scope="module")
def book(seed_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(seed_path)


@pytest.fixture(scope="module")
def values_path(tmp_path_factory, seed_data):
    return build_workbook(seed_data, tmp_path_factory.mktemp("values") / "tables.xlsx", values_only=True)


def _texts(sheet) -> set[str]:
    """Every text of a sheet; a line break inside a label is layout (“项目资金\n（万元）”)."""
    return {c.value.replace("\n", "") for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}


def test_sheet_names_and_order(book):
    assert book.sheetnames == sheet_order(5)
    assert book.sheetnames[:3] == ["使用说明", "附件1", "附件3-1"]
    assert book.sheetnames[-4:] == ["项目汇总", "自评报告", "校验结果", "xlwings.conf"]


def test_labels_of_rules_md_section_4_are_verbatim(book):
    assert set(DEPARTMENT_LABELS) <= _texts(book["附件1"])
    for n in range(1, 6):
        assert set(PROJECT_LABELS) | {f"附件3-{n}"} <= _texts(book[f"附件3-{n}"])
    assert book["附件1"]["A3"].value == 2022 and book["附件1"]["A3"].number_format == '"（"0"年度）"'


def test_merged_cells_and_fonts(book):
    sheet = book["附件1"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A2:I2", "A6:A12", "B7:C7", "B14:E14", "F14:I14", "A32:F32"} <= merged
    assert sheet["A2"].font.name == "宋体" and sheet["A2"].font.b
    assert sheet["D7"].font.name == "仿宋"
    assert sheet["D6"].border.left.style == "thin" and sheet["H16"].border.bottom.style == "thin"
    assert sheet.column_dimensions["D"].width == pytest.approx(18, abs=1)


def test_protection_inputs_unlocked_formulas_locked(book):
    for name in ["使用说明", "附件1", "附件3-1", "附件3-5", "项目汇总"]:
        assert book[name].protection.sheet, name
        assert not book[name].protection.password, name
    sheet = book["附件3-1"]
    for cell in ("B5", "D8", "E8", "F8", "G8", "D9", "H9", "B15", "E15", "G15", "I15", "K15", "L15", "G31", "M9"):
        assert sheet[cell].protection.locked is False, cell
        assert sheet[cell].fill.fgColor.rgb.endswith(INPUT_FILL.lstrip("#")), cell
    for cell in ("H8", "I8", "H15", "H25", "M15", "N15", "M31", "M32", "A3", "C4"):
        assert sheet[cell].protection.locked is not False, cell
        assert sheet[cell].data_type == "f", cell
    assert sheet["H31"].data_type == "n" and sheet["H31"].value == 100  # the filed total (computed: 110)
    assert sheet["H8"].fill.fgColor.rgb.endswith(FORMULA_FILL.lstrip("#"))
    claim = book["附件3-3"]["H8"]  # the filed 100 % that the rules do not give
    assert claim.data_type == "n" and claim.protection.locked is False
    assert claim.fill.fgColor.rgb.endswith(CLAIM_FILL.lstrip("#"))
    assert "导入的原填报值：100%" in claim.comment.text and "=IF(COUNTA(D8:F8)" in claim.comment.text




def _udfs_in(text: str) -> set[str]:
    return set(re.findall(r"([A-Z_]+)\(", text)) & set(UDFS)


def test_arithmetic_is_native_and_udfs_are_guarded(book, tmp_path):
    sheet = book["附件3-2"]
    blank = openpyxl.load_workbook(build_workbook(None, tmp_path / "blank.xlsx"))
    # 执行率, 预算执行得分, 总分, 等级: plain formulas, no perfeval function
    for cell in ("H8", "I8", "M8", "H30", "M30"):
        value = blank["附件3-1"][cell].value
        assert value.startswith("=IF(COUNTA(") and not _udfs_in(value), cell
    assert sheet["H8"].value == ('=IF(COUNTA(D8:F8)=0,"",IF(ISNUMBER(F8),IF(ISNUMBER(E8),IF(E8>0,IF(F8>=0,F8/E8,'
                                 '#VALUE!),#DIV/0!),#VALUE!),#VALUE!))')
    assert "ROUND(G8*MIN(" in sheet["I8"].value and ",1),2)" in sheet["I8"].value
    assert '"优"' in sheet["M31"].value and '"无等级：分值合计不等于100"' in sheet["M31"].value
    assert sheet["H31"].value == 100  # 3-2 filed 100 where the rules give 110: kept as the unit's claim
    # indicator scores, explanations and heading checks: UDFs, showing 待计算 while not loaded
    assert sheet["H17"].value == '=IF(COUNTA(B17:G17,I17)=0,0,IF(M5=1,PERF_SCORE(E17,F17,G17,K17,L17,D17,"",C17),"待计算"))'
    assert sheet["M15"].value == \
        '=IF(COUNTA(B15:G15,I15)=0,"",IF(M5=1,PERF_EXPLAIN(E15,F15,G15,K15,L15,D15,"",C15),"待计算"))'
    assert 'IF(M5=1,CHECK_HEADING(' in sheet["M33"].value
    assert sheet["M5"].value == "=IF(AND(ISNUMBER(PERF_SCORE(1,1,1)),COUNTA(B15:G30,I15:L30)>=0),1,0)"
    assert 'IF(M5=1,' in blank["附件3-1"]["H30"].value and '"待计算"' in blank["附件3-1"]["H30"].value
    # the cross-sheet checks are native too
    assert "'项目汇总'!E4:E8" in book["附件1"]["M12"].value and not _udfs_in(book["附件1"]["M12"].value)
    assert not _udfs_in(book["项目汇总"]["G12"].value) and '"✓"' in book["项目汇总"]["G12"].value
    assert book["项目汇总"]["E4"].value == "=IF('附件3-1'!E8=\"\",\"\",'附件3-1'!E8)"
    assert blank["附件3-1"]["H30"].value.startswith('=IF(COUNTA(D8:F8,B15:G29,I15:I29)=0,"",IF(M5=1,')
    called = set()
    for name in blank.sheetnames:
        for row in blank[name].iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    called |= _udfs_in(cell.value)
                    if "PERF_SCORE(E" in cell.value or "PERF_EXPLAIN(" in cell.value or "CHECK_HEADING(" in cell.value:
                        assert "=1," in cell.value and '"待计算"' in cell.value, (name, cell.coordinate)
    assert called == {"PERF_SCORE", "PERF_EXPLAIN", "CHECK_HEADING"}


def test_udf_names_match_the_udf_module():
    from xlfuncs import udfs

    assert set(UDFS) == set(udfs.UDF_NAMES)


def test_data_validations(book):
    sheet = book["附件3-1"]
    rules = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    amount = rules["D8:F11"]
    assert (amount.type, amount.operator, amount.formula1) == ("decimal", "greaterThanOrEqual", "0")
    points = rules["G15:G30"]
    assert (points.type, points.formula1, points.formula2) == ("decimal", "0", "100")
    bands = [b.label for b in load_profile("default").bands]
    assert rules["L15:L30"].type == "list" and all(b in rules["L15:L30"].formula1 for b in bands)
    assert rules["K15:K30"].type == "list" and "反向" in rules["K15:K30"].formula1
    assert rules["B15:B30"].type == "list" and "产出指标（50分）" in rules["B15:B30"].formula1
    assert rules["C15:C30"].type == "list" and "服务对象满意度指标" in rules["C15:C30"].formula1
    assert rules["G9"].type == "custom" and rules["I11"].type == "custom"
    assert rules["H10"].type == "custom" and "—" in rules["H10"].formula1
    department = {str(dv.sqref) for dv in book["附件1"].data_validations.dataValidation}
    assert {"D7:F7", "D9:E12", "H9:I10"} <= department


def test_named_ranges(book):
    names = {name: value.attr_text for name, value in book.defined_names.items()}
    assert names["填报年度"] == "'附件1'!$A$3"
    assert names["部门_全年预算数"] == "'附件1'!$E$7"
    assert names["部门_项目支出"] == "'附件1'!$H$10"
    assert names["部门_总分"] == "'附件1'!$H$32"
    assert names["项目3_执行率"] == "'附件3-3'!$H$8"
    assert names["项目5_总分"] == "'附件3-5'!$H$31"
    assert names["规则配置"].startswith("'使用说明'!$C$")
    assert book["附件1"].print_area == "'附件1'!$A$1:$I$33"


def test_print_setup(book):
    for name, footer, header in (("附件1", 33, 15), ("附件3-1", 32, 14)):
        sheet = book[name]
        assert sheet.page_setup.paperSize == 9 and sheet.page_setup.orientation == "portrait"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0  # 1 is the default
        assert sheet.print_area == f"'{name}'!$A$1:$I${footer}"
        assert sheet.print_title_rows == f"${header}:${header}"
        assert sheet.print_options.horizontalCentered


def test_no_forced_recalculation_and_cached_values(seed_path):
    with zipfile.ZipFile(seed_path) as archive:
        workbook_xml = archive.read("xl/workbook.xml").decode()
        assert "fullCalcOnLoad" not in workbook_xml and 'calcId="191029"' in workbook_xml
        xml = archive.read(sheet_part(seed_path, "附件3-3")).decode()
    cells = re.findall(r'<c r="([A-Z]+\d+)"[^>]*?(?: t="(\w+)")?><f>[^<]*</f><v>([^<]*)</v></c>', xml)
    values = {ref: (kind, value) for ref, kind, value in cells}
    assert len(values) == len(re.findall(r"<f>", xml))  # every formula cell has a cached value
    assert values["I8"][0] == "" and float(values["I8"][1]) == 10  # budget score
    assert float(values["M5"][1]) == 1  # the probe: perfeval's functions answered
    assert float(values["M8"][1]) == pytest.approx(523.12 / 31.6)  # the rate against 年初
    assert values["M15"][0] == "str" and "目标式表述" in values["M15"][1]  # “小于2%” is no observation
    assert values["H25"] == ("", "0")  # an unused row
    assert values["M25"] == ("str", "")


def test_cached_values_equal_the_engine(seed_path, seed_data):
    from xlfuncs.engine import score_filing

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cached = openpyxl.load_workbook(seed_path, data_only=True)
    scores = score_filing(seed_data)
    for n, table in enumerate(scores[1:], start=1):
        sheet = cached[f"附件3-{n}"]
        assert sheet["I8"].value == pytest.approx(table.budget.score)
        assert sheet["M8"].value == pytest.approx(table.budget.rate_initial or table.budget.rate)
        for i, result in enumerate(table.indicators):
            if result.score is not None and sheet[f"H{15 + i}"].comment is None:
                assert sheet[f"H{15 + i}"].value == pytest.approx(result.score)
    assert cached["项目汇总"]["F9"].value == pytest.approx(1780.94)


def test_openxml_schema_validation(seed_path, values_path, tmp_path):
    audit = pytest.importorskip("openxml_audit", reason="openxml-audit 未安装")
    blank = build_workbook(None, tmp_path / "blank.xlsx", projects=2)
    hubei = build_workbook(None, tmp_path / "hubei.xlsx", profile="hubei")
    for path in (seed_path, values_path, blank, hubei):
        result = audit.OpenXmlValidator().validate(str(path))
        assert result.is_valid, (path.name, [str(e) for e in result.errors[:5]])
        assert not result.errors


def test_values_only_tables(values_path, seed_data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = openpyxl.load_workbook(values_path)
    assert tables.sheetnames == ["附件1"] + [f"附件3-{n}" for n in range(1, 6)]
    assert set(tables.defined_names) == set()
    for sheet in tables.worksheets:
        assert not sheet.data_validations.dataValidation
        assert sheet.max_column <= col_index("I") + 1
        assert sheet.print_area.endswith(f"$I${sheet.max_row}")
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f" and cell.comment is None
    project3 = tables["附件3-3"]
    assert project3["H8"].value == 1 and project3["I8"].value == 10 and project3["A3"].value == 2022
    assert project3["C4"].value == "株洲市渌口区机关事务服务中心"
    assert project3["H16"].value == "#VALUE!" or project3["H16"].value == 10
    assert "B15:B19" in {str(r) for r in project3.merged_cells.ranges}  # 产出指标 merged as printed
    with zipfile.ZipFile(values_path) as archive:
        names = archive.namelist()
        assert not any("comments" in n or n.endswith(".bin") for n in names)
        core = archive.read("docProps/core.xml").decode()
        app = archive.read("docProps/app.xml").decode()
    assert "<dc:title>2022年度预算绩效自评表</dc:title>" in core and "creator" not in core
    assert "<Company>株洲市渌口区机关事务服务中心</Company>" in app and "Application" not in app


def test_conf_sheet(book):
    sheet = book[CONF_SHEET]
    keys = [sheet[f"A{r}"].value for r in range(1, 6)]
    assert keys[:4] == ["Interpreter_Win", "UDF Modules", "ADD_WORKBOOK_TO_PYTHONPATH", "Show Console"]
    assert keys[4] is None  # keys from A1 without gaps, then nothing
    assert sheet["B2"].value == "xlfuncs.udfs"
    assert sheet["B1"].value == r"%LOCALAPPDATA%\perfeval\.venv\Scripts\pythonw.exe"
    assert sheet["C1"].value is None  # guidance stays out of A1's current region


def test_results_sheet_matches_its_layout(book):
    sheet = book[RESULTS.sheet]
    assert [sheet[f"{letter}{RESULTS.header_row}"].value for _, letter, _ in RESULTS.columns] == \
        ["序号", "级别", "规则", "表", "单元格", "说明", "应为", "实为"]
    assert RESULTS.column("单元格") == "E" and RESULTS.first_row == RESULTS.header_row + 1
    assert sheet.max_row == RESULTS.header_row
    assert not sheet.protection.sheet  # the 校验 button writes here


def test_button_slots_are_outside_the_print_area():
    for name in ("使用说明", "附件1", "附件3-7"):
        slots = button_slots(name)
        assert [s.macro for s in slots] == ["Validate", "ExportPackage", "AddProject"]
        assert [s.caption for s in slots] == ["校验", "导出", "新增项目"]
        for slot in slots:
            column = split_cell(slot.cell)[0]
            assert col_index(column) > col_index("I" if name != "使用说明" else "C"), slot
            assert slot.width > 0 and slot.height > 0 and slot.x_offset >= 0 and slot.y_offset >= 0
    assert button_slots("校验结果") == []


def test_every_address_is_written_once():
    for form in (department_form(16, 5, summary_rows=(4, 8)), project_form(2, 16)):
        taken: dict[str, str] = {}
        items = [(s.ref, "static") for s in form.statics] + [(f.ref, f.pointer) for f in form.all_fields()] + \
            [(c.ref, c.role) for c in form.all_calcs()]
        for ref, what in items:
            for row in cells_of(ref):
                for cell in row:
                    assert cell not in taken, f"{form.sheet}!{cell}: {taken.get(cell)} and {what}"
                    taken[cell] = what
        pointers = [f.pointer for f in form.all_fields()]
        assert len(pointers) == len(set(pointers))


def test_fifty_projects(tmp_path):
    plan = plan_workbook(None, projects=50)
    assert len(plan.forms) == 51
    path = build_workbook(None, tmp_path / "50.xlsx", projects=50)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        names = openpyxl.load_workbook(path, read_only=True).sheetnames
    assert names[-5] == "附件3-50" and len(names) == 56


def test_signature_line_is_filled_once_and_shown_on_every_form(seed, tmp_path):
    seed["signoff"] = {"preparer": "张三", "phone": "0731-1234567", "date": "2023-03-01", "head": "李四"}
    master = openpyxl.load_workbook(build_workbook(seed, tmp_path / "m.xlsx"))
    assert master["附件1"]["B33"].value == "张三"
    assert master["附件3-2"]["B32"].value == "=IF('附件1'!B33=\"\",\"\",'附件1'!B33)"
    assert master["附件3-2"]["I32"].value == "=IF('附件1'!I33=\"\",\"\",'附件1'!I33)"
    tables = openpyxl.load_workbook(build_workbook(seed, tmp_path / "v.xlsx", values_only=True))
    for sheet in tables.worksheets:
        row = next(r for r in sheet.iter_rows() if r[0].value == "填报人：")
        assert [c.value for c in row if c.value is not None] == \
            ["填报人：", "张三", "联系电话：", "0731-1234567", "填报日期：", "2023-03-01", "单位负责人签字：", "李四"]


def test_values_only_without_projects_has_only_the_department_table(corrected, tmp_path):
    corrected["projects"] = []
    path = build_workbook(corrected, tmp_path / "v.xlsx", values_only=True)
    assert openpyxl.load_workbook(path, read_only=True).sheetnames == ["附件1"]


def test_formulas_use_only_classic_functions(book):
    """Every function a formula calls exists in Excel 2007, WPS, LibreOffice and gnumeric (no _xlfn.
    prefix is needed, which is why the writer skips XlsxWriter's future-function pass)."""
    classic = {"IF", "AND", "OR", "NOT", "ISNUMBER", "ISTEXT", "ISERROR", "SUM", "MIN", "MAX", "ABS", "ROUND",
               "COUNT", "COUNTA", "COUNTIF", "SUMIF", "INDEX", "MATCH", "SEARCH"}
    used = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    used |= set(re.findall(r"([A-Z][A-Z0-9_.]*)\(", re.sub(r'"[^"]*"', "", cell.value)))
    assert used - set(UDFS) <= classic, used - set(UDFS) - classic
    assert "_xlfn" not in str(used)


def test_summary_marks_rates_that_fail_the_checks(book):
    """项目汇总: red when the rate is not 执行数 ÷ 预算数 (a filed claim), yellow below the low-rate line."""
    rules = {str(r.sqref): [c.formula[0] for c in r.rules] for r in book["项目汇总"].conditional_formatting}
    rates = [f for ref, formulas in rules.items() if ref.startswith("G4:") for f in formulas]
    assert any("ABS(G4-F4/E4)>0.005" in f for f in rates) and any("G4<0.899999999999" in f for f in rates)
