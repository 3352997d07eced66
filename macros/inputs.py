"""Open what the user names on the command line: a filing JSON or a master workbook."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlfuncs.filing import check_regular_file, read_filing
from xlfuncs.findings import WARNING, Finding

ZIP_MAGIC = b"PK\x03\x04"
#: Largest file perfeval opens as a filing JSON or a master workbook (a 500-project workbook is ~5 MB).
MAX_SOURCE_BYTES = 100 * 1024 * 1024
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


def is_zip(path: Path) -> bool:
    """True when the file starts like a zip package (xlsx, xlsm, docx)."""
    try:
        with path.open("rb") as handle:
            return handle.read(4) == ZIP_MAGIC
    except OSError:
        return False


def open_source(path: str | Path) -> Source:
    """Read a filing JSON or a master workbook; raise FilingError (Chinese, one line)."""
    path = Path(path)
    check_regular_file(path, MAX_SOURCE_BYTES, "填报文件或主工作簿")
    if path.suffix.lower() in (".xlsx", ".xlsm") or is_zip(path):
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
