"""附件1 and 附件3-N as data: every label, input, formula and helper cell, with its address.

A form is laid out in three bands: the fixed top (title, unit, funds block, 年度总体目标),
the indicator table (``capacity`` rows, the same for every form of a workbook) and the bottom
(总分, the signature line, then outside the print area the 自评报告 text). Columns A–I are
the official form and the print area; columns K–N to their right are the helper zone
(指标性质, 评价档次, 评分说明, category, checks), never printed.

Every address is written here once; the builder, the reader and :mod:`.locate` all take it
from :func:`department_form` / :func:`project_form`. That is why this module is long (over 400
lines): both official forms, every address of them, in one file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xlfuncs.checks.points import CATEGORY_WORDS
from xlfuncs.filing import (
    COLUMN_LABELS,
    EXPENSE_KEYS,
    EXPENSE_LABELS,
    FUND_ROW_LABELS,
    INCOME_KEYS,
    INCOME_LABELS,
    INDICATOR_LABELS,
)

from .expr import (
    Category,
    Expr,
    HeadingCheck,
    Num,
    Ref,
    Sum,
    Text,
    UnlessBlank,
    WhenFilled,
    check_equal,
    link,
    udf,
)

# Kinds of filing values: how a cell value is written and compared.
TEXT, AMOUNT, POINTS, RATE, YEAR = "text", "amount", "points", "rate", "year"

DEPARTMENT_SHEET = "附件1"
SUMMARY_SHEET = "项目汇总"
PROJECT_PREFIX = "附件3-"
DEFAULT_CAPACITY = 15  # indicator rows of a blank workbook
DEPARTMENT_HEADER_ROW, PROJECT_HEADER_ROW = 15, 14  # the indicator table header of each form
SPARE_ROWS = 5  # empty indicator rows kept below the last one a filing uses
PRINT_LAST_COLUMN = "I"
HELPER_TITLE = "核对与说明（不打印）"

FORM_TITLES = {"department": "部门整体支出绩效自评表", "project": "项目支出绩效自评表"}
UNIT_LABEL = "填报单位（盖章）："
FOOTER = (("A", "填报人：", "preparer", "B"), ("C", "联系电话：", "phone", "D"),
          ("E", "填报日期：", "date", "F"), ("G:H", "单位负责人签字：", "head", "I"))
FUND_VALUE_COLUMNS = (("initial", "D"), ("full_year", "E"), ("executed", "F"),
                      ("points", "G"), ("rate", "H"), ("score", "I"))
INDICATOR_COLUMNS = (("level1", "B"), ("level2", "C"), ("level3", "D"), ("target", "E"),
                     ("actual", "F"), ("points", "G"), ("score", "H"), ("deviation", "I"))
HELPER_COLUMNS = {"kind": "K", "band": "L", "explain": "M", "category": "N"}
HELPER_HEADERS = {"kind": "指标性质", "band": "评价档次", "explain": "评分说明（按规则计算）", "category": "类别"}
WIDTHS = {"A": 10, "B": 12, "C": 12, "D": 18, "E": 14, "F": 14, "G": 8, "H": 10, "I": 22,
          "J": 2, "K": 10, "L": 34, "M": 64, "N": 6}
LEVEL2_CHOICES = ("数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标",
                  "生态效益指标", "可持续影响指标", "服务对象满意度指标")
KIND_CHOICES = ("自动", "正向", "反向", "等于", "约", "定性")
CATEGORY_KEYWORDS = tuple(word for word, _, _ in CATEGORY_WORDS)
CATEGORY_LABELS = {word: label for word, _, label in CATEGORY_WORDS}


@dataclass(frozen=True)
class Static:
    """A label (or an empty styled cell) of the form; a range is merged."""

    ref: str
    text: str | None
    style: str


@dataclass(frozen=True)
class Field:
    """A cell holding one filing value (input, or a result computed by a formula).

    A result (``formula`` set) is a formula cell unless the filing's value differs from what
    the formula gives; then the builder writes the filed value as a constant (``claim_style``)
    and the reader reads it back as filed. ``filed_when_formula`` False (the grade) means a
    live formula is a helper, not a filed value.
    """

    pointer: str
    ref: str
    kind: str
    style: str
    formula: Expr | None = None
    claim_style: str = ""
    validation: str = ""
    filed_when_formula: bool = True

    @property
    def cell(self) -> str:
        """The cell that holds the value (top-left of a merged range)."""
        return self.ref.split(":")[0]

    @property
    def is_result(self) -> bool:
        """True for a formula cell (a filed result)."""
        return self.formula is not None


@dataclass(frozen=True)
class Calc:
    """A formula cell that is not a filing value: a link, an explanation, a check."""

    ref: str
    formula: Expr
    style: str
    role: str  # "link", "explain", "category", "check", "rate"

    @property
    def cell(self) -> str:
        """The cell that holds the formula."""
        return self.ref.split(":")[0]


@dataclass(frozen=True)
class Validation:
    """A data validation rule over a range (rules by name, see the builder)."""

    ref: str
    rule: str


@dataclass(frozen=True)
class Conditional:
    """A conditional format: ``criteria`` is a formula for the range's top-left cell."""

    ref: str
    criteria: str
    style: str


