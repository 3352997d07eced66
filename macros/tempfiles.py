"""perfeval's own temporary folders and files, and the removal of stale ones.

Every temporary the export makes (the hidden work folder and zip in ``-o``, the private
LibreOffice profile in the system temp folder) carries the process id in its name:
``.<package>.<pid>.<random>.tmp`` / ``perfeval-lo-<pid>-<random>``. A run that was killed
(kill -9, power cut) cannot clean up after itself, so each run removes the temporaries of
processes that no longer exist (or that are older than a day) before making its own. Only
names of exactly these shapes are touched.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

STALE_AFTER = 24 * 3600.0  # seconds: older than this is stale even if its pid was reused
LO_PREFIX = "perfeval-lo-"
_WORK_RE = re.compile(r"^\..+_绩效自评材料\.(?P<pid>[0-9]+)\.[A-Za-z0-9_]+\.tmp(?:\.zip)?$")  # export.package_name
LO_PATTERN = re.compile(rf"^{re.escape(LO_PREFIX)}(?P<pid>[0-9]+)-[A-Za-z0-9_]+$")


def pid_alive(pid: int) -> bool:
    """True when a process with this id exists (on Windows without ever signalling it)."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 5  # access denied: it exists
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stale(path: Path, pid: int, now: float) -> bool:
    try:
        age = now - path.lstat().st_mtime
    except OSError:
        return False
    return age > STALE_AFTER or not pid_alive(pid)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except OSError:
            pass


def clean_stale(folder: Path, pattern: re.Pattern[str]) -> list[Path]:
    """Remove this folder's entries named like ``pattern`` whose process is gone; return them."""
    removed = []
    now = time.time()
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = pattern.match(entry.name)
        if match and _stale(entry, int(match.group("pid")), now):
            _remove(entry)
            removed.append(entry)
    return removed


def clean_stale_work(out: Path) -> list[Path]:
    """Stale hidden work folders and zips of killed exports in an output folder."""
    return clean_stale(out, _WORK_RE)


def clean_stale_profiles() -> list[Path]:
    """Stale private LibreOffice profiles in the system temp folder."""
    return clean_stale(Path(tempfile.gettempdir()), LO_PATTERN)


def make_work_folder(out: Path, name: str) -> Path:
    """A new hidden work folder in ``out`` named for ``name`` and this process."""
    return Path(tempfile.mkdtemp(prefix=f".{name}.{os.getpid()}.", suffix=".tmp", dir=out))


def make_profile_folder() -> Path:
    """A new private LibreOffice profile folder in the system temp folder."""
    return Path(tempfile.mkdtemp(prefix=f"{LO_PREFIX}{os.getpid()}-"))
