"""Write a report as .docx: A4, 公文-style fonts, outline headings, tables.

python-docx builds the empty report once per process (styles, page, footer); each report's
body is then written as WordprocessingML text into a copy of that package, which is ten times
faster than python-docx's element API for a filing with many projects.

The writer knows nothing about budgets: it renders a :class:`DocSpec` made of headings,
paragraphs and tables. Fonts are set for Latin *and* East-Asian text (``w:eastAsia``), theme
fonts and colours of the default template are removed, and the package is cleaned: no
thumbnail, no custom XML, no template metadata; document properties hold only the title
and the unit (as Company).

Slightly over 400 lines: styles, page setup, tables and package hygiene of one document format.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor, Twips

from xlfuncs.fileio import (
    APP_PROPERTIES,
    CORE_PROPERTIES,
    CT_APP_PROPERTIES,
    CT_CORE_PROPERTIES,
    app_properties_xml,
    core_properties_xml,
    escape,
    property_parts,
    rewrite_zip,
    write_atomic,
)
from xlfuncs.xmltext import xml_text

A4 = (Twips(11906), Twips(16838))  # 210 × 297 mm as Word stores it
LATIN_FONT = "Times New Roman"
BODY_FONT, TITLE_FONT, HEADING_FONTS = "仿宋", "宋体", {1: "黑体", 2: "楷体", 3: "仿宋", 4: "仿宋"}
BODY_SIZE, TITLE_SIZE, TABLE_SIZE, NOTE_SIZE = Pt(16), Pt(22), Pt(10.5), Pt(10.5)
LINE = Pt(28)  # 公文: 22 lines a page at 三号
INDENT = Pt(32)  # two characters of 三号
TABLE_GAP = Pt(12)
MARGINS = {"top": Cm(3.7), "bottom": Cm(3.5), "left": Cm(2.8), "right": Cm(2.6)}
TEXT_WIDTH_CM = 21.0 - 2.8 - 2.6

_DROPPED_RELS = (RT.THUMBNAIL, RT.CUSTOM_XML, "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects")


@dataclass(frozen=True)
class Heading:
    """An outline heading; level 1 (一、) to 3 (1.)."""

    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph; ``label`` is printed in bold before the text (inline heading)."""

    text: str
    label: str = ""


@dataclass(frozen=True)
class Grid:
    """A table with a caption, a header row, body rows and notes under it."""

    caption: str
    header: list[str]
    rows: list[list[str]]
    widths_cm: list[float]
    numeric_from: int = 1  # columns from this index are centred
    merge_first_column: bool = False  # merge equal consecutive first-column cells (level-1 groups)
    notes: list[str] = field(default_factory=list)


Block = Heading | Paragraph | Grid

@dataclass(frozen=True)
class DocSpec:
    """A whole report."""

    attachment: str  # "附件2", printed top left
    title: str  # "\n" marks where the printed title breaks
    subtitle: list[str]
    blocks: list[Block]
    unit: str


# ------------------------------------------------------------------ fonts and styles


