"""The workbook buttons: 校验 (validate), 导出 (export_package), 新增项目 (add_project).

Each action works on a live workbook through xlwings, whichever runtime runs it:

* classic desktop (Windows Excel + local Python): the VBA ``Buttons`` Subs run
  ``RunPython "import macros; macros.validate()"``; with no argument the book is
  ``xw.Book.caller()``;
* xlwings Lite (and xlwings' server code path the tests use): the same functions are
  ``@xw.script`` scripts whose first parameter is the injected ``book: xw.Book``; the Lite
  ``main.py`` adds one script per sheet button that calls the ``run_*`` functions here.

The actions only convert: cells → :func:`workbook.reader.read_grids` → the engine → findings
→ the 校验结果 rows and cell marks. They read the live values (unsaved edits included) and
never write a value into an input cell: validation writes only the 校验结果 sheet, the status
line and fill colours.

Longer than 400 lines: three actions, each with its runtime differences (COM, Lite, server
path) for reading the live book, its notes, marks and protection; issue 12 splits it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlwings as xw

from macros.session import session_from_grids
from workbook.layouts import sheets as sheet_layouts
from workbook.layouts.expr import cells_of, col_index, formula_text, quote_sheet, split_cell
from workbook.layouts.forms import DEPARTMENT_SHEET, PROJECT_PREFIX, FormLayout, project_form, project_sheet
from workbook.layouts.locate import WorkbookShape
from workbook.layouts.styles import fill_of
from workbook.reader import SheetGrid, WorkbookReading, read_grids
from xlfuncs.filing import FilingError, save_filing
from xlfuncs.findings import SEVERITY_LABELS, SEVERITY_ORDER, Finding, summarize
from xlfuncs.profiles import ProfileError

RESULTS = sheet_layouts.RESULTS
#: Fill of a marked cell, by the most severe finding on it.
MARK_FILLS = {"error": "#FFC7CE", "warning": "#FFEB9C", "info": "#DDEBF7"}
EXPORT_FOLDER = "导出"
_LOCATION_RE = re.compile(r"^(?P<sheet>.+)!(?P<cell>[A-Z]{1,3}[0-9]+)$")
_PROJECT_RE = re.compile(r"^附件3-(\d+)$")


@dataclass
class Outcome:
    """What a button did, in one Chinese status line, and the details tests look at."""

    ok: bool
    message: str
    findings: list[Finding] = field(default_factory=list)
    marked: dict[tuple[str, str], str] = field(default_factory=dict)  # (sheet, ref) → severity
    cleared: list[tuple[str, str]] = field(default_factory=list)
    path: Path | None = None


# ----------------------------------------------------------------------------- reading the live book

def read_book(book: xw.Book) -> dict[str, list[list[Any]]]:
    """Every sheet's values from A1 as displayed, error values as their text (``#N/A`` …)."""
    grids: dict[str, list[list[Any]]] = {}
    for sheet in book.sheets:
        last = sheet.used_range.last_cell
        values = sheet.range((1, 1), (last.row, last.column)).options(ndim=2, err_to_str=True).value
        grids[sheet.name] = values or []
    return grids


def _note_cell(note: Any) -> str | None:
    """The A1 address of a note's cell: the remote engine keeps its range, COM its parent cell."""
    where = getattr(getattr(getattr(note, "impl", None), "range", None), "address", None)
    if where is None:
        where = getattr(getattr(note.api, "Parent", None), "Address", None)
    return where.replace("$", "").split("!")[-1] if isinstance(where, str) else None


def read_notes(book: xw.Book) -> dict[str, dict[str, str]] | None:
    """Which cells carry a note, by sheet (the text when the runtime gives it synchronously, else "");
    None when the runtime cannot say (then the reader does not guess which results were typed over)."""
    found: dict[str, dict[str, str]] = {}
    try:
        for sheet in book.sheets:
            cells = found.setdefault(sheet.name, {})
            for note in sheet.notes:
                cell = _note_cell(note)
                if cell is None:
                    return None
                try:
                    cells[cell] = note.text or ""
                except NotImplementedError:  # xlwings Lite: the text needs an async fetch
                    cells[cell] = ""
    except (NotImplementedError, AttributeError, TypeError):
        return None
    return found


def live_grids(book: xw.Book, values: dict[str, list[list[Any]]]) -> dict[str, SheetGrid]:
    """The live book's sheets as the reader takes them: values as displayed and which cells carry notes."""
    notes = read_notes(book)
    return {name: SheetGrid.from_rows(rows, notes=None if notes is None else notes.get(name, {}))
            for name, rows in values.items()}


