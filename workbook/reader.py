"""Read a filled master workbook back into a filing, whoever saved it last (Excel, WPS, LibreOffice).

Inputs come from the input cells. A result cell (执行率, 得分, 总分, 等级) is read as filed:

* still our formula → its value is recomputed here from the cells read, with the same
  formula tree the builder wrote (cached values may be missing or stale; they are not trusted);
* a constant → that constant; when it is not the imported value the builder noted on the
  cell, it was typed over the formula: finding W1;
* another formula → the value the file shows (finding W3);
* an error value (the rules cannot score the row) → the error code, with finding W2 giving why.

The core, :func:`read_grids`, works on in-memory grids (sheet name → rows of values from A1),
with or without formula information, so the workbook's own 校验 button can feed it values read
through xlwings. With values alone, a result cell was typed over when it shows a value its
formula does not give from the cells shown and carries no imported-value note (which cells carry
notes is given), or when an unused row's 得分 shows anything but 0. :func:`read_workbook` reads a
file with openpyxl (macros never run, XML read through defusedxml, the file opened read-only)
and raises :class:`~xlfuncs.filing.FilingError` with one Chinese line for anything that is not a
readable master workbook.

Longer than 400 lines because the read path is one piece: structure and settings, the three
cases of every result cell, the package's notes and cached values, and filing normalisation for
comparisons; issue 12 splits it along those seams.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbook.report_sheet import HEADERS as REPORT_HEADERS
from workbook.report_sheet import SHEET_NAME as REPORT_SHEET
from workbook.report_sheet import read_report_sheet
from xlfuncs.catalogue import RULES_BY_ID
from xlfuncs.cellfuncs import CellError, is_error
from xlfuncs.fileio import parse_relationships, relationship_targets, rels_path, resolve_target
from xlfuncs.filing import FORMAT, INDICATOR_KEYS, FilingError, check_shape
from xlfuncs.findings import Finding
from xlfuncs.outlines import DEPARTMENT_OUTLINE, PROJECT_OUTLINE, Outline, split_report
from xlfuncs.profiles import DEFAULT_PROFILE, ProfileError, load_profile
from xlfuncs.values import clean_text, parse_amount, parse_points, parse_rate

from .builder import CLAIM_NOTE_HEAD
from .cellmodel import CellModel, claim_equals, display, from_cell, is_blank, same_result
from .layouts import sheets as sheet_specs
from .layouts.expr import cells_of, formula_text, same_formula, split_cell
from .layouts.forms import (
    AMOUNT,
    DEPARTMENT_SHEET,
    FORM_TITLES,
    POINTS,
    PROJECT_PREFIX,
    RATE,
    TEXT,
    Field,
    FormLayout,
    department_form,
    project_sheet,
)
from .layouts.locate import Locator, WorkbookShape

_PROJECT_SHEET_RE = re.compile(r"^附件3-(\d+)$")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_CAPACITY = 500
# Filing values that exist only when filled (additive fields, helper-zone inputs).
_OPTIONAL = re.compile(r"/(adjust_reason|rate_reason|kind|band|grade)$|^/signoff/|/report/text$|^/department_report/")


@dataclass
class SheetGrid:
    """One sheet as read: values by A1 cell; ``formulas`` None when unknown (values as displayed)."""

    values: dict[str, Any]
    formulas: dict[str, str] | None = None
    notes: dict[str, str] = field(default_factory=dict)  # cell → note text ("" when only its presence is known)
    cached: Callable[[str], Any] | None = None  # cached value of a formula cell, when it can be had
    notes_known: bool = True  # False: which cells carry notes is unknown (values alone)

    def get(self, cell: str) -> Any:
        """The value of a cell (None when empty; a formula cell's value only without formula info)."""
        return self.values.get(cell)

    def formula(self, cell: str) -> str | None:
        """The formula text of a cell, when formulas are known."""
        return None if self.formulas is None else self.formulas.get(cell)

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[Any]], formulas: Sequence[Sequence[Any]] | None = None,
                  notes: Mapping[str, str] | None = None) -> SheetGrid:
        """A grid from rows of values starting at A1 (and optional rows of formula texts)."""
        from .layouts.expr import col_letters

        values: dict[str, Any] = {}
        for r, row in enumerate(rows or [], start=1):
            for c, value in enumerate(row or []):
                if value is not None and value != "":
                    values[f"{col_letters(c)}{r}"] = value
        found: dict[str, str] | None = None
        if formulas is not None:
            found = {}
            for r, row in enumerate(formulas, start=1):
                for c, text in enumerate(row or []):
                    if isinstance(text, str) and text.startswith("="):
                        found[f"{col_letters(c)}{r}"] = text
        return cls(values, found, dict(notes or {}), notes_known=notes is not None)


