"""Formula cells as data: one small expression tree both renders the formula text and evaluates
it in Python.

The builder writes ``render()`` into the cell and ``evaluate()`` as its cached value; the
reader re-evaluates the same tree from the cells it read. Because both come from one tree, a
cached value is by construction what the spreadsheet computes. Native nodes (:class:`Fn`,
:class:`Op`, :class:`Err`) evaluate with the spreadsheet's own rules (:mod:`.xlvalues`);
:class:`Call` nodes run our UDFs as the Python cell functions of :mod:`xlfuncs.cellfuncs`.

The shapes the layouts use often (``IF(COUNTA(…)=0, …)``, links, the level-1 category, the
per-heading check) are in :mod:`.shapes`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from xlfuncs import cellfuncs
from xlfuncs.cellfuncs import CellError

from . import xlvalues as xv
from .cells import cells_of, col_index, col_letters, quote_sheet, split_cell

__all__ = ["FUNCTIONS", "PENDING", "PROFILE_NAME", "UDFS", "Call", "Env", "Err", "Expr", "Fn", "Num", "Op",
           "Profile", "Ref", "Text", "cells_of", "col_index", "col_letters", "fn", "formula_text", "if_",
           "normalise_formula", "quote_sheet", "same_formula", "split_cell", "udf"]

#: The UDFs a formula may call, by their Excel name.
UDFS: dict[str, Callable[..., Any]] = {
    "EXEC_RATE": cellfuncs.exec_rate,
    "BUDGET_SCORE": cellfuncs.budget_score,
    "PERF_SCORE": cellfuncs.perf_score,
    "PERF_EXPLAIN": cellfuncs.perf_explain,
    "SCORE_TOTAL": cellfuncs.score_total,
    "GRADE": cellfuncs.grade,
    "CHECK_EQUAL": cellfuncs.check_equal,
    "CHECK_HEADING": cellfuncs.check_heading,
}
#: The defined name holding the rule profile the UDF calls pass (only when not the default).
PROFILE_NAME = "规则配置"
#: What a cell that needs perfeval's functions shows where they are not loaded (WPS,
#: LibreOffice, Excel with macros blocked): never #NAME?, never a partial sum.
PENDING = "待计算"


class Env(Protocol):
    """Where an expression reads cell values from."""

    def value(self, sheet: str, cell: str) -> Any:
        """The value of one cell: None when empty, a number, a text or a CellError."""

    @property
    def profile(self) -> str | None:
        """The rule profile name the UDF calls pass (None for the default)."""

    @property
    def udfs(self) -> bool:
        """False to compute as a spreadsheet without perfeval does: every UDF call is ``#NAME?``."""


class Expr:
    """A node of a formula."""

    def render(self, here: str) -> str:
        """Formula text (without ``=``) for a cell on sheet ``here``."""
        raise NotImplementedError

    def evaluate(self, env: Env, here: str) -> Any:
        """The value the spreadsheet computes, with the UDFs run as Python."""
        raise NotImplementedError


@dataclass(frozen=True)
class Ref(Expr):
    """A cell (``"E8"``) or a range (``"D9:D12"``), on the formula's own sheet unless ``sheet``."""

    ref: str
    sheet: str | None = None

    @property
    def is_range(self) -> bool:
        """True for a multi-cell range."""
        return ":" in self.ref

    def render(self, here: str) -> str:
        if self.sheet and self.sheet != here:
            return f"{quote_sheet(self.sheet)}!{self.ref}"
        return self.ref

    def evaluate(self, env: Env, here: str) -> Any:
        sheet = self.sheet or here
        if not self.is_range:
            return env.value(sheet, self.ref)
        return [[env.value(sheet, c) for c in row] for row in cells_of(self.ref)]

    def values(self, env: Env, here: str) -> list[Any]:
        """Every cell's value, row by row."""
        sheet = self.sheet or here
        return [env.value(sheet, c) for row in cells_of(self.ref) for c in row]


@dataclass(frozen=True)
class Text(Expr):
    """A text constant."""

    value: str

    def render(self, here: str) -> str:
        return '"' + self.value.replace('"', '""') + '"'

    def evaluate(self, env: Env, here: str) -> Any:
        return self.value


@dataclass(frozen=True)
class Num(Expr):
    """A number constant, kept to the 15 significant digits its text carries."""

    value: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", float(f"{float(self.value):.15g}"))

    def render(self, here: str) -> str:
        return f"{self.value:.15g}".upper()

    def evaluate(self, env: Env, here: str) -> Any:
        return self.value


