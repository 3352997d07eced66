"""Workbooks for the runtime tests (VBA, Lite): the master workbook the builder makes from the seed."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def plain_workbook(tmp_path_factory, seed_data) -> Path:
    """The plain master workbook (.xlsx) built from the seed filing."""
    from workbook.builder import build_workbook

    return build_workbook(seed_data, tmp_path_factory.mktemp("plain") / "主工作簿.xlsx")


def sheet_names(path: Path) -> list[str]:
    """The workbook's sheet names in order."""
    from workbook.ooxml import Package

    return [sheet.name for sheet in Package.read(path).sheets()]


def book_json(path: Path, name: str = "主工作簿.xlsx") -> dict:
    """The payload xlwings Lite sends for a script: every sheet's values from A1 as Excel shows
    them (the workbook's cached values), and where its notes are."""
    import openpyxl
    import xlwings as xw

    shown = openpyxl.load_workbook(path, data_only=True)
    formulas = openpyxl.load_workbook(path)
    sheets = []
    for ws in shown.worksheets:
        rows = [["" if c.value is None else c.value for c in row]
                for row in ws.iter_rows(min_row=1, max_row=ws.max_row, min_col=1, max_col=ws.max_column)]
        notes = [{"address": c.coordinate} for row in formulas[ws.title].iter_rows() for c in row if c.comment]
        sheets.append({"name": ws.title, "values": rows, "pictures": [], "tables": [], "notes": notes,
                       "shapes": []})
    return {"client": "Office.js", "version": xw.__version__,
            "book": {"name": name, "active_sheet_index": 0, "selection": "A1"}, "names": [], "sheets": sheets}


def run_script(script: str, payload: dict) -> list[dict]:
    """Run a button script (``macros.buttons``) on a Lite-shaped payload through xlwings' server
    code path; the actions the Excel client would apply."""
    import asyncio
    import copy

    import xlwings as xw
    import xlwings.server as server

    from macros import buttons

    book = xw.Book(json=copy.deepcopy(payload))
    result = asyncio.run(server.custom_scripts_call(buttons, script, typehint_to_value={xw.Book: book}))
    return result.json()["actions"]


def target(action: dict, sheets: list[str]) -> tuple[str, list[str]]:
    """The sheet and the cells a client action addresses."""
    from workbook.layouts.expr import col_letters

    name = sheets[action["sheet_position"]]
    if action["start_row"] is None:
        return name, []
    top, left = action["start_row"] + 1, action["start_column"]
    cells = [f"{col_letters(left + c)}{top + r}" for r in range(action["row_count"])
             for c in range(action["column_count"])]
    return name, cells