@dataclass
class WorkbookReading:
    """A filing read from a master workbook, where each of its values sits, and what reading found."""

    filing: dict[str, Any]
    locate: Callable[[str], tuple[str, str] | None]
    findings: list[Finding]
    profile: str = DEFAULT_PROFILE
    shape: WorkbookShape | None = None


# --------------------------------------------------------------------------- the core


def _text(value: Any) -> str:
    return clean_text(value)


def _structure_error(form: FormLayout, grid: SheetGrid, cell: str, expected: str) -> FilingError:
    """Say where an anchor label went (rows inserted or deleted) or what replaced it."""
    column, row = split_cell(cell)
    want = _text(expected)
    for other, value in grid.values.items():
        col2, row2 = split_cell(other)
        if col2 == column and row2 != row and _text(value) == want:
            shift = row2 - row
            what = f"插入了 {shift} 行" if shift > 0 else f"删除了 {-shift} 行"
            return FilingError(
                f"工作表“{form.sheet}”的表格结构被改动：{cell} 应为“{expected}”，现在在 {other}（在它上方{what}）。"
                "请撤销插入或删除的行后再读取；指标行数是固定的，用不完的行留空即可")
    found = grid.get(cell)
    shown = "空白" if is_blank(found) else f"“{str(found)[:30]}”"
    return FilingError(f"工作表“{form.sheet}”的 {cell} 应为“{expected}”，实为{shown}：表格结构被改动"
                       "（插入或删除了行、改动了标签），或不是 perfeval 生成的主工作簿，无法读取")


def _check_anchors(form: FormLayout, grid: SheetGrid) -> None:
    for cell, expected in sorted(form.anchors, key=lambda a: split_cell(a[0])[1]):
        if _text(grid.get(cell)) != _text(expected):
            raise _structure_error(form, grid, cell, expected)


def _settings(grids: Mapping[str, SheetGrid]) -> dict[str, Any]:
    guide = grids.get(sheet_specs.GUIDE_SHEET)
    if guide is None:
        return {}
    found = {}
    wanted = {sheet_specs.SETTING_PROFILE, sheet_specs.SETTING_CAPACITY}
    for cell, value in guide.values.items():
        column, row = split_cell(cell)
        if column == "B" and _text(value) in wanted:
            found[_text(value)] = (guide.get(f"C{row}"), f"C{row}")
    return found


def _profile(settings: dict[str, Any], base: Path | None) -> str:
    """The workbook's profile as :func:`load_profile` takes it anywhere: a shipped name, or a .toml
    path (a relative one is relative to the workbook's folder ``base``) made absolute."""
    value, cell = settings.get(sheet_specs.SETTING_PROFILE, (None, ""))
    name = _text(value) or DEFAULT_PROFILE
    try:
        return load_profile(name, base=base).spec
    except ProfileError as exc:
        raise FilingError(f"工作表“{sheet_specs.GUIDE_SHEET}”{cell} 的规则配置“{name}”无法使用：{exc}") from None


def _capacity(settings: dict[str, Any], department: SheetGrid) -> int:
    value, _ = settings.get(sheet_specs.SETTING_CAPACITY, (None, ""))
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value <= MAX_CAPACITY \
            and float(value).is_integer():
        return int(value)
    # no settings (使用说明 deleted): the 总分 row of 附件1 tells
    probe = department_form(1)
    for cell, text in department.values.items():
        column, row = split_cell(cell)
        if column == "A" and _text(text) == "总分" and row > probe.header_row + 1:
            return row - probe.header_row - 1
    return probe.capacity


