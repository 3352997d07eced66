"""Open a master workbook file for the reader: refuse what is not one (with a Chinese line saying
why), list its sheets from ``xl/workbook.xml`` and check the limits before reading any, then
read each sheet the reader asks for, when it asks (:class:`~workbook.sheet_grid.SheetSource`).

Sheets are streamed by :mod:`workbook.sheet_xml` (cells present only, a budget on cells and
time, bad cells listed rather than fatal); the small parts (workbook, relationships, styles,
cell notes) are read whole with defusedxml, each under a size limit. Macros never run; nothing
is written. The values saved for formula cells come from the same pass.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from xlfuncs.fileio import parse_relationships, rels_path, resolve_target
from xlfuncs.filing import FilingError, read_head

from .excel_text import decode
from .limits import MAX_PART_BYTES, MAX_SHEETS, MAX_UNPACKED_BYTES
from .sheet_grid import SheetGrid, SheetSource
from .sheet_xml import ReadBudget, SheetCells, read_shared_strings, read_sheet

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_STRICT_MAIN = "{http://purl.oclc.org/ooxml/spreadsheetml/main}"
# number formats Excel shows as dates or times: built-ins (with the Chinese locale's 27–36, 50–58)
_DATE_FORMAT_IDS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])


def check_file(path: Path) -> None:
    """FilingError (one Chinese line) unless ``path`` is a readable .xlsx/.xlsm package."""
    name = f"“{path.name}”"
    head = read_head(path, 8, name, "不是 Excel 工作簿")
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


@dataclass
class _Sheet:
    name: str
    part: str


@dataclass
class Package:
    """An open workbook package: its sheets in order, and what reading them needs."""

    path: Path
    archive: zipfile.ZipFile
    sheets: list[_Sheet]
    date1904: bool
    dates: frozenset[str]
    budget: ReadBudget
    _strings: list[str] | None = None
    _bad_strings: dict[int, str] = field(default_factory=dict)
    _strings_problem: str | None = None
    _strings_read: bool = False
    names: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        return f"“{self.path.name}”"

    def _bytes(self, part: str) -> bytes:
        """A small part's bytes, refused above :data:`MAX_PART_BYTES`."""
        info = self.archive.getinfo(part)
        if info.file_size > MAX_PART_BYTES:
            raise FilingError(f"{self.label}中的“{part}”有 {info.file_size // 1024 // 1024} MB，"
                              f"超过上限 {MAX_PART_BYTES // 1024 // 1024} MB，不像是绩效自评主工作簿，未读取")
        return self.archive.read(part)

    def _xml(self, part: str, parse=ElementTree.fromstring):
        """A small part parsed whole with defusedxml (None when absent)."""
        if part not in self.names:
            return None
        try:
            return parse(self._bytes(part))
        except DefusedXmlException:
            raise FilingError(f"{self.label}中的“{part}”含有文档类型或实体声明，正常的 Office 文件没有它，"
                              "为安全起见未读取") from None
        except ElementTree.ParseError as exc:
            line, column = getattr(exc, "position", (0, 0))
            raise FilingError(f"{self.label}无法作为 Excel 工作簿读取：其中的“{part}”XML 已损坏"
                              f"（第 {line} 行第 {column + 1} 列），文件可能不完整") from None
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise FilingError(f"{self.label}无法作为 Excel 工作簿读取：其中的“{part}”已损坏，无法解压"
                              f"（{type(exc).__name__}）") from None

    def string(self, index: int) -> str:
        """Shared string ``index``; LookupError saying why it cannot be had."""
        if not self._strings_read:
            self._strings_read = True
            self._strings, self._bad_strings, self._strings_problem = self._load_strings()
        if self._strings is None:
            raise LookupError(self._strings_problem or "共享字符串表缺失")
        if index >= len(self._strings):
            raise LookupError(f"共享字符串编号 {index} 不存在（共 {len(self._strings)} 个）")
        if index in self._bad_strings:
            raise LookupError(self._bad_strings[index])
        return self._strings[index]

    def _load_strings(self) -> tuple[list[str] | None, dict[int, str], str | None]:
        part = "xl/sharedStrings.xml"
        for rel in self._xml(rels_path("xl/workbook.xml"), parse_relationships) or []:
            if rel.get("Type", "").endswith("/sharedStrings"):
                part = resolve_target("xl/workbook.xml", rel.get("Target", ""))
        if part not in self.names:
            return None, {}, f"共享字符串表（{part}）缺失，文件不完整"
        try:
            with self.archive.open(part) as stream:
                return *read_shared_strings(stream, self.budget, f"的“{part}”"), None
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            return None, {}, f"共享字符串表（{part}）已损坏，无法解压（{type(exc).__name__}）"

    def _notes(self, sheet: _Sheet) -> dict[str, str]:
        """Cell notes (legacy comments) of a sheet."""
        notes: dict[str, str] = {}
        for rel in self._xml(rels_path(sheet.part), parse_relationships) or []:
            if not rel.get("Type", "").endswith("/comments"):
                continue
            comments = self._xml(resolve_target(sheet.part, rel.get("Target", "")))
            if comments is None:
                continue
            for comment in comments.iter(f"{_NS_MAIN}comment"):
                notes[comment.get("ref", "")] = decode("".join(t.text or "" for t in comment.iter(f"{_NS_MAIN}t")))
        return notes

    def _cells(self, sheet: _Sheet, last_row: int | None) -> SheetCells:
        where = f"工作表“{sheet.name}”"
        if sheet.part not in self.names:
            raise FilingError(f"{self.label}的{where}在文件中找不到（缺少“{sheet.part}”），文件已损坏，无法读取")
        stream: IO[bytes]
        try:
            with self.archive.open(sheet.part) as stream:
                return read_sheet(stream, strings=self.string, dates=self.dates, date1904=self.date1904,
                                  budget=self.budget, where=where, last_row=last_row)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise FilingError(f"{self.label}的{where}（“{sheet.part}”）已损坏，无法解压读取（{type(exc).__name__}）") from None

    def grid(self, name: str, last_row: int | None = None) -> SheetGrid:
        """One sheet (only its first ``last_row`` rows when given) as a :class:`SheetGrid`."""
        sheet = next(s for s in self.sheets if s.name == name)
        cells = self._cells(sheet, last_row)
        notes = self._notes(sheet) if last_row is None else {}
        return SheetGrid(cells.values, cells.formulas, notes, cells.cached.get, problems=cells.problems,
                         bad_refs=cells.bad_refs)


