"""新增项目: the next 附件3-N in a live workbook, wired into 项目汇总, 附件1's checks and 自评报告.

Desktop (COM): a copy of the last project sheet (formats, widths, validations and protection
come along), emptied and its formulas and fills put back as the builder writes them, the
copied notes removed. xlwings Lite documents neither copying a sheet nor deleting a note, so
there the sheet is added, given the last project sheet's formats (``Range.copy_from`` with
"formats"), and its labels and formulas are written as values (a formula is a value starting
with "="); column widths and data validation cannot be copied there, and the status line says so.
"""

from __future__ import annotations

import re
from typing import Any

import xlwings as xw

from macros.buttons import Outcome, is_remote, read, unprotected, write_status
from workbook.layouts import sheets as sheet_layouts
from workbook.layouts.cells import quote_sheet, split_cell, top_left
from workbook.layouts.expr import formula_text
from workbook.layouts.forms import DEPARTMENT_SHEET, PROJECT_PREFIX, FormLayout, project_form, project_sheet
from workbook.layouts.locate import WorkbookShape
from workbook.layouts.styles import fill_of
from workbook.marks import now
from xlfuncs.filing import FilingError
from xlfuncs.profiles import ProfileError

_PROJECT_RE = re.compile(r"^附件3-(\d+)$")
LITE_LIMITS = "（xlwings Lite 不能复制列宽和数据验证，新表的列宽请手工调整）"


def _project_numbers(names: list[str]) -> list[int]:
    return sorted(int(m.group(1)) for m in map(_PROJECT_RE.match, names) if m)


def _put_formula(sheet: xw.Sheet, ref: str, text: str) -> None:
    sheet.range(top_left(ref)).value = text  # a value starting with "=" is entered as a formula


def _blank_form(sheet: xw.Sheet, form: FormLayout, *, labels: bool) -> None:
    """Write a project form's contents as the builder does: inputs empty, every result and helper
    its formula with its own fill; ``labels`` also writes the labels (a sheet that was not copied)."""
    for f in form.all_fields():
        if f.is_result:
            _put_formula(sheet, f.ref, formula_text(f.formula, form.sheet))
            sheet.range(f.ref).color = fill_of(f.style)
        else:
            sheet.range(f.ref).clear_contents()
    for calc in form.all_calcs():
        _put_formula(sheet, calc.ref, formula_text(calc.formula, form.sheet))
    for static in form.statics:
        if static.text is not None and (labels or top_left(static.ref) == "A1"):
            sheet.range(top_left(static.ref)).value = static.text


def _remove_notes(sheet: xw.Sheet, form: FormLayout) -> None:
    """The copied imported-value notes (desktop only: Lite documents no way to delete one)."""
    for f in form.all_fields():
        if f.is_result:
            note = sheet.range(f.cell).note
            if note is not None:
                note.delete()


def _new_sheet(book: xw.Book, source: xw.Sheet, name: str, form: FormLayout) -> xw.Sheet:
    if not is_remote(book):
        new = source.copy(after=source, name=name)
        with unprotected(new):
            _remove_notes(new, form)
            _blank_form(new, form, labels=False)
        return new
    new = book.sheets.add(name, after=source)
    last = f"N{form.footer_row + 4}"
    new.range(f"A1:{last}").copy_from(source.range(f"A1:{last}"), copy_type="formats")
    _blank_form(new, form, labels=True)
    return new


