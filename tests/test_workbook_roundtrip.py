"""Filing JSON → master workbook → filing: nothing lost, and validation says the same things."""

from __future__ import annotations

import copy
import json

import pytest
from workbook_support import SEED_JSON, diff, sha256

from macros.cli import main
from macros.session import open_session
from workbook.builder import build_workbook
from workbook.layouts import Locator, WorkbookShape
from workbook.reader import normalise_filing, read_workbook
from xlfuncs.engine import evaluate, score_filing
from xlfuncs.findings import Finding
from xlfuncs.outlines import PROJECT_OUTLINE, split_report


@pytest.fixture(scope="session")
def seed_book(tmp_path_factory, seed_data):
    return build_workbook(seed_data, tmp_path_factory.mktemp("seed") / "seed.xlsx")


def _pairs(findings: list[Finding]) -> set[tuple[str, str]]:
    return {(f.rule, f.pointer) for f in findings}


def _round_trip(filing: dict, tmp_path, **options) -> dict:
    path = build_workbook(filing, tmp_path / "book.xlsx", **options)
    return read_workbook(path).filing


def test_seed_round_trip_equals_the_seed(seed_book, seed_data):
    reading = read_workbook(seed_book)
    assert diff(normalise_filing(seed_data), normalise_filing(reading.filing)) == []
    assert reading.findings == []  # the imported claims are not "typed over" formulas


def test_round_trip_keeps_the_raw_seed_figures(seed_book, seed_data):
    filing = read_workbook(seed_book).filing
    project3 = filing["projects"][2]["funds"]["total"]
    assert project3["executed"] == pytest.approx(523.12) and project3["full_year"] == pytest.approx(31.6)
    assert project3["rate"] == 1  # the filed 100 %, not the computed 1655 %
    assert filing["projects"][2]["total"]["score"] == 100
    assert filing["department"]["indicators"][0]["level1"] == "产出指标\n(50分)"
    # the 自评报告 sheet keeps each outline section's filed text, under the outline's own headings
    read_back = filing["projects"][2]["report"]["text"]
    filed = seed_data["projects"][2]["report"]["text"]
    assert split_report(read_back, PROJECT_OUTLINE).bodies == split_report(filed, PROJECT_OUTLINE).bodies
    assert "（一）资金投入情况分析" in read_back and "（3） 资金投入情况分析" in filed


@pytest.mark.parametrize("fixture", ["corrected", "clean"])
def test_other_filings_round_trip(fixture, request, tmp_path):
    filing = request.getfixturevalue(fixture)
    assert diff(normalise_filing(filing), normalise_filing(_round_trip(filing, tmp_path))) == []


def test_validate_on_the_workbook_equals_validate_on_the_json(seed_book):
    from_json = open_session(str(SEED_JSON), "default").findings
    from_book = open_session(str(seed_book), "default").findings
    assert _pairs(from_book) == _pairs(from_json)
    assert len(from_book) == len(from_json)
    assert all(f.sheet and f.cell for f in from_book), [f for f in from_book if not f.cell]


def test_findings_point_at_the_cells_that_hold_the_values(seed_book):
    findings = open_session(str(seed_book), "default").findings
    where = {(f.rule, f.pointer): (f.sheet, f.cell) for f in findings}
    assert where[("A2", "/projects/2/funds/total/rate")] == ("附件3-3", "H8")
    assert where[("A3", "/projects/2/funds/total/executed")] == ("附件3-3", "F8")
    assert where[("B4", "/department/funds/by_expense/project")] == ("附件1", "H10")
    assert where[("C1", "/department/indicators/0/level1")] == ("附件1", "B16")
    assert where[("D2", "/projects/0/total/score")] == ("附件3-1", "H31")
    assert where[("F1", "/projects/2/report/text")] == ("自评报告", "C47")
    import openpyxl

    book = openpyxl.load_workbook(seed_book, read_only=True)
    assert book["附件3-3"]["F8"].value == pytest.approx(523.12)
    assert book["附件3-3"]["H8"].value == 1  # the filed rate, kept as a constant


def test_corrected_filing_validates_the_same_from_the_workbook(corrected, tmp_path):
    path = build_workbook(corrected, tmp_path / "c.xlsx")
    from_book = read_workbook(path)
    assert _pairs(evaluate(from_book.filing).findings) == _pairs(evaluate(corrected).findings)
    assert from_book.findings == []


