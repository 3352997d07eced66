"""What goes into each report (附件2, 附件4-N): the unit's text cut into the outline, drafts for
sections it left empty, and its table's figures as filed; then the document for the .docx writer.

The report tables repeat the official table's cells (:mod:`macros.report_figures`), so every
number a report prints is a number the package's 绩效自评表.xlsx shows. No notes, no tool words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xlfuncs.filing import view
from xlfuncs.outlines import (
    DEPARTMENT_OUTLINE,
    FUNDS,
    INDICATORS,
    PROJECT_OUTLINE,
    Outline,
    assemble_report,
    split_report,
)
from xlfuncs.profiles import Profile, load_profile

from .docx_writer import Block, DocSpec, Grid, Heading, Paragraph
from .official import has_department, normalized
from .report_drafts import draft
from .report_figures import TableFigures, table_figures

FUNDS_WIDTHS = [3.4, 2.1, 2.1, 2.1, 1.6, 2.4, 1.9]
INDICATOR_WIDTHS = [2.0, 2.2, 3.6, 2.5, 2.5, 1.4, 1.4]


@dataclass(frozen=True)
class ReportContent:
    """One report: its sections' final bodies and the figures of its table."""

    label: str  # 附件2 / 附件4-N
    pointer: str  # JSON Pointer of the report text in the filing
    outline: Outline
    figures: TableFigures
    bodies: dict[str, str]
    drafted: tuple[str, ...]  # keys of sections whose body is a generated draft
    filed: bool  # the filing holds a text for this report

    @property
    def file_stem(self) -> str:
        """File name without extension (not yet sanitised): "附件4-1 水电维修费 项目支出绩效自评报告"."""
        if self.outline is DEPARTMENT_OUTLINE:
            return f"{self.label} {DEPARTMENT_OUTLINE.title}"
        return f"{self.label} {self.figures.name or self.figures.label} {PROJECT_OUTLINE.title}"

    def text(self) -> str:
        """The whole report as text, with the outline's headings."""
        return assemble_report(self.outline, self.bodies)

    def drafted_headings(self) -> list[str]:
        """Headings of the sections filled with drafts."""
        return [self.outline.section(key).heading for key in self.drafted]

    def empty_headings(self) -> list[str]:
        """Headings of sections left without text that have no subsections to carry it."""
        sections = self.outline.sections
        leaves = [s for s, after in zip(sections, (*sections[1:], None), strict=True)
                  if after is None or after.level <= s.level]  # a parent heads deeper sections
        return [s.heading for s in leaves if not self.bodies.get(s.key, "").strip()]


def _profile(profile: Profile | str) -> Profile:
    return profile if isinstance(profile, Profile) else load_profile(profile)


def report_contents(filing: dict[str, Any], profile: Profile | str = "default") -> list[ReportContent]:
    """附件2 (when the filing has a 附件1) and every 附件4-N: filed sections where present,
    drafts from the filed figures elsewhere."""
    rules = _profile(profile)
    filing_view = view(normalized(filing))
    tables = filing_view.tables if has_department(filing) else filing_view.projects
    contents = []
    for table in tables:
        figures = table_figures(filing_view, table, rules)
        outline = DEPARTMENT_OUTLINE if table.is_department else PROJECT_OUTLINE
        raw = table.report.raw if isinstance(table.report.raw, str) else ""
        split = split_report(raw, outline)
        bodies, drafted = {}, []
        for section in outline.sections:
            body = split.body(section.key)
            if not body.strip():
                body = draft(outline.kind, section.key, figures)
                if body:
                    drafted.append(section.key)
            bodies[section.key] = body
        contents.append(ReportContent(table.report_label, table.report.pointer, outline, figures,
                                      bodies, tuple(drafted), bool(raw.strip())))
    return contents


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
