"""The xlwings Lite runtime: the master workbook with its Python code inside, made on Linux.

xlwings Lite (an Office add-in, store id WA200008175) keeps a workbook's code in the
workbook: the web-extension part ``xl/webextensions/webextension1.xml`` holds the properties
``main.py`` and ``requirements.txt`` (each a JSON-encoded string), ``pyodideVersion`` and
``addinVersion``, and says ``<we:containsCustomFunctions/>``. It is reached through
``xl/webextensions/taskpanes.xml`` and a package-root relationship. What ``main.py`` holds is
:mod:`workbook.lite_code`.

Sheet buttons: Office.js cannot bind a shape to a script, so Lite uses a named shape with a
hyperlink to the cell the shape covers, and ``@script(button="[shape]Sheet!H3")`` in
``main.py`` (one script per button).

Formula binding: formulas written while the add-in was not loaded stay ``#NAME?`` in Excel
(see docs/runtimes.md); the UDF cells of the workbook show 待计算 until then (the sheets'
probes), and a script (button 启用公式 on 使用说明) re-enters every UDF formula of the built
workbook once the add-in has loaded. Its formula list is read from the workbook at build time.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
import zipfile
from pathlib import Path

from workbook import ooxml
from workbook.layouts.cells import col_index, split_cell

from .lite_code import (
    EMBEDDED_PACKAGES,
    EXCLUDED_MODULES,
    LITE_ACTIONS,
    LITE_CLIENT_ACTIONS,
    LiteError,
    ShapeButton,
    code_archive,
    default_shape_buttons,
    embedded_files,
    main_py,
    requirements_txt,
    udf_formulas,
)

__all__ = ["EMBEDDED_PACKAGES", "EXCLUDED_MODULES", "LITE_ACTIONS", "LITE_CLIENT_ACTIONS", "LiteError",
           "ShapeButton", "code_archive", "default_shape_buttons", "embedded_files", "main_py",
           "make_lite_workbook", "read_lite_code", "requirements_txt", "udf_formulas"]

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

EMU_PER_POINT = 12700


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
