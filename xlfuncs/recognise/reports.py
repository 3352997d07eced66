"""Paragraphs outside tables: the form lines just above a table (title, year, 填报单位), and the
reports (附件2 / 附件4-N) recognised by their titles and 附件 captions; the outlines of
:mod:`xlfuncs.outlines` tell a report's kind."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..grid import Paragraph
from ..outlines import DEPARTMENT, PROJECT, title_kind
from .fold import fold, fold_keep_lines

_CAPTION = re.compile(r"^附件\s*(?P<n>[0-9]+)(?:\s*[-－—–]\s*(?P<m>[0-9]+))?$")
_FORM_LINE = re.compile(r"(自评表|评价表|目标表|^[(（]?20\d{2}年度?[)）]?$|^填报单位|^附件)")


@dataclass
class Report:
    """One report found in the paragraphs."""

    kind: str  # "department" or "project"
    number: int | None  # N of 附件4-N when a caption says it
    title: str
    paragraphs: list[Paragraph] = field(default_factory=list)  # the title paragraph first
    cover: list[Paragraph] = field(default_factory=list)  # lines printed with the title (year, 填报单位)
    pointer: str | None = None  # where the text went in the filing, once assigned

    @property
    def text(self) -> str:
        """The report as one text, paragraphs as lines, kept as filed; the title first, on one
        line (a title set over two lines, “单位名称⏎2022年度部门整体支出绩效自评报告”, is one heading)."""
        title = "".join(line.strip() for line in self.title.splitlines())
        return "\n".join([title, *(p.text for p in self.paragraphs[1:])])


def caption_number(text: str) -> tuple[int, int | None] | None:
    """(2, None) for “附件2”, (4, 3) for “附件4-3”; None when the text is not a caption."""
    found = _CAPTION.match(fold(text))
    if not found:
        return None
    return int(found.group("n")), int(found.group("m")) if found.group("m") else None


def report_kind(text: str, caption: tuple[int, int | None] | None = None) -> str | None:
    """“department” or “project” when a paragraph is a report's title line (:func:`xlfuncs.outlines.title_kind`:
    “……部门整体支出绩效自评报告”, “水电维修费项目绩效自评报告（2022年度）”); a bare “绩效自评报告” only under an
    附件2 / 附件4-N ``caption``."""
    kind = title_kind(fold_keep_lines(text).replace("\n", ""))
    if kind == "" and caption and caption[0] in (2, 4):
        return DEPARTMENT if caption[0] == 2 else PROJECT
    return kind or None


def is_form_line(text: str) -> bool:
    """A short line printed above a table (title, year, 填报单位, 附件 caption)."""
    line = fold(text)
    return bool(line) and len(line) <= 60 and bool(_FORM_LINE.search(line)) and report_kind(text) is None


def plain(text: str) -> str:
    """A report line with traditional characters and pinyin glosses folded (for matching names)."""
    return fold_keep_lines(text)
