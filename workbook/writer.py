"""Write a planned workbook (:mod:`workbook.plan`) as an .xlsx or .xlsm package with XlsxWriter.

Every formula cell carries its cached value, computed from the same formula tree, so viewers
that do not recalculate (Excel's Protected View, a first opening in WPS) show real numbers. The
package does not ask for a full recalculation on load. The desktop runtime adds, in the same
pass, the VBA project (:mod:`workbook.vba`) and the sheet buttons (XlsxWriter's own
``add_vba_project`` and ``insert_button``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from workbook.report_sheet import write_report_sheet
from xlfuncs.fileio import property_parts, rewrite_zip

from .cellmodel import cached_value
from .excel_text import encode
from .layouts import sheets as sheet_specs
from .layouts.cells import col_index, split_cell, text_units
from .layouts.expr import formula_text
from .layouts.forms import PRINT_LAST_COLUMN, WIDTHS, FormLayout
from .layouts.sheets import PlainSheet
from .layouts.styles import CONDITIONAL, style_props
from .plan import WorkbookPlan
from .validations import add_validations

CALC_ID = 191029  # "calculated by a current Excel": no recalculation is forced on open
_PRINT_LAST = col_index(PRINT_LAST_COLUMN)
_ROW_LIMIT = 409.0
RUNTIMES = ("plain", "desktop")


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


def write_value(ws: Worksheet, cell: str, value: Any, fmt: Any) -> None:
    """A constant, by its type (text is never turned into a number, formula or link)."""
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


def _lines(text: str, width: float) -> int:
    usable = max(1.0, width * 0.95 - 1)
    return sum(max(1, -(-text_units(part) // int(usable))) for part in str(text).split("\n"))


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
        heights[first] = min(_ROW_LIMIT, max(heights.get(first, 15.0), need))


def _write_formula(ws: Worksheet, plan: WorkbookPlan, sheet: str, cell: str, expr: Any, fmt: Any) -> Any:
    value = plan.model.value(sheet, cell)
    if plan.values_only:
        write_value(ws, cell, cached_value(value) or None, fmt)
    else:
        cached = cached_value(value)  # XlsxWriter escapes the strings it writes, not a formula's result
        ws.write_formula(cell, formula_text(expr, sheet), fmt, encode(cached) if isinstance(cached, str) else cached)
    return value


def _plain_formula(formula: str, expand_future_functions: bool = False) -> str:
    """XlsxWriter runs some 30 regular expressions over every formula to prefix dynamic-array and
    newer functions with ``_xlfn.``; the workbook uses none of them (the formula tests check the
    text written), so its formulas only lose the leading "="."""
    return formula[1:] if formula.startswith("=") else formula


def _add_sheet(book: Workbook, name: str) -> Worksheet:
    ws = book.add_worksheet(name)
    if hasattr(ws, "_prepare_formula"):
        ws._prepare_formula = _plain_formula
    return ws


def _write_form(book: Workbook, styles: _Styles, plan: WorkbookPlan, form: FormLayout) -> Worksheet:
    ws = _add_sheet(book, form.sheet)
    model, sheet, plain = plan.model, form.sheet, plan.values_only
    for letter, width in WIDTHS.items():
        if plain and col_index(letter) > _PRINT_LAST:
            break
        ws.set_column(f"{letter}:{letter}", width)
    heights = dict(form.heights)
    fit: list[tuple[str, Any, float]] = []

    def keep(ref: str) -> bool:
        return not plain or (_in_print_columns(ref) and split_cell(ref.split(":")[0])[1] <= form.footer_row)

    for st in form.statics:
        if not keep(st.ref):
            continue
        fmt = styles(st.style)
        if ":" in st.ref:
            ws.merge_range(st.ref, st.text or "", fmt)
        else:
            write_value(ws, st.ref, st.text, fmt)
        if st.text:
            fit.append((st.ref, st.text, 10.0))
    for f in form.all_fields():
        if not keep(f.ref):
            continue
        claim = plan.claims.get((sheet, f.cell))
        fmt = styles(f.claim_style if claim and not plain else f.style)
        _merge_or_cell(ws, f.ref, fmt)
        if model.is_formula(sheet, f.cell):
            value = _write_formula(ws, plan, sheet, f.cell, f.formula, fmt)
        else:
            value = model.value(sheet, f.cell)
            write_value(ws, f.cell, value, fmt)
            if claim and not plain:
                ws.write_comment(f.cell, claim, {"author": "perfeval", "x_scale": 3.2, "y_scale": 2.2})
        if isinstance(value, str):
            fit.append((f.ref, value, 11.0))
    for calc in form.all_calcs():
        if not keep(calc.ref):
            continue
        fmt = styles(calc.style)
        _merge_or_cell(ws, calc.ref, fmt)
        value = _write_formula(ws, plan, sheet, calc.cell, calc.formula, fmt)
        if calc.role == "explain" and isinstance(value, str):
            fit.append((calc.ref, value, 9.0))
    if plain:
        _merge_runs(ws, styles, form, plan)
    _fit_heights(heights, fit, WIDTHS)
    for row, height in heights.items():
        if not plain or row <= form.footer_row:
            ws.set_row(row - 1, height)
    _print_setup(ws, form)
    if not plain:
        add_validations(ws, form, plan.profile)
        for cond in form.conditionals:
            _conditional(ws, styles, cond.ref, cond.criteria, cond.style)
        ws.protect("", {"format_rows": True, "format_columns": True})
        for name, cell in form.names:
            col, row = split_cell(cell)
            book.define_name(name, f"='{sheet}'!${col}${row}")
    return ws


def _merge_runs(ws: Worksheet, styles: _Styles, form: FormLayout, plan: WorkbookPlan) -> None:
    """Values-only tables: merge runs of the same 一级指标 (and, within it, 二级指标) as the official
    forms print them."""
    from xlfuncs.values import clean_text

    rows = list(form.indicator_rows)

    def text(column: str, row: int) -> str:
        return clean_text(plan.model.value(form.sheet, f"{column}{row}"))

    def runs(column: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
        out = []
        for lo, hi in bounds:
            start = lo
            for r in range(lo + 1, hi + 2):
                if not (r <= hi and text(column, r) == text(column, start) and text(column, start)):
                    out.append((start, r - 1))
                    start = r
        return out

    level1 = runs("B", [(rows[0], rows[-1])])
    for column, spans in (("B", level1), ("C", runs("C", level1))):
        for lo, hi in spans:
            if hi > lo:
                value = plan.model.value(form.sheet, f"{column}{lo}")
                ws.merge_range(f"{column}{lo}:{column}{hi}", "", styles("in_center"))
                write_value(ws, f"{column}{lo}", value, styles("in_center"))


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


def _conditional(ws: Worksheet, styles: _Styles, ref: str, criteria: str, style: str) -> None:
    if criteria == "errors":
        ws.conditional_format(ref, {"type": "errors", "format": styles.conditional(style)})
    else:
        ws.conditional_format(ref, {"type": "formula", "criteria": criteria, "format": styles.conditional(style)})


def _write_plain_sheet(book: Workbook, styles: _Styles, plan: WorkbookPlan, sheet: PlainSheet) -> Worksheet:
    ws = _add_sheet(book, sheet.name)
    for letter, width in sheet.widths.items():
        ws.set_column(f"{letter}:{letter}", width)
    for st in sheet.statics:
        fmt = styles(st.style)
        if ":" in st.ref:
            ws.merge_range(st.ref, st.text or "", fmt)
        else:
            write_value(ws, st.ref, st.text, fmt)
    for calc in sheet.calcs:
        _write_formula(ws, plan, sheet.name, calc.cell, calc.formula, styles(calc.style))
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
    if sheet.hidden:
        ws.hide()
    return ws


def _properties(book: Workbook, plan: WorkbookPlan) -> None:
    if plan.values_only:
        book.set_properties({"title": plan.title, "company": plan.unit, "author": "", "created": None})
    else:
        book.set_properties({"title": plan.title.replace("自评表", "自评主工作簿"), "company": plan.unit,
                             "author": "perfeval", "comments": "由 perfeval 生成；得分公式调用 perfeval 工作表函数。"})


def write_plan(plan: WorkbookPlan, runtime: str = "plain") -> bytes:
    """The package of a plan, as bytes: ``plain`` (.xlsx) or ``desktop`` (.xlsm with the VBA project
    and the sheet buttons)."""
    if runtime not in RUNTIMES or (runtime == "desktop" and plan.values_only):
        raise ValueError(f"cannot write a {runtime} workbook for this plan")
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    book.set_calc_mode("auto", calc_id=CALC_ID)
    book.calc_on_load = False  # XlsxWriter would otherwise write fullCalcOnLoad="1"
    styles = _Styles(book, plan.values_only)
    _properties(book, plan)
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
    if runtime == "desktop":
        from .vba import add_to_workbook

        add_to_workbook(book)
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
