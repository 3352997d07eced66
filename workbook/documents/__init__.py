"""Import readers: every document a unit or bureau has becomes the same grid form.

:func:`read_document` turns a Word, Excel (.xlsx/.xlsm/.xls), web page, PDF or grid JSON file
into an :class:`xlfuncs.grid.Document` (tables as corpus-style grids, paragraphs, in document
order), which the recogniser turns into a filing. The kind is found from the file's content
(:mod:`.detect`), never its name. The perfeval master workbook is recognised too (kind ``MASTER``);
:func:`macros.inputs.open_sources`, the one way every door opens files, reads it with
:func:`workbook.reader.read_workbook` instead.
Anything unreadable raises :class:`xlfuncs.filing.FilingError` with one Chinese line.
"""

from __future__ import annotations

from pathlib import Path

from xlfuncs.filing import FilingError
from xlfuncs.grid import Document

from .detect import DOCX, GRID_JSON, HTML, MASTER, PDF, XLS, XLSX, Detected, detect
from .limits import CellBudget, label

__all__ = ["GRID_JSON", "MASTER", "Detected", "detect", "read_document"]


def _readers():
    from .docx_reader import read_docx
    from .grid_json import read_grid_json
    from .html_reader import read_html
    from .pdf_reader import read_pdf
    from .xls_reader import read_xls
    from .xlsx_reader import read_xlsx

    return {DOCX: read_docx, XLSX: read_xlsx, XLS: read_xls, HTML: read_html, PDF: read_pdf, GRID_JSON: read_grid_json}


def read_document(path: str | Path, detected: Detected | None = None) -> Document:
    """Read a document file into its grid form; :class:`FilingError` when it cannot be read or is empty.

    The master workbook is not a document: :func:`macros.inputs.open_sources` reads it with the workbook reader.
    """
    path = Path(path)
    detected = detected or detect(path)
    if detected.kind == MASTER:
        raise FilingError(f"{label(path)}是 perfeval 主工作簿，由工作簿读取器读取，不按普通表格导入")
    document = _readers()[detected.kind](path, CellBudget(path))
    if detected.note:
        document.notes.insert(0, detected.note)
    if not document.blocks:
        raise FilingError(f"{label(path)}中没有任何表格或文字，无法导入")
    return document
