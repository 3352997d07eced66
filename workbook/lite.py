"""The xlwings Lite runtime: the master workbook with its Python code inside, made on Linux.

xlwings Lite (an Office add-in, store id WA200008175) keeps a workbook's code in the
workbook: the web-extension part ``xl/webextensions/webextension1.xml`` holds the properties
``main.py`` and ``requirements.txt`` (each a JSON-encoded string), ``pyodideVersion`` and
``addinVersion``, and says ``<we:containsCustomFunctions/>``. It is reached through
``xl/webextensions/taskpanes.xml`` and a package-root relationship.

perfeval is not on PyPI, so Lite cannot install it from ``requirements.txt``. ``main.py``
therefore carries perfeval's pure-Python packages (``xlfuncs``, ``macros``, ``workbook``) as a
zip (base64, with its SHA-256), unpacks them into Pyodide's in-memory file system, and then
imports *the same* UDFs (``xlfuncs.udfs``) and button actions (``macros.buttons``) the desktop
workbook and the CLI use. ``requirements.txt`` pins the pure-Python packages those need;
``lxml`` (for python-docx) is one of Pyodide's own packages, whose version Pyodide fixes.

Sheet buttons: Office.js cannot bind a shape to a script, so Lite uses a named shape with a
hyperlink to the cell the shape covers, and ``@script(button="[shape]Sheet!H3")`` in
``main.py`` (one script per button).

Formula binding: formulas written while the add-in was not loaded stay ``#NAME?`` (see
docs/runtimes.md). We do not guess Excel's stored ``_xldudf_…`` form; instead ``main.py``
has a script (button 启用公式 on 使用说明) that re-enters every UDF formula of the built
workbook once the add-in has loaded. Its formula list is read from the workbook at build time.

Longer than 400 lines because ``main.py`` is generated here as a template together with the
package parts it lives in (web extension, task pane, shapes); issue 12 splits them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import uuid
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import openpyxl

from workbook import ooxml
from workbook.layouts import sheets as sheet_layouts
from workbook.layouts.expr import col_index, split_cell
from xlfuncs.fileio import zip_bytes

ADDIN_ID = "wa200008175"
ADDIN_STORE = "zh-CN"
ADDIN_VERSION = "1.0.0.0"
#: Values of the ``pyodideVersion`` / ``addinVersion`` properties as seen in a workbook saved by
#: Excel with xlwings Lite (public example, see docs/runtimes.md). Lite rewrites them when it saves.
PYODIDE_VERSION = "0.27.5"
LITE_ADDIN_VERSION = "1.0.0.0-35"

WEBEXTENSION_PART = "xl/webextensions/webextension1.xml"
TASKPANES_PART = "xl/webextensions/taskpanes.xml"
REL_TASKPANES = "http://schemas.microsoft.com/office/2011/relationships/webextensiontaskpanes"
REL_WEBEXTENSION = "http://schemas.microsoft.com/office/2011/relationships/webextension"
CT_WEBEXTENSION = "application/vnd.ms-office.webextension+xml"
CT_TASKPANES = "application/vnd.ms-office.webextensiontaskpanes+xml"
NS_WE = "http://schemas.microsoft.com/office/webextensions/webextension/2010/11"
NS_WETP = "http://schemas.microsoft.com/office/webextensions/taskpanes/2010/11"
NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
EXT_CUSTOM_FUNCTIONS = "{D87F86FE-615C-45B5-9D79-34F1136793EB}"

#: The packages main.py carries, and the build-time modules it leaves out.
EMBEDDED_PACKAGES = ("xlfuncs", "macros", "workbook")
EXCLUDED_MODULES = {"workbook/vba.py", "workbook/lite.py", "workbook/ooxml.py", "macros/cli.py",
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
EMU_PER_POINT = 12700


class LiteError(RuntimeError):
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


ENABLE_FORMULAS_CAPTION = "启用公式"


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


_PROTECTION_RE = re.compile(r"<sheetProtection\b[^>]*/>")


def lift_sheet_protection(package: ooxml.Package) -> list[str]:
    """Remove sheet protection (Lite's scripts cannot unprotect a sheet to re-enter its formulas);
    return the sheets that had it."""
    lifted = []
    for sheet in package.sheets():
        xml = package.text(sheet.path)
        new = _PROTECTION_RE.sub("", xml)
        if new != xml:
            package.set_text(sheet.path, new)
            lifted.append(sheet.name)
    return lifted


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


# ----------------------------------------------------------------------------- package parts

def webextension_xml(main: str, requirements: str, workbook_id: str) -> str:
    """The web-extension part: xlwings Lite, its code and settings, custom functions declared."""
    properties = {
        "Office.AutoShowTaskpaneWithDocument": "true",
        "xlwingsWorkbookId": json.dumps(workbook_id),
        "pyodideVersion": json.dumps(PYODIDE_VERSION),
        "addinVersion": json.dumps(LITE_ADDIN_VERSION),
        "main.py": json.dumps(main, ensure_ascii=False),
        "requirements.txt": json.dumps(requirements, ensure_ascii=False),
    }
    props = "".join(f"<we:property name={ooxml.xml_attr(k)} value={ooxml.xml_attr(v)}/>"
                    for k, v in properties.items())
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<we:webextension xmlns:we="{NS_WE}" id="{{{str(uuid.uuid5(uuid.NAMESPACE_URL, workbook_id)).upper()}}}">'
            f'<we:reference id="{ADDIN_ID}" version="{ADDIN_VERSION}" store="{ADDIN_STORE}" storeType="OMEX"/>'
            f'<we:alternateReferences><we:reference id="{ADDIN_ID.upper()}" version="{ADDIN_VERSION}" '
            f'store="{ADDIN_ID.upper()}" storeType="OMEX"/></we:alternateReferences>'
            f"<we:properties>{props}</we:properties><we:bindings/>"
            f'<we:snapshot xmlns:r="{ooxml.NS_REL}"/>'
            f'<we:extLst><a:ext xmlns:a="{NS_A}" uri="{EXT_CUSTOM_FUNCTIONS}"><we:containsCustomFunctions/>'
            "</a:ext></we:extLst></we:webextension>")


def taskpanes_xml() -> str:
    """The task pane that opens Lite with the workbook (so its functions load)."""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<wetp:taskpanes xmlns:wetp="{NS_WETP}"><wetp:taskpane dockstate="right" visibility="1" '
            f'width="438" row="0"><wetp:webextensionref xmlns:r="{ooxml.NS_REL}" r:id="rId1"/>'
            "</wetp:taskpane></wetp:taskpanes>")


def _cell_index(cell: str) -> tuple[int, int]:
    try:
        letters, row = split_cell(cell)
    except ValueError:
        raise LiteError(f"按钮位置“{cell}”不是单元格地址（如 H3）") from None
    return row - 1, col_index(letters)


def _shape_anchor(button: ShapeButton, name: str, shape_id: int, rel_id: str) -> str:
    row, col = _cell_index(button.cell)
    cx, cy = int(button.width * EMU_PER_POINT), int(button.height * EMU_PER_POINT)
    text = ooxml.xml_text(button.text)
    tip = ooxml.xml_attr(button.text)
    return (f"<xdr:oneCellAnchor><xdr:from><xdr:col>{col}</xdr:col><xdr:colOff>0</xdr:colOff>"
            f"<xdr:row>{row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
            f'<xdr:ext cx="{cx}" cy="{cy}"/><xdr:sp macro="" textlink="">'
            f'<xdr:nvSpPr><xdr:cNvPr id="{shape_id}" name={ooxml.xml_attr(name)} descr={tip}>'
            f'<a:hlinkClick xmlns:r="{ooxml.NS_REL}" r:id="{rel_id}" tooltip={tip}/></xdr:cNvPr>'
            "<xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr>"
            f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            '<a:prstGeom prst="roundRect"><a:avLst/></a:prstGeom>'
            '<a:solidFill><a:srgbClr val="2F5597"/></a:solidFill><a:ln><a:noFill/></a:ln></xdr:spPr>'
            '<xdr:txBody><a:bodyPr vertOverflow="clip" horzOverflow="clip" rtlCol="0" anchor="ctr"/>'
            '<a:lstStyle/><a:p><a:pPr algn="ctr"/><a:r><a:rPr lang="zh-CN" sz="1100" b="1">'
            f'<a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill></a:rPr><a:t>{text}</a:t></a:r></a:p>'
            "</xdr:txBody></xdr:sp><xdr:clientData/></xdr:oneCellAnchor>")


def _sheet_drawing(package: ooxml.Package, sheet: ooxml.SheetPart) -> str:
    """The drawing part of ``sheet``, created (and referenced from the sheet) when missing."""
    for rel in package.relationships(sheet.path):
        if rel.get("Type") == ooxml.REL_DRAWING:
            return package.resolve(sheet.path, rel["Target"])
    path = package.new_part_name("xl/drawings/drawing{n}.xml")
    package.set_text(path, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                           f'<xdr:wsDr xmlns:xdr="{NS_XDR}" xmlns:a="{NS_A}"></xdr:wsDr>')
    package.add_override(path, ooxml.CT_DRAWING)
    rel_id = package.add_relationship(sheet.path, ooxml.REL_DRAWING, "../drawings/" + path.rsplit("/", 1)[1])
    xml = package.text(sheet.path)
    element = f'<drawing r:id="{rel_id}"/>'
    # CT_Worksheet order: … pageMargins, pageSetup, headerFooter, rowBreaks, colBreaks,
    # customProperties, cellWatches, ignoredErrors, smartTags, drawing, legacyDrawing, …
    followers = ("<legacyDrawing ", "<legacyDrawingHF", "<drawingHF", "<picture ", "<oleObjects",
                 "<controls", "<webPublishItems", "<tableParts", "<extLst", "</worksheet>")
    start = xml.find("<worksheet")
    if f'xmlns:r="{ooxml.NS_REL}"' not in xml[start:xml.find(">", start)]:
        xml = xml[:start] + f'<worksheet xmlns:r="{ooxml.NS_REL}"' + xml[start + len("<worksheet"):]
    at = min(xml.find(tag) for tag in followers if xml.find(tag) >= 0)
    package.set_text(sheet.path, xml[:at] + element + xml[at:])
    return path


def add_shape_buttons(package: ooxml.Package, buttons: list[ShapeButton]) -> list[str]:
    """Add every button shape; return the ``@script(button=...)`` references in order."""
    references = []
    counters: dict[str, int] = {}
    names: set[str] = set()
    for button in buttons:
        counters[button.macro] = counters.get(button.macro, 0) + 1
        index = counters[button.macro]
        name = button.shape_name(index)
        if name in names:
            raise LiteError(f"按钮名称重复：{name}")
        names.add(name)
        sheet = package.sheet(button.sheet)
        drawing = _sheet_drawing(package, sheet)
        target = "#" + ("'" + button.sheet.replace("'", "''") + "'" if not re.fullmatch(r"\w+", button.sheet)
                        else button.sheet) + "!" + button.cell
        rel_id = package.add_relationship(drawing, ooxml.REL_HYPERLINK, target)
        xml = package.text(drawing)
        if f'xmlns:xdr="{NS_XDR}"' not in xml or f'xmlns:a="{NS_A}"' not in xml:
            raise LiteError(f"工作表“{button.sheet}”的绘图部件格式不同于预期，未添加按钮")
        ids = [int(x) for x in re.findall(r'<xdr:cNvPr id="(\d+)"', xml)] or [1]
        package.set_text(drawing, ooxml.insert_before(xml, "</xdr:wsDr>",
                                                      _shape_anchor(button, name, max(ids) + 1, rel_id)))
        references.append(button.reference(index))
    return references


def add_webextension(package: ooxml.Package, main: str, requirements: str, workbook_id: str) -> None:
    """Add the xlwings Lite web extension (replacing none: a second one is refused)."""
    if WEBEXTENSION_PART in package.parts or TASKPANES_PART in package.parts:
        raise LiteError("工作簿已带有 Office 加载项部件，未改动")
    package.set_text(WEBEXTENSION_PART, webextension_xml(main, requirements, workbook_id))
    package.set_text(TASKPANES_PART, taskpanes_xml())
    package.add_override(WEBEXTENSION_PART, CT_WEBEXTENSION)
    package.add_override(TASKPANES_PART, CT_TASKPANES)
    package.add_relationship(TASKPANES_PART, REL_WEBEXTENSION, "webextension1.xml")
    package.add_relationship("", REL_TASKPANES, TASKPANES_PART)


def make_lite_workbook(xlsx_path: str | Path, out_path: str | Path,
                       buttons: list[ShapeButton] | None = None) -> Path:
    """Write ``out_path`` (.xlsx): ``xlsx_path`` plus the xlwings Lite code and the button shapes.

    ``buttons`` None places the layouts' buttons and 启用公式 (:func:`default_shape_buttons`).
    Sheet protection is removed (see :func:`lift_sheet_protection`). Atomic: on any error
    the target is left as it was.
    """
    source, target = Path(xlsx_path), Path(out_path)
    if target.suffix.lower() != ".xlsx":
        raise LiteError(f"Lite 版工作簿须以 .xlsx 结尾：{target.name}")
    package = ooxml.Package.read(source)
    if buttons is None:
        buttons = default_shape_buttons([sheet.name for sheet in package.sheets()])
    lift_sheet_protection(package)
    add_shape_buttons(package, buttons)
    archive = code_archive(embedded_files())
    main = main_py(archive, buttons, udf_formulas(source))
    workbook_id = str(uuid.uuid5(uuid.NAMESPACE_URL, "perfeval:" + hashlib.sha256(source.read_bytes()).hexdigest()))
    add_webextension(package, main, requirements_txt(), workbook_id)
    return package.write(target)


def read_lite_code(path: str | Path) -> dict[str, str]:
    """The decoded properties of a Lite workbook's web extension (``main.py``, …), for checks."""
    from defusedxml import ElementTree

    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read(WEBEXTENSION_PART))
    values = {el.get("name"): el.get("value") for el in root.iter(f"{{{NS_WE}}}property")}
    return {name: json.loads(value) if name in ("main.py", "requirements.txt") else value
            for name, value in values.items()}
