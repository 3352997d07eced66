"""PDF conversion through LibreOffice (headless), one private profile per run.

A private ``-env:UserInstallation`` keeps the conversion from handing the files to a
LibreOffice the user has open (which would ignore ``--headless`` and never return), and
from touching the user's own profile. The run has a timeout; a missing LibreOffice gives a
Chinese note instead of an error, because PDFs are an optional part of the package.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_TIMEOUT = 240.0  # seconds; the first run of a fresh profile takes a few seconds alone
NO_SOFFICE = ("未找到 LibreOffice（soffice），未生成 PDF；安装 LibreOffice 后重新导出即可得到 PDF，"
              "或在 Excel / WPS 中打开 xlsx、docx 另存为 PDF")
_WINDOWS_PLACES = (r"C:\Program Files\LibreOffice\program\soffice.exe",
                   r"C:\Program Files (x86)\LibreOffice\program\soffice.exe")
_MAC_PLACE = "/Applications/LibreOffice.app/Contents/MacOS/soffice"


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


def _stop(process: subprocess.Popen) -> None:
    """Kill the conversion we started (its whole process group on POSIX)."""
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except (ProcessLookupError, PermissionError, OSError):
        pass
    process.wait()


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
    profile = Path(tempfile.mkdtemp(prefix="perfeval-lo-"))
    command = [binary, "--headless", "--invisible", "--nologo", "--norestore", "--nolockcheck",
               "--nodefault", f"-env:UserInstallation={profile.as_uri()}",
               "--convert-to", "pdf", "--outdir", str(out), *(str(p) for p in inputs)]
    note = ""
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   stdin=subprocess.DEVNULL, start_new_session=os.name == "posix")
        try:
            _, err = process.communicate(timeout=timeout)
            if process.returncode != 0:
                detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
                note = f"LibreOffice 转换 PDF 失败（退出码 {process.returncode}）{detail[0][:200]}"
        except subprocess.TimeoutExpired:
            _stop(process)
            note = f"LibreOffice 转换 PDF 超过 {timeout:.0f} 秒未完成，已中止；未生成的 PDF 见下"
    except OSError as exc:
        note = f"无法启动 LibreOffice（{binary}）：{exc.strerror or exc}"
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    converted, missing = [], []
    for source in inputs:
        target = out / f"{source.stem}.pdf"
        ok = target.is_file() and target.stat().st_size > 0 and target.read_bytes()[:5] == b"%PDF-"
        (converted if ok else missing).append(target if ok else source)
    if missing and not note:
        note = "LibreOffice 未生成以下文件的 PDF：" + "、".join(p.name for p in missing)
    return PdfResult(converted, missing, note, time.perf_counter() - started)
