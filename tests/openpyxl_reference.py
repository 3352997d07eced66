"""The master-workbook reader's former file layer, kept as a reference for tests: every sheet read
with openpyxl (read-only), formula texts and values from one pass, cached values from a second
(``data_only``) pass, notes from the package. The product reads with :mod:`workbook.package_read`
(streamed, cells present only); ``test_workbook_read_paths`` checks both give the same readings
and findings on ordinary workbooks, so openpyxl stays an independent oracle for the new reader.
"""

from __future__ import annotations

import posixpath
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workbook.sheet_grid import SheetGrid

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"

def _part(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _notes_from_package(path: Path) -> dict[str, dict[str, str]]:
    """Cell notes (legacy comments) by sheet name, read from the package with defusedxml."""
    from defusedxml import ElementTree

    out: dict[str, dict[str, str]] = {}
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if not any("comments" in name.lower() for name in names):
            return out
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_NS_PKG}Relationship")}
        for sheet in book.iter(f"{_NS_MAIN}sheet"):
            part = _part("xl/workbook.xml", targets.get(sheet.get(f"{_NS_REL}id"), ""))
            sheet_rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
            if sheet_rels not in names:
                continue
            for rel in ElementTree.fromstring(archive.read(sheet_rels)).iter(f"{_NS_PKG}Relationship"):
                if not rel.get("Type", "").endswith("/comments"):
                    continue
                comments_part = _part(part, rel.get("Target", ""))
                if comments_part not in names:
                    continue
                notes = out.setdefault(sheet.get("name", ""), {})
                for comment in ElementTree.fromstring(archive.read(comments_part)).iter(f"{_NS_MAIN}comment"):
                    notes[comment.get("ref", "")] = "".join(t.text or "" for t in comment.iter(f"{_NS_MAIN}t"))
    return out


def grids_from_file(path: Path) -> dict[str, SheetGrid]:
    """Every sheet of the file as a :class:`SheetGrid` with values, formula texts and notes."""
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = None
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_vba=False,
                                          keep_links=False, rich_text=False)
            notes = _notes_from_package(path)
            sheets = [(ws.title, ws.iter_rows()) for ws in book.worksheets]
            grids = {}
            for title, rows in sheets:
                values: dict[str, Any] = {}
                formulas: dict[str, str] = {}
                for row in rows:
                    for cell in row:
                        value = getattr(cell, "value", None)
                        if value is None or value == "":
                            continue
                        if cell.data_type == "f":
                            text = value if isinstance(value, str) else str(getattr(value, "text", value))
                            formulas[cell.coordinate] = text if text.startswith("=") else "=" + text
                        else:
                            values[cell.coordinate] = value
                grids[title] = SheetGrid(values, formulas, notes.get(title, {}), None)
        finally:
            if book is not None:
                book.close()
    cache: dict[str, dict[str, Any]] = {}

    def cached_for(sheet: str) -> Callable[[str], Any]:
        def lookup(cell: str) -> Any:
            if not cache:
                cache.update(_cached_values(path))
            return cache.get(sheet, {}).get(cell)
        return lookup

    for title, grid in grids.items():
        grid.cached = cached_for(title)
    return grids


def _cached_values(path: Path) -> dict[str, dict[str, Any]]:
    """The values a file stores for its formula cells (loaded only when a changed formula needs them)."""
    import openpyxl

    out: dict[str, dict[str, Any]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_vba=False, keep_links=False)
        except Exception:  # noqa: BLE001 - the first load worked; without cached values we read none
            return out
        try:
            for ws in book.worksheets:
                out[ws.title] = {cell.coordinate: cell.value for row in ws.iter_rows() for cell in row
                                 if getattr(cell, "value", None) is not None}
        except Exception:  # noqa: BLE001 - as above
            return {}
        finally:
            book.close()
    return out
