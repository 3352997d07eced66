"""The sheets around the forms: 使用说明, 项目汇总, 校验结果 and xlwings.conf, plus the button
slots a later step turns into sheet buttons (VBA Forms buttons or xlwings Lite shapes)."""

from __future__ import annotations

from dataclasses import dataclass, field

from xlfuncs.profile_text import render

from . import rule_formulas as rules
from .cells import col_index, col_letters, text_units
from .expr import Ref, Text
from .forms import (
    CATEGORY_KEYWORDS,
    CATEGORY_LABELS,
    DEPARTMENT_SHEET,
    SUMMARY_SHEET,
    Calc,
    Conditional,
    FormLayout,
    Static,
)
from .shapes import Sum, WhenFilled, link

GUIDE_SHEET = "使用说明"
RESULTS_SHEET = "校验结果"
CONF_SHEET = "xlwings.conf"
TEMPLATE_ID = "perfeval-master/2"  # /2: native formulas, UDF cells guarded by a probe

#: xlwings.conf: keys in column A from A1 without gaps, values in column B.
CONF_ROWS = (
    ("Interpreter_Win", r"%LOCALAPPDATA%\perfeval\.venv\Scripts\pythonw.exe"),
    ("UDF Modules", "xlfuncs.udfs"),
    ("ADD_WORKBOOK_TO_PYTHONPATH", "False"),
    ("Show Console", "False"),
)
CONF_GUIDANCE = (
    "本表是 xlwings 的设置，请勿删除，也不要在 A、B 列插入空行。",
    "Interpreter_Win：Python 解释器路径（按安装说明安装后即为此路径；装在别处时改为该处 pythonw.exe 的完整路径）。",
    "UDF Modules：工作表函数所在的 Python 模块，固定为 xlfuncs.udfs。",
    "ADD_WORKBOOK_TO_PYTHONPATH=False：不从工作簿所在文件夹加载 Python 代码（安全考虑）。",
    "如单位安全策略禁止运行宏，请改用命令行：perfeval validate 本工作簿",
)
CONF_WIDTHS = {"A": 28, "B": 52, "C": 2, "D": 90}
#: Desktop workbooks: the function help the VBA registers is on xlwings.conf from this column
#: (one row per function: name, category, description, argument descriptions).
HELP_FIRST_COLUMN = "F"


# ------------------------------------------------------------------ buttons


@dataclass(frozen=True)
class ButtonSlot:
    """Where a sheet button goes: anchored at ``cell`` (outside the print area), offset from the
    cell's top-left corner and sized in points, and the macro it runs (a Sub of the VBA
    ``Buttons`` module / an xlwings Lite script)."""

    sheet: str
    macro: str  # "Validate", "ExportPackage", "AddProject"
    caption: str
    cell: str
    x_offset: float = 0.0  # points from the cell's left edge
    y_offset: float = 0.0
    width: float = 84.0
    height: float = 24.0

    @property
    def shape_name(self) -> str:
        """An ASCII shape name, unique on its sheet."""
        return f"btn{self.macro}"


BUTTONS = (("Validate", "校验"), ("ExportPackage", "导出"), ("AddProject", "新增项目"))


# ------------------------------------------------------------------ 校验结果


@dataclass(frozen=True)
class ResultsLayout:
    """The 校验结果 sheet: a title, a status line, a header row and one row per finding."""

    sheet: str = RESULTS_SHEET
    title_cell: str = "A1"
    status_cell: str = "A2"
    header_row: int = 3
    first_row: int = 4
    columns: tuple[tuple[str, str, float], ...] = (
        ("序号", "A", 6), ("级别", "B", 6), ("规则", "C", 6), ("表", "D", 9), ("单元格", "E", 9),
        ("说明", "F", 80), ("应为", "G", 16), ("实为", "H", 16))

    def column(self, title: str) -> str:
        """The column letter of a header (``"单元格"`` → ``"E"``)."""
        for name, letter, _ in self.columns:
            if name == title:
                return letter
        raise KeyError(title)


RESULTS = ResultsLayout()
RESULTS_TITLE = "校验结果"
RESULTS_EMPTY = "尚未校验：点击“校验”按钮，或在命令行运行 perfeval validate 本工作簿。"


