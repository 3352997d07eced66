"""Operating-system errors said in Chinese: “No space left on device” → “磁盘空间不足”.

Every door that writes or reads a file (the command line, export, the buttons) names the
path and gives the reason from this table, never the English ``strerror``.
"""

from __future__ import annotations

import errno
from pathlib import Path

# Beyond the reasons the core knows (xlfuncs.filing.os_reason): the ones writing a package meets.
MORE_REASONS = {
    errno.EACCES: "没有权限（文件或文件夹只读，或被其他程序占用）",
    errno.EROFS: "所在磁盘或文件夹是只读的",
    errno.EEXIST: "已存在同名文件或文件夹",
    errno.ENOTEMPTY: "文件夹不是空的",
    errno.EINVAL: "文件名或参数无效（可能含有系统不允许的字符）",
    errno.EFBIG: "文件太大",
    errno.EPIPE: "输出管道已关闭",
}
_WINDOWS_REASONS = {32: "文件正被其他程序（如 Excel、WPS）打开", 33: "文件的一部分被其他程序锁定",
                    5: "没有权限（文件或文件夹只读，或被其他程序占用）", 112: "磁盘空间不足",
                    206: "文件名或路径太长", 123: "文件名、文件夹名中有系统不允许的字符"}


def os_reason(exc: OSError) -> str:
    """The reason of an OSError in Chinese (the errno's meaning, never the English text)."""
    from xlfuncs.filing import os_reason as core_reason

    winerror = getattr(exc, "winerror", None)
    if winerror in _WINDOWS_REASONS:
        return _WINDOWS_REASONS[winerror]
    if exc.errno in MORE_REASONS:
        return MORE_REASONS[exc.errno]
    reason = core_reason(exc)
    if reason and reason != exc.strerror and reason != str(exc):
        return reason
    return f"系统错误（错误号 {exc.errno}）" if exc.errno else "系统错误"


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