def _date_styles(package_xml) -> frozenset[str]:
    """Indices (as text) of the cell formats that show numbers as dates or times."""
    from .documents.numfmt import is_date_format

    if package_xml is None:
        return frozenset()
    custom = {}
    for fmt in package_xml.iter(f"{_NS_MAIN}numFmt"):
        try:
            custom[int(fmt.get("numFmtId", "-1"))] = fmt.get("formatCode", "")
        except ValueError:
            continue
    xfs = package_xml.find(f"{_NS_MAIN}cellXfs")
    found = set()
    for index, xf in enumerate(xfs if xfs is not None else []):
        try:
            number = int(xf.get("numFmtId", "0"))
        except ValueError:
            continue
        if number in custom:
            if is_date_format(custom[number]):
                found.add(str(index))
        elif number in _DATE_FORMAT_IDS:
            found.add(str(index))
    return frozenset(found)


def open_package(path: Path) -> Package:
    """List the sheets of a checked package (:func:`check_file`) and refuse too many before reading any."""
    archive = zipfile.ZipFile(path)
    try:
        package = Package(path, archive, [], False, frozenset(), ReadBudget(f"“{path.name}”"))
        package.names = set(archive.namelist())
        book = package._xml("xl/workbook.xml")
        if book is not None and book.tag.startswith(_STRICT_MAIN):
            raise FilingError(f"“{path.name}”是“严格 Open XML”格式的工作簿，请在 Excel 中另存为普通的 .xlsx/.xlsm 后再读取")
        targets = {rel.get("Id", ""): resolve_target("xl/workbook.xml", rel.get("Target", ""))
                   for rel in package._xml(rels_path("xl/workbook.xml"), parse_relationships) or []}
        listed = list(book.iter(f"{_NS_MAIN}sheet")) if book is not None else []
        if len(listed) > MAX_SHEETS:
            raise FilingError(f"“{path.name}”有 {len(listed):,} 张工作表，超过上限 {MAX_SHEETS}，"
                              "不像是绩效自评主工作簿，未读取")
        for sheet in listed:
            name = sheet.get("name", "")
            part = targets.get(sheet.get(f"{_NS_REL}id", "")) or f"（工作表“{name}”没有对应的部件）"
            package.sheets.append(_Sheet(name, part))
        properties = book.find(f"{_NS_MAIN}workbookPr") if book is not None else None
        package.date1904 = properties is not None and properties.get("date1904", "0").lower() in ("1", "true")
        package.dates = _date_styles(package._xml("xl/styles.xml"))
        return package
    except BaseException:
        archive.close()
        raise


def grids_from_file(path: Path) -> SheetSource:
    """The sheets of the file, each read (values, formula texts, notes, problems) when first used.

    The package stays open until ``close()`` is called on the returned source.
    """
    package = open_package(path)
    return SheetSource([s.name for s in package.sheets], package.grid, lambda name, rows: package.grid(name, rows),
                       package.archive.close)
