"""The workbook buttons: 校验 (validate), 导出 (export_package), 新增项目 (add_project).

Each action works on a live workbook through xlwings, whichever runtime runs it:

* classic desktop (Windows Excel + local Python): the VBA ``Buttons`` Subs run
  ``RunPython "import macros; macros.validate()"``; with no argument the book is
  ``xw.Book.caller()``;
* xlwings Lite (and xlwings' server code path the tests use): the same functions are
  ``@xw.script`` scripts whose first parameter is the injected ``book: xw.Book``; the Lite
  ``main.py`` adds one script per sheet button that calls the ``run_*`` functions here.

The actions only convert: cells → :func:`macros.session.session_from_grids` → findings →
:func:`workbook.marks.validation_view` (the same view ``perfeval check`` writes into a file) →
the 校验结果 rows and cell marks. They read the live values (unsaved edits included) and never
write a value into an input cell. In Lite they use only the actions its client documents
(:data:`workbook.lite.LITE_CLIENT_ACTIONS`): values (a formula is a value starting with "="),
fills, hyperlinks, sheets added and names.
"""

from __future__ import annotations

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
from workbook.layouts.cells import quote_sheet
from workbook.marks import MARK_FILLS, RESULTS, ValidationView, failure_view, now, validation_view
from workbook.reader import WorkbookReading, read_grids
from workbook.sheet_grid import SheetGrid
from xlfuncs.filing import FilingError, save_filing
from xlfuncs.findings import Finding, summarize
from xlfuncs.profiles import ProfileError

EXPORT_FOLDER = "导出"
__all__ = ["MARK_FILLS", "Outcome", "add_project", "export_package", "read_book", "run_export", "run_validate",
           "validate"]


@dataclass
class Outcome:
    """What a button did, in one Chinese status line, and the details tests look at."""

    ok: bool
    message: str
    findings: list[Finding] = field(default_factory=list)
    marked: dict[tuple[str, str], str] = field(default_factory=dict)  # (sheet, ref) → severity
    cleared: list[tuple[str, str]] = field(default_factory=list)
    path: Path | None = None


# ----------------------------------------------------------------------------- the live book

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


def is_remote(book: xw.Book) -> bool:
    """True for xlwings Lite / the server code path (the book is a JSON payload, not COM)."""
    return isinstance(book.api, dict)


def book_folder(book: xw.Book) -> Path | None:
    """The folder of a saved workbook (where a relative profile path in its settings points from)."""
    full = Path(book.fullname)
    return full.parent if full.is_absolute() else None


def read(book: xw.Book) -> tuple[dict[str, list[list[Any]]], WorkbookReading]:
    """The live book's values and the filing read from them."""
    grids = read_book(book)
    return grids, read_grids(live_grids(book, grids), source=f"工作簿“{book.name}”", base=book_folder(book))


@contextmanager
def unprotected(sheet: xw.Sheet) -> Iterator[None]:
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


def write_status(book: xw.Book, status: str) -> None:
    """The status line on 使用说明."""
    if sheet_layouts.GUIDE_SHEET in [s.name for s in book.sheets]:
        book.sheets[sheet_layouts.GUIDE_SHEET].range(sheet_layouts.STATUS_CELL).value = status


def _has_note(book: xw.Book) -> Any:
    def check(sheet: str, cell: str) -> bool:
        try:
            return book.sheets[sheet].range(cell).note is not None
        except (NotImplementedError, AttributeError, KeyError):
            return False
    return check


# ----------------------------------------------------------------------------- 校验

def _last_used_row(rows: list[list[Any]] | None) -> int:
    last = 0
    for number, row in enumerate(rows or [], start=1):
        if any(value not in (None, "") for value in row or []):
            last = number
    return last


def write_results(book: xw.Book, view: ValidationView, old_rows: list[list[Any]] | None) -> None:
    """Replace the 校验结果 rows with the view's rows (a hyperlink to each cell) and its status."""
    sheet = book.sheets[RESULTS.sheet]
    first = RESULTS.first_row
    old_last = _last_used_row(old_rows)
    if old_last >= first:
        sheet.range(f"A{first}:{RESULTS.columns[-1][1]}{old_last}").clear_contents()
    sheet.range(RESULTS.status_cell).value = view.status
    if not view.rows:
        return
    sheet.range(f"A{first}").value = view.rows
    column = RESULTS.column("单元格")
    for offset, where in enumerate(view.links):
        if where:
            target_sheet, cell = where.rsplit("!", 1)
            sheet.range(f"{column}{first + offset}").add_hyperlink(f"#{quote_sheet(target_sheet)}!{cell}", where,
                                                                  f"转到 {where}")


