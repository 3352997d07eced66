"""Make the package's values-only workbook clean, and prove it.

:func:`properties_replaced` rewrites the document properties to the title and the unit only;
:func:`audit` lists everything a filed table must not carry: formulas, macros, UDF or stray
defined names, hidden sheets, hidden (helper) columns, comments, data validations, external
links, embedded objects, custom properties, unexpected sheets. XML is read with defusedxml.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

from defusedxml import ElementTree

from xlfuncs.fileio import property_parts, relationship_targets, rewrite_zip
from xlfuncs.xmltext import xml_text

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
      "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
      "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"}
ALLOWED_NAMES = ("_xlnm.Print_Area", "_xlnm.Print_Titles")
_FORBIDDEN_PARTS = (
    (re.compile(r"(?i)vbaProject\.bin$|\.bin$"), "宏或二进制部件"),
    (re.compile(r"(?i)^xl/comments|/comments\d*\.xml$|threadedComments"), "批注"),
    (re.compile(r"(?i)^xl/externalLinks/"), "外部链接"),
    (re.compile(r"(?i)^xl/(embeddings|activeX|ctrlProps)/"), "嵌入对象或控件"),
    (re.compile(r"(?i)^xl/(connections\.xml|queryTables/)"), "数据连接"),
    (re.compile(r"(?i)^xl/calcChain\.xml$"), "公式计算链"),
    (re.compile(r"(?i)^docProps/custom\.xml$"), "自定义文档属性"),
    (re.compile(r"(?i)^customXml/"), "自定义 XML"),
)


def properties_replaced(package: bytes, title: str, unit: str) -> bytes:
    """The package with docProps/core.xml and app.xml holding only the title and the unit (Company)."""
    replacements = property_parts(xml_text(title), xml_text(unit))
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        missing = [name for name in replacements if name not in set(source.namelist())]
    if missing:
        raise ValueError(f"工作簿缺少 {', '.join(missing)}")
    return rewrite_zip(package, replacements)


def _sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str, str]]:
    """(name, state, part path) of each sheet, in workbook order."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    targets = relationship_targets(archive.read, "xl/workbook.xml")
    sheets = []
    for sheet in workbook.findall("m:sheets/m:sheet", NS):
        part = targets.get(sheet.get(f"{{{NS['r']}}}id") or "", "")
        sheets.append((sheet.get("name"), sheet.get("state") or "visible", part))
    return sheets


_FORMULA = re.compile(rb"<f[ >/]")
_VALIDATIONS = re.compile(rb"<dataValidations[ >]")
_HIDDEN_COL = re.compile(rb"<col [^>]*hidden=\"(?:1|true)\"")
_LEGACY_DRAWING = re.compile(rb"<legacyDrawing[ >/]")


def _sheet_problems(name: str, xml: bytes) -> list[str]:
    """What a sheet part holds that a filed table must not. The parts are XlsxWriter's own output
    (no namespace prefixes), so their tags are found by pattern instead of a full parse."""
    problems = []
    formulas = len(_FORMULA.findall(xml))
    if formulas:
        problems.append(f"工作表“{name}”含 {formulas} 个公式")
    if _VALIDATIONS.search(xml):
        problems.append(f"工作表“{name}”含数据验证")
    if _HIDDEN_COL.search(xml):
        problems.append(f"工作表“{name}”有隐藏列（辅助列）")
    if _LEGACY_DRAWING.search(xml):
        problems.append(f"工作表“{name}”含批注")
    return problems


def _property_problems(archive: zipfile.ZipFile) -> list[str]:
    problems = []
    names = set(archive.namelist())
    if "docProps/core.xml" in names:
        core = ElementTree.fromstring(archive.read("docProps/core.xml"))
        extra = [child.tag.rsplit("}", 1)[-1] for child in core if child.tag.rsplit("}", 1)[-1] != "title"]
        if extra:
            problems.append("文档属性（core.xml）除标题外还有：" + "、".join(extra))
    if "docProps/app.xml" in names:
        app = ElementTree.fromstring(archive.read("docProps/app.xml"))
        extra = [child.tag.rsplit("}", 1)[-1] for child in app if child.tag.rsplit("}", 1)[-1] != "Company"]
        if extra:
            problems.append("文档属性（app.xml）除单位外还有：" + "、".join(extra))
    return problems


def audit(workbook: str | Path | bytes, expected_sheets: Sequence[str]) -> list[str]:
    """Everything in the workbook (a path or the file's bytes) a clean filing table must not hold
    (Chinese lines); [] when clean."""
    problems: list[str] = []
    with zipfile.ZipFile(io.BytesIO(workbook) if isinstance(workbook, bytes) else workbook) as archive:
        for part in archive.namelist():
            for pattern, what in _FORBIDDEN_PARTS:
                if pattern.search(part):
                    problems.append(f"含{what}：{part}")
        sheets = _sheet_parts(archive)
        names = [name for name, _, _ in sheets]
        if names != list(expected_sheets):
            problems.append(f"工作表应为 {'、'.join(expected_sheets)}，实为 {'、'.join(names)}")
        for name, state, part in sheets:
            if state != "visible":
                problems.append(f"工作表“{name}”被隐藏")
            problems.extend(_sheet_problems(name, archive.read(part)))
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        for defined in workbook.findall("m:definedNames/m:definedName", NS):
            if defined.get("name") not in ALLOWED_NAMES:
                problems.append(f"含定义名称“{defined.get('name')}”")
        problems.extend(_property_problems(archive))
    return problems
