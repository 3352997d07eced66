"""Many rows into a sheet XlsxWriter made, fast: rows are written as XML into a temporary file as
they come and spliced into the finished package's sheet part.

XlsxWriter spends ~10–15 µs on each cell and keeps every hyperlink in memory until it closes; a
large review has millions of cells. Here a cell costs one escape and a few string joins.
Cells are text (inline strings, never formulas), finite numbers, dates, or :class:`Link` (a
``HYPERLINK`` formula we build ourselves, its target a quoted string literal). XlsxWriter still
makes the sheet (header row, column widths, filter, frozen panes, validations, conditional
formats); only the data rows are added, before ``</sheetData>``, and ``<dimension>`` is set.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from workbook.excel_text import encode
from xlfuncs.fileio import escape, open_entry, rewrite_zip_file

_STYLE_TOKEN = "<style {}>"  # stands for a style index until the workbook is closed; never in escaped text
MAX_CELL_CHARS = 32767
ZIP64_FROM = 1 << 30  # parts larger than this are written with Zip64 headers


_EPOCH = dt.datetime(1899, 12, 30)
MAX_LINK_CHARS = 250  # HYPERLINK's target must stay under Excel's 255-character string literal


@dataclass(frozen=True)
class Link:
    """A cell that opens ``target`` (a path relative to the workbook, or absolute) and shows ``text``."""

    target: str
    text: str


def _serial(value: dt.date) -> float:
    moment = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
    delta = moment.replace(tzinfo=None) - _EPOCH
    return delta.days + delta.seconds / 86400


def _escaped(text: str) -> str:
    """Cell text as XML: cut to what a cell holds, characters XML cannot hold as Excel's ``_xHHHH_``
    escapes (read back as they were), then ``& < >``."""
    if len(text) > MAX_CELL_CHARS:
        text = text[:MAX_CELL_CHARS]
    return escape(encode(text))


class RowStream:
    """Text rows for one sheet, from row 2 (row 1 is the header XlsxWriter writes)."""

    def __init__(self, columns: int) -> None:
        self.letters = [xl_col_to_name(i) for i in range(columns)]
        self.rows = 0
        self.file = tempfile.TemporaryFile("w+", encoding="utf-8")

    def _cell(self, ref: str, value: Any, style: str) -> str:
        if isinstance(value, bool):
            value = "是" if value else "否"
        if isinstance(value, dt.date):
            return f'<c r="{ref}"{style}><v>{_serial(value)!r}</v></c>'
        if isinstance(value, int | float):
            return f'<c r="{ref}"{style}><v>{value!r}</v></c>' if math.isfinite(value) else ""
        if isinstance(value, Link) and len(value.target) <= MAX_LINK_CHARS:
            target, text = (_escaped(x.replace('"', '""')) for x in (value.target, value.text))
            return (f'<c r="{ref}"{style} t="str"><f>HYPERLINK("{target}","{text}")</f>'
                    f"<v>{_escaped(value.text)}</v></c>")
        text = value.text if isinstance(value, Link) else str(value)
        return f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{_escaped(text)}</t></is></c>'

    def add(self, values: Sequence[Any], styles: Sequence[str | None] | None = None) -> None:
        """Append one row; ``styles`` names each column's style, resolved at :func:`splice_rows`."""
        self.rows += 1
        number = str(self.rows + 1)
        cells = []
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            name = styles[col] if styles else None
            style = f' s="{_STYLE_TOKEN.format(name)}"' if name else ""
            ref = self.letters[col] + number
            if type(value) is str:  # the common case first: most cells are text
                cells.append(f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{_escaped(value)}</t></is></c>')
            else:
                cells.append(self._cell(ref, value, style))
        self.file.write(f'<row r="{number}">{"".join(cells)}</row>\n')

    def close(self) -> None:
        """Drop the temporary file."""
        self.file.close()


def _spliced_part(zin: zipfile.ZipFile, info: zipfile.ZipInfo, zout: zipfile.ZipFile, stream: RowStream,
                  styles: dict[str, int]) -> None:
    xml = zin.read(info).decode("utf-8")
    last = f"{stream.letters[-1]}{stream.rows + 1}"
    xml = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{last}"/>', xml, count=1)
    if "</sheetData>" in xml:
        head, tail = xml.split("</sheetData>", 1)
    else:
        head, tail = xml.replace("<sheetData/>", "<sheetData>", 1).split("<sheetData>", 1)
        head, tail = head + "<sheetData>", tail
    tokens = {_STYLE_TOKEN.format(name): str(index) for name, index in styles.items()}
    with open_entry(zout, info, large=stream.file.tell() > ZIP64_FROM) as out:
        out.write(head.encode("utf-8"))
        stream.file.seek(0)
        while True:
            block = stream.file.read(1 << 20)
            if not block:
                break
            block += stream.file.readline()  # end on a line break, so no token is cut in two
            for token, index in tokens.items():
                block = block.replace(token, index)
            out.write(block.encode("utf-8"))
        out.write(("</sheetData>" + tail).encode("utf-8"))


def splice_rows(path: str | Path, streams: dict[str, RowStream], styles: dict[str, int]) -> None:
    """Put each stream's rows into its sheet part (``xl/worksheets/sheetN.xml``) of the package at ``path``."""

    def edit(zin: zipfile.ZipFile, info: zipfile.ZipInfo, zout: zipfile.ZipFile) -> bool:
        if info.filename not in streams:
            return False
        _spliced_part(zin, info, zout, streams[info.filename], styles)
        return True

    rewrite_zip_file(path, edit, large_from=ZIP64_FROM)
