"""What 校验 shows in a workbook, decided once for every door that writes it: the status line,
the 校验结果 rows with a link to each cell, the cells to mark (by the most severe finding on
them) and the cells an earlier run marked that are fine now (back to their own fill).

The desktop and Lite buttons (:mod:`macros.buttons`) apply a :class:`ValidationView` to a live
workbook through xlwings; ``perfeval check`` (:mod:`workbook.checked`) writes it into a copy of
the file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from xlfuncs import jsonio
from xlfuncs.findings import SEVERITY_LABELS, SEVERITY_ORDER, Finding, summarize

from .layouts import sheets as sheet_layouts
from .layouts.cells import cells_of, col_index
from .layouts.locate import WorkbookShape
from .layouts.styles import fill_of

RESULTS = sheet_layouts.RESULTS
#: Fill of a marked cell, by the most severe finding on it.
MARK_FILLS = {"error": "#FFC7CE", "warning": "#FFEB9C", "info": "#DDEBF7"}
_LOCATION_RE = re.compile(r"^(?P<sheet>.+)!(?P<cell>[A-Z]{1,3}[0-9]+)$")


@dataclass(frozen=True)
class CellStyle:
    """A layout cell: its (merged) range, its style and, for a result, the imported-value style."""

    ref: str
    style: str
    claim_style: str = ""

    def base_fill(self, noted: bool) -> str | None:
        """The fill the builder gave it: an imported value over a result (it has a note) is the
        claim colour, anything else its style's own."""
        return fill_of(self.claim_style if self.claim_style and noted else self.style)


@dataclass
class ValidationView:
    """Everything 校验 writes: status line, result rows (and the cell each links to), marks."""

    status: str
    rows: list[list[Any]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # per row: "附件3-3!H8", or "" for none
    marks: dict[tuple[str, str], str] = field(default_factory=dict)  # (sheet, ref) → severity
    restore: dict[tuple[str, str], str | None] = field(default_factory=dict)  # (sheet, ref) → base fill
    ok: bool = True


def now() -> str:
    """The time a status line starts with."""
    return dt.datetime.now().strftime("%Y-%m-%d %H:%M")


def layout_cells(shape: WorkbookShape, sheets: set[str] | None = None) -> dict[tuple[str, str], CellStyle]:
    """(sheet, cell) → the layout cell covering it, for every form of a workbook of ``shape`` (only
    the forms on ``sheets`` when given)."""
    cells: dict[tuple[str, str], CellStyle] = {}
    for form in shape.forms():
        if sheets is not None and form.sheet not in sheets:
            continue
        entries: list[tuple[str, CellStyle]] = [(s.ref, CellStyle(s.ref, s.style)) for s in form.statics]
        entries += [(c.ref, CellStyle(c.ref, c.style)) for c in form.all_calcs()]
        entries += [(f.ref, CellStyle(f.ref, f.style, f.claim_style if f.is_result else ""))
                    for f in form.all_fields()]
        for ref, style in entries:
            for row in cells_of(ref):
                for cell in row:
                    cells[(form.sheet, cell)] = style
    return cells


def previous_marks(results_rows: list[list[Any]] | None) -> set[tuple[str, str]]:
    """The cells the last validation marked: the 单元格 column of the 校验结果 rows."""
    if not results_rows:
        return set()
    index = col_index(RESULTS.column("单元格"))
    found = set()
    for row in results_rows[RESULTS.first_row - 1:]:
        if row and index < len(row) and isinstance(row[index], str):
            match = _LOCATION_RE.match(row[index].strip())
            if match:
                found.add((match.group("sheet"), match.group("cell")))
    return found


def _shown(value: Any) -> Any:
    """A finding's expected/actual value as a cell shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, (int, str)):
        return value
    return jsonio.dumps(value, indent=None)


def location(finding: Finding) -> str:
    """``"附件3-3!H8"``, or "" for a finding without a cell."""
    return f"{finding.sheet}!{finding.cell}" if finding.sheet and finding.cell else ""


def status_line(findings: list[Finding], when: str) -> str:
    """The one line the status cells show after a validation."""
    counts = summarize(findings)
    return (f"{when} 校验：错误 {counts['errors']} 个，警告 {counts['warnings']} 个，提示 {counts['info']} 个"
            + ("。详见“校验结果”工作表，问题单元格已标色。" if findings else "。未发现问题。"))


def validation_view(findings: list[Finding], shape: WorkbookShape | None, results_rows: list[list[Any]] | None,
                    has_note: Callable[[str, str], bool], when: str | None = None) -> ValidationView:
    """What 校验 writes for ``findings`` on a workbook of ``shape`` whose 校验结果 sheet held
    ``results_rows`` (the earlier run's marks are cleared where the cells are fine now)."""
    when = when or now()
    previous = previous_marks(results_rows)
    # only the sheets a finding or an earlier mark names: a 200-project workbook has millions of cells
    named = {f.sheet for f in findings if f.sheet and f.cell} | {sheet for sheet, _ in previous}
    cells = layout_cells(shape or WorkbookShape(), named)
    view = ValidationView(status_line(findings, when), ok=summarize(findings)["errors"] == 0)
    for number, f in enumerate(findings, start=1):
        view.rows.append([number, SEVERITY_LABELS.get(f.severity, f.severity), f.rule, f.table or "基本信息",
                          location(f), f.message, _shown(f.expected), _shown(f.actual)])
        view.links.append(location(f))
        style = cells.get((f.sheet, f.cell)) if f.sheet and f.cell else None
        if style is None:
            continue
        key = (f.sheet, style.ref)
        current = view.marks.get(key)
        if current is None or SEVERITY_ORDER[f.severity] < SEVERITY_ORDER[current]:
            view.marks[key] = f.severity
    marked = {(sheet, ref.split(":")[0]) for sheet, ref in view.marks}
    for sheet, cell in sorted(previous):
        style = cells.get((sheet, cell))
        if style is None or (sheet, style.ref.split(":")[0]) in marked:
            continue
        view.restore[(sheet, style.ref)] = style.base_fill(has_note(sheet, style.ref.split(":")[0]))
    return view


def failure_view(message: str, when: str | None = None) -> ValidationView:
    """What 校验 writes when the workbook could not be read: only the status line."""
    return ValidationView(f"{when or now()} 校验未完成：{message}", ok=False)
