"""Live in every spreadsheet (issue 12's acceptance): the plain workbook edited and recalculated by
LibreOffice (a macro types the edits into the cells, then a hard recalculation) and by gnumeric
(``ssconvert --recalc``) shows no ``#NAME?`` anywhere; every native formula (rates, scores,
totals, caps, grades, checks) equals what perfeval computes on the edited values; the cells that
need perfeval's functions, and the totals over them, show 待计算; ``perfeval check`` on the saved
file then writes a copy with every value right. Skipped with the reason when a program is absent.
"""

from __future__ import annotations

import copy
import warnings
from pathlib import Path

import openpyxl
import pytest
from office_support import SOFFICE, SSCONVERT, gnumeric_recalculate, libreoffice_edit, xml_edit
from workbook_support import sheet_part

from macros.cli import main
from workbook.builder import build_workbook
from workbook.layouts.expr import PENDING
from workbook.layouts.form_model import PROBE_CELL
from workbook.layouts.forms import AMOUNT, TEXT
from workbook.plan import plan_workbook
from xlfuncs.cellfuncs import CellError
from xlfuncs.engine import score_filing
from xlfuncs.official import to_cell

#: (sheet, cell, value typed, filing pointer, kind)
EDITS = [("附件3-1", "F8", 300.0, ("projects", 0, "funds", "total", "executed"), AMOUNT),  # rate 75 %
         ("附件3-2", "F15", "2800次", ("projects", 1, "indicators", 0, "actual"), TEXT),  # 约3200次: needs perfeval
         ("附件1", "D9", 2000.0, ("department", "funds", "by_income", "general_budget"), AMOUNT)]  # a check


def _edited_filing(filing: dict) -> dict:
    out = copy.deepcopy(filing)
    for *_, value, pointer, _ in EDITS:
        node = out
        for key in pointer[:-1]:
            node = node[key]
        node[pointer[-1]] = value
    return out


@pytest.fixture(scope="module")
def expected(corrected_data):
    """The cell model of the workbook with the edits, computed with and without perfeval."""
    plan = plan_workbook(copy.deepcopy(corrected_data))
    for sheet, cell, value, _, kind in EDITS:
        plan.model.set(sheet, cell, to_cell(kind, value))
    plan.model.clear_cache()
    return plan.model, plan.model.without_udfs()


@pytest.fixture(scope="module")
def plain(tmp_path_factory, corrected_data) -> Path:
    return build_workbook(corrected_data, tmp_path_factory.mktemp("live") / "主工作簿.xlsx")


def _values(path: Path) -> dict[tuple[str, str], object]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(path, data_only=True)
    return {(ws.title, c.coordinate): c.value for ws in book.worksheets for row in ws.iter_rows() for c in row
            if c.value is not None}


def _plain(value: object) -> object:
    if isinstance(value, CellError):
        return value.code
    return None if value == "" else value


def _same(want: object, got: object) -> bool:
    want, got = _plain(want), _plain(got)
    if isinstance(want, (int, float)) and isinstance(got, (int, float)) and not isinstance(got, bool):
        return abs(want - got) <= 1e-9 * max(1.0, abs(want))
    return want == got


def _mismatches(model, values) -> list[str]:
    return [f"{sheet}!{cell}: perfeval {_plain(model.value(sheet, cell))!r}, file {values.get((sheet, cell))!r}"
            for sheet, cell in model.formulas if not _same(model.value(sheet, cell), values.get((sheet, cell)))]


def _assert_live(values, expected) -> None:
    full, bare = expected
    assert not [key for key, value in values.items() if value == "#NAME?"]
    # every formula cell is what a spreadsheet without perfeval computes …
    assert _mismatches(bare, values) == []
    pending = {key for key in bare.formulas if bare.value(*key) == PENDING}
    native = {key for key in bare.formulas if _same(bare.value(*key), full.value(*key))}
    probes = {key for key in bare.formulas if key[1] == PROBE_CELL}
    # … which is perfeval's own value wherever it does not need perfeval's functions …
    assert native | pending | probes == set(bare.formulas)
    assert len(native) > 250 and len(pending) > 40
    # … and 待计算 for the indicator scores, explanations and heading checks, and the totals over them
    for sheet in ("附件1", "附件3-1", "附件3-2"):
        assert values[(sheet, "M5")] == 0  # the probe: perfeval's functions did not answer
        total_row = 32 if sheet == "附件1" else 31
        assert values[(sheet, f"H{total_row}")] == PENDING and values[(sheet, f"M{total_row}")] == PENDING
    assert values[("附件3-2", "H15")] == PENDING and values[("附件3-2", "M15")] == PENDING


def _assert_engine(values, corrected, *, scored: bool) -> None:
    """The figures the engine gives on the edited filing; ``scored``: the UDF cells too."""
    engine = score_filing(_edited_filing(corrected))
    assert values[("附件3-1", "H8")] == pytest.approx(engine[1].budget.rate) == 0.75
    assert values[("附件3-1", "I8")] == pytest.approx(engine[1].budget.score) == 7.5
    assert values[("项目汇总", "G4")] == pytest.approx(0.75)
    assert values[("附件1", "M10")] == pytest.approx(2000 - 2662.18)  # income now differs from the total
    if scored:
        assert values[("附件3-2", "H15")] == pytest.approx(engine[2].indicators[0].score)
        for sheet, table in (("附件1", engine[0]), ("附件3-1", engine[1]), ("附件3-2", engine[2])):
            total_row = 32 if sheet == "附件1" else 31
            assert values[(sheet, f"H{total_row}")] == pytest.approx(table.total)
            assert values[(sheet, f"M{total_row}")] == table.grade


def _check(path: Path, capsys) -> Path:
    code = main(["check", str(path)])
    out = capsys.readouterr().out
    assert code in (0, 1) and "已写出校验后的工作簿" in out
    target = path.with_name(f"{path.stem}（已校验）{path.suffix}")
    assert str(target) in out and target.exists()
    return target


def _assert_checked(target: Path, expected, corrected) -> None:
    values = _values(target)
    full, _ = expected
    assert _mismatches(full, values) == []
    assert not [key for key, value in values.items() if value in (PENDING, "#NAME?")]
    _assert_engine(values, corrected, scored=True)
    assert values[("校验结果", "A4")] == 1 and "校验" in values[("使用说明", "C2")]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) 未安装，跳过 LibreOffice 编辑重算测试")
def test_libreoffice_edit_recalculates_live_then_check_completes(plain, expected, corrected_data, tmp_path, capsys):
    saved = libreoffice_edit(plain, tmp_path / "LibreOffice改过.xlsx", [e[:3] for e in EDITS], tmp_path)
    values = _values(saved)
    assert values[("附件3-1", "F8")] == 300 and values[("附件3-2", "F15")] == "2800次"  # the edits were typed in
    _assert_live(values, expected)
    _assert_engine(values, corrected_data, scored=False)
    _assert_checked(_check(saved, capsys), expected, corrected_data)


@pytest.mark.skipif(SSCONVERT is None, reason="gnumeric (ssconvert) 未安装，跳过 gnumeric 重算测试")
def test_gnumeric_recalculation_is_live_then_check_completes(plain, expected, corrected_data, tmp_path, capsys):
    edited = xml_edit(plain, tmp_path / "改过.xlsx", [e[:3] for e in EDITS], sheet_part)
    saved = gnumeric_recalculate(edited, tmp_path / "gnumeric重算.xlsx")
    values = _values(saved)
    _assert_live(values, expected)
    _assert_engine(values, corrected_data, scored=False)
    _assert_checked(_check(saved, capsys), expected, corrected_data)
