"""What an xlwings Lite workbook carries as code: ``main.py`` (perfeval's own packages embedded,
the UDFs and the button scripts), ``requirements.txt``, and the list of the workbook's UDF
formulas that 启用公式 re-enters.

perfeval is not on PyPI, so Lite cannot install it from ``requirements.txt``. ``main.py``
carries perfeval's pure-Python packages (``xlfuncs``, ``macros``, ``workbook``) as a zip (base64,
with its SHA-256), unpacks them into Pyodide's in-memory file system, and then imports *the
same* UDFs (``xlfuncs.udfs``) and button actions (``macros.buttons``) the desktop workbook and
the CLI use. ``requirements.txt`` pins the pure-Python packages those need; ``lxml`` (for
python-docx) is one of Pyodide's own packages, whose version Pyodide fixes.

The buttons only use what Lite's client documents (:data:`LITE_CLIENT_ACTIONS`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from workbook.layouts import sheets as sheet_layouts
from workbook.layouts.cells import split_cell
from xlfuncs.fileio import zip_bytes
from xlfuncs.filing import FilingError

#: The packages main.py carries, and the build-time modules it leaves out.
EMBEDDED_PACKAGES = ("xlfuncs", "macros", "workbook")
EXCLUDED_MODULES = {"workbook/vba.py", "workbook/ovba.py", "workbook/cfb.py", "workbook/lite.py",
                    "workbook/lite_code.py", "workbook/ooxml.py", "workbook/checked.py", "macros/cli.py",
                    "macros/__main__.py"}
#: Distribution → pinned in requirements.txt at the installed version.
REQUIREMENTS = ("xlwings", "XlsxWriter", "python-docx", "openpyxl", "defusedxml")
#: What each button does in Lite (the classic Subs have the same names).
LITE_ACTIONS = {
    "Validate": "run_validate",
    "ExportPackage": "run_export",
    "AddProject": "run_add_project",
    "EnableFormulas": "run_enable_formulas",
}
#: The actions a Lite script may send: those the Office.js client of xlwings Server, which Lite
#: shares, implements in its action map (xlwings-server, static/js/custom-scripts/index.js,
#: ``funcs``), minus ``alert`` (xlwings Lite's limitations list ``App.alert()`` as unsupported).
#: ``setFormula``, ``copySheet`` and ``deleteNote`` are not among them: a formula is written as a
#: value starting with "=" (Office.js ``Range.values`` enters it as a formula), links through
#: ``addHyperlink``, a new sheet through ``addSheet`` and ``copyFromRange``.
LITE_CLIENT_ACTIONS = frozenset({
    "setValues", "addSheet", "setSheetName", "setAutofit", "setRangeColor", "activateSheet", "addHyperlink",
    "setNumberFormat", "setPictureName", "setPictureWidth", "setPictureHeight", "deletePicture", "addPicture",
    "updatePicture", "setRangeName", "namesAdd", "nameDelete", "runMacro", "rangeDelete", "rangeInsert",
    "rangeSelect", "rangeClearContents", "rangeClearFormats", "rangeGroup", "rangeUngroup", "rangeClear",
    "rangeAdjustIndent", "addTable", "setTableName", "resizeTable", "showAutofilterTable", "showHeadersTable",
    "showTotalsTable", "setTableStyle", "copyRange", "copyFromRange", "sheetDelete", "sheetClear",
    "sheetClearFormats", "sheetClearContents", "freezePaneAtRange", "freezePaneUnfreeze", "setFontProperty"})
ENABLE_FORMULAS_CAPTION = "启用公式"


class LiteError(FilingError):
    """The Lite workbook cannot be written; the message is one Chinese line."""


@dataclass(frozen=True)
class ShapeButton:
    """A sheet button for Lite: a named shape covering ``cell`` with a hyperlink to it."""

    sheet: str
    macro: str  # a key of LITE_ACTIONS
    text: str
    cell: str  # e.g. "H3" (no $)
    width: float = 96.0  # points
    height: float = 28.0
    name: str = ""

    def shape_name(self, index: int) -> str:
        """The shape's name (ASCII, unique in the workbook)."""
        return self.name or f"perfeval_{self.macro}_{index}"

    def reference(self, index: int) -> str:
        """``[shape]Sheet!A1`` for ``@script(button=...)``."""
        return f"[{self.shape_name(index)}]{self.sheet}!{self.cell}"


def default_shape_buttons(sheet_names: list[str]) -> list[ShapeButton]:
    """The layouts' buttons as Lite shapes, plus 启用公式 on 使用说明.

    A Lite button is the cell its shape links to, so buttons that share a slot cell (the
    three on each form share M1) move down one row each (M1, M2, M3).
    """
    out: list[ShapeButton] = []
    for name in sheet_names:
        used: set[str] = set()
        slots = sheet_layouts.button_slots(name)
        for slot in slots:
            cell = _free_cell(slot.cell, used)
            out.append(ShapeButton(name, slot.macro, slot.caption, cell, slot.width, min(slot.height, 20.0)))
        if name == sheet_layouts.GUIDE_SHEET and slots:
            letters, row = split_cell(slots[-1].cell)
            cell = _free_cell(f"{letters}{row + 2}", used)
            out.append(ShapeButton(name, "EnableFormulas", ENABLE_FORMULAS_CAPTION, cell, slots[-1].width, 20.0))
    return out


def _free_cell(cell: str, used: set[str]) -> str:
    letters, row = split_cell(cell)
    while f"{letters}{row}" in used:
        row += 1
    used.add(f"{letters}{row}")
    return f"{letters}{row}"


# ----------------------------------------------------------------------------- embedded code