@dataclass
class FormLayout:
    """One form sheet (附件1 or 附件3-N) with all its addresses resolved."""

    sheet: str
    number: int  # 0 for 附件1, n for 附件3-n
    pointer: str  # "/department" or "/projects/<n-1>"
    capacity: int
    funds_row: int  # the 年度资金总额 row
    header_row: int  # the indicator table header
    total_row: int
    footer_row: int
    statics: list[Static] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)
    calcs: list[Calc] = field(default_factory=list)
    validations: list[Validation] = field(default_factory=list)
    conditionals: list[Conditional] = field(default_factory=list)
    heights: dict[int, float] = field(default_factory=dict)
    names: list[tuple[str, str]] = field(default_factory=list)
    anchors: list[tuple[str, str]] = field(default_factory=list)
    profile_arg: bool = False

    @property
    def is_department(self) -> bool:
        """True for 附件1."""
        return self.number == 0

    @property
    def first_row(self) -> int:
        """The first indicator row."""
        return self.header_row + 1

    @property
    def last_row(self) -> int:
        """The last indicator row."""
        return self.header_row + self.capacity

    @property
    def indicator_rows(self) -> range:
        """Every indicator row of the table."""
        return range(self.first_row, self.last_row + 1)

    @property
    def print_area(self) -> str:
        """The official form: A1 to the signature line."""
        return f"A1:{PRINT_LAST_COLUMN}{self.footer_row}"

    def used_refs(self, row: int) -> tuple[Ref, ...]:
        """The cells that make an indicator row used (any of them not empty, as ``COUNTA`` counts):
        一级指标 … 分值 and 偏差原因. 指标性质/评价档次 alone do not."""
        return Ref(f"B{row}:G{row}"), Ref(f"I{row}")

    def indicator_fields(self, row: int, index: int | None) -> list[Field]:
        """The filing values of one indicator row; ``index`` is its place in the filing."""
        base = f"{self.pointer}/indicators/{index if index is not None else row - self.first_row}"
        p = self.profile_arg
        target, actual, points, name = Ref(f"E{row}"), Ref(f"F{row}"), Ref(f"G{row}"), Ref(f"D{row}")
        kind, band = Ref(f"{HELPER_COLUMNS['kind']}{row}"), Ref(f"{HELPER_COLUMNS['band']}{row}")
        score = WhenFilled(self.used_refs(row), Num(0),
                           udf("PERF_SCORE", target, actual, points, kind, band, name, profile=p))
        styles = {"level1": ("in_center", "level1"), "level2": ("in_center", "level2"),
                  "level3": ("in_text", ""), "target": ("in_center", ""), "actual": ("in_center", ""),
                  "points": ("in_points", "points"), "deviation": ("in_text", "")}
        out = []
        for key, column in INDICATOR_COLUMNS:
            if key == "score":
                out.append(Field(f"{base}/score", f"{column}{row}", POINTS, "fx_points", score,
                                 "claim_points"))
                continue
            style, rule = styles[key]
            out.append(Field(f"{base}/{key}", f"{column}{row}", POINTS if key == "points" else TEXT,
                             style, validation=rule))
        out.append(Field(f"{base}/kind", f"{HELPER_COLUMNS['kind']}{row}", TEXT, "h_in_center", validation="kind"))
        out.append(Field(f"{base}/band", f"{HELPER_COLUMNS['band']}{row}", TEXT, "h_in", validation="band"))
        return out

    def indicator_calcs(self, row: int) -> list[Calc]:
        """The helper formulas of one indicator row: 评分说明 and the level-1 category."""
        p = self.profile_arg
        args = (Ref(f"E{row}"), Ref(f"F{row}"), Ref(f"G{row}"), Ref(f"{HELPER_COLUMNS['kind']}{row}"),
                Ref(f"{HELPER_COLUMNS['band']}{row}"), Ref(f"D{row}"))
        explain = WhenFilled(self.used_refs(row), Text(""), udf("PERF_EXPLAIN", *args, profile=p))
        cat_col = HELPER_COLUMNS["category"]
        above = Ref(f"{cat_col}{row - 1}") if row > self.first_row else None
        category = Category(Ref(f"B{row}"), above, self.used_refs(row), CATEGORY_KEYWORDS)
        return [Calc(f"{HELPER_COLUMNS['explain']}{row}", explain, "h_calc", "explain"),
                Calc(f"{cat_col}{row}", category, "h_check", "category")]

    def all_fields(self, rows: list[int] | None = None) -> list[Field]:
        """Every field: the fixed ones and those of each indicator row (``rows`` in filing order)."""
        rows = list(self.indicator_rows) if rows is None else rows
        out = list(self.fields)
        for index, row in enumerate(rows):
            out.extend(self.indicator_fields(row, index))
        return out

    def all_calcs(self) -> list[Calc]:
        """Every helper formula of the form."""
        out = list(self.calcs)
        for row in self.indicator_rows:
            out.extend(self.indicator_calcs(row))
        return out


