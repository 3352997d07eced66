"""退回修改通知: one short letter (.docx) per unit with a table the reviewer marked 退回修改.

The letters are made from the review workbook as the reviewer left it (read back with
openpyxl, read-only, as untrusted input): 汇总 gives the returned tables and the reviewer's
opinion, 问题清单 the problems of those tables (errors and warnings). A letter that already
exists is never overwritten: the new one gets the time in its name.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlfuncs.values import clean_text

from .batch import UNREADABLE, counted_under
from .names import safe_name
from .review_previous import ReviewFileError, check_review_file, clean_cell
from .review_sheet import (
    FILE,
    ISSUES_SHEET,
    OPINION,
    PROJECT,
    RETURNED,
    STATUS,
    SUMMARY_SHEET,
    TABLE,
    UNIT,
    YEAR,
)

SERIOUS = ("错误", "警告", UNREADABLE)
LETTER_SUFFIX = "退回修改通知"


@dataclass
class ReturnedTable:
    """One table marked 退回修改: where it is, what the reviewer said, its problems."""

    file: str
    table: str
    project: str
    opinion: str
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (位置, 规则, 问题)


@dataclass
class ReturnLetter:
    """Everything one unit's letter says."""

    unit: str
    year: str
    tables: list[ReturnedTable] = field(default_factory=list)


def _rows(book: Any, sheet: str) -> Iterator[dict[str, Any]]:
    """A sheet's rows as dicts by header, one at a time (问题清单 may have a million rows)."""
    if sheet not in book.sheetnames:
        return
    rows = book[sheet].iter_rows(values_only=True)
    header = [clean_cell(v) for v in next(rows, ())]
    for row in rows:
        yield {h: clean_cell(v) for h, v in zip(header, row, strict=False) if isinstance(h, str)}


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def returned_letters(review_path: str | Path) -> list[ReturnLetter]:
    """The letters a review workbook asks for: its 退回修改 rows grouped by unit and year."""
    import openpyxl

    path = Path(review_path)
    check_review_file(path, "审核文件")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_vba=False, keep_links=False)
        except Exception as exc:  # noqa: BLE001 - damaged or foreign
            raise ReviewFileError(f"审核文件“{path.name}”无法读取（{type(exc).__name__}）") from None
        try:
            if SUMMARY_SHEET not in book.sheetnames:
                raise ReviewFileError(f"“{path.name}”没有“{SUMMARY_SHEET}”工作表，不像是 perfeval 的审核汇总")
            letters: dict[tuple[str, str], ReturnLetter] = {}
            wanted: dict[tuple[str, str], ReturnedTable] = {}
            tables_of: dict[str, list[str]] = {}  # file → its tables, in 汇总 order (where findings count)
            for row in _rows(book, SUMMARY_SHEET):
                tables_of.setdefault(clean_text(row.get(FILE)), []).append(_text(row.get(TABLE)))
                if clean_text(row.get(STATUS)) != RETURNED:
                    continue
                unit, year, file = _text(row.get(UNIT)), _text(row.get(YEAR)), _text(row.get(FILE))
                table = ReturnedTable(file, _text(row.get(TABLE)), _text(row.get(PROJECT)), _text(row.get(OPINION)))
                letter = letters.setdefault((unit or file, year), ReturnLetter(unit, year))
                letter.tables.append(table)
                wanted[(clean_text(file), clean_text(table.table))] = table
            sheets = [name for name in book.sheetnames if name.startswith(ISSUES_SHEET)]
            for sheet in sheets:
                for issue in _rows(book, sheet):
                    file = clean_text(issue.get(FILE))
                    key = (file, clean_text(counted_under(_text(issue.get(TABLE)), tables_of.get(file, []))))
                    if key in wanted and _text(issue.get("严重程度")) in SERIOUS:
                        where = "!".join(x for x in (_text(issue.get("工作表")), _text(issue.get("单元格"))) if x)
                        wanted[key].problems.append((where or _text(issue.get(TABLE)), _text(issue.get("规则")),
                                                     _text(issue.get("问题"))))
        finally:
            book.close()
    return list(letters.values())


def letter_spec(letter: ReturnLetter, when: dt.date) -> Any:
    """The letter as a document for :mod:`macros.docx_writer`."""
    from .docx_writer import DocSpec, Grid, Heading, Paragraph

    unit = letter.unit or "（单位名称未能读出）"
    year = f"{letter.year}年度" if letter.year else ""
    blocks: list[Any] = [
        Paragraph("", label=f"{unit}："),
        Paragraph(f"经审核，你单位报送的{year}预算绩效自评材料中，下列表格存在问题，现退回修改。"
                  "请对照审核意见和问题清单逐项核实、修改，并按要求重新报送。"),
    ]
    numerals = "一二三四五六七八九十"
    for i, table in enumerate(letter.tables):
        number = numerals[i] if i < len(numerals) else str(i + 1)
        what = "无法读取的文件" if table.table == UNREADABLE else table.table
        title = "　".join(x for x in (what, table.project) if x)
        blocks.append(Heading(1, f"{number}、{title}"))
        blocks.append(Paragraph(table.opinion or "（无）", label="审核意见："))
        if table.file:
            blocks.append(Paragraph(table.file, label="文件："))
        if table.problems:
            rows = [[str(n + 1), where, rule, message] for n, (where, rule, message) in enumerate(table.problems)]
            blocks.append(Grid("问题清单", ["序号", "位置", "规则", "问题"], rows, [1.4, 3.2, 1.4, 9.6], numeric_from=9))
        else:
            blocks.append(Paragraph("审核时未列出具体问题，请按审核意见修改。"))
    blocks.append(Paragraph(f"{when.year}年{when.month}月{when.day}日"))
    return DocSpec(attachment="", title="关于退回修改预算绩效自评材料的通知", subtitle=[], blocks=blocks, unit=unit)


def _letter_path(folder: Path, letter: ReturnLetter, now: dt.datetime) -> Path:
    stem = "_".join(x for x in (safe_name(letter.unit or "未知单位", max_chars=60), letter.year, LETTER_SUFFIX) if x)
    path = folder / f"{stem}.docx"
    if path.exists():
        path = folder / f"{stem}_{now:%Y%m%d-%H%M%S}.docx"
    count = 2
    while path.exists():
        path = folder / f"{stem}_{now:%Y%m%d-%H%M%S}_{count}.docx"
        count += 1
    return path


def write_letters(review_path: str | Path, folder: str | Path, now: dt.datetime | None = None) -> list[Path]:
    """Write one letter per unit with a 退回修改 table into ``folder``; return the files written."""
    from .docx_writer import write_docx

    now = now or dt.datetime.now()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for letter in returned_letters(review_path):
        written.append(write_docx(letter_spec(letter, now.date()), _letter_path(folder, letter, now)))
    return written
