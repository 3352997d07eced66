"""What goes into each report (附件2, 附件4-N): the unit's text cut into the outline, drafts for
sections it left empty, and its table's figures as filed. Pure Python: the master workbook's
自评报告 sheet and the export's .docx writer (:mod:`macros.report_content`) both start here.

The report tables repeat the official table's cells (:mod:`xlfuncs.report_figures`), so every
number a report prints is a number the package's 绩效自评表.xlsx shows. No notes, no tool words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .filing import view
from .outlines import DEPARTMENT_OUTLINE, PROJECT_OUTLINE, Outline, assemble_report, split_report
from .profiles import Profile, load_profile
from .report_drafts import draft
from .report_figures import TableFigures, table_figures


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
    filing_view = view(filing)  # its tables leave out a 附件1 that was not filed
    contents = []
    for table in filing_view.tables:
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
