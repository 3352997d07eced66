"""Open what the user names on the command line: a filing JSON or a master workbook."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlfuncs.filing import FilingError, load_filing
from xlfuncs.findings import Finding

ZIP_MAGIC = b"PK\x03\x04"
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
    if not path.exists():
        raise FilingError(f"找不到文件“{path}”")
    if path.suffix.lower() in (".xlsx", ".xlsm") or is_zip(path):
        from workbook.reader import read_workbook  # the workbook stack loads only when needed

        reading = read_workbook(path)
        return Source(path, reading.filing, True, reading.locate, list(reading.findings), reading.profile)
    return Source(path, load_filing(path))
