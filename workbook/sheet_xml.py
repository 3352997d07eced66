"""Stream one worksheet part of an .xlsx/.xlsm package into its cells: values, formula texts,
the values saved for formula cells, and what could not be read, cell by cell.

Only the cells present in the XML are visited, in the order they come: the ``<dimension>`` a
sheet states is never used (a sheet claiming ``A1:XFD1048576`` costs what its cells cost; one
claiming ``A1:B2`` still gives every cell it holds). A :class:`ReadBudget` bounds the cells and
the time over a whole workbook. The XML goes through expat with every DTD and entity
declaration refused (as defusedxml does), fed in blocks straight from the zip member.

A cell whose content cannot be read (``NaN`` or ``1e999`` or ``12abc`` as a number, a shared
string that does not exist, a boolean that is neither 0 nor 1, a date that is no date) does not
stop the reading: it is listed in :attr:`SheetCells.problems` with the reason, for the reader to
report at that cell. A ``<c>`` whose address is not a cell is listed in :attr:`SheetCells.bad_refs`.
Text comes back as typed: Excel's ``_xHHHH_`` escapes are undone (:mod:`workbook.excel_text`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any
from xml.parsers import expat

from xlfuncs.filing import FilingError

from .excel_text import decode, lone_surrogate
from .formula_shift import MAX_COLUMN, MAX_ROW, shift_formula
from .layouts.cells import col_index, col_letters
from .limits import MAX_CELLS, MAX_READ_SECONDS

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main "
_C, _V, _F, _IS, _T, _ROW, _RPH = (_NS + name for name in ("c", "v", "f", "is", "t", "row", "rPh"))
_SI = _NS + "si"
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})$")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")
_BLOCK = 1 << 16
_CHECK_EVERY = 4096
_EXCEL_EPOCHS = {False: dt.datetime(1899, 12, 30), True: dt.datetime(1904, 1, 1)}


class _Enough(Exception):
    """Raised inside the parser to stop once the rows wanted have been read."""


class ReadBudget:
    """Cells and seconds left for reading one workbook; refuses with a Chinese line past either."""

    def __init__(self, source: str, cells: int = MAX_CELLS, seconds: float = MAX_READ_SECONDS) -> None:
        self.source = source
        self.cells_left = cells
        self.cells = cells
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def take(self, count: int, where: str) -> None:
        """Account for ``count`` more cells read in ``where`` (a sheet or part, as messages name it)."""
        self.cells_left -= count
        if self.cells_left < 0:
            raise FilingError(f"{self.source}{where}的单元格超过读取上限 {self.cells:,} 个（工作簿中共计），"
                              "不像是绩效自评主工作簿，未读取")
        if time.monotonic() > self.deadline:
            raise FilingError(f"读取{self.source}超过时间上限 {self.seconds:.0f} 秒（停在{where}），"
                              "文件过大或已损坏，未读取")


@dataclass
class SheetCells:
    """One sheet as read: values of constant cells, formula texts (with ``=``), the values saved
    for formula cells, and the cells that could not be read (cell → reason, in Chinese)."""

    values: dict[str, Any] = field(default_factory=dict)
    formulas: dict[str, str] = field(default_factory=dict)
    cached: dict[str, Any] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)
    bad_refs: list[str] = field(default_factory=list)
    complete: bool = True  # False when reading stopped after the rows asked for


def safe_parser(where: str) -> expat.XMLParserType:
    """An expat parser (namespaces on) that refuses DTDs and entity declarations (no XXE, no
    entity expansion); ``where`` names the part in the refusal."""
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse(*_: Any) -> None:
        raise FilingError(f"{where}含有 XML 文档类型声明（DOCTYPE/ENTITY），正常的 Office 文件没有它，"
                          "可能被人改动用于读取本机文件，为安全起见未读取")
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    return parser


def feed(parser: expat.XMLParserType, stream: IO[bytes]) -> None:
    """Parse ``stream`` block by block."""
    while True:
        block = stream.read(_BLOCK)
        if not block:
            parser.Parse(b"", True)
            return
        parser.Parse(block, False)


def text_of(raw: str) -> tuple[str | None, str | None]:
    """Stored text as typed (escapes undone), or None and why when an escape gave a lone surrogate
    (half of a character: no text can hold it)."""
    text = decode(raw)
    if text is not raw:
        bad = lone_surrogate(text)
        if bad is not None:
            return None, f"文字中有无效的字符编码 _x{ord(bad):04X}_（半个 UTF-16 字符）"
    return text, None


def _number(text: str) -> int | float | None:
    """A ``<v>`` number as Excel writes it (integers without a point stay int); None when it is not
    a finite number (``NaN``, ``inf``, ``1e999``, ``12abc``, ``0x10``, ``1_000``)."""
    if text.isdigit() and text.isascii() and len(text) <= 300:  # the usual case: a plain integer
        return int(text)
    text = text.strip()
    if not _NUMBER.match(text):
        return None
    if "." not in text and "e" not in text and "E" not in text and len(text) <= 300:
        return int(text)
    number = float(text)
    return number if math.isfinite(number) else None


def serial_date(serial: float, date1904: bool) -> dt.datetime | dt.time:
    """An Excel date serial as a date and time (a time of day for serials under 1, as Excel shows
    them); ValueError/OverflowError when it is no date."""
    if 0 <= serial < 1:
        seconds = round(serial * 86400 * 1000) / 1000
        if seconds < 86400:
            whole = int(seconds)
            return dt.time(whole // 3600, whole % 3600 // 60, whole % 60, round((seconds - whole) * 1e6))
    if not date1904 and 0 < serial < 60:
        serial += 1  # the 1900 system counts a 29 February 1900 that never was
    return _EXCEL_EPOCHS[date1904] + dt.timedelta(milliseconds=round(serial * 86400 * 1000))


class _SheetReader:
    """The expat handlers for one worksheet (state kept on the instance between callbacks).

    The callbacks run for every element of a sheet that may hold a million, so they do as little
    as they can: an empty cell (most of a form's cells are styled blanks) costs two attribute reads;
    its address is looked at only when it holds something, or when a later cell leaves its own out."""

    def __init__(self, cells: SheetCells, strings: Callable[[int], str], dates: frozenset[str], date1904: bool,
                 budget: ReadBudget, where: str, last_row: int | None) -> None:
        self.cells, self.strings, self.dates, self.date1904 = cells, strings, dates, date1904
        self.budget, self.where, self.last_row = budget, where, last_row
        self.row = 0  # the current row (1-based)
        self.col: int | None = -1  # the column (0-based) of the last cell, None until worked out
        self.last_ref: str | None = None  # the address of the last cell that gave one
        self.ref: str | None = None
        self.kind: str | None = None
        self.style: str | None = None
        self.text: list[str] | None = None  # collecting character data
        self.value: str | None = None
        self.formula: tuple[str, dict[str, str]] | None = None
        self.inline: list[str] | None = None
        self.phonetic = 0
        self.shared: dict[str, tuple[int, int, str]] = {}  # si → (row, col, text) of a shared formula
        self.counted = 0

    # -------------------------------------------------------------- expat callbacks

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == _C:
            self.counted += 1
            if self.counted >= _CHECK_EVERY:
                self.budget.take(self.counted, self.where)
                self.counted = 0
            self.ref, self.kind, self.style = attrs.get("r"), attrs.get("t"), attrs.get("s")
            self.value = self.formula = self.inline = None
        elif tag == _V:
            self.text = []
        elif tag == _F:
            self.text = []
            self.formula = ("", attrs)
        elif tag == _ROW:
            self._start_row(attrs.get("r"))
        elif tag == _IS:
            self.inline = []
        elif tag == _T and self.inline is not None and not self.phonetic:
            self.text = []
        elif tag == _RPH:
            self.phonetic += 1

    def end(self, tag: str) -> None:
        if tag == _C:
            if self.value is None and self.formula is None and self.inline is None:
                if self.ref is None:
                    self._address()  # keeps the count of columns for the next cell without one
                else:
                    self.last_ref, self.col = self.ref, None
                return
            self._end_cell()
        elif tag == _V and self.text is not None:
            self.value = "".join(self.text)
            self.text = None
        elif tag == _F and self.text is not None and self.formula is not None:
            self.formula = ("".join(self.text), self.formula[1])
            self.text = None
        elif tag == _T and self.text is not None and self.inline is not None:
            self.inline.append("".join(self.text))
            self.text = None
        elif tag == _RPH:
            self.phonetic -= 1

    def chars(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    # -------------------------------------------------------------- rows and cells

    def _start_row(self, number: str | None) -> None:
        if number is None:
            self.row += 1
        elif number.isdigit() and 1 <= int(number) <= MAX_ROW:
            self.row = int(number)
        else:
            self.row += 1
            self.cells.bad_refs.append(f"第 {number[:20]} 行")
        self.col, self.last_ref = -1, None
        if self.last_row is not None and self.row > self.last_row:
            self.cells.complete = False
            raise _Enough

    def _address(self) -> str | None:
        """The current cell's address (its own, checked, or the next column's); None for one that
        is no cell (listed in ``bad_refs``)."""
        ref = self.ref
        if ref is not None:
            match = _REF.match(ref)
            if match and col_index(match.group(1)) < MAX_COLUMN and 1 <= int(match.group(2)) <= MAX_ROW:
                self.last_ref, self.col = ref, None
                return ref
            self.cells.bad_refs.append(ref[:20])
            return None
        if self.col is None:  # the column of the last cell, from its address
            match = _REF.match(self.last_ref or "")
            self.col = col_index(match.group(1)) if match else -1
        self.col += 1
        self.last_ref = None
        return col_letters(self.col) + str(max(self.row, 1)) if self.col < MAX_COLUMN else None

    def _end_cell(self) -> None:
        ref = self._address()
        if ref is None:
            return
        cells = self.cells
        if self.formula is not None:
            cells.formulas[ref] = "=" + self._formula_text(ref)
            value, problem = self._value()
            if value is not None and problem is None:
                cells.cached[ref] = value
            return
        value, problem = self._value()
        if problem is not None:
            cells.problems[ref] = problem
        elif value is not None and value != "":
            cells.values[ref] = value

    def _formula_text(self, ref: str) -> str:
        text, attrs = self.formula or ("", {})
        if attrs.get("t") != "shared" or "si" not in attrs:
            return text
        key = attrs["si"]
        letters, digits = _REF.match(ref).groups()
        row, col = int(digits), col_index(letters)
        if text:
            self.shared[key] = (row, col, text)
            return text
        master = self.shared.get(key)
        if master is None:
            return text
        return shift_formula(master[2], row - master[0], col - master[1])

    def _value(self) -> tuple[Any, str | None]:
        """The cell's value and, when it cannot be read, why (Chinese)."""
        kind, raw = self.kind or "n", self.value
        if kind == "inlineStr":
            return (None, None) if self.inline is None else text_of("".join(self.inline))
        if raw is None or raw == "":
            return None, None
        if kind == "n":
            number = _number(raw)
            if number is None:
                return None, f"数值单元格保存的“{raw[:30]}”不是有效的数字"
            if self.dates and (self.style or "0") in self.dates:
                try:
                    return serial_date(number, self.date1904), None
                except (OverflowError, ValueError):
                    return None, f"日期单元格保存的 {raw[:30]} 不是有效的日期"
            return number, None
        if kind == "s":
            index = raw.strip()
            if not index.isdigit():
                return None, f"共享字符串编号“{raw[:30]}”无效"
            try:
                return self.strings(int(index)), None
            except LookupError as exc:
                return None, str(exc)
        if kind == "str":
            return text_of(raw)
        if kind == "b":
            flag = raw.strip().lower()
            if flag in ("1", "true"):
                return True, None
            if flag in ("0", "false"):
                return False, None
            return None, f"逻辑值单元格保存的“{raw[:30]}”不是 TRUE/FALSE"
        if kind == "e":
            return raw.strip(), None
        if kind == "d":
            try:
                return dt.datetime.fromisoformat(raw.strip()), None
            except ValueError:
                return None, f"日期单元格保存的“{raw[:30]}”不是有效的日期"
        return None, f"单元格类型“{kind[:20]}”无法识别"


