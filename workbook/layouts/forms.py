"""附件1 and 附件3-N laid out: every label, input, formula and helper cell, with its address.

A form is laid out in three bands: the fixed top (title, unit, funds block, 年度总体目标),
the indicator table (``capacity`` rows, the same for every form of a workbook) and the bottom
(总分, the signature line). Columns A–I are the official form and the print area; columns K–N
to their right are the helper zone (指标性质, 评价档次, 评分说明, category, checks, the probe),
never printed.

Every address is written here once; the builder, the reader, :mod:`.locate` and :mod:`.sheets`
all take it from :func:`department_form` / :func:`project_form` (by pointer, block or key).
The arithmetic is native formulas from :mod:`.rule_formulas`; the UDF cells are guarded by
the sheet's probe (:data:`~.form_model.PROBE_CELL`). Slightly over 400 lines: both official forms,
every address of them, in one file — that is the point of writing each address once.
"""

from __future__ import annotations

from xlfuncs.filing import (
    COLUMN_LABELS,
    EXPENSE_KEYS,
    EXPENSE_LABELS,
    FUND_ROW_LABELS,
    INCOME_KEYS,
    INCOME_LABELS,
    INDICATOR_LABELS,
)
from xlfuncs.profile_text import render
from xlfuncs.profiles import DEFAULT_PROFILE

from ..limits import MAX_CAPACITY, MAX_PROJECTS
from . import rule_formulas as rules
from .expr import Expr, Ref, Text
from .form_model import (
    AMOUNT,
    CATEGORY_KEYWORDS,
    CATEGORY_LABELS,
    HELPER_COLUMNS,
    INDICATOR_COLUMNS,
    POINTS,
    PRINT_LAST_COLUMN,
    PROBE_CELL,
    PROBE_LABEL,
    RATE,
    TEXT,
    YEAR,
    Calc,
    Conditional,
    Field,
    FormLayout,
    Static,
    Validation,
)
from .shapes import Category, HeadingCheck, WhenFilled, link

__all__ = ["AMOUNT", "CATEGORY_KEYWORDS", "CATEGORY_LABELS", "Calc", "Category", "Conditional",
           "DEFAULT_CAPACITY", "DEPARTMENT_SHEET", "MAX_CAPACITY", "MAX_PROJECTS", "check_limits", "Field", "FormLayout", "HELPER_COLUMNS", "INDICATOR_COLUMNS",
           "POINTS", "PRINT_LAST_COLUMN", "PROJECT_PREFIX", "RATE", "SPARE_ROWS", "SUMMARY_SHEET", "Static", "TEXT",
           "WIDTHS", "YEAR", "capacity_for", "department_form", "project_form", "project_sheet"]

DEPARTMENT_SHEET = "附件1"
SUMMARY_SHEET = "项目汇总"
PROJECT_PREFIX = "附件3-"
DEFAULT_CAPACITY = 15  # indicator rows of a blank workbook
DEPARTMENT_HEADER_ROW, PROJECT_HEADER_ROW = 15, 14  # the indicator table header of each form
DEPARTMENT_FUNDS_ROW, PROJECT_FUNDS_ROW = 7, 8
SPARE_ROWS = 5  # empty indicator rows kept below the last one a filing uses
HELPER_TITLE = "核对与说明（不打印）"
PROBE_TEXT = "perfeval 函数（未载入时指标得分等显示“待计算”）"

FORM_TITLES = {"department": "部门整体支出绩效自评表", "project": "项目支出绩效自评表"}
UNIT_LABEL = "填报单位（盖章）："
FOOTER = (("A", "填报人：", "preparer", "B"), ("C", "联系电话：", "phone", "D"),
          ("E", "填报日期：", "date", "F"), ("G:H", "单位负责人签字：", "head", "I"))
FUND_VALUE_COLUMNS = (("initial", "D"), ("full_year", "E"), ("executed", "F"),
                      ("points", "G"), ("rate", "H"), ("score", "I"))
HELPER_HEADERS = {"kind": "指标性质", "band": "评价档次", "explain": "评分说明（按规则计算）", "category": "类别"}
WIDTHS = {"A": 10, "B": 12, "C": 12, "D": 18, "E": 14, "F": 14, "G": 8, "H": 10, "I": 22,
          "J": 2, "K": 10, "L": 34, "M": 64, "N": 6}