def apply_view(book: xw.Book, view: ValidationView, results_rows: list[list[Any]] | None) -> None:
    """Write a validation view into the live workbook: rows, status lines, restored and new marks."""
    names = {s.name for s in book.sheets}
    if RESULTS.sheet in names:
        write_results(book, view, results_rows)
    for (sheet_name, ref), fill in sorted(view.restore.items()):
        if sheet_name in names:
            sheet = book.sheets[sheet_name]
            with unprotected(sheet):
                sheet.range(ref).color = fill
    by_sheet: dict[str, list[tuple[str, str]]] = {}
    for (sheet_name, ref), severity in sorted(view.marks.items()):
        by_sheet.setdefault(sheet_name, []).append((ref, severity))
    for sheet_name, items in by_sheet.items():
        if sheet_name in names:
            sheet = book.sheets[sheet_name]
            with unprotected(sheet):
                for ref, severity in items:
                    sheet.range(ref).color = MARK_FILLS[severity]
    write_status(book, view.status)


def run_validate(book: xw.Book) -> Outcome:
    """校验: read the live workbook, run the engine, fill 校验结果, mark the cells, write the status."""
    grids = read_book(book)
    results_rows = grids.get(RESULTS.sheet)
    try:
        session = session_from_grids(live_grids(book, grids), source=f"工作簿“{book.name}”", base=book_folder(book))
    except (FilingError, ProfileError) as exc:
        view = failure_view(str(exc))
        apply_view(book, view, results_rows)
        return Outcome(False, view.status)
    shape = getattr(session.locate, "shape", None)
    view = validation_view(session.findings, shape, results_rows, _has_note(book))
    apply_view(book, view, results_rows)
    return Outcome(view.ok, view.status, session.findings, view.marks, sorted(view.restore))


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

    when = now()
    lite = sys.platform == "emscripten"
    with tempfile.TemporaryDirectory(prefix="perfeval-export-") as folder:
        try:
            if is_remote(book):
                _, reading = read(book)
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
            return _say(book, Outcome(False, status, exc.findings))
        except (ExportFailed, FilingError, ProfileError, OSError) as exc:
            return _say(book, Outcome(False, f"{when} 导出失败：{exc}"))
    where = "xlwings Lite 的 Files（/data）面板" if lite else str(result.folder.parent)
    status = f"{when} 已导出：{result.folder.name}（文件夹及同名 zip），位置：{where}"
    return _say(book, Outcome(True, status, result.findings, path=result.folder))


def _say(book: xw.Book, outcome: Outcome) -> Outcome:
    """The status line, and on the desktop a message box too (Lite documents no alert)."""
    write_status(book, outcome.message)
    if not is_remote(book):
        try:
            book.app.alert(outcome.message, "perfeval")
        except Exception:  # noqa: BLE001 - a message box is a courtesy; the status line has the text
            pass
    return outcome


# ----------------------------------------------------------------------------- the buttons

def _caller(book: xw.Book | None) -> xw.Book:
    return book if book is not None else xw.Book.caller()


def run_add_project(book: xw.Book) -> Outcome:
    """新增项目 (see :mod:`macros.add_project`)."""
    from macros.add_project import run_add_project as run

    return run(book)


def run_enable_formulas(book: xw.Book, formulas: dict[str, dict[str, str]]) -> Outcome:
    """启用公式 (xlwings Lite): re-enter every UDF formula so Excel binds it to the loaded add-in.
    A formula is written as a value starting with "=" (Office.js enters it as a formula)."""
    count = 0
    names = {s.name for s in book.sheets}
    for sheet_name, cells in formulas.items():
        if sheet_name not in names:
            continue
        sheet = book.sheets[sheet_name]
        for cell, text in cells.items():
            sheet.range(cell).value = text
            count += 1
    status = f"{now()} 已重新输入 {count} 个公式；之后保存工作簿即可，无需再点。"
    write_status(book, status)
    return Outcome(True, status)


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
