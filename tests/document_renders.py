"""Test helpers: render grids (corpus convention) and paragraphs into real .docx, .xlsx, .html
files, with real merged cells, so the import readers can be checked against the grid they came from.

A grid marks merged cells only by ``None`` at covered positions; :func:`merge_plan` works out the
rectangles. A few published grids cover an L-shaped region (a block label running down one column
and across the header row beside it); no table format can merge an L, so the plan splits it:
the label keeps the vertical run and the header part becomes an empty merged cell (``""``), as the
same forms show elsewhere in the corpus. :func:`merge_plan` says which cells it had to change.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

Grid = list[list[str | None]]


@dataclass
class MergePlan:
    """Rectangles (row, col, height, width) whose top-left holds text, and the grid they give."""

    grid: Grid
    rects: list[tuple[int, int, int, int]]
    changed: list[tuple[int, int]] = field(default_factory=list)  # cells set to "" to make rectangles


def _covered(grid: Grid, r: int, c: int) -> bool:
    return c < len(grid[r]) and grid[r][c] is None


def _free(grid: Grid, owned: dict, r: int, c: int) -> bool:
    return r < len(grid) and _covered(grid, r, c) and (r, c) not in owned


def _grow_right(grid: Grid, owned: dict, r: int, c: int, height: int) -> int:
    w = 1
    while all(_free(grid, owned, r + i, c + w) for i in range(height)):
        w += 1
    return w


def _grow_down(grid: Grid, owned: dict, r: int, c: int, width: int) -> int:
    h = 1
    while all(_free(grid, owned, r + h, c + k) for k in range(width)):
        h += 1
    return h


def _decompose(grid: Grid, vertical_first: set[tuple[int, int]]):
    owned: dict[tuple[int, int], tuple[int, int]] = {}
    rects = []
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if value is None:
                continue
            if (r, c) in vertical_first:
                h = _grow_down(grid, owned, r, c, 1)
                w = _grow_right(grid, owned, r, c, h)
            else:
                w = _grow_right(grid, owned, r, c, 1)
                h = _grow_down(grid, owned, r, c, w)
            for i in range(h):
                for k in range(w):
                    owned[(r + i, c + k)] = (r, c)
            rects.append((r, c, h, w))
    orphans = [(r, c) for r, row in enumerate(grid) for c, v in enumerate(row) if v is None and (r, c) not in owned]
    return rects, owned, orphans


def merge_plan(grid: Grid) -> MergePlan:
    """The merged rectangles that reproduce ``grid`` (see the module docstring for L shapes)."""
    grid = [list(row) for row in grid]
    vertical: set[tuple[int, int]] = set()
    rects, owned, orphans = _decompose(grid, vertical)
    for r, c in orphans:  # an orphan under a horizontally merged label: give the label the column
        above = owned.get((r - 1, c))
        if above is not None:
            vertical.add(above)
    changed: list[tuple[int, int]] = []
    while True:
        rects, owned, orphans = _decompose(grid, vertical)
        if not orphans:
            return MergePlan(grid, rects, changed)
        r, c = orphans[0]
        grid[r][c] = ""
        changed.append((r, c))


# ------------------------------------------------------------------ Word


@dataclass
class Para:
    """A paragraph to write (style: a python-docx built-in style name)."""

    text: str
    style: str | None = None


def write_docx(path: Path, blocks: Sequence[Para | Grid], *, page_cm: tuple[float, float] | None = None) -> Path:
    """A .docx with the paragraphs and tables in order; tables get real gridSpan/vMerge merges.

    ``page_cm`` (width, height) sets a page size, e.g. one tall enough for a whole table on one
    page when the file is to be converted to PDF.
    """
    import docx
    from docx.shared import Cm

    document = docx.Document()
    if page_cm:
        section = document.sections[0]
        section.page_width, section.page_height = Cm(page_cm[0]), Cm(page_cm[1])
    for block in blocks:
        if isinstance(block, Para):
            document.add_paragraph(block.text, style=block.style)
            continue
        _add_table(document, merge_plan(block))
        document.add_paragraph("")
    document.save(path)
    return path


def _add_table(document, plan: MergePlan) -> None:
    """Append a bordered table written cell by cell: anchors with w:gridSpan, vertical runs with
    w:vMerge restart/continue, short rows ending early (python-docx's own merge() is quadratic)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    width = max(len(row) for row in plan.grid)
    table = document.add_table(rows=len(plan.grid), cols=width)
    table.style = "Table Grid"
    anchors = {(r, c): (h, w) for r, c, h, w in plan.rects}
    below = {(r + i, c): w for r, c, h, w in plan.rects for i in range(1, h)}

    grid_widths = [int(col.get(qn("w:w"), "0")) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]

    def cell(text: str, col: int, span: int, merge: str | None):
        tc = OxmlElement("w:tc")
        props = OxmlElement("w:tcPr")
        tc.append(props)
        cell_width = OxmlElement("w:tcW")
        cell_width.set(qn("w:w"), str(sum(grid_widths[col:col + span])))
        cell_width.set(qn("w:type"), "dxa")
        props.append(cell_width)
        if span > 1:
            grid_span = OxmlElement("w:gridSpan")
            grid_span.set(qn("w:val"), str(span))
            props.append(grid_span)
        if merge:
            v_merge = OxmlElement("w:vMerge")
            if merge == "restart":
                v_merge.set(qn("w:val"), "restart")
            props.append(v_merge)
        paragraph = OxmlElement("w:p")
        tc.append(paragraph)
        if text:
            Paragraph(paragraph, None).add_run(text)
        return tc

    for r, row in enumerate(plan.grid):
        tr = table.rows[r]._tr
        for tc in tr.findall(qn("w:tc")):
            tr.remove(tc)
        tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # rows stay whole on a page
        for c in range(len(row)):
            if (r, c) in anchors:
                h, w = anchors[(r, c)]
                tr.append(cell(row[c] or "", c, w, "restart" if h > 1 else None))
            elif (r, c) in below:
                tr.append(cell("", c, below[(r, c)], "continue"))


# ------------------------------------------------------------------ Excel


def write_xlsx(path: Path, sheets: Sequence[tuple[str, Grid]], *, one_page: bool = False) -> Path:
    """A workbook with one sheet per grid: merged ranges, thin borders on every cell of the table.

    ``one_page`` sets each sheet to print on a single page (for conversion to PDF)."""
    import openpyxl
    from openpyxl.styles import Alignment, Border, Side

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, grid in sheets:
        ws = book.create_sheet(name)
        if one_page:
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            ws.page_setup.fitToWidth = ws.page_setup.fitToHeight = 1
            for column in range(1, max(len(row) for row in grid) + 1):
                ws.column_dimensions[chr(64 + column)].width = 24
        plan = merge_plan(grid)
        for r, row in enumerate(plan.grid, start=1):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(r, c)
                cell.border = border
                cell.alignment = Alignment(wrap_text=True, vertical="center")
                if value:
                    cell.value = value
                    cell.data_type = "s"
        for r, c, h, w in plan.rects:
            if h > 1 or w > 1:
                ws.merge_cells(start_row=r + 1, start_column=c + 1, end_row=r + h, end_column=c + w)
    book.save(path)
    return path


# ------------------------------------------------------------------ HTML


def _html_text(text: str) -> str:
    """Text a browser shows exactly as given: spaces as &nbsp;, line breaks as <br>."""
    return html.escape(text).replace(" ", "&nbsp;").replace("\n", "<br>")


def html_table(grid: Grid) -> str:
    """A <table> with rowspan/colspan for a grid."""
    plan = merge_plan(grid)
    anchors = {(r, c): (h, w) for r, c, h, w in plan.rects}
    lines = ['<table border="1" cellspacing="0">']
    for r, row in enumerate(plan.grid):
        cells = []
        for c, value in enumerate(row):
            if value is None:
                continue
            h, w = anchors[(r, c)]
            spans = (f' rowspan="{h}"' if h > 1 else "") + (f' colspan="{w}"' if w > 1 else "")
            cells.append(f"<td{spans}>{_html_text(value)}</td>")
        lines.append("  <tr>" + "".join(cells) + "</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def write_html(path: Path, blocks: Sequence[Para | Grid], *, encoding: str = "utf-8", declared: str | None = None,
               title: str = "绩效自评") -> Path:
    """A saved page: paragraphs as <p> (or <h2> for headings), tables with spans, in the given encoding."""
    body = []
    for block in blocks:
        if isinstance(block, Para):
            tag = "h2" if block.style and block.style.startswith("Heading") else "p"
            body.append(f"<{tag}>{_html_text(block.text)}</{tag}>")
        else:
            body.append(html_table(block))
    page = (f'<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="text/html; '
            f'charset={declared or encoding}"><title>{html.escape(title)}</title>'
            "<style>td{border:1px solid #000}</style><script>var x='<td>not a cell</td>';</script></head>\n"
            "<body>\n" + "\n".join(body) + "\n</body></html>\n")
    path.write_bytes(page.encode(encoding))
    return path
