"""Read one form (附件1 or 附件3-N) of a master workbook: its inputs into the cell model and the
filing, and each result cell as filed (see :mod:`workbook.reader`): still our formula (its value
recomputed), a constant (the unit's own value; W1 when typed over the formula), another formula
(W3, its saved value) or an error value (W2 with the reason). With values alone (the buttons,
Lite), a result is typed over when it shows what its formula does not give from the cells shown
and carries no imported-value note, or when an unused row's 得分 shows anything but 0."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xlfuncs.catalogue import RULES_BY_ID
from xlfuncs.cellfuncs import CellError, is_error
from xlfuncs.findings import Finding

from .cellmodel import CellModel, claim_equals, display, from_cell, is_blank, same_result
from .layouts.cells import split_cell
from .layouts.expr import PENDING, formula_text, same_formula
from .layouts.forms import Field, FormLayout
from .layouts.xlvalues import is_filled
from .plan import CLAIM_NOTE_HEAD
from .sheet_grid import SheetGrid

__all__ = ["FormReading", "finish_results", "is_empty_project", "read_form"]


def _describe(form: FormLayout, f: Field, rows: dict[int, int]) -> str:
    pointer = f.pointer
    if "/indicators/" in pointer:
        row = split_cell(f.cell)[1]
        return f"第{rows.get(row, row - form.first_row) + 1}行指标 得分"
    if pointer.endswith("/funds/total/rate"):
        return "年度资金总额 执行率"
    if pointer.endswith("/funds/total/score"):
        return "预算执行得分"
    if pointer.endswith("/total/score"):
        return "总分 得分"
    return "自评等级"


def _finding(rule: str, form: FormLayout, f: Field, message: str, expected: Any = None,
             actual: Any = None) -> Finding:
    return Finding(rule, RULES_BY_ID[rule].severity, f.pointer, message, expected, actual,
                   form.sheet).at(form.sheet, f.cell)


def _plain(value: Any) -> Any:
    if isinstance(value, CellError):
        return value.code
    if isinstance(value, float):
        return round(value, 6)
    return value


@dataclass
class FormReading:
    form: FormLayout
    grid: SheetGrid
    rows: list[int]
    values: dict[str, Any] = field(default_factory=dict)  # pointer → filed value
    findings: list[Finding] = field(default_factory=list)
    constants_in_results: int = 0
    shown: list[tuple[Field, Any, str]] = field(default_factory=list)  # values-alone results to compare


def _used_rows(form: FormLayout, grid: SheetGrid) -> list[int]:
    """The indicator rows up to the last one holding anything: an empty row between filled ones is
    an indicator left empty (row N of the sheet is always indicator N, as in the filing); the
    empty rows after the last are the form's spare capacity."""
    last = form.last_used_row(lambda c: is_filled(grid.get(c)) or c in grid.problems)
    return [row for row in form.indicator_rows if row <= last]


def _unreadable(reading: FormReading, f: Field) -> bool:
    """W4 when the file holds something in the cell that cannot be read (it is then read as blank)."""
    problem = reading.grid.problems.get(f.cell)
    if problem is None:
        return False
    sheet = reading.form.sheet
    reading.findings.append(_finding("W4", reading.form, f, f"{sheet} {f.cell} 的内容无法读取：{problem}；"
                                     "按空白读取，请在 Excel 或 WPS 中重新填写此格", actual=problem))
    return True


