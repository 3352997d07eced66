"""An offline install folder for Windows PCs without internet, made on any machine with internet.

The folder holds every wheel perfeval needs on Windows x64 for Python 3.11, 3.12 and 3.13
(``pip download --platform win_amd64 --python-version 3.1x --only-binary=:all:``; pywin32 is
named explicitly because pip judges ``platform_system == "Windows"`` markers by the machine it
runs on), perfeval's own wheel (``pip wheel`` of this source tree, built in a copy so the tree
stays clean), ``install.bat`` (``py -3``, ``pip install --no-index --find-links``), a
``perfeval.bat`` that puts the command on PATH, blank master workbooks (desktop .xlsm and
xlwings Lite .xlsx, so a PC without Python can start with the Lite one), the seed filing and
its corrected copy (``samples/``, which the Windows smoke test uses) and a 说明.txt.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from xlfuncs.fileio import write_atomic

from .cmd_bundle import PYTHONS

PLATFORM = "win_amd64"
WINDOWS_ONLY = ("pywin32",)  # required by xlwings on Windows behind a marker pip evaluates on this machine
SOURCE_ITEMS = ("pyproject.toml", "README.md", "xlfuncs", "workbook", "macros")
ROOT = Path(__file__).resolve().parents[1]


class BundleError(Exception):
    """The bundle could not be made; the message is one Chinese line."""


INSTALL_BAT = r"""@echo off
rem perfeval offline install: a private Python environment in %LOCALAPPDATA%\perfeval\.venv,
rem packages only from the "wheels" folder next to this file (no internet needed).
setlocal
set "HERE=%~dp0"
set "VENV=%LOCALAPPDATA%\perfeval\.venv"
where py >nul 2>nul || goto nopy
py -3 -c "import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 13) else 1)" || goto badpy
if not exist "%VENV%\Scripts\python.exe" py -3 -m venv "%VENV%" || goto fail
"%VENV%\Scripts\python.exe" -m pip install --no-index --find-links "%HERE%wheels" --upgrade perfeval || goto fail
if not exist "%LOCALAPPDATA%\Microsoft\WindowsApps" mkdir "%LOCALAPPDATA%\Microsoft\WindowsApps"
copy /y "%HERE%perfeval.bat" "%LOCALAPPDATA%\Microsoft\WindowsApps\perfeval.bat" >nul
"%VENV%\Scripts\perfeval.exe" --version || goto fail
echo {done}
pause
exit /b 0
:nopy
echo {nopy}
pause
exit /b 1
:badpy
echo {badpy}
pause
exit /b 1
:fail
echo {fail}
pause
exit /b 1
"""
INSTALL_MESSAGES = {
    "done": "安装完成。打开新的命令行窗口即可使用 perfeval 命令（如 perfeval --version）。",
    "nopy": "未找到 Python 启动器 py：请先安装 Python 3.11、3.12 或 3.13（python.org 安装程序，勾选 py launcher）。",
    "badpy": "py -3 启动的 Python 不是 3.11–3.13：请安装其中一个版本，或在命令行先运行 set PY_PYTHON3=3.13 再运行本脚本。",
    "fail": "安装失败，请把上面的提示截图发给技术人员。",
}
PERFEVAL_BAT = '@"%LOCALAPPDATA%\\perfeval\\.venv\\Scripts\\perfeval.exe" %*\r\n'
README = """perfeval 离线安装包（Windows x64，Python 3.11–3.13）

1. 先安装 Python 3.11、3.12 或 3.13（python.org 的安装程序，保留默认勾选的“py launcher”）。
2. 双击本文件夹中的 install.bat。它在 %LOCALAPPDATA%\\perfeval\\.venv 建立独立的 Python 环境，
   只从本文件夹的 wheels 子文件夹安装（不需要联网），并在 %LOCALAPPDATA%\\Microsoft\\WindowsApps
   放一个 perfeval.bat，所以打开新的命令行窗口后可以直接输入 perfeval。
3. 工作簿：workbooks 文件夹里有空白的桌面版主工作簿（.xlsm，需要第 2 步的安装）和 Lite 版（.xlsx，
   不用安装 Python，在 Excel 中添加 xlwings Lite 加载项即可，需要联网）。
4. 样例：samples 文件夹里是渌口区机关事务服务中心 2022 年的填报（lukou-2022.json，原样保留其错误）
   和改正后的版本（lukou-2022-corrected.json），《Windows 检查清单》用到它们。