def project_sheet(number: int) -> str:
    """The sheet name of the n-th project form: ``附件3-n``."""
    return f"{PROJECT_PREFIX}{number}"


def capacity_for(counts: list[int]) -> int:
    """Indicator rows per form for a filing whose tables use ``counts`` rows."""
    return max(DEFAULT_CAPACITY, max(counts, default=0) + SPARE_ROWS)


# --------------------------------------------------------------------------- builders


class _Sheet:
    """Collects the cells of one form while it is laid out."""

    def __init__(self, layout: FormLayout) -> None:
        self.layout = layout

    def label(self, ref: str, text: str | None, style: str = "label") -> None:
        self.layout.statics.append(Static(ref, text, style))

    def field(self, pointer: str, ref: str, kind: str, style: str, **extra) -> None:
        self.layout.fields.append(Field(pointer, ref, kind, style, **extra))

    def calc(self, ref: str, formula: Expr, style: str, role: str) -> None:
        self.layout.calcs.append(Calc(ref, formula, style, role))

    def helper(self, row: int, text: str, ref_value: Expr | None = None, *, style: str = "h_check",
               role: str = "check") -> None:
        """A helper-zone row: label in K:L, formula in M."""
        self.label(f"K{row}:L{row}", text, "h_label")
        if ref_value is not None:
            self.calc(f"M{row}", ref_value, style, role)


def _header(s: _Sheet, tag: str, title: str, year_style: str) -> None:
    s.label("A1", tag, "tag")
    s.label(f"A2:{PRINT_LAST_COLUMN}2", title, "title")
    s.layout.heights.update({1: 22, 2: 30, 3: 22, 4: 24})
    if year_style == "year":
        s.field("/year", f"A3:{PRINT_LAST_COLUMN}3", YEAR, "year", validation="year")
    else:
        s.calc(f"A3:{PRINT_LAST_COLUMN}3", link(Ref("A3", DEPARTMENT_SHEET)), "year_link", "link")
    s.label("A4:B4", UNIT_LABEL, "unit_label")


