"""``perfeval check``: the 校验 button's work written into a new workbook next to the original, which
is never changed; the same rows and marks as the button (one view), every other part kept."""

from __future__ import annotations

import asyncio
import copy
import zipfile

import openpyxl
import pytest
import xlwings as xw
import xlwings.server as server
from workbook_fixtures import book_json
from workbook_support import sha256

from macros import buttons
from macros.cli import main
from workbook.builder import build_workbook
from workbook.marks import MARK_FILLS, RESULTS


@pytest.fixture(scope="module")
def seed_desktop(tmp_path_factory, seed_data):
    return build_workbook(seed_data, tmp_path_factory.mktemp("check") / "主工作簿.xlsm", runtime="desktop")


def _check(capsys, *args) -> tuple[int, str]:
    code = main(["check", *map(str, args)])
    return code, capsys.readouterr().out


def test_check_writes_a_new_workbook_next_to_the_original(seed_desktop, capsys):
    before = sha256(seed_desktop)
    code, out = _check(capsys, seed_desktop)
    target = seed_desktop.with_name("主工作簿（已校验）.xlsm")
    assert code == 1 and str(target) in out and "原工作簿未改动" in out and "共 21 个错误" in out
    assert sha256(seed_desktop) == before
    code, out = _check(capsys, seed_desktop)  # never over an earlier copy either
    assert seed_desktop.with_name("主工作簿（已校验-2）.xlsm").exists() and sha256(target) != ""
    with zipfile.ZipFile(seed_desktop) as old, zipfile.ZipFile(target) as new:
        assert new.read("xl/vbaProject.bin") == old.read("xl/vbaProject.bin")
        for name in old.namelist():  # the buttons, the notes, the code: every part but the edited ones
            if not name.startswith(("xl/worksheets/sheet", "xl/styles.xml", "xl/workbook.xml")):
                assert new.read(name) == old.read(name), name


def test_check_writes_what_the_button_writes(seed_desktop, capsys):
    _check(capsys, seed_desktop)
    book = openpyxl.load_workbook(seed_desktop.with_name("主工作簿（已校验）.xlsm"))
    results = book[RESULTS.sheet]
    rows = [[c.value for c in row] for row in results.iter_rows(min_row=RESULTS.first_row, max_col=8)]
    payload = book_json(build_workbook_plain(seed_desktop))
    live = xw.Book(json=copy.deepcopy(payload))
    asyncio.run(server.custom_scripts_call(buttons, "validate", typehint_to_value={xw.Book: live}))
    actions = live.json()["actions"]
    button_rows = next(a["values"] for a in actions if a["func"] == "setValues" and a["row_count"] > 1)
    assert [r[1:] for r in rows] == [[v if v != "" else None for v in r[1:]] for r in button_rows]
    located = [r for r in rows if r[4]]
    assert all(results[f"E{RESULTS.first_row + rows.index(r)}"].hyperlink.location for r in located)
    marked = {(a["sheet_position"], a["start_row"], a["start_column"]): a["args"][0] for a in actions
              if a["func"] == "setRangeColor"}
    names = [s["name"] for s in payload["sheets"]]
    for (sheet, row, column), colour in marked.items():
        cell = book[names[sheet]].cell(row + 1, column + 1)
        assert cell.fill.fgColor.rgb == "FF" + colour.lstrip("#").upper(), (names[sheet], cell.coordinate)
    assert book["附件3-3"]["H8"].fill.fgColor.rgb == "FF" + MARK_FILLS["error"].lstrip("#")
    assert book["使用说明"]["C2"].value == results[RESULTS.status_cell].value
    assert 'calcId="191029"' in zipfile.ZipFile(seed_desktop.with_name("主工作簿（已校验）.xlsm")).read(
        "xl/workbook.xml").decode()


def build_workbook_plain(desktop):
    """The plain twin of the desktop fixture (the button reads values, which are the same)."""
    return build_workbook(_seed(), desktop.with_name("plain.xlsx"))


def _seed():
    from xlfuncs.filing import embedded_seed

    return embedded_seed()


def test_checked_copy_passes_schema_validation(seed_desktop, capsys):
    from openxml_audit import OpenXmlValidator

    _check(capsys, seed_desktop)
    result = OpenXmlValidator().validate(str(seed_desktop.with_name("主工作簿（已校验）.xlsm")))
    assert result.is_valid, result.errors[:5]


def test_check_refuses_what_is_not_a_workbook(tmp_path, capsys, corrected_path):
    assert main(["check", str(corrected_path)]) == 2
    assert "perfeval validate" in capsys.readouterr().err
    plain = build_workbook(None, tmp_path / "空白.xlsx")
    out = tmp_path / "结果.xlsx"
    out.write_bytes(b"keep")
    assert main(["check", str(plain), "-o", str(out)]) == 2
    assert "已存在" in capsys.readouterr().err and out.read_bytes() == b"keep"
    assert main(["check", str(plain), "-o", str(plain), "--force"]) == 2
    assert "本身" in capsys.readouterr().err
