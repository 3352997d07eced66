"""Operating-system errors said in Chinese: “No space left on device” → “磁盘空间不足”.

Every door that writes or reads a file (the command line, export, the buttons) names the
path and gives the reason from the core's one table (``xlfuncs.oserror_text``).
"""

from __future__ import annotations

from pathlib import Path

from xlfuncs.oserror_text import os_reason

__all__ = ["describe_os_error", "lock_file", "os_reason"]


def lock_file(path: str | Path) -> Path | None:
    """The ``~$name`` lock file Excel, WPS or LibreOffice keep beside an open workbook, if present."""
    path = Path(path)
    for name in (f"~${path.name}", f".~lock.{path.name}#"):
        candidate = path.with_name(name)
        if candidate.exists():
            return candidate
    return None


def describe_os_error(exc: OSError, action: str = "") -> str:
    """One Chinese line: what failed, on which path, and why (with a hint for an open workbook)."""
    where = f"“{exc.filename}”" if exc.filename else ""
    text = f"{action}{where}失败：{os_reason(exc)}" if action else f"{where}{os_reason(exc)}"
    for candidate in (exc.filename, getattr(exc, "filename2", None)):
        if candidate and lock_file(candidate) is not None:
            text += f"；该文件似乎正在 Excel 或 WPS 中打开（有锁定文件 {lock_file(candidate).name}），请先关闭它"
            break
    return text
