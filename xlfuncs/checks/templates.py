"""E7: template placeholders, printed prompts and empty template rows left in tables and reports,
and required cells left empty."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..filing import Field, Table
from ..findings import INFO, Finding
from ..measures import parse_measure
from ..scoring import UNUSED
from ..textnorm import fold_text, simplify
from ..values import clean_text, display_text, parse_amount, parse_points
from .context import Context, check, indicator_name, iter_tables, text

_FIELD_WORDS = {"level2": "二级指标", "level3": "三级指标", "target": "年度指标值", "actual": "实际完成值",
                "deviation": "偏差原因分析及改进措施"}
_REQUIRED = {"level3": "三级指标", "target": "年度指标值", "actual": "实际完成值"}


@dataclass(frozen=True, eq=False)
class Template:
    """A profile's template wording: placeholder patterns and printed prompts (also folded). Equal only
    to itself, so the per-text caches below hash it for free (hashing a compiled pattern is not)."""

    pattern: re.Pattern[str]
    prompts: tuple[str, ...]
    folded: tuple[str, ...]


@lru_cache(maxsize=16)
def _template_of(pattern: re.Pattern[str], prompts: tuple[str, ...]) -> Template:
    return Template(pattern, prompts, tuple(fold_text(p) for p in prompts))


def template(ctx: Context) -> Template:
    """The profile's template wording (once per evaluation: ``ctx.shared(template)``)."""
    return _template_of(ctx.profile.placeholder_pattern, ctx.profile.prompt_phrases)


def is_placeholder(ctx: Context, raw: object) -> bool:
    """True for template text: placeholders (≥**人, 指标2:, ……, (100字以内)) and printed prompts."""
    return _is_template_text(raw, ctx.shared(template))


def _is_template_text(raw: object, words: Template) -> bool:
    if raw is None or raw == "":
        return False
    return _placeholder(raw if isinstance(raw, str) else str(raw), words)


@lru_cache(maxsize=16384)
def _placeholder(raw: str, words: Template) -> bool:
    cleaned = clean_text(raw)
    if not cleaned:
        return False
    if words.pattern.search(cleaned):
        return True
    folded = fold_text(raw)
    return any(p in folded for p in words.folded)


def _na_only(row_cells: list[Field]) -> bool:
    return any(parse_measure(c.raw).status == "na" for c in row_cells)


def _template_rows(ctx: Context, table: Table, results: list) -> Iterator[Finding]:
    for row, result in zip(table.indicators, results, strict=True):
        if result.role != UNUSED:
            continue
        name = clean_text(row.level3.raw)
        cells = [row.target, row.actual, row.points, row.score]
        if not name or _na_only(cells) or name.endswith(("/", "—", "-")):
            continue  # a heading-only row, or one marked not applicable ("指标1:/ / /"), is allowed
        if is_placeholder(ctx, row.level3.raw):
            yield ctx.finding(
                "E7", row.level3.pointer,
                f"{table.label} 第{row.index + 1}行是未填写的模板行（“{display_text(row.level3.raw) or '空白'}”），"
                "请删除或填写完整", expected="删除或填写", actual=display_text(row.level3.raw) or None,
                table=table.label)
        elif table.complete:
            yield ctx.finding(
                "E7", row.level3.pointer,
                f"{indicator_name(table, row.index)} 只有名称，年度指标值、实际完成值、分值、得分均为空；"
                "请填写完整或删除该行", expected="填写完整", actual=None, table=table.label)


SIGNOFF_LABELS = {"preparer": "填报人", "phone": "联系电话", "date": "填报日期", "head": "单位负责人",
                  "head_opinion": "单位主要负责人签批意见"}


def _text_fields(table: Table) -> Iterator[tuple[Field, str]]:
    yield table.name, "名称"
    yield table.goal_expected, "年度总体目标（预期目标）"
    yield table.goal_actual, "年度总体目标（实际完成情况）"
    yield from ((field, label) for label, field in table.header.items())
    yield from ((field, SIGNOFF_LABELS.get(key, key)) for key, field in table.signoff.items())


_REQUIRED_SIGNOFF = ("date", "preparer", "head")


def _imported(ctx: Context) -> bool:
    return "import" in ctx.view.raw