def embedded_files(root: Path | None = None) -> dict[str, bytes]:
    """Relative path → bytes of every file main.py carries (sources and package data)."""
    base = root or Path(__file__).resolve().parents[1]
    files: dict[str, bytes] = {}
    for package in EMBEDDED_PACKAGES:
        for path in sorted((base / package).rglob("*")):
            rel = path.relative_to(base).as_posix()
            if not path.is_file() or "__pycache__" in rel or rel in EXCLUDED_MODULES:
                continue
            if path.suffix not in (".py", ".json", ".toml", ".bas", ".txt"):
                continue
            if rel.startswith("macros/cmd_"):
                continue
            files[rel] = path.read_bytes()
    if not files:
        raise LiteError("找不到要嵌入的 perfeval 代码")
    return files


def code_archive(files: dict[str, bytes]) -> bytes:
    """A deterministic zip of ``files`` (fixed timestamps, sorted names)."""
    return zip_bytes(sorted(files.items()), compresslevel=9)


def requirements_txt() -> str:
    """requirements.txt for Lite: the pure-Python dependencies pinned at the installed versions."""
    lines = ["# perfeval（xlwings Lite 版）所需的 Python 包，版本与生成本工作簿的 perfeval 环境一致。",
             "# lxml（python-docx 需要）由 Pyodide 提供，版本随 Pyodide，不在此固定。"]
    for name in REQUIREMENTS:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            raise LiteError(f"未安装 {name}，无法固定 Lite 版的依赖版本") from None
        lines.append(f"{name}=={version}")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- main.py

def udf_formulas(xlsx_path: str | Path) -> dict[str, dict[str, str]]:
    """Sheet → cell → formula of every cell whose formula calls one of our UDFs."""
    import openpyxl

    from xlfuncs.udfs import UDF_NAMES

    pattern = re.compile(r"(?<![\w.])(" + "|".join(UDF_NAMES) + r")\(")
    book = openpyxl.load_workbook(xlsx_path, read_only=True)
    found: dict[str, dict[str, str]] = {}
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    value = getattr(cell, "value", None)
                    if isinstance(value, str) and value.startswith("=") and pattern.search(value):
                        found.setdefault(sheet.title, {})[cell.coordinate] = value
    finally:
        book.close()
    return found


def _chunks(text: str, width: int = 100) -> str:
    return "\n".join(f'    "{text[i:i + width]}"' for i in range(0, len(text), width))


def main_py(archive: bytes, buttons: list[ShapeButton], formulas: dict[str, dict[str, str]]) -> str:
    """The Lite main.py: unpack the embedded perfeval, import its UDFs and button actions."""
    from xlfuncs.udfs import UDF_NAMES

    digest = hashlib.sha256(archive).hexdigest()
    encoded = base64.b64encode(archive).decode("ascii")
    names = ", ".join(UDF_NAMES)
    try:
        version = metadata.version("perfeval")
    except metadata.PackageNotFoundError:
        version = "dev"
    scripts = []
    counters: dict[str, int] = {}
    for button in buttons:
        if button.macro not in LITE_ACTIONS:
            raise LiteError(f"未知的按钮动作“{button.macro}”")
        counters[button.macro] = counters.get(button.macro, 0) + 1
        index = counters[button.macro]
        action = LITE_ACTIONS[button.macro]
        func = f"{button.macro.lower()}_button_{index}"
        argument = "book, FORMULAS" if button.macro == "EnableFormulas" else "book"
        scripts.append(
            f"@script(button={json.dumps(button.reference(index), ensure_ascii=False)}, "
            f"name={json.dumps(f'{button.text}（{button.sheet}）', ensure_ascii=False)})\n"
            f"def {func}(book: xw.Book):\n"
            f'    """{button.text}：{button.sheet} 工作表上的按钮。"""\n'
            f"    _buttons.{action}({argument})\n")
    formulas_json = json.dumps(formulas, ensure_ascii=False, sort_keys=True, indent=1)
    script_code = "\n\n".join(scripts)
    return f'''"""perfeval 预算绩效自评（xlwings Lite 版）。由 perfeval new --runtime lite 生成，请勿手改。

本文件带有 perfeval {version} 的评分与校验代码（xlfuncs、macros、workbook 三个包，
下方 _PERFEVAL_ZIP，SHA-256 {digest}），与桌面版和命令行是同一套代码。
工作表函数：{names}。
按钮：校验、导出（写到 Lite 的 /data 文件夹，在“Files”面板下载）、新增项目；
首次在 Lite 中打开时请先点“启用公式”，让 Excel 重新识别公式中的函数。
"""

import base64
import hashlib
import io
import sys
import tempfile
import zipfile

_PERFEVAL_SHA256 = "{digest}"
_PERFEVAL_ZIP = (
{_chunks(encoded)}
)


def _install_perfeval():
    data = base64.b64decode(_PERFEVAL_ZIP)
    if hashlib.sha256(data).hexdigest() != _PERFEVAL_SHA256:
        raise RuntimeError("perfeval 代码校验失败：本文件已被改动，请重新生成工作簿")
    target = tempfile.gettempdir() + "/perfeval-" + _PERFEVAL_SHA256[:12]
    zipfile.ZipFile(io.BytesIO(data)).extractall(target)
    if target not in sys.path:
        sys.path.insert(0, target)


_install_perfeval()

import xlwings as xw  # noqa: E402
from xlwings import script  # noqa: E402

from macros import buttons as _buttons  # noqa: E402
from macros.buttons import add_project, export_package, validate  # noqa: E402,F401
from xlfuncs.udfs import {names}  # noqa: E402,F401

#: Every UDF formula of the built workbook (sheet → cell → formula), re-entered by 启用公式.
FORMULAS = {formulas_json}


{script_code}'''