# ------------------------------------------------------------------ 使用说明

GUIDE_WIDTHS = {"A": 2, "B": 16, "C": 92, "D": 3, "E": 16}
STATUS_CELL = "C2"
STATUS_NOT_VALIDATED = "尚未校验。点击右侧“校验”按钮（或运行 perfeval validate）后，这里显示最近一次校验的时间和结果。"
SETTING_PROFILE, SETTING_CAPACITY, SETTING_PROJECTS, SETTING_TEMPLATE = "规则配置", "指标行数", "项目表数", "模板"

GUIDE_TEXT = (
    ("一、怎么填", None),
    ("1", "浅黄色底色的格子由单位填写；浅蓝灰底色的格子由公式按规则自动计算，已锁定，不需要填写。"
          "工作表保护没有密码，一般不需要撤销。"),
    ("2", "“附件1”填部门整体支出；每个项目一张“附件3-N”。项目不够时点“新增项目”按钮，"
          "或用命令行 perfeval new --projects N 重新生成。整张空白的项目表不计入填报。"),
    ("3", "金额以万元为单位；分值、得分填数字。年度填在附件1标题下方“（　　年度）”一格，填报单位填在附件1，"
          "各附件3自动引用。"),
    ("4", "每行绩效指标：一级、二级指标可从下拉列表选；年度指标值和实际完成值照实填写（如“≥50个”和“52个”）。"
          "实际完成值必须是实际数，不能照抄目标（如“大于14000次”），否则无法评分。"),
    ("5", "各表右侧（打印区域以外）是辅助列：指标性质（一般不填，自动判断）、评价档次（定性指标无法按文字判定时选择）、"
          "评分说明（自动写明得分怎么来的）、类别，以及各项核对（✓ 表示一致，否则显示差额）。"),
    ("6", "浅橙色底色并带批注的格子是从原填报文件导入、与规则计算结果不同的数（如原表的执行率、得分）；"
          "核实后可按批注中的公式恢复自动计算。"),
    ("7", "请勿插入或删除行、改动工作表名称：程序按固定位置读取。指标行数不够时，用命令行重新生成工作簿。"),
    ("8", "附件2、附件4 自评报告按提纲逐节填写在“自评报告”工作表的“内容”列；黄色底纹为按表格数据生成的草稿，"
          "请核对修改；留空的章节导出时按最终数据自动起草。导出时生成 Word 报告。"),
    ("二、按钮", None),
    ("校验", "按规则检查全部表格，结果写入“校验结果”工作表，并在本页状态栏写明时间和问题数。"),
    ("导出", "生成报送材料（绩效自评表 Excel、自评报告 Word、PDF 与校验报告）；有错误时不导出。"),
    ("新增项目", "在最后一张附件3之后增加一张空白的项目表。"),
    ("没有按钮时", "按钮需要 Excel 启用宏并在本机安装 perfeval。用 WPS、LibreOffice，或不能启用宏时，用命令行："
                  "perfeval check 本文件（校验并另存一份重新计算、标出问题的工作簿）　／　perfeval validate 本文件　／　"
                  "perfeval export 本文件。"),
    ("三、关于计算", None),
    ("", "本工作簿按规则配置“{profile_title}”计分：执行率 = 全年执行数 ÷ 全年预算数；预算执行得分 = {budget_rule}；"
         "等级：{grades}。"
         "执行率、预算执行得分、总分（含按规则配置的封顶）、等级和各项核对是普通公式，任何表格软件都会重新计算。"
         "各指标得分、评分说明和一级指标分值核对要读懂指标文字，由 perfeval 的函数计算：没有载入 perfeval 时"
         "（WPS、LibreOffice、Excel 禁用宏）这些格在修改后显示“待计算”，依赖它们的总分、等级也显示“待计算”，"
         "不会显示错误的数；运行 perfeval check 本文件 即得到全部算好的新工作簿。"
         "各附件右侧 M5 格显示 perfeval 函数是否已载入。"),
    ("四、本工作簿的设置", None),
)