def _project_sheets(names: Sequence[str], grids: Mapping[str, SheetGrid]) -> int:
    """The number of project forms; FilingError when one is missing or renamed."""
    numbers = sorted(int(m.group(1)) for m in map(_PROJECT_SHEET_RE.match, names) if m)
    known = {sheet_specs.GUIDE_SHEET, DEPARTMENT_SHEET, sheet_specs.SUMMARY_SHEET, sheet_specs.RESULTS_SHEET,
             sheet_specs.CONF_SHEET}
    for name in names:
        if name in known or _PROJECT_SHEET_RE.match(name):
            continue
        title = _text(grids[name].get("A2"))
        if title == FORM_TITLES["project"]:
            raise FilingError(f"工作表“{name}”是一张项目支出绩效自评表，但名称不是“{PROJECT_PREFIX}N”"
                              f"（可能被改名）；请改回“{PROJECT_PREFIX}{len(numbers) + 1}”这类名称后再读取")
        if title == FORM_TITLES["department"]:
            raise FilingError(f"工作表“{name}”是部门整体支出绩效自评表，但名称不是“{DEPARTMENT_SHEET}”"
                              "（可能被改名或复制）；请改回后再读取")
    for expected, number in enumerate(numbers, start=1):
        if number != expected:
            raise FilingError(f"缺少工作表“{project_sheet(expected)}”（附件3 应从 {project_sheet(1)} 起连续编号，"
                              f"现有 {'、'.join(project_sheet(n) for n in numbers)}）；可能被删除或改名")
    return len(numbers)


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
class _FormReading:
    form: FormLayout
    grid: SheetGrid
    rows: list[int]
    values: dict[str, Any] = field(default_factory=dict)  # pointer → filed value
    findings: list[Finding] = field(default_factory=list)
    constants_in_results: int = 0
    shown: list[tuple[Field, Any, str]] = field(default_factory=list)  # values-alone results to compare


def _used_rows(form: FormLayout, grid: SheetGrid) -> list[int]:
    used = []
    for row in form.indicator_rows:
        refs = [c for r in form.used_refs(row) for line in cells_of(r.ref) for c in line]
        if any(not (grid.get(c) is None or grid.get(c) == "") for c in refs):
            used.append(row)
    return used


def _read_form(form: FormLayout, grid: SheetGrid, model: CellModel, alt: FormLayout) -> _FormReading:
    """Inputs into the model and the filing; results decided (formula, claim, typed over)."""
    reading = _FormReading(form, grid, _used_rows(form, grid))
    index_of = {row: i for i, row in enumerate(reading.rows)}
    # inputs (every row, so the formulas see what Excel sees), results remembered
    results: list[Field] = []
    for f in form.fields + [x for row in form.indicator_rows for x in form.indicator_fields(row, index_of.get(row))]:
        if f.is_result:
            results.append(f)
            continue
        raw = grid.get(f.cell)
        in_table = "/indicators/" not in f.pointer or split_cell(f.cell)[1] in index_of
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
    alternative = {f.cell: f for f in alt.all_fields()}
    for f in results:
        _read_result(reading, model, f, alternative.get(f.cell), index_of)
    for f, value, what in reading.shown:  # values alone: a shown value that is not the formula's was typed
        _typed_over(reading, model, f, value, what)
    model.clear_cache()
    return reading


