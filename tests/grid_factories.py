"""Grids of the official 附件1 / 附件3-N as a reader would hand them to the recogniser: the print
area of the project's own form layouts (rules.md §4), merged cells as ``None``, a filing's values
in their cells, 一级/二级指标 merged down their groups as in a Word or Excel original."""

from __future__ import annotations

from typing import Any

from openpyxl.utils.cell import range_boundaries

from workbook.layouts.forms import FormLayout, department_form, project_form
from xlfuncs.filing import resolve_pointer
from xlfuncs.grid import Document, Paragraph, Table

WIDTH = 9  # columns A–I: the printed form


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _place(grid: list[list[str | None]], ref: str, text: str) -> None:
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    if min_col > WIDTH:
        return
    for r in range(min_row, max_row + 1):
        for c in range(min_col, min(max_col, WIDTH) + 1):
            grid[r - 1][c - 1] = None
    grid[min_row - 1][min_col - 1] = text


def _merge_down(grid: list[list[str | None]], rows: range, col: int) -> None:
    """Merge runs of equal text in a column (一级/二级指标 groups)."""
    previous = None
    for r in rows:
        text = grid[r][col]
        if previous is not None and text == previous and text:
            grid[r][col] = None
        else:
            previous = text


def form_grid(filing: dict[str, Any], number: int) -> list[list[str | None]]:
    """The grid of 附件1 (``number`` 0) or 附件3-``number`` filled with the filing's values."""
    table = filing["department"] if number == 0 else filing["projects"][number - 1]
    count = max(1, len(table.get("indicators") or []))
    form: FormLayout = department_form(count) if number == 0 else project_form(number, count)
    grid: list[list[str | None]] = [[""] * WIDTH for _ in range(form.footer_row)]
    for static in form.statics:
        _place(grid, static.ref, static.text or "")
    year = f"（{filing['year']}年度）"
    for calc in form.calcs:
        if calc.role == "link":
            row = int("".join(ch for ch in calc.cell if ch.isdigit()))
            text = year if row == 3 else filing.get("unit", "") if row == 4 else ""
            _place(grid, calc.ref, text)
    for field in form.all_fields():
        if field.pointer == "/year":
            _place(grid, field.ref, year)
            continue
        _place(grid, field.ref, _text(resolve_pointer(filing, field.pointer)))
    first = form.first_row - 1
    rows = range(first, first + len(table.get("indicators") or []))
    _merge_down(grid, rows, 1)
    _merge_down(grid, rows, 2)
    return grid


def filing_document(filing: dict[str, Any], source: str = "填报.docx") -> Document:
    """A document of the whole filing: 附件1, 附件2, then 附件3-N and 附件4-N, in the official order."""
    blocks: list[Table | Paragraph] = []
    paragraphs = 0
    tables = 0

    def para(text: str) -> None:
        nonlocal paragraphs
        paragraphs += 1
        blocks.append(Paragraph(text, source, paragraphs))

    def table(grid: list[list[str | None]]) -> None:
        nonlocal tables
        tables += 1
        blocks.append(Table(grid, source, tables))

    table(form_grid(filing, 0))
    report = (filing.get("department_report") or {}).get("text")
    if report:
        para("附件2")
        for line in report.split("\n"):
            para(line)
    for i, project in enumerate(filing.get("projects") or [], start=1):
        table(form_grid(filing, i))
        text = (project.get("report") or {}).get("text")
        if text:
            para(f"附件4-{i}")
            for line in text.split("\n"):
                para(line)
    return Document(source, blocks)
