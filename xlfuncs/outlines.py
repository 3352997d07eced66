"""The two report outlines (rules.md §4) and how a filed report text maps onto them.

附件2 (部门整体支出绩效自评报告) and 附件4-N (项目支出绩效自评报告) follow fixed outlines.
Filed texts number their headings loosely ("1、 预算单位基本情况", "（3） 资金投入情况分析。"
where the outline says "一、…" / "（一）…"), so a heading is recognised by its title, in
outline order, whatever its numbering. :func:`split_report` gives each section's body;
:func:`assemble_report` writes bodies back as one text with the outline's own headings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

DEPARTMENT, PROJECT = "department", "project"
FUNDS, INDICATORS = "funds", "indicators"


@dataclass(frozen=True)
class Section:
    """One heading of a report outline."""

    key: str
    number: str  # "一、", "（一）", "1.", "（1）"
    title: str
    level: int  # 1 = 一、 … 4 = （1）
    aliases: tuple[str, ...] = ()  # other spellings that identify the heading in filed texts
    inline: bool = False  # printed at the start of its paragraph: "（1）经济效益：…"
    figures: str = ""  # FUNDS or INDICATORS: the table's figures are shown under this heading

    @property
    def heading(self) -> str:
        """The heading as the outline prints it: "（一）资金投入情况分析"."""
        return self.number + self.title

    @property
    def names(self) -> tuple[str, ...]:
        """Title and aliases, longest first (the longest match wins)."""
        return tuple(sorted({self.title, *self.aliases}, key=len, reverse=True))


@dataclass(frozen=True, eq=False)
class Outline:
    """The headings of one kind of report, in order (two module constants, equal only to themselves:
    hashing one is free, which the cached :func:`split_report` relies on)."""

    kind: str
    title: str
    sections: tuple[Section, ...]

    def section(self, key: str) -> Section:
        """The section with ``key``."""
        for item in self.sections:
            if item.key == key:
                return item
        raise KeyError(key)



S = Section
DEPARTMENT_OUTLINE = Outline(DEPARTMENT, "部门整体支出绩效自评报告", (
    S("basic_info", "一、", "预算单位基本情况", 1, ("部门（单位）基本情况", "部门基本情况", "单位基本情况", "基本情况")),
    S("spending", "二、", "一般公共预算支出情况", 1, ("一般公共预算支出",), figures=FUNDS),
    S("spending.basic", "（一）", "基本支出", 2, ("基本支出情况",)),
    S("spending.project", "（二）", "项目支出", 2, ("项目支出情况",)),
    S("performance", "三、", "部门整体支出绩效情况", 1, ("整体支出绩效情况", "部门整体支出绩效"), figures=INDICATORS),
    S("problems", "四、", "存在的问题及原因分析", 1, ("存在的问题", "存在问题")),
    S("measures", "五、", "下一步改进措施", 1, ("改进措施",)),
    S("publicity", "六、", "绩效自评结果拟应用和公开情况", 1,
      ("部门整体支出绩效自评结果拟应用和公开情况", "自评结果拟应用", "结果应用和公开")),
))

PROJECT_OUTLINE = Outline(PROJECT, "项目支出绩效自评报告", (
    S("work", "一、", "绩效自评工作开展情况", 1, ("自评工作开展情况",)),
    S("analysis", "二、", "绩效目标自评完成情况分析", 1, ("绩效目标自评完成情况",)),
    S("funds", "（一）", "资金投入情况分析", 2, ("资金投入情况",), figures=FUNDS),
    S("funds.arrival", "1.", "项目资金到位情况分析", 3, ("项目资金到位情况", "资金到位情况")),
    S("funds.execution", "2.", "项目资金执行情况分析", 3, ("项目资金执行情况", "资金执行情况")),
    S("funds.management", "3.", "项目资金管理情况分析", 3, ("项目资金管理情况", "资金管理情况")),
    S("goals", "（二）", "绩效目标完成情况分析", 2, ("绩效目标完成情况",), figures=INDICATORS),
    S("goals.output", "1.", "产出指标完成情况分析", 3, ("产出指标完成情况",)),
    S("goals.benefit", "2.", "效益指标完成情况分析", 3, ("效益指标完成情况",)),
    S("goals.benefit.economic", "（1）", "经济效益", 4, ("经济效益指标",), inline=True),
    S("goals.benefit.social", "（2）", "社会效益", 4, ("社会效益指标",), inline=True),
    S("goals.benefit.ecological", "（3）", "生态效益", 4, ("生态效益指标",), inline=True),
    S("goals.benefit.sustainable", "（4）", "可持续影响", 4, ("可持续影响指标",), inline=True),
    S("goals.satisfaction", "3.", "满意度指标完成情况分析", 3, ("满意度指标完成情况",)),
    S("deviation", "三、", "偏离绩效目标的原因和下一步改进措施", 1, ("偏离绩效目标的原因",)),
    S("deviation.problems", "（一）", "存在的问题", 2, ("存在问题",)),
    S("deviation.measures", "（二）", "改进措施", 2, ("下一步改进措施",)),
    S("publicity", "四、", "绩效自评结果拟应用和公开情况", 1, ("自评结果拟应用", "结果应用和公开")),
))
del S

OUTLINES = {DEPARTMENT: DEPARTMENT_OUTLINE, PROJECT: PROJECT_OUTLINE}

# Numbering in front of a heading, in any of the styles filers mix: 一、 1、 1. （一） (1) 第一、
_NUMBERING = re.compile(
    r"^\s*(?:第?[一二三四五六七八九十]+\s*[、.]|[(][一二三四五六七八九十0-9]+[)]|[0-9]+\s*[、.](?![0-9]))\s*"
)
_AFTER_TITLE = re.compile(r"^(?:情况分析|情况|分析)?\s*[。：:，,.;；、]?\s*")  # one separator, not the body's own
_TRAILING = "。：:，,.;； \t"
_TITLE = re.compile(r"(?P<whose>部门整体支出|部门整体|整体支出|部门|项目支出|项目)?绩效(?:自评|自我评价)(?:情况)?报告"
                    r"(?:[(（]20[0-9]{2}年度?[)）])?$")
_REPORT_LABEL = re.compile(r"^\s*附件\s*(2|4\s*[-－—–]\s*([0-9]+))")


#: Full-width ASCII (U+FF01–FF5E) and U+3000 to their half-width forms, one character for one.
_FOLD_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def _fold(text: str) -> str:
    """Full-width ASCII and U+3000 folded one character for one (offsets stay valid)."""
    return text.translate(_FOLD_TABLE)


@lru_cache(maxsize=512)
def _folded_name(name: str) -> str:
    return _fold(name)


def _match_heading(line: str, section: Section, folded: str | None = None) -> str | None:
    """The text after ``section``'s title when ``line`` is its heading, else None (``folded``: ``_fold(line)``)."""
    folded = _fold(line) if folded is None else folded
    numbering = _NUMBERING.match(folded)
    start = numbering.end() if numbering else len(folded) - len(folded.lstrip())
    body = folded[start:]
    for name in section.names:
        folded_name = _folded_name(name)
        if numbering and body.startswith(folded_name):
            rest_at = start + len(folded_name)
            rest_at += _AFTER_TITLE.match(folded[rest_at:]).end()
            return line[rest_at:].strip()
        if not numbering and body.rstrip(_TRAILING) == folded_name:
            return ""
    return None


