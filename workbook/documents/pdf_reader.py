"""PDF with a text layer → :class:`~xlfuncs.grid.Document`, with pdfplumber.

Tables are found from their ruling lines (pdfplumber's ``lines`` strategy). Its cells are
rectangles between the lines; a merged cell is a rectangle spanning several column or row
edges, so spans come from where each rectangle's edges fall among all the table's edges. A
cell's text is the characters inside it, one line of the PDF per ``"\\n"``.

What a PDF cannot give back: it stores glyphs at positions, not text with white space. Spaces are
inferred from gaps (leading/trailing spaces and runs of spaces are lost; a full-width space may
come back as a gap), and a line break inside a cell may be the writer's ``"\\n"`` or a wrapped
line: the reader cannot tell. Text outside tables is regrouped into paragraphs from the layout
(a new paragraph where a line is indented, follows a short line, or after a larger gap); page
numbers in the top or bottom margin are dropped; a table that continues at the top of the next
page with the same columns is joined to its first part. A PDF whose pages carry no text at all
(a scan) is refused: its text would need OCR, which guesses.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from xlfuncs.filing import FilingError
from xlfuncs.grid import Document, Paragraph, Table

from .limits import MAX_PAGES, CellBudget, label
from .spans import SpanGrid

_EDGE_TOLERANCE = 2.0  # points: edges closer than this are the same grid line
_PAGE_NUMBER = re.compile(r"^[\s\-—–－]*(第\s*)?\d+(\s*页)?(\s*[/／]\s*\d+|\s*共\s*\d+\s*页)?[\s\-—–－]*$")
_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3,
             "join_tolerance": 3, "intersection_tolerance": 3}


@dataclass
class _Rect:
    x0: float
    top: float
    x1: float
    bottom: float
    text: str


@dataclass
class _PageTable:
    """A table as found on one page (or joined over several): its cells as rectangles."""

    page: int
    top: float
    bottom: float
    rects: list[_Rect]
    last_page: int = 0


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass
class _Page:
    number: int
    height: float
    items: list[tuple[float, object]] = field(default_factory=list)  # (top, _PageTable | list[_Line])


def read_pdf(path: Path, budget: CellBudget) -> Document:
    """Read a PDF's tables and text into a Document; scanned PDFs are refused."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(str(path))
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types for damaged/encrypted files
        name = type(exc).__name__
        if "Password" in name or "Encrypt" in name:
            raise FilingError(f"{label(path)}设置了打开密码（已加密），请取消密码后另存，再导入") from None
        raise FilingError(f"{label(path)}无法作为 PDF 打开（文件损坏或格式不受支持：{name}）") from None
    try:
        if len(pdf.pages) > MAX_PAGES:
            raise FilingError(f"{label(path)}有 {len(pdf.pages)} 页，超过导入上限 {MAX_PAGES} 页，未读取")
        pages, chars = [], 0
        for number, page in enumerate(pdf.pages, start=1):
            chars += len(page.chars)
            pages.append(_read_page(page, number))
            page.close()
    except FilingError:
        raise
    except Exception as exc:  # noqa: BLE001 - as above, while reading pages
        name = type(exc).__name__
        if "Password" in name or "Encrypt" in name:
            raise FilingError(f"{label(path)}设置了打开密码（已加密），请取消密码后另存，再导入") from None
        raise FilingError(f"{label(path)}读取时出错（文件损坏或格式不受支持：{name}）") from None
    finally:
        pdf.close()
    if chars == 0:
        raise FilingError(f"{label(path)}没有文字层（是扫描件或图片），无法读取表格：请使用可以复制文字的 PDF，"
                          "或改用原始的 Word/Excel 文件")
    return _assemble(path, budget, pages)


def _read_page(page, number: int) -> _Page:
    from pdfplumber.utils import extract_text

    out = _Page(number, float(page.height))
    tables = page.find_tables(table_settings=_SETTINGS)
    boxes = []
    for table in tables:
        rects = _rects(table, page.chars)
        if not rects:
            continue
        x0, top, x1, bottom = table.bbox
        boxes.append((x0, top, x1, bottom))
        out.items.append((float(top), _PageTable(number, float(top), float(bottom), rects, number)))
    loose = [c for c in page.chars if not any(_inside(c, box) for box in boxes)]
    lines = []
    for line in _lines(loose, extract_text):
        if _PAGE_NUMBER.match(line.text) and (line.top > out.height * 0.9 or line.bottom < out.height * 0.1):
            continue
        lines.append(line)
    for group in _between_tables(lines, [t for _, t in out.items]):
        out.items.append((group[0].top, group))
    out.items.sort(key=lambda item: item[0])
    return out


def _inside(char, box) -> bool:
    x0, top, x1, bottom = box
    cx, cy = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return x0 <= cx <= x1 and top <= cy <= bottom


def _edges(values: list[float]) -> list[float]:
    edges: list[float] = []
    for value in sorted(values):
        if not edges or value - edges[-1] > _EDGE_TOLERANCE:
            edges.append(value)
    return edges