def _rewire_summary(book: xw.Book, shape: WorkbookShape) -> None:
    """项目汇总 rows and checks for ``shape.projects`` projects, as the layouts give them."""
    forms = shape.forms()
    plain = sheet_layouts.summary_sheet(forms[0], forms[1:])
    sheet = book.sheets[plain.name]
    first, last = sheet_layouts.summary_rows(shape.projects)
    last_letter = sheet_layouts.SUMMARY_COLUMNS[-1][1]
    with unprotected(sheet):
        # cells inserted inside the project rows: Excel widens every range over them (the totals,
        # the checks on 附件1); the rows are then rewritten from the layout
        sheet.range(f"A{last - 1}:{last_letter}{last - 1}").insert("down", "format_from_left_or_above")
        for static in plain.statics:
            if split_cell(top_left(static.ref))[1] >= first and static.text is not None:
                sheet.range(top_left(static.ref)).value = static.text
        for cell, target, text in plain.links:
            sheet.range(cell).add_hyperlink(f"#{quote_sheet(target)}!A1", text, f"转到 {text}")
        for calc in plain.calcs:
            _put_formula(sheet, calc.ref, formula_text(calc.formula, plain.name))
    department = forms[0]
    dept_sheet = book.sheets[DEPARTMENT_SHEET]
    with unprotected(dept_sheet):
        for calc in department.calcs:
            if sheet_layouts.SUMMARY_SHEET in formula_text(calc.formula, DEPARTMENT_SHEET):
                _put_formula(dept_sheet, calc.ref, formula_text(calc.formula, DEPARTMENT_SHEET))


def _set_project_count(book: xw.Book, grids: dict[str, list[list[Any]]], count: int) -> None:
    rows = grids.get(sheet_layouts.GUIDE_SHEET) or []
    for number, row in enumerate(rows, start=1):
        if len(row) > 2 and isinstance(row[1], str) and row[1].strip() == sheet_layouts.SETTING_PROJECTS:
            sheet = book.sheets[sheet_layouts.GUIDE_SHEET]
            with unprotected(sheet):
                sheet.range(f"C{number}").value = count
            return


def _extend_report_sheet(book: xw.Book, count: int) -> None:
    """Rows for 附件4-``count`` at the end of 自评报告 (headings only; the 内容 cells stay empty,
    so the export drafts them until the user writes them)."""
    from workbook.report_sheet import SHEET_NAME, first_row
    from xlfuncs.outlines import PROJECT_OUTLINE

    if SHEET_NAME not in {s.name for s in book.sheets}:
        return
    sheet = book.sheets[SHEET_NAME]
    rows = [[f"附件4-{count}", section.heading] for section in PROJECT_OUTLINE.sections]
    with unprotected(sheet):
        sheet.range(f"A{first_row(count - 1)}").value = rows


def run_add_project(book: xw.Book) -> Outcome:
    """新增项目: the next 附件3-N, a blank form after the last one, wired into 项目汇总 and the checks."""
    when = now()
    try:
        grids, reading = read(book)
    except (FilingError, ProfileError) as exc:
        status = f"{when} 未新增项目：{exc}"
        write_status(book, status)
        return Outcome(False, status)
    numbers = _project_numbers([s.name for s in book.sheets])
    if not numbers:
        status = f"{when} 未新增项目：工作簿中没有“{PROJECT_PREFIX}1”可作样板"
        write_status(book, status)
        return Outcome(False, status)
    count = numbers[-1] + 1
    name = project_sheet(count)
    old_shape = reading.shape or WorkbookShape()
    shape = WorkbookShape(count, old_shape.capacity, old_shape.profile)
    form = project_form(count, shape.capacity, shape.profile, shape.forms()[0].footer_row)
    new = _new_sheet(book, book.sheets[project_sheet(numbers[-1])], name, form)
    for defined, cell in form.names:
        column, row = split_cell(cell)
        book.names.add(defined, f"={quote_sheet(name)}!${column}${row}")
    _rewire_summary(book, shape)
    _extend_report_sheet(book, count)
    _set_project_count(book, grids, count)
    status = (f"{when} 已新增 {name}（空白项目表），并已加入“{sheet_layouts.SUMMARY_SHEET}”、各项核对"
              f"与“自评报告”（附件4-{count}）。" + (LITE_LIMITS if is_remote(book) else ""))
    write_status(book, status)
    new.activate()
    return Outcome(True, status)