def title_kind(line: str) -> str | None:
    """DEPARTMENT or PROJECT when ``line`` is a report's title, as units write it (“……部门整体支出绩效自评报告”,
    “水电维修费项目绩效自评报告（2022年度）”, “部门整体绩效自评情况报告”); "" for a bare “绩效自评报告”; else None."""
    text = "".join(_fold(line).split())
    if len(text) > 80 or any(c in text for c in "，。；：,;:"):  # a title is no sentence
        return None
    found = _TITLE.search(text)
    if not found:
        return None
    whose = found.group("whose") or ""
    return DEPARTMENT if "部门" in whose or "整体" in whose else PROJECT if whose else ""


def _is_title(line: str, outline: Outline) -> bool:
    """True for a blank line or the document's own title ("项目支出绩效自评报告", or as a unit titled it)."""
    stripped = _fold(line).strip().rstrip(_TRAILING)
    return not stripped or stripped.endswith(outline.title) or title_kind(stripped) in (outline.kind, "")


@dataclass(frozen=True)
class SplitReport:
    """A filed text cut into the outline's sections."""

    outline: Outline
    bodies: dict[str, str]  # every section key → its body ('' when absent or empty)
    found: frozenset[str]  # keys whose heading appeared in the text

    def body(self, key: str) -> str:
        """The body of one section."""
        return self.bodies.get(key, "")