LEVEL2_CHOICES = ("数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标",
                  "生态效益指标", "可持续影响指标", "服务对象满意度指标")
KIND_CHOICES = ("自动", "正向", "反向", "等于", "约", "定性")


def project_sheet(number: int) -> str:
    """The sheet name of the n-th project form: ``附件3-n``."""
    return f"{PROJECT_PREFIX}{number}"


def capacity_for(counts: list[int]) -> int:
    """Indicator rows per form for a filing whose tables use ``counts`` rows."""
    return max(DEFAULT_CAPACITY, max(counts, default=0) + SPARE_ROWS)


def check_limits(projects: int, capacity: int, where: str) -> None:
    """FilingError (Chinese) when a workbook would hold more project forms or indicator rows than
    perfeval builds and reads (:data:`MAX_PROJECTS`, :data:`MAX_CAPACITY`)."""
    from xlfuncs.filing import FilingError

    if projects > MAX_PROJECTS:
        raise FilingError(f"{where}有 {projects} 个项目，主工作簿最多 {MAX_PROJECTS} 张项目表（附件3-1 至 "
                          f"附件3-{MAX_PROJECTS}）；项目更多时请分成几个工作簿，或直接校验填报 JSON")
    if capacity > MAX_CAPACITY:
        raise FilingError(f"{where}的一张表有 {capacity} 行绩效指标，主工作簿每张表最多 {MAX_CAPACITY} 行")


class _Sheet:
    """Collects the cells of one form while it is laid out."""

    def __init__(self, layout: FormLayout) -> None:
        self.layout = layout

    def label(self, ref: str, text: str | None, style: str = "label") -> None:
        self.layout.statics.append(Static(ref, text, style))

    def field(self, pointer: str, ref: str, kind: str, style: str, **extra) -> None:
        self.layout.fields.append(Field(pointer, ref, kind, style, **extra))

    def calc(self, ref: str, formula: Expr, style: str, role: str, key: str = "") -> None:
        self.layout.calcs.append(Calc(ref, formula, style, role, key))

    def helper(self, row: int, text: str, formula: Expr | None = None, *, style: str = "h_check",
               role: str = "check", key: str = "") -> None:
        """A helper-zone row: label in K:L, formula in M."""
        self.label(f"K{row}:L{row}", text, "h_label")
        if formula is not None:
            self.calc(f"M{row}", formula, style, role, key)

    def check(self, row: int, text: str, guard: tuple[Ref, ...], expected: tuple[Ref, ...],
              actual: tuple[Ref, ...], tolerance: float, key: str = "") -> None:
        """A helper-zone equality check, empty while ``guard`` is empty."""
        self.helper(row, text, WhenFilled(guard, Text(""), rules.check_equal(expected, actual, tolerance)), key=key)


def _header(s: _Sheet, tag: str, title: str, year_style: str) -> None:
    s.label("A1", tag, "tag")
    s.label(f"A2:{PRINT_LAST_COLUMN}2", title, "title")
    s.layout.heights.update({1: 22, 2: 30, 3: 22, 4: 24})
    if year_style == "year":
        s.field("/year", f"A3:{PRINT_LAST_COLUMN}3", YEAR, "year", validation="year")
    else:
        s.calc(f"A3:{PRINT_LAST_COLUMN}3", link(Ref("A3", DEPARTMENT_SHEET)), "year_link", "link")
    s.label("A4:B4", UNIT_LABEL, "unit_label")
    s.label(PROBE_LABEL, PROBE_TEXT, "h_label")
    s.calc(PROBE_CELL, rules.probe(s.layout.udf_inputs()), "h_probe", "probe", "probe")


def _funds_header(s: _Sheet, row: int) -> None:
    s.label(f"B{row}:C{row}", None)
    for key, column in FUND_VALUE_COLUMNS:
        s.label(f"{column}{row}", COLUMN_LABELS[key], "head")
    s.layout.heights[row] = 22


