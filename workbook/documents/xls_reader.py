"""Legacy Excel (.xls, and WPS .et saved in the same BIFF8 format) → :class:`~xlfuncs.grid.Document`.

xlrd reads the compound file (no macro runs: xlrd does not execute anything and has no XML to
trick). Formatting info is loaded so that merged ranges and number formats are known: values
are shown as the user saw them (:mod:`.numfmt`), and each visible sheet becomes one table, its
used area worked out as for .xlsx (:func:`.spans.sheet_rows`). A password-protected workbook is
refused with one line.
"""

from __future__ import annotations

from pathlib import Path

from xlfuncs.filing import FilingError
from xlfuncs.grid import Document, Table

from .limits import CellBudget, damaged_while_reading, label
from .numfmt import LOCALE_BUILTINS, render, serial_to_datetime
from .spans import sheet_rows


def read_xls(path: Path, budget: CellBudget) -> Document:
    """Read every visible sheet of a BIFF .xls workbook as one table each."""
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True, ragged_rows=True,
                                  logfile=_Silent())
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise FilingError(f"{label(path)}设置了打开密码（已加密），请在 Excel/WPS 中取消密码后另存，再导入") from None
        raise FilingError(f"{label(path)}无法作为 .xls 工作簿打开（{exc}）") from None
    except Exception as exc:  # noqa: BLE001 - any parser failure is a damaged or foreign file
        raise FilingError(f"{label(path)}无法作为 .xls 工作簿打开（文件损坏或格式不受支持：{type(exc).__name__}）") from None
    document = Document(source=path.name)
    with damaged_while_reading(path):
        _read_sheets(path, book, document, budget)
    return document


def _read_sheets(path: Path, book, document: Document, budget: CellBudget) -> None:
    try:
        index = 0
        for number in range(book.nsheets):
            sheet = book.sheet_by_index(number)
            if sheet.visibility:
                document.notes.append(f"{label(path)}的隐藏工作表“{sheet.name}”未读取")
                continue
            rows = _sheet(path, book, sheet, budget)
            book.unload_sheet(number)
            if rows:
                index += 1
                document.blocks.append(Table(rows=rows, source=path.name, index=index, sheet=sheet.name))
    finally:
        book.release_resources()


def _sheet(path: Path, book, sheet, budget: CellBudget) -> list[list[str | None]]:
    import xlrd

    budget.check(sum(sheet.row_len(r) for r in range(sheet.nrows)))
    cells: dict[tuple[int, int], str] = {}
    row_ends: dict[int, int] = {}
    for r in range(sheet.nrows):
        row_ends[r] = sheet.row_len(r)
        for c in range(sheet.row_len(r)):
            cell = sheet.cell(r, c)
            if cell.ctype == xlrd.XL_CELL_EMPTY:
                continue
            cells[(r, c)] = _shown(book, cell)
    merges = [(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in sheet.merged_cells]
    return sheet_rows(path, budget, f"工作表“{sheet.name}”", cells, row_ends, merges)


def _shown(book, cell) -> str:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_TEXT:
        return cell.value
    if cell.ctype == xlrd.XL_CELL_BLANK:
        return ""
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#N/A")
    key, fmt = _format(book, cell.xf_index)
    value = cell.value
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            value = serial_to_datetime(value, bool(book.datemode))
        except (OverflowError, ValueError):
            pass
    return render(value, fmt, date1904=bool(book.datemode))


def _format(book, xf_index: int) -> tuple[int, str]:
    try:
        key = book.xf_list[xf_index].format_key
    except (IndexError, AttributeError):
        return 0, "General"
    if key in LOCALE_BUILTINS:
        return key, LOCALE_BUILTINS[key]
    fmt = book.format_map.get(key)
    return key, (fmt.format_str if fmt is not None else "General")


class _Silent:
    """xlrd writes warnings to a log file; imports have nowhere to show them."""

    def write(self, _text: str) -> None:
        return None