def _is_remote(book: xw.Book) -> bool:
    """True for xlwings Lite / the server code path (the book is a JSON payload, not COM)."""
    return isinstance(book.api, dict)


def _now() -> str:
    return dt.datetime.now().strftime("%Y-%m-%d %H:%M")


def book_folder(book: xw.Book) -> Path | None:
    """The folder of a saved workbook (where a relative profile path in its settings points from)."""
    full = Path(book.fullname)
    return full.parent if full.is_absolute() else None


def _read(book: xw.Book) -> tuple[dict[str, list[list[Any]]], WorkbookReading]:
    grids = read_book(book)
    return grids, read_grids(live_grids(book, grids), source=f"工作簿“{book.name}”", base=book_folder(book))


@contextmanager
def _unprotected(sheet: xw.Sheet) -> Iterator[None]:
    """Lift a password-less sheet protection while a desktop action writes, then put it back
    with the same allowances. Lite workbooks carry no sheet protection: nothing to do there."""
    api = sheet.api
    if isinstance(api, dict) or not getattr(api, "ProtectContents", False):
        yield
        return
    p = api.Protection
    settings = (api.ProtectDrawingObjects, True, api.ProtectScenarios, False, p.AllowFormattingCells,
                p.AllowFormattingColumns, p.AllowFormattingRows, p.AllowInsertingColumns, p.AllowInsertingRows,
                p.AllowInsertingHyperlinks, p.AllowDeletingColumns, p.AllowDeletingRows, p.AllowSorting,
                p.AllowFiltering, p.AllowUsingPivotTables)
    api.Unprotect("")
    try:
        yield
    finally:
        api.Protect("", *settings)


# ----------------------------------------------------------------------------- cell styles and marks

@dataclass(frozen=True)
class CellStyle:
    """A layout cell: its (merged) range, its style and, for a result, the imported-value style."""

    ref: str
    style: str
    claim_style: str = ""


def layout_cells(shape: WorkbookShape) -> dict[tuple[str, str], CellStyle]:
    """(sheet, cell) → the layout cell covering it, for every form of a workbook of ``shape``."""
    cells: dict[tuple[str, str], CellStyle] = {}
    for form in shape.forms():
        entries: list[tuple[str, CellStyle]] = [(s.ref, CellStyle(s.ref, s.style)) for s in form.statics]
        entries += [(c.ref, CellStyle(c.ref, c.style)) for c in form.all_calcs()]
        entries += [(f.ref, CellStyle(f.ref, f.style, f.claim_style if f.is_result else ""))
                    for f in form.all_fields()]
        for ref, style in entries:
            for row in cells_of(ref):
                for cell in row:
                    cells[(form.sheet, cell)] = style
    return cells


def _base_fill(sheet: xw.Sheet, style: CellStyle) -> str | None:
    """The fill the builder gave the cell: an imported value over a result (a note says so) is
    the claim colour, otherwise the style's own."""
    if style.claim_style:
        try:
            noted = sheet.range(style.ref.split(":")[0]).note is not None
        except (NotImplementedError, AttributeError):
            noted = False
        if noted:
            return fill_of(style.claim_style)
    return fill_of(style.style)


def previous_marks(results_rows: list[list[Any]] | None) -> set[tuple[str, str]]:
    """The cells the last validation marked: the 单元格 column of the 校验结果 rows."""
    if not results_rows:
        return set()
    index = col_index(RESULTS.column("单元格"))
    found = set()
    for row in results_rows[RESULTS.first_row - 1:]:
        if row and index < len(row) and isinstance(row[index], str):
            match = _LOCATION_RE.match(row[index].strip())
            if match:
                found.add((match.group("sheet"), match.group("cell")))
    return found


def _marks(findings: list[Finding], cells: dict[tuple[str, str], CellStyle]) -> dict[tuple[str, str], str]:
    """(sheet, ref) → the most severe severity among the findings placed on that layout cell."""
    marks: dict[tuple[str, str], str] = {}
    for finding in findings:
        if not finding.sheet or not finding.cell:
            continue
        style = cells.get((finding.sheet, finding.cell))
        if style is None:
            continue
        key = (finding.sheet, style.ref)
        current = marks.get(key)
        if current is None or SEVERITY_ORDER[finding.severity] < SEVERITY_ORDER[current]:
            marks[key] = finding.severity
    return marks


# ----------------------------------------------------------------------------- results sheet

