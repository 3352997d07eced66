"""Open what the user names on the command line: a filing JSON or a master workbook.

Files that are neither are named for what they are (an old .xls, a WPS .et, a CSV …) with what
to do about it, instead of being read as JSON and called “not UTF-8”.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlfuncs.filing import FilingError, check_regular_file, read_filing
from xlfuncs.findings import WARNING, Finding

ZIP_MAGIC = b"PK\x03\x04"
#: Largest file perfeval opens as a filing JSON or a master workbook (a 500-project workbook is ~5 MB).
MAX_SOURCE_BYTES = 100 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
OPENPYXL_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
SAVE_AS = "请在 Excel 或 WPS 中打开它，另存为 .xlsx（Excel 工作簿）后再试"
TEXT_TABLE = "文本表格没有绩效自评表的表式，请改用主工作簿（perfeval new 生成）或填报 JSON 文件"
# suffix → what the file is
FOREIGN = {
    ".xls": "旧版 Excel 97-2003 工作簿（.xls）",
    ".xlt": "旧版 Excel 97-2003 模板（.xlt）",
    ".xlsb": "Excel 二进制工作簿（.xlsb）",
    ".et": "WPS 表格文件（.et）",
    ".ett": "WPS 表格模板（.ett）",
    ".ods": "OpenDocument 电子表格（.ods）",
    ".csv": "CSV 文本表格（.csv）",
    ".tsv": "制表符分隔的文本表格（.tsv）",
    ".numbers": "Numbers 表格（.numbers）",
    ".doc": "Word 97-2003 文档（.doc）",
    ".docx": "Word 文档（.docx）",
    ".wps": "WPS 文字文档（.wps）",
    ".pdf": "PDF 文件",
}
Locator = Callable[[str], "tuple[str, str] | None"]


@dataclass
class Source:
    """A filing read from a file, with a way to find each pointer's sheet and cell."""

    path: Path
    filing: dict[str, Any]
    is_workbook: bool = False
    locate: Locator | None = None
    findings: list[Finding] = field(default_factory=list)  # found while reading (e.g. formulas overwritten)
    profile: str | None = None  # the workbook's own rule profile (使用说明); None for a filing JSON


def _head(path: Path) -> bytes:
    """The first bytes of a file; FilingError (Chinese, with the reason) when it cannot be read."""
    from .oserrors import describe_os_error

    check_regular_file(path, MAX_SOURCE_BYTES, "填报文件或主工作簿")
    try:
        with path.open("rb") as handle:
            return handle.read(8)
    except OSError as exc:
        raise FilingError(describe_os_error(exc, "读取")) from None


def _foreign(path: Path, head: bytes) -> str | None:
    """A Chinese line naming what the file is, when it is not something perfeval reads."""
    suffix = path.suffix.lower()
    name = f"“{path.name}”"
    if suffix in FOREIGN:
        advice = TEXT_TABLE if suffix in (".csv", ".tsv") else SAVE_AS
        return f"{name}是{FOREIGN[suffix]}，perfeval 只读取主工作簿（.xlsx/.xlsm）和填报 JSON 文件；{advice}"
    if head.startswith(OLE_MAGIC):
        return (f"{name}是 Office 97-2003 格式的文件（如 .xls、.et），或是设置了打开密码的工作簿；"
                f"如有打开密码请先取消；{SAVE_AS}")
    if head.startswith(ZIP_MAGIC) and suffix not in OPENPYXL_SUFFIXES:
        return (f"{name}是压缩包格式的文件，但扩展名不是 .xlsx/.xlsm；如果它是主工作簿，"
                "请把扩展名改为 .xlsx 或 .xlsm 后再读取")
    return None


def open_source(path: str | Path) -> Source:
    """Read a filing JSON or a master workbook; raise FilingError (Chinese, one line)."""
    path = Path(path)
    head = _head(path)
    foreign = _foreign(path, head)
    if foreign:
        raise FilingError(foreign)
    if path.suffix.lower() in WORKBOOK_SUFFIXES or head.startswith(ZIP_MAGIC):
        from workbook.reader import read_workbook  # the workbook stack loads only when needed

        reading = read_workbook(path)
        return Source(path, reading.filing, True, reading.locate, list(reading.findings), reading.profile)
    loaded = read_filing(path)
    return Source(path, loaded.data, findings=duplicate_key_findings(loaded.duplicate_keys))


def duplicate_key_findings(duplicates: list[tuple[str, str]]) -> list[Finding]:
    """One V2 finding per key a JSON object repeats (the last value is the one read)."""
    return [Finding("V2", WARNING, f"{pointer}/{key}",
                    f"JSON 中“{pointer or '/'}”对象的键“{key}”出现了不止一次，按最后一个读取；请删去多余的",
                    expected="只出现一次", actual=key, table="基本信息")
            for pointer, key in duplicates]


def read_filing_json(path: str | Path) -> dict[str, Any]:
    """A filing JSON file (``perfeval new --from``); other kinds of file are named as what they are."""
    path = Path(path)
    head = _head(path)
    foreign = _foreign(path, head)
    if foreign is None and (head.startswith(ZIP_MAGIC) or path.suffix.lower() in WORKBOOK_SUFFIXES):
        foreign = (f"“{path.name}”是 Excel 工作簿，--from 需要填报 JSON 文件；"
                   "主工作簿可以直接用 perfeval validate / export 处理")
    if foreign:
        raise FilingError(foreign)
    return read_filing(path).data
