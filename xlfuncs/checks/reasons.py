"""Is a funds figure explained? A reason is one sentence about that row that gives a cause.

A budget adjustment (年初 ≠ 全年) or a low execution rate must be explained by a sentence that
speaks of the money (资金, 预算, 执行率, 结余 … or the row's own name, such as 上年结转资金) and
gives a cause (因, 由于, 未, 结余, 调整 …), written on the funds row itself (the additive
``adjust_reason`` / ``rate_reason`` fields or a reason column), in an indicator's 偏差原因 cell,
in a table-level reason field, in 年度总体目标, or in the report. A keyword somewhere in the report
is not enough, and the forms' printed prompts never count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ..filing import FundRow, Table
from ..textnorm import simplify
from .context import Context
from .targets import any_word

_SENTENCE = re.compile(r"[。；;！!？?\n]")
_REASON_LABELS = ("原因", "说明", "偏差", "情况分析")
_FIELDS = {"adjust": "adjust_reason", "rate": "rate_reason"}


def sentences(raw: object, prompts: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The sentences of a text, folded (traditional characters simplified), prompts removed."""
    if not isinstance(raw, str) or not raw.strip():
        return ()
    return _sentences(raw, prompts)


def strip_prompts(text: str, prompts: tuple[str, ...]) -> str:
    """Simplified ``text`` without the form's printed prompts (what the unit wrote around them)."""
    for prompt in prompts:
        text = text.replace(simplify(prompt), "")
    return text


@lru_cache(maxsize=1024)
def _sentences(raw: str, prompts: tuple[str, ...]) -> tuple[str, ...]:
    text = strip_prompts(simplify(raw), prompts)
    return tuple(s.strip() for s in _SENTENCE.split(text) if s.strip())


def _candidates(ctx: Context, table: Table) -> Iterator[str]:
    prompts = ctx.profile.prompt_phrases
    for fund_row in table.fund_rows:
        for key in _FIELDS.values():
            yield from sentences(fund_row.raw.get(key), prompts)
        for label, field in fund_row.extra.items():
            if any(w in label for w in _REASON_LABELS):
                yield from sentences(field.raw, prompts)
    for indicator in table.indicators:
        yield from sentences(indicator.deviation.raw, prompts)
    for label, field in table.header.items():
        if any(w in label for w in _REASON_LABELS):
            yield from sentences(field.raw, prompts)
    yield from sentences(table.goal_actual.raw, prompts)
    yield from sentences(table.report.raw, prompts)


def _subjects(ctx: Context, row: FundRow) -> tuple[str, ...]:
    own = []
    label = simplify(row.label).replace("其中", "").strip(":： ")
    for word in ("结转", "结余", "财政拨款", "其他资金", "补助", "自筹"):
        if word in label:
            own.append(word)
    if label and not own:
        own.append(label)
    return (*ctx.profile.funds_subject_words, *own)


def explained(ctx: Context, table: Table, row: FundRow, kind: str) -> bool:
    """True when a sentence explains ``row``'s adjustment (``kind="adjust"``) or low rate (``"rate"``)."""
    own = row.raw.get(_FIELDS[kind])
    if isinstance(own, str) and own.strip():
        return True  # the row's own reason field: whatever it says is the unit's stated reason
    causes = any_word(ctx.profile.adjustment_cause_words if kind == "adjust" else ctx.profile.low_rate_cause_words)
    subjects = any_word(_subjects(ctx, row))
    for sentence in _candidates(ctx, table):
        if subjects.search(sentence) and causes.search(sentence):
            return True
    return False
