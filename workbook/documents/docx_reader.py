"""Word (.docx) → :class:`~xlfuncs.grid.Document`, with python-docx.

python-docx opens the package (its XML parser resolves no entities and reaches no network; macros
in a .docm are never run, only ignored). The body is walked in document order: paragraphs with
their style names and Word's automatic numbering labels (:mod:`.docx_numbering`), and tables as
grids: ``gridSpan`` (and legacy ``hMerge``) resolved across, ``vMerge`` down, ``gridBefore``
positions as ``None``, rows ending where their cells end. A cell's text is its paragraphs joined
with ``"\\n"``; a line break inside a paragraph is ``"\\n"`` too, a tab ``"\\t"``. What a reader of
the page does not see is left out: deleted revisions, hidden text (``w:vanish``), drawings and
text boxes. Tables nested in a cell follow their outer table as tables of their own.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn

from xlfuncs.filing import FilingError
from xlfuncs.grid import Document, Paragraph, Table

from .docx_numbering import Numbering
from .limits import CellBudget, label
from .spans import SpanGrid

_W_P, _W_TBL, _W_TR, _W_TC, _W_R = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:r")
_WRAPPERS = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:smartTag"), qn("w:hyperlink"),
             qn("w:ins"), qn("w:moveTo"), qn("w:fldSimple"), qn("w:dir"), qn("w:bdo")}
_SKIPPED = {qn("w:del"), qn("w:moveFrom"), qn("w:pPr"), qn("w:rPr"), qn("w:sdtPr"), qn("w:sdtEndPr"),
            qn("w:drawing"), qn("w:pict"), qn("w:object"), qn("w:txbxContent"),
            "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"}
_TEXT = {qn("w:t"): None, qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-",
         qn("w:softHyphen"): ""}


def read_docx(path: Path, budget: CellBudget) -> Document:
    """Read a .docx file into a Document (tables and paragraphs in order)."""
    import docx

    try:
        document = docx.Document(str(path))
        body = document.element.body
    except Exception as exc:  # noqa: BLE001 - any failure of the package or XML parser: a damaged file
        raise FilingError(f"{label(path)}无法作为 Word 文档打开（文件损坏或格式不受支持：{type(exc).__name__}）") from None
    walk = _Walk(path, budget, _style_names(document), Numbering.from_document(document))
    walk.blocks(body)
    return Document(source=path.name, blocks=walk.out)


def _style_names(document) -> dict[str, str]:
    names: dict[str, str] = {}
    try:
        for style in document.styles:
            names[style.style_id] = style.name or style.style_id
        default = document.styles.element.default_for(WD_STYLE_TYPE.PARAGRAPH)
        if default is not None:
            names[""] = names.get(default.styleId, "")
    except Exception:  # noqa: BLE001 - a damaged styles part only loses style names
        pass
    return names


class _Walk:
    """One pass over the body in document order."""

    def __init__(self, path: Path, budget: CellBudget, styles: dict[str, str], numbering: Numbering) -> None:
        self.path, self.budget, self.styles, self.numbering = path, budget, styles, numbering
        self.out: list[Table | Paragraph] = []
        self.paragraphs = 0
        self.tables = 0
        self.last_text = ""

    def blocks(self, parent) -> None:
        for child in parent:
            tag = child.tag
            if tag == _W_P:
                self._paragraph(child)
            elif tag == _W_TBL:
                self._table(child)
            elif tag in _WRAPPERS:
                self.blocks(child)

    def _paragraph(self, element) -> None:
        text = self.numbering.label(element) + paragraph_text(element)
        if not text.strip():
            return
        self.paragraphs += 1
        style_el = element.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        style_id = style_el.get(qn("w:val"), "") if style_el is not None else ""
        style = self.styles.get(style_id, style_id)
        self.out.append(Paragraph(text=text, source=self.path.name, index=self.paragraphs, style=style))
        self.last_text = text

    def _table(self, element, nested_in: tuple[int, int, int] | None = None) -> None:
        self.tables += 1
        index = self.tables
        where = f"表{index}"
        grid = SpanGrid(self.path, self.budget, where)
        nested: list[tuple[object, int, int]] = []
        for r, row in enumerate(_children(element, _W_TR)):
            col = _int_val(row.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}"), 0)
            for tc in _children(row, _W_TC):
                span = max(_int_val(tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}"), 1), 1)
                text = self._cell_text(tc, nested, r, col)
                if _continues(tc, "w:vMerge"):
                    for c in range(col, col + span):
                        grid.cover(r, c)
                    anchor = grid.anchor_above(r, col)
                    if text and anchor:
                        grid.append_text(*anchor, text)
                elif _continues(tc, "w:hMerge") and col > 0:
                    grid.cover(r, col)
                else:
                    grid.place(r, col, text, 1, span)
                col += span
        caption = self.last_text if nested_in is None else ""
        meta = {} if nested_in is None else {"nested_in": nested_in[0], "row": nested_in[1], "col": nested_in[2]}
        self.out.append(Table(rows=grid.rows(), source=self.path.name, index=index, caption=caption, meta=meta))
        for inner, r, c in nested:
            self._table(inner, (index, r, c))
        self.last_text = ""

    def _cell_text(self, tc, nested: list, row: int, col: int) -> str:
        lines: list[str] = []

        def visit(parent) -> None:
            for child in parent:
                if child.tag == _W_P:
                    lines.append(self.numbering.label(child) + paragraph_text(child))
                elif child.tag == _W_TBL:
                    nested.append((child, row, col))
                elif child.tag in _WRAPPERS:
                    visit(child)

        before = len(nested)
        visit(tc)
        if len(nested) > before:  # the empty paragraphs Word keeps around a nested table carry nothing
            lines = [line for line in lines if line]
        return "\n".join(lines)


def _children(parent, tag: str):
    """Direct children with ``tag``, looking through content-control and custom-XML wrappers."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _int_val(element, default: int) -> int:
    if element is None:
        return default
    value = element.get(qn("w:val"), "")
    return int(value) if value.isdigit() else default


def _continues(tc, what: str) -> bool:
    """Whether a cell continues a merge (``<w:vMerge/>`` or ``w:val="continue"``)."""
    merge = tc.find(f"{qn('w:tcPr')}/{qn(what)}")
    return merge is not None and merge.get(qn("w:val"), "continue") == "continue"


def paragraph_text(paragraph) -> str:
    """The text a reader sees in one ``w:p``: runs, tabs and breaks, without deleted or hidden text."""
    parts: list[str] = []

    def visit(parent) -> None:
        for child in parent:
            tag = child.tag
            if tag in _TEXT:
                fixed = _TEXT[tag]
                parts.append((child.text or "") if fixed is None else fixed)
            elif tag == _W_R:
                if not _hidden(child):
                    visit(child)
            elif tag == qn("w:sym"):
                parts.append(_symbol(child))
            elif tag not in _SKIPPED and tag != _W_P and tag != _W_TBL:
                visit(child)

    visit(paragraph)
    return "".join(parts)


def _hidden(run) -> bool:
    vanish = run.find(f"{qn('w:rPr')}/{qn('w:vanish')}")
    return vanish is not None and vanish.get(qn("w:val"), "true") not in ("0", "false", "off")


def _symbol(sym) -> str:
    code = sym.get(qn("w:char"), "")
    try:
        value = int(code, 16)
    except ValueError:
        return ""
    if 0xF000 <= value <= 0xF0FF:  # a symbol-font glyph (Wingdings tick boxes …): no Unicode meaning
        return ""
    return chr(value)