def _index(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def _rects(table, chars) -> list[_Rect]:
    """The table's cells with the text of the characters whose centre lies in each."""
    from pdfplumber.utils import extract_text

    x0, top, x1, bottom = table.bbox
    inside = [c for c in chars if _inside(c, (x0, top, x1, bottom))]
    out = []
    for cell in table.cells:
        own = [c for c in inside if _inside(c, cell)]
        text = extract_text(own, x_tolerance=1.5, y_tolerance=3) if own else ""
        out.append(_Rect(float(cell[0]), float(cell[1]), float(cell[2]), float(cell[3]), text))
    return out


def _grid(path: Path, budget: CellBudget, rects: list[_Rect], where: str) -> list[list[str | None]]:
    """Grid rows from cell rectangles: spans from where each rectangle's edges fall among all edges."""
    xs = _edges([r.x0 for r in rects] + [r.x1 for r in rects])
    ys = _edges([r.top for r in rects] + [r.bottom for r in rects])
    grid = SpanGrid(path, budget, where)
    for rect in sorted(rects, key=lambda r: (r.top, r.x0)):
        row, col = _index(ys, rect.top), _index(xs, rect.x0)
        rowspan = max(_index(ys, rect.bottom) - row, 1)
        colspan = max(_index(xs, rect.x1) - col, 1)
        if grid.is_free(row, col):
            grid.place(row, col, rect.text, rowspan, colspan)
    return grid.rows()


def _join(first: _PageTable, second: _PageTable) -> None:
    """Append a table's continuation on the next page, its rows just below the first part's.

    A merged cell cut by the page break shows on the new page as an empty cell under the
    same columns; when the cell above it spans several rows, the two are one merged cell.
    """
    shift = first.bottom - second.top
    ys = _edges([r.top for r in first.rects] + [r.bottom for r in first.rects])
    ends = {(round(r.x0), round(r.x1)): r for r in first.rects if abs(r.bottom - first.bottom) <= _EDGE_TOLERANCE}
    for rect in second.rects:
        rect.top += shift
        rect.bottom += shift
        above = ends.get((round(rect.x0), round(rect.x1)))
        if (above is not None and not rect.text.strip() and abs(rect.top - first.bottom) <= _EDGE_TOLERANCE
                and sum(above.top + _EDGE_TOLERANCE < y < above.bottom - _EDGE_TOLERANCE for y in ys) > 0):
            above.bottom = rect.bottom
            continue
        first.rects.append(rect)
    first.bottom = second.bottom + shift
    first.last_page = second.page


def _lines(chars, extract_text) -> list[_Line]:
    """Text lines of loose characters, top to bottom."""
    from pdfplumber.utils import cluster_objects

    out = []
    for row in cluster_objects(chars, lambda c: round((c["top"] + c["bottom"]) / 2, 1), 3):
        row = sorted(row, key=lambda c: c["x0"])
        text = extract_text(row, x_tolerance=1.5, y_tolerance=3).replace("\n", "")
        if text.strip():
            out.append(_Line(text, min(c["x0"] for c in row), max(c["x1"] for c in row),
                             min(c["top"] for c in row), max(c["bottom"] for c in row),
                             statistics.median(c["size"] for c in row)))
    out.sort(key=lambda line: line.top)
    return out


def _between_tables(lines: list[_Line], tables: list[_PageTable]) -> list[list[_Line]]:
    """Lines split into runs that no table interrupts."""
    groups: list[list[_Line]] = []
    cuts = sorted(t.top for t in tables)
    current: list[_Line] = []
    for line in lines:
        if current and any(current[-1].top < cut <= line.top for cut in cuts):
            groups.append(current)
            current = []
        current.append(line)
    if current:
        groups.append(current)
    return groups


def _paragraphs(lines: list[_Line], left: float, right: float) -> list[str]:
    """Lines regrouped into paragraphs (see the module docstring)."""
    out: list[str] = []
    pitch = statistics.median([b.top - a.top for a, b in zip(lines, lines[1:], strict=False)] or [0]) or 0
    current = ""
    previous: _Line | None = None
    for line in lines:
        size = line.size or 10
        starts = previous is None or (
            line.x0 - left > size * 0.9
            or right - previous.x1 > size * 2
            or (pitch and line.top - previous.top > pitch * 1.5)
        )
        if starts and current:
            out.append(current)
            current = ""
        current += line.text if not current else line.text.lstrip()
        previous = line
    if current:
        out.append(current)
    return out


def _assemble(path: Path, budget: CellBudget, pages: list[_Page]) -> Document:
    document = Document(source=path.name)
    all_lines = [line for page in pages for _, item in page.items if isinstance(item, list) for line in item]
    left = min((line.x0 for line in all_lines), default=0.0)
    right = max((line.x1 for line in all_lines), default=0.0)
    blocks: list[tuple[object, str]] = []  # (_PageTable | paragraph text, caption)
    previous: _PageTable | None = None
    last_text = ""
    for page in pages:
        for position, (_, item) in enumerate(page.items):
            if isinstance(item, _PageTable):
                if previous is not None and position == 0 and _continues(previous, item):
                    _join(previous, item)
                    continue
                blocks.append((item, last_text))
                previous, last_text = item, ""
                continue
            for text in _paragraphs(item, left, right):
                blocks.append((text, ""))
                last_text = text
            previous = None
    tables = paragraphs = 0
    for block, caption in blocks:
        if isinstance(block, _PageTable):
            tables += 1
            pages_text = f"第{block.page}页" if block.last_page == block.page else f"第{block.page}-{block.last_page}页"
            rows = _grid(path, budget, block.rects, f"{pages_text}的表格")
            document.blocks.append(Table(rows=rows, source=path.name, index=tables, sheet=pages_text, caption=caption))
        else:
            paragraphs += 1
            document.blocks.append(Paragraph(text=block, source=path.name, index=paragraphs))
    return document


def _continues(first: _PageTable, second: _PageTable) -> bool:
    """A table at the top of a page continues the one that ended the previous page when it has
    the same left and right edges (its inner column edges may differ: merged cells hide some)."""
    if second.page != first.last_page + 1:
        return False
    left = abs(min(r.x0 for r in first.rects) - min(r.x0 for r in second.rects))
    right = abs(max(r.x1 for r in first.rects) - max(r.x1 for r in second.rects))
    return left <= _EDGE_TOLERANCE * 2 and right <= _EDGE_TOLERANCE * 2
