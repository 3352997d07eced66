"""Issue 9 acceptance: the seed as a unit types it in Word imports back to the seed, and through
``perfeval import`` into a master workbook that validates exactly as the imported JSON does.

The .docx is built by :mod:`seed_document` (the official tables with real merged cells, the seed's
values exactly as filed, the reports as paragraphs with their headings).
"""

from __future__ import annotations

import json

import pytest
from document_renders import write_docx, write_html
from seed_document import seed_blocks

from macros.cli import main
from macros.inputs import open_sources
from macros.session import open_session
from workbook.normalise import normalise_filing
from xlfuncs.engine import evaluate
from xlfuncs.filing import FUND_COLUMNS, INDICATOR_KEYS, PROJECT_FUND_ROWS


def _as_typed(value):
    """A value as a form shows it: blank for None, the text of a number."""
    return "" if value is None else str(value)


def _table_values(table: dict, fund_rows) -> dict:
    funds = table.get("funds") or {}
    return {"name": table.get("name"), "goal": table.get("goal"),
            "funds": {k: {c: _as_typed((funds.get(k) or {}).get(c)) for c in FUND_COLUMNS} for k in fund_rows},
            "indicators": [{k: _as_typed(row.get(k)) for k in INDICATOR_KEYS} for row in table["indicators"]],
            "total": {k: _as_typed(v) for k, v in (table.get("total") or {}).items()}}


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory, seed_data):
    return write_docx(tmp_path_factory.mktemp("word") / "去年.docx", seed_blocks(seed_data))


def test_seed_docx_imports_to_the_seed_values_as_filed(seed_docx, seed_data):
    opened = open_sources([seed_docx])
    filing = opened.filing
    assert opened.imported.unplaced == [] and opened.kind == "documents"
    assert (filing["unit"], filing["year"], filing["money_unit"]) == (seed_data["unit"], 2022, "万元")
    assert normalise_filing(filing) == normalise_filing(seed_data)
    assert _table_values(filing["department"], ["total"]) == _table_values(seed_data["department"], ["total"])
    for mine, theirs in zip(filing["projects"], seed_data["projects"], strict=True):
        assert _table_values(mine, PROJECT_FUND_ROWS) == _table_values(theirs, PROJECT_FUND_ROWS)
        assert (mine["competent_department"], mine["implementing_unit"]) == \
            (theirs["competent_department"], theirs["implementing_unit"])
    # as filed, character for character: full-width spaces, “10分”, line breaks inside a cell
    assert filing["projects"][0]["funds"]["total"]["initial"] == "　400"
    assert filing["projects"][0]["name"] == "水电维修费　　"
    assert filing["department"]["funds"]["total"]["points"] == "10分"
    assert filing["department"]["goal"]["expected"] == seed_data["department"]["goal"]["expected"]


def test_seed_docx_reports_come_back_line_for_line(seed_docx, seed_data):
    filing = open_sources([seed_docx]).filing
    def lines(text):
        return [line for line in (text or "").splitlines() if line.strip()]
    assert lines(filing["department_report"]["text"]) == lines(seed_data["department_report"]["text"])
    for mine, theirs in zip(filing["projects"], seed_data["projects"], strict=True):
        assert lines(mine["report"]["text"]) == lines(theirs["report"]["text"])


def test_validating_the_seed_docx_gives_the_seed_findings(seed_docx, seed_data):
    session = open_session(seed_docx)
    mine = sorted((f.rule, f.pointer, f.severity, f.message) for f in session.findings)
    theirs = sorted((f.rule, f.pointer, f.severity, f.message) for f in evaluate(seed_data).findings)
    assert mine == theirs
    assert [s.total for s in session.evaluation.scores] == [s.total for s in evaluate(seed_data).scores]


def test_corrected_seed_docx_validates_clean(tmp_path, corrected_data):
    path = write_docx(tmp_path / "更正.docx", seed_blocks(corrected_data))
    session = open_session(path)
    assert session.errors == 0 and all(s.total == 100 for s in session.evaluation.scores)
    assert normalise_filing(session.filing) == normalise_filing(corrected_data)


def test_seed_as_a_saved_web_page_imports_the_same(tmp_path, seed_data, seed_docx):
    page = write_html(tmp_path / "去年.htm", seed_blocks(seed_data), encoding="gb18030", declared="gbk")
    from_page, from_word = open_sources([page]).filing, open_sources([seed_docx]).filing
    assert normalise_filing(from_page) == normalise_filing(from_word) == normalise_filing(seed_data)


def _findings(capsys, path) -> list[tuple]:
    main(["validate", str(path), "--json"])
    payload = json.loads(capsys.readouterr().out)
    return payload["findings"]


