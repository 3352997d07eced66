"""The seed, laid out as the official 附件1 / 附件3-N grids with its reports as paragraphs, is
recognised back to the seed's own values; the filing validates against the schema."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
from grid_factories import filing_document, form_grid

from xlfuncs.engine import evaluate
from xlfuncs.filing import FUND_COLUMNS, INDICATOR_KEYS, PROJECT_FUND_ROWS
from xlfuncs.grid import Document, Table
from xlfuncs.recognise import recognise_documents, recognise_tables

SCHEMA = json.loads((Path(__file__).parent / "data" / "filing.schema.json").read_text("utf-8"))


def blank(value):
    """Filed blank: None and "" are the same empty cell once on a form."""
    return "" if value is None else value


def fund_rows(table: dict, keys) -> dict:
    funds = table.get("funds") or {}
    return {k: {c: blank((funds.get(k) or {}).get(c)) for c in FUND_COLUMNS} for k in keys}


def indicators(table: dict) -> list[dict]:
    return [{k: blank(row.get(k)) for k in INDICATOR_KEYS} for row in table["indicators"]]


def test_seed_grids_give_back_the_seed(seed):
    result = recognise_documents([filing_document(seed)])
    filing = result.filing
    assert result.unplaced == [] and result.findings == []
    assert filing["year"] == 2022 and filing["unit"] == seed["unit"] and filing["money_unit"] == "万元"
    dept, got = seed["department"], filing["department"]
    assert got["name"] == dept["name"]
    assert fund_rows(got, ["total"]) == fund_rows(dept, ["total"])
    for key in ("by_income", "by_expense"):
        assert {k: blank(v) for k, v in got["funds"][key].items()} == \
            {k: blank(v) for k, v in dept["funds"][key].items() if v is not None or k in got["funds"][key]}
    assert got["goal"] == dept["goal"]
    assert indicators(got) == indicators(dept)
    assert got["total"] == dept["total"]
    assert filing["department_report"] == seed["department_report"]
    assert len(filing["projects"]) == len(seed["projects"])
    for mine, theirs in zip(filing["projects"], seed["projects"], strict=True):
        for key in ("name", "competent_department", "implementing_unit", "goal", "total", "report"):
            assert mine[key] == theirs[key], key
        assert fund_rows(mine, PROJECT_FUND_ROWS) == fund_rows(theirs, PROJECT_FUND_ROWS)
        assert indicators(mine) == indicators(theirs)
        assert mine["form"]["family"] == "10hao"


def test_seed_imported_gives_the_seed_findings(seed):
    """The imported seed is the seed: same scores, same findings (bar E7 on the empty 填报人 line
    that the grid has and the JSON seed lacks, which is not a finding here either)."""
    filing = recognise_documents([filing_document(seed)]).filing
    mine = {(f.rule, f.pointer) for f in evaluate(filing).findings if "/signoff/" not in f.pointer}
    theirs = {(f.rule, f.pointer) for f in evaluate(seed).findings}
    assert mine == theirs
    footer = [f for f in evaluate(filing).findings if "/signoff/" in f.pointer]
    assert {(f.rule, f.severity) for f in footer} <= {("E7", "info")}  # the blank footer line: a hint only
    assert [s.total for s in evaluate(filing).scores] == [s.total for s in evaluate(seed).scores]


def test_corrected_seed_imported_still_validates_clean(clean):
    filing = recognise_documents([filing_document(clean)]).filing
    run = evaluate(filing)
    assert [f for f in run.findings if f.severity == "error"] == []
    assert all(s.total == 100 for s in run.scores)


def test_seed_import_validates_against_the_schema(seed):
    filing = recognise_documents([filing_document(seed)]).filing
    jsonschema.validate(filing, SCHEMA)


def test_every_value_is_traced_to_its_cell(seed):
    result = recognise_documents([filing_document(seed)])
    trace = result.filing["trace"]
    origin = trace["/projects/2/funds/total/executed"]
    assert origin["file"] == "填报.docx" and origin["table"] == 4
    grid = form_grid(seed, 3)
    assert grid[origin["row"] - 1][origin["col"] - 1] == seed["projects"][2]["funds"]["total"]["executed"]
    assert trace["/department_report/text"]["paragraph"] == 2
    for pointer, value, _ in result.explain():
        assert value is not None or pointer.endswith(("/deviation", "/points", "/rate", "/score")), pointer


def test_project_tables_alone_make_a_project_only_filing(seed):
    tables = [Table(form_grid(seed, i), "项目.xlsx", i) for i in (1, 2)]
    filing = recognise_tables(tables).filing
    assert filing["department"] == {"name": "", "funds": {}, "indicators": [], "filed": False}
    assert [p["name"] for p in filing["projects"]] == [p["name"] for p in seed["projects"][:2]]
    jsonschema.validate(filing, SCHEMA)


def test_captions_order_the_projects(seed):
    grids = [form_grid(seed, i) for i in (3, 1, 2)]
    document = Document("乱序.docx", [Table(g, "乱序.docx", i + 1) for i, g in enumerate(grids)])
    filing = recognise_documents([document]).filing
    assert [p["name"] for p in filing["projects"]] == [p["name"] for p in seed["projects"][:3]]


@pytest.mark.parametrize("cut", [12, 17, 20])
def test_a_form_split_over_two_grids_is_joined(seed, cut):
    grid = form_grid(seed, 1)
    first, second = grid[:cut], grid[cut:]
    document = Document("分页.pdf", [Table(first, "分页.pdf", 1), Table(second, "分页.pdf", 2)])
    result = recognise_documents([document])
    project = result.filing["projects"][0]
    assert len(result.filing["projects"]) == 1 and result.unplaced == []
    assert indicators(project) == indicators(seed["projects"][0])
    assert project["total"] == seed["projects"][0]["total"]
    assert result.tables[0].joined == [2]


def test_recognising_does_not_touch_the_input(seed):
    document = filing_document(seed)
    before = copy.deepcopy([b.rows if isinstance(b, Table) else b.text for b in document.blocks])
    recognise_documents([document])
    assert [b.rows if isinstance(b, Table) else b.text for b in document.blocks] == before