def _funds_header(s: _Sheet, row: int) -> None:
    s.label(f"B{row}:C{row}", None)
    for key, column in FUND_VALUE_COLUMNS:
        s.label(f"{column}{row}", COLUMN_LABELS[key], "head")
    s.layout.heights[row] = 22


def _funds_total(s: _Sheet, row: int) -> None:
    """The 年度资金总额 row: amounts and points typed, 执行率 and 得分 by formula."""
    base = f"{s.layout.pointer}/funds/total"
    s.label(f"B{row}:C{row}", FUND_ROW_LABELS["total"])
    for key, column in FUND_VALUE_COLUMNS[:3]:
        s.field(f"{base}/{key}", f"{column}{row}", AMOUNT, "in_amount", validation="amount")
    s.field(f"{base}/points", f"G{row}", POINTS, "in_points", validation="points")
    amounts = (Ref(f"D{row}:F{row}"),)
    rate = WhenFilled(amounts, Text(""), udf("EXEC_RATE", Ref(f"F{row}"), Ref(f"E{row}")))
    score = WhenFilled(amounts, Text(""), udf("BUDGET_SCORE", Ref(f"F{row}"), Ref(f"E{row}"), Ref(f"G{row}"),
                                              profile=s.layout.profile_arg))
    s.field(f"{base}/rate", f"H{row}", RATE, "fx_rate", formula=rate, claim_style="claim_rate")
    s.field(f"{base}/score", f"I{row}", POINTS, "fx_points", formula=score, claim_style="claim_points")
    s.layout.heights[row] = 24
    # helper zone: the rate against 年初预算数 and the reasons the checks look for
    s.label(f"K{row - 1}:M{row - 1}", HELPER_TITLE, "h_head")
    s.helper(row, "按年初预算数计的执行率",
             WhenFilled(amounts, Text(""), udf("EXEC_RATE", Ref(f"F{row}"), Ref(f"D{row}"))),
             style="h_rate", role="rate")
    s.label(f"K{row + 1}:L{row + 1}", "预算调整原因（年初≠全年时填写）", "h_label")
    s.field(f"{base}/adjust_reason", f"M{row + 1}", TEXT, "h_in")
    s.label(f"K{row + 2}:L{row + 2}", "执行率偏低原因（低于{low_rate}时填写）", "h_label")  # {…}: profile_text
    s.field(f"{base}/rate_reason", f"M{row + 2}", TEXT, "h_in")


def _goal(s: _Sheet, row: int) -> None:
    base = f"{s.layout.pointer}/goal"
    s.label(f"A{row}:A{row + 1}", "年度总体目标", "block")
    s.label(f"B{row}:E{row}", "预期目标", "head")
    s.label(f"F{row}:{PRINT_LAST_COLUMN}{row}", "实际完成情况", "head")
    s.field(f"{base}/expected", f"B{row + 1}:E{row + 1}", TEXT, "in_text")
    s.field(f"{base}/actual", f"F{row + 1}:{PRINT_LAST_COLUMN}{row + 1}", TEXT, "in_text")
    s.layout.heights.update({row: 22, row + 1: 60})


def _indicator_table(s: _Sheet) -> None:
    lay = s.layout
    h = lay.header_row
    s.label(f"A{h}:A{lay.last_row}", "绩效指标", "block")
    for key, column in INDICATOR_COLUMNS:
        s.label(f"{column}{h}", INDICATOR_LABELS[key], "head")
    for key, column in HELPER_COLUMNS.items():
        s.label(f"{column}{h}", HELPER_HEADERS[key], "h_head")
    lay.heights[h] = 30
    for row in lay.indicator_rows:
        lay.heights[row] = 30
    first, last = lay.first_row, lay.last_row
    lay.validations += [Validation(f"B{first}:B{last}", "level1"), Validation(f"C{first}:C{last}", "level2"),
                        Validation(f"G{first}:G{last}", "points"),
                        Validation(f"{HELPER_COLUMNS['kind']}{first}:{HELPER_COLUMNS['kind']}{last}", "kind"),
                        Validation(f"{HELPER_COLUMNS['band']}{first}:{HELPER_COLUMNS['band']}{last}", "band")]
    lay.conditionals += [Conditional(f"H{first}:H{last}", f"=COUNTA($B{first}:$G{first},$I{first})=0", "hide_value")]


