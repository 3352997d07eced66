"""What goes into each report (附件2, 附件4-N): the filed text cut into the outline, drafts for
empty sections (from the tables' figures), and those figures. Pure Python: the 自评报告 sheet of
the master workbook and the export's .docx writer both start here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .engine import score_filing
from .filing import view
from .outlines import DEPARTMENT_OUTLINE, PROJECT_OUTLINE, Outline, assemble_report, split_report
from .profiles import Profile, load_profile
from .report_drafts import draft
from .report_figures import TableFigures, all_figures
from .scoring import TableScore


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
    def title(self) -> str:
        """Document title: 2022年度…部门整体支出绩效自评报告 / …项目支出绩效自评报告."""
        f = self.figures
        if self.outline is DEPARTMENT_OUTLINE:
            return f"{f.unit}{f.year}年度{DEPARTMENT_OUTLINE.title}"
        name = f.name.removesuffix("项目") or f.label
        return f"{name}{PROJECT_OUTLINE.title}"

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


def _scores(filing: dict[str, Any], scores: list[TableScore] | None, profile: Profile | str) -> list[TableScore]:
    return scores if scores is not None else score_filing(filing, profile)


def report_contents(filing: dict[str, Any], scores: list[TableScore] | None = None,
                    profile: Profile | str = "default") -> list[ReportContent]:
    """附件2 and every 附件4-N: filed sections where present, drafts elsewhere.

    ``scores`` are the engine's (``evaluate(...).scores``); computed when not given.
    """
    filing_view = view(filing)
    figures = all_figures(filing_view, _scores(filing, scores, profile))
    contents = []
    for table, table_figures in zip(filing_view.tables, figures, strict=True):
        outline = DEPARTMENT_OUTLINE if table.is_department else PROJECT_OUTLINE
        raw = table.report.raw if isinstance(table.report.raw, str) else ""
        split = split_report(raw, outline)
        bodies, drafted = {}, []
        for section in outline.sections:
            body = split.body(section.key)
            if not body.strip():
                body = draft(outline.kind, section.key, table_figures)
                if body:
                    drafted.append(section.key)
            bodies[section.key] = body
        contents.append(ReportContent(table.report_label, table.report.pointer, outline, table_figures,
                                      bodies, tuple(drafted), bool(raw.strip())))
    return contents


def profile_title(profile: Profile | str) -> str:
    """The display title of a profile."""
    return (profile if isinstance(profile, Profile) else load_profile(profile)).title
