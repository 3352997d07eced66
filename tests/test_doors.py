"""Every door gives the same answer: on a workbook with reader findings, under every shipped
profile (and a profile file), the CLI (``open_session``), the 校验 button (``macros.buttons``
through xlwings' server code path, as xlwings Lite runs it) and export's 校验报告 report the same
findings, with the same severity and message, at the same cells."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
from workbook_fixtures import book_json, run_script, target

from macros.export import CHECK_REPORT_NAME, export_package
from macros.session import open_session
from workbook.builder import build_workbook, plan_workbook, write_plan
from workbook.layouts import sheets as sheet_layouts
from xlfuncs.fileio import write_atomic
from xlfuncs.findings import SEVERITY_LABELS
from xlfuncs.profiles import available_profiles

RESULTS = sheet_layouts.RESULTS
_REPORT_LINE = re.compile(r"^  \[(?P<severity>\S+) (?P<rule>[A-Z]\d+)\] (?P<message>.*?)"
                          r"(?:（(?P<where>[^（）!]+![A-Z]+[0-9]+)）)?$")
PROFILE_FILE = """extends = "hubei"
name = "湖南2024"
title = "湖南省2024年口径"
[checks]
overshoot = 0.5
"""


def typed_and_recalculated(filing: dict, path: Path, profile: str, typed: dict[tuple[str, str], float]) -> Path:
    """The filing's master workbook after a user typed numbers into result cells and Excel
    recalculated: those cells hold constants (no note), every formula's saved value follows."""
    plan = plan_workbook(copy.deepcopy(filing), profile=profile)
    for (sheet, cell), value in typed.items():
        assert plan.model.is_formula(sheet, cell), (sheet, cell)
        plan.model.set(sheet, cell, value)
    plan.model.clear_cache()
    return write_atomic(path, write_plan(plan))


def cli_door(path: Path) -> list[tuple[str, str, str, str]]:
    return sorted((f.rule, SEVERITY_LABELS[f.severity], f"{f.sheet}!{f.cell}" if f.sheet else "", f.message)
                  for f in open_session(path).findings)


def button_door(path: Path) -> list[tuple[str, str, str, str]]:
    payload = book_json(path)
    names = [s["name"] for s in payload["sheets"]]
    actions = run_script("validate", payload)
    writes = [a for a in actions if a["func"] == "setValues" and target(a, names)[0] == RESULTS.sheet
              and a["start_row"] == RESULTS.first_row - 1]
    rows = writes[0]["values"] if writes else []
    return sorted((row[2], row[1], row[4], row[5]) for row in rows)


def export_door(path: Path, out: Path) -> list[tuple[str, str, str, str]]:
    result = export_package(path, out, force=True, pdf=False)
    text = (result.folder / CHECK_REPORT_NAME).read_text(encoding="utf-8-sig")
    found = []
    for line in text.splitlines():
        match = _REPORT_LINE.match(line)
        if match:
            found.append((match["rule"], match["severity"], match["where"] or "", match["message"]))
    return sorted(found)


@pytest.fixture(params=[*available_profiles(), "file"])
def edited_book(request, tmp_path, corrected_data) -> tuple[Path, str, str]:
    """The corrected filing's workbook under a profile, with two edits the reader finds: a score
    formula typed over with 7 (附件3-1, first row) and 5 typed into 附件1's first unused 得分 row."""
    profile = request.param
    if profile == "file":
        (tmp_path / "规则").mkdir()
        profile = str(tmp_path / "规则" / "湖南2024.toml")
        Path(profile).write_text(PROFILE_FILE, encoding="utf-8")
    path = build_workbook(corrected_data, tmp_path / "主工作簿.xlsx", profile=profile)
    session = open_session(path)
    assert session.errors == 0 and not session.reader_findings and session.profile.spec == profile
    project_cell = session.locate("/projects/0/indicators/0/score")[1]
    used = len(corrected_data["department"]["indicators"])
    last_sheet, last_cell = session.locate(f"/department/indicators/{used - 1}/score")
    unused_cell = f"H{int(last_cell[1:]) + 1}"
    typed_and_recalculated(corrected_data, path, profile, {("附件3-1", project_cell): 7.0,
                                                             (last_sheet, unused_cell): 5.0})
    return path, f"附件3-1!{project_cell}", f"附件1!{unused_cell}"


def test_cli_button_and_export_report_the_same_findings_at_the_same_cells(edited_book, tmp_path):
    path, overwritten, unused_row = edited_book
    cli = cli_door(path)
    assert {(rule, where) for rule, _, where, _ in cli} >= {("W1", overwritten), ("W1", unused_row)}
    assert ("D3", overwritten) in {(rule, where) for rule, _, where, _ in cli}  # 7 is not the rules' 10
    assert button_door(path) == cli
    assert export_door(path, tmp_path / "out") == cli
