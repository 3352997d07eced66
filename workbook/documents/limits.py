"""Bounds on what an imported file may hold, and the one-line Chinese refusals when it is more.

Imported files come from outside (mailed Word files, downloaded pages): a zip bomb, a sheet with a
stray cell at XFD1048576 or a 5,000-page PDF must be refused before it eats the machine, with a
line that says which limit and by how much. The numbers are far above any real filing (the seed
is 6 tables of about 40 rows; a bureau's batch is a few hundred tables).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from xlfuncs.filing import FilingError

from ..limits import MAX_UNPACKED_BYTES

MAX_FILE_BYTES = 200 * 1024 * 1024  # the file as stored
MAX_MEMBER_RATIO = 200  # a member that decompresses to more than 200× its stored size, above 10 MB
MAX_RATIO_FLOOR = 10 * 1024 * 1024
MAX_CELLS = 2_000_000  # grid positions over all tables of one document (merged positions count)
MAX_SPAN = 1000  # rows or columns one merged cell may cover
MAX_PAGES = 500  # PDF pages read
MAX_HTML_BYTES = 50 * 1024 * 1024

_MB = 1024 * 1024


def label(path: Path) -> str:
    """How messages name a file: its name in Chinese quotes."""
    return f"“{path.name}”"


def check_file_size(path: Path) -> int:
    """The file's size; refused when above :data:`MAX_FILE_BYTES`."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FilingError(f"{label(path)}有 {size // _MB} MB，超过导入上限 {MAX_FILE_BYTES // _MB} MB，未读取")
    return size


def check_zip(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse a package whose members would decompress beyond the limits (zip bombs).

    The sizes checked are the ones the archive declares; Python's zipfile never inflates a member
    past its declared size (it stops and fails the CRC), so a lying header cannot get round them.
    """
    total = 0
    for info in archive.infolist():
        total += info.file_size
        stored = max(info.compress_size, 1)
        if info.file_size > MAX_RATIO_FLOOR and info.file_size / stored > MAX_MEMBER_RATIO:
            raise FilingError(f"{label(path)}中的“{info.filename}”压缩比异常（{info.file_size // stored} 倍，"
                              f"上限 {MAX_MEMBER_RATIO} 倍），疑似压缩炸弹，未读取")
    if total > MAX_UNPACKED_BYTES:
        raise FilingError(f"{label(path)}解压后有 {total // _MB} MB，超过导入上限 {MAX_UNPACKED_BYTES // _MB} MB，未读取")


@contextmanager
def damaged_while_reading(path: Path) -> Iterator[None]:
    """Turn a parser's unexpected failure while reading sheets into one Chinese line naming the file.

    Our own refusals (:class:`FilingError`) pass through as they are.
    """
    try:
        yield
    except FilingError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure is a damaged or foreign file
        raise FilingError(f"{label(path)}读取时出错（文件损坏或格式不受支持：{type(exc).__name__}）") from None


class CellBudget:
    """Counts grid positions as a document is read and refuses past :data:`MAX_CELLS`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.used = 0

    def take(self, count: int) -> None:
        """Account for ``count`` more grid positions."""
        self.used += count
        self.check(0)

    def check(self, pending: int) -> None:
        """Refuse when ``pending`` cells about to be placed would pass the limit."""
        if self.used + pending > MAX_CELLS:
            raise FilingError(f"{label(self.path)}的表格超过 {MAX_CELLS:,} 个单元格的导入上限，"
                              "不像是绩效自评材料，未读取")


def check_span(path: Path, where: str, rows: int, cols: int) -> None:
    """Refuse a merged cell covering more than :data:`MAX_SPAN` rows or columns."""
    if rows > MAX_SPAN or cols > MAX_SPAN:
        raise FilingError(f"{label(path)}{where}的合并单元格跨 {rows} 行 {cols} 列，超过上限 {MAX_SPAN}，未读取")


def check_xml_prologs(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse a package whose XML parts declare a DTD (entity tricks: XXE, billion laughs).

    No Office part has a DOCTYPE; one can only stand in the prolog, so the head of each part is
    enough to look at. The libraries parse safely anyway; this gives the user a clear line.
    """
    for info in archive.infolist():
        if not info.filename.endswith((".xml", ".rels", ".vml")) or info.file_size == 0:
            continue
        with archive.open(info) as member:
            head = member.read(4096).replace(b"\x00", b"").upper()  # UTF-16 parts too
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise FilingError(f"{label(path)}的“{info.filename}”含有 XML 文档类型声明（DOCTYPE/ENTITY），"
                              "正常的 Office 文件没有它，可能被人改动用于读取本机文件，为安全起见未读取")
