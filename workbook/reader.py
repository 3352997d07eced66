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
file through :mod:`workbook.package_read` (sheets streamed, only those needed, the cells present
only, macros never run, the file only read) and raises :class:`~xlfuncs.filing.FilingError` with
one Chinese line for anything that is not a readable master workbook; a cell whose content cannot
be read is a W4 finding at that cell, not a refusal.

Longer than 400 lines because the read path is one piece: structure and settings, the three
cases of every result cell, the package's notes and cached values, and filing normalisation for
comparisons; issue 12 splits it along those seams.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbook.report_sheet import CONTENT_COLUMN, read_report_sheet
from workbook.report_sheet import HEADERS as REPORT_HEADERS
from workbook.report_sheet import SHEET_NAME as REPORT_SHEET
from xlfuncs.catalogue import RULES_BY_ID
from xlfuncs.filing import FORMAT, PROJECT_FUND_ROWS, FilingError, check_shape
from xlfuncs.findings import WARNING, Finding
from xlfuncs.outlines import report_pointer
from xlfuncs.profiles import DEFAULT_PROFILE, ProfileError, load_profile
from xlfuncs.values import clean_text

from .cellmodel import CellModel, is_blank
from .form_reading import FormReading, finish_results, is_empty_project, read_form
from .layouts import sheets as sheet_specs
from .layouts.cells import split_cell
from .layouts.forms import (
    DEPARTMENT_SHEET,
    FORM_TITLES,
    MAX_CAPACITY,
    PROJECT_PREFIX,
    FormLayout,
    check_limits,
    department_form,
    project_sheet,
)
from .layouts.locate import Locator, WorkbookShape
from .limits import MAX_SHEETS
from .normalise import normalise_filing
from .sheet_grid import SheetGrid, SheetSource, grid_rows

__all__ = ["SheetGrid", "WorkbookReading", "grid_rows", "normalise_filing", "read_grids", "read_workbook"]

_PROJECT_SHEET_RE = re.compile(r"^附件3-([0-9０-９]+)$")
# Filing values that exist only when filled (additive fields, helper-zone inputs).
_OPTIONAL = re.compile(r"/(adjust_reason|rate_reason|kind|band|grade)$|^/signoff/|/report/text$|^/department_report/")


@dataclass
class WorkbookReading:
    """A filing read from a master workbook, where each of its values sits, and what reading found."""

    filing: dict[str, Any]
    locate: Callable[[str], tuple[str, str] | None]
    findings: list[Finding]
    profile: str = DEFAULT_PROFILE
    shape: WorkbookShape | None = None
    model: CellModel | None = None  # the cells as read: inputs, and our formulas still in place
    forms: list[FormLayout] = field(default_factory=list)


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
    problem = grid.problems.get(cell)
    if problem:
        return FilingError(f"工作表“{form.sheet}”的 {cell}（应为“{expected}”）无法读取：{problem}；"
                           "文件已损坏或被其他程序改动，请在 Excel 或 WPS 中打开、另存后再读取")
    found = grid.get(cell)
    shown = "空白" if is_blank(found) else f"“{str(found)[:30]}”"
    return FilingError(f"工作表“{form.sheet}”的 {cell} 应为“{expected}”，实为{shown}：表格结构被改动"
                       "（插入或删除了行、改动了标签），或不是 perfeval 生成的主工作簿，无法读取")


def _check_anchors(form: FormLayout, grid: SheetGrid) -> list[Finding]:
    """FilingError when a label is not where the layout has it. A label whose cell cannot be read
    is passed over (W4) when the other labels show the structure is intact; when they do not (or
    none can be read: the file lost its shared strings) the first unreadable one is the error."""
    anchors = sorted(form.anchors, key=lambda a: split_cell(a[0])[1])
    unreadable = [(cell, expected) for cell, expected in anchors if cell in grid.problems]
    if unreadable and len(unreadable) == len(anchors):
        raise _structure_error(form, grid, *unreadable[0])
    for cell, expected in anchors:
        if cell not in grid.problems and _text(grid.get(cell)) != _text(expected):
            # with labels unreadable, the first of them is the likelier cause than a moved row
            raise _structure_error(form, grid, *(unreadable[0] if unreadable else (cell, expected)))
    return [Finding("W4", WARNING, form.pointer,  # a label only: no value is lost
                    f"{form.sheet} {cell} 的标签（应为“{expected}”）无法读取：{grid.problems[cell]}；"
                    "其余标签位置正确，已照常读取本表", expected=expected, actual=grid.problems[cell],
                    table=form.sheet).at(form.sheet, cell)
            for cell, expected in unreadable]


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


def _project_sheets(names: Sequence[str], grids: SheetSource) -> int:
    """The number of project forms (checked against the limit before any sheet is read);
    FilingError when one is missing or renamed."""
    numbers = sorted(int(m.group(1)) for m in map(_PROJECT_SHEET_RE.match, names) if m)
    check_limits(len(numbers), 0, "工作簿")
    for name in names:
        match = _PROJECT_SHEET_RE.match(name)
        if match and name != project_sheet(int(match.group(1))):
            raise FilingError(f"工作表“{name}”的名称应写作“{project_sheet(int(match.group(1)))}”"
                              "（数字不带前导 0，用半角数字）；请改名后再读取")
    known = {sheet_specs.GUIDE_SHEET, DEPARTMENT_SHEET, sheet_specs.SUMMARY_SHEET, sheet_specs.RESULTS_SHEET,
             sheet_specs.CONF_SHEET, REPORT_SHEET}
    for name in names:
        if name in known or _PROJECT_SHEET_RE.match(name):
            continue
        title = _text(grids.head(name, 2).get("A2"))
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


