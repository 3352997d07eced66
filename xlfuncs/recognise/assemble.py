"""Documents → one ``perfeval.filing/1`` filing: tables in order (a table continued on the next
grid joined to it), 附件1 and 附件3-N by content, the reports by their headings, trace and
import record written, and the import's findings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..filing import FORMAT, resolve_pointer
from ..findings import Finding
from ..grid import Document, Paragraph, Table
from .families import UNKNOWN
from .fold import fold
from .problems import import_findings
from .reading import Reading, Unplaced
from .reports import Report, caption_number, is_form_line, plain, report_kind
from .rows import Grid, Origin, Row, append, grid_of, looks_titled
from .table import read_table

DEFAULT_MONEY_UNIT = "万元"


class RecogniseError(ValueError):
    """Nothing in the documents could be read as a filing; the message is one Chinese line."""


@dataclass
class TableResult:
    """How one table of the sources was understood."""

    file: str
    table: int
    sheet: str | None
    family: str
    kind: str  # "department", "project", "unknown" or "extra" (a second 附件1)
    pointer: str | None
    title: str
    complete: bool
    joined: list[int] = field(default_factory=list)  # numbers of tables continued into this one

    def to_dict(self) -> dict[str, Any]:
        """The ``import.tables`` entry."""
        entry: dict[str, Any] = {"file": self.file, "table": self.table, "family": self.family,
                                 "pointer": self.pointer, "kind": self.kind, "title": self.title,
                                 "complete": self.complete}
        if self.sheet:
            entry["sheet"] = self.sheet
        if self.joined:
            entry["joined"] = self.joined
        return entry


@dataclass
class ImportResult:
    """A filing recognised from documents, with how each table was read and the import's findings."""

    filing: dict[str, Any]
    findings: list[Finding]
    tables: list[TableResult]

    @property
    def unplaced(self) -> list[dict[str, Any]]:
        """Cells and paragraphs that could not be placed."""
        return self.filing["import"]["unplaced"]

    def explain(self) -> list[tuple[str, Any, dict[str, Any]]]:
        """(pointer, value, origin) for every value read, in filing order."""
        return [(pointer, resolve_pointer(self.filing, pointer), origin)
                for pointer, origin in self.filing["trace"].items()]


# ------------------------------------------------------------------ walking the documents


@dataclass
class _Walk:
    grids: list[Grid] = field(default_factory=list)
    joined: dict[int, list[int]] = field(default_factory=dict)
    reports: list[Report] = field(default_factory=list)
    stray: list[Unplaced] = field(default_factory=list)


def _paragraph_row(p: Paragraph) -> Row:
    return Row([p.text], Origin(p.source, 0, p.index - 1))


def _stray(walk: _Walk, p: Paragraph, why: str) -> None:
    if p.text.strip():
        walk.stray.append(Unplaced(Origin(p.source, 0, p.index - 1), 0, p.text, why))


def _is_continuation(walk: _Walk, table: Table, lines: list[Paragraph]) -> bool:
    if not walk.grids or lines or looks_titled(table):
        return False
    alone = read_table(grid_of(table))
    data = alone.data
    own = ("funds", "goal", "name", "competent_department", "implementing_unit")
    return not alone.title and not any(data.get(key) for key in own)


def _walk(documents: Sequence[Document]) -> _Walk:
    walk = _Walk()
    for document in documents:
        pending: list[Paragraph] = []
        report: Report | None = None
        caption: tuple[int, int | None] | None = None
        for block in document.blocks:
            if isinstance(block, Paragraph):
                number = caption_number(block.text)
                kind = report_kind(block.text)
                if number and number[0] in (2, 4):
                    caption = number
                    continue
                if kind:
                    wanted = 2 if kind == "department" else 4
                    n = caption[1] if caption and caption[0] == wanted else None
                    report = Report(kind, n, block.text, [block])
                    walk.reports.append(report)
                    caption = None
                    continue
                if report is not None:
                    report.paragraphs.append(block)
                else:
                    pending.append(block)
                continue
            report = None
            lines: list[Paragraph] = []
            while pending and (is_form_line(pending[-1].text) or not pending[-1].text.strip()):
                lines.insert(0, pending.pop())
            for p in pending:
                _stray(walk, p, "不在任何表格或报告之内")
            pending = []
            lines = [p for p in lines if p.text.strip()]
            if _is_continuation(walk, block, lines):
                append(walk.grids[-1], block)
                walk.joined.setdefault(len(walk.grids) - 1, []).append(block.index)
                continue
            grid = grid_of(block)
            grid.rows = [_paragraph_row(p) for p in lines] + grid.rows
            walk.grids.append(grid)
        for p in pending:
            _stray(walk, p, "不在任何表格或报告之内")
    return walk


# ------------------------------------------------------------------ building the filing


def _prefixed(reading: Reading, base: str, trace: dict[str, Any]) -> None:
    for pointer, origin in reading.trace.items():
        trace[base + pointer] = origin


def _table_dict(reading: Reading, top_unit: str) -> dict[str, Any]:
    data = dict(reading.data)
    data.setdefault("name", "")
    data.setdefault("funds", {})
    data.setdefault("indicators", [])
    if reading.money_unit and reading.money_unit != top_unit:
        data["money_unit"] = reading.money_unit
    return data


def _order_projects(readings: list[Reading]) -> list[Reading]:
    numbers = []
    for r in readings:
        found = caption_number((r.data.get("form") or {}).get("caption") or r.grid.caption or "")
        numbers.append(found[1] if found and found[0] == 3 else None)
    if all(n is not None for n in numbers) and len(set(numbers)) == len(numbers):
        return [r for _, r in sorted(zip(numbers, readings, strict=True), key=lambda pair: pair[0])]
    return readings