@dataclass(frozen=True)
class Err(Expr):
    """An error constant (``#VALUE!``, ``#DIV/0!``) with the reason the reader reports for it.

    With ``about``, the reason names that cell's value: ``reason`` is then what the value is
    (“全年执行数”) and the evaluation says whether it is empty, not a number, or negative.
    """

    code: str
    reason: str
    about: Ref | None = None

    def render(self, here: str) -> str:
        return self.code

    def evaluate(self, env: Env, here: str) -> Any:
        if self.about is None:
            return CellError(self.code, self.reason)
        value = self.about.evaluate(env, here)
        if not xv.is_filled(value):
            why = "为空"
        elif xv.is_number(value):
            why = "不能为负数"
        else:
            why = f"“{value}”无法识别为数字"
        return CellError(self.code, self.reason + why)


@dataclass(frozen=True)
class Profile(Expr):
    """The workbook's rule profile (the defined name 规则配置), passed to UDFs."""

    def render(self, here: str) -> str:
        return PROFILE_NAME

    def evaluate(self, env: Env, here: str) -> Any:
        return env.profile


ProfileArg = Profile  # the name forms use for it, beside xlfuncs' Profile


@dataclass(frozen=True)
class Call(Expr):
    """A call of one of our UDFs."""

    name: str
    args: tuple[Expr, ...]

    def render(self, here: str) -> str:
        return f"{self.name}({','.join(a.render(here) for a in self.args)})"

    def evaluate(self, env: Env, here: str) -> Any:
        if not getattr(env, "udfs", True):
            return CellError("#NAME?", f"{self.name} 是 perfeval 的函数，本软件没有载入")
        return UDFS[self.name](*(a.evaluate(env, here) for a in self.args))


def udf(name: str, *args: Expr, profile: bool = False) -> Call:
    """A UDF call; ``profile`` appends the workbook's profile as the last argument."""
    return Call(name, tuple(args) + ((Profile(),) if profile else ()))


# ------------------------------------------------------------------ native operators and functions

_PRECEDENCE = {"=": 1, "<>": 1, "<": 1, "<=": 1, ">": 1, ">=": 1, "&": 2, "+": 3, "-": 3, "*": 4, "/": 4}


@dataclass(frozen=True)
class Op(Expr):
    """A binary operator: arithmetic, comparison or ``&``."""

    op: str
    left: Expr
    right: Expr

    def _side(self, expr: Expr, here: str, right: bool) -> str:
        text = expr.render(here)
        if isinstance(expr, Op):
            mine, theirs = _PRECEDENCE[self.op], _PRECEDENCE[expr.op]
            if theirs < mine or (right and theirs == mine):
                return f"({text})"
        return text

    def render(self, here: str) -> str:
        return f"{self._side(self.left, here, False)}{self.op}{self._side(self.right, here, True)}"

    def evaluate(self, env: Env, here: str) -> Any:
        left, right = self.left.evaluate(env, here), self.right.evaluate(env, here)
        if _PRECEDENCE[self.op] == 1:
            return xv.compare(self.op, left, right)
        if self.op == "&":
            a, b = xv.text_of(left), xv.text_of(right)
            return a if isinstance(a, CellError) else b if isinstance(b, CellError) else a + b
        a, b = xv.number_of(left), xv.number_of(right)
        if isinstance(a, CellError):
            return a
        if isinstance(b, CellError):
            return b
        if self.op == "/":
            return CellError("#DIV/0!", "除数为0") if b == 0 else a / b
        return a + b if self.op == "+" else a - b if self.op == "-" else a * b


def _eval_all(env: Env, here: str, args: tuple[Expr, ...]) -> list[Any]:
    return [a.evaluate(env, here) for a in args]


def _range_cells(env: Env, here: str, args: tuple[Expr, ...]) -> list[Any]:
    out: list[Any] = []
    for arg in args:
        out.extend(arg.values(env, here) if isinstance(arg, Ref) else [arg.evaluate(env, here)])
    return out


def _if(env: Env, here: str, args: tuple[Expr, ...]) -> Any:
    test = xv.truth(args[0].evaluate(env, here))
    if isinstance(test, CellError):
        return test
    if test:
        return args[1].evaluate(env, here)
    return args[2].evaluate(env, here) if len(args) > 2 else False


def _logical(combine: Callable[[list[bool]], bool]) -> Callable[[Env, str, tuple[Expr, ...]], Any]:
    def run(env: Env, here: str, args: tuple[Expr, ...]) -> Any:
        values = [xv.truth(v) for v in _eval_all(env, here, args)]
        error = next((v for v in values if isinstance(v, CellError)), None)
        return error if error else combine([bool(v) for v in values])
    return run


def _numbers(env: Env, here: str, args: tuple[Expr, ...]) -> list[float] | CellError:
    out = []
    for value in _range_cells(env, here, args):
        error = xv.as_error(value)
        if error:
            return error
        if xv.is_number(value):
            out.append(float(value))
    return out