def _funds_total(s: _Sheet, row: int) -> None:
    """The 年度资金总额 row: amounts and points typed, 执行率 and 得分 by formula."""
    lay = s.layout
    base = f"{lay.pointer}/funds/total"
    s.label(f"B{row}:C{row}", FUND_ROW_LABELS["total"])
    lay.blocks[f"{lay.pointer}/funds"] = f"B{row}"
    for key, column in FUND_VALUE_COLUMNS[:3]:
        s.field(f"{base}/{key}", f"{column}{row}", AMOUNT, "in_amount", validation="amount")
    s.field(f"{base}/points", f"G{row}", POINTS, "in_points", validation="points")
    amounts = (Ref(f"D{row}:F{row}"),)
    initial, budget, executed, points = (Ref(f"{c}{row}") for c in "DEFG")
    rate = WhenFilled(amounts, Text(""), rules.rate(executed, budget))
    score = WhenFilled(amounts, Text(""), rules.budget_score(executed, budget, points, lay.rules))
    s.field(f"{base}/rate", f"H{row}", RATE, "fx_rate", formula=rate, claim_style="claim_rate")
    s.field(f"{base}/score", f"I{row}", POINTS, "fx_points", formula=score, claim_style="claim_points")
    lay.heights[row] = 24
    # helper zone: the rate against 年初预算数 and the reasons the checks look for
    s.label(f"K{row - 1}:M{row - 1}", HELPER_TITLE, "h_head")
    s.helper(row, "按年初预算数计的执行率", WhenFilled(amounts, Text(""), rules.rate(executed, initial)),
             style="h_rate", role="rate", key="rate_initial")
    s.label(f"K{row + 1}:L{row + 1}", "预算调整原因（年初≠全年时填写）", "h_label")
    s.field(f"{base}/adjust_reason", f"M{row + 1}", TEXT, "h_in")
    s.label(f"K{row + 2}:L{row + 2}", render("执行率偏低原因（低于{low_rate}时填写）", lay.rules), "h_label")
    s.field(f"{base}/rate_reason", f"M{row + 2}", TEXT, "h_in")


def _goal(s: _Sheet, row: int) -> None:
    lay = s.layout
    base = f"{lay.pointer}/goal"
    s.label(f"A{row}:A{row + 1}", "年度总体目标", "block")
    lay.blocks[base] = f"A{row}"
    s.label(f"B{row}:E{row}", "预期目标", "head")
    s.label(f"F{row}:{PRINT_LAST_COLUMN}{row}", "实际完成情况", "head")
    s.field(f"{base}/expected", f"B{row + 1}:E{row + 1}", TEXT, "in_text")
    s.field(f"{base}/actual", f"F{row + 1}:{PRINT_LAST_COLUMN}{row + 1}", TEXT, "in_text")
    lay.heights.update({row: 22, row + 1: 60})


def _indicator_table(s: _Sheet) -> None:
    lay = s.layout
    h = lay.header_row
    s.label(f"A{h}:A{lay.last_row}", "绩效指标", "block")
    lay.blocks[f"{lay.pointer}/indicators"] = f"B{h}"
    for key, column in INDICATOR_COLUMNS:
        s.label(f"{column}{h}", INDICATOR_LABELS[key], "head")
    for key, column in HELPER_COLUMNS.items():
        s.label(f"{column}{h}", HELPER_HEADERS[key], "h_head")
    lay.heights[h] = 30
    for row in lay.indicator_rows:
        lay.heights[row] = 30
    first, last = lay.first_row, lay.last_row
    kind, band = HELPER_COLUMNS["kind"], HELPER_COLUMNS["band"]
    lay.validations += [Validation(f"B{first}:B{last}", "level1"), Validation(f"C{first}:C{last}", "level2"),
                        Validation(f"G{first}:G{last}", "points"), Validation(f"{kind}{first}:{kind}{last}", "kind"),
                        Validation(f"{band}{first}:{band}{last}", "band")]
    lay.conditionals += [Conditional(f"H{first}:H{last}", f"=COUNTA($B{first}:$G{first},$I{first})=0", "hide_value")]