def _read_result(reading: _FormReading, model: CellModel, f: Field, alt: Field | None,
                 index_of: dict[int, int]) -> None:
    form, grid, sheet = reading.form, reading.grid, reading.form.sheet
    row = split_cell(f.cell)[1]
    if "/indicators/" in f.pointer and row not in index_of:  # an unused row
        value = grid.get(f.cell)
        # its formula shows 0: a formula gone (formulas known) or another value shown (values alone)
        typed = (grid.formula(f.cell) is None if grid.formulas is not None
                 else not same_result(f.kind, value, 0.0))
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
    expected = [formula_text(f.formula, sheet)] + ([formula_text(alt.formula, sheet)] if alt and alt.formula else [])
    if found is not None and same_formula(found, expected):
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
    reading.constants_in_results += 0 if is_blank(value) else 1
    if not f.filed_when_formula and is_blank(value):
        return  # an empty grade cell: nothing filed
    reading.values[f.pointer] = from_cell(value) if not is_error(value) else str(value).strip()
    note = grid.notes.get(f.cell, "")
    noted = _noted_value(note)
    if noted is not None and claim_equals(f.kind, value, noted):
        return  # the imported value the builder wrote: not typed over
    _typed_over(reading, model, f, value, what, always=True)


def _typed_over(reading: _FormReading, model: CellModel, f: Field, value: Any, what: str, *,
                always: bool = False) -> None:
    """W1 for a result cell holding a value of its own. With formulas known (``always``) the formula
    is gone; with values alone, the cell is reported only when its value is not the formula's."""
    form, sheet = reading.form, reading.form.sheet
    model.set_formula(sheet, f.cell, f.formula)
    computed = model.value(sheet, f.cell)
    model.set(sheet, f.cell, value)
    if not always and same_result(f.kind, value, computed):
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


def _finish_results(reading: _FormReading, model: CellModel) -> None:
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


def _is_empty_project(reading: _FormReading) -> bool:
    if reading.rows or reading.constants_in_results:
        return False
    return all(is_blank(v) or isinstance(v, tuple) for v in reading.values.values())


def _put(document: dict[str, Any], pointer: str, value: Any) -> None:
    tokens = pointer.lstrip("/").split("/")
    node: Any = document
    for i, token in enumerate(tokens[:-1]):
        nxt = tokens[i + 1]
        if isinstance(node, list):
            node = node[int(token)]
            continue
        if token not in node or node[token] is None:
            node[token] = [] if token in ("projects", "indicators") else {}
        node = node[token]
        if isinstance(node, list) and nxt.isdigit():
            while len(node) <= int(nxt):
                node.append({})
    if isinstance(node, list):
        node[int(tokens[-1])] = value
    else:
        node[tokens[-1]] = value


def _skeleton(department: _FormReading, projects: list[_FormReading]) -> dict[str, Any]:
    def table(reading: _FormReading, project: bool) -> dict[str, Any]:
        fund_rows = ("total", "current_year", "carried_over", "other") if project else ("total",)
        funds: dict[str, Any] = {key: {} for key in fund_rows}
        if not project:
            funds.update({"by_income": {}, "by_expense": {}})
        data: dict[str, Any] = {"name": None}
        if project:
            data.update({"competent_department": None, "implementing_unit": None})
        data.update({"funds": funds, "goal": {}, "indicators": [{} for _ in reading.rows], "total": {}})
        return data
    return {"format": FORMAT, "year": None, "unit": None, "department": table(department, False),
            "projects": [table(p, True) for p in projects]}


def grid_rows(grid: SheetGrid, columns: int) -> list[list[Any]]:
    """The first ``columns`` columns of a grid as rows of values from row 1."""
    from .layouts.expr import cells_of, col_letters, split_cell

    last = max((split_cell(cell)[1] for cell in grid.values), default=0)
    if not last:
        return []
    return [[grid.get(cell) for cell in row] for row in cells_of(f"A1:{col_letters(columns - 1)}{last}")]


def _put_reports(filing: dict[str, Any], grid: SheetGrid | None, projects: int) -> None:
    """Report texts from the 自评报告 sheet (absent sheet or empty sections: no text)."""
    if grid is None:
        return
    for pointer, text in read_report_sheet(grid_rows(grid, len(REPORT_HEADERS))).items():
        parts = pointer.split("/")
        if text and (parts[1] == "department_report" or int(parts[2]) < projects):
            _put(filing, pointer, text)


