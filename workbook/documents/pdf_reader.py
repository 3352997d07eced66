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
class _PageTable:
    page: int
    top: float
    bottom: float
    columns: list[float]
    rows: list[list[str | None]]


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
            pages.append(_read_page(path, budget, page, number))
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
    return _assemble(path, pages)


def _read_page(path: Path, budget: CellBudget, page, number: int) -> _Page:
    from pdfplumber.utils import extract_text

    out = _Page(number, float(page.height))
    tables = page.find_tables(table_settings=_SETTINGS)
    boxes = []
    for table in tables:
        grid, columns = _grid(path, budget, table, page.chars, number)
        if not grid:
            continue
        x0, top, x1, bottom = table.bbox
        boxes.append((x0, top, x1, bottom))
        out.items.append((float(top), _PageTable(number, float(top), float(bottom), columns, grid)))
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


def _grid(path: Path, budget: CellBudget, table, chars, page: int) -> tuple[list[list[str | None]], list[float]]:
    from pdfplumber.utils import extract_text

    cells = list(table.cells)
    if not cells:
        return [], []
    xs = _edges([c[0] for c in cells] + [c[2] for c in cells])
    ys = _edges([c[1] for c in cells] + [c[3] for c in cells])
    grid = SpanGrid(path, budget, f"第{page}页的表格")
    inside = [c for c in chars if table.bbox[0] <= (c["x0"] + c["x1"]) / 2 <= table.bbox[2]
              and table.bbox[1] <= (c["top"] + c["bottom"]) / 2 <= table.bbox[3]]
    for x0, top, x1, bottom in sorted(cells, key=lambda c: (c[1], c[0])):
        row, col = _index(ys, top), _index(xs, x0)
        rowspan = max(_index(ys, bottom) - row, 1)
        colspan = max(_index(xs, x1) - col, 1)
        own = [c for c in inside if _inside(c, (x0, top, x1, bottom))]
        text = extract_text(own, x_tolerance=1.5, y_tolerance=3) if own else ""
        if grid.is_free(row, col):
            grid.place(row, col, text, rowspan, colspan)
    return grid.rows(), xs


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


def _assemble(path: Path, pages: list[_Page]) -> Document:
    document = Document(source=path.name)
    all_lines = [line for page in pages for _, item in page.items if isinstance(item, list) for line in item]
    left = min((line.x0 for line in all_lines), default=0.0)
    right = max((line.x1 for line in all_lines), default=0.0)
    previous: _PageTable | None = None
    tables = paragraphs = 0
    last_text = ""
    for page in pages:
        for position, (_, item) in enumerate(page.items):
            if isinstance(item, _PageTable):
                if previous is not None and position == 0 and _continues(previous, item):
                    previous.rows.extend(item.rows)
                    continue
                tables += 1
                document.blocks.append(Table(rows=item.rows, source=path.name, index=tables,
                                             sheet=f"第{item.page}页", caption=last_text))
                previous = item
                item.rows = document.blocks[-1].rows
                last_text = ""
                continue
            for text in _paragraphs(item, left, right):
                paragraphs += 1
                document.blocks.append(Paragraph(text=text, source=path.name, index=paragraphs))
                last_text = text
            previous = None
    return document


def _continues(first: _PageTable, second: _PageTable) -> bool:
    """A table at the top of a page continues the one that ended the previous page: same columns."""
    if second.page != first.page + 1 or len(first.columns) != len(second.columns):
        return False
    return all(abs(a - b) <= _EDGE_TOLERANCE * 2 for a, b in zip(first.columns, second.columns, strict=True))
