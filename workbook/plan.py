"""Plan the master workbook (or the values-only filing tables) from a filing: every cell's
content, before anything is written.

The layouts say where everything goes (:mod:`workbook.layouts`); this module fills a
:class:`~workbook.cellmodel.CellModel` from them and decides, for every result cell, whether it
stays a formula (the filed value is what the rules give) or holds the filed value as a constant
with a note (an imported claim that differs).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from xlfuncs.cellfuncs import CellError
from xlfuncs.filing import FORMAT, FilingError, check_shape, resolve_pointer
from xlfuncs.official import to_cell
from xlfuncs.profiles import DEFAULT_PROFILE, load_profile
from xlfuncs.values import clean_text, format_number

from .cellmodel import CellModel, display, is_blank, same_result, text_too_long
from .layouts import sheets as sheet_specs
from .layouts.cells import split_cell
from .layouts.expr import formula_text
from .layouts.forms import Field, FormLayout, capacity_for, check_limits, department_form, project_form
from .layouts.sheets import PlainSheet, summary_rows
from .layouts.xlvalues import is_filled

CLAIM_NOTE_HEAD = "导入的原填报值："
_ABSENT = object()  # a result with no filed value at all (blank workbook, unused indicator row)


@dataclass
class WorkbookPlan:
    """What will be written: the cell model, the layouts and the result cells that hold claims."""

    model: CellModel
    profile: str
    forms: list[FormLayout]
    values_only: bool
    claims: dict[tuple[str, str], str] = field(default_factory=dict)  # (sheet, cell) → note text
    sheets: list[PlainSheet] = field(default_factory=list)
    title: str = ""
    unit: str = ""
    reports: dict[str, Any] = field(default_factory=dict)  # the filing the 自评报告 sheet is written from
    has_filing: bool = False  # built from a filing (drafts from its figures) rather than blank


def _report_source(filing: dict[str, Any] | None, count: int) -> dict[str, Any]:
    """The filing the 自评报告 sheet is pre-filled from: the filing itself, or for a blank
    workbook an empty one with ``count`` projects (its reports become drafts)."""
    if filing is not None and len(filing.get("projects") or []) == count:
        return filing
    blank = copy.deepcopy(filing) if filing is not None else {
        "format": FORMAT, "year": None, "unit": "",
        "department": {"name": "", "funds": {}, "indicators": []}, "projects": []}
    projects = list(blank.get("projects") or [])
    projects += [{"name": "", "funds": {}, "indicators": []} for _ in range(count - len(projects))]
    blank["projects"] = projects
    return blank


def _indicators(filing: dict[str, Any] | None, pointer: str) -> list[Any]:
    if filing is None:
        return []
    table = resolve_pointer(filing, pointer)
    rows = table.get("indicators") if isinstance(table, dict) else None
    return rows if isinstance(rows, list) else []


def _value(filing: dict[str, Any] | None, pointer: str) -> Any:
    return None if filing is None else resolve_pointer(filing, pointer)


def claim_note(f: Field, filed: Any, computed: Any, sheet: str) -> str:
    """The note on a result cell that keeps an imported value the rules do not give."""
    formula = formula_text(f.formula, sheet) if f.formula else ""
    return (f"{CLAIM_NOTE_HEAD}{display(f.kind, filed)}\n"
            f"按规则计算：{display(f.kind, computed)}\n"
            "此格原为公式，为保留原填报内容改为常数；校验会报告两者的差异。"
            f"核实后如需恢复自动计算，请在本格输入：\n{formula}")


def _check_text(f: Field, raw: Any, sheet: str) -> None:
    if text_too_long(raw):
        raise FilingError(f"{sheet} {f.cell}（{f.pointer}）的内容超过 Excel 单元格上限 32767 字，无法写入工作簿")


def _place_result(plan: WorkbookPlan, form: FormLayout, f: Field, filed: Any) -> None:
    """A result cell: formula when the filed value is what it gives, else the filed value + a note.

    A result the filing leaves blank stays blank (the unit filed none, and validating the workbook
    must say so as validating the filing does); its note gives the formula to restore. Only a
    blank workbook, an unused indicator row and the grade (a helper, never a filed value) get
    the formula for nothing filed."""
    model, sheet = plan.model, form.sheet
    model.set_formula(sheet, f.cell, f.formula)
    if filed is _ABSENT or (is_blank(filed) and not f.filed_when_formula):
        return
    computed = model.value(sheet, f.cell)
    # an error the formula gives is never the unit's value, even typed as the same text ("#VALUE!")
    if not is_blank(filed) and f.filed_when_formula and not isinstance(computed, CellError) \
            and same_result(f.kind, filed, computed):
        return
    _check_text(f, filed, sheet)
    model.set(sheet, f.cell, to_cell(f.kind, filed))
    plan.claims[(sheet, f.cell)] = claim_note(f, filed, computed, sheet)


def _result_rank(item: tuple[Field, Any]) -> int:
    """Results in dependency order: rate and budget score, indicator scores, total, grade."""
    pointer = item[0].pointer
    if "/funds/" in pointer:
        return 0 if pointer.endswith("/rate") else 1
    if "/indicators/" in pointer:
        return 2
    return 3 if pointer.endswith("/score") else 4


def _fill_form(plan: WorkbookPlan, form: FormLayout, filing: dict[str, Any] | None) -> None:
    model, sheet = plan.model, form.sheet
    results: list[tuple[Field, Any]] = []
    filed_rows = len(_indicators(filing, form.pointer))
    missing = filing is None or not isinstance(resolve_pointer(filing, form.pointer), dict)
    for index, row in [(None, None)] + list(enumerate(form.indicator_rows)):
        fields = form.fields if row is None else form.indicator_fields(row, index)
        for f in fields:
            raw = _value(filing, f.pointer)
            if f.is_result:
                absent = missing or (index is not None and index >= filed_rows)
                results.append((f, _ABSENT if absent else raw))
                continue
            _check_text(f, raw, sheet)
            model.set(sheet, f.cell, to_cell(f.kind, raw))
    for calc in form.all_calcs():
        model.set_formula(sheet, calc.cell, calc.formula)
    spare = _spare_rows(model, form)
    for f, raw in sorted(results, key=_result_rank):
        in_spare = "/indicators/" in f.pointer and split_cell(f.cell)[1] in spare
        _place_result(plan, form, f, _ABSENT if in_spare and is_blank(raw) else raw)  # a score alone stays


def _spare_rows(model: CellModel, form: FormLayout) -> set[int]:
    """The indicator rows after the last one holding anything, as the reader will see them: spare
    rows of the form, whatever the filing listed there (an empty row at its end is no indicator)."""
    last = form.last_used_row(lambda c: is_filled(model.value(form.sheet, c)))
    return {row for row in form.indicator_rows if row > last}


def _title(filing: dict[str, Any] | None) -> str:
    year = _value(filing, "/year") if filing else None
    if year in (None, ""):
        return "预算绩效自评表"
    return f"{format_number(float(year)) if isinstance(year, (int, float)) else clean_text(year)}年度预算绩效自评表"


def plan_workbook(filing: dict[str, Any] | None, *, projects: int = 1, profile: str = DEFAULT_PROFILE,
                  values_only: bool = False) -> WorkbookPlan:
    """Lay out and compute every cell of the workbook (nothing is written)."""
    if filing is not None:
        check_shape(filing, "填报文件")
        filing = copy.deepcopy(filing)
    profile = load_profile(profile).spec  # ProfileError for an unknown name; a file's path made absolute
    filed_projects = len(filing.get("projects") or []) if filing else 0
    count = filed_projects if values_only and filing is not None else max(filed_projects, projects, 1)
    tables = ["/department"] + [f"/projects/{i}" for i in range(count)]
    used = [len(_indicators(filing, t)) for t in tables]
    capacities = [max(1, n) for n in used] if values_only else [capacity_for(used)] * len(tables)
    check_limits(count, max(capacities), "填报文件" if filing is not None else "要生成的工作簿")
    first, last = summary_rows(count)
    forms = [department_form(capacities[0], count, profile, None if values_only else (first, last))]
    forms += [project_form(n, capacities[n], profile, forms[0].footer_row) for n in range(1, count + 1)]
    model = CellModel(profile if profile != DEFAULT_PROFILE else None)
    plan = WorkbookPlan(model, profile, forms, values_only)
    for form in forms:
        _fill_form(plan, form, filing)
    plan.unit = clean_text(_value(filing, "/unit")) if filing else ""
    plan.title = _title(filing)
    if not values_only:
        plan.reports = _report_source(filing, count)
        plan.has_filing = filing is not None
        plan.sheets = [sheet_specs.guide_sheet(profile, capacities[0], count),
                       sheet_specs.summary_sheet(forms[0], forms[1:]),
                       sheet_specs.results_sheet(), sheet_specs.conf_sheet()]
        for sheet in plan.sheets:
            for calc in sheet.calcs:
                model.set_formula(sheet.name, calc.cell, calc.formula)
    return plan