def test_scores_from_the_workbook_equal_scores_from_the_json(seed_book, seed_data):
    book = score_filing(read_workbook(seed_book).filing)
    json_scores = score_filing(seed_data)
    assert [(s.label, s.total, s.grade, s.budget.rate) for s in book] == \
        [(s.label, s.total, s.grade, s.budget.rate) for s in json_scores]


def test_filed_values_and_grades_survive(seed, tmp_path):
    seed["projects"][1]["total"]["grade"] = "良"  # D6: 总分 100 → 优
    seed["department"]["funds"]["total"]["rate"] = "95%"  # A2
    seed["department"]["indicators"][0]["kind"] = "正向"
    seed["projects"][0]["indicators"][6]["band"] = "部分达成年度指标并具有一定效果"
    seed["signoff"] = {"preparer": "张三", "phone": "0731-1234567", "date": "2023年2月10日", "head": "李四"}
    back = _round_trip(seed, tmp_path)
    assert diff(normalise_filing(seed), normalise_filing(back)) == []
    assert _pairs(evaluate(back).findings) == _pairs(evaluate(seed).findings)
    assert ("D6", "/projects/1/total/grade") in _pairs(evaluate(back).findings)


def test_results_the_filing_leaves_blank_stay_blank(seed, tmp_path):
    """The unit filed no score: the workbook does not file one for it (validating the workbook says
    what validating the filing says); the cell's note gives the formula to restore."""
    seed["projects"][0]["indicators"][0]["score"] = None  # on the JSON: E7 得分为空
    seed["projects"][0]["funds"]["total"]["rate"] = "　"
    path = build_workbook(seed, tmp_path / "book.xlsx")
    reading = read_workbook(path)
    back = reading.filing
    assert back["projects"][0]["indicators"][0]["score"] is None
    assert back["projects"][0]["funds"]["total"]["rate"] is None
    assert reading.findings == []  # blank as imported: not "typed over"
    assert ("E7", "/projects/0/indicators/0/score") in _pairs(evaluate(back).findings)
    assert _pairs(evaluate(back).findings) == _pairs(evaluate(seed).findings)
    import openpyxl

    cell = openpyxl.load_workbook(path)["附件3-1"][reading.locate("/projects/0/indicators/0/score")[1]]
    assert cell.value is None and "导入的原填报值：（空白）" in cell.comment.text and "=IF(" in cell.comment.text


def test_other_profile_writes_it_into_the_formulas(seed_data, tmp_path):
    path = build_workbook(seed_data, tmp_path / "hubei.xlsx", profile="hubei")
    reading = read_workbook(path)
    assert reading.profile == "hubei" and reading.findings == []
    assert _pairs(evaluate(reading.filing, "hubei").findings) == _pairs(evaluate(seed_data, "hubei").findings)
    import openpyxl

    sheet = openpyxl.load_workbook(path)["附件3-1"]
    assert "PERF_SCORE(E15,F15,G15,K15,L15,D15,规则配置,C15)" in sheet["H15"].value  # the profile, then 二级指标


def test_blank_workbook_reads_as_an_empty_filing(tmp_path):
    path = build_workbook(None, tmp_path / "blank.xlsx", projects=3)
    reading = read_workbook(path)
    assert reading.findings == []
    assert reading.filing["projects"] == []  # trailing blank project forms are not filed
    assert reading.filing["department"]["indicators"] == []


def test_a_blank_project_between_filled_ones_is_kept(seed, tmp_path):
    blank = copy.deepcopy(seed["projects"][1])
    seed["projects"][1] = {"name": None, "funds": {}, "indicators": []}
    back = _round_trip(seed, tmp_path)
    assert len(back["projects"]) == 5 and back["projects"][1]["name"] is None
    assert back["projects"][2]["name"] == seed["projects"][2]["name"] != blank["name"]