def _bottom(s: _Sheet, department: bool, department_footer: int = 0) -> None:
    lay = s.layout
    t, f = lay.total_row, lay.footer_row
    first, last = lay.first_row, lay.last_row
    base = f"{lay.pointer}/total"
    s.label(f"A{t}:F{t}", "总分", "head")
    s.field(f"{base}/points", f"G{t}", POINTS, "in_points", validation="points")
    guard = (Ref(f"D{lay.funds_row}:F{lay.funds_row}"), Ref(f"B{first}:G{last}"), Ref(f"I{first}:I{last}"))
    # a non-default profile also gets the rate, for profiles that cap the total by it
    rate = (Ref(f"H{lay.funds_row}"),) if lay.profile_arg else ()
    total = WhenFilled(guard, Text(""), udf("SCORE_TOTAL", Ref(f"I{lay.funds_row}"), Ref(f"H{first}:H{last}"),
                                            *rate, profile=lay.profile_arg))
    s.field(f"{base}/score", f"H{t}", POINTS, "fx_points", formula=total, claim_style="claim_points")
    s.label(f"I{t}", None)
    lay.heights[t] = 24
    # helper zone: grade, points totals, the per-heading checks
    s.label(f"K{t}:L{t}", "自评等级", "h_label")
    grade = UnlessBlank(Ref(f"H{t}"), udf("GRADE", Ref(f"H{t}"), profile=lay.profile_arg))
    s.field(f"{base}/grade", f"M{t}", TEXT, "h_check", formula=grade, claim_style="h_claim",
            filed_when_formula=False)
    s.helper(f, "分值合计（预算执行＋各指标）＝总分行分值",
             WhenFilled((Ref(f"G{t}"),), Text(""),
                        check_equal(Ref(f"G{t}"), Sum((Ref(f"G{lay.funds_row}"), Ref(f"G{first}:G{last}"))),
                                    lay.profile_arg)))
    cats = Ref(f"{HELPER_COLUMNS['category']}{first}:{HELPER_COLUMNS['category']}{last}")
    for offset, word in enumerate(CATEGORY_KEYWORDS, start=1):
        s.helper(f + offset, f"{CATEGORY_LABELS[word]}：各行分值之和＝一级指标分值",
                 HeadingCheck(word, cats, Ref(f"B{first}:B{last}"), Ref(f"G{first}:G{last}"), lay.profile_arg))
    lay.conditionals.append(Conditional(f"M{f}:M{f + len(CATEGORY_KEYWORDS)}",
                                        f'=AND(M{f}<>"✓",M{f}<>"")', "problem"))
    # signature line
    for label_ref, text, key, value_col in FOOTER:
        s.label(f"{label_ref.split(':')[0]}{f}" + (f":{label_ref.split(':')[1]}{f}" if ":" in label_ref else ""),
                text, "foot_label")
        ref = f"{value_col}{f}"
        if department:
            s.field(f"/signoff/{key}", ref, TEXT, "foot_in")
        else:  # the signature line is filled once, on 附件1
            s.calc(ref, link(Ref(f"{value_col}{department_footer}", DEPARTMENT_SHEET)), "foot_link", "link")
    lay.heights[f] = 28
    lay.anchors += [("A2", FORM_TITLES["department" if department else "project"]),
                    (f"B{lay.funds_row}", FUND_ROW_LABELS["total"]),
                    (f"B{lay.header_row}", INDICATOR_LABELS["level1"]),
                    (f"A{t}", "总分"), (f"A{f}", FOOTER[0][1])]
    lay.conditionals.append(Conditional(f"H{lay.funds_row}:I{lay.funds_row}", "errors", "problem"))
    lay.conditionals.append(Conditional(f"H{first}:H{t}", "errors", "problem"))


