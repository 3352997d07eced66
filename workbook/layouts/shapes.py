"""Formula shapes the layouts use often, as expression nodes (see :mod:`.expr`):
``IF(COUNTA(…)=0, …)`` for unused rows and blocks, links that stay empty while their source is,
``SUM``, the level-1 category of an indicator row and the per-heading points check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xlfuncs import cellfuncs

from . import xlvalues as xv
from .expr import FUNCTIONS, PENDING, PROFILE_NAME, Env, Expr, Num, Ref, Text


@dataclass(frozen=True)
class WhenFilled(Expr):
    """``IF(COUNTA(ranges…)=0, otherwise, then)``: an unused row or block shows ``otherwise``."""

    ranges: tuple[Ref, ...]
    otherwise: Expr
    then: Expr

    def render(self, here: str) -> str:
        counted = ",".join(r.render(here) for r in self.ranges)
        return f"IF(COUNTA({counted})=0,{self.otherwise.render(here)},{self.then.render(here)})"

    def evaluate(self, env: Env, here: str) -> Any:
        for ref in self.ranges:
            if any(xv.is_filled(v) for v in ref.values(env, here)):
                return self.then.evaluate(env, here)
        return self.otherwise.evaluate(env, here)


@dataclass(frozen=True)
class UnlessBlank(Expr):
    """``IF(ref="", "", then)``: a link or result that stays empty while its source is empty."""

    ref: Ref
    then: Expr

    def render(self, here: str) -> str:
        return f'IF({self.ref.render(here)}="","",{self.then.render(here)})'

    def evaluate(self, env: Env, here: str) -> Any:
        value = self.ref.evaluate(env, here)
        error = xv.as_error(value)
        if error:
            return error
        if not xv.is_filled(value):
            return ""
        return self.then.evaluate(env, here)


def link(ref: Ref) -> UnlessBlank:
    """Show another cell's value; empty while it is empty (a bare reference would show 0)."""
    return UnlessBlank(ref, ref)


@dataclass(frozen=True)
class Sum(Expr):
    """``SUM(refs…)``: numbers only; text, logical values and blanks in references are ignored."""

    refs_: tuple[Ref, ...]

    def render(self, here: str) -> str:
        return f"SUM({','.join(r.render(here) for r in self.refs_)})"

    def evaluate(self, env: Env, here: str) -> Any:
        return FUNCTIONS["SUM"](env, here, self.refs_)


@dataclass(frozen=True)
class Category(Expr):
    """The level-1 group of an indicator row (产出/效益/满意/其他), "" for an unused row.

    A blank 一级指标 continues the group of the row above, as the engine reads merged cells.
    ``SEARCH`` has no wildcard here, so its Python meaning is a case-insensitive ``in``.
    """

    level1: Ref
    above: Ref | None
    used: tuple[Ref, ...]
    keywords: tuple[str, ...]
    other: str = "其他"

    def render(self, here: str) -> str:
        cell = self.level1.render(here)
        chain = f'"{self.other}"'
        for word in reversed(self.keywords):
            chain = f'IF(ISNUMBER(SEARCH("{word}",{cell})),"{word}",{chain})'
        blank = self.above.render(here) if self.above else '""'
        counted = ",".join(r.render(here) for r in self.used)
        return f'IF(COUNTA({counted})=0,"",IF({cell}="",{blank},{chain}))'

    def evaluate(self, env: Env, here: str) -> Any:
        if not WhenFilled(self.used, Text(""), Num(1)).evaluate(env, here):
            return ""
        value = self.level1.evaluate(env, here)
        error = xv.as_error(value)
        if error:
            return error
        if not xv.is_filled(value):
            return self.above.evaluate(env, here) if self.above else ""
        for word in self.keywords:
            if word.lower() in str(value).lower():
                return word
        return self.other


@dataclass(frozen=True)
class HeadingCheck(Expr):
    """Points under one level-1 group against its heading, through the CHECK_HEADING UDF (the
    heading's printed points are read from its text):
    ``IF(COUNTIF(cats,"产出")=0,"",guard(CHECK_HEADING(INDEX(headings,MATCH("产出",cats,0)),
    SUMIF(cats,"产出",points))))`` where ``guard`` shows :data:`PENDING` without the UDFs."""

    keyword: str
    cats: Ref
    headings: Ref
    points: Ref
    profile: bool = False
    available: Expr | None = None  # the sheet's probe: 1 when perfeval's functions are loaded

    def render(self, here: str) -> str:
        cats, heads, pts = (r.render(here) for r in (self.cats, self.headings, self.points))
        word = f'"{self.keyword}"'
        args = f"INDEX({heads},MATCH({word},{cats},0)),SUMIF({cats},{word},{pts})"
        if self.profile:
            args += "," + PROFILE_NAME
        call = f"CHECK_HEADING({args})"
        if self.available is not None:
            call = f'IF({self.available.render(here)}=1,{call},"{PENDING}")'
        return f'IF(COUNTIF({cats},{word})=0,"",{call})'

    def evaluate(self, env: Env, here: str) -> Any:
        cats = self.cats.values(env, here)
        heads = self.headings.values(env, here)
        points = self.points.values(env, here)
        for value in cats:
            error = xv.as_error(value)
            if error:
                return error
        hits = [i for i, value in enumerate(cats) if isinstance(value, str) and value.lower() == self.keyword.lower()]
        if not hits:
            return ""
        if self.available is not None and xv.compare("=", self.available.evaluate(env, here), 1.0) is not True:
            return PENDING
        total = 0.0
        for i in hits:
            error = xv.as_error(points[i])
            if error:
                return error
            if xv.is_number(points[i]):
                total += points[i]
        profile = env.profile if self.profile else None
        return cellfuncs.check_heading(heads[hits[0]], total, profile)