#: Where the seed's values sit in its master workbook (the official forms' addresses, written out).
SEED_CELLS = {
    "/unit": ("附件1", "C4"), "/year": ("附件1", "A3"), "/department/funds/total/full_year": ("附件1", "E7"),
    "/department/funds/by_income/gov_fund": ("附件1", "D10"), "/department/indicators/10/actual": ("附件1", "F26"),
    "/signoff/head": ("附件1", "I33"), "/projects/0/indicators/9/score": ("附件3-1", "H24"),
    "/projects/1/total/score": ("附件3-2", "H31"), "/projects/2/funds/total/executed": ("附件3-3", "F8"),
    "/projects/2/indicators/3/target": ("附件3-3", "E18"), "/projects/3/funds/other/rate": ("附件3-4", "H11"),
    "/projects/4/goal/actual": ("附件3-5", "F13"), "/department_report/text": ("自评报告", "C3"),
}


def test_locate_of_a_read_workbook_points_at_the_cells_holding_the_values(seed_book, seed_data):
    import openpyxl

    from xlfuncs.filing import resolve_pointer
    from xlfuncs.values import clean_text, parse_amount

    reading = read_workbook(seed_book)
    assert {pointer: reading.locate(pointer) for pointer in SEED_CELLS} == SEED_CELLS
    assert Locator(WorkbookShape(5, 16)).locate("/projects/3/funds/other/rate") == ("附件3-4", "H11")
    book = openpyxl.load_workbook(seed_book)
    checked = 0
    for pointer, (sheet, cell) in SEED_CELLS.items():
        found, filed = book[sheet][cell].value, resolve_pointer(seed_data, pointer)
        if isinstance(found, str) and found.startswith("="):
            continue  # a formula cell: its value is the rules' (see the recalculation tests)
        if filed is None:
            assert found is None, pointer
        elif pointer.endswith("/text"):
            assert clean_text(found) in clean_text(filed), pointer  # the report's first section
        elif isinstance(found, (int, float)):
            assert found == parse_amount(filed).value, pointer
        else:
            assert clean_text(found) == clean_text(filed), pointer
        checked += 1
    assert checked >= 10


def test_cli_new_validate_score(tmp_path, capsys, seed_data):
    out = tmp_path / "主表.xlsx"
    assert main(["new", "--from", str(SEED_JSON), "-o", str(out)]) == 0
    assert "已生成主工作簿" in capsys.readouterr().out and out.exists()
    before = sha256(out)
    assert main(["new", "--from", str(SEED_JSON), "-o", str(out)]) == 2
    assert "已存在" in capsys.readouterr().err and sha256(out) == before
    assert main(["new", "-o", str(out), "--force", "--projects", "2"]) == 0
    assert read_workbook(out).shape.projects == 2
    assert main(["new", "--from", str(SEED_JSON), "-o", str(out), "--force"]) == 0
    capsys.readouterr()
    assert main(["validate", str(out), "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert all("sheet" in f and "cell" in f for f in payload["findings"])
    assert main(["score", str(out), "--json"]) == 0
    tables = json.loads(capsys.readouterr().out)["tables"]
    assert tables[3]["budget"]["rate"] == pytest.approx(523.12 / 31.6, abs=1e-6)
    assert main(["validate", str(out)]) == 1
    assert "（附件3-3!H8）" in capsys.readouterr().out


def test_cli_new_refuses_bad_arguments(tmp_path, capsys):
    assert main(["new", "-o", str(tmp_path / "a.xls")]) == 2
    assert ".xlsx" in capsys.readouterr().err
    assert main(["new", "--from", str(tmp_path / "missing.json"), "-o", str(tmp_path / "b.xlsx")]) == 2
    assert "找不到文件" in capsys.readouterr().err
    assert not (tmp_path / "b.xlsx").exists()
    assert main(["new", "--profile", "nope", "-o", str(tmp_path / "c.xlsx")]) == 2
    assert "规则配置" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["new", "--projects", "0"])


def test_cli_new_default_name_in_current_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["new"]) == 0
    assert (tmp_path / "绩效自评主表.xlsm").exists()  # the desktop workbook with its VBA project
    assert "绩效自评主表.xlsm" in capsys.readouterr().out
    assert main(["new", "--runtime", "lite"]) == 0
    assert (tmp_path / "绩效自评主表.xlsx").exists()
    assert "xlwings Lite" in capsys.readouterr().out
    assert main(["new", "--runtime", "lite", "-o", str(tmp_path / "x.xlsm")]) == 2