def _total(s: _Sheet) -> None:
    """总分 row: the filed points, the total (native, capped by the rate where the profile says)
    and, in the helper zone, the grade."""
    lay = s.layout
    t, first, last, fr = lay.total_row, lay.first_row, lay.last_row, lay.funds_row
    base = f"{lay.pointer}/total"
    s.label(f"A{t}:F{t}", "总分", "head")
    lay.blocks[base] = f"A{t}"
    s.field(f"{base}/points", f"G{t}", POINTS, "in_points", validation="points")
    guard = (Ref(f"D{fr}:F{fr}"), *lay.table_refs())
    scores = (Ref(f"I{fr}"), Ref(f"H{first}:H{last}"))
    rate = rules.rate(Ref(f"F{fr}"), Ref(f"E{fr}"))
    total = WhenFilled(guard, Text(""), rules.table_total(scores, lay.capacity + 1, rate, lay.rules, lay.probe))
    s.field(f"{base}/score", f"H{t}", POINTS, "fx_points", formula=total, claim_style="claim_points")
    s.label(f"I{t}", None)
    lay.heights[t] = 24
    s.label(f"K{t}:L{t}", "自评等级", "h_label")
    points = (Ref(f"G{fr}"), Ref(f"G{first}:G{last}"))
    grade = WhenFilled(guard, Text(""), rules.grade(Ref(f"H{t}"), points, lay.table_refs(), lay.rules))
    s.field(f"{base}/grade", f"M{t}", TEXT, "h_check", formula=grade, claim_style="h_claim",
            filed_when_formula=False)


def _checks(s: _Sheet) -> None:
    """Below the total, in the helper zone: the points total and the per-heading checks."""
    lay = s.layout
    t, f, first, last = lay.total_row, lay.footer_row, lay.first_row, lay.last_row
    s.check(f, "分值合计（预算执行＋各指标）＝总分行分值", (Ref(f"G{t}"),), (Ref(f"G{t}"),),
            (Ref(f"G{lay.funds_row}"), Ref(f"G{first}:G{last}")), lay.rules.score_tolerance, key="points_check")
    cats = Ref(f"{HELPER_COLUMNS['category']}{first}:{HELPER_COLUMNS['category']}{last}")
    for offset, word in enumerate(CATEGORY_KEYWORDS, start=1):
        check = HeadingCheck(word, cats, Ref(f"B{first}:B{last}"), Ref(f"G{first}:G{last}"), lay.profile_arg,
                             lay.probe)
        s.helper(f + offset, f"{CATEGORY_LABELS[word]}：各行分值之和＝一级指标分值", check, key=f"heading:{word}")
    lay.conditionals.append(Conditional(f"M{f}:M{f + len(CATEGORY_KEYWORDS)}", f'=AND(M{f}<>"✓",M{f}<>"")',
                                        "problem"))


def _footer(s: _Sheet, department: bool, department_footer: int) -> None:
    lay = s.layout
    f = lay.footer_row
    for label_ref, text, key, value_col in FOOTER:
        left, _, right = label_ref.partition(":")
        s.label(f"{left}{f}" + (f":{right}{f}" if right else ""), text, "foot_label")
        ref = f"{value_col}{f}"
        if department:
            s.field(f"/signoff/{key}", ref, TEXT, "foot_in")
        else:  # the signature line is filled once, on 附件1
            s.calc(ref, link(Ref(f"{value_col}{department_footer}", DEPARTMENT_SHEET)), "foot_link", "link")
    if department:
        lay.blocks["/signoff"] = f"A{f}"
    lay.heights[f] = 28


def _bottom(s: _Sheet, department: bool, department_footer: int = 0) -> None:
    lay = s.layout
    _total(s)
    _checks(s)
    _footer(s, department, department_footer)
    lay.anchors += [("A2", FORM_TITLES["department" if department else "project"]),
                    (f"B{lay.funds_row}", FUND_ROW_LABELS["total"]),
                    (f"B{lay.header_row}", INDICATOR_LABELS["level1"]),
                    (f"A{lay.total_row}", "总分"), (f"A{lay.footer_row}", FOOTER[0][1])]
    lay.conditionals.append(Conditional(f"H{lay.funds_row}:I{lay.funds_row}", "errors", "problem"))
    lay.conditionals.append(Conditional(f"H{lay.first_row}:H{lay.total_row}", "errors", "problem"))
    lay.conditionals.append(Conditional(PROBE_CELL, f"={PROBE_CELL}<>1", "problem"))


def _rows(top: int, capacity: int) -> dict[str, int]:
    """Rows of the bottom band for a form whose indicator header is ``top``."""
    total = top + capacity + 1
    return {"header_row": top, "total_row": total, "footer_row": total + 1}