def _assign_reports(filing: dict[str, Any], reports: list[Report], trace: dict[str, Any],
                    stray: list[Unplaced]) -> None:
    projects = filing["projects"]
    taken: set[int] = set()
    for report in reports:
        origin = Origin(report.paragraphs[0].source, 0, report.paragraphs[0].index - 1).cell(0)
        if report.kind == "department":
            filing["department_report"] = {"text": report.text}
            trace["/department_report/text"] = origin
            continue
        index = None
        if report.number is not None and 1 <= report.number <= len(projects):
            index = report.number - 1
        if index is None:
            title = fold(plain(report.title))
            index = next((i for i, p in enumerate(projects) if i not in taken and fold(p.get("name"))
                          and fold(p.get("name")) in title), None)
        if index is None:
            index = next((i for i in range(len(projects)) if i not in taken), None)
        if index is None:
            for p in report.paragraphs:
                if p.text.strip():
                    stray.append(Unplaced(Origin(p.source, 0, p.index - 1), 0, p.text, "没有对应的项目支出绩效自评表"))
            continue
        taken.add(index)
        projects[index]["report"] = {"text": report.text}
        trace[f"/projects/{index}/report/text"] = origin


def recognise_documents(documents: Sequence[Document]) -> ImportResult:
    """Recognise one filing in documents (tables and paragraphs in order).

    附件1 is the 部门整体支出绩效自评表, 附件3-N the 项目支出绩效自评表 in order (or by their 附件3-N
    captions); a document with project tables only gives a project-only filing. Raise
    :class:`RecogniseError` when no table is a recognisable form.
    """
    walk = _walk(documents)
    readings = [read_table(grid) for grid in walk.grids]
    results: list[TableResult] = []
    department: Reading | None = None
    projects: list[Reading] = []
    unplaced = list(walk.stray)
    for i, reading in enumerate(readings):
        family = reading.data["form"]["family"]
        kind = reading.kind or "project"
        if family == UNKNOWN:
            kind = "unknown"
        elif kind == "department" and department is not None:
            kind = "extra"
            for r, row in enumerate(reading.rows):
                unplaced += [Unplaced(row.origin, c, t, "多于一张部门整体支出绩效自评表") for c, t in row.filled()
                             if (r, c) in reading.used]
        elif kind == "department":
            department = reading
        else:
            projects.append(reading)
        unplaced += reading.unplaced
        grid = walk.grids[i]
        results.append(TableResult(grid.source, grid.index, grid.sheet, family, kind, None, reading.title,
                                   grid.complete, walk.joined.get(i, [])))
    if department is None and not projects:
        raise RecogniseError("没有找到可识别的绩效自评表（部门整体支出绩效自评表或项目支出绩效自评表）")
    projects = _order_projects(projects)
    filing = _build(department, projects, results, readings, unplaced, walk.reports)
    return ImportResult(filing, import_findings(filing), results)


def _build(department: Reading | None, projects: list[Reading], results: list[TableResult],
           readings: list[Reading], unplaced: list[Unplaced], reports: list[Report]) -> dict[str, Any]:
    ordered = ([department] if department else []) + projects
    units = [r.money_unit for r in ordered if r.money_unit]
    top_unit = max(set(units), key=units.count) if units else DEFAULT_MONEY_UNIT
    trace: dict[str, Any] = {}
    year_reading = next((r for r in ordered if r.year), None)
    unit_reading = next((r for r in ordered if r.unit_name and r.unit_explicit), None) or \
        next((r for r in ordered if r.unit_name), None)
    filing: dict[str, Any] = {"format": FORMAT, "year": year_reading.year if year_reading else None, "unit": ""}
    if year_reading and year_reading.year_origin:
        trace["/year"] = year_reading.year_origin
    if department is not None and department.data.get("name") and not (unit_reading and unit_reading.unit_explicit):
        filing["unit"] = department.data["name"]
        trace["/unit"] = department.trace.get("/name")
    elif unit_reading is not None:
        filing["unit"] = unit_reading.unit_name or ""
        if unit_reading.unit_origin:
            trace["/unit"] = unit_reading.unit_origin
    else:  # a project filed without its unit: the 主管部门 files it
        for reading in ordered:
            if reading.data.get("competent_department"):
                filing["unit"] = reading.data["competent_department"]
                trace["/unit"] = reading.trace.get("/competent_department")
                break
    filing["money_unit"] = top_unit
    profile = next((r.profile for r in ordered if r.profile), None)
    if profile:
        filing["profile"] = profile
    if department is not None:
        filing["department"] = _table_dict(department, top_unit)
        _prefixed(department, "/department", trace)
    else:
        filing["department"] = {"name": "", "funds": {}, "indicators": [], "filed": False}
    filing["projects"] = []
    for i, reading in enumerate(projects):
        filing["projects"].append(_table_dict(reading, top_unit))
        _prefixed(reading, f"/projects/{i}", trace)
    for result, reading in zip(results, readings, strict=True):
        if reading is department:
            result.pointer = "/department"
        elif reading in projects:
            result.pointer = f"/projects/{projects.index(reading)}"
    _assign_reports(filing, reports, trace, unplaced)
    filing["trace"] = {k: v for k, v in trace.items() if v}
    filing["import"] = {"unplaced": [u.to_dict() for u in unplaced], "tables": [t.to_dict() for t in results]}
    return filing


def recognise_tables(tables: Sequence[Table]) -> ImportResult:
    """Recognise a filing from tables alone (each table its own source order)."""
    documents: list[Document] = []
    for table in tables:
        if documents and documents[-1].source == table.source:
            documents[-1].blocks.append(table)
        else:
            documents.append(Document(table.source, [table]))
    return recognise_documents(documents)