def read_grids(grids: Mapping[str, SheetGrid | Sequence[Sequence[Any]]], *, source: str = "工作簿",
               base: Path | None = None) -> WorkbookReading:
    """Read a master workbook from in-memory grids: sheet name → :class:`SheetGrid` or rows of values
    from A1 (values as displayed; then formulas are unknown and overwritten formulas cannot be told).

    Raises FilingError (one Chinese line naming the sheet and cell) when the workbook's structure
    is not the master workbook's.
    """
    sheets = {name: g if isinstance(g, SheetGrid) else SheetGrid.from_rows(g) for name, g in grids.items()}
    names = list(sheets)
    if DEPARTMENT_SHEET not in sheets:
        for name in names:
            if _text(sheets[name].get("A2")) == FORM_TITLES["department"]:
                raise FilingError(f"{source}中没有工作表“{DEPARTMENT_SHEET}”；工作表“{name}”像是附件1"
                                  f"（可能被改名），请改回“{DEPARTMENT_SHEET}”后再读取")
        raise FilingError(f"{source}中没有工作表“{DEPARTMENT_SHEET}”，不是 perfeval 主工作簿"
                          f"（现有工作表：{'、'.join(names[:8]) or '无'}）")
    count = _project_sheets(names, sheets)
    settings = _settings(sheets)
    profile = _profile(settings, base)
    capacity = _capacity(settings, sheets[DEPARTMENT_SHEET])
    profile_arg = profile != DEFAULT_PROFILE
    shape = WorkbookShape(max(count, 1), capacity, profile_arg)
    forms = shape.forms()[: count + 1]
    alternates = WorkbookShape(max(count, 1), capacity, not profile_arg).forms()[: count + 1]
    model = CellModel(profile if profile_arg else None)
    readings = []
    master_only = {sheet_specs.GUIDE_SHEET, sheet_specs.SUMMARY_SHEET, sheet_specs.RESULTS_SHEET,
                   sheet_specs.CONF_SHEET, REPORT_SHEET}
    for form, alt in zip(forms, alternates, strict=True):
        grid = sheets[form.sheet]
        try:
            _check_anchors(form, grid)
        except FilingError:
            if master_only & set(names):
                raise
            raise FilingError(f"{source}像是导出的绩效自评表（只有数值，各表行数按内容压缩），不是主工作簿；"
                              "请对主工作簿或填报 JSON 运行 perfeval") from None
        readings.append(_read_form(form, grid, model, alt))
    for reading in readings:
        _finish_results(reading, model)
    department, projects = readings[0], readings[1:]
    while projects and _is_empty_project(projects[-1]):
        projects.pop()
    filing = _skeleton(department, projects)
    findings: list[Finding] = []
    for reading in [department, *projects]:
        for pointer, value in reading.values.items():
            if value is None and _OPTIONAL.search(pointer):
                continue
            _put(filing, pointer, value)
        findings.extend(reading.findings)
    _put_reports(filing, sheets.get(REPORT_SHEET), len(projects))
    check_shape(filing, source)
    shape.indicator_rows = {r.form.pointer: r.rows for r in readings}
    locator = Locator(shape, forms)
    return WorkbookReading(filing, locator, findings, profile, shape)


# --------------------------------------------------------------------------- files


def _check_file(path: Path) -> None:
    name = f"“{path.name}”"
    try:
        if path.is_dir():
            raise FilingError(f"{name}是文件夹，不是 Excel 工作簿")
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise FilingError(f"找不到文件“{path}”") from None
    except OSError as exc:
        raise FilingError(f"无法读取{name}：{exc.strerror or exc}") from None
    if head.startswith(_OLE_MAGIC):
        raise FilingError(f"{name}设置了打开密码（已加密），或是旧版 .xls 工作簿：请在 Excel 中取消打开密码，"
                          "或另存为 .xlsx/.xlsm 后再读取")
    if not head.startswith(_ZIP_MAGIC):
        raise FilingError(f"{name}不是 Excel 工作簿（.xlsx/.xlsm），无法读取")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" not in names:
                what = "Word 文档" if "word/document.xml" in names else "其他压缩文件"
                raise FilingError(f"{name}不是 Excel 工作簿（是{what}），无法读取")
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise FilingError(f"{name}解压后超过 {MAX_UNPACKED_BYTES // 1024 // 1024} MB，不像是绩效自评工作簿，未读取")
    except zipfile.BadZipFile:
        raise FilingError(f"{name}已损坏，无法作为 Excel 工作簿打开") from None


