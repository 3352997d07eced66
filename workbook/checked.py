"""``perfeval check``'s output: a copy of a master workbook with what 校验 would write into it, for
users without Excel (WPS, LibreOffice, macros blocked).

The copy keeps every part of the file as it was (the unit's values, formats, VBA project,
Lite code, anything another program added) and changes only:

* the cached value of every formula cell that is still the template's formula, computed with
  perfeval's functions (so the 待计算 cells show their scores, and nothing is stale);
* the fills of the cells the findings point at, and of those an earlier run marked that are fine
  now (:class:`workbook.marks.ValidationView`, the same view the buttons apply);
* the 校验结果 rows (each linking to its cell) and the status lines;
* ``calcId``, so that Excel shows these values instead of recalculating on open.

Sheet XML is edited with lxml (entities not resolved, no network), element by element.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree

from xlfuncs.cellfuncs import CellError
from xlfuncs.fileio import relationship_targets, rewrite_zip, write_atomic

from .cellmodel import CellModel
from .excel_text import encode
from .layouts import sheets as sheet_layouts
from .layouts.cells import cells_of, col_index, col_letters, quote_sheet, split_cell
from .layouts.expr import formula_text, same_formula
from .marks import MARK_FILLS, RESULTS, ValidationView
from .reader import WorkbookReading
from .sheet_grid import SheetGrid
from .writer import CALC_ID

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_Q = f"{{{NS}}}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False, huge_tree=False)
# CT_Worksheet: the elements that may follow <hyperlinks>
_AFTER_HYPERLINKS = ("printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks",
                     "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing", "legacyDrawing",
                     "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems",
                     "tableParts", "extLst")


def checked_name(source: Path) -> Path:
    """``工作簿（已校验）.xlsx`` next to the source; never an existing file."""
    target = source.with_name(f"{source.stem}（已校验）{source.suffix}")
    number = 2
    while target.exists():
        target = source.with_name(f"{source.stem}（已校验-{number}）{source.suffix}")
        number += 1
    return target


# ----------------------------------------------------------------------------- values

def fresh_values(reading: WorkbookReading, grids: dict[str, SheetGrid]) -> dict[str, dict[str, Any]]:
    """Sheet → cell → value, for every cell that still holds the template's formula, computed
    with perfeval's functions (the forms from the reading's model, 项目汇总 from the forms)."""
    model = reading.model or CellModel()
    forms = reading.forms
    expected = dict(model.formulas)
    if forms and sheet_layouts.SUMMARY_SHEET in grids:
        summary = sheet_layouts.summary_sheet(forms[0], forms[1:])
        for calc in summary.calcs:
            model.set_formula(summary.name, calc.cell, calc.formula)
            expected[(summary.name, calc.cell)] = calc.formula
    out: dict[str, dict[str, Any]] = {}
    for (sheet, cell), expr in expected.items():
        grid = grids.get(sheet)
        found = grid.formula(cell) if grid is not None else None
        if found is not None and same_formula(found, formula_text(expr, sheet)):
            out.setdefault(sheet, {})[cell] = model.value(sheet, cell)
    return out


def _set_cached(cell: etree._Element, value: Any) -> None:
    for v in cell.findall(f"{_Q}v"):
        cell.remove(v)
    v = etree.SubElement(cell, f"{_Q}v")
    if isinstance(value, CellError):
        cell.set("t", "e")
        v.text = value.code
    elif isinstance(value, bool):
        cell.set("t", "b")
        v.text = "1" if value else "0"
    elif isinstance(value, (int, float)):
        cell.attrib.pop("t", None)
        v.text = repr(float(value)) if not float(value).is_integer() else str(int(value))
    else:
        cell.set("t", "str")
        v.text = "" if value is None else encode(str(value))


# ----------------------------------------------------------------------------- cells

def _sheet_data(root: etree._Element) -> etree._Element:
    data = root.find(f"{_Q}sheetData")
    if data is None:
        raise ValueError("worksheet without sheetData")
    return data


def _row(data: etree._Element, number: int) -> etree._Element:
    for row in data.findall(f"{_Q}row"):
        r = int(row.get("r", "0"))
        if r == number:
            return row
        if r > number:
            new = etree.Element(f"{_Q}row", r=str(number))
            row.addprevious(new)
            return new
    return etree.SubElement(data, f"{_Q}row", r=str(number))


def _cell(data: etree._Element, ref: str) -> etree._Element:
    letters, number = split_cell(ref)
    row = _row(data, number)
    for cell in row.findall(f"{_Q}c"):
        there = cell.get("r", "")
        if there == ref:
            return cell
        if there and col_index(split_cell(there)[0]) > col_index(letters):
            new = etree.Element(f"{_Q}c", r=ref)
            cell.addprevious(new)
            return new
    return etree.SubElement(row, f"{_Q}c", r=ref)


def _set_constant(cell: etree._Element, value: Any) -> None:
    for child in list(cell):
        cell.remove(child)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        cell.attrib.pop("t", None)
        etree.SubElement(cell, f"{_Q}v").text = str(value)
    elif value in (None, ""):
        cell.attrib.pop("t", None)
    else:
        cell.set("t", "inlineStr")
        t = etree.SubElement(etree.SubElement(cell, f"{_Q}is"), f"{_Q}t")
        t.text = encode(str(value))  # a finding's message may quote text with control characters
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


# ----------------------------------------------------------------------------- fills

class _Styles:
    """Cell formats of the package's styles part, with new ones added for the marks."""

    def __init__(self, xml: bytes) -> None:
        self.root = etree.fromstring(xml, _PARSER)
        self.fills = self.root.find(f"{_Q}fills")
        self.xfs = self.root.find(f"{_Q}cellXfs")
        self._made: dict[tuple[int, str | None], int] = {}

    def with_fill(self, style: int, colour: str | None) -> int:
        """The index of a format like ``style`` but filled with ``colour`` (None: no fill)."""
        key = (style, colour)
        if key in self._made:
            return self._made[key]
        xfs = self.xfs.findall(f"{_Q}xf")
        base = xfs[style] if style < len(xfs) else xfs[0]
        xf = etree.fromstring(etree.tostring(base), _PARSER)
        xf.set("fillId", str(self._fill(colour)))
        xf.set("applyFill", "1")
        self.xfs.append(xf)
        self.xfs.set("count", str(len(self.xfs.findall(f"{_Q}xf"))))
        self._made[key] = len(self.xfs.findall(f"{_Q}xf")) - 1
        return self._made[key]

    def _fill(self, colour: str | None) -> int:
        if colour is None:
            return 0
        fill = etree.SubElement(self.fills, f"{_Q}fill")
        pattern = etree.SubElement(fill, f"{_Q}patternFill", patternType="solid")
        etree.SubElement(pattern, f"{_Q}fgColor", rgb="FF" + colour.lstrip("#").upper())
        etree.SubElement(pattern, f"{_Q}bgColor", indexed="64")
        self.fills.set("count", str(len(self.fills.findall(f"{_Q}fill"))))
        return len(self.fills.findall(f"{_Q}fill")) - 1

    def to_bytes(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _paint(data: etree._Element, styles: _Styles, ref: str, colour: str | None) -> None:
    for row in cells_of(ref):
        for name in row:
            cell = _cell(data, name)
            cell.set("s", str(styles.with_fill(int(cell.get("s", "0")), colour)))


# ----------------------------------------------------------------------------- 校验结果

def _write_results(root: etree._Element, view: ValidationView) -> None:
    data = _sheet_data(root)
    for row in data.findall(f"{_Q}row"):
        if int(row.get("r", "0")) >= RESULTS.first_row:
            data.remove(row)
    _set_constant(_cell(data, RESULTS.status_cell), view.status)  # above the rows just removed
    # every row from first_row down was removed: append rows and cells in order (no search per cell)
    for number, values in enumerate(view.rows, start=RESULTS.first_row):
        row = etree.SubElement(data, f"{_Q}row", r=str(number))
        for index, value in enumerate(values):
            _set_constant(etree.SubElement(row, f"{_Q}c", r=f"{col_letters(index)}{number}"), value)
    old = root.find(f"{_Q}hyperlinks")
    if old is not None:
        root.remove(old)
    column = RESULTS.column("单元格")
    links = [(f"{column}{RESULTS.first_row + i}", where) for i, where in enumerate(view.links) if where]
    if not links:
        return
    element = etree.Element(f"{_Q}hyperlinks")
    for ref, where in links:
        sheet, cell = where.rsplit("!", 1)
        target = f"{quote_sheet(sheet)}!{cell}"
        etree.SubElement(element, f"{_Q}hyperlink", ref=ref, location=target, display=where)
    follower = next((root.find(f"{_Q}{name}") for name in _AFTER_HYPERLINKS
                     if root.find(f"{_Q}{name}") is not None), None)
    if follower is not None:
        follower.addprevious(element)
    else:
        root.append(element)


# ----------------------------------------------------------------------------- the package

def _sheet_parts(read: Callable[[str], bytes]) -> dict[str, str]:
    """Sheet name → its part, from the workbook part and its relationships."""
    book = etree.fromstring(read("xl/workbook.xml"), _PARSER)
    targets = relationship_targets(read, "xl/workbook.xml")
    return {sheet.get("name", ""): targets.get(sheet.get(f"{{{NS_R}}}id", ""), "") for sheet in book.iter(f"{_Q}sheet")}


def _calc_settings(xml: bytes) -> bytes:
    root = etree.fromstring(xml, _PARSER)
    calc = root.find(f"{_Q}calcPr")
    if calc is None:
        calc = etree.SubElement(root, f"{_Q}calcPr")
        following = [root.find(f"{_Q}{n}") for n in ("oleSize", "customWorkbookViews", "pivotCaches",
                                                       "smartTagPr", "smartTagTypes", "webPublishing", "fileRecoveryPr",
                                                       "webPublishObjects", "extLst")]
        first = next((e for e in following if e is not None), None)
        if first is not None:
            first.addprevious(calc)
    calc.set("calcId", str(CALC_ID))
    calc.attrib.pop("fullCalcOnLoad", None)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def write_checked_copy(source: Path, target: Path, values: dict[str, dict[str, Any]], view: ValidationView) -> Path:
    """Write ``target``: ``source`` with fresh cached ``values``, the marks, the 校验结果 rows and
    the status lines of ``view``. Atomic; ``source`` is only read."""
    package = Path(source).read_bytes()
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        present = set(archive.namelist())
        read = archive.read  # only the parts edited here are decompressed
        sheets = _sheet_parts(read)
        styles = _Styles(read("xl/styles.xml"))
        changed = {"xl/workbook.xml": _calc_settings(read("xl/workbook.xml"))}
        paint: dict[str, list[tuple[str, str | None]]] = {}
        for (sheet, ref), fill in view.restore.items():
            paint.setdefault(sheet, []).append((ref, fill))
        for (sheet, ref), severity in view.marks.items():
            paint.setdefault(sheet, []).append((ref, MARK_FILLS[severity]))
        for name, part in sheets.items():
            edits: list[Callable[[etree._Element], None]] = []
            if values.get(name):
                edits.append(lambda root, v=values[name]: _fresh(root, v))
            if paint.get(name):
                edits.append(lambda root, p=paint[name]: [_paint(_sheet_data(root), styles, ref, c) for ref, c in p])
            if name == RESULTS.sheet:
                edits.append(lambda root: _write_results(root, view))
            if name == sheet_layouts.GUIDE_SHEET:
                edits.append(lambda root: _set_constant(_cell(_sheet_data(root), sheet_layouts.STATUS_CELL), view.status))
            if edits and part in present:
                root = etree.fromstring(read(part), _PARSER)
                for edit in edits:
                    edit(root)
                changed[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        changed["xl/styles.xml"] = styles.to_bytes()
    return write_atomic(target, rewrite_zip(package, changed))


def _fresh(root: etree._Element, values: dict[str, Any]) -> None:
    data = _sheet_data(root)
    for cell in data.iter(f"{_Q}c"):
        ref = cell.get("r")
        if ref in values and cell.find(f"{_Q}f") is not None:
            _set_cached(cell, values[ref])
