"""The document of each report for the .docx writer: headings, paragraphs and the figures' tables.

What goes into a report (sections, drafts, figures as filed) is the core's :mod:`xlfuncs.reports`.
"""

from __future__ import annotations

from xlfuncs.outlines import DEPARTMENT_OUTLINE, FUNDS, INDICATORS, PROJECT_OUTLINE
from xlfuncs.report_figures import TableFigures
from xlfuncs.reports import ReportContent

from .docx_writer import Block, DocSpec, Grid, Heading, Paragraph

FUNDS_WIDTHS = [3.4, 2.1, 2.1, 2.1, 1.6, 2.4, 1.9]
INDICATOR_WIDTHS = [2.0, 2.2, 3.6, 2.5, 2.5, 1.4, 1.4]


# ------------------------------------------------------------------ the document


def funds_grids(f: TableFigures, number: int) -> list[Grid]:
    """The funds table (and for 附件1 the income/expense breakdown), cell for cell as the table shows it."""
    rows = [[line.label, line.initial, line.full_year, line.executed, line.points, line.rate, line.score]
            for line in f.funds]
    kind = "部门整体支出" if f.label == "附件1" else "项目"
    grids = [Grid(f"表{number} {kind}资金情况（单位：{f.money_unit}）",
                  ["项目", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], rows, FUNDS_WIDTHS)]
    if any(text for _, text in f.by_income + f.by_expense):
        count = max(len(f.by_income), len(f.by_expense))
        pad = [("", "")] * count
        pairs = zip((f.by_income + pad)[:count], (f.by_expense + pad)[:count], strict=True)
        rows = [[a[0], a[1], b[0], b[1]] for a, b in pairs]
        grids.append(Grid(f"表{number + 1} 全年预算数构成（单位：{f.money_unit}）",
                          ["按收入性质分", "金额", "按支出性质分", "金额"], rows, [5.2, 2.6, 5.2, 2.6]))
    return grids


def indicator_grid(f: TableFigures, number: int) -> Grid:
    """The 绩效指标 table: the budget row, every indicator as filed, and the 总分 row."""
    total = f.total_line
    rows = [["预算执行率", "", "", "", total.rate, total.points, total.score]]
    for line in f.indicators:
        rows.append([line.level1, line.level2, line.level3, line.target, line.actual, line.points_text,
                     line.score_text])
    rows.append(["总分", "", "", "", f"等级：{f.grade}" if f.grade else "", f.points_total_text, f.total_text])
    return Grid(f"表{number} 绩效指标完成情况", ["一级指标", "二级指标", "三级指标", "年度指标值",
                                            "实际完成值", "分值", "得分"],
                rows, INDICATOR_WIDTHS, numeric_from=5, merge_first_column=True)


def _body_blocks(body: str) -> list[Paragraph]:
    return [Paragraph(line.strip()) for line in body.splitlines() if line.strip()]


def document_spec(content: ReportContent) -> DocSpec:
    """The document of one report for :func:`macros.docx_writer.render_docx`."""
    f = content.figures
    blocks: list[Block] = []
    tables = 1
    for section in content.outline.sections:
        body = content.bodies.get(section.key, "")
        if section.inline:
            first, _, more = body.strip().partition("\n")
            blocks.append(Paragraph(first.strip(), label=f"{section.heading}："))
            blocks.extend(_body_blocks(more))
        else:
            blocks.append(Heading(section.level, section.heading))
            blocks.extend(_body_blocks(body))
        if section.figures == FUNDS:
            grids = funds_grids(f, tables)
            blocks.extend(grids)
            tables += len(grids)
        elif section.figures == INDICATORS:
            blocks.append(indicator_grid(f, tables))
            tables += 1
    if content.outline is DEPARTMENT_OUTLINE:
        title, subtitle = f"{f.unit}\n{f.year}年度{DEPARTMENT_OUTLINE.title}", []
    else:
        name = f.name.removesuffix("项目") or f.label
        title, subtitle = f"{name}\n{PROJECT_OUTLINE.title}", [f"（{f.year}年度）", f"填报单位：{f.unit}"]
    return DocSpec(content.label, title, subtitle, blocks, f.unit)
