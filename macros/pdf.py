"""PDF conversion through LibreOffice (headless), one private profile per run, never left running.

A private ``-env:UserInstallation`` keeps the conversion from handing the files to a
LibreOffice the user has open (which would ignore ``--headless`` and never return), and from
touching the user's own profile. A missing LibreOffice gives a Chinese note instead of an
error, because PDFs are an optional part of the package.

LibreOffice must not outlive perfeval: killed or not, a conversion left running would keep
writing into an abandoned folder. So soffice runs under a small watchdog (``python -c
WATCHDOG``) that leads its own process group (Windows: its own process group and a
``taskkill /T``) and holds the read end of a pipe from perfeval. When perfeval ends in any way
— normally, by an exception, SIGTERM, or kill -9 — the pipe closes and the watchdog ends the
whole group at once. The run also has a timeout, and the private profile of a run that was
killed is removed by the next run (:mod:`macros.tempfiles`).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .tempfiles import clean_stale_profiles, make_profile_folder

DEFAULT_TIMEOUT = 240.0  # seconds; the first run of a fresh profile takes a few seconds alone
STOP_WAIT = 5.0  # seconds to wait for the watchdog after asking it to stop
NO_SOFFICE = ("未找到 LibreOffice（soffice），未生成 PDF；安装 LibreOffice 后重新导出即可得到 PDF，"
              "或在 Excel / WPS 中打开 xlsx、docx 另存为 PDF")
_WINDOWS_PLACES = (r"C:\Program Files\LibreOffice\program\soffice.exe",
                   r"C:\Program Files (x86)\LibreOffice\program\soffice.exe")
_MAC_PLACE = "/Applications/LibreOffice.app/Contents/MacOS/soffice"

# Runs soffice (argv[1:]) and ends it, children included, as soon as its stdin reaches end of
# file: perfeval holds the other end, so that happens when perfeval is done or gone.
WATCHDOG = r"""
import os, signal, subprocess, sys, threading
child = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL)
def stop():
    if os.name == "posix":
        os.killpg(0, signal.SIGKILL)
    else:
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(child.pid)], capture_output=True)
        os._exit(1)
def guard():
    try:
        while os.read(0, 4096):
            pass
    except (OSError, ValueError):
        pass
    if child.poll() is None:
        stop()
threading.Thread(target=guard, daemon=True).start()
code = child.wait()
os._exit(code if code >= 0 else 128 - code)
"""


@dataclass(frozen=True)
class PdfResult:
    """What a conversion produced."""

    converted: list[Path] = field(default_factory=list)  # PDFs written
    missing: list[Path] = field(default_factory=list)  # inputs that got no PDF
    note: str = ""  # Chinese; empty when every input was converted
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when every input got its PDF."""
        return not self.missing and not self.note


def find_soffice() -> str | None:
    """Path of the LibreOffice binary, or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for place in (*_WINDOWS_PLACES, _MAC_PLACE):
        if os.path.isfile(place):
            return place
    return None


def _group_options() -> dict:
    if os.name == "posix":
        return {"start_new_session": True}
    return {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}


def _kill_group(process: subprocess.Popen) -> None:
    """Last resort when the watchdog itself does not end: kill its whole group."""
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True)
    except (ProcessLookupError, PermissionError, OSError):
        pass


def _stop(process: subprocess.Popen) -> None:
    """Close the watchdog's pipe (it then ends LibreOffice and itself) and wait for it; kill its
    group only if it does not end by itself."""
    if process.stdin is not None and not process.stdin.closed:
        try:
            process.stdin.close()
        except OSError:
            pass
    try:
        process.wait(timeout=STOP_WAIT)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        process.wait()


def _last_line(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return lines[-1][:200] if lines else ""


def convert_to_pdf(files: Sequence[str | Path], out_dir: str | Path, *,
                   timeout: float = DEFAULT_TIMEOUT, soffice: str | None = None) -> PdfResult:
    """Convert xlsx/docx files to PDF (same stem) in ``out_dir`` with one LibreOffice run."""
    started = time.perf_counter()
    inputs = [Path(f) for f in files]
    out = Path(out_dir)
    binary = soffice or find_soffice()
    if binary is None:
        return PdfResult([], inputs, NO_SOFFICE, 0.0)
    if not inputs:
        return PdfResult()
    clean_stale_profiles()
    profile = make_profile_folder()
    errors = profile / "stderr.txt"
    command = [sys.executable, "-c", WATCHDOG, binary, "--headless", "--invisible", "--nologo", "--norestore",
               "--nolockcheck", "--nodefault", f"-env:UserInstallation={(profile / 'user').as_uri()}",
               "--convert-to", "pdf", "--outdir", str(out), *(str(p) for p in inputs)]
    note = ""
    process: subprocess.Popen | None = None
    try:
        with errors.open("wb") as err:
            process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=err,
                                       **_group_options())
            try:
                code = process.wait(timeout=timeout)
                if code != 0:
                    note = f"LibreOffice 转换 PDF 失败（退出码 {code}）{_last_line(errors)}"
            except subprocess.TimeoutExpired:
                note = f"LibreOffice 转换 PDF 超过 {timeout:.0f} 秒未完成，已中止；未生成的 PDF 见下"
    except OSError as exc:
        from .oserrors import os_reason

        note = f"无法启动 LibreOffice（{binary}）：{os_reason(exc)}"
    finally:
        if process is not None:
            _stop(process)
        shutil.rmtree(profile, ignore_errors=True)
    converted, missing = [], []
    for source in inputs:
        target = out / f"{source.stem}.pdf"
        ok = target.is_file() and target.stat().st_size > 0 and target.read_bytes()[:5] == b"%PDF-"
        (converted if ok else missing).append(target if ok else source)
    if missing and not note:
        note = "LibreOffice 未生成以下文件的 PDF：" + "、".join(p.name for p in missing)
    return PdfResult(converted, missing, note, time.perf_counter() - started)