def _blank_required(ctx: Context, table: Table, results: list) -> Iterator[Finding]:
    # an imported 附件1 often names its unit outside the table; a project's form always has 项目名称 —
    # unless the source starts inside the table (cut, no funds block read): its head is on a lost page
    head_lost = _imported(ctx) and not table.complete and not table.raw.get("funds")
    if not text(table.name) and not (table.is_department and _imported(ctx)) and not head_lost:
        yield ctx.finding("E7", table.name.pointer, f"{table.label} 名称为空", expected="必填", table=table.label)
    for key in _REQUIRED_SIGNOFF:  # published copies often leave the footer blank: a hint, not a warning
        field = table.signoff.get(key)
        if field is not None and not text(field):
            yield ctx.finding("E7", field.pointer, f"{table.label} {SIGNOFF_LABELS[key]}为空，请填写",
                              expected="必填", table=table.label, severity=INFO)
    goal = table.raw.get("goal")
    if isinstance(goal, dict):
        for key, field, what in (("expected", table.goal_expected, "预期目标"), ("actual", table.goal_actual, "实际完成情况")):
            if key in goal and not text(field):
                yield ctx.finding("E7", field.pointer, f"{table.label} 年度总体目标的{what}为空，请填写",
                                  expected="必填", table=table.label)
    if table.raw.get("competent_department") == "":
        yield ctx.finding("E7", f"{table.pointer}/competent_department", f"{table.label} 主管部门为空，请填写",
                          expected="必填", table=table.label)
    parents = {row.breakdown_of for row in table.indicators if row.breakdown_of is not None}
    for row, result in zip(table.indicators, results, strict=True):
        if result.role != "indicator":
            continue
        for key, what in _REQUIRED.items():
            field = getattr(row, key)
            if key != "level3" and (result.from_filing or row.index in parents):
                continue  # process rows, rows with printed criteria and ★ parents of 其中 rows carry no values
            if not clean_text(field.raw):
                yield ctx.finding("E7", field.pointer, f"{indicator_name(table, row.index)} {what}为空，请填写",
                                  expected="必填", table=table.label)
        if _present(row.raw, "score") and parse_points(row.score.raw).empty:
            yield ctx.finding("E7", row.score.pointer, f"{indicator_name(table, row.index)} 得分为空，请填写",
                              expected="必填", table=table.label)


def _present(raw: object, key: str) -> bool:
    """True when a filing writes the cell (a form without that column leaves the key out)."""
    return isinstance(raw, dict) and key in raw


def _budget_cells(ctx: Context, table: Table) -> Iterator[Finding]:
    budget = ctx.scores[table.label].budget
    row = table.budget
    amounts = [parse_amount(row[c].raw, table.money_unit) for c in ("full_year", "executed")]
    if (budget.scored and budget.points is not None and _present(row.raw, "score")
            and parse_points(row["score"].raw).empty):
        yield ctx.finding("E7", row["score"].pointer,
                          f"{table.label} 预算执行得分为空（分值 {budget.points:g}），请填写",
                          expected=budget.score, table=table.label)
    if (table.complete and _present(table.raw.get("total"), "score") and parse_points(table.total_points.raw).ok
            and parse_points(table.total_score.raw).empty):  # the form's 总分/合计 row has its points, no score
        yield ctx.finding("E7", table.total_score.pointer, f"{table.label} 总分行的得分为空，请填写",
                          expected="必填", table=table.label)
    if all(a.ok for a in amounts) and _present(row.raw, "rate") and parse_points(row["rate"].raw).empty:
        yield ctx.finding("E7", row["rate"].pointer, f"{table.label} 年度资金总额的执行率为空，请填写",
                          expected=budget.rate, table=table.label)


def _report_hits(ctx: Context, raw: object) -> list[str]:
    if not isinstance(raw, str):
        return []
    return list(_hits_in(raw, ctx.shared(template)))


@lru_cache(maxsize=256)
def _hits_in(raw: str, words: Template) -> tuple[str, ...]:
    folded = fold_text(raw)
    hits = [p for p, f in zip(words.prompts, words.folded, strict=True) if f in folded]
    for line in simplify(raw).splitlines():
        cleaned = clean_text(line)
        if cleaned and words.pattern.search(cleaned) and display_text(line) not in hits:
            hits.append(display_text(line))
    return tuple(hits)


@check("E7")
def placeholders(ctx: Context) -> Iterator[Finding]:
    if not text(Field("/unit", ctx.view.unit)) and not _imported(ctx):  # imported tables seldom print it
        yield ctx.finding("E7", "/unit", "填报单位为空", expected="单位名称", actual=None, table="基本信息")
    for table, scores in iter_tables(ctx):
        yield from _template_rows(ctx, table, scores.indicators)
        for field, what in _text_fields(table):
            if is_placeholder(ctx, field.raw):
                yield ctx.finding("E7", field.pointer,
                                  f"{table.label} {what}“{display_text(field.raw)}”是模板占位符或提示语，请填写实际内容",
                                  expected="实际内容", actual=display_text(field.raw), table=table.label)
        words = ctx.shared(template)
        for row, result in zip(table.indicators, scores.indicators, strict=True):
            if result.role not in ("indicator", "breakdown"):
                continue
            for key, what in _FIELD_WORDS.items():
                field = getattr(row, key)
                if _is_template_text(field.raw, words):
                    yield ctx.finding("E7", field.pointer,
                                      f"{indicator_name(table, row.index)} {what}“{display_text(field.raw)}”"
                                      "含模板占位符或提示语，请改为实际内容",
                                      expected="实际内容", actual=display_text(field.raw), table=table.label)
        yield from _blank_required(ctx, table, scores.indicators)
        yield from _budget_cells(ctx, table)
        hits = _report_hits(ctx, table.report.raw)
        if hits:
            listed = "；".join(f"“{h[:40]}”" for h in hits[:3])
            yield ctx.finding("E7", table.report.pointer,
                              f"{table.report_label} 报告中留有模板提示语或占位符：{listed}，请删除并写明实际情况",
                              expected="实际内容", actual=hits[0][:80], table=table.report_label)
