"""The desktop workbook's VBA project, made on Linux and read back by independent tools.

olevba (oletools) and pyOpenVBA read every module back; LibreOffice must load them; the
helper functions of the UDF module run in pyOpenVBA's VBA interpreter. Excel itself is not
available here: docs/windows-smoke-test.md is the check a person with Excel runs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlwings
from workbook_fixtures import plain_workbook, sheet_names  # noqa: F401 - fixtures

from workbook import vba
from workbook.layouts import button_slots

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# oletools still uses pyparsing's old camelCase names
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:oletools.olevba")


def strip_header(source: str) -> str:
    """Module source without the ``Attribute VB_*`` lines a VBA stream starts with."""
    lines = source.split("\r\n")
    while lines and lines[0].startswith("Attribute VB_"):
        lines.pop(0)
    return "\r\n".join(lines)


@pytest.fixture(scope="module")
def desktop(tmp_path_factory, plain_workbook):  # noqa: F811
    out = tmp_path_factory.mktemp("desktop") / "主工作簿.xlsm"
    return vba.make_desktop_workbook(plain_workbook, out)


def olevba_modules(path: Path) -> dict[str, str]:
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(path))
    try:
        return {name.rsplit(".", 1)[0]: code for (_, _, name, code) in parser.extract_macros()}
    finally:
        parser.close()


def test_xlwings_module_is_the_installed_one_at_the_pinned_version(desktop):
    installed = vba.installed_xlwings_bas().read_bytes().decode("ascii")
    read_back = olevba_modules(desktop)["xlwings"]
    assert read_back == installed  # byte for byte, the Attribute VB_Name line included
    assert vba.bas_version(read_back) == xlwings.__version__ == "0.37.8"
    assert f'"xlwings64-{xlwings.__version__}.dll"' in read_back


def test_olevba_and_pyopenvba_read_back_every_module_identical(desktop):
    from pyopenvba import ExcelFile

    generated = vba.vba_modules()
    by_olevba = olevba_modules(desktop)
    with ExcelFile(desktop) as book:
        assert book.validate() == []
        names = book.module_names()
        by_pyopenvba = {name: book.get_module(name) for name in names}
    for name, source in generated.items():
        assert strip_header(by_olevba[name]) == source, name
        assert strip_header(by_pyopenvba[name]) == source, name
    assert strip_header(by_olevba["ThisWorkbook"]) == vba.THIS_WORKBOOK_BODY
    assert "ThisWorkbook" in names and all(n in names for n in generated)


def test_generated_vba_is_ascii_with_crlf_and_no_name_attribute():
    for name, source in vba.vba_modules().items():
        assert source.isascii(), name
        assert "\n" not in source.replace("\r\n", ""), name
        assert not source.startswith("Attribute VB_Name"), name


def test_udf_wrappers_match_the_python_signatures():
    from xlfuncs import udfs

    source = vba.udf_module_source()
    for spec in vba.udf_specs():
        match = re.search(rf"^Function {spec.name}\((.*)\)\r$", source, re.M)
        assert match, spec.name
        params = [p.strip() for p in match.group(1).split(",")]
        assert len(params) == len(spec.args) == len(spec.optional)
        for param, optional in zip(params, spec.optional, strict=True):
            assert param.startswith("Optional ") == optional
        call = f'XLPy.CallUDF("xlfuncs.udfs", "{spec.name}", Array('
        assert source.count(call) == 2, spec.name  # Excel branch and the #Else branch
    assert [s.name for s in vba.udf_specs()] == list(udfs.UDF_NAMES)
    assert "indicator_name" in source  # `name` is a VBA statement: the wrapper renames it


def test_button_macros_name_existing_subs(desktop):
    subs = set(vba.declared_subs(strip_header(olevba_modules(desktop)["Buttons"])))
    assert subs == set(vba.BUTTON_COMMANDS)
    macros = []
    with zipfile.ZipFile(desktop) as archive:
        for name in archive.namelist():
            if name.startswith("xl/drawings/vmlDrawing"):
                macros += re.findall(r"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>", archive.read(name).decode())
            if re.match(r"xl/worksheets/sheet\d+\.xml$", name):
                macros += re.findall(r'macro="\[0\]!(\w+)"', archive.read(name).decode())
    slots = [slot for name in sheet_names(desktop) for slot in button_slots(name)]
    assert len(slots) >= 3 * 7  # 使用说明, 附件1 and five 附件3 sheets of the seed
    assert desktop_buttons_count(desktop) == len(slots)
    assert sorted(macros) == sorted(2 * [slot.macro for slot in slots])  # VML and the sheet's controls
    assert set(macros) <= subs
    for sub in subs:
        assert f'RunPython "{vba.BUTTON_COMMANDS[sub]}"' in vba.buttons_module_source()


def desktop_buttons_count(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        return sum(archive.read(n).decode().count("<x:FmlaMacro>") for n in archive.namelist()
                   if n.startswith("xl/drawings/vmlDrawing"))


def test_conf_sheet_has_the_udf_module_and_interpreter(desktop):
    book = openpyxl.load_workbook(desktop)
    sheet = book[vba.CONF_SHEET]
    keys = []
    row = 1
    while sheet.cell(row, 1).value:
        keys.append((sheet.cell(row, 1).value, sheet.cell(row, 2).value))
        row += 1
    conf = {k.upper(): v for k, v in keys}
    assert conf["UDF MODULES"] == "xlfuncs.udfs"
    assert conf["INTERPRETER_WIN"].endswith(r"\Scripts\pythonw.exe")
    assert conf["ADD_WORKBOOK_TO_PYTHONPATH"] == "False"
    # nothing below the key block in column A (GetConfigFromSheet reads A1 down to the first gap)
    assert all(sheet.cell(r, 1).value is None for r in range(row, sheet.max_row + 1))


def test_every_other_part_keeps_its_bytes(plain_workbook, desktop):  # noqa: F811
    with zipfile.ZipFile(plain_workbook) as before, zipfile.ZipFile(desktop) as after:
        changed = [n for n in before.namelist() if before.read(n) != after.read(n)]
        sheets = {n for n in changed if re.match(r"xl/worksheets/sheet\d+\.xml$", n)}
        others = {n for n in changed if n.startswith(("xl/worksheets/_rels/", "xl/drawings/vmlDrawing"))}
        assert set(changed) - sheets - others <= {"[Content_Types].xml", "xl/workbook.xml",
                                                  "xl/_rels/workbook.xml.rels"}
        for name in sheets:  # cells, merges, validations, protection: all kept
            old, new = before.read(name).decode(), after.read(name).decode()
            for element in ("sheetData", "mergeCells", "dataValidations"):
                found = re.search(rf"<{element}\b.*?</{element}>|<{element}/>", old, re.S)
                if found:
                    assert found.group(0) in new, (name, element)
            protection = re.search(r"<sheetProtection\b[^>]*/>", old)
            if protection:
                assert new.count(protection.group(0)) == 1, name
                assert new.index("</sheetData>") < new.index(protection.group(0)) < new.index("<mergeCells")
        for name in others:  # comments' VML keeps its shapes; the buttons are added
            if name.startswith("xl/drawings/vmlDrawing"):
                assert before.read(name).decode().count("<v:shape ") < after.read(name).decode().count("<v:shape ")
        types = after.read("[Content_Types].xml").decode()
        assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
        assert "xl/vbaProject.bin" in after.namelist()


def test_openxml_schema_validation_passes(desktop):
    from openxml_audit import OpenXmlValidator

    result = OpenXmlValidator().validate(str(desktop))
    assert result.is_valid, result.errors[:10]
    assert not result.errors


def test_vba_helpers_run_in_pyopenvba_interpreter():
    """PerfevalResult turns Python's error text into CVErr; PerfevalText decodes the help text."""
    from pyopenvba.apps.excel import ExcelApplication

    source = vba.udf_module_source()
    helpers = source[source.index("Private Function PerfevalResult"):source.index("'Function help")]
    app = ExcelApplication()
    app.add_workbook()
    app.add_module(helpers.replace("Private Function", "Public Function"), name="Helpers")
    app.add_module("Public Function OneCell(v)\r\n    Dim a(0 To 0, 0 To 0) As Variant\r\n    a(0, 0) = v\r\n"
                   "    OneCell = a\r\nEnd Function\r\n", name="Cells")
    assert app.evaluate('IsError(PerfevalResult(OneCell("#N/A")))') is True
    assert app.evaluate('CStr(PerfevalResult(OneCell("#DIV/0!")))') == "Error 2007"
    assert app.evaluate('CStr(PerfevalResult("#VALUE!"))') == "Error 2015"
    assert app.evaluate("PerfevalResult(OneCell(2.5))(0, 0)") == 2.5
    assert app.evaluate('PerfevalResult("优")') == "优"
    assert app.evaluate(f'PerfevalText("{vba._hex("预算绩效自评")}")') == "预算绩效自评"


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) 未安装")
def test_libreoffice_loads_the_modules(desktop, tmp_path):
    subprocess.run([SOFFICE, "--headless", "--convert-to", "ods", "--outdir", str(tmp_path), str(desktop)],
                   check=True, capture_output=True, timeout=180)
    ods = tmp_path / (desktop.stem + ".ods")
    with zipfile.ZipFile(ods) as archive:
        names = archive.namelist()
        for module in vba.vba_modules():
            part = f"Basic/VBAProject/{module}.xml"
            assert part in names, module
            text = archive.read(part).decode("utf-8")
            assert "Option VBASupport 1" in text
        buttons = archive.read("Basic/VBAProject/Buttons.xml").decode("utf-8")
        for sub in vba.BUTTON_COMMANDS:
            assert f"Public Sub {sub}()" in buttons


