"""Build the master workbook (or the values-only filing tables) from a filing, with XlsxWriter.

The layouts say where everything goes (:mod:`workbook.layouts`); this module only interprets
them: it fills a :class:`~workbook.cellmodel.CellModel`, decides for every result cell whether
it stays a formula (the filed value is what the rules give) or holds the filed value as a
constant with a note (an imported claim that differs), and writes the package atomically.

Every formula cell carries its cached value, computed by the same worksheet functions the UDFs
run, so viewers that cannot run the UDFs (WPS, LibreOffice, Excel's Protected View) show real
numbers. The package does not ask for a full recalculation on load.

Longer than 400 lines: planning the cells, writing forms and plain sheets with their styles,
validations and print setup, and the two package fixes XlsxWriter has no switch for, all follow
one plan object; issue 12 splits writing from planning.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from workbook.report_sheet import write_report_sheet
from xlfuncs.fileio import property_parts, rewrite_zip, write_atomic
from xlfuncs.filing import FilingError, check_shape, resolve_pointer
from xlfuncs.profile_text import render
from xlfuncs.profiles import DEFAULT_PROFILE, load_profile
from xlfuncs.values import clean_text, format_number

from .cellmodel import CellModel, cached_value, display, is_blank, same_result, text_too_long, to_cell
from .layouts import sheets as sheet_specs
from .layouts.expr import cells_of, col_index, formula_text, split_cell
from .layouts.forms import (
    CATEGORY_KEYWORDS,
    CATEGORY_LABELS,
    KIND_CHOICES,
    LEVEL2_CHOICES,
    PRINT_LAST_COLUMN,
    WIDTHS,
    Field,
    FormLayout,
    capacity_for,
    department_form,
    project_form,
)
from .layouts.sheets import PlainSheet, summary_rows
from .layouts.styles import CONDITIONAL, style_props

CLAIM_NOTE_HEAD = "导入的原填报值："
CALC_ID = 191029  # "calculated by a current Excel": no recalculation is forced on open
MAX_PROJECTS = 200
_PRINT_LAST = col_index(PRINT_LAST_COLUMN)
_ROW_LIMIT = 409.0
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
        "format": "perfeval.filing/1", "year": None, "unit": "",
        "department": {"name": "", "funds": {}, "indicators": []}, "projects": []}
    projects = list(blank.get("projects") or [])
    projects += [{"name": "", "funds": {}, "indicators": []} for _ in range(count - len(projects))]
    blank["projects"] = projects
    return blank


# --------------------------------------------------------------------------- planning


def _indicators(filing: dict[str, Any] | None, pointer: str) -> list[Any]:
    if filing is None:
        return []
    table = resolve_pointer(filing, pointer)
    rows = table.get("indicators") if isinstance(table, dict) else None
    return rows if isinstance(rows, list) else []


def _value(filing: dict[str, Any] | None, pointer: str) -> Any:
    return None if filing is None else resolve_pointer(filing, pointer)


def _note(f: Field, filed: Any, computed: Any, sheet: str) -> str:
    formula = formula_text(f.formula, sheet) if f.formula else ""
    return (f"{CLAIM_NOTE_HEAD}{display(f.kind, filed)}\n"
            f"按规则计算：{display(f.kind, computed)}\n"
            "此格原为公式，为保留原填报内容改为常数；校验会报告两者的差异。"
            f"核实后如需恢复自动计算，请在本格输入：\n{formula}")


def _check_text(f: Field, raw: Any, sheet: str) -> None:
    if text_too_long(raw):
        raise FilingError(f"{sheet} {f.cell}（{f.pointer}）的内容超过 Excel 单元格上限 32767 字，无法写入工作簿")


def _place_result(plan: WorkbookPlan, form: FormLayout, f: Field, filed: Any) -> None:
    """A result cell: formula when the filed value is what it gives, else the filed value + a note."""
    model, sheet = plan.model, form.sheet
    model.set_formula(sheet, f.cell, f.formula)
    if filed is _ABSENT or is_blank(filed):
        return  # nothing filed: the workbook computes it
    computed = model.value(sheet, f.cell)
    if f.filed_when_formula and same_result(f.kind, filed, computed):
        return
    _check_text(f, filed, sheet)
    model.set(sheet, f.cell, to_cell(f.kind, filed))
    plan.claims[(sheet, f.cell)] = _note(f, filed, computed, sheet)


def _fill_form(plan: WorkbookPlan, form: FormLayout, filing: dict[str, Any] | None) -> None:
    model, sheet = plan.model, form.sheet
    results: list[tuple[Field, Any]] = []
    rows = list(form.indicator_rows)
    filed_rows = len(_indicators(filing, form.pointer))
    missing = filing is None or not isinstance(resolve_pointer(filing, form.pointer), dict)
    order = {"rate": 0, "score": 1}
    for index, row in [(None, None)] + list(enumerate(rows)):
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
    # decide results in dependency order: rate and budget score, indicator scores, total, grade
    def rank(item: tuple[Field, Any]) -> int:
        pointer = item[0].pointer
        if "/funds/" in pointer:
            return order[pointer.rsplit("/", 1)[1]]
        if "/indicators/" in pointer:
            return 2
        return 3 if pointer.endswith("/score") else 4
    for f, raw in sorted(results, key=rank):
        _place_result(plan, form, f, raw)


def plan_workbook(filing: dict[str, Any] | None, *, projects: int = 1, profile: str = DEFAULT_PROFILE,
                  values_only: bool = False) -> WorkbookPlan:
    """Lay out and compute every cell of the workbook (nothing is written)."""
    if filing is not None:
        check_shape(filing, "填报文件")
    profile = load_profile(profile).spec  # ProfileError for an unknown name; a file's path made absolute
    filed_projects = len(filing.get("projects") or []) if filing else 0
    if values_only and filing is not None:
        count = filed_projects  # the filing tables: 附件1 and one 附件3 per filed project
    else:
        count = max(filed_projects, projects, 1)
    if count > MAX_PROJECTS:
        raise FilingError(f"项目表最多 {MAX_PROJECTS} 张，要求 {count} 张")
    profile_arg = profile != DEFAULT_PROFILE
    tables = ["/department"] + [f"/projects/{i}" for i in range(count)]
    used = [len(_indicators(filing, t)) for t in tables]
    if values_only:
        capacities = [max(1, n) for n in used]
    else:
        capacities = [capacity_for(used)] * len(tables)
    first, last = summary_rows(count)
    forms = [department_form(capacities[0], count, profile_arg, None if values_only else (first, last))]
    forms += [project_form(n, capacities[n], profile_arg, forms[0].footer_row) for n in range(1, count + 1)]
    model = CellModel(profile if profile_arg else None)
    plan = WorkbookPlan(model, profile, forms, values_only)
    for form in forms:
        _fill_form(plan, form, filing)
    unit = clean_text(_value(filing, "/unit")) if filing else ""
    year = _value(filing, "/year") if filing else None
    plan.unit = unit
    plan.title = f"{format_number(float(year)) if isinstance(year, (int, float)) else clean_text(year)}年度预算绩效自评表" \
        if year not in (None, "") else "预算绩效自评表"
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


# --------------------------------------------------------------------------- writing


class _Styles:
    """XlsxWriter formats by style name (created once per workbook)."""

    def __init__(self, book: Workbook, plain: bool) -> None:
        self.book, self.plain = book, plain
        self._formats: dict[str, Any] = {}

    def __call__(self, name: str) -> Any:
        if name not in self._formats:
            self._formats[name] = self.book.add_format(style_props(name, self.plain))
        return self._formats[name]

    def conditional(self, name: str) -> Any:
        key = "cf:" + name
        if key not in self._formats:
            self._formats[key] = self.book.add_format(dict(CONDITIONAL[name]))
        return self._formats[key]


def _write_value(ws: Worksheet, cell: str, value: Any, fmt: Any) -> None:
    if value is None or value == "":
        ws.write_blank(cell, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(cell, value, fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(cell, value, fmt)
    else:
        ws.write_string(cell, str(value), fmt)


def _merge_or_cell(ws: Worksheet, ref: str, fmt: Any) -> None:
    if ":" in ref:
        ws.merge_range(ref, "", fmt)


def _in_print_columns(ref: str) -> bool:
    return col_index(split_cell(ref.split(":")[0])[0]) <= _PRINT_LAST


def _text_units(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _lines(text: str, width: float) -> int:
    usable = max(1.0, width * 0.95 - 1)
    return sum(max(1, -(-_text_units(part) // int(usable))) for part in str(text).split("\n"))


def _ref_width(ref: str, widths: dict[str, float]) -> float:
    first = split_cell(ref.split(":")[0])[0]
    last = split_cell(ref.split(":")[-1])[0]
    return sum(widths.get(chr(c), 8.43) for c in range(ord(first), ord(last) + 1)) if len(first) == 1 else 10.0


def _fit_heights(heights: dict[int, float], items: Iterable[tuple[str, Any, float]], widths: dict[str, float]) -> None:
    """Raise row heights so wrapped text shows (Excel does not autofit merged or preset rows)."""
    for ref, value, points in items:
        if not isinstance(value, str) or not value:
            continue
        first, last = (split_cell(c)[1] for c in (ref.split(":")[0], ref.split(":")[-1]))
        if first != last and ref.split(":")[0][0] == "A":
            continue  # vertical block labels
        need = _lines(value, _ref_width(ref, widths)) * points * 1.35 + 6
        row = first
        heights[row] = min(_ROW_LIMIT, max(heights.get(row, 15.0), need))


def _write_form(book: Workbook, styles: _Styles, plan: WorkbookPlan, form: FormLayout) -> Worksheet:
    ws = book.add_worksheet(form.sheet)
    model, sheet, plain = plan.model, form.sheet, plan.values_only
    for letter, width in WIDTHS.items():
        if plain and col_index(letter) > _PRINT_LAST:
            break
        ws.set_column(f"{letter}:{letter}", width)
    heights = dict(form.heights)
    fit: list[tuple[str, Any, float]] = []
    keep = (lambda ref: _in_print_columns(ref) and split_cell(ref.split(":")[0])[1] <= form.footer_row) \
        if plain else (lambda ref: True)
    for st in form.statics:
        if not keep(st.ref):
            continue
        fmt = styles(st.style)
        text = render(st.text, plan.profile) if st.text else st.text  # labels showing profile figures
        if ":" in st.ref:
            ws.merge_range(st.ref, text or "", fmt)
        else:
            _write_value(ws, st.ref, text, fmt)
        if text:
            fit.append((st.ref, text, 10.0))
    rows = list(form.indicator_rows)
    for f in form.all_fields(rows):
        if not keep(f.ref):
            continue
        key = (sheet, f.cell)
        claim = plan.claims.get(key)
        style = f.claim_style if claim and not plain else f.style
        fmt = styles(style)
        _merge_or_cell(ws, f.ref, fmt)
        if model.is_formula(sheet, f.cell):
            value = model.value(sheet, f.cell)
            if plain:
                _write_value(ws, f.cell, cached_value(value) or None, fmt)
            else:
                ws.write_formula(f.cell, formula_text(f.formula, sheet), fmt, cached_value(value))
        else:
            value = model.value(sheet, f.cell)
            _write_value(ws, f.cell, value, fmt)
            if claim and not plain:
                ws.write_comment(f.cell, claim, {"author": "perfeval", "x_scale": 3.2, "y_scale": 2.2})
        if isinstance(value, str):
            fit.append((f.ref, value, 11.0))
    for calc in form.all_calcs():
        if not keep(calc.ref):
            continue
        fmt = styles(calc.style)
        _merge_or_cell(ws, calc.ref, fmt)
        value = model.value(sheet, calc.cell)
        if plain:
            _write_value(ws, calc.cell, cached_value(value) or None, fmt)
        else:
            ws.write_formula(calc.cell, formula_text(calc.formula, sheet), fmt, cached_value(value))
        if calc.role == "explain" and isinstance(value, str):
            fit.append((calc.ref, value, 9.0))
    if plain:
        _merge_runs(ws, styles, form, model)
    _fit_heights(heights, fit, WIDTHS)
    for row, height in heights.items():
        if plain and row > form.footer_row:
            continue
        ws.set_row(row - 1, height)
    _print_setup(ws, form)
    if not plain:
        _validations(ws, form, plan.profile)
        for cond in form.conditionals:
            _conditional(ws, styles, cond.ref, cond.criteria, cond.style)
        ws.protect("", {"format_rows": True, "format_columns": True})
        for name, cell in form.names:
            col, row = split_cell(cell)
            book.define_name(name, f"='{sheet}'!${col}${row}")
    return ws


def _merge_runs(ws: Worksheet, styles: _Styles, form: FormLayout, model: CellModel) -> None:
    """Values-only tables: merge runs of the same 一级指标 (and, within it, 二级指标) as the official
    forms print them."""
    rows = list(form.indicator_rows)

    def runs(column: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
        out = []
        for lo, hi in bounds:
            start = lo
            for r in range(lo + 1, hi + 2):
                same = r <= hi and clean_text(model.value(form.sheet, f"{column}{r}")) == \
                    clean_text(model.value(form.sheet, f"{column}{start}")) and \
                    clean_text(model.value(form.sheet, f"{column}{start}"))
                if not same:
                    out.append((start, r - 1))
                    start = r
        return out

    level1 = runs("B", [(rows[0], rows[-1])])
    level2 = runs("C", level1)
    for column, spans in (("B", level1), ("C", level2)):
        for lo, hi in spans:
            if hi > lo:
                value = model.value(form.sheet, f"{column}{lo}")
                ws.merge_range(f"{column}{lo}:{column}{hi}", "", styles("in_center"))
                _write_value(ws, f"{column}{lo}", value, styles("in_center"))


def _print_setup(ws: Worksheet, form: FormLayout) -> None:
    ws.set_paper(9)  # A4
    ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.print_area(form.print_area)
    ws.repeat_rows(form.header_row - 1)
    ws.center_horizontally()
    ws.set_margins(left=0.45, right=0.45, top=0.6, bottom=0.6)
    ws.set_footer("&C第 &P 页，共 &N 页")
    ws.hide_gridlines(2)


_VALIDATION_TEXT = {  # {…}: the profile's figures (xlfuncs.profile_text)
    "amount": ("金额", "请填写以万元为单位的数字（≥0），不适用的留空。"),
    "points": ("分值", "请填写 0–{points_total} 之间的数字。"),
    "points_or_dash": ("分值/得分", "其中各行的分值、得分一般填“—”；如填数字须≥0。"),
    "rate_or_dash": ("执行率", "请填写百分比（如 100%）或“—”。"),
    "year": ("年度", "请填写四位数年度，如 2022。"),
    "kind": ("指标性质", "请从下拉列表选择；留空即“自动”。"),
    "band": ("评价档次", "请从下拉列表选择规则配置中的档次。"),
    "level1": ("一级指标", "建议从下拉列表选择；确有特殊情况可填写其他内容。"),
    "level2": ("二级指标", "建议从下拉列表选择；确有特殊情况可填写其他内容。"),
}


def _validation_options(rule: str, top_left: str, profile: str) -> dict[str, Any]:
    rules = load_profile(profile)
    title, message = _VALIDATION_TEXT[rule]
    base = {"error_title": title, "error_message": render(message, rules), "ignore_blank": True}
    if rule == "amount":
        return {**base, "validate": "decimal", "criteria": ">=", "value": 0}
    if rule == "points":
        total = rules.weights["total"]
        return {**base, "validate": "decimal", "criteria": "between", "minimum": 0,
                "maximum": int(total) if total.is_integer() else total}
    if rule in ("points_or_dash", "rate_or_dash"):
        c = top_left
        return {**base, "validate": "custom",
                "value": f'=OR({c}="—",{c}="-",{c}="/",AND(ISNUMBER({c}),{c}>=0))'}
    if rule == "year":
        return {**base, "validate": "integer", "criteria": "between", "minimum": 2000, "maximum": 2100}
    if rule == "kind":
        return {**base, "validate": "list", "source": list(KIND_CHOICES)}
    if rule == "band":
        return {**base, "validate": "list", "source": [b.label for b in rules.bands]}
    if rule == "level1":
        weights = {"产出": "output", "效益": "benefit", "满意": "satisfaction"}
        source = [f"{CATEGORY_LABELS[w]}（{format_number(rules.weights.get(weights[w], 0))}分）"
                  for w in CATEGORY_KEYWORDS]
        return {**base, "validate": "list", "source": source, "error_type": "information"}
    return {**base, "validate": "list", "source": list(LEVEL2_CHOICES), "error_type": "information"}


def _validations(ws: Worksheet, form: FormLayout, profile: str) -> None:
    covered = {c for v in form.validations for row in cells_of(v.ref) for c in row}
    for v in form.validations:
        ws.data_validation(v.ref, _validation_options(v.rule, v.ref.split(":")[0], profile))
    for f in form.fields:  # single cells with a rule of their own (the 其中 rows' 分值/执行率/得分)
        if f.validation and f.cell not in covered:
            ws.data_validation(f.cell, _validation_options(f.validation, f.cell, profile))


def _conditional(ws: Worksheet, styles: _Styles, ref: str, criteria: str, style: str) -> None:
    if criteria == "errors":
        ws.conditional_format(ref, {"type": "errors", "format": styles.conditional(style)})
    else:
        ws.conditional_format(ref, {"type": "formula", "criteria": criteria, "format": styles.conditional(style)})


def _write_plain_sheet(book: Workbook, styles: _Styles, plan: WorkbookPlan, sheet: PlainSheet) -> Worksheet:
    ws = book.add_worksheet(sheet.name)
    for letter, width in sheet.widths.items():
        ws.set_column(f"{letter}:{letter}", width)
    for st in sheet.statics:
        fmt = styles(st.style)
        text = render(st.text, plan.profile) if isinstance(st.text, str) else st.text
        if ":" in st.ref:
            ws.merge_range(st.ref, text or "", fmt)
        else:
            _write_value(ws, st.ref, text, fmt)
    for calc in sheet.calcs:
        value = plan.model.value(sheet.name, calc.cell)
        ws.write_formula(calc.cell, formula_text(calc.formula, sheet.name), styles(calc.style), cached_value(value))
    for cell, target, text in sheet.links:
        ws.write_url(cell, f"internal:'{target}'!A1", styles("t_link"), string=text)
    for row, height in sheet.heights.items():
        ws.set_row(row - 1, height)
    for cond in sheet.conditionals:
        _conditional(ws, styles, cond.ref, cond.criteria, cond.style)
    for name, cell in sheet.names:
        col, row = split_cell(cell)
        book.define_name(name, f"='{sheet.name}'!${col}${row}")
    if sheet.protect:
        ws.protect("", {"format_rows": True, "format_columns": True})
    ws.hide_gridlines(2 if sheet.name != sheet_specs.CONF_SHEET else 0)
    ws.set_paper(9)
    if sheet.landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    if sheet.print_area:
        ws.print_area(sheet.print_area)
    return ws


def write_plan(plan: WorkbookPlan) -> bytes:
    """The .xlsx package of a plan, as bytes."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    book.set_calc_mode("auto", calc_id=CALC_ID)
    book.calc_on_load = False  # XlsxWriter would otherwise write fullCalcOnLoad="1"
    styles = _Styles(book, plan.values_only)
    if plan.values_only:
        book.set_properties({"title": plan.title, "company": plan.unit, "author": "", "created": None})
    else:
        book.set_properties({"title": plan.title.replace("自评表", "自评主工作簿"), "company": plan.unit,
                             "author": "perfeval", "comments": "由 perfeval 生成；得分公式调用 perfeval 工作表函数。"})
    extra = {s.name: s for s in plan.sheets}
    if not plan.values_only:
        _write_plain_sheet(book, styles, plan, extra[sheet_specs.GUIDE_SHEET])
    for form in plan.forms:
        _write_form(book, styles, plan, form)
    if not plan.values_only:
        _write_plain_sheet(book, styles, plan, extra[sheet_specs.SUMMARY_SHEET])
        write_report_sheet(book, plan.reports, plan.profile, drafts=plan.has_filing)
        for name in (sheet_specs.RESULTS_SHEET, sheet_specs.CONF_SHEET):
            ws = _write_plain_sheet(book, styles, plan, extra[name])
            if name == sheet_specs.RESULTS_SHEET:
                ws.freeze_panes(sheet_specs.RESULTS.first_row - 1, 0)
        book.worksheets()[1].activate()
    book.close()
    return _fix_package(buffer.getvalue(), plan)