@pytest.mark.parametrize("suffix", [".xlsm", ".xlsx"])
def test_import_to_a_workbook_then_validate_equals_the_imported_json(capsys, tmp_path, seed_docx, suffix):
    """`perfeval import 去年.docx -o 主工作簿.xlsm` then `perfeval validate 主工作簿.xlsm`: the same
    findings (rule and pointer) as validating the imported JSON, each placed on its sheet and cell."""
    book, as_json = tmp_path / f"主工作簿{suffix}", tmp_path / "去年.json"
    assert main(["import", str(seed_docx), "-o", str(book)]) == 0
    assert main(["import", str(seed_docx), "-o", str(as_json)]) == 0
    out = capsys.readouterr().out
    assert f"已写入 {book}" in out and f"已写入 {as_json}" in out
    in_book, in_json = _findings(capsys, book), _findings(capsys, as_json)
    assert sorted((f["rule"], f["pointer"]) for f in in_book) == sorted((f["rule"], f["pointer"]) for f in in_json)
    assert in_book and all(f.get("sheet") and f.get("cell") for f in in_book if f["table"] != "基本信息")
    assert len(in_json) == len(evaluate(json.loads(as_json.read_text(encoding="utf-8"))).findings)


def test_workbook_saved_back_as_json_for_next_year(capsys, tmp_path, seed_docx):
    """The master workbook imports to JSON (the guide's 明年接着用), each value traced to its cell."""
    book, back = tmp_path / "主工作簿.xlsx", tmp_path / "明年.json"
    assert main(["import", str(seed_docx), "-o", str(book)]) == 0
    capsys.readouterr()
    assert main(["import", str(book), "-o", str(back), "--explain"]) == 0
    out = capsys.readouterr().out
    assert "主工作簿“主工作簿.xlsx”：附件1、5 张项目表" in out
    filing = json.loads(back.read_text(encoding="utf-8"))
    assert normalise_filing(filing) == normalise_filing(open_sources([seed_docx]).filing)
    origin = filing["trace"]["/projects/0/funds/total/executed"]
    assert origin["file"] == "主工作簿.xlsx" and origin["sheet"] == "附件3-1" and origin["cell"][0].isalpha()
    assert f"/projects/0/funds/total/executed = “{filing['projects'][0]['funds']['total']['executed']}” ← " \
           f"主工作簿.xlsx 附件3-1!{origin['cell']}" in out
    assert main(["new", "--from", str(back), "-o", str(tmp_path / "明年.xlsx")]) == 0


def _renumbered(text: str) -> list[str]:
    """A report as another unit types it: headings numbered 1、 （1） 1) and the body as it was."""
    swaps = {"一、": "1、", "二、": "2、", "三、": "3、", "四、": "4、", "五、": "5、", "六、": "6、", "（一）": "(1)",
             "（二）": "(2)"}
    lines = []
    for line in text.splitlines()[1:]:  # its own title line instead
        for old, new in swaps.items():
            if line.startswith(old):
                line = new + " " + line[len(old):]
                break
        if line.strip():
            lines.append(line)
    return lines


def test_reports_titled_and_numbered_the_way_units_write_them(tmp_path, seed_data):
    """Captions “附件 2” / “附件4－1”, the unit's name over the title, titles “…项目绩效自评报告（2022年度）”,
    a 填报单位 line under it, headings numbered 1、 and (1): each report lands on its table, the cover
    lines are not text, and it cuts into the same outline sections as the filed text."""
    from document_renders import Para
    from seed_document import department_grid, project_grid

    from xlfuncs.outlines import DEPARTMENT_OUTLINE, PROJECT_OUTLINE, split_report

    seed = seed_data
    blocks = [Para("附件1"), department_grid(seed), Para("附件 2"), Para(seed["unit"], "Title"),
              Para("2022年度部门整体绩效自评报告", "Title"),
              *[Para(line) for line in _renumbered(seed["department_report"]["text"])]]
    for number, project in enumerate(seed["projects"], start=1):
        blocks += [Para(f"附件3－{number}"), project_grid(seed, project), Para(f"附件4－{number}"),
                   Para(f"{project['name'].strip()}项目绩效自评报告（2022年度）", "Title"), Para(f"填报单位：{seed['unit']}"),
                   *[Para(line) for line in _renumbered(project["report"]["text"])]]
    path = write_docx(tmp_path / "各写各的.docx", blocks)
    result = open_sources([path]).imported
    assert result.unplaced == []
    filing = result.filing
    assert filing["department_report"]["text"].splitlines()[0] == "2022年度部门整体绩效自评报告"
    mine = split_report(filing["department_report"]["text"], DEPARTMENT_OUTLINE)
    assert mine.bodies == split_report(seed["department_report"]["text"], DEPARTMENT_OUTLINE).bodies
    for got, filed in zip(filing["projects"], seed["projects"], strict=True):
        assert "填报单位" not in got["report"]["text"]
        assert split_report(got["report"]["text"], PROJECT_OUTLINE).bodies == \
            split_report(filed["report"]["text"], PROJECT_OUTLINE).bodies


def test_new_from_a_word_filing(capsys, tmp_path, seed_docx, seed_data):
    from workbook.reader import read_workbook

    target = tmp_path / "明年.xlsx"
    assert main(["new", "--from", str(seed_docx), "-o", str(target)]) == 0
    assert "由“" in capsys.readouterr().out
    assert normalise_filing(read_workbook(target).filing) == normalise_filing(seed_data)
