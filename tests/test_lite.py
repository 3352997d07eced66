"""The xlwings Lite workbook: its code parts, button shapes, and main.py run as Lite would run it.

Lite itself (Pyodide inside Excel) is not available here. main.py is executed by CPython with
xlwings' server decorators (the ones Lite uses), from an isolated temporary folder, and its
functions and button scripts are called through xlwings' server code path.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from defusedxml import ElementTree
from workbook_fixtures import book_json, plain_workbook, sheet_names  # noqa: F401 - fixtures

from workbook import lite
from workbook.layouts import sheets as sheet_layouts
from xlfuncs.udfs import UDF_NAMES

NS = {"xdr": lite.NS_XDR, "a": lite.NS_A, "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}


@pytest.fixture(scope="module")
def lite_book(tmp_path_factory, plain_workbook) -> Path:  # noqa: F811
    return lite.make_lite_workbook(plain_workbook, tmp_path_factory.mktemp("lite") / "主工作簿-Lite.xlsx")


def test_main_py_and_requirements_are_stored_exactly_as_generated(lite_book, plain_workbook):  # noqa: F811
    code = lite.read_lite_code(lite_book)
    buttons = lite.default_shape_buttons(sheet_names(plain_workbook))
    expected = lite.main_py(lite.code_archive(lite.embedded_files()), buttons, lite.udf_formulas(plain_workbook))
    assert code["main.py"] == expected
    assert code["requirements.txt"] == lite.requirements_txt()
    assert "xlwings==0.37.8" in code["requirements.txt"].splitlines()
    pins = [line for line in code["requirements.txt"].splitlines() if line and not line.startswith("#")]
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*", line) for line in pins)
    assert json.loads(code["pyodideVersion"]) == lite.PYODIDE_VERSION
    assert json.loads(code["addinVersion"]) == lite.LITE_ADDIN_VERSION


def test_package_parts_of_the_web_extension(lite_book):
    with zipfile.ZipFile(lite_book) as archive:
        names = archive.namelist()
        root_rels = ElementTree.fromstring(archive.read("_rels/.rels"))
        web = archive.read(lite.WEBEXTENSION_PART).decode()
        types = archive.read("[Content_Types].xml").decode()
        pane_rels = archive.read("xl/webextensions/_rels/taskpanes.xml.rels").decode()
    assert lite.WEBEXTENSION_PART in names and lite.TASKPANES_PART in names
    targets = {r.get("Type"): r.get("Target") for r in root_rels.iter(f"{{{NS['rel']}}}Relationship")}
    assert targets[lite.REL_TASKPANES] == lite.TASKPANES_PART
    assert 'Target="webextension1.xml"' in pane_rels and lite.REL_WEBEXTENSION in pane_rels
    assert '<we:reference id="wa200008175"' in web and 'storeType="OMEX"' in web
    assert "<we:containsCustomFunctions/>" in web
    assert lite.CT_WEBEXTENSION in types and lite.CT_TASKPANES in types


def test_every_button_shape_has_its_name_and_hyperlink(lite_book, plain_workbook):  # noqa: F811
    buttons = lite.default_shape_buttons(sheet_names(plain_workbook))
    main = lite.read_lite_code(lite_book)["main.py"]
    references = re.findall(r'@script\(button="([^"]+)"', main)
    with zipfile.ZipFile(lite_book) as archive:
        from workbook.ooxml import Package

        package = Package.read(lite_book)
        found = {}
        for sheet in package.sheets():
            drawings = [package.resolve(sheet.path, r["Target"]) for r in package.relationships(sheet.path)
                        if r["Type"] == "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"]
            for drawing in drawings:
                rels = {r["Id"]: r["Target"] for r in package.relationships(drawing)}
                root = ElementTree.fromstring(archive.read(drawing))
                for anchor in root.findall("xdr:oneCellAnchor", NS):
                    props = anchor.find("xdr:sp/xdr:nvSpPr/xdr:cNvPr", NS)
                    link = props.find("a:hlinkClick", NS)
                    col = int(anchor.find("xdr:from/xdr:col", NS).text)
                    row = int(anchor.find("xdr:from/xdr:row", NS).text)
                    text = "".join(t.text for t in anchor.iter(f"{{{NS['a']}}}t"))
                    found[props.get("name")] = (sheet.name, col, row, rels[link.get(f"{{{NS['r']}}}id")], text)
    assert len(found) == len(buttons) == len(references)
    by_macro: dict[str, int] = {}
    for button in buttons:
        by_macro[button.macro] = by_macro.get(button.macro, 0) + 1
        name = button.shape_name(by_macro[button.macro])
        sheet, col, row, link, text = found[name]
        from workbook.layouts.expr import col_letters

        covered = f"{col_letters(col)}{row + 1}"
        assert sheet == button.sheet and covered == button.cell and text == button.text
        assert link in (f"#{sheet}!{covered}", f"#'{sheet}'!{covered}")  # the cell the shape covers
        assert f"[{name}]{sheet}!{covered}" in references
    # the three buttons of a form link to three different cells
    cells = [(b.sheet, b.cell) for b in buttons]
    assert len(cells) == len(set(cells))
    guide = [b.macro for b in buttons if b.sheet == sheet_layouts.GUIDE_SHEET]
    assert guide == ["Validate", "ExportPackage", "AddProject", "EnableFormulas"]


def test_lite_workbook_has_no_sheet_protection_and_keeps_its_cells(lite_book, plain_workbook):  # noqa: F811
    with zipfile.ZipFile(plain_workbook) as before, zipfile.ZipFile(lite_book) as after:
        for name in before.namelist():
            if re.match(r"xl/worksheets/sheet\d+\.xml$", name):
                old, new = before.read(name).decode(), after.read(name).decode()
                assert "<sheetProtection" not in new
                data = re.search(r"<sheetData>.*</sheetData>", old, re.S).group(0)
                assert data in new


def test_lite_workbook_passes_schema_validation(lite_book):
    from openxml_audit import OpenXmlValidator

    result = OpenXmlValidator().validate(str(lite_book))
    assert result.is_valid, result.errors[:10]
    assert not result.errors


def test_formula_list_is_every_udf_formula_of_the_workbook(plain_workbook):  # noqa: F811
    import openpyxl

    formulas = lite.udf_formulas(plain_workbook)
    book = openpyxl.load_workbook(plain_workbook)
    count = 0
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.startswith("=") and any(f"{n}(" in value for n in UDF_NAMES):
                    assert formulas[ws.title][cell.coordinate] == value
                    count += 1
    assert count == sum(len(v) for v in formulas.values()) > 200


def test_embedded_code_is_the_repository_code():
    files = lite.embedded_files()
    root = Path(__file__).parents[1]
    assert files["xlfuncs/udfs.py"] == (root / "xlfuncs/udfs.py").read_bytes()
    assert files["macros/buttons.py"] == (root / "macros/buttons.py").read_bytes()
    assert "xlfuncs/profile_data/default.toml" in files and "workbook/reader.py" in files
    assert not {"workbook/vba.py", "workbook/lite.py", "macros/cli.py"} & set(files)
    assert lite.code_archive(files) == lite.code_archive(dict(files))  # deterministic


LITE_RUN = r"""
import asyncio, importlib.util, json, sys
import xlwings as xw, xlwings.server as server
spec = importlib.util.spec_from_file_location("main", sys.argv[1])
main = importlib.util.module_from_spec(spec)
spec.loader.exec_module(main)
import xlfuncs, macros.buttons
out = {"xlfuncs": xlfuncs.__file__, "buttons": macros.buttons.__file__}
out["functions"] = {f["name"]: f["description"] for f in server.custom_functions_meta(main)["functions"]}
out["scripts"] = {m["function_name"]: m.get("button") for m in server.custom_scripts_meta(main)}
body = {"client": "Office.js", "func_name": "EXEC_RATE", "args": [[[523.12]], [[31.6]]], "caller_address": "x",
        "version": xw.__version__, "runtime": "1.4"}
