"""Walking documents in order: which blocks are forms (附件1, 附件3-N, with the form lines printed
above them and their page-break continuations), which paragraphs are reports (附件2, 附件4-N), which
tables sit inside a report, and what belongs to none of them.

A report runs from its title line (“……项目支出绩效自评报告”, possibly after a “附件4-2” caption)
to the next 附件 caption, the next report title, or a table that opens a form of its own. The
lines printed under a report's title (“（2022年度）”, “填报单位：……”) are its cover, not its text.
A table inside a report (a “表1 ……” figure table or any other) belongs to the report: a report is
text, so its tables are listed, and those perfeval did not draw itself from the forms (the
``figures`` mark a package's manifest gives) are reported as not imported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..grid import Document, Paragraph, Table
from .fold import fold
from .reading import Unplaced
from .reports import Report, caption_number, is_form_line, report_kind
from .rows import Grid, Origin, Row, append, grid_of, looks_titled
from .table import read_table

_TABLE_CAPTION = re.compile(r"^(续?表[0-9一二三四五六七八九十]+|续表)")
_COVER_LINE = re.compile(r"^([(（]?20\d{2}年度?[)）]?|(填报|报告|申报)?单位(名称)?(（盖章）|\(盖章\))?[:：].*|填报日期[:：].*)$")
_FORM_HEAD = re.compile(r"^.{0,30}?(部门整体支出|项目支出|项目|部门)绩效(自评|评价|目标)(表|情况表)$")
#: Why the cells of a report's own table are not in the filing.
REPORT_TABLE_WHY = "报告中的表格：报告只导入文字，表格内容未导入"


@dataclass
class ReportTable:
    """A table found inside a report, with the caption line above it (if any)."""

    report: Report
    table: Table
    caption: str = ""


@dataclass
class Walk:
    """What the documents hold, in order: form grids, reports, tables inside reports, stray lines."""

    grids: list[Grid] = field(default_factory=list)
    joined: dict[int, list[int]] = field(default_factory=dict)
    reports: list[Report] = field(default_factory=list)
    report_tables: list[ReportTable] = field(default_factory=list)
    stray: list[Unplaced] = field(default_factory=list)


def _paragraph_row(p: Paragraph) -> Row:
    return Row([p.text], Origin(p.source, 0, p.index - 1))


def _stray(walk: Walk, p: Paragraph, why: str) -> None:
    if p.text.strip():
        walk.stray.append(Unplaced(Origin(p.source, 0, p.index - 1), 0, p.text, why))


def is_table_caption(text: str) -> bool:
    """“表1 项目资金情况（单位：万元）”, “续表”: the caption line of a table inside a report."""
    line = fold(text)
    return bool(line) and len(line) <= 60 and bool(_TABLE_CAPTION.match(line))


def _is_cover_line(text: str) -> bool:
    return bool(_COVER_LINE.match(fold(text)))


def _is_form_head(text: str) -> bool:
    """A line printed above a form: its title (“2022年度项目支出绩效自评表”), year or 填报单位 line;
    not a sentence that names a form (“公开绩效目标表及绩效自评表”)."""
    line = fold(text)
    return bool(_FORM_HEAD.match(line) or _COVER_LINE.match(line))


def _is_name_line(text: str) -> bool:
    """A short line without punctuation (a unit's name printed above a report title)."""
    line = fold(text)
    return 0 < len(line) <= 40 and not any(c in line for c in "。，,；;：:、")


def _is_continuation(walk: Walk, table: Table, lines: list[Paragraph]) -> bool:
    if not walk.grids or lines or looks_titled(table):
        return False
    alone = read_table(grid_of(table))
    data = alone.data
    own = ("funds", "goal", "name", "competent_department", "implementing_unit")
    return not alone.title and not any(data.get(key) for key in own)


class _DocumentWalk:
    """The walk through one document's blocks."""

    def __init__(self, walk: Walk) -> None:
        self.walk = walk
        self.pending: list[Paragraph] = []  # paragraphs since the last table, outside any report
        self.report: Report | None = None
        self.caption: tuple[int, int | None] | None = None  # a 附件2 / 附件4-N caption waiting for its report

    def paragraph(self, p: Paragraph) -> None:
        number = caption_number(p.text)
        if number:
            self.report = None
            if number[0] in (2, 4):
                self.caption = number
            else:
                self.pending.append(p)
            return
        kind = report_kind(p.text, self.caption)
        if kind:
            wanted = 2 if kind == "department" else 4
            n = self.caption[1] if self.caption and self.caption[0] == wanted else None
            self.report = Report(kind, n, p.text, [p])
            self.walk.reports.append(self.report)
            self.caption = None
            if self.pending and _is_name_line(self.pending[-1].text):  # the unit's name typed above the title
                self.report.cover.append(self.pending.pop())
            self.flush()
            return
        if self.report is None:
            self.pending.append(p)
        elif len(self.report.paragraphs) == 1 and _is_cover_line(p.text):
            self.report.cover.append(p)
        else:
            self.report.paragraphs.append(p)

    def _inside_report(self, table: Table) -> bool:
        """True when ``table`` belongs to the open report (then it is recorded as the report's)."""
        report = self.report
        if report is None:
            return False
        body = report.paragraphs
        last = next((i for i in range(len(body) - 1, 0, -1) if body[i].text.strip()), None)
        if last is not None and is_table_caption(body[last].text):
            caption = body.pop(last)
            self.walk.report_tables.append(ReportTable(report, table, caption.text))
            return True
        if looks_titled(table):  # a form of its own: the report ended, its form lines go with the table
            start = len(body)
            while start > 1 and (not body[start - 1].text.strip() or _is_form_head(body[start - 1].text)):
                start -= 1
            self.pending = body[start:]
            del body[start:]
            self.report = None
            return False
        self.walk.report_tables.append(ReportTable(report, table))
        return True

    def table(self, table: Table) -> None:
        if self._inside_report(table):
            return
        walk = self.walk
        self.report = None
        lines: list[Paragraph] = []
        while self.pending and (is_form_line(self.pending[-1].text) or not self.pending[-1].text.strip()):
            lines.insert(0, self.pending.pop())
        self.flush()
        lines = [p for p in lines if p.text.strip()]
        if _is_continuation(walk, table, lines):
            append(walk.grids[-1], table)
            walk.joined.setdefault(len(walk.grids) - 1, []).append(table.index)
            return
        grid = grid_of(table)
        grid.rows = [_paragraph_row(p) for p in lines] + grid.rows
        walk.grids.append(grid)

    def flush(self) -> None:
        """The paragraphs waiting for a table or report that did not take them: strays."""
        for p in self.pending:
            _stray(self.walk, p, "不在任何表格或报告之内")
        self.pending = []

    def finish(self) -> None:
        self.flush()


def walk_documents(documents: Sequence[Document]) -> Walk:
    """Sort every block of ``documents`` into forms, reports, report tables and strays."""
    walk = Walk()
    for document in documents:
        state = _DocumentWalk(walk)
        for block in document.blocks:
            if isinstance(block, Paragraph):
                state.paragraph(block)
            else:
                state.table(block)
        state.finish()
    return walk


def report_table_unplaced(entry: ReportTable) -> Unplaced | None:
    """The one I1 entry for a report's table perfeval did not draw (None for its own figure tables)."""
    table = entry.table
    if table.meta.get("figures"):
        return None
    for r, cells in enumerate(table.rows):
        for c, text in enumerate(cells):
            if text and text.strip():
                shown = entry.caption or text
                return Unplaced(Origin(table.source, table.index, r, table.sheet), c, shown, REPORT_TABLE_WHY)
    return None
