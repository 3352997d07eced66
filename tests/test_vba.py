"""The desktop workbook's VBA project, made on Linux and read back by independent tools.

olevba (oletools), olefile and pyOpenVBA read every stream and module back; the project is
written as MS-OVBA asks a writer to (version 0xFFFF, no cache); LibreOffice must load the
modules; the helper functions of the UDF module run in pyOpenVBA's VBA interpreter. Excel
itself is not available here: docs/windows-smoke-test.md is the check a person with Excel runs.
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
from workbook.builder import build_workbook
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
def desktop(tmp_path_factory, seed_data):
    out = tmp_path_factory.mktemp("desktop") / "主工作簿.xlsm"
    return build_workbook(seed_data, out, runtime="desktop")


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
    assert _project_stream(desktop, "VBA/xlwings") == installed.encode("ascii")
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
        assert by_olevba[name] == source, name
        assert strip_header(by_pyopenvba[name]) == strip_header(source), name
    assert strip_header(by_olevba["ThisWorkbook"]) == vba.THIS_WORKBOOK_BODY
    assert names[:2] == ["ThisWorkbook", "Sheet1"] and all(n in names for n in generated)
    # one document module per worksheet, named as the sheets' code names
    with zipfile.ZipFile(desktop) as archive:
        code_names = re.findall(r'<sheetPr[^>]*codeName="(\w+)"',
                                "".join(archive.read(n).decode() for n in archive.namelist()
                                        if re.match(r"xl/worksheets/sheet\d+\.xml$", n)))
    assert sorted(code_names) == sorted(n for n in names if n.startswith("Sheet"))


def test_generated_vba_is_ascii_with_crlf_and_its_name_attribute():
    for name, source in vba.vba_modules().items():
        assert source.isascii(), name
        assert "\n" not in source.replace("\r\n", ""), name
        assert source.startswith(f'Attribute VB_Name = "{name}"\r\n'), name


def test_generated_modules_start_no_process_and_hide_no_text():
    """Fewer antivirus heuristics: only xlwings' own module starts Python (Shell, WScript.Shell,
    Kill: RunPython needs them); ours carry no hex-encoded text."""
    for name, source in vba.vba_modules().items():
        code = strip_header(source)
        risky = re.findall(r"\b(Shell|WScript|Kill|CreateObject)\b", code)
        assert bool(risky) == (name == vba.XLWINGS_MODULE), (name, risky)
        assert not re.search(r'"[0-9A-F]{16,}"', code), name
        assert "ChrW(CLng(\"&H\"" not in code, name


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
        names = archive.namelist()
        for name in names:
            if name.startswith("xl/drawings/vmlDrawing"):
                macros += re.findall(r"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>", archive.read(name).decode())
        vml = "".join(archive.read(n).decode() for n in names if n.startswith("xl/drawings/vmlDrawing"))
    slots = [slot for name in sheet_names(desktop) for slot in button_slots(name)]
    assert len(slots) >= 3 * 7  # 使用说明, 附件1 and five 附件3 sheets of the seed
    assert desktop_buttons_count(desktop) == len(slots)
    assert sorted(macros) == sorted(slot.macro for slot in slots)
    assert set(macros) <= subs
    # buttons as Excel writes them: one VML shape each, no control property parts to disagree with
    assert not [n for n in names if "ctrlProp" in n or "activeX" in n]
    assert 'fmlaLink=""' not in vml and 'fmlaRange=""' not in vml
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


def test_the_desktop_workbook_holds_the_plain_workbooks_cells(plain_workbook, desktop):  # noqa: F811
    with zipfile.ZipFile(plain_workbook) as before, zipfile.ZipFile(desktop) as after:
        for name in before.namelist():
            if not re.match(r"xl/worksheets/sheet\d+\.xml$", name):
                continue
            old, new = before.read(name).decode(), after.read(name).decode()
            elements = ("mergeCells", "dataValidations", "conditionalFormatting")
            if vba.CONF_SHEET not in _sheet_name(before, name):
                elements += ("sheetData",)
            for element in elements:
                for found in re.findall(rf"<{element}\b.*?</{element}>", old, re.S):
                    assert found in new, (name, element)
            protection = re.search(r"<sheetProtection\b[^>]*/>", old)
            if protection:
                assert new.count(protection.group(0)) == 1, name
        types = after.read("[Content_Types].xml").decode()
        assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
        assert "xl/vbaProject.bin" in after.namelist()
        assert 'codeName="ThisWorkbook"' in after.read("xl/workbook.xml").decode()


def _sheet_name(archive: zipfile.ZipFile, part: str) -> str:
    book = archive.read("xl/workbook.xml").decode()
    rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    target = part.removeprefix("xl/")
    rid = re.search(rf'Id="(rId\d+)"[^>]*Target="{re.escape(target)}"', rels).group(1)
    return re.search(rf'<sheet name="([^"]+)"[^>]*r:id="{rid}"', book).group(1)


def _project_stream(path: Path, stream: str) -> bytes:
    """A stream of the project, decompressed when it is a module or ``dir``."""
    import olefile
    from oletools.olevba import decompress_stream

    with zipfile.ZipFile(path) as archive:
        ole = olefile.OleFileIO(archive.read("xl/vbaProject.bin"))
    data = ole.openstream(stream).read()
    if stream == "VBA/_VBA_PROJECT" or not stream.startswith("VBA/"):
        return data
    return bytes(decompress_stream(bytearray(data)))


def test_vba_project_is_written_as_ms_ovba_asks_a_writer(desktop):
    """_VBA_PROJECT: version 0xFFFF, no performance cache; module streams: source only."""
    header = _project_stream(desktop, "VBA/_VBA_PROJECT")
    assert header == bytes.fromhex("CC61FFFF000000")
    modules = {**vba.vba_modules(), "ThisWorkbook": None}
    for name, source in modules.items():
        with zipfile.ZipFile(desktop) as archive:
            import olefile

            raw = olefile.OleFileIO(archive.read("xl/vbaProject.bin")).openstream(f"VBA/{name}").read()
        assert raw[0] == 1, name  # a CompressedContainer from byte 0: no p-code before it
        text = _project_stream(desktop, f"VBA/{name}").decode("ascii")
        assert text.startswith(f'Attribute VB_Name = "{name}"'), name
        if source is not None:
            assert text == source, name
    directory = _project_stream(desktop, "VBA/dir")
    offsets = [int.from_bytes(directory[m.end():m.end() + 4], "little")
               for m in re.finditer(rb"\x31\x00\x04\x00\x00\x00", directory)]
    assert offsets and set(offsets) == {0}  # MODULEOFFSET 0 for every module
    project = _project_stream(desktop, "PROJECT").decode("ascii")
    assert "Module=xlwings\r\n" in project and "Document=ThisWorkbook/&H00000000\r\n" in project
    assert project.endswith("\r\n") and "\n" not in project.replace("\r\n", "")


def _decrypt(hex_text: str, project_id: str) -> bytes:
    """MS-OVBA 2.4.3.3 Data Decryption, written from the spec for this test."""
    data = bytes.fromhex(hex_text)
    seed, version_enc, key_enc = data[0], data[1], data[2]
    assert seed ^ version_enc == 2 and seed ^ key_enc == sum(project_id.encode("ascii")) & 0xFF
    unencrypted, enc1, enc2 = seed ^ key_enc, key_enc, version_enc
    out = bytearray()
    for byte in data[3:]:
        plain = byte ^ ((enc2 + unencrypted) & 0xFF)
        out.append(plain)
        enc2, enc1, unencrypted = enc1, byte, plain
    ignored = (seed & 6) // 2
    length = int.from_bytes(out[ignored:ignored + 4], "little")
    body = bytes(out[ignored + 4:])
    assert len(body) == length
    return body


def test_project_is_unprotected_and_visible(desktop):
    project = _project_stream(desktop, "PROJECT").decode("ascii")
    values = dict(re.findall(r'^(ID|CMG|DPB|GC)="([^"]*)"', project, re.M))
    assert _decrypt(values["CMG"], values["ID"]) == bytes(4)  # no protection
    assert _decrypt(values["DPB"], values["ID"]) == b"\0"  # no password
    assert _decrypt(values["GC"], values["ID"]) == b"\xff"  # visible


def test_openxml_schema_validation_passes(desktop):
    from openxml_audit import OpenXmlValidator

    result = OpenXmlValidator().validate(str(desktop))
    assert result.is_valid, result.errors[:10]
    assert not result.errors


def test_vba_helpers_run_in_pyopenvba_interpreter():
    """PerfevalResult turns Python's error text into CVErr."""
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


