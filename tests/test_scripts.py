"""The 校验 / 导出 / 新增项目 buttons as xlwings scripts, through xlwings' server code path.

The book is ``xw.Book(json=...)`` built from the seed workbook's cells, as xlwings Lite sends
it; the script returns the actions the Excel client would apply, and the tests check those:
which cells are written, which are coloured, and that no input cell is written.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
import xlwings as xw
import xlwings.server as server
from workbook_fixtures import book_json, plain_workbook, target  # noqa: F401 - fixtures
from workbook_fixtures import run_script as run

from macros import buttons
from macros.session import open_session
from workbook.builder import build_workbook
from workbook.layouts import sheets as sheet_layouts
from workbook.layouts.expr import cells_of, col_letters
from workbook.layouts.forms import project_form
from workbook.layouts.locate import WorkbookShape
from workbook.layouts.styles import CLAIM_FILL, FORMULA_FILL, INPUT_FILL

ROOT = Path(__file__).parents[1]
RESULTS = sheet_layouts.RESULTS
WRITES = {"setValues", "setFormula", "rangeClearContents", "rangeClear", "addHyperlink", "rangeInsert"}


def input_cells(shape: WorkbookShape) -> set[tuple[str, str]]:
    """Every cell that holds a value the unit files (not a result)."""
    cells = set()
    for form in shape.forms():
        for f in form.all_fields():
            if not f.is_result:
                cells |= {(form.sheet, c) for row in cells_of(f.ref) for c in row}
    return cells


@pytest.fixture(scope="module")
def seed_book(plain_workbook) -> dict:  # noqa: F811
    return book_json(plain_workbook)


@pytest.fixture(scope="module")
def seed_actions(seed_book) -> list[dict]:
    return run("validate", seed_book)


def sheet_names(payload: dict) -> list[str]:
    return [s["name"] for s in payload["sheets"]]


# ----------------------------------------------------------------------------- 校验

def test_validate_fills_the_results_sheet_with_every_finding(plain_workbook, seed_book, seed_actions):  # noqa: F811
    names = sheet_names(seed_book)
    cli_findings = open_session(str(plain_workbook), "default").findings
    writes = [a for a in seed_actions if a["func"] == "setValues"
              and target(a, names)[0] == RESULTS.sheet and a["start_row"] == RESULTS.first_row - 1]
    assert len(writes) == 1
    rows = writes[0]["values"]
    assert len(rows) == len(cli_findings) > 60
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    # the same findings the CLI reports on the saved file, each with its cell
    assert sorted((r[2], r[4], r[5]) for r in rows) == sorted(
        (f.rule, f"{f.sheet}!{f.cell}" if f.sheet else "", f.message) for f in cli_findings)
    seed_rule = [r for r in rows if r[2] == "A2" and r[4] == "附件3-3!H8"]
    assert seed_rule and seed_rule[0][1] == "错误"  # 3-3 filed 100 %, computed 523.12/31.6
    # each located finding links to its cell through the hyperlink action (no HYPERLINK formula)
    links = [a for a in seed_actions if a["func"] == "addHyperlink"]
    assert {target(a, names)[0] for a in links} == {RESULTS.sheet}
    assert len(links) == len([r for r in rows if r[4]])
    row = RESULTS.first_row + [r[4] for r in rows].index("附件3-3!H8")
    link = next(a for a in links if target(a, names)[1] == [f"{RESULTS.column('单元格')}{row}"])
    assert link["args"][:2] == ["#'附件3-3'!H8", "附件3-3!H8"]
    assert not [a for a in seed_actions if a["func"] == "setFormula"]


def test_validate_marks_the_right_cells(seed_book, seed_actions):
    names = sheet_names(seed_book)
    rows = next(a for a in seed_actions if a["func"] == "setValues" and a["start_row"] == RESULTS.first_row - 1
                and target(a, names)[0] == RESULTS.sheet)["values"]
    worst: dict[tuple[str, str], str] = {}
    order = {"错误": 0, "警告": 1, "提示": 2}
    for row in rows:
        if row[4]:
            sheet, cell = row[4].split("!")
            key = (sheet, cell)
            if key not in worst or order[row[1]] < order[worst[key]]:
                worst[key] = row[1]
    colours = {}
    for action in seed_actions:
        if action["func"] == "setRangeColor":
            sheet, cells = target(action, names)
            colours[(sheet, cells[0])] = action["args"][0]
    fills = {"错误": buttons.MARK_FILLS["error"], "警告": buttons.MARK_FILLS["warning"],
             "提示": buttons.MARK_FILLS["info"]}
    # findings on the 自评报告 sheet are listed with their links but not coloured (its cells
    # have no layout style to restore)
    assert colours == {key: fills[level] for key, level in worst.items() if key[0].startswith("附件")}
    assert any(key[0] == "自评报告" for key in worst)
    assert colours[("附件3-3", "H8")] == buttons.MARK_FILLS["error"]
    assert all(sheet.startswith("附件") for sheet, _ in colours)


def test_validate_never_writes_an_input_cell(seed_book, seed_actions):
    names = sheet_names(seed_book)
    inputs = input_cells(WorkbookShape(5, 16))
    written = set()
    for action in seed_actions:
        if action["func"] in WRITES:
            sheet, cells = target(action, names)
            written |= {(sheet, c) for c in cells}
    assert written and not written & inputs
    assert {sheet for sheet, _ in written} == {RESULTS.sheet, sheet_layouts.GUIDE_SHEET}
    assert {c for s, c in written if s == sheet_layouts.GUIDE_SHEET} == {sheet_layouts.STATUS_CELL}
    assert {a["func"] for a in seed_actions} <= WRITES | {"setRangeColor"}


def test_status_line_on_guide_and_results(seed_book, seed_actions):
    names = sheet_names(seed_book)
    status = [a["values"][0][0] for a in seed_actions if a["func"] == "setValues" and a["row_count"] == 1
              and a["column_count"] == 1]
    assert len(status) == 2 and status[0] == status[1]
    assert "错误 21 个" in status[0] and "校验结果" in status[0]
    guide = next(a for a in seed_actions if target(a, names) == (sheet_layouts.GUIDE_SHEET, ["C2"]))
    assert guide["values"][0][0] == status[0]


def test_second_run_clears_earlier_marks_and_old_rows(seed_book, seed_actions):
    """A cell marked last time and fine now gets its own fill back; the old rows are cleared."""
    names = sheet_names(seed_book)
    payload = copy.deepcopy(seed_book)
    results = payload["sheets"][names.index(RESULTS.sheet)]["values"]
    rows = next(a for a in seed_actions if a["func"] == "setValues" and a["start_row"] == RESULTS.first_row - 1
                and target(a, names)[0] == RESULTS.sheet)["values"]
    marked = {target(a, names)[0] + "!" + target(a, names)[1][0] for a in seed_actions
              if a["func"] == "setRangeColor"}
    form = project_form(1, 16)
    fine_input = next(f"附件3-1!{f.cell}" for f in form.all_fields()
                      if not f.is_result and ":" not in f.ref and f"附件3-1!{f.cell}" not in marked)
    fine_result = next(f"附件3-1!{f.cell}" for f in form.fields if f.is_result and f"附件3-1!{f.cell}" not in marked)
    stale = [[999, "警告", "E1", "附件3-1", fine_input, "旧的问题", "", ""],   # an input cell, fine now
             [998, "错误", "A2", "附件3-1", fine_result, "旧的问题", "", ""]]  # a formula result, fine now
    old = rows + stale
    width = max(len(results[0]), 8)
    while len(results) < RESULTS.first_row - 1:
        results.append([""] * width)
    results[RESULTS.first_row - 1:] = [r + [""] * (width - len(r)) for r in old]
    actions = run("validate", payload)
    clears = [target(a, names) for a in actions if a["func"] == "rangeClearContents"]
    last = RESULTS.first_row + len(old) - 1
    assert clears and clears[0][0] == RESULTS.sheet and clears[0][1][-1] == f"{RESULTS.columns[-1][1]}{last}"
    colours = {target(a, names)[0] + "!" + target(a, names)[1][0]: a["args"][0] for a in actions
               if a["func"] == "setRangeColor"}
    assert colours[fine_input].upper() == INPUT_FILL.upper()
    assert colours[fine_result].upper() == FORMULA_FILL.upper()
    # the cells still wrong are marked again, not reset
    assert colours["附件3-3!H8"] == buttons.MARK_FILLS["error"]
    # clearing comes before the new rows are written
    funcs = [a["func"] for a in actions]
    assert funcs.index("rangeClearContents") < funcs.index("setValues")


def test_base_fill_of_an_imported_value_is_the_claim_colour(seed_book):
    """A result cell the builder filled with the imported value (it carries a note) is orange."""
    from workbook.marks import layout_cells

    book = xw.Book(json=copy.deepcopy(seed_book))
    cells = layout_cells(WorkbookShape(5, 16))
    noted = {n["address"] for n in seed_book["sheets"][sheet_names(seed_book).index("附件3-3")]["notes"]}
    assert "H8" in noted and book.sheets["附件3-3"].range("H8").note is not None
    assert cells[("附件3-3", "H8")].base_fill(True).upper() == CLAIM_FILL.upper()
    assert cells[("附件3-1", "I8")].base_fill(False).upper() == FORMULA_FILL.upper()
    assert cells[("附件3-1", "E8")].base_fill(False).upper() == INPUT_FILL.upper()


def test_a_broken_workbook_gets_a_status_line_not_an_exception(seed_book):
    payload = copy.deepcopy(seed_book)
    payload["sheets"] = [s for s in payload["sheets"] if s["name"] != "附件1"]
    actions = run("validate", payload)
    texts = [a["values"][0][0] for a in actions if a["func"] == "setValues"]
    assert texts and all("校验未完成" in t and "附件1" in t for t in texts)
    assert not [a for a in actions if a["func"] == "setRangeColor"]


# ----------------------------------------------------------------------------- 新增项目

def test_add_project_builds_the_next_form_as_the_builder_would(tmp_path):
    one = build_workbook(None, tmp_path / "one.xlsx", projects=1)
    two = build_workbook(None, tmp_path / "two.xlsx", projects=2)
    payload = book_json(one)
    actions = run("add_project", payload)
    names = sheet_names(payload)
    # Lite documents neither copySheet nor deleteNote: a sheet is added and given the formats
    assert actions[0]["func"] == "addSheet" and actions[0]["args"] == [names.index("附件3-1") + 1, "附件3-2"]
    after = names[: names.index("附件3-1") + 1] + ["附件3-2"] + names[names.index("附件3-1") + 1:]
    copied = [a for a in actions if a["func"] == "copyFromRange"]
    assert len(copied) == 1 and target(copied[0], after)[0] == "附件3-2"
    assert copied[0]["args"][:3] == [names.index("附件3-1"), copied[0]["args"][1], "formats"]
    import openpyxl

    expected = openpyxl.load_workbook(two)
    written: dict[tuple[str, str], str] = {}
    for action in actions[1:]:
        if action["func"] == "setValues" and str(action["values"][0][0]).startswith("="):
            sheet, cells = target(action, after)
            written[(sheet, cells[0])] = action["values"][0][0]
    for sheet in ("附件3-2", sheet_layouts.SUMMARY_SHEET, "附件1"):
        ws = expected[sheet]
        formulas = {c.coordinate: c.value for row in ws.iter_rows() for c in row
                    if isinstance(c.value, str) and c.value.startswith("=")}
        mine = {cell: text for (s, cell), text in written.items() if s == sheet}
        for cell, text in mine.items():
            assert formulas.get(cell) == text, (sheet, cell)
        if sheet != "附件1":  # every formula of the new form and of 项目汇总 is (re)written
            first, _ = sheet_layouts.summary_rows(2)
            wanted = {c for c in formulas if sheet == "附件3-2" or int("".join(filter(str.isdigit, c))) >= first}
            assert wanted <= set(mine), (sheet, sorted(wanted - set(mine))[:5])
    inserts = [target(a, after) for a in actions if a["func"] == "rangeInsert"]
    width = len(sheet_layouts.SUMMARY_COLUMNS)
    assert inserts == [(sheet_layouts.SUMMARY_SHEET, [f"{col_letters(i)}4" for i in range(width)])]
    assert [a["args"] for a in actions if a["func"] == "rangeInsert"] == [["down", "format_from_left_or_above"]]
    names_added = [a["args"] for a in actions if a["func"] == "namesAdd"]
    assert ["项目2_全年预算数", "='附件3-2'!$E$8"] in names_added
    inputs = {c for (s, c) in input_cells(WorkbookShape(2, 15)) if s == "附件3-2"}
    cleared = {c for a in actions if a["func"] == "rangeClearContents" for c in target(a, after)[1]
               if target(a, after)[0] == "附件3-2"}
    assert inputs <= cleared
    guide = [a for a in actions if a["func"] == "setValues" and target(a, after)[0] == sheet_layouts.GUIDE_SHEET]
    assert any(a["values"] == [[2]] for a in guide)
    assert "已新增 附件3-2" in guide[-1]["values"][0][0]


def test_add_project_extends_the_report_sheet_like_the_builder(tmp_path):
    import openpyxl

    from workbook.report_sheet import SHEET_NAME, first_row

    one = build_workbook(None, tmp_path / "one.xlsx", projects=1)
    two = build_workbook(None, tmp_path / "two.xlsx", projects=2)
    payload = book_json(one)
    actions = run("add_project", payload)
    names = sheet_names(payload)
    after = names[: names.index("附件3-1") + 1] + ["附件3-2"] + names[names.index("附件3-1") + 1:]
    writes = [a for a in actions if a["func"] == "setValues" and target(a, after)[0] == SHEET_NAME]
    assert len(writes) == 1 and target(writes[0], after)[1][0] == f"A{first_row(1)}"
    expected = openpyxl.load_workbook(two)[SHEET_NAME]
    rows = [[c.value for c in row[:2]] for row in expected.iter_rows(min_row=first_row(1))]
    assert writes[0]["values"] == rows


def test_add_project_form_matches_layout_for_the_seed(seed_book):
    actions = run("add_project", seed_book)
    names = sheet_names(seed_book)
    after = names[: names.index("附件3-5") + 1] + ["附件3-6"] + names[names.index("附件3-5") + 1:]
    form = project_form(6, 16)
    results = {f.cell for f in form.all_fields() if f.is_result}
    formulas = {target(a, after)[1][0] for a in actions if a["func"] == "setValues"
                and str(a["values"][0][0]).startswith("=") and target(a, after)[0] == "附件3-6"}
    assert results <= formulas
    # only the formats of 3-5 are copied: its imported values' notes do not come along
    assert not [a for a in actions if a["func"] in ("copySheet", "deleteNote", "setFormula")]
    labels = {target(a, after)[1][0]: a["values"][0][0] for a in actions if a["func"] == "setValues"
              and target(a, after)[0] == "附件3-6"}
    assert labels["A2"] == "项目支出绩效自评表" and labels["A1"] == "附件3-6"


# ----------------------------------------------------------------------------- 导出

def test_export_writes_the_package_and_says_where(tmp_path, corrected_data):
    workbook = build_workbook(corrected_data, tmp_path / "正确.xlsx")
    book = xw.Book(json=book_json(workbook))
    out = tmp_path / "out"
    outcome = buttons.run_export(book, out, pdf=False)
    assert outcome.ok, outcome.message
    assert outcome.path and outcome.path.is_dir() and (out / f"{outcome.path.name}.zip").exists()
    assert str(out) in outcome.message and "已导出" in outcome.message
    manifest = json.loads((outcome.path / "manifest.json").read_text("utf-8"))
    assert manifest["source"]["kind"] == "json"
    funcs = [a["func"] for a in book.json()["actions"]]
    assert funcs == ["setValues"]  # the status line; Lite documents no message box


def test_export_refuses_while_errors_remain(tmp_path, seed_book):
    book = xw.Book(json=copy.deepcopy(seed_book))
    outcome = buttons.run_export(book, tmp_path, pdf=False)
    assert not outcome.ok and "21 个错误" in outcome.message and "校验" in outcome.message
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------------------- entry points

def test_import_macros_does_not_import_xlwings():
    code = ("import sys, macros, macros.cli; assert 'xlwings' not in sys.modules; "
            "f = macros.validate; assert 'xlwings' in sys.modules; "
            "import macros.buttons as b; assert f is b.validate; print('ok')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={"PATH": "/usr/bin:/bin", "XLWINGS_ON_SERVER": "true",
                               "XLWINGS_LICENSE_KEY": "noncommercial"}, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_scripts_are_registered_with_a_book_parameter():
    meta = {m["function_name"]: m for m in server.custom_scripts_meta(buttons)}
    assert set(meta) >= {"validate", "export_package", "add_project"}


def test_validate_without_a_results_sheet_still_marks_and_reports(seed_book):
    payload = copy.deepcopy(seed_book)
    payload["sheets"] = [s for s in payload["sheets"] if s["name"] != RESULTS.sheet]
    names = sheet_names(payload)
    actions = run("validate", payload)
    assert [target(a, names) for a in actions if a["func"] == "setValues"] == [
        (sheet_layouts.GUIDE_SHEET, [sheet_layouts.STATUS_CELL])]
    assert any(a["func"] == "setRangeColor" for a in actions)


def test_every_action_is_one_the_lite_client_documents(seed_book, seed_actions, tmp_path, corrected_data):
    """The action list Lite receives from every button: only actions its client implements (no
    setFormula, copySheet, deleteNote or alert)."""
    from workbook.lite_code import LITE_CLIENT_ACTIONS

    actions = list(seed_actions) + run("add_project", seed_book)
    book = xw.Book(json=book_json(build_workbook(corrected_data, tmp_path / "正确.xlsx")))
    buttons.run_export(book, tmp_path / "out", pdf=False)
    buttons.run_enable_formulas(book, {"附件3-1": {"H15": "=IF(M5=1,PERF_SCORE(E15,F15,G15),\"待计算\")"}})
    actions += book.json()["actions"]
    used = {a["func"] for a in actions}
    assert {"setValues", "addHyperlink", "setRangeColor", "addSheet", "copyFromRange", "namesAdd"} <= used
    assert used <= LITE_CLIENT_ACTIONS, used - LITE_CLIENT_ACTIONS
    formula = [a for a in book.json()["actions"] if a["func"] == "setValues" and a["values"] == [[
        "=IF(M5=1,PERF_SCORE(E15,F15,G15),\"待计算\")"]]]
    assert len(formula) == 1  # a formula goes in as a value starting with "="
