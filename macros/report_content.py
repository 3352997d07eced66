"""The document of each report for the .docx writer: headings, paragraphs and the figures' tables.

What goes into a report (sections, drafts, figures) is the core's :mod:`xlfuncs.reports`.
"""

from __future__ import annotations

from xlfuncs.outlines import DEPARTMENT_OUTLINE, FUNDS, INDICATORS, PROJECT_OUTLINE
from xlfuncs.report_figures import UNSCORED, TableFigures, points_text
from xlfuncs.reports import ReportContent
from xlfuncs.values import format_rate

from .docx_writer import Block, DocSpec, Grid, Heading, Paragraph

FUNDS_WIDTHS = [3.4, 2.1, 2.1, 2.1, 1.6, 2.4, 1.9]
INDICATOR_WIDTHS = [1.7, 1.9, 2.7, 2.1, 2.1, 1.9, 1.2, 2.0]


# ------------------------------------------------------------------ the document


def _source_note(f: TableFigures, profile_title: str) -> str:
    return (f"注：金额取自{f.label}；执行率、得分、总分和等级按评分规则（{profile_title}）计算，"
            "与绩效自评表一致。")


def funds_grids(f: TableFigures, profile_title: str, number: int) -> list[Grid]:
    """The funds table (and for 附件1 the income/expense breakdown)."""
    total, *rest = f.funds
    score = points_text(f.budget_score) if f.budget_score is not None else UNSCORED
    rows = [[total.label, total.initial, total.full_year, total.executed, points_text(f.budget_points),
             format_rate(f.rate), score]]
    rows += [[line.label, line.initial, line.full_year, line.executed, "—", "—", "—"] for line in rest]
    notes = [_source_note(f, profile_title)]
    if f.budget_score is None:
        notes.append(f"注：预算执行{f.budget_explanation}。")
    kind = "部门整体支出" if f.label == "附件1" else "项目"
    grids = [Grid(f"表{number} {f.label} {kind}资金情况（单位：万元）",
                  ["项目", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], rows,
                  FUNDS_WIDTHS, notes=notes)]
    if f.by_income or f.by_expense:
        count = max(len(f.by_income), len(f.by_expense))
        pad = [("", None, "")] * count
        pairs = zip((f.by_income + pad)[:count], (f.by_expense + pad)[:count], strict=True)
        rows = [[a[0], a[2], b[0], b[2]] for a, b in pairs]
        grids.append(Grid(f"表{number + 1} {f.label} 全年预算数构成（单位：万元）",
                          ["按收入性质分", "金额", "按支出性质分", "金额"], rows, [5.2, 2.6, 5.2, 2.6]))
    return grids


def indicator_grid(f: TableFigures, profile_title: str, number: int) -> Grid:
    """The 绩效指标 table: budget row, every indicator with its completion and score, 总分."""
    rows = [["预算执行率", "", "", "—", format_rate(f.rate), "", points_text(f.budget_points),
             points_text(f.budget_score) if f.budget_score is not None else UNSCORED]]
    notes = [_source_note(f, profile_title)]
    for line in f.indicators:
        rows.append([line.level1, line.level2, line.level3, line.target, line.actual, line.completion,
                     points_text(line.points), points_text(line.score) if line.score is not None else UNSCORED])
        if line.score is None:
            notes.append(f"注：“{line.name}”{line.explanation}。")
    total = points_text(f.total) if f.total is not None else "无法确定"
    rows.append(["总分", "", "", "", "", f"等级：{f.grade}" if f.grade else "等级：无法确定",
                 points_text(f.points_total), total])
    if f.total is None:
        notes.append(f"注：{f.total_explanation}。")
    return Grid(f"表{number} {f.label} 绩效指标完成情况", ["一级指标", "二级指标", "三级指标", "年度指标值",
                                                      "实际完成值", "完成情况", "分值", "得分"],
                rows, INDICATOR_WIDTHS, numeric_from=5, merge_first_column=True, notes=notes)


def _body_blocks(body: str) -> list[Paragraph]:
    return [Paragraph(line.strip()) for line in body.splitlines() if line.strip()]


def document_spec(content: ReportContent, profile_title: str) -> DocSpec:
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
            grids = funds_grids(f, profile_title, tables)
            blocks.extend(grids)
            tables += len(grids)
        elif section.figures == INDICATORS:
            blocks.append(indicator_grid(f, profile_title, tables))
            tables += 1
    if content.outline is DEPARTMENT_OUTLINE:
        title, subtitle = f"{f.unit}\n{f.year}年度{DEPARTMENT_OUTLINE.title}", []
    else:
        name = f.name.removesuffix("项目") or f.label
        title, subtitle = f"{name}\n{PROJECT_OUTLINE.title}", [f"（{f.year}年度）", f"填报单位：{f.unit}"]
    return DocSpec(content.label, title, subtitle, blocks, f.unit)