def _aggregate(combine: Callable[[list[float]], float]) -> Callable[[Env, str, tuple[Expr, ...]], Any]:
    def run(env: Env, here: str, args: tuple[Expr, ...]) -> Any:
        numbers = _numbers(env, here, args)
        return numbers if isinstance(numbers, CellError) else combine(numbers)
    return run


def _unary(func: Callable[[float], float]) -> Callable[[Env, str, tuple[Expr, ...]], Any]:
    def run(env: Env, here: str, args: tuple[Expr, ...]) -> Any:
        value = xv.number_of(args[0].evaluate(env, here))
        return value if isinstance(value, CellError) else func(value)
    return run


def _round(env: Env, here: str, args: tuple[Expr, ...]) -> Any:
    value, digits = (xv.number_of(v) for v in _eval_all(env, here, args))
    for part in (value, digits):
        if isinstance(part, CellError):
            return part
    return xv.round_half_away(value, int(digits))


def _count(env: Env, here: str, args: tuple[Expr, ...]) -> Any:
    return float(sum(1 for v in _range_cells(env, here, args) if xv.is_number(v)))


def _counta(env: Env, here: str, args: tuple[Expr, ...]) -> Any:
    return float(sum(1 for v in _range_cells(env, here, args) if xv.is_filled(v) or xv.as_error(v)))


def _is(test: Callable[[Any], bool]) -> Callable[[Env, str, tuple[Expr, ...]], Any]:
    def run(env: Env, here: str, args: tuple[Expr, ...]) -> Any:
        return test(args[0].evaluate(env, here))
    return run


#: Python meaning of each native function the layouts use.
FUNCTIONS: dict[str, Callable[[Env, str, tuple[Expr, ...]], Any]] = {
    "IF": _if,
    "AND": _logical(all),
    "OR": _logical(any),
    "NOT": lambda env, here, args: _logical(lambda v: not v[0])(env, here, args),
    "ISNUMBER": _is(xv.is_number),
    "ISTEXT": _is(lambda v: isinstance(v, str) and xv.as_error(v) is None),
    "ISERROR": _is(lambda v: xv.as_error(v) is not None),
    "SUM": _aggregate(sum),
    "MIN": _aggregate(lambda v: min(v, default=0.0)),
    "MAX": _aggregate(lambda v: max(v, default=0.0)),
    "ABS": _unary(abs),
    "ROUND": _round,
    "COUNT": _count,
    "COUNTA": _counta,
}


@dataclass(frozen=True)
class Fn(Expr):
    """A call of a built-in spreadsheet function (one of :data:`FUNCTIONS`)."""

    name: str
    args: tuple[Expr, ...]

    def __post_init__(self) -> None:
        if self.name not in FUNCTIONS:
            raise ValueError(f"no Python meaning for {self.name}")

    def render(self, here: str) -> str:
        return f"{self.name}({','.join(a.render(here) for a in self.args)})"

    def evaluate(self, env: Env, here: str) -> Any:
        return FUNCTIONS[self.name](env, here, self.args)


def fn(name: str, *args: Expr) -> Fn:
    """``NAME(args…)``."""
    return Fn(name, tuple(args))


def if_(test: Expr, then: Expr, otherwise: Expr) -> Fn:
    """``IF(test, then, otherwise)``."""
    return Fn("IF", (test, then, otherwise))


# ------------------------------------------------------------------ formula text

def formula_text(expr: Expr, here: str) -> str:
    """The cell formula, with the leading ``=``."""
    return "=" + expr.render(here)


_NUMBER_RE = re.compile(r"(?<![A-Z0-9_.$])(\d+(?:\.\d*)?(?:E[+-]?\d+)?)")


def normalise_formula(formula: str) -> str:
    """A formula text compared loosely: upper case, no ``=``/``$``/spaces, add-in prefixes removed,
    sheet-name quotes dropped, number literals to 15 significant digits (gnumeric writes 0.01 as
    0.01000000000000000021)."""
    text = formula.strip().lstrip("=").upper().replace("$", "").replace(" ", "")
    text = re.sub(r"_XLDUDF_\w*?(?=(" + "|".join(UDFS) + r")\()", "", text)
    text = text.replace("_XLL.", "").replace("_XLFN.", "").replace("'", "")
    return _NUMBER_RE.sub(lambda m: f"{float(m.group(1)):.15g}".upper(), text)


def same_formula(found: str, expected: Sequence[str] | str) -> bool:
    """True when ``found`` is the expected formula text up to case, ``$`` and add-in prefixes."""
    options = [expected] if isinstance(expected, str) else list(expected)
    text = normalise_formula(found)
    return any(text == normalise_formula(e) for e in options)
