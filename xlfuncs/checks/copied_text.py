"""Text carried over from somewhere else instead of written for this table.

E13: a deadline whose year is earlier than the filing's year, in an indicator's name or target or
in the 年度总体目标 (“2021年11月30日前完成资金支付” on a 2022 form): copied from an earlier year.
E18: a 项目名称 that is the form's title (“…绩效自评表”).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..filing import Field, is_year
from ..findings import Finding
from ..measures import parse_measure
from .context import Context, check, indicator_name, iter_rows, text, words

_YEAR = re.compile(r"(?:19|20)[0-9]{2}")


def _past_deadline(ctx: Context, field: Field, year: int) -> str | None:
    """The first deadline in ``field`` whose year is before ``year``, as written; else None."""
    if not isinstance(field.raw, str) or "年" not in field.raw:
        return None  # every deadline with a year has 年 (most cells have none: skip folding them)
    folded = words(field)
    for match in ctx.profile.deadline_patterns.finditer(folded):
        written = _YEAR.search(match.group(0))
        if written and int(written.group(0)) < year:
            return match.group(0)
    return None


def _past_target(field: Field, year: int) -> str | None:
    if not isinstance(field.raw, str) or "年" not in field.raw:
        return None
    measure = parse_measure(field.raw)
    if measure.deadline and measure.year is not None and measure.year < year:
        return text(field)
    return None


@check("E13")
def copied_deadlines(ctx: Context) -> Iterator[Finding]:
    filed = ctx.view.year
    if not is_year(filed):
        return
    year = int(filed)

    def finding(field: Field, where: str, deadline: str, label: str) -> Finding:
        return ctx.finding(
            "E13", field.pointer,
            f"{where}的时限“{deadline}”早于本表年度 {year} 年，疑为照抄往年的时限；请改为本年度的时限",
            expected=f"{year}年的时限", actual=deadline, table=label)

    for table in ctx.view.tables:
        for field, what in ((table.goal_expected, "年度总体目标"), (table.goal_adjusted, "调整后的年度目标")):
            if field is None:
                continue
            deadline = _past_deadline(ctx, field, year)
            if deadline:
                yield finding(field, f"{table.label} {what}", deadline, table.label)
    for table, row, _ in iter_rows(ctx, ("indicator", "breakdown")):
        for field, label in ((row.level3, "名称"), (row.target, "年度指标值")):
            deadline = _past_deadline(ctx, field, year) or (_past_target(field, year) if field is row.target else None)
            if deadline:
                yield finding(field, f"{indicator_name(table, row.index)} {label}", deadline, table.label)


@check("E18")
def title_as_name(ctx: Context) -> Iterator[Finding]:
    pattern = ctx.profile.form_title_patterns
    for table in ctx.view.tables:
        name = words(table.name)
        if name and pattern.search(name):
            what = "单位名称" if table.is_department else "项目名称"
            yield ctx.finding(
                "E18", table.name.pointer,
                f"{table.label} {what}“{text(table.name)}”是表格标题，不是{what}；请填写{what}本身",
                expected=what, actual=text(table.name), table=table.label)
