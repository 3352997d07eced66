"""Shared state of one validation run: the filing view, the profile and the recomputed scores."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..catalogue import RULES_BY_ID
from ..filing import Field, FilingView, Table
from ..findings import Finding
from ..profiles import Profile
from ..scoring import TableScore
from ..values import Number, clean_text, parse_amount

CheckFunction = Callable[["Context"], Iterable[Finding]]
REGISTRY: dict[str, CheckFunction] = {}


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
    """Everything a check may look at."""

    view: FilingView
    profile: Profile
    scores: dict[str, TableScore]

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
        """Two amounts agree within the profile's ``checks.amount_tolerance``."""
        return self.within(a, b, self.profile.amount_tolerance)

    def points_close(self, a: float, b: float) -> bool:
        """Two points or scores agree within the profile's ``checks.score_tolerance``."""
        return self.within(a, b, self.profile.score_tolerance)


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 6)
    return value


def amount(field: Field) -> float | None:
    """The amount in a cell, or None when it is blank or unreadable."""
    parsed: Number = parse_amount(field.raw)
    return parsed.value if parsed.ok else None


def amount_or_zero(field: Field) -> float | None:
    """The amount in a cell, 0 for a blank or “—”, None when unreadable."""
    parsed = parse_amount(field.raw)
    if parsed.empty:
        return 0.0
    return parsed.value if parsed.ok else None


def is_blank(field: Field) -> bool:
    """True when a cell holds nothing but whitespace or a not-applicable marker."""
    return parse_amount(field.raw).empty


def text(field: Field) -> str:
    """Cleaned text of a cell (no whitespace, full-width folded)."""
    return clean_text(field.raw)


def indicator_name(table: Table, index: int) -> str:
    """Chinese reference to an indicator row: 附件3-1 第2行指标“差错率”."""
    row = table.indicators[index]
    name = text(row.level3) or text(row.level2) or "（未命名）"
    return f"{table.label} 第{index + 1}行指标“{name}”"


def iter_tables(ctx: Context) -> Iterator[tuple[Table, TableScore]]:
    """附件1 and each 附件3-N with its recomputed scores."""
    for table in ctx.view.tables:
        yield table, ctx.scores[table.label]