def _department_funds(s: _Sheet, summary_rows: tuple[int, int] | None) -> None:
    """附件1's funds block: the total row, 按收入性质分 and 按支出性质分, and their checks."""
    lay = s.layout
    s.label("A6:A12", "年度预算申请\n（万元）", "block")
    _funds_header(s, 6)
    _funds_total(s, DEPARTMENT_FUNDS_ROW)
    s.label("B8:C8", "按收入性质分", "head")
    lay.blocks["/department/funds/by_income"] = "B8"
    s.label("D8:E8", None)
    s.label("F8:G8", "按支出性质分", "head")
    lay.blocks["/department/funds/by_expense"] = "F8"
    s.label("H8:I8", None)
    for i, key in enumerate(INCOME_KEYS):
        row = 9 + i
        s.label(f"B{row}:C{row}", ("其中：" if i == 0 else "") + INCOME_LABELS[key])
        s.field(f"/department/funds/by_income/{key}", f"D{row}:E{row}", AMOUNT, "in_amount", validation="amount")
        lay.heights[row] = 22
        if i < len(EXPENSE_KEYS):
            expense = EXPENSE_KEYS[i]
            s.label(f"F{row}:G{row}", ("其中：" if i == 0 else "") + EXPENSE_LABELS[expense])
            s.field(f"/department/funds/by_expense/{expense}", f"H{row}:I{row}", AMOUNT, "in_amount",
                    validation="amount")
        else:
            s.label(f"F{row}:G{row}", None)
            s.label(f"H{row}:I{row}", None)
    lay.heights[8] = 22
    tol = lay.rules.amount_tolerance
    budget = (Ref(lay.cell("funds/total/full_year")),)
    income = (Ref(f"D9:D{8 + len(INCOME_KEYS)}"),)
    expense = (Ref(f"H9:H{8 + len(EXPENSE_KEYS)}"),)
    project = (Ref(lay.cell("funds/by_expense/project")),)
    s.check(10, "收入性质各项之和＝年度资金总额（全年预算数）", income, budget, income, tol, key="income_check")
    s.check(11, "基本支出＋项目支出＝年度资金总额（全年预算数）", expense, budget, expense, tol, key="expense_check")
    if summary_rows:
        first, last = summary_rows
        from .sheets import SUMMARY_COLUMN_OF

        for row, key in ((12, "full_year"), (13, "executed")):
            column = SUMMARY_COLUMN_OF[key]
            s.check(row, f"各项目（附件3）{COLUMN_LABELS[key]}之和＝项目支出", project, project,
                    (Ref(f"{column}{first}:{column}{last}", SUMMARY_SHEET),), tol, key=f"projects_{key}")
    lay.conditionals.append(Conditional("M10:M13", '=AND(M10<>"✓",M10<>"")', "problem"))


def department_form(capacity: int = DEFAULT_CAPACITY, projects: int = 1, profile: str = DEFAULT_PROFILE,
                    summary_rows: tuple[int, int] | None = None) -> FormLayout:
    """附件1 部门整体支出绩效自评表.

    ``summary_rows`` are the first and last project rows of 项目汇总 (for the checks of the
    projects against 项目支出); None leaves those checks out (the values-only export).
    """
    lay = FormLayout(DEPARTMENT_SHEET, 0, "/department", capacity, funds_row=DEPARTMENT_FUNDS_ROW, profile=profile,
                     **_rows(DEPARTMENT_HEADER_ROW, capacity))
    s = _Sheet(lay)
    _header(s, "附件1", FORM_TITLES["department"], "year")
    s.field("/unit", f"C4:{PRINT_LAST_COLUMN}4", TEXT, "unit")
    s.label("A5", "预算部门名称")
    s.field("/department/name", f"B5:{PRINT_LAST_COLUMN}5", TEXT, "in_text")
    lay.blocks["/department"] = "B5"
    lay.heights[5] = 24
    _department_funds(s, summary_rows)
    _goal(s, 13)
    _indicator_table(s)
    _bottom(s, department=True)
    t = lay.total_row
    lay.validations += [Validation("D7:F7", "amount"), Validation("G7", "points"), Validation("D9:E12", "amount"),
                        Validation("H9:I10", "amount"), Validation(f"G{t}", "points"),
                        Validation(f"A3:{PRINT_LAST_COLUMN}3", "year")]
    names = (("填报年度", "/year"), ("填报单位", "/unit"), ("部门_年初预算数", "funds/total/initial"),
             ("部门_全年预算数", "funds/total/full_year"), ("部门_全年执行数", "funds/total/executed"),
             ("部门_执行率", "funds/total/rate"), ("部门_预算执行得分", "funds/total/score"),
             ("部门_基本支出", "funds/by_expense/basic"), ("部门_项目支出", "funds/by_expense/project"),
             ("部门_总分", "total/score"), ("部门_等级", "total/grade"))
    lay.names += [(name, lay.cell(key)) for name, key in names]
    lay.anchors.append(("B8", "按收入性质分"))
    return lay