out["exec_rate"] = asyncio.run(server.custom_functions_call(body, main))
book = xw.Book(json=json.load(open(sys.argv[2], encoding="utf-8")))
book = asyncio.run(server.custom_scripts_call(main, "validate_button_1", typehint_to_value={xw.Book: book}))
out["validate"] = [a["func"] for a in book.json()["actions"]]
book = xw.Book(json=json.load(open(sys.argv[2], encoding="utf-8")))
book = asyncio.run(server.custom_scripts_call(main, "enableformulas_button_1", typehint_to_value={xw.Book: book}))
out["enable"] = [a["func"] for a in book.json()["actions"]]
out["formulas"] = sum(1 for a in book.json()["actions"] if str(a.get("values", [[""]])[0][0]).startswith("="))
print(json.dumps(out, ensure_ascii=False))
"""


def test_main_py_runs_as_lite_runs_it(lite_book, plain_workbook, tmp_path):  # noqa: F811
    main = tmp_path / "main.py"
    main.write_text(lite.read_lite_code(lite_book)["main.py"], encoding="utf-8")
    payload = tmp_path / "book.json"
    payload.write_text(json.dumps(book_json(plain_workbook), ensure_ascii=False, default=str), encoding="utf-8")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "XLWINGS_ON_SERVER": "true",
           "XLWINGS_LICENSE_KEY": "noncommercial", "TMPDIR": str(tmp_path), "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", LITE_RUN, str(main), str(payload)], capture_output=True,
                          text=True, cwd=tmp_path, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    # the embedded copy was unpacked and imported, not the repository
    assert out["xlfuncs"].startswith(str(tmp_path)) and out["buttons"].startswith(str(tmp_path))
    assert set(out["functions"]) == set(UDF_NAMES)
    assert all(out["functions"][name] for name in UDF_NAMES)
    buttons = lite.default_shape_buttons(sheet_names(plain_workbook))
    bound = {ref for ref in out["scripts"].values() if ref}
    assert len(bound) == len(buttons)
    assert {"validate", "export_package", "add_project"} <= set(out["scripts"])
    assert str(out["exec_rate"][0][0]).startswith("16.554")
    assert out["validate"].count("setValues") == 3 and "setRangeColor" in out["validate"]
    assert set(out["enable"]) == {"setValues"}  # formulas re-entered as values starting with "="
    count = sum(len(v) for v in lite.udf_formulas(plain_workbook).values())
    assert out["formulas"] == count and out["enable"].count("setValues") == count + 1  # and the status


def test_a_wrong_target_or_button_is_refused(plain_workbook, tmp_path):  # noqa: F811
    with pytest.raises(lite.LiteError):
        lite.make_lite_workbook(plain_workbook, tmp_path / "x.xlsm")
    with pytest.raises(lite.LiteError):
        lite.make_lite_workbook(plain_workbook, tmp_path / "y.xlsx",
                                [lite.ShapeButton(sheet_layouts.GUIDE_SHEET, "Nope", "?", "H3")])
    assert list(tmp_path.iterdir()) == []


def test_the_cli_reads_the_lite_workbook_like_the_plain_one(plain_workbook, lite_book):  # noqa: F811
    from macros.session import open_session

    def key(findings):
        return sorted((f.rule, f.sheet, f.cell, f.message) for f in findings)

    assert key(open_session(str(lite_book), "default").findings) == key(open_session(str(plain_workbook), "default").findings)