def read_form(form: FormLayout, grid: SheetGrid, model: CellModel) -> FormReading:
    """Inputs into the model and the filing; results decided (formula, claim, typed over)."""
    reading = FormReading(form, grid, _used_rows(form, grid))
    index_of = {row: i for i, row in enumerate(reading.rows)}
    for calc in form.all_calcs():  # the helpers results depend on (the probe, the categories)
        model.set_formula(form.sheet, calc.cell, calc.formula)
    # inputs (every row, so the formulas see what Excel sees), results remembered
    results: list[Field] = []
    for f in form.fields + [x for row in form.indicator_rows for x in form.indicator_fields(row, index_of.get(row))]:
        if f.is_result:
            results.append(f)
            continue
        raw = grid.get(f.cell)
        in_table = "/indicators/" not in f.pointer or split_cell(f.cell)[1] in index_of
        if in_table or f.cell in grid.problems:  # 指标性质/评价档次 alone leave a row unused, yet unreadable
            _unreadable(reading, f)
        formula = grid.formula(f.cell)
        if formula is not None:  # a formula typed into an input cell (=400+23.12): its saved result
            raw = grid.cached(f.cell) if grid.cached else None
            if raw is None and in_table:
                reading.findings.append(_finding(
                    "W3", form, f, f"{form.sheet} {f.cell} 填的是公式“{formula}”，但文件没有保存它的计算结果，"
                    "无法读取其值；请在 Excel 或 WPS 中打开、保存后再校验，或直接填写数值", actual=formula))
        model.set(form.sheet, f.cell, raw)
        if in_table:
            reading.values[f.pointer] = from_cell(raw)
    for f in results:
        _read_result(reading, model, f, index_of)
    for f, value, what in reading.shown:  # values alone: a shown value that is not the formula's was typed
        _typed_over(reading, model, f, value, what)
    model.clear_cache()
    return reading


def _read_result(reading: FormReading, model: CellModel, f: Field, index_of: dict[int, int]) -> None:
    form, grid, sheet = reading.form, reading.grid, reading.form.sheet
    row = split_cell(f.cell)[1]
    if "/indicators/" in f.pointer and row not in index_of:  # an unused row
        if f.cell in grid.problems:
            _unreadable(reading, f)
        value = grid.get(f.cell)
        # its formula shows 0: a formula gone (formulas known) or another value shown (values alone)
        typed = (grid.formula(f.cell) is None if grid.formulas is not None
                 else not same_result(f.kind, value, 0.0) and not _pending(value))
        if typed and not is_blank(value):
            model.set(sheet, f.cell, value)  # a number typed into an empty row's 得分: Excel adds it
            reading.findings.append(Finding(
                "W1", RULES_BY_ID["W1"].severity, f"{form.pointer}/indicators",
                f"{sheet} {f.cell} 是空行的得分公式格，现为手工填入的 {display(f.kind, value)}（总分会把它计入）",
                0, _plain(from_cell(value)), sheet).at(sheet, f.cell))
        else:
            model.set_formula(sheet, f.cell, f.formula)
        return
    what = _describe(form, f, index_of)
    found = grid.formula(f.cell)
    if grid.formulas is None:  # values as displayed (a live workbook through xlwings)
        value = grid.get(f.cell)
        if _pending(value):  # perfeval's functions were not loaded
            model.set_formula(sheet, f.cell, f.formula)
            if f.filed_when_formula:
                reading.values[f.pointer] = ("formula", f)
            return
        model.set(sheet, f.cell, value)
        if is_error(value):
            model.set_formula(sheet, f.cell, f.formula)
            computed = model.value(sheet, f.cell)
            model.set(sheet, f.cell, value)
            reason = computed.reason if isinstance(computed, CellError) else "引用的单元格有错误值"
            reading.findings.append(_finding("W2", form, f, f"{sheet} {f.cell}（{what}）显示错误值 "
                                             f"{str(value).strip()}：{reason}", actual=str(value).strip()))
        if not f.filed_when_formula:
            # a grade equal to what GRADE gives may be the live formula: not a filed value
            model.set_formula(sheet, f.cell, f.formula)
            if is_blank(value) or same_result(f.kind, value, model.value(sheet, f.cell)):
                return
            model.set(sheet, f.cell, value)
        reading.values[f.pointer] = from_cell(value) if not is_error(value) else str(value).strip()
        if grid.notes_known and f.cell not in grid.notes and not is_blank(value) and not is_error(value):
            reading.shown.append((f, value, what))  # no imported value's note: checked once all are read
        return
    if found is not None and same_formula(found, formula_text(f.formula, sheet)):
        model.set_formula(sheet, f.cell, f.formula)
        if f.filed_when_formula:
            reading.values[f.pointer] = ("formula", f)
        return
    if found is not None:  # a formula of the user's own
        value = grid.cached(f.cell) if grid.cached else None
        model.set(sheet, f.cell, value)
        reading.values[f.pointer] = from_cell(value) if not is_error(value) else str(value).strip()
        shown = "无缓存值" if value is None else display(f.kind, value)
        reading.findings.append(_finding("W3", form, f, f"{sheet} {f.cell}（{what}）的公式被改为“{found}”，"
                                         f"与模板不同；已按单元格显示的值读取（{shown}）", actual=found))
        return
    value = grid.get(f.cell)
    model.set(sheet, f.cell, value)
    if _unreadable(reading, f):
        reading.values[f.pointer] = None
        return
    reading.constants_in_results += 0 if is_blank(value) else 1
    if not f.filed_when_formula and is_blank(value):
        return  # an empty grade cell: nothing filed
    reading.values[f.pointer] = from_cell(value) if not is_error(value) else str(value).strip()
    note = grid.notes.get(f.cell, "")
    noted = _noted_value(note)
    if noted is not None and claim_equals(f.kind, value, noted):
        return  # the imported value the builder wrote: not typed over
    _typed_over(reading, model, f, value, what, always=True)