def _set_fonts(rpr, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Replace the run fonts of an rPr by explicit Latin and East-Asian fonts (no theme fonts)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for name in list(fonts.attrib):
        del fonts.attrib[name]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")


def _paragraph_format(fmt, *, indent: bool = True, align=None, exact: Pt | None = LINE) -> None:
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if exact is None:
        fmt.line_spacing = 1.0
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = exact
    fmt.first_line_indent = INDENT if indent else Pt(0)
    if align is not None:
        fmt.alignment = align


def _style_font(style, east_asian: str, size: Pt, bold: bool = False) -> None:
    rpr = style.element.get_or_add_rPr()
    _set_fonts(rpr, east_asian)
    for color in rpr.findall(qn("w:color")):
        rpr.remove(color)
    style.font.color.rgb = RGBColor(0, 0, 0)
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False


def _default_fonts(styles) -> None:
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if rpr_default is None:
        return
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    _set_fonts(rpr, BODY_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


# name → (East-Asian font, size, bold, alignment, first-line indent, exact line height or None)
_OWN_STYLES = {
    "Attachment Label": (HEADING_FONTS[1], BODY_SIZE, False, WD_ALIGN_PARAGRAPH.LEFT, False, LINE),
    "Report Title": (TITLE_FONT, TITLE_SIZE, True, WD_ALIGN_PARAGRAPH.CENTER, False, Pt(36)),
    "Report Subtitle": (HEADING_FONTS[2], BODY_SIZE, False, WD_ALIGN_PARAGRAPH.CENTER, False, LINE),
    "Table Caption": (BODY_FONT, Pt(12), True, WD_ALIGN_PARAGRAPH.CENTER, False, Pt(24)),
    "Table Text": (BODY_FONT, TABLE_SIZE, False, WD_ALIGN_PARAGRAPH.CENTER, False, None),
    "Table Note": (BODY_FONT, NOTE_SIZE, False, WD_ALIGN_PARAGRAPH.LEFT, False, Pt(16)),
    "Page Number": (TITLE_FONT, Pt(14), False, WD_ALIGN_PARAGRAPH.CENTER, False, None),
}


_KEPT_STYLES = ("Normal", "Heading 1", "Heading 2", "Heading 3", "Table Grid", "Normal Table",
                "Default Paragraph Font", "No List", "Header", "Footer")


def _prune_styles(styles) -> None:
    """Drop the template's unused styles (and what only they refer to)."""
    root = styles.element
    by_id = {el.get(qn("w:styleId")): el for el in root.iterchildren(qn("w:style"))}
    names = {el.find(qn("w:name")).get(qn("w:val")).lower(): sid for sid, el in by_id.items()
             if el.find(qn("w:name")) is not None}
    keep = [names[n.lower()] for n in _KEPT_STYLES if n.lower() in names]
    seen: set[str] = set()
    while keep:
        sid = keep.pop()
        if sid in seen or sid not in by_id:
            continue
        seen.add(sid)
        for tag in ("w:basedOn", "w:next"):
            ref = by_id[sid].find(qn(tag))
            if ref is not None:
                keep.append(ref.get(qn("w:val")))
    for sid, el in by_id.items():
        if sid not in seen:
            root.remove(el)
        else:  # linked character styles (Heading1Char …) carry theme fonts; they go with the link
            for link in el.findall(qn("w:link")):
                el.remove(link)


def _setup_styles(document) -> dict[str, object]:
    """Set Normal and Heading 1–3 to 公文 fonts and add the writer's own styles."""
    styles = document.styles
    _prune_styles(styles)
    _default_fonts(styles)
    normal = styles["Normal"]
    _style_font(normal, BODY_FONT, BODY_SIZE)
    _paragraph_format(normal.paragraph_format, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    normal.paragraph_format.widow_control = True
    found: dict[str, object] = {}
    for level in (1, 2, 3):
        style = styles[f"Heading {level}"]
        _style_font(style, HEADING_FONTS[level], BODY_SIZE, bold=True)
        _paragraph_format(style.paragraph_format, align=WD_ALIGN_PARAGRAPH.LEFT)
        style.paragraph_format.keep_with_next = True
        found[f"Heading {level}"] = style
    for name, (font, size, bold, align, indent, exact) in _OWN_STYLES.items():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _style_font(style, font, size, bold)
        _paragraph_format(style.paragraph_format, indent=indent, align=align, exact=exact)
        style.paragraph_format.keep_with_next = name in ("Table Caption", "Report Title", "Attachment Label")
        found[name] = style
    found["Table Grid"] = styles["Table Grid"]
    return found


def _page_setup(document, styles: dict[str, object]) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = A4
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.footer_distance = Cm(2.5)
    footer = section.footer.paragraphs[0]
    footer.style = styles["Page Number"]
    footer.add_run("— ")
    field_ = OxmlElement("w:fldSimple")
    field_.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field_.append(run)
    footer._p.append(field_)
    footer.add_run(" —")


# ------------------------------------------------------------------ content


def _run(text: str, bold: bool = False) -> str:
    """Runs for ``text``: one per line, a line break between lines (as python-docx writes them)."""
    flags = "<w:rPr><w:b/></w:rPr>" if bold else ""
    lines = xml_text(text).split("\n")
    runs = []
    for i, line in enumerate(lines):
        brk = "<w:br/>" if i < len(lines) - 1 else ""
        runs.append(f'<w:r>{flags}<w:t xml:space="preserve">{escape(line)}</w:t>{brk}</w:r>')
    return "".join(runs)


class _Body:
    """The body of one document as WordprocessingML text, blocks appended in order."""

    def __init__(self, ids: dict[str, str]) -> None:
        self.ids = ids  # style name → style id
        self.parts: list[str] = []
        self.after_table = False

    def paragraph(self, runs: str = "", style: str = "") -> None:
        """A paragraph; the first one after a table gets a little space above it (an empty spacer
        paragraph instead would stop LibreOffice keeping a heading with the text below it)."""
        props = f'<w:pStyle w:val="{self.ids[style]}"/>' if style else ""
        if self.after_table:
            props += f'<w:spacing w:before="{TABLE_GAP.twips}"/>'
            self.after_table = False
        self.parts.append(f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{runs}</w:p>")

    def text(self, text: str, style: str) -> None:
        self.paragraph(_run(text.replace("\n", " ")) if text else "", style)

    def lines(self, text: str, style: str) -> None:
        """One paragraph; "\n" in ``text`` becomes a line break."""
        self.paragraph(_run(text), style)

    def heading(self, block: Heading) -> None:
        self.text(block.text, f"Heading {min(block.level, 3)}")

    def body(self, block: Paragraph) -> None:
        runs = (_run(block.label, bold=True) if block.label else "") + (_run(block.text) if block.text else "")
        self.paragraph(runs)

    def grid(self, block: Grid) -> None:
        self.text(block.caption, "Table Caption")
        self.parts.append(_table_xml(block, self.ids["Table Text"], self.ids["Table Grid"]))
        for note in block.notes:
            self.text(note, "Table Note")
        self.after_table = True


def _twips(cm: float) -> int:
    return round(cm / 2.54 * 1440)


def _cell_xml(text: str, width: int, style_id: str, *, bold: bool, left: bool, merge: str) -> str:
    runs = []
    if text:
        flags = "<w:rPr><w:b/></w:rPr>" if bold else ""
        parts = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in xml_text(text).split("\n"))
        runs.append(f"<w:r>{flags}{parts}</w:r>")
    merged = {"start": '<w:vMerge w:val="restart"/>', "continue": "<w:vMerge/>"}.get(merge, "")
    align = '<w:jc w:val="left"/>' if left else ""
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{merged}<w:vAlign w:val="center"/></w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{align}</w:pPr>{"".join(runs)}</w:p></w:tc>')


def _merge_marks(rows: list[list[str]]) -> list[str]:
    """Per body row, how its first cell merges with the rows around it (equal, non-empty labels)."""
    marks = []
    for i, row in enumerate(rows):
        same_above = i > 0 and row[0] and rows[i - 1][0] == row[0]
        same_below = i + 1 < len(rows) and row[0] and rows[i + 1][0] == row[0]
        marks.append("continue" if same_above else "start" if same_below else "")
    return marks


def _table_xml(block: Grid, text_style: str, table_style: str) -> str:
    """A w:tbl: fixed layout, centred, grid and cell widths (LibreOffice reads the grid, Word the
    cells), header row repeated on each page, rows never split across pages."""
    widths = [_twips(w) for w in block.widths_cm]
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    rows = ['<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>'
            + "".join(_cell_xml(t, w, text_style, bold=True, left=False, merge="") for t, w in zip(block.header, widths, strict=True))
            + "</w:tr>"]
    marks = _merge_marks(block.rows) if block.merge_first_column else [""] * len(block.rows)
    for values, mark in zip(block.rows, marks, strict=True):
        cells = []
        for c, (value, width) in enumerate(zip(values, widths, strict=True)):
            merge = mark if c == 0 else ""
            cells.append(_cell_xml("" if merge == "continue" else value, width, text_style, bold=False,
                                   left=0 < c < block.numeric_from, merge=merge))
        rows.append(f'<w:tr><w:trPr><w:cantSplit/></w:trPr>{"".join(cells)}</w:tr>')
    return (f'<w:tbl><w:tblPr><w:tblStyle w:val="{table_style}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
            '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>")


# ------------------------------------------------------------------ package hygiene


def _replace_part(package, reltype: str, partname: str, content_type: str, xml: str) -> None:
    for r_id, rel in list(package.rels.items()):
        if rel.reltype == reltype:
            del package.rels[r_id]
    package.relate_to(Part(PackURI(partname), content_type, xml.encode("utf-8"), package), reltype)


def _clean_package(document, title: str, unit: str) -> None:
    package = document.part.package
    for owner in (package, document.part):
        for r_id, rel in list(owner.rels.items()):
            if rel.reltype in _DROPPED_RELS:
                del owner.rels[r_id]
    _replace_part(package, RT.CORE_PROPERTIES, "/" + CORE_PROPERTIES, CT_CORE_PROPERTIES,
                  core_properties_xml(xml_text(title)))
    _replace_part(package, RT.EXTENDED_PROPERTIES, "/" + APP_PROPERTIES, CT_APP_PROPERTIES,
                  app_properties_xml(xml_text(unit)))


@dataclass(frozen=True)
class _Template:
    """The empty report package: its parts, its document.xml around the body, its style ids."""

    package: bytes
    head: str  # document.xml up to and including <w:body>
    tail: str  # the section properties and the closing tags
    ids: dict[str, str]


_STYLE_NAMES = ("Normal", "Heading 1", "Heading 2", "Heading 3", "Table Grid", *_OWN_STYLES)
_BODY = "<w:body>"


@lru_cache(maxsize=1)
def _template() -> _Template:
    """An empty report document with styles, page and footer set up (built once per process with
    python-docx; each report is then written as text into a copy of its package)."""
    document = docx.Document()
    _setup_styles(document)
    _page_setup(document, {"Page Number": document.styles["Page Number"]})
    body = document.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    _clean_package(document, "", "")
    ids = {name: document.styles[name].style_id for name in _STYLE_NAMES}
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    cut = xml.index(_BODY) + len(_BODY)
    return _Template(buffer.getvalue(), xml[:cut], xml[cut:], ids)


def render_docx(spec: DocSpec) -> bytes:
    """The .docx bytes of a report."""
    template = _template()
    body = _Body(template.ids)
    body.text(spec.attachment, "Attachment Label")
    body.lines(spec.title, "Report Title")
    for line in spec.subtitle:
        body.text(line, "Report Subtitle")
    body.text("", "Report Subtitle")
    for block in spec.blocks:
        if isinstance(block, Heading):
            body.heading(block)
        elif isinstance(block, Paragraph):
            body.body(block)
        else:
            body.grid(block)
    replaced = property_parts(xml_text(spec.title.replace("\n", "")), xml_text(spec.unit))
    replaced["word/document.xml"] = (template.head + "".join(body.parts) + template.tail).encode("utf-8")
    return rewrite_zip(template.package, replaced)


def write_docx(spec: DocSpec, path: str | Path) -> Path:
    """Write a document to ``path`` atomically (temporary file and rename); return the path."""
    path = Path(path)
    write_atomic(path, render_docx(spec))
    return path