def _rows(top: int, capacity: int) -> dict[str, int]:
    """Rows of the bottom band for a form whose indicator header is ``top``."""
    total = top + capacity + 1
    return {"header_row": top, "total_row": total, "footer_row": total + 1}


def department_form(capacity: int = DEFAULT_CAPACITY, projects: int = 1, profile_arg: bool = False,
                    summary_rows: tuple[int, int] | None = None) -> FormLayout:
    """附件1 部门整体支出绩效自评表.

    ``summary_rows`` are the first and last project rows of 项目汇总 (for the checks of the
    projects against 项目支出); None leaves those checks out (the values-only export).
    """
    lay = FormLayout(DEPARTMENT_SHEET, 0, "/department", capacity, funds_row=7, profile_arg=profile_arg,
                     **_rows(DEPARTMENT_HEADER_ROW, capacity))
    s = _Sheet(lay)
    _header(s, "附件1", FORM_TITLES["department"], "year")
    s.field("/unit", f"C4:{PRINT_LAST_COLUMN}4", TEXT, "unit")
    s.label("A5", "预算部门名称")
    s.field("/department/name", f"B5:{PRINT_LAST_COLUMN}5", TEXT, "in_text")
    lay.heights[5] = 24
    s.label("A6:A12", "年度预算申请\n（万元）", "block")
    _funds_header(s, 6)
    _funds_total(s, 7)
    s.label("B8:C8", "按收入性质分", "head")
    s.label("D8:E8", None)
    s.label("F8:G8", "按支出性质分", "head")
    s.label("H8:I8", None)
    for i, key in enumerate(INCOME_KEYS):
        row = 9 + i
        s.label(f"B{row}:C{row}", ("其中：" if i == 0 else "") + INCOME_LABELS[key])
        s.field(f"/department/funds/by_income/{key}", f"D{row}:E{row}", AMOUNT, "in_amount", validation="amount")
        lay.heights[row] = 22
    for i in range(len(INCOME_KEYS)):
        row = 9 + i
        if i < len(EXPENSE_KEYS):
            key = EXPENSE_KEYS[i]
            s.label(f"F{row}:G{row}", ("其中：" if i == 0 else "") + EXPENSE_LABELS[key])
            s.field(f"/department/funds/by_expense/{key}", f"H{row}:I{row}", AMOUNT, "in_amount",
                    validation="amount")
        else:
            s.label(f"F{row}:G{row}", None)
            s.label(f"H{row}:I{row}", None)
    lay.heights[8] = 22
    total_budget = Ref("E7")
    income, expense, project = Ref("D9:D12"), Ref("H9:H10"), Ref("H10")
    s.helper(10, "收入性质各项之和＝年度资金总额（全年预算数）",
             WhenFilled((income,), Text(""), check_equal(total_budget, income, lay.profile_arg)))
    s.helper(11, "基本支出＋项目支出＝年度资金总额（全年预算数）",
             WhenFilled((expense,), Text(""), check_equal(total_budget, expense, lay.profile_arg)))
    if summary_rows:
        first, last = summary_rows
        for row, column, what in ((12, "E", "全年预算数"), (13, "F", "全年执行数")):
            s.helper(row, f"各项目（附件3）{what}之和＝项目支出",
                     WhenFilled((project,), Text(""),
                                check_equal(project, Ref(f"{column}{first}:{column}{last}", SUMMARY_SHEET),
                                            lay.profile_arg)))
    lay.conditionals.append(Conditional("M10:M13", '=AND(M10<>"✓",M10<>"")', "problem"))
    _goal(s, 13)
    _indicator_table(s)
    _bottom(s, department=True)
    lay.validations += [Validation("D7:F7", "amount"), Validation("G7", "points"), Validation("D9:E12", "amount"),
                        Validation("H9:I10", "amount"), Validation(f"G{lay.total_row}", "points"),
                        Validation(f"A3:{PRINT_LAST_COLUMN}3", "year")]
    lay.names += [("填报年度", "A3"), ("填报单位", "C4"), ("部门_年初预算数", "D7"), ("部门_全年预算数", "E7"),
                  ("部门_全年执行数", "F7"), ("部门_执行率", "H7"), ("部门_预算执行得分", "I7"),
                  ("部门_基本支出", "H9"), ("部门_项目支出", "H10"), ("部门_总分", f"H{lay.total_row}"),
                  ("部门_等级", f"M{lay.total_row}")]
    lay.anchors.append(("B8", "按收入性质分"))
    return lay