def test_wrong_xlwings_version_is_refused(monkeypatch):
    monkeypatch.setattr(vba.xlwings, "__version__", "0.0.1")
    with pytest.raises(vba.VBAError, match="版本"):
        vba.xlwings_module_source()


def test_failed_build_leaves_the_target_alone(plain_workbook, tmp_path):  # noqa: F811
    target = tmp_path / "keep.xlsm"
    target.write_bytes(b"previous")
    with pytest.raises(vba.VBAError):
        vba.make_desktop_workbook(plain_workbook, target, [vba.Button("使用说明", "NoSuchSub", "x", 0, 0)])
    with pytest.raises(vba.VBAError):
        vba.make_desktop_workbook(plain_workbook, tmp_path / "wrong.xlsx")
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.xlsm"]


def test_the_cli_reads_the_desktop_workbook_like_the_plain_one(plain_workbook, desktop):  # noqa: F811
    from macros.session import open_session

    def key(findings):
        return sorted((f.rule, f.sheet, f.cell, f.message) for f in findings)

    assert key(open_session(str(desktop), "default").findings) == key(open_session(str(plain_workbook), "default").findings)


def test_a_workbook_without_xlwings_conf_gets_one(tmp_path):
    import xlsxwriter
    from openxml_audit import OpenXmlValidator

    small = tmp_path / "small.xlsx"
    book = xlsxwriter.Workbook(str(small))
    book.add_worksheet("使用说明").write("A1", "说明")
    book.close()
    out = vba.make_desktop_workbook(small, tmp_path / "small.xlsm")
    sheet = openpyxl.load_workbook(out)[vba.CONF_SHEET]
    assert (sheet["A2"].value, sheet["B2"].value) == ("UDF Modules", "xlfuncs.udfs")
    assert OpenXmlValidator().validate(str(out)).is_valid
    assert set(vba.vba_modules()) <= set(olevba_modules(out))