def test_function_help_is_on_the_conf_sheet_for_register_perfeval_help(desktop):
    """RegisterPerfevalHelp reads name, category, description and argument texts from xlwings.conf."""
    from xlfuncs import udfs

    sheet = openpyxl.load_workbook(desktop)[vba.CONF_SHEET]
    first = openpyxl.utils.column_index_from_string(vba.sheet_layouts.HELP_FIRST_COLUMN)
    rows = [[c.value for c in row if c.value is not None]
            for row in sheet.iter_rows(min_col=first, max_row=len(udfs.UDF_NAMES))]
    assert [r[0] for r in rows] == list(udfs.UDF_NAMES)
    for row, spec in zip(rows, vba.udf_specs(), strict=True):
        assert row[1] == udfs.CATEGORY and row[2] == spec.doc and tuple(row[3:]) == spec.arg_docs
    assert f'Worksheets("{vba.CONF_SHEET}")' in vba.udf_module_source()
    assert sheet.sheet_state == "hidden"


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


def test_failed_build_leaves_the_target_alone(seed_data, tmp_path, monkeypatch):
    target = tmp_path / "keep.xlsm"
    target.write_bytes(b"previous")
    monkeypatch.setattr(vba.xlwings, "__version__", "0.0.1")
    with pytest.raises(vba.VBAError, match="版本"):
        build_workbook(seed_data, target, runtime="desktop")
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.xlsm"]


def test_the_cli_reads_the_desktop_workbook_like_the_plain_one(plain_workbook, desktop):  # noqa: F811
    from macros.session import open_session

    def key(findings):
        return sorted((f.rule, f.sheet, f.cell, f.message) for f in findings)

    assert key(open_session(str(desktop), "default").findings) == key(open_session(str(plain_workbook), "default").findings)