def _pending(value: Any) -> bool:
    return isinstance(value, str) and value.strip() == PENDING


def _typed_over(reading: FormReading, model: CellModel, f: Field, value: Any, what: str, *,
                always: bool = False) -> None:
    """W1 for a result cell holding a value of its own. With formulas known (``always``) the formula
    is gone; with values alone, the cell is reported only when its value is not the formula's."""
    form, sheet = reading.form, reading.form.sheet
    model.set_formula(sheet, f.cell, f.formula)
    computed = model.value(sheet, f.cell)
    model.set(sheet, f.cell, value)
    if not always and (same_result(f.kind, value, computed) or _pending(computed)):
        return
    reading.findings.append(_finding(
        "W1", form, f,
        f"{sheet} {f.cell}（{what}）原为公式，现为手工填入的 {display(f.kind, value)}；已按填入的值读取"
        f"（按规则计算为 {display(f.kind, computed)}）",
        expected=_plain(computed), actual=_plain(from_cell(value))))


def _noted_value(note: str) -> str | None:
    for line in note.splitlines():
        line = line.strip()
        if line.startswith(CLAIM_NOTE_HEAD):
            return line[len(CLAIM_NOTE_HEAD):]
    return None


def finish_results(reading: FormReading, model: CellModel) -> None:
    """Values of the result cells that are still our formulas, and W2 for the ones in error."""
    form, sheet = reading.form, reading.form.sheet
    index_of = {row: i for i, row in enumerate(reading.rows)}
    root_errors = False
    pending = [(p, v[1]) for p, v in reading.values.items() if isinstance(v, tuple) and v and v[0] == "formula"]
    total = f"{form.pointer}/total/score"
    for pointer, f in sorted(pending, key=lambda item: item[0] == total):  # the total last
        result = model.value(sheet, f.cell)
        if isinstance(result, CellError):
            reading.values[pointer] = result.code
            is_total = pointer == total
            if not is_total or not root_errors:
                reading.findings.append(_finding(
                    "W2", form, f, f"{sheet} {f.cell}（{_describe(form, f, index_of)}）显示错误值 {result.code}："
                    f"{result.reason}", actual=result.code))
            root_errors = root_errors or not is_total
        else:
            reading.values[pointer] = from_cell(result) if result != "" else None


def is_empty_project(reading: FormReading) -> bool:
    if reading.rows or reading.constants_in_results:
        return False
    return all(is_blank(v) or isinstance(v, tuple) for v in reading.values.values())