def read_sheet(stream: IO[bytes], *, strings: Callable[[int], str], dates: frozenset[str], date1904: bool,
               budget: ReadBudget, where: str, last_row: int | None = None) -> SheetCells:
    """The cells of one worksheet part (rows after ``last_row`` not read, when given).

    Raises FilingError (one Chinese line naming ``where``) when the XML is broken or a budget
    is passed; ``strings(i)`` gives shared string ``i`` or raises LookupError with the reason.
    """
    cells = SheetCells()
    reader = _SheetReader(cells, strings, dates, date1904, budget, where, last_row)
    parser = safe_parser(budget.source + where)
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.chars
    try:
        feed(parser, stream)
    except _Enough:
        pass
    except expat.ExpatError as exc:
        raise FilingError(f"{budget.source}{where}的 XML 已损坏（第 {exc.lineno} 行第 {exc.offset + 1} 列），"
                          "文件可能不完整或被其他程序改坏，无法读取") from None
    budget.take(reader.counted, where)
    return cells


def read_shared_strings(stream: IO[bytes], budget: ReadBudget, where: str) -> tuple[list[str], dict[int, str]]:
    """The shared string table (each item's text runs joined, phonetic guides left out, escapes
    undone), and the items that cannot be text (index → why)."""
    items: list[str] = []
    bad: dict[int, str] = {}
    state: dict[str, Any] = {"parts": None, "text": None, "phonetic": 0}

    def start(tag: str, _attrs: dict[str, str]) -> None:
        if tag == _SI:
            state["parts"] = []
        elif tag == _T and state["parts"] is not None and not state["phonetic"]:
            state["text"] = []
        elif tag == _RPH:
            state["phonetic"] += 1

    def end(tag: str) -> None:
        if tag == _T and state["text"] is not None:
            state["parts"].append("".join(state["text"]))
            state["text"] = None
        elif tag == _SI and state["parts"] is not None:
            text, problem = text_of("".join(state["parts"]))
            if problem is not None:
                bad[len(items)] = problem
            items.append(text or "")
            state["parts"] = None
            if len(items) % _CHECK_EVERY == 0:
                budget.take(_CHECK_EVERY, where)
        elif tag == _RPH:
            state["phonetic"] -= 1

    def chars(data: str) -> None:
        if state["text"] is not None:
            state["text"].append(data)

    parser = safe_parser(budget.source + where)
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, chars
    try:
        feed(parser, stream)
    except expat.ExpatError as exc:
        raise FilingError(f"{budget.source}{where}的 XML 已损坏（第 {exc.lineno} 行），无法读取") from None
    return items, bad