def project_form(number: int, capacity: int = DEFAULT_CAPACITY, profile: str = DEFAULT_PROFILE,
                 department_footer: int | None = None) -> FormLayout:
    """附件3-``number`` 项目支出绩效自评表; ``department_footer`` is 附件1's signature row (its
    default: 附件1 laid out with the same ``capacity``)."""
    base = f"/projects/{number - 1}"
    lay = FormLayout(project_sheet(number), number, base, capacity, funds_row=PROJECT_FUNDS_ROW, profile=profile,
                     **_rows(PROJECT_HEADER_ROW, capacity))
    if department_footer is None:
        department_footer = _rows(DEPARTMENT_HEADER_ROW, capacity)["footer_row"]
    s = _Sheet(lay)
    _header(s, project_sheet(number), FORM_TITLES["project"], "year_link")
    s.calc(f"C4:{PRINT_LAST_COLUMN}4", link(Ref("C4", DEPARTMENT_SHEET)), "unit_link", "link")
    s.label("A5", "项目支出名称")
    s.field(f"{base}/name", f"B5:{PRINT_LAST_COLUMN}5", TEXT, "in_text")
    lay.blocks[base] = "B5"
    s.label("A6", "主管部门")
    s.field(f"{base}/competent_department", "B6:E6", TEXT, "in_text")
    s.label("F6:G6", "实施单位")
    s.field(f"{base}/implementing_unit", "H6:I6", TEXT, "in_text")
    lay.heights.update({5: 24, 6: 24})
    s.label("A7:A11", "项目资金\n（万元）", "block")
    _funds_header(s, 7)
    _funds_total(s, PROJECT_FUNDS_ROW)
    sources = ("current_year", "carried_over", "other")
    for row, key in zip((9, 10, 11), sources, strict=True):
        fund = f"{base}/funds/{key}"
        s.label(f"B{row}:C{row}", FUND_ROW_LABELS[key])
        lay.blocks[fund] = f"B{row}"
        for column_key, column in FUND_VALUE_COLUMNS[:3]:
            s.field(f"{fund}/{column_key}", f"{column}{row}", AMOUNT, "in_amount", validation="amount")
        s.field(f"{fund}/points", f"G{row}", POINTS, "in_points", validation="points_or_dash")
        s.field(f"{fund}/rate", f"H{row}", RATE, "in_rate", validation="rate_or_dash")
        s.field(f"{fund}/score", f"I{row}", POINTS, "in_points", validation="points_or_dash")
        lay.heights[row] = 22
    for row, (key, column) in zip((11, 12, 13), FUND_VALUE_COLUMNS[:3], strict=True):
        parts = (Ref(f"{column}9:{column}11"),)
        s.check(row, f"{COLUMN_LABELS[key]}：年度资金总额＝各来源之和", (Ref("D9:F11"),), (Ref(f"{column}8"),),
                parts, lay.rules.amount_tolerance, key=f"sources_{key}")
    lay.conditionals.append(Conditional("M11:M13", '=AND(M11<>"✓",M11<>"")', "problem"))
    _goal(s, 12)
    _indicator_table(s)
    _bottom(s, department=False, department_footer=department_footer)
    lay.validations += [Validation("D8:F11", "amount"), Validation("G8", "points"),
                        Validation(f"G{lay.total_row}", "points")]
    n = number
    names = ((f"项目{n}_全年预算数", "funds/total/full_year"), (f"项目{n}_全年执行数", "funds/total/executed"),
             (f"项目{n}_执行率", "funds/total/rate"), (f"项目{n}_预算执行得分", "funds/total/score"),
             (f"项目{n}_总分", "total/score"))
    lay.names += [(name, lay.cell(key)) for name, key in names]
    lay.anchors.append(("A5", "项目支出名称"))
    return lay
