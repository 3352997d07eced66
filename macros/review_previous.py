"""The previous review file, read back so a re-run keeps what the reviewer typed.

The file was edited by a person and is treated as untrusted: read with openpyxl in read-only
mode (values, not formulas; XML through defusedxml), refused when it is not a zip of sane
size, every value reduced to text, number or date, text cut to what a cell can hold. Rows
are matched to the new run by :func:`~macros.review_sheet.row_key` (and the file, when two
files give the same key); what changed is said in words.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlfuncs.filing import FilingError, check_regular_file
from xlfuncs.values import clean_text, format_number

from .review_sheet import (
    CHANGE,
    COMPARED,
    FILE,
    GONE,
    HASH,
    KNOWN_HEADERS,
    NEW,
    PENDING,
    REVIEWER_HEADERS,
    STATUS,
    SUMMARY_SHEET,
    TABLE,
    UNIT,
    row_key,
)

MAX_REVIEW_BYTES = 200 * 1024 * 1024
MAX_UNPACKED_BYTES = 2 * 1024 * 1024 * 1024
MAX_CELL_CHARS = 32767  # what an Excel cell holds
REQUIRED = (UNIT, TABLE, FILE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ReviewFileError(FilingError):
    """The previous review cannot be read; the message is one Chinese line."""


def clean_cell(value: Any) -> Any:
    """A value read from a person's workbook made safe to write back: text, finite number, date or None."""
    if value is None or isinstance(value, bool):
        return None if value is None else ("是" if value else "否")
    if isinstance(value, int | float):
        return value if math.isfinite(value) else None
    if isinstance(value, dt.datetime | dt.date):
        return value
    if isinstance(value, dt.time | dt.timedelta):
        return str(value)
    text = _CONTROL.sub("", str(value))[:MAX_CELL_CHARS]
    return text if text.strip() else None


@dataclass
class PreviousRow:
    """One 汇总 row of the previous review and whether this run has matched it."""

    values: dict[str, Any]
    used: bool = False


@dataclass
class PreviousReview:
    """The previous review's 汇总: rows by key, and the columns the reviewer added."""

    path: Path
    rows: list[PreviousRow] = field(default_factory=list)
    by_key: dict[tuple[str, ...], list[int]] = field(default_factory=dict)
    extras: list[str] = field(default_factory=list)  # headers perfeval does not write (the reviewer's own)

    def match(self, row: dict[str, Any]) -> PreviousRow | None:
        """The previous row of the same filing: same key and file first, else the first with the key."""
        candidates = self.by_key.get(row_key(row), [])
        if not candidates:
            return None
        same_file = [i for i in candidates if clean_text(self.rows[i].values.get(FILE)) == clean_text(row.get(FILE))]
        chosen = self.rows[(same_file or candidates)[0]]
        chosen.used = True
        return chosen

    def leftovers(self) -> list[dict[str, Any]]:
        """Rows no filing of this run matched: kept, and marked as gone."""
        out = []
        for row in self.rows:
            if not row.used:
                values = dict(row.values)
                values[CHANGE] = GONE
                out.append(values)
        return out


def check_review_file(path: Path, what: str = "上次的审核文件") -> None:
    """Refuse (ReviewFileError, Chinese) what is not a regular Excel file of sane size, packed or unpacked."""
    name = f"{what}“{path.name}”"
    try:
        check_regular_file(path, MAX_REVIEW_BYTES, "审核文件")
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if "xl/workbook.xml" not in {info.filename for info in infos}:
                raise ReviewFileError(f"{name}不是 Excel 工作簿")
            if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
                raise ReviewFileError(f"{name}解压后过大，不像是审核汇总")
    except FilingError as exc:
        raise ReviewFileError(str(exc)) from None
    except (zipfile.BadZipFile, OSError):
        raise ReviewFileError(f"{name}已损坏或不是 Excel 工作簿") from None


def _headers(first_row: tuple[Any, ...]) -> dict[int, str]:
    columns: dict[int, str] = {}
    seen: set[str] = set()
    for index, value in enumerate(first_row):
        header = clean_cell(value)
        if isinstance(header, str):
            header = header.strip()
            if header and header not in seen:
                seen.add(header)
                columns[index] = header
    return columns


def read_previous(path: str | Path) -> PreviousReview:
    """Read the 汇总 sheet of a previous review; raise :class:`ReviewFileError` (Chinese) when it cannot be."""
    import openpyxl

    path = Path(path)
    check_review_file(path)
    review = PreviousReview(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = None
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_vba=False, keep_links=False)
            if SUMMARY_SHEET not in book.sheetnames:
                raise ReviewFileError(f"上次的审核文件“{path.name}”没有“{SUMMARY_SHEET}”工作表，不像是 perfeval 的审核汇总")
            rows = book[SUMMARY_SHEET].iter_rows(values_only=True)
            columns = _headers(next(rows, ()))
            missing = [h for h in REQUIRED if h not in columns.values()]
            if missing:
                raise ReviewFileError(f"上次的审核文件“{path.name}”的“{SUMMARY_SHEET}”缺少列：{'、'.join(missing)}"
                                      "（列名被改动？）；为免丢失审核意见，本次未写出")
            review.extras = [h for h in columns.values() if h not in KNOWN_HEADERS]
            for raw in rows:
                values = {columns[i]: clean_cell(v) for i, v in enumerate(raw) if i in columns}
                values = {k: v for k, v in values.items() if v is not None}
                if not values:
                    continue
                review.by_key.setdefault(row_key(values), []).append(len(review.rows))
                review.rows.append(PreviousRow(values))
        except ReviewFileError:
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged or foreign file, whatever the parser says
            raise ReviewFileError(f"上次的审核文件“{path.name}”无法读取（{type(exc).__name__}）；"
                                  "为免丢失审核意见，本次未写出") from None
        finally:
            if book is not None:
                book.close()
    return review


# ------------------------------------------------------------------ what changed


def _comparable(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return round(float(value), 2)
    text = clean_text(value)
    try:
        return round(float(text), 2)
    except ValueError:
        return text


def _shown(value: Any) -> str:
    value = _comparable(value)
    if isinstance(value, float):
        return format_number(value)
    return value or "空"


def describe_change(new: dict[str, Any], old: dict[str, Any]) -> str:
    """What changed for one filing since the previous run, in words ('' when nothing did)."""
    diffs = [f"{column} {_shown(old.get(column))}→{_shown(new.get(column))}" for column in COMPARED
             if _comparable(old.get(column)) != _comparable(new.get(column))]
    file_changed = bool(old.get(HASH)) and clean_text(old.get(HASH)) != clean_text(new.get(HASH))
    if file_changed:
        return "文件已更新" + ("：" + "；".join(diffs) if diffs else "，结果未变")
    return "结果有变化：" + "；".join(diffs) if diffs else ""


def carry_over(row: dict[str, Any], previous: PreviousReview | None) -> dict[str, Any]:
    """``row`` with the reviewer's columns (and own extra columns) from its previous row, and what changed."""
    if previous is None:
        row.setdefault(STATUS, PENDING)
        return row
    old = previous.match(row)
    if old is None:
        row[STATUS] = PENDING
        row[CHANGE] = NEW
        return row
    for header in (*REVIEWER_HEADERS, *previous.extras):
        if header in old.values:
            row[header] = old.values[header]
    row[CHANGE] = describe_change(row, old.values)
    return row
