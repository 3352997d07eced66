"""Checks on what a target or an actual says, against what such an indicator can mean.

E12: a budget-execution indicator whose own target is below the profile's ``low_rate``.
E14: a target written as a question (“是否…”) or an evaluation (“…的评价”), or a cost indicator
whose target is only 是/否: nothing can be measured against it.
E15: a ceiling (≤, 以内) on an output count: doing nothing would meet it.
E17: a share that cannot exceed 100 % (满意度, 合格率 …) written above 100 %.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ..filing import Indicator
from ..findings import Finding
from ..measures import Measure, is_count, parse_measure
from ..rowscore import REVERSE, IndicatorResult, kind_of
from ..values import LE, LT, display_text, format_rate
from .context import Context, check, indicator_name, iter_rows, text, words

_NUMBERING = re.compile(r"^(?:[★☆*※]+|指标[0-9一二三四五六七八九十]+[:：.、]?|[0-9]+[、.:：](?![0-9]))+")


def bare_name(row: Indicator) -> str:
    """The 三级指标 name folded, with list marks (“指标1:”, “1、”, “★”) and trailing punctuation removed."""
    return _bare(words(row.level3))


@lru_cache(maxsize=4096)
def _bare(folded: str) -> str:
    return _NUMBERING.sub("", folded).rstrip("。.;；:：")


def as_share(measure: Measure | None) -> float | None:
    """A percentage as a fraction (“76%” → 0.76; a bare 0.76 or 76 read the same), None when the
    figure is not a share (another unit, a date, a frequency, words)."""
    if measure is None or not measure.is_quantity or measure.value is None or measure.frequency \
            or measure.deadline:
        return None
    if measure.unit == "%":
        return measure.value / 100
    if measure.unit:
        return None
    if measure.value <= 1:
        return measure.value
    return measure.value / 100 if measure.value <= 100 else None


@lru_cache(maxsize=64)
def any_word(words_: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern finding any of a profile's words (a check runs it on every row)."""
    return re.compile("|".join(re.escape(w) for w in sorted(words_, key=len, reverse=True)) or r"(?!)")


def _target(row: Indicator, result: IndicatorResult) -> Measure:
    return result.target if result.target is not None else parse_measure(row.target.raw)


@check("E12")
def low_execution_target(ctx: Context) -> Iterator[Finding]:
    names, low = ctx.profile.execution_rate_name_patterns, ctx.profile.low_rate
    for table, row, result in iter_rows(ctx):
        if not names.search(bare_name(row)):
            continue
        target = _target(row, result)
        share = as_share(target)
        if share is None or target.comparator in (LE, LT) or share >= low - 1e-9:
            continue
        yield ctx.finding(
            "E12", row.target.pointer,
            f"{indicator_name(table, row.index)} 的年度指标值只有 {format_rate(share)}，低于执行率须说明原因的 "
            f"{format_rate(low)}：目标定得过低，执行率偏低也能得满分；请按不低于 {format_rate(low)} 设定",
            expected=f"≥{format_rate(low)}", actual=display_text(row.target.raw), table=table.label)


@check("E14")
def unmeasurable_targets(ctx: Context) -> Iterator[Finding]:
    profile = ctx.profile
    for table, row, _ in iter_rows(ctx):
        target = text(row.target)
        if not target:
            continue
        if profile.question_target_patterns.search(words(row.target)):
            yield ctx.finding(
                "E14", row.target.pointer,
                f"{indicator_name(table, row.index)} 的年度指标值“{target}”是一个问题或评价，不是可以衡量的目标；"
                "应写明要达到的数量、比例或程度（如“≥90%”“达到××标准”）",
                expected="可衡量的目标值", actual=target, table=table.label)
        elif target in profile.yes_no_targets and \
                any(w in words(row.level2) or w in words(row.level3) for w in profile.cost_keywords):
            yield ctx.finding(
                "E14", row.target.pointer,
                f"{indicator_name(table, row.index)} 是成本指标，年度指标值只写“{target}”，成本无从核对；"
                "应填写单位成本或成本控制数（如“≤200元/人”）",
                expected="单位成本或成本控制数", actual=target, table=table.label)


def _is_ceiling(row: Indicator, target: Measure) -> bool:
    if target.comparator in (LE, LT):
        return True
    return target.comparator is None and kind_of(row.kind.raw) == REVERSE


@check("E15")
def ceiling_on_output_count(ctx: Context) -> Iterator[Finding]:
    profile = ctx.profile
    exempt = any_word((*profile.reverse_count_keywords, *profile.reverse_name_keywords,
                       *profile.control_name_keywords, *profile.cost_keywords, *profile.ceiling_count_words))
    for table, row, result in iter_rows(ctx):
        if "数量" not in words(row.level2):
            continue
        target = _target(row, result)
        if not is_count(target) or target.is_range or not _is_ceiling(row, target):
            continue
        if exempt.search(words(row.level3)):
            continue
        yield ctx.finding(
            "E15", row.target.pointer,
            f"{indicator_name(table, row.index)} 是产出数量，年度指标值“{display_text(row.target.raw)}”只设上限，"
            "完成得再少（甚至为 0）也算达标；产出数量应写“≥”或“=”",
            expected="≥ 或 = 目标数", actual=display_text(row.target.raw), table=table.label)


@check("E17")
def share_above_whole(ctx: Context) -> Iterator[Finding]:
    bounded = any_word(ctx.profile.bounded_share_words)
    for table, row, result in iter_rows(ctx):
        if not bounded.search(words(row.level3)):
            continue
        for field, measure, label in ((row.target, _target(row, result), "年度指标值"),
                                      (row.actual, result.actual if result.actual is not None
                                       else parse_measure(row.actual.raw), "实际完成值")):
            if measure.is_quantity and measure.unit == "%" and measure.value is not None \
                    and measure.value > 100 + 1e-9:
                shown = display_text(field.raw)
                yield ctx.finding(
                    "E17", field.pointer,
                    f"{indicator_name(table, row.index)} 的{label}“{shown}”超过 100%，这种比率不可能超过 100%；"
                    "请核对是否笔误（如“≥90%”的“≥”被写成或识别成“2”），填写实际的比率",
                    expected="不超过 100%", actual=shown, table=table.label)