def project_form(number: int, capacity: int = DEFAULT_CAPACITY, profile_arg: bool = False,
                 department_footer: int | None = None) -> FormLayout:
    """附件3-``number`` 项目支出绩效自评表; ``department_footer`` is 附件1's signature row (its
    default: 附件1 laid out with the same ``capacity``)."""
    base = f"/projects/{number - 1}"
    lay = FormLayout(project_sheet(number), number, base, capacity, funds_row=8, profile_arg=profile_arg,
                     **_rows(PROJECT_HEADER_ROW, capacity))
    if department_footer is None:
        department_footer = _rows(DEPARTMENT_HEADER_ROW, capacity)["footer_row"]
    s = _Sheet(lay)
    _header(s, project_sheet(number), FORM_TITLES["project"], "year_link")
    s.calc(f"C4:{PRINT_LAST_COLUMN}4", link(Ref("C4", DEPARTMENT_SHEET)), "unit_link", "link")
    s.label("A5", "项目支出名称")
    s.field(f"{base}/name", f"B5:{PRINT_LAST_COLUMN}5", TEXT, "in_text")
    s.label("A6", "主管部门")
    s.field(f"{base}/competent_department", "B6:E6", TEXT, "in_text")
    s.label("F6:G6", "实施单位")
    s.field(f"{base}/implementing_unit", "H6:I6", TEXT, "in_text")
    lay.heights.update({5: 24, 6: 24})
    s.label("A7:A11", "项目资金\n（万元）", "block")
    _funds_header(s, 7)
    _funds_total(s, 8)
    for row, key in zip((9, 10, 11), ("current_year", "carried_over", "other"), strict=True):
        fund = f"{base}/funds/{key}"
        s.label(f"B{row}:C{row}", FUND_ROW_LABELS[key])
        for column_key, column in FUND_VALUE_COLUMNS[:3]:
            s.field(f"{fund}/{column_key}", f"{column}{row}", AMOUNT, "in_amount", validation="amount")
        s.field(f"{fund}/points", f"G{row}", POINTS, "in_points", validation="points_or_dash")
        s.field(f"{fund}/rate", f"H{row}", RATE, "in_rate", validation="rate_or_dash")
        s.field(f"{fund}/score", f"I{row}", POINTS, "in_points", validation="points_or_dash")
        lay.heights[row] = 22
    for row, column, what in ((11, "D", "年初预算数"), (12, "E", "全年预算数"), (13, "F", "全年执行数")):
        total, parts = Ref(f"{column}8"), Ref(f"{column}9:{column}11")
        s.helper(row, f"{what}：年度资金总额＝各来源之和",
                 WhenFilled((Ref("D9:F11"),), Text(""), check_equal(total, parts, lay.profile_arg)))
    lay.conditionals.append(Conditional("M11:M13", '=AND(M11<>"✓",M11<>"")', "problem"))
    _goal(s, 12)
    _indicator_table(s)
    _bottom(s, department=False, department_footer=department_footer)
    lay.validations += [Validation("D8:F11", "amount"), Validation("G8", "points"),
                        Validation(f"G{lay.total_row}", "points")]
    n = number
    lay.names += [(f"项目{n}_全年预算数", "E8"), (f"项目{n}_全年执行数", "F8"), (f"项目{n}_执行率", "H8"),
                  (f"项目{n}_预算执行得分", "I8"), (f"项目{n}_总分", f"H{lay.total_row}")]
    lay.anchors.append(("A5", "项目支出名称"))
    return lay




