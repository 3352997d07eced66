"""Excel (.xlsx/.xlsm) → :class:`~xlfuncs.grid.Document`, with openpyxl: one table per visible sheet.

openpyxl reads the package in read-only mode with cached values only (no formula is evaluated,
no macro runs; its XML goes through defusedxml). Each value is shown as the user saw it under
its number format (:mod:`.numfmt`); merged ranges come from the sheet's ``<mergeCells>`` (read
with defusedxml) and are resolved to the grid convention. The table is the sheet's used area
worked out from the cells present (values and merged ranges), not from the dimension the file
states: a row ends at its last cell present in the file, a cell present without a value is
``""``. Hidden sheets are skipped and noted; formula cells the file saved without a result are
``""`` and noted. Text comes back as typed: Excel's ``_x000D_``-style escapes are undone.
"""

from __future__ import annotations

import warnings
from contextlib import closing
from pathlib import Path

import defusedxml.ElementTree as SafeET

from workbook.excel_text import decode
from xlfuncs.filing import FilingError
from xlfuncs.grid import Document, Table

from .limits import CellBudget, damaged_while_reading, label
from .numfmt import LOCALE_BUILTINS, render
from .spans import sheet_rows

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def read_xlsx(path: Path, budget: CellBudget) -> Document:
    """Read every visible sheet of an .xlsx/.xlsm file as one table each."""
    import openpyxl

    document = Document(source=path.name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_vba=False,
                                          keep_links=False, rich_text=False)
        except Exception as exc:  # noqa: BLE001 - any parser failure is a damaged or foreign file
            raise FilingError(f"{label(path)}无法作为 Excel 工作簿打开（文件损坏或格式不受支持：{type(exc).__name__}）") from None
        with damaged_while_reading(path), closing(book):
            date1904 = getattr(book, "epoch", None) is not None and book.epoch.year == 1904
            index = 0
            for ws in book.worksheets:
                if getattr(ws, "sheet_state", "visible") != "visible":
                    document.notes.append(f"{label(path)}的隐藏工作表“{ws.title}”未读取")
                    continue
                merges, missing = _sheet_extras(book, ws)
                rows = _sheet_rows(path, ws, merges, missing, budget, date1904)
                if not rows:
                    continue
                index += 1
                document.blocks.append(Table(rows=rows, source=path.name, index=index, sheet=ws.title))
                if missing:
                    document.notes.append(f"{label(path)}工作表“{ws.title}”有 {len(missing)} 个公式单元格没有保存计算结果，"
                                          "读作空白（请在 Excel/WPS 中打开并保存一次后再导入）")
    return document


def _sheet_extras(book, ws) -> tuple[list[tuple[int, int, int, int]], set[tuple[int, int]]]:
    """From the sheet's XML: every merged range as (min_row, min_col, max_row, max_col), 1-based,
    and the 0-based positions of formula cells with no stored result (openpyxl's value-only view
    hides both)."""
    from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries

    archive = getattr(book, "_archive", None)
    part = getattr(ws, "_worksheet_path", None)
    if archive is None or part is None:
        return [], set()
    merges, missing = [], set()
    with archive.open(part) as source:
        for _, element in SafeET.iterparse(source, events=("end",)):
            tag = element.tag
            if tag == f"{_NS}c":
                stored = element.find(f"{_NS}v")
                if element.find(f"{_NS}f") is not None and (stored is None or not stored.text):
                    try:
                        row, col = coordinate_to_tuple(element.get("r", ""))
                        missing.add((row - 1, col - 1))
                    except (ValueError, TypeError):
                        pass
            elif tag == f"{_NS}mergeCell":
                try:
                    min_col, min_row, max_col, max_row = range_boundaries(element.get("ref", ""))
                except (ValueError, TypeError):
                    continue
                merges.append((min_row, min_col, max_row, max_col))
            elif tag == f"{_NS}row":
                element.clear()
    return merges, missing


def _sheet_rows(path: Path, ws, merges, formulas: set[tuple[int, int]], budget: CellBudget,
                date1904: bool) -> list[list[str | None]]:
    """The sheet's used area as grid rows."""
    from openpyxl.cell.read_only import EmptyCell

    ws.reset_dimensions()  # the stated dimension is a hint that may be wrong; read the cells present
    cells: dict[tuple[int, int], str] = {}
    row_ends: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell, EmptyCell) or cell.row is None:
                continue
            r, c = cell.row - 1, cell.column - 1
            if len(cells) % 65536 == 65535:
                budget.check(len(cells))
            row_ends[r] = max(row_ends.get(r, 0), c + 1)
            value = cell.value
            if value is None:
                cells[(r, c)] = ""
                continue
            text = decode(value) if isinstance(value, str) else render(value, _format(cell), date1904=date1904)
            cells[(r, c)] = text
    return sheet_rows(path, budget, f"工作表“{ws.title}”", cells, row_ends, merges, formulas)


def _format(cell) -> str:
    """The cell's number format, with the locale-dependent built-ins in their Chinese form."""
    style = getattr(cell, "style_array", None)
    number_id = getattr(style, "numFmtId", None)
    if number_id in LOCALE_BUILTINS:
        return LOCALE_BUILTINS[number_id]
    return cell.number_format or "General"
