"""Web pages (.html/.htm, and the HTML that systems save as “.xls”) → :class:`~xlfuncs.grid.Document`.

The bytes are decoded by the charset the page declares (BOM, ``<meta charset>`` or
``http-equiv``; GB2312/GBK read as their superset GB18030), falling back to UTF-8 then GB18030.
lxml's HTML parser builds the tree (no network, no DTD: entity declarations in a page are inert
text). What a browser would not show is dropped: ``head``, scripts, styles, ``hidden`` and
``display:none`` elements. Text is what the page shows: runs of ASCII white space collapse to
one space and are trimmed at line ends, a no-break space is a plain space, ``<br>`` and block
boundaries are line breaks (``"\\n"`` inside a table cell; outside tables each line is a
paragraph of its own, so headings written as ``一、…<br>`` stay findable), ``<pre>`` keeps its
white space. Tables: ``rowspan``/``colspan`` resolved as browsers place cells. A table holding
another table, or a single cell, is page layout: its content is read as the page's flow.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from xlfuncs.filing import FilingError
from xlfuncs.grid import Document, Paragraph, Table

from .limits import MAX_HTML_BYTES, CellBudget, label
from .spans import SpanGrid

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
              "cp936": "gb18030", "iso-8859-1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252"}
_SKIP = {"head", "script", "style", "noscript", "template", "title", "iframe", "object", "embed", "select",
         "option", "svg", "math", "button", "input", "textarea", "canvas", "audio", "video", "map"}
_BLOCKS = {"address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog", "div", "dl",
           "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
           "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "ul", "caption",
           "tr", "td", "th", "tbody", "thead", "tfoot", "html", "table"}
_COLLAPSE = re.compile(r"[ \t\n\r\f]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_BREAK = "\x00"  # a line break marker while collecting text


def decode_html(raw: bytes) -> tuple[str, str]:
    """The page's text and the encoding used (declared, else UTF-8, else GB18030)."""
    candidates: list[str] = []
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            candidates.append(encoding)
    declared = _CHARSET.search(raw[:16384])
    if declared:
        name = declared.group(1).decode("ascii", "ignore").lower()
        try:
            candidates.append(codecs.lookup(_SUPERSETS.get(name, name)).name)
        except LookupError:
            pass
    candidates += ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return raw.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode(candidates[0], errors="replace"), candidates[0]


def read_html(path: Path, budget: CellBudget) -> Document:
    """Read a saved web page into a Document (tables and the paragraphs around them, in order)."""
    from lxml import etree

    raw = path.read_bytes()
    if len(raw) > MAX_HTML_BYTES:
        raise FilingError(f"{label(path)}有 {len(raw) // 1048576} MB，超过网页导入上限 {MAX_HTML_BYTES // 1048576} MB，未读取")
    text, _ = decode_html(raw)
    parser = etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, recover=True)
    try:
        root = etree.fromstring(text, parser)
    except (etree.ParserError, ValueError) as exc:
        raise FilingError(f"{label(path)}无法作为网页读取（{type(exc).__name__}）") from None
    document = Document(source=path.name)
    if root is None:
        return document
    walk = _Flow(path, budget, document)
    body = root.find("body")
    walk.element(body if body is not None else root)
    walk.flush()
    return document


def _tag(element) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def _hidden(element) -> bool:
    return element.get("hidden") is not None or bool(_HIDDEN_STYLE.search(element.get("style", "")))


def _clean(raw: str, pre: bool) -> str:
    """Shown text of collected pieces: white space collapsed per line unless preformatted."""
    lines = raw.split(_BREAK)
    if not pre:
        lines = [_COLLAPSE.sub(" ", line).strip(" ") for line in lines]
    return "\n".join(lines).replace("\xa0", " ")


def _own_rows(table) -> list:
    """The rows of a table, not of tables nested in it."""
    rows = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in child if _tag(r) == "tr")
    return rows


def _span(element, name: str) -> int:
    value = (element.get(name) or "1").strip()
    digits = re.match(r"\d+", value)
    return max(int(digits.group(0)), 1) if digits else 1


class _Flow:
    """Walks the page in order, making paragraphs of loose text and tables of tables."""

    def __init__(self, path: Path, budget: CellBudget, document: Document) -> None:
        self.path, self.budget, self.document = path, budget, document
        self.pieces: list[str] = []
        self.style = ""
        self.pre = False
        self.paragraphs = self.tables = 0
        self.last_text = ""

    def add(self, text: str | None) -> None:
        if text:
            self.pieces.append(text)

    def flush(self) -> None:
        text = _clean("".join(self.pieces), self.pre)
        self.pieces = []
        for line in text.split("\n"):
            if line.strip():
                self.paragraphs += 1
                self.document.blocks.append(Paragraph(text=line, source=self.path.name, index=self.paragraphs,
                                                      style=self.style))
                self.last_text = line

    def element(self, element) -> None:
        tag = _tag(element)
        if not tag or tag in _SKIP or _hidden(element):
            return
        if tag == "table" and not _is_layout(element):
            self.flush()
            self.table(element)
            return
        if tag == "br":
            self.flush()
            return
        block = tag in _BLOCKS
        saved = (self.style, self.pre)
        if block:
            self.flush()
            self.style = tag if tag not in ("tr", "td", "th", "tbody", "thead", "tfoot", "body", "html") else self.style
            self.pre = self.pre or tag == "pre"
        self.add(element.text)
        for child in element:
            self.element(child)
            self.add(child.tail)
        if block:
            self.flush()
            self.style, self.pre = saved

    def table(self, table) -> None:
        self.tables += 1
        grid = SpanGrid(self.path, self.budget, f"表{self.tables}")
        caption = ""
        for child in table:
            if _tag(child) == "caption":
                caption = _cell_text(child)
        for r, row in enumerate(_own_rows(table)):
            col = 0
            for cell in row:
                if _tag(cell) not in ("td", "th") or _hidden(cell):
                    continue
                col = grid.next_free(r, col)
                rowspan, colspan = _span(cell, "rowspan"), _span(cell, "colspan")
                grid.place(r, col, _cell_text(cell), rowspan, colspan)
                col += colspan
        self.document.blocks.append(Table(rows=grid.rows(), source=self.path.name, index=self.tables,
                                          caption=caption or self.last_text))
        self.last_text = ""


def _is_layout(table) -> bool:
    """A table used to lay out a page: it holds another table, or it is one single cell."""
    if any(_tag(inner) == "table" for inner in table.iterdescendants()):
        return True
    rows = _own_rows(table)
    return len(rows) <= 1 and sum(_tag(c) in ("td", "th") for r in rows for c in r) <= 1


def _cell_text(cell) -> str:
    pieces: list[str] = []
    pre = [False]

    def visit(element) -> None:
        tag = _tag(element)
        if not tag or tag in _SKIP or _hidden(element):
            return
        if tag == "br":
            pieces.append(_BREAK)
            return
        block = tag in _BLOCKS and element is not cell
        if block and pieces and pieces[-1] != _BREAK:
            pieces.append(_BREAK)
        if tag == "pre":
            pre[0] = True
        if element.text:
            pieces.append(element.text)
        for child in element:
            visit(child)
            if child.tail:
                pieces.append(child.tail)
        if block and pieces and pieces[-1] != _BREAK:
            pieces.append(_BREAK)

    visit(cell)
    while pieces and pieces[-1] == _BREAK:
        pieces.pop()
    return _clean("".join(pieces), pre[0])