def _tidy(lines: list[str]) -> str:
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(line.rstrip() for line in lines)


def split_report(text: str | None, outline: Outline) -> SplitReport:
    """Cut a filed report into sections, recognising headings by title in outline order.

    A heading line may carry text after its title ("五、下一步改进措施。无"); that text
    starts the body. Lines before the first heading other than the document's own title
    go to the first section, so nothing filed is dropped. The result is shared between
    callers (cached): read it, do not change it.
    """
    return _split(text or "", outline)


@lru_cache(maxsize=256)
def _split(text: str, outline: Outline) -> SplitReport:
    collected: dict[str, list[str]] = {s.key: [] for s in outline.sections}
    found: set[str] = set()
    current = -1
    preamble: list[str] = []
    for line in text.splitlines():
        hit = None
        folded = _fold(line)
        for index in range(current + 1, len(outline.sections)) if folded.strip() else ():
            rest = _match_heading(line, outline.sections[index], folded)
            if rest is not None:
                hit = index, rest
                break
        if hit is not None:
            current, rest = hit
            key = outline.sections[current].key
            found.add(key)
            if rest:
                collected[key].append(rest)
        elif current >= 0:
            collected[outline.sections[current].key].append(line)
        elif any(p.strip() for p in preamble) or not _is_title(line, outline):
            preamble.append(line)
    if any(line.strip() for line in preamble):
        first = outline.sections[0].key
        collected[first] = preamble + collected[first]
    bodies = {key: _tidy(lines) for key, lines in collected.items()}
    return SplitReport(outline, bodies, frozenset(found))


def join_sections(title: str, items: Iterable[tuple[str, str, bool]]) -> str:
    """A report text from (heading, body, inline) triples, the document title first.

    An inline heading shares its line with the body's first line: "（1）经济效益：正文".
    """
    lines = [title, ""]
    for heading, body, inline in items:
        body = (body or "").strip("\n")
        if inline:
            first, _, body = body.partition("\n")
            lines.append(f"{heading}：{first}" if first.strip() else heading)
        else:
            lines.append(heading)
        if body.strip():
            lines.extend(body.splitlines())
    return "\n".join(lines)


def assemble_report(outline: Outline, bodies: Mapping[str, str]) -> str:
    """One report text with the outline's headings and the given bodies; it splits back
    (:func:`split_report`) into the same bodies."""
    return join_sections(outline.title, ((s.heading, bodies.get(s.key) or "", s.inline) for s in outline.sections))


def report_pointer(label: str) -> str | None:
    """JSON Pointer of a report's text from its label: 附件2 → /department_report/text,
    附件4-3 → /projects/2/report/text; None for anything else."""
    match = _REPORT_LABEL.match(label or "")
    if not match:
        return None
    if match.group(2) is None:
        return "/department_report/text"
    number = int(match.group(2))
    return f"/projects/{number - 1}/report/text" if number >= 1 else None


def outline_for_label(label: str) -> Outline | None:
    """The outline of a report label (附件2 or 附件4-N)."""
    pointer = report_pointer(label)
    if pointer is None:
        return None
    return DEPARTMENT_OUTLINE if pointer.startswith("/department_report") else PROJECT_OUTLINE
