"""Small, careful edits of an OOXML package (xlsx/xlsm) held in memory.

Parts are read with defusedxml (never trusting a package's XML) and edited by inserting
text before a closing tag, so everything the package already holds keeps its bytes.
Used by :mod:`workbook.lite` (the xlwings Lite web extension and the sheet button shapes); the
desktop workbook's VBA project and buttons are written by XlsxWriter itself. Writing, zipping
and relationship parts go through the shared :mod:`xlfuncs.fileio`.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from defusedxml import ElementTree

from xlfuncs.fileio import NS_PKG_REL, parse_relationships, rels_path, resolve_target, write_atomic, zip_bytes
from xlfuncs.filing import FilingError

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_WORKSHEET = NS_REL + "/worksheet"
REL_DRAWING = NS_REL + "/drawing"
REL_HYPERLINK = NS_REL + "/hyperlink"

CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"


class PackageError(FilingError):
    """The package is not a workbook this module can edit; the message is one Chinese line."""


def xml_text(value: str) -> str:
    """Escape text for an XML element body."""
    return escape(value)


def xml_attr(value: str) -> str:
    """A quoted, escaped XML attribute value (quotes included)."""
    return quoteattr(value)


def insert_before(xml: str, closing_tag: str, addition: str) -> str:
    """Insert ``addition`` just before the last ``closing_tag`` of ``xml``."""
    index = xml.rfind(closing_tag)
    if index < 0:
        raise PackageError(f"工作簿结构异常：找不到 {closing_tag}")
    return xml[:index] + addition + xml[index:]


@dataclass
class SheetPart:
    """One worksheet of the workbook: its name, part path and relationship id."""

    name: str
    path: str  # e.g. "xl/worksheets/sheet2.xml"
    rel_id: str
    sheet_id: int


@dataclass
class Package:
    """The parts of a zip package, editable in memory and written back atomically."""

    parts: dict[str, bytes]
    order: list[str] = field(default_factory=list)

    # ------------------------------------------------------------------ io
    @classmethod
    def read(cls, path: str | Path) -> Package:
        """Load every part of ``path``; raise PackageError when it is not a zip package."""
        try:
            with zipfile.ZipFile(path) as archive:
                order = [info.filename for info in archive.infolist()]
                parts = {name: archive.read(name) for name in order}
        except (zipfile.BadZipFile, OSError) as exc:
            raise PackageError(f"无法读取工作簿“{path}”：{exc}") from None
        if "[Content_Types].xml" not in parts or "xl/workbook.xml" not in parts:
            raise PackageError(f"“{path}”不是 Excel 工作簿")
        return cls(parts, order)

    def to_bytes(self) -> bytes:
        """The package as zip bytes, parts in their original order, new parts last (deterministic)."""
        names = [n for n in self.order if n in self.parts] + [n for n in self.parts if n not in self.order]
        return zip_bytes((name, self.parts[name]) for name in names)

    def write(self, path: str | Path) -> Path:
        """Write the package to ``path`` atomically (temporary file, fsync, then rename)."""
        return write_atomic(path, self.to_bytes())

    # ------------------------------------------------------------------ text parts
    def text(self, name: str) -> str:
        """A part decoded as UTF-8."""
        return self.parts[name].decode("utf-8")

    def set_text(self, name: str, text: str) -> None:
        """Replace (or add) a part from text."""
        self.parts[name] = text.encode("utf-8")

    # ------------------------------------------------------------------ content types
    def content_type_overrides(self) -> dict[str, str]:
        """PartName → ContentType of every Override."""
        root = ElementTree.fromstring(self.parts["[Content_Types].xml"])
        return {el.get("PartName", ""): el.get("ContentType", "")
                for el in root.iter(f"{{{NS_CT}}}Override")}

    def add_override(self, part: str, content_type: str) -> None:
        """Declare the content type of a new part (no-op when already declared)."""
        part_name = "/" + part.lstrip("/")
        if part_name in self.content_type_overrides():
            return
        xml = self.text("[Content_Types].xml")
        addition = f'<Override PartName={xml_attr(part_name)} ContentType={xml_attr(content_type)}/>'
        self.set_text("[Content_Types].xml", insert_before(xml, "</Types>", addition))

    # ------------------------------------------------------------------ relationships
    @staticmethod
    def rels_path(part: str) -> str:
        """The relationships part that belongs to ``part``."""
        return rels_path(part)

    def relationships(self, part: str) -> list[dict[str, str]]:
        """The relationships of ``part`` (``""`` for the package root) as attribute dicts."""
        path = rels_path(part)
        return parse_relationships(self.parts[path]) if path in self.parts else []

    def add_relationship(self, part: str, rel_type: str, target: str, *, external: bool = False) -> str:
        """Add a relationship from ``part`` (``""`` = package root); return its new id."""
        path = rels_path(part)
        existing = self.relationships(part)
        used = {rel.get("Id", "") for rel in existing}
        number = len(existing) + 1
        while f"rId{number}" in used:
            number += 1
        rel_id = f"rId{number}"
        mode = ' TargetMode="External"' if external else ""
        addition = (f'<Relationship Id="{rel_id}" Type={xml_attr(rel_type)} '
                    f'Target={xml_attr(target)}{mode}/>')
        if path in self.parts:
            self.set_text(path, insert_before(self.text(path), "</Relationships>", addition))
        else:
            self.set_text(path, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                                f'<Relationships xmlns="{NS_PKG_REL}">{addition}</Relationships>')
        return rel_id

    @staticmethod
    def resolve(part: str, target: str) -> str:
        """The part path a relationship target of ``part`` points at."""
        return resolve_target(part, target)

    # ------------------------------------------------------------------ sheets
    def sheets(self) -> list[SheetPart]:
        """The worksheets in workbook order."""
        root = ElementTree.fromstring(self.parts["xl/workbook.xml"])
        targets = {rel["Id"]: self.resolve("xl/workbook.xml", rel["Target"])
                   for rel in self.relationships("xl/workbook.xml") if rel.get("Type") == REL_WORKSHEET}
        result = []
        for el in root.iter(f"{{{NS_MAIN}}}sheet"):
            rel_id = el.get(f"{{{NS_REL}}}id", "")
            if rel_id in targets:
                result.append(SheetPart(el.get("name", ""), targets[rel_id], rel_id, int(el.get("sheetId", "0"))))
        return result

    def sheet(self, name: str) -> SheetPart:
        """The worksheet called ``name``; PackageError when there is none."""
        for sheet in self.sheets():
            if sheet.name == name:
                return sheet
        raise PackageError(f"工作簿中没有名为“{name}”的工作表")

    def new_part_name(self, pattern: str) -> str:
        """The first free part name for ``pattern`` (containing ``{n}``)."""
        number = 1
        while pattern.format(n=number) in self.parts:
            number += 1
        return pattern.format(n=number)