def _shown(value: Any) -> Any:
    """A finding's expected/actual value as a cell shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, (int, str)):
        return value
    return json.dumps(value, ensure_ascii=False)


def _location(finding: Finding) -> str:
    return f"{finding.sheet}!{finding.cell}" if finding.sheet and finding.cell else ""


def _link(finding: Finding) -> str:
    if not (finding.sheet and finding.cell):
        return ""
    target = f"#{quote_sheet(finding.sheet)}!{finding.cell}".replace('"', '""')
    return f'=HYPERLINK("{target}","{_location(finding)}")'


def _last_used_row(rows: list[list[Any]] | None) -> int:
    last = 0
    for number, row in enumerate(rows or [], start=1):
        if any(value not in (None, "") for value in row or []):
            last = number
    return last


def write_results(book: xw.Book, findings: list[Finding], status: str,
                  old_rows: list[list[Any]] | None) -> None:
    """Replace the 校验结果 rows with ``findings`` (a link to each cell) and its status line."""
    sheet = book.sheets[RESULTS.sheet]
    first = RESULTS.first_row
    last_column = RESULTS.columns[-1][1]
    old_last = _last_used_row(old_rows)
    if old_last >= first:
        sheet.range(f"A{first}:{last_column}{old_last}").clear_contents()
    sheet.range(RESULTS.status_cell).value = status
    if not findings:
        return
    rows = []
    for number, f in enumerate(findings, start=1):
        rows.append([number, SEVERITY_LABELS.get(f.severity, f.severity), f.rule, f.table or "基本信息",
                     _location(f), f.message, _shown(f.expected), _shown(f.actual)])
    sheet.range(f"A{first}").value = rows
    link_column = RESULTS.column("单元格")
    links = [[_link(f)] for f in findings]
    if any(link for (link,) in links):
        sheet.range(f"{link_column}{first}:{link_column}{first + len(rows) - 1}").formula = links


def write_status(book: xw.Book, status: str) -> None:
    """The status line on 使用说明."""
    if sheet_layouts.GUIDE_SHEET in [s.name for s in book.sheets]:
        book.sheets[sheet_layouts.GUIDE_SHEET].range(sheet_layouts.STATUS_CELL).value = status


# ----------------------------------------------------------------------------- 校验

def run_validate(book: xw.Book) -> Outcome:
    """校验: read the live workbook, run the engine, fill 校验结果, mark the cells, write the status."""
    when = _now()
    grids = read_book(book)
    results_rows = grids.get(RESULTS.sheet)
    try:
        session = session_from_grids(live_grids(book, grids), source=f"工作簿“{book.name}”", base=book_folder(book))
    except (FilingError, ProfileError) as exc:
        status = f"{when} 校验未完成：{exc}"
        if RESULTS.sheet in grids:
            write_results(book, [], status, results_rows)
        write_status(book, status)
        return Outcome(False, status)
    findings = session.findings
    shape = getattr(session.locate, "shape", None)
    counts = summarize(findings)
    status = (f"{when} 校验：错误 {counts['errors']} 个，警告 {counts['warnings']} 个，提示 {counts['info']} 个"
              + ("。详见“校验结果”工作表，问题单元格已标色。" if findings else "。未发现问题。"))
    if RESULTS.sheet in grids:
        write_results(book, findings, status, results_rows)
    cells = layout_cells(shape or WorkbookShape())
    marks = _marks(findings, cells)
    marked_refs = {(sheet, ref.split(":")[0]) for sheet, ref in marks}
    sheet_names = {s.name for s in book.sheets}
    cleared = []
    for sheet_name, cell in sorted(previous_marks(results_rows)):
        style = cells.get((sheet_name, cell))
        if style is None or sheet_name not in sheet_names or (sheet_name, style.ref.split(":")[0]) in marked_refs:
            continue
        sheet = book.sheets[sheet_name]
        with _unprotected(sheet):
            sheet.range(style.ref).color = _base_fill(sheet, style)
        cleared.append((sheet_name, style.ref))
    by_sheet: dict[str, list[tuple[str, str]]] = {}
    for (sheet_name, ref), severity in sorted(marks.items()):
        by_sheet.setdefault(sheet_name, []).append((ref, severity))
    for sheet_name, items in by_sheet.items():
        sheet = book.sheets[sheet_name]
        with _unprotected(sheet):
            for ref, severity in items:
                sheet.range(ref).color = MARK_FILLS[severity]
    write_status(book, status)
    return Outcome(counts["errors"] == 0, status, findings, marks, cleared)


# ----------------------------------------------------------------------------- 导出

def _export_folder(book: xw.Book) -> Path:
    full = Path(book.fullname)
    if full.is_absolute() and full.parent.exists():
        return full.parent / EXPORT_FOLDER
    return Path.home() / "Documents" / f"perfeval{EXPORT_FOLDER}"


def run_export(book: xw.Book, out_dir: str | Path | None = None, *, pdf: bool | None = None) -> Outcome:
    """导出: build the filing package from the workbook as it is now and say where it is.

    Desktop: a copy of the open workbook (unsaved edits included) is exported next to it, in
    ``导出``. Lite (no file system of its own): the filing read from the live values is exported
    to ``/data``, where the Files panel offers it for download; PDFs need LibreOffice, so none.
    """
    from macros.export import ExportFailed, ExportRefused, export_package

    when = _now()
    lite = sys.platform == "emscripten"
    with tempfile.TemporaryDirectory(prefix="perfeval-export-") as folder:
        try:
            if _is_remote(book):
                _, reading = _read(book)
                source = Path(folder) / f"{Path(book.name).stem or '工作簿'}.json"
                filing = {**reading.filing, "profile": reading.profile}  # the workbook's own profile travels along
                save_filing(filing, source)
                target = Path(out_dir) if out_dir is not None else Path("/data" if lite else EXPORT_FOLDER)
            else:
                source = Path(folder) / Path(book.fullname).name
                book.api.SaveCopyAs(str(source))
                target = Path(out_dir) if out_dir is not None else _export_folder(book)
            result = export_package(source, target, pdf=(not lite) if pdf is None else pdf)
        except ExportRefused as exc:
            errors = summarize(exc.findings)["errors"] if exc.findings else 0
            status = (f"{when} 未导出：仍有 {errors} 个错误。请点“校验”查看并改正后再导出"
                      "（确需带错导出时，请用命令行 perfeval export 本工作簿 --force）"
                      if errors else f"{when} 未导出：{exc.message}")
            write_status(book, status)
            _alert(book, status)
            return Outcome(False, status, exc.findings)
        except (ExportFailed, FilingError, ProfileError, OSError) as exc:
            status = f"{when} 导出失败：{exc}"
            write_status(book, status)
            _alert(book, status)
            return Outcome(False, status)
    where = "xlwings Lite 的 Files（/data）面板" if lite else str(result.folder.parent)
    status = f"{when} 已导出：{result.folder.name}（文件夹及同名 zip），位置：{where}"
    write_status(book, status)
    _alert(book, status)
    return Outcome(True, status, result.findings, path=result.folder)


def _alert(book: xw.Book, text: str) -> None:
    try:
        book.app.alert(text, "perfeval")
    except Exception:  # noqa: BLE001 - a message box is a courtesy; the status line has the text
        pass


# ----------------------------------------------------------------------------- 新增项目

def _project_numbers(names: list[str]) -> list[int]:
    return sorted(int(m.group(1)) for m in map(_PROJECT_RE.match, names) if m)


def _put_formula(sheet: xw.Sheet, ref: str, text: str) -> None:
    sheet.range(ref.split(":")[0]).formula = text


def _reset_project_sheet(book: xw.Book, sheet: xw.Sheet, form: FormLayout) -> None:
    """Make a copied project sheet a blank form: inputs emptied, every formula and fill as built."""
    for f in form.all_fields():
        if f.is_result:
            _put_formula(sheet, f.ref, formula_text(f.formula, form.sheet))
            sheet.range(f.ref).color = fill_of(f.style)
            try:
                note = sheet.range(f.cell).note
                if note is not None:
                    note.delete()
            except (NotImplementedError, AttributeError):
                pass
        else:
            sheet.range(f.ref).clear_contents()
    for calc in form.all_calcs():
        _put_formula(sheet, calc.ref, formula_text(calc.formula, form.sheet))
    for static in form.statics:
        if static.ref.split(":")[0] == "A1":
            sheet.range("A1").value = static.text


def _rewire_summary(book: xw.Book, shape: WorkbookShape) -> None:
    """项目汇总 rows and checks for ``shape.projects`` projects, as the layouts give them."""
    forms = shape.forms()
    plain = sheet_layouts.summary_sheet(forms[0], forms[1:])
    sheet = book.sheets[plain.name]
    first, last = sheet_layouts.summary_rows(shape.projects)
    last_letter = sheet_layouts.SUMMARY_COLUMNS[-1][1]
    with _unprotected(sheet):
        # cells inserted inside the project rows: Excel widens every range over them (the totals,
        # the checks on 附件1); the rows are then rewritten from the layout
        sheet.range(f"A{last - 1}:{last_letter}{last - 1}").insert("down", "format_from_left_or_above")
        for static in plain.statics:
            row = split_cell(static.ref.split(":")[0])[1]
            if row >= first and static.text is not None:
                sheet.range(static.ref.split(":")[0]).value = static.text
        for cell, target, text in plain.links:
            sheet.range(cell).add_hyperlink(f"#{quote_sheet(target)}!A1", text, text)
        for calc in plain.calcs:
            _put_formula(sheet, calc.ref, formula_text(calc.formula, plain.name))
    department = forms[0]
    dept_sheet = book.sheets[DEPARTMENT_SHEET]
    with _unprotected(dept_sheet):
        for calc in department.calcs:
            if sheet_layouts.SUMMARY_SHEET in formula_text(calc.formula, DEPARTMENT_SHEET):
                _put_formula(dept_sheet, calc.ref, formula_text(calc.formula, DEPARTMENT_SHEET))


def _set_project_count(book: xw.Book, grids: dict[str, list[list[Any]]], count: int) -> None:
    rows = grids.get(sheet_layouts.GUIDE_SHEET) or []
    for number, row in enumerate(rows, start=1):
        if len(row) > 2 and isinstance(row[1], str) and row[1].strip() == sheet_layouts.SETTING_PROJECTS:
            sheet = book.sheets[sheet_layouts.GUIDE_SHEET]
            with _unprotected(sheet):
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
    label = f"附件4-{count}"
    rows = [[label, section.heading] for section in PROJECT_OUTLINE.sections]
    with _unprotected(sheet):
        sheet.range(f"A{first_row(count - 1)}").value = rows


def run_add_project(book: xw.Book) -> Outcome:
    """新增项目: the next 附件3-N, a blank copy of the last one, wired into 项目汇总 and the checks."""
    when = _now()
    try:
        grids, reading = _read(book)
    except (FilingError, ProfileError) as exc:
        status = f"{when} 未新增项目：{exc}"
        write_status(book, status)
        return Outcome(False, status)
    names = [s.name for s in book.sheets]
    numbers = _project_numbers(names)
    if not numbers:
        status = f"{when} 未新增项目：工作簿中没有“{PROJECT_PREFIX}1”可作样板"
        write_status(book, status)
        return Outcome(False, status)
    count = numbers[-1] + 1
    name = project_sheet(count)
    old_shape = reading.shape or WorkbookShape()
    shape = WorkbookShape(count, old_shape.capacity, old_shape.profile_arg)
    source = book.sheets[project_sheet(numbers[-1])]
    new = source.copy(after=source, name=name)
    form = project_form(count, shape.capacity, shape.profile_arg)
    with _unprotected(new):
        _reset_project_sheet(book, new, form)
    if _is_remote(book):  # Lite: copied button shapes still link to the source sheet's cells
        try:
            for shape_item in list(new.shapes)[::-1]:
                shape_item.delete()
        except (KeyError, NotImplementedError, AttributeError):
            pass
    for defined, cell in form.names:
        column, row = split_cell(cell)
        book.names.add(defined, f"={quote_sheet(name)}!${column}${row}")
    _rewire_summary(book, shape)
    _extend_report_sheet(book, count)
    _set_project_count(book, grids, count)
    status = (f"{when} 已新增 {name}（空白项目表），并已加入“{sheet_layouts.SUMMARY_SHEET}”、各项核对"
              f"与“自评报告”（附件4-{count}）。")
    write_status(book, status)
    new.activate()
    return Outcome(True, status)


def run_enable_formulas(book: xw.Book, formulas: dict[str, dict[str, str]]) -> Outcome:
    """启用公式 (xlwings Lite): re-enter every UDF formula so Excel binds it to the loaded add-in."""
    count = 0
    names = {s.name for s in book.sheets}
    for sheet_name, cells in formulas.items():
        if sheet_name not in names:
            continue
        sheet = book.sheets[sheet_name]
        for cell, text in cells.items():
            sheet.range(cell).formula = text
            count += 1
    status = f"{_now()} 已重新输入 {count} 个公式；之后保存工作簿即可，无需再点。"
    write_status(book, status)
    return Outcome(True, status)


# ----------------------------------------------------------------------------- the buttons

def _caller(book: xw.Book | None) -> xw.Book:
    return book if book is not None else xw.Book.caller()


@xw.script
def validate(book: xw.Book = None) -> None:
    """校验：检查全部表格，结果写入“校验结果”，问题单元格标色。"""
    run_validate(_caller(book))


@xw.script
def export_package(book: xw.Book = None) -> None:
    """导出：生成报送材料（有错误时不导出），并告知位置。"""
    run_export(_caller(book))


@xw.script
def add_project(book: xw.Book = None) -> None:
    """新增项目：在最后一张附件3之后增加一张空白的项目表。"""
    run_add_project(_caller(book))