详细说明见 perfeval 的《使用指南》（docs/使用指南.md）。
"""


def _run(command: Sequence[str], what: str) -> None:
    done = subprocess.run(list(command), capture_output=True, text=True, encoding="utf-8", errors="replace")
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [""]
        raise BundleError(f"{what}失败（pip 退出码 {done.returncode}）：{tail[0][:300]}")


def source_tree() -> Path | None:
    """perfeval's source tree (a checkout with its pyproject.toml), or None for an installed copy."""
    pyproject = ROOT / "pyproject.toml"
    if pyproject.is_file() and 'name = "perfeval"' in pyproject.read_text(encoding="utf-8"):
        return ROOT
    return None


def own_wheel(wheels: Path, given: Path | None) -> Path:
    """perfeval's wheel in ``wheels``: the one given, or built from the source tree (in a copy)."""
    if given is not None:
        if not given.is_file() or given.suffix != ".whl":
            raise BundleError(f"“{given}”不是 wheel 文件（.whl）")
        return Path(shutil.copy2(given, wheels / given.name))
    root = source_tree()
    if root is None:
        raise BundleError("这里没有 perfeval 的源代码（pyproject.toml）：请在源代码文件夹中运行，或用 --wheel 指定 perfeval 的 wheel")
    with tempfile.TemporaryDirectory(prefix="perfeval-bundle-") as folder:
        copy = Path(folder) / "src"
        copy.mkdir()
        for item in SOURCE_ITEMS:
            source = root / item
            if source.is_dir():
                shutil.copytree(source, copy / item, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            elif source.is_file():
                shutil.copy2(source, copy / item)
        _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(copy)],
             "构建 perfeval 的 wheel")
    built = sorted(wheels.glob("perfeval-*.whl"))
    if not built:
        raise BundleError("构建 perfeval 的 wheel 失败：没有生成 .whl 文件")
    return built[-1]


def _scripts(target: Path) -> None:
    text = INSTALL_BAT.format(**INSTALL_MESSAGES)
    # cmd.exe reads batch files in the console code page: GBK on Chinese Windows; CRLF line ends.
    write_atomic(target / "install.bat", text.replace("\n", "\r\n").encode("gbk"))
    write_atomic(target / "perfeval.bat", PERFEVAL_BAT.encode("ascii"))
    write_atomic(target / "说明.txt", ("\ufeff" + README).replace("\n", "\r\n").encode("utf-8"))


def _workbooks(target: Path) -> list[Path]:
    from .cmd_new import write_master_workbook

    folder = target / "workbooks"
    folder.mkdir(exist_ok=True)
    made = []
    for runtime, name in (("desktop", "绩效自评主表.xlsm"), ("lite", "绩效自评主表-Lite.xlsx")):
        write_master_workbook(None, folder / name, runtime, 1, "default")
        made.append(folder / name)
    return made


def _samples(target: Path) -> list[Path]:
    """The seed filing as filed (errors included) and, from a source tree, its corrected copy."""
    from importlib import resources

    folder = target / "samples"
    folder.mkdir(exist_ok=True)
    seed = resources.files("xlfuncs.data").joinpath("lukou-2022.json").read_bytes()
    write_atomic(folder / "lukou-2022.json", seed)
    made = [folder / "lukou-2022.json"]
    root = source_tree()
    corrected = root / "tests" / "data" / "lukou-2022-corrected.json" if root else None
    if corrected is not None and corrected.is_file():
        shutil.copy2(corrected, folder / corrected.name)
        made.append(folder / corrected.name)
    return made


def make_bundle(target: str | Path, pythons: Sequence[str] = PYTHONS, wheel: Path | None = None,
                progress: Callable[[str], None] = print) -> list[Path]:
    """Build the offline install folder at ``target`` (new or empty); return the wheels in it."""
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BundleError(f"“{target}”已存在且不是空文件夹；请指定一个新的文件夹")
    wheels = target / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    progress("1. perfeval 本身的 wheel …")
    mine = own_wheel(wheels, wheel)
    for version in pythons:
        progress(f"2. 下载 Windows x64、Python {version} 所需的全部 wheel …")
        _run([sys.executable, "-m", "pip", "download", "-q", "--only-binary=:all:", "--platform", PLATFORM,
              "--python-version", version, "--implementation", "cp", "-d", str(wheels), str(mine),
              *WINDOWS_ONLY], f"下载 Python {version} 的依赖包")
    progress("3. 安装脚本、空白主工作簿与样例 …")
    _scripts(target)
    _workbooks(target)
    _samples(target)
    return sorted(wheels.glob("*.whl"))