_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _notes_from_package(path: Path) -> dict[str, dict[str, str]]:
    """Cell notes (legacy comments) by sheet name, read from the package with defusedxml."""
    from defusedxml import ElementTree

    out: dict[str, dict[str, str]] = {}
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if not any("comments" in name.lower() for name in names):
            return out
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        targets = relationship_targets(archive.read, "xl/workbook.xml")
        for sheet in book.iter(f"{_NS_MAIN}sheet"):
            part = targets.get(sheet.get(f"{_NS_REL}id", ""), "")
            if rels_path(part) not in names:
                continue
            for rel in parse_relationships(archive.read(rels_path(part))):
                if not rel.get("Type", "").endswith("/comments"):
                    continue
                comments_part = resolve_target(part, rel.get("Target", ""))
                if comments_part not in names:
                    continue
                notes = out.setdefault(sheet.get("name", ""), {})
                for comment in ElementTree.fromstring(archive.read(comments_part)).iter(f"{_NS_MAIN}comment"):
                    notes[comment.get("ref", "")] = "".join(t.text or "" for t in comment.iter(f"{_NS_MAIN}t"))
    return out


def _grids_from_file(path: Path) -> dict[str, SheetGrid]:
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = None
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_vba=False,
                                          keep_links=False, rich_text=False)
            notes = _notes_from_package(path)
            sheets = [(ws.title, ws.iter_rows()) for ws in book.worksheets]
            grids = {}
            for title, rows in sheets:
                values: dict[str, Any] = {}
                formulas: dict[str, str] = {}
                for row in rows:
                    for cell in row:
                        value = getattr(cell, "value", None)
                        if value is None or value == "":
                            continue
                        if cell.data_type == "f":
                            text = value if isinstance(value, str) else str(getattr(value, "text", value))
                            formulas[cell.coordinate] = text if text.startswith("=") else "=" + text
                        else:
                            values[cell.coordinate] = value
                grids[title] = SheetGrid(values, formulas, notes.get(title, {}), None)
        except Exception as exc:  # noqa: BLE001 - any parser failure is a damaged or foreign file
            raise FilingError(f"“{path.name}”无法作为 Excel 工作簿读取（文件损坏或格式不受支持：{type(exc).__name__}）") from None
        finally:
            if book is not None:
                book.close()
    cache: dict[str, dict[str, Any]] = {}

    def cached_for(sheet: str) -> Callable[[str], Any]:
        def lookup(cell: str) -> Any:
            if not cache:
                cache.update(_cached_values(path))
            return cache.get(sheet, {}).get(cell)
        return lookup

    for title, grid in grids.items():
        grid.cached = cached_for(title)
    return grids


def _cached_values(path: Path) -> dict[str, dict[str, Any]]:
    """The values a file stores for its formula cells (loaded only when a changed formula needs them)."""
    import openpyxl

    out: dict[str, dict[str, Any]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_vba=False, keep_links=False)
        except Exception:  # noqa: BLE001 - the first load worked; without cached values we read none
            return out
        try:
            for ws in book.worksheets:
                out[ws.title] = {cell.coordinate: cell.value for row in ws.iter_rows() for cell in row
                                 if getattr(cell, "value", None) is not None}
        except Exception:  # noqa: BLE001 - as above
            return {}
        finally:
            book.close()
    return out


def read_workbook(path: str | Path) -> WorkbookReading:
    """Read a master workbook file (.xlsx/.xlsm) into a filing; the file is only read, never changed."""
    path = Path(path)
    _check_file(path)
    grids = _grids_from_file(path)
    try:
        return read_grids(grids, source=f"“{path.name}”", base=path.parent)
    except ProfileError as exc:
        raise FilingError(str(exc)) from None