def _skeleton(department: FormReading, projects: list[FormReading]) -> dict[str, Any]:
    def table(reading: FormReading, project: bool) -> dict[str, Any]:
        fund_rows = PROJECT_FUND_ROWS if project else ("total",)
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


def _bad_addresses(sheet: str, pointer: str, grid: SheetGrid) -> list[Finding]:
    """W4 for the cells of a sheet the file gives an address that is no cell (they are not read)."""
    if not grid.bad_refs:
        return []
    shown = "、".join(f"“{ref}”" for ref in grid.bad_refs[:3]) + (" 等" if len(grid.bad_refs) > 3 else "")
    return [Finding("W4", RULES_BY_ID["W4"].severity, pointer,
                    f"工作表“{sheet}”中有 {len(grid.bad_refs)} 个单元格的地址无效（{shown}），这些单元格未读取；"
                    "文件可能被其他程序改动过，请在 Excel 或 WPS 中打开、核对并另存后再校验",
                    actual=grid.bad_refs[0], table=sheet).at(sheet, None)]


def _put_reports(filing: dict[str, Any], grid: SheetGrid | None, projects: int, findings: list[Finding]) -> None:
    """Report texts from the 自评报告 sheet (absent sheet or empty sections: no text)."""
    if grid is None:
        return
    findings.extend(_bad_addresses(REPORT_SHEET, "/department_report/text", grid))
    for cell, problem in sorted(grid.problems.items()):
        if cell.startswith(CONTENT_COLUMN) and cell[len(CONTENT_COLUMN):].isdigit():
            pointer = report_pointer(_text(grid.get(f"A{cell[len(CONTENT_COLUMN):]}"))) or "/department_report/text"
            findings.append(Finding("W4", RULES_BY_ID["W4"].severity, pointer,
                                    f"{REPORT_SHEET} {cell} 的内容无法读取：{problem}；按空白读取，请重新填写此格",
                                    actual=problem, table=REPORT_SHEET).at(REPORT_SHEET, cell))
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
    sheets = SheetSource.of(grids)
    names = list(sheets)
    if DEPARTMENT_SHEET not in sheets:
        for name in names[:MAX_SHEETS]:
            if _text(sheets.head(name, 2).get("A2")) == FORM_TITLES["department"]:
                raise FilingError(f"{source}中没有工作表“{DEPARTMENT_SHEET}”；工作表“{name}”像是附件1"
                                  f"（可能被改名），请改回“{DEPARTMENT_SHEET}”后再读取")
        raise FilingError(f"{source}中没有工作表“{DEPARTMENT_SHEET}”，不是 perfeval 主工作簿"
                          f"（现有工作表：{'、'.join(names[:8]) or '无'}）")
    count = _project_sheets(names, sheets)
    settings = _settings(sheets)
    profile = _profile(settings, base)
    capacity = _capacity(settings, sheets[DEPARTMENT_SHEET])
    shape = WorkbookShape(max(count, 1), capacity, profile)
    forms = shape.forms()[: count + 1]
    model = CellModel(profile if shape.profile_arg else None)
    readings = []
    master_only = {sheet_specs.GUIDE_SHEET, sheet_specs.SUMMARY_SHEET, sheet_specs.RESULTS_SHEET,
                   sheet_specs.CONF_SHEET, REPORT_SHEET}
    for form in forms:
        grid = sheets[form.sheet]
        try:
            label_findings = _check_anchors(form, grid)
        except FilingError:
            if master_only & set(names):
                raise
            raise FilingError(f"{source}像是导出的绩效自评表（只有数值，各表行数按内容压缩），不是主工作簿；"
                              "请对主工作簿或填报 JSON 运行 perfeval") from None
        readings.append(read_form(form, grid, model))
        readings[-1].findings.extend(label_findings + _bad_addresses(form.sheet, form.pointer, grid))
    for reading in readings:
        finish_results(reading, model)
    department, projects = readings[0], readings[1:]
    while projects and is_empty_project(projects[-1]):
        projects.pop()
    filing = _skeleton(department, projects)
    findings: list[Finding] = []
    for reading in [department, *projects]:
        for pointer, value in reading.values.items():
            if value is None and _OPTIONAL.search(pointer):
                continue
            _put(filing, pointer, value)
        findings.extend(reading.findings)
    _put_reports(filing, sheets.get(REPORT_SHEET), len(projects), findings)
    check_shape(filing, source)
    shape.indicator_rows = {r.form.pointer: r.rows for r in readings}
    locator = Locator(shape, forms)
    return WorkbookReading(filing, locator, findings, profile, shape, model, forms)




def read_workbook(path: str | Path) -> WorkbookReading:
    """Read a master workbook file (.xlsx/.xlsm) into a filing; the file is only read, never changed."""
    from .package_read import check_file, grids_from_file

    path = Path(path)
    check_file(path)
    grids = grids_from_file(path)
    try:
        return read_grids(grids, source=f"“{path.name}”", base=path.parent)
    except ProfileError as exc:
        raise FilingError(str(exc)) from None
    finally:
        grids.close()
