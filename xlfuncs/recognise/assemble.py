"""Documents → one ``perfeval.filing/1`` filing: tables in order (a table continued on the next
grid joined to it), 附件1 and 附件3-N by content, the reports by their headings, trace and
import record written, and the import's findings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..filing import FORMAT, resolve_pointer
from ..findings import Finding
from ..grid import Document, Table
from .families import UNKNOWN
from .fold import fold
from .problems import import_findings
from .reading import Reading, Unplaced
from .reports import Report, caption_number, plain
from .rows import Origin
from .table import read_table
from .walk import ReportTable, report_table_unplaced, walk_documents

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
            report.pointer = "/department_report/text"
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
        report.pointer = f"/projects/{index}/report/text"
        trace[report.pointer] = origin


def recognise_documents(documents: Sequence[Document]) -> ImportResult:
    """Recognise one filing in documents (tables and paragraphs in order).

    附件1 is the 部门整体支出绩效自评表, 附件3-N the 项目支出绩效自评表 in order (or by their 附件3-N
    captions); a document with project tables only gives a project-only filing. Raise
    :class:`RecogniseError` when no table is a recognisable form.
    """
    walk = walk_documents(documents)
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
    filing = _build(department, projects, results, readings, unplaced, walk.reports, walk.report_tables)
    return ImportResult(filing, import_findings(filing), results)


def _report_tables(entries: list[ReportTable], results: list[TableResult], unplaced: list[Unplaced]) -> None:
    """Each table inside a report as an ``import.tables`` entry (kind “figures” when perfeval drew it
    from the forms, else “report”, whose content is not imported: one I1 entry says so)."""
    for entry in entries:
        table = entry.table
        own = bool(table.meta.get("figures"))
        results.append(TableResult(table.source, table.index, table.sheet, "report", "figures" if own else "report",
                                   entry.report.pointer, entry.caption, table.complete))
        missing = report_table_unplaced(entry)
        if missing is not None:
            unplaced.append(missing)


def _build(department: Reading | None, projects: list[Reading], results: list[TableResult],
           readings: list[Reading], unplaced: list[Unplaced], reports: list[Report],
           report_tables: list[ReportTable]) -> dict[str, Any]:
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
    _report_tables(report_tables, results, unplaced)
    filing["trace"] = {k: v for k, v in trace.items() if v}
    one_signoff(filing)
    filing["import"] = {"unplaced": [u.to_dict() for u in unplaced], "tables": [t.to_dict() for t in results]}
    return filing


def one_signoff(filing: dict[str, Any], *, blank: bool = False) -> bool:
    """When every form carries the same signature line (填报人、联系电话、填报日期、单位负责人), make it the
    filing's one ``signoff`` (as the master workbook holds it: once, printed on every form). Lines left
    blank on every form stay with their forms unless ``blank`` (each form's blank line is a hint, E7).
    Return True when the line was moved."""
    trace = filing.get("trace") or {}
    tables = [t for t in [filing.get("department"), *(filing.get("projects") or [])]
              if isinstance(t, dict) and t.get("filed") is not False]
    lines = [t.get("signoff") for t in tables]
    if not lines or filing.get("signoff") or any(not isinstance(line, dict) or line != lines[0] for line in lines):
        return False
    if not blank and (len(lines) < 2 or not any(str(v).strip() for v in lines[0].values())):
        return False
    filing["signoff"] = lines[0]
    first = "/department" if tables[0] is filing.get("department") else "/projects/0"
    for key in lines[0]:
        if f"{first}/signoff/{key}" in trace:
            trace[f"/signoff/{key}"] = trace[f"{first}/signoff/{key}"]
    for table in tables:
        table.pop("signoff")
    for pointer in [p for p in trace if "/signoff/" in p and not p.startswith("/signoff/")]:
        trace.pop(pointer)
    return True


def recognise_tables(tables: Sequence[Table]) -> ImportResult:
    """Recognise a filing from tables alone (each table its own source order)."""
    documents: list[Document] = []
    for table in tables:
        if documents and documents[-1].source == table.source:
            documents[-1].blocks.append(table)
        else:
            documents.append(Document(table.source, [table]))
    return recognise_documents(documents)
