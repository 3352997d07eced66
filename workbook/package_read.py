"""Open a master workbook file for the reader: refuse what is not one (with a Chinese line saying
why), read every sheet's values and formula texts with openpyxl (read-only, macros never run,
XML through defusedxml), the cell notes straight from the package, and the cached values of
formula cells only when they are needed."""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from xlfuncs.fileio import parse_relationships, relationship_targets, rels_path, resolve_target
from xlfuncs.filing import FilingError

from .sheet_grid import SheetGrid

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
MAX_UNPACKED_BYTES = 300 * 1024 * 1024


def check_file(path: Path) -> None:
    """FilingError (one Chinese line) unless ``path`` is a readable .xlsx/.xlsm package."""
    name = f"“{path.name}”"
    try:
        if path.is_dir():
            raise FilingError(f"{name}是文件夹，不是 Excel 工作簿")
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise FilingError(f"找不到文件“{path}”") from None
    except OSError as exc:
        raise FilingError(f"无法读取{name}：{exc.strerror or exc}") from None
    if head.startswith(_OLE_MAGIC):
        raise FilingError(f"{name}设置了打开密码（已加密），或是旧版 .xls 工作簿：请在 Excel 中取消打开密码，"
                          "或另存为 .xlsx/.xlsm 后再读取")
    if not head.startswith(_ZIP_MAGIC):
        raise FilingError(f"{name}不是 Excel 工作簿（.xlsx/.xlsm），无法读取")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" not in names:
                what = "Word 文档" if "word/document.xml" in names else "其他压缩文件"
                raise FilingError(f"{name}不是 Excel 工作簿（是{what}），无法读取")
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise FilingError(f"{name}解压后超过 {MAX_UNPACKED_BYTES // 1024 // 1024} MB，不像是绩效自评工作簿，未读取")
    except zipfile.BadZipFile:
        raise FilingError(f"{name}已损坏，无法作为 Excel 工作簿打开") from None


_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _notes_from_package(path: Path) -> dict[str, dict[str, str]]:
    """Cell notes (legacy comments) by sheet name, read from the package with defusedxml."""
    from defusedxml import ElementTree

    out: dict[str, dict[str, str]] = {}
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if not any("comments" in name.lower() for name in names):
            return out
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        targets = relationship_targets(archive.read, "xl/workbook.xml")
        for sheet in book.iter(f"{_NS_MAIN}sheet"):
            part = targets.get(sheet.get(f"{_NS_REL}id", ""), "")
            if rels_path(part) not in names:
                continue
            for rel in parse_relationships(archive.read(rels_path(part))):
                if not rel.get("Type", "").endswith("/comments"):
                    continue
                comments_part = resolve_target(part, rel.get("Target", ""))
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
        except Exception as exc:  # noqa: BLE001 - any parser failure is a damaged or foreign file
            raise FilingError(f"“{path.name}”无法作为 Excel 工作簿读取（文件损坏或格式不受支持：{type(exc).__name__}）") from None
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