_EMPTY_VALUE_RE = re.compile(rb'<c r="([A-Z]+[0-9]+)"((?: s="[0-9]+")?)><f>([^<]*)</f><v></v></c>')


def _fix_package(package: bytes, plan: WorkbookPlan) -> bytes:
    """Two edits XlsxWriter offers no switch for. Formulas whose cached value is empty text get
    ``t="str"`` (as Excel writes them; without it the empty value reads as a number). The
    values-only tables keep only the title and the unit (Company) as document properties."""
    replace = property_parts(plan.title, plan.unit) if plan.values_only else {}

    def edit(name: str, data: bytes) -> bytes:
        data = replace.get(name, data)
        if name.startswith("xl/worksheets/sheet"):
            data = _EMPTY_VALUE_RE.sub(rb'<c r="\1"\2 t="str"><f>\3</f><v></v></c>', data)
        return data

    return rewrite_zip(package, edit)


def build_workbook(filing: dict[str, Any] | None, path: str | Path, *, projects: int = 1,
                   profile: str = DEFAULT_PROFILE, values_only: bool = False) -> Path:
    """Write the master workbook (or, ``values_only``, the filing tables) to ``path``, atomically.

    ``filing`` None gives a blank workbook with ``projects`` project forms. With a filing, each
    result cell is a formula when the filed value equals what the rules give, and otherwise the
    filed value kept as a constant with a note. ``values_only``: only 附件1 and 附件3-1…N, official
    layout and print setup, every value written as a plain value (no formulas, helper columns,
    notes, validations or names other than print areas and titles).
    """
    if filing is not None:
        filing = copy.deepcopy(filing)
    plan = plan_workbook(filing, projects=projects, profile=profile, values_only=values_only)
    payload = write_plan(plan)
    target = Path(path)
    write_atomic(target, payload)
    return target


__all__ = ["CLAIM_NOTE_HEAD", "WorkbookPlan", "build_workbook", "plan_workbook", "write_plan"]
