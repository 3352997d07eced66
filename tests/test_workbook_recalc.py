"""Recalculation without Excel: the ``formulas`` package evaluates the workbook with the Python
UDFs, and every formula cell equals what the engine (the cell functions) gives."""

from __future__ import annotations

import copy
import warnings

import pytest
from workbook_support import register_udfs, solution_value

from workbook.builder import plan_workbook, write_plan
from xlfuncs.cellfuncs import CellError
from xlfuncs.engine import score_filing

formulas = pytest.importorskip("formulas", reason="formulas 未安装，跳过无 Excel 重算测试")

BOOK = "recalc.xlsx"


@pytest.fixture(scope="module")
def seed_plan(seed_data, tmp_path_factory):
    plan = plan_workbook(copy.deepcopy(seed_data))
    path = tmp_path_factory.mktemp("recalc") / BOOK
    path.write_bytes(write_plan(plan))
    return plan, path


@pytest.fixture(scope="module")
def model(seed_plan):
    register_udfs()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return formulas.ExcelModel().loads(str(seed_plan[1])).finish()


def _expected(value):
    if isinstance(value, CellError):
        return value.code
    return None if value == "" else value


def _same(expected, got) -> bool:
    if got == "":
        got = None
    if isinstance(expected, (int, float)) and isinstance(got, (int, float)):
        return abs(expected - got) <= 1e-9
    return expected == got


def _mismatches(plan, solution) -> list[str]:
    bad = []
    for sheet, cell in plan.model.formulas:
        got = solution_value(solution, BOOK, sheet, cell)
        want = _expected(plan.model.value(sheet, cell))
        if not _same(want, got):
            bad.append(f"{sheet}!{cell}: engine {want!r}, formulas {got!r}")
    return bad


def test_recalculation_reproduces_the_cached_values(seed_plan, model):
    plan, _ = seed_plan
    solution = model.calculate()
    assert len(plan.model.formulas) > 400
    assert _mismatches(plan, solution) == []


def test_changing_3_3_executed_to_31_6_recalculates_like_the_engine(seed_plan, model, seed_data):
    plan, _ = seed_plan
    solution = model.calculate(inputs={f"'[{BOOK}]附件3-3'!F8": 31.6})
    # the engine's view of the same change: the cell model re-evaluated, and the filing rescored
    plan.model.set("附件3-3", "F8", 31.6)
    plan.model.clear_cache()
    try:
        assert _mismatches(plan, solution) == []
    finally:
        plan.model.set("附件3-3", "F8", 523.12)
        plan.model.clear_cache()
    changed = copy.deepcopy(seed_data)
    changed["projects"][2]["funds"]["total"]["executed"] = 31.6
    engine = score_filing(changed)[3]
    assert engine.budget.rate == pytest.approx(1.0)
    # 附件3-3!H8 holds the filed 100 % (a constant); the rate against 年初 is a formula
    assert solution_value(solution, BOOK, "附件3-3", "M8") == pytest.approx(engine.budget.rate_initial or 1.0)
    assert solution_value(solution, BOOK, "附件3-3", "I8") == pytest.approx(engine.budget.score)
    recalculated = 0
    for i, result in enumerate(engine.indicators):
        if ("附件3-3", f"H{15 + i}") not in plan.model.formulas:
            continue  # a filed score that differs from the rules' stays a constant
        recalculated += 1
        got = solution_value(solution, BOOK, "附件3-3", f"H{15 + i}")
        if result.score is None:  # the engine cannot judge it: the cell holds an error value, never a number
            assert got in ("#VALUE!", "#N/A"), (i, got)
        else:
            assert got == pytest.approx(result.score), i
    assert recalculated >= 3
    # 项目汇总 follows: the projects' executed sum drops by 491.52
    assert solution_value(solution, BOOK, "项目汇总", "F9") == pytest.approx(1780.94 - 491.52)
    assert solution_value(solution, BOOK, "附件1", "M13") == "✓"  # Σ 执行数 = 项目支出 now


def _recalculate(filing: dict, tmp_path, profile: str, inputs: dict | None = None):
    """The plan of a filing's workbook and the ``formulas`` package's recalculation of it."""
    register_udfs()
    plan = plan_workbook(copy.deepcopy(filing), profile=profile)
    path = tmp_path / BOOK
    path.write_bytes(write_plan(plan))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return plan, formulas.ExcelModel().loads(str(path)).finish().calculate(inputs=inputs or {})


def test_a_correct_filing_recalculates_like_the_engine(clean, tmp_path):
    plan, solution = _recalculate(clean, tmp_path, "default", {f"'[{BOOK}]附件3-2'!F16": "90%"})
    plan.model.set("附件3-2", "F16", "90%")
    plan.model.clear_cache()
    assert _mismatches(plan, solution) == []
    changed = copy.deepcopy(clean)
    changed["projects"][1]["indicators"][1]["actual"] = "90%"
    scores = score_filing(changed)
    total_row = plan.forms[2].total_row
    assert solution_value(solution, BOOK, "附件3-2", "H16") == pytest.approx(scores[2].indicators[1].score)
    assert solution_value(solution, BOOK, "附件3-2", f"H{total_row}") == pytest.approx(scores[2].total)
    assert solution_value(solution, BOOK, "附件3-2", f"M{total_row}") == scores[2].grade


def test_profile_passed_through_the_defined_name_recalculates(clean, tmp_path):
    plan, solution = _recalculate(clean, tmp_path, "hubei")
    assert _mismatches(plan, solution) == []
    assert solution_value(solution, BOOK, "附件3-1", "H15").__class__ in (int, float)


def test_yitihua_total_is_capped_by_the_rate_in_the_workbook(clean, tmp_path):
    total = clean["department"]["funds"]["total"]
    total.update(executed="65", rate="65%", score="6.5")  # 65 % executed: total capped at 79
    clean["department"]["total"]["score"] = "79"
    plan, solution = _recalculate(clean, tmp_path, "yitihua")
    assert _mismatches(plan, solution) == []
    total_cell = f"H{plan.forms[0].total_row}"
    assert solution_value(solution, BOOK, "附件1", total_cell) == score_filing(clean, "yitihua")[0].total == 79
