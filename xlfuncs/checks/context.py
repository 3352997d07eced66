"""Shared state of one validation run: the filing view, the profile and the recomputed scores."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..catalogue import RULES_BY_ID
from ..filing import Field, FilingView, Indicator, Table
from ..findings import Finding
from ..profiles import Profile
from ..rowscore import IndicatorResult
from ..scoring import TableScore
from ..textnorm import _fold, fold_text
from ..values import WAN, _clean_str, clean_text, convert_money, money_text, parse_amount

CheckFunction = Callable[["Context"], Iterable[Finding]]
REGISTRY: dict[str, CheckFunction] = {}
T = TypeVar("T")


def check(rule_id: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register a function as the implementation of a catalogue rule."""
    def register(function: CheckFunction) -> CheckFunction:
        if rule_id not in RULES_BY_ID:
            raise KeyError(f"rule {rule_id} is not in the catalogue")
        REGISTRY[rule_id] = function
        return function
    return register


@dataclass
class Context:
    """Everything a check may look at; ``findings`` holds what the checks before found."""

    view: FilingView
    profile: Profile
    scores: dict[str, TableScore]
    findings: list[Finding] = field(default_factory=list)
    _shared: dict[Callable[[Context], Any], Any] = field(default_factory=dict, repr=False)

    def shared(self, make: Callable[[Context], T]) -> T:
        """``make(ctx)`` computed once per evaluation and shared by every check that asks for it (the
        profile's matchers, each table's amounts …): the one cache of a validation run, keyed by ``make``."""
        try:
            return self._shared[make]
        except KeyError:
            value = self._shared[make] = make(self)
            return value

    def finding(self, rule: str, pointer: str, message: str, expected: Any = None,
                actual: Any = None, table: str = "", severity: str | None = None) -> Finding:
        """Make a finding with the rule's usual severity unless one is given."""
        return Finding(rule, severity or RULES_BY_ID[rule].severity, pointer, message,
                       _plain(expected), _plain(actual), table)

    @staticmethod
    def within(a: float, b: float, tolerance: float) -> bool:
        """``a`` and ``b`` differ by at most ``tolerance``: a tolerance includes its bound (float noise ignored)."""
        return abs(a - b) <= tolerance + 1e-9

    def close(self, a: float, b: float) -> bool:
        """Two amounts in the same money unit agree within the profile's ``checks.amount_tolerance``
        (one cent of the printed unit: 0.01 万元 on a 万元 form, 0.01 元 on a 元 form)."""
        return self.within(a, b, self.profile.amount_tolerance)

    def points_close(self, a: float, b: float) -> bool:
        """Two points or scores agree within the profile's ``checks.score_tolerance``."""
        return self.within(a, b, self.profile.score_tolerance)


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 6)
    return value


def amount(field: Field, unit: str = WAN) -> float | None:
    """The amount in a cell in ``unit`` (the table's money unit), or None when blank or unreadable."""
    return parse_amount(field.raw, unit).value  # None unless a number was read


def amount_or_zero(field: Field, unit: str = WAN) -> float | None:
    """The amount in a cell, 0 for a blank or “—”, None when unreadable."""
    parsed = parse_amount(field.raw, unit)
    if parsed.empty:
        return 0.0
    return parsed.value if parsed.ok else None


def in_wan(value: float | None, unit: str) -> float | None:
    """An amount of a table in 万元 (for comparisons across tables)."""
    return None if value is None else convert_money(value, unit, WAN)


def money(value: float | None, table: Table) -> str:
    """An amount of ``table`` for messages, with the table's unit."""
    return money_text(value, table.money_unit)


def is_blank(field: Field) -> bool:
    """True when a cell holds nothing but whitespace or a not-applicable marker."""
    return parse_amount(field.raw).empty


def text(field: Field) -> str:
    """Cleaned text of a cell (no whitespace, full-width folded)."""
    raw = field.raw
    return _clean_str(raw) if type(raw) is str else clean_text(raw)  # text, the usual case, directly


def words(field: Field) -> str:
    """Text of a cell folded for matching words (traditional characters simplified)."""
    raw = field.raw
    return _fold(raw) if type(raw) is str else fold_text(raw)  # text, the usual case, directly


def indicator_name(table: Table, index: int) -> str:
    """Chinese reference to an indicator row: 附件3-1 第2行指标“差错率”."""
    row = table.indicators[index]
    name = text(row.level3) or text(row.level2) or "（未命名）"
    return f"{table.label} 第{index + 1}行指标“{name}”"


_REASON_LABELS = ("偏差", "原因", "备注", "说明", "改进措施")


def reason_field(table: Table, row: Indicator) -> Field | None:
    """Where a row's deviation reason is written: its 偏差原因 cell, else a reason-like extra column
    (备注, 说明 …); None when the form has no such column (reasons are then written once for the table)."""
    if "deviation" in row.raw or not table.form.columns:
        return row.deviation
    for label, cell in row.extra.items():
        if any(w in label for w in _REASON_LABELS):
            return cell
    return row.deviation if table.form.has_deviation_column else None


def iter_tables(ctx: Context) -> Iterator[tuple[Table, TableScore]]:
    """附件1 (when filed) and each 附件3-N with its recomputed scores."""
    for table in ctx.view.tables:
        yield table, ctx.scores[table.label]


def _every_row(ctx: Context) -> list[tuple[Table, Indicator, IndicatorResult]]:
    return [(table, row, result) for table, scores in iter_tables(ctx)
            for row, result in zip(table.indicators, scores.indicators, strict=True)]


def iter_rows(ctx: Context, roles: tuple[str, ...] = ("indicator",)) -> list[tuple[Table, Indicator, IndicatorResult]]:
    """Every indicator row whose role is in ``roles`` (indicator, breakdown, unused, cut) with its result.

    The last row of a table cut off in its source has role ``cut`` and is skipped unless asked for:
    its empty cells are unknown.
    """
    return [item for item in ctx.shared(_every_row) if item[2].role in roles]


def filing_errors(ctx: Context, label: str) -> list[Finding]:
    """Errors found so far on one table."""
    return [f for f in ctx.findings if f.table == label and f.severity == "error"]