# --------------------------------------------------------------------------- comparing filings

_FIELD_KINDS = {"initial": AMOUNT, "full_year": AMOUNT, "executed": AMOUNT, "points": POINTS, "score": POINTS,
                "rate": RATE}
_PARSE = {AMOUNT: parse_amount, POINTS: parse_points, RATE: parse_rate}


def _normal_value(kind: str, raw: Any) -> Any:
    if kind in _PARSE:
        parsed = _PARSE[kind](raw)
        if parsed.status == "blank":
            return None
        if parsed.empty:
            return "—"
        if parsed.ok and parsed.value is not None:
            return round(parsed.value, 9)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return round(float(raw), 9)
    return clean_text(raw) or None


def _normal_report(raw: Any, outline: Outline) -> Any:
    """A report text compared section by section (the 自评报告 sheet holds it per outline
    section, with the outline's own headings)."""
    if not isinstance(raw, str) or not clean_text(raw):
        return None
    bodies = split_report(raw, outline).bodies
    return tuple((key, clean_text(body)) for key, body in bodies.items() if clean_text(body))


def normalise_filing(filing: dict[str, Any]) -> dict[str, Any]:
    """A filing reduced to what the forms hold, for comparing two filings: numbers parsed (amounts,
    points, rates), text without whitespace and with full-width forms folded, blanks as None,
    absent optional fields as None, keys outside the filing format dropped."""
    def table(raw: dict[str, Any], project: bool) -> dict[str, Any]:
        raw = raw or {}
        funds = raw.get("funds") or {}
        rows = ("total", "current_year", "carried_over", "other") if project else ("total",)
        out_funds = {}
        for key in rows:
            row = funds.get(key) or {}
            values = {c: _normal_value(k, row.get(c)) for c, k in _FIELD_KINDS.items()}
            if key == "total":
                values.update({r: _normal_value(TEXT, row.get(r)) for r in ("adjust_reason", "rate_reason")})
            out_funds[key] = values
        if not project:
            for block, keys in (("by_income", ("general_budget", "gov_fund", "special_account", "other")),
                                ("by_expense", ("basic", "project"))):
                source = funds.get(block) or {}
                out_funds[block] = {k: _normal_value(AMOUNT, source.get(k)) for k in keys}
        indicators = []
        for row in raw.get("indicators") or []:
            row = row or {}
            item = {k: _normal_value(POINTS if k in ("points", "score") else TEXT, row.get(k)) for k in INDICATOR_KEYS}
            item.update({k: _normal_value(TEXT, row.get(k)) for k in ("kind", "band")})
            indicators.append(item)
        total = raw.get("total") or {}
        out = {"name": _normal_value(TEXT, raw.get("name")), "funds": out_funds,
               "goal": {k: _normal_value(TEXT, (raw.get("goal") or {}).get(k)) for k in ("expected", "actual")},
               "indicators": indicators,
               "total": {"points": _normal_value(POINTS, total.get("points")),
                         "score": _normal_value(POINTS, total.get("score")),
                         "grade": _normal_value(TEXT, total.get("grade"))}}
        if project:
            out.update({k: _normal_value(TEXT, raw.get(k)) for k in ("competent_department", "implementing_unit")})
            out["report"] = _normal_report((raw.get("report") or {}).get("text"), PROJECT_OUTLINE)
        return out

    signoff = filing.get("signoff") or {}
    return {"year": _normal_value(TEXT, filing.get("year")), "unit": _normal_value(TEXT, filing.get("unit")),
            "department": table(filing.get("department") or {}, False),
            "department_report": _normal_report((filing.get("department_report") or {}).get("text"),
                                                DEPARTMENT_OUTLINE),
            "projects": [table(p, True) for p in filing.get("projects") or []],
            "signoff": {k: _normal_value(TEXT, signoff.get(k)) for k in ("preparer", "phone", "date", "head")}}