@dataclass
class PlainSheet:
    """A non-form sheet: static cells, formula cells, widths and heights."""

    name: str
    statics: list[Static] = field(default_factory=list)
    calcs: list[Calc] = field(default_factory=list)
    widths: dict[str, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    conditionals: list[Conditional] = field(default_factory=list)
    names: list[tuple[str, str]] = field(default_factory=list)
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (cell, target sheet, text)
    protect: bool = True
    hidden: bool = False
    unlocked: tuple[str, ...] = ()
    landscape: bool = False
    print_area: str = ""


def guide_sheet(profile: str, capacity: int, projects: int) -> PlainSheet:
    """使用说明: how to fill, what the buttons do, the status line and the workbook's settings."""
    sheet = PlainSheet(GUIDE_SHEET, widths=dict(GUIDE_WIDTHS), unlocked=(STATUS_CELL,))
    add = sheet.statics.append
    add(Static("B1:C1", "预算绩效自评主工作簿　使用说明", "g_title"))
    add(Static("B2", "状态", "g_key"))
    add(Static(STATUS_CELL, STATUS_NOT_VALIDATED, "g_status"))
    sheet.heights.update({1: 30, 2: 36})
    row = 4
    for key, template in GUIDE_TEXT:
        text = None if template is None else render(template, profile)  # the profile's figures
        if text is None:
            add(Static(f"B{row}:C{row}", key, "g_head"))
            sheet.heights[row] = 24
        else:
            add(Static(f"B{row}", key, "g_text"))
            add(Static(f"C{row}", text, "g_text"))
            sheet.heights[row] = 15 * max(1, -(-text_units(text) // 86)) + 3
        row += 1
    for key, value in settings_rows(profile, capacity, projects):
        add(Static(f"B{row}", key, "g_key"))
        add(Static(f"C{row}", value, "g_value"))
        if key == SETTING_PROFILE:
            sheet.names.append(("规则配置", f"C{row}"))
        row += 1
    sheet.names.append(("校验状态", STATUS_CELL))
    sheet.print_area = f"A1:C{row - 1}"
    return sheet


def settings_rows(profile: str, capacity: int, projects: int) -> list[tuple[str, str | int]]:
    """The settings block of 使用说明 (the reader finds them by their labels in column B)."""
    return [(SETTING_PROFILE, profile), (SETTING_CAPACITY, capacity), (SETTING_PROJECTS, projects),
            (SETTING_TEMPLATE, TEMPLATE_ID)]


# ------------------------------------------------------------------ 项目汇总

#: 项目汇总 columns: (title, letter, width, what each project row links to, style). The source is
#: a field of the project form (by key) or, with "calc:", one of its helper formulas.
SUMMARY_COLUMNS = (("序号", "A", 5, "", "t_text"), ("表", "B", 9, "", "t_link"),
                   ("项目名称", "C", 30, "name", "t_calc"),
                   ("年初预算数", "D", 12, "funds/total/initial", "t_amount"),
                   ("全年预算数", "E", 12, "funds/total/full_year", "t_amount"),
                   ("全年执行数", "F", 12, "funds/total/executed", "t_amount"),
                   ("执行率", "G", 10, "funds/total/rate", "t_rate"), ("总分", "H", 8, "total/score", "t_points"),
                   ("等级", "I", 6, "total/grade", "t_check"),
                   ("分值合计核对", "J", 12, "calc:points_check", "t_check")) + tuple(
    (f"{CATEGORY_LABELS[w]}核对", col_letters(col_index("K") + i), 10, f"calc:heading:{w}", "t_check")
    for i, w in enumerate(CATEGORY_KEYWORDS))
SUMMARY_FIRST_ROW = 4
#: The 项目汇总 column of a project's funds figure (附件1 checks its projects against it).
SUMMARY_COLUMN_OF = {source.rsplit("/", 1)[-1]: letter for _, letter, _, source, _ in SUMMARY_COLUMNS
                     if source.startswith("funds/total/")}


def summary_rows(projects: int) -> tuple[int, int]:
    """First and last project row of 项目汇总."""
    return SUMMARY_FIRST_ROW, SUMMARY_FIRST_ROW + projects - 1


def _source(form: FormLayout, source: str) -> Ref:
    cell = form.calc(source[5:]).cell if source.startswith("calc:") else form.cell(source)
    return Ref(cell, form.sheet)


def summary_sheet(department: FormLayout, forms: list[FormLayout]) -> PlainSheet:
    """项目汇总: one row per project linked to its sheet, totals and the checks against 附件1."""
    sheet = PlainSheet(SUMMARY_SHEET, widths={letter: width for _, letter, width, _, _ in SUMMARY_COLUMNS},
                       landscape=True)
    add = sheet.statics.append
    last_letter = SUMMARY_COLUMNS[-1][1]
    add(Static(f"A1:{last_letter}1", "项目汇总（由各附件3自动汇总，不需填写）", "g_title"))
    add(Static(f"A2:{last_letter}2", "金额单位：万元。核对列：✓ 表示一致，否则显示差额。执行率：红字为与“全年执行数÷"
               "全年预算数”不符（填报值），黄底为低于规则配置的下限（须说明原因）。", "g_text"))
    for title, letter, _, _, _ in SUMMARY_COLUMNS:
        add(Static(f"{letter}3", title, "t_head"))
    sheet.heights.update({1: 28, 2: 30, 3: 30})
    first, last = summary_rows(len(forms))
    for form, row in zip(forms, range(first, last + 1), strict=True):
        add(Static(f"A{row}", str(form.number), "t_text"))
        sheet.links.append((f"B{row}", form.sheet, form.sheet))
        for _, letter, _, source, style in SUMMARY_COLUMNS:
            if source:
                sheet.calcs.append(Calc(f"{letter}{row}", link(_source(form, source)), style, "link"))
        sheet.heights[row] = 20
    total_row = last + 1
    add(Static(f"A{total_row}:C{total_row}", "合计", "t_head"))
    summed = {SUMMARY_COLUMN_OF[k] for k in ("initial", "full_year", "executed")}
    for _, letter, _, _, _ in SUMMARY_COLUMNS[3:]:
        if letter in summed:
            sheet.calcs.append(Calc(f"{letter}{total_row}", Sum((Ref(f"{letter}{first}:{letter}{last}"),)),
                                    "t_amount", "check"))
        else:
            add(Static(f"{letter}{total_row}", None, "t_text"))
    tol = department.rules.amount_tolerance
    project = Ref(department.cell("funds/by_expense/project"), DEPARTMENT_SHEET)
    budget = Ref(department.cell("funds/total/full_year"), DEPARTMENT_SHEET)
    basic = Ref(department.cell("funds/by_expense/basic"), DEPARTMENT_SHEET)
    expense = Ref(f"{basic.ref}:{project.ref}", DEPARTMENT_SHEET)
    full_year, executed = (Ref(f"{SUMMARY_COLUMN_OF[k]}{first}:{SUMMARY_COLUMN_OF[k]}{last}")
                           for k in ("full_year", "executed"))
    checks = (
        ("附件1 项目支出（万元）", link(project), "t_amount"),
        ("各项目全年预算数之和＝附件1 项目支出",
         WhenFilled((project,), Text(""), rules.check_equal((project,), (full_year,), tol)), "t_check"),
        ("各项目全年执行数之和＝附件1 项目支出",
         WhenFilled((project,), Text(""), rules.check_equal((project,), (executed,), tol)), "t_check"),
        ("附件1 基本支出＋项目支出＝年度资金总额",
         WhenFilled((expense,), Text(""), rules.check_equal((budget,), (expense,), tol)), "t_check"),
        ("附件1 分值合计＝总分行分值", link(Ref(department.calc("points_check").cell, DEPARTMENT_SHEET)), "t_check"),
    )
    row = total_row + 2
    add(Static(f"A{row - 1}:{last_letter}{row - 1}", "与附件1核对", "g_head"))
    for text, formula, style in checks:
        add(Static(f"A{row}:F{row}", text, "t_text"))
        sheet.calcs.append(Calc(f"G{row}", formula, style, "check"))
        row += 1
    check_first = SUMMARY_COLUMNS[9][1]
    sheet.conditionals.append(Conditional(f"{check_first}{first}:{last_letter}{last}",
                                          f'=AND({check_first}{first}<>"✓",{check_first}{first}<>"")', "problem"))
    sheet.conditionals.append(Conditional(f"G{total_row + 3}:G{row - 1}",
                                          f'=AND(G{total_row + 3}<>"✓",G{total_row + 3}<>"")', "problem"))
    sheet.conditionals.append(Conditional(f"D{first}:{last_letter}{last}", "errors", "problem"))
    sheet.conditionals += _rate_marks(department, first, last)
    return sheet


def _rate_marks(department: FormLayout, first: int, last: int) -> list[Conditional]:
    """项目汇总 marks a rate that fails the checks: red when it is not 全年执行数 ÷ 全年预算数 (a
    filed rate the rules do not give), yellow when it is below the profile's low-rate line."""
    profile = department.rules
    rate, budget, executed = (SUMMARY_COLUMN_OF[k] for k in ("rate", "full_year", "executed"))
    g, e, f = f"{rate}{first}", f"{budget}{first}", f"{executed}{first}"
    mismatch = (f"=AND(ISNUMBER({g}),ISNUMBER({e}),ISNUMBER({f}),{e}>0,"
                f"ABS({g}-{f}/{e})>{profile.rate_tolerance + 1e-9:.15g})")
    low = f"=AND(ISNUMBER({g}),{g}<{profile.low_rate - 1e-12:.15g})"
    ref = f"{rate}{first}:{rate}{last}"
    return [Conditional(ref, mismatch, "problem"), Conditional(ref, low, "doubt")]


# ------------------------------------------------------------------ 校验结果 and xlwings.conf


def results_sheet() -> PlainSheet:
    """校验结果: empty until validated (the 校验 button fills it from ``RESULTS.first_row``)."""
    sheet = PlainSheet(RESULTS_SHEET, widths={letter: width for _, letter, width in RESULTS.columns},
                       protect=False, landscape=True)
    last = RESULTS.columns[-1][1]
    sheet.statics.append(Static(f"{RESULTS.title_cell}:{last}{RESULTS.title_cell[1:]}", RESULTS_TITLE, "g_title"))
    sheet.statics.append(Static(f"{RESULTS.status_cell}:{last}{RESULTS.status_cell[1:]}", RESULTS_EMPTY, "g_text"))
    for title, letter, _ in RESULTS.columns:
        sheet.statics.append(Static(f"{letter}{RESULTS.header_row}", title, "t_head"))
    sheet.heights.update({1: 28, RESULTS.header_row: 22})
    return sheet


def conf_sheet() -> PlainSheet:
    """xlwings.conf: keys in A from A1 without gaps, values in B, guidance in D. Hidden (xlwings reads
    it all the same), so it is neither in the way nor printed."""
    sheet = PlainSheet(CONF_SHEET, widths=dict(CONF_WIDTHS), protect=False, hidden=True)
    for i, (key, value) in enumerate(CONF_ROWS, start=1):
        sheet.statics.append(Static(f"A{i}", key, "conf"))
        sheet.statics.append(Static(f"B{i}", value, "conf"))
    for i, text in enumerate(CONF_GUIDANCE, start=1):
        sheet.statics.append(Static(f"D{i}", text, "conf_note"))
    return sheet


def button_slots(sheet_name: str) -> list[ButtonSlot]:
    """The buttons of a sheet: on 使用说明 beside the text (E4, E6, E8), on each form side by side
    from M1, above the helper zone (outside the print area)."""
    if sheet_name == GUIDE_SHEET:
        return [ButtonSlot(sheet_name, macro, caption, f"E{4 + 2 * i}", width=96.0)
                for i, (macro, caption) in enumerate(BUTTONS)]
    from .forms import DEPARTMENT_SHEET as DEPT
    from .forms import PROJECT_PREFIX

    if sheet_name != DEPT and not sheet_name.startswith(PROJECT_PREFIX):
        return []
    return [ButtonSlot(sheet_name, macro, caption, "M1", x_offset=i * 90.0, y_offset=2.0)
            for i, (macro, caption) in enumerate(BUTTONS)]
