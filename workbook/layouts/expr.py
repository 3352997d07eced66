"""Formula cells as data: one small expression tree both renders the Excel formula text and
evaluates it in Python with :mod:`xlfuncs.cellfuncs`.

The builder writes ``render()`` into the cell and ``evaluate()`` as its cached value; the
reader re-evaluates the same tree from the cells it read. Because both come from one tree,
the cached value is by construction what the worksheet functions compute.

Only the few Excel constructs the layouts use exist here (a reference, a text, a number, a
UDF call, ``IF(COUNTA(…)=0, …)``, ``IF(x="", "", …)``, ``SUM``, the level-1 category of an
indicator row, the per-heading points check). Their Python meaning follows Excel's: ``SUM``
ignores text and blanks in references, errors propagate, ``COUNTA`` counts non-empty cells.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from xlfuncs import cellfuncs
from xlfuncs.cellfuncs import CellError, is_error

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
#: The defined name holding the rule profile the formulas pass (only when not the default).
PROFILE_NAME = "规则配置"

_CELL_RE = re.compile(r"^([A-Z]{1,3})([0-9]+)$")


class Env(Protocol):
    """Where an expression reads cell values from."""

    def value(self, sheet: str, cell: str) -> Any:
        """The value of one cell: None when empty, a number, a text or a CellError."""

    @property
    def profile(self) -> str | None:
        """The rule profile name the formulas pass (None for the default)."""


def split_cell(cell: str) -> tuple[str, int]:
    """``"AB12"`` → ``("AB", 12)``."""
    match = _CELL_RE.match(cell)
    if not match:
        raise ValueError(f"not a cell reference: {cell}")
    return match.group(1), int(match.group(2))


def col_index(letters: str) -> int:
    """``"A"`` → 0, ``"AB"`` → 27."""
    index = 0
    for ch in letters:
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def col_letters(index: int) -> str:
    """0 → ``"A"``, 27 → ``"AB"``."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cells_of(ref: str) -> list[list[str]]:
    """The cells of ``"E8"`` or ``"D9:F11"``, row by row."""
    first, _, last = ref.partition(":")
    last = last or first
    c1, r1 = split_cell(first)
    c2, r2 = split_cell(last)
    cols = [col_letters(i) for i in range(col_index(c1), col_index(c2) + 1)]
    return [[f"{c}{r}" for c in cols] for r in range(r1, r2 + 1)]


def quote_sheet(sheet: str) -> str:
    """A sheet name as a formula writes it: ``'附件3-1'``."""
    return "'" + sheet.replace("'", "''") + "'"


def _filled(value: Any) -> bool:
    return value is not None and value != ""


class Expr:
    """A node of a formula."""

    def render(self, here: str) -> str:
        """Excel formula text (without ``=``) for a cell on sheet ``here``."""
        raise NotImplementedError

    def evaluate(self, env: Env, here: str) -> Any:
        """The value Excel would compute, with the UDFs run as Python."""
        raise NotImplementedError

    def refs(self, here: str) -> list[tuple[str, str]]:
        """Every (sheet, cell) the expression reads."""
        return []


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

    def refs(self, here: str) -> list[tuple[str, str]]:
        sheet = self.sheet or here
        return [(sheet, c) for row in cells_of(self.ref) for c in row]


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
    """A number constant."""

    value: float

    def render(self, here: str) -> str:
        return f"{self.value:g}"

    def evaluate(self, env: Env, here: str) -> Any:
        return self.value


@dataclass(frozen=True)
class Profile(Expr):
    """The workbook's rule profile (the defined name 规则配置)."""

    def render(self, here: str) -> str:
        return PROFILE_NAME

    def evaluate(self, env: Env, here: str) -> Any:
        return env.profile


@dataclass(frozen=True)
class Call(Expr):
    """A call of one of our UDFs."""

    name: str
    args: tuple[Expr, ...]

    def render(self, here: str) -> str:
        return f"{self.name}({','.join(a.render(here) for a in self.args)})"

    def evaluate(self, env: Env, here: str) -> Any:
        return UDFS[self.name](*(a.evaluate(env, here) for a in self.args))

    def refs(self, here: str) -> list[tuple[str, str]]:
        return [r for a in self.args for r in a.refs(here)]


def udf(name: str, *args: Expr, profile: bool = False) -> Call:
    """A UDF call; ``profile`` appends the workbook's profile as the last argument."""
    return Call(name, tuple(args) + ((Profile(),) if profile else ()))


def check_equal(expected: Expr, actual: Expr, profile: bool = False) -> Call:
    """``CHECK_EQUAL(expected, actual)``: the tolerance is the profile's ``checks.amount_tolerance``;
    under a workbook profile other than the default the call passes it (tolerance left blank)."""
    return Call("CHECK_EQUAL", (expected, actual) + ((Text(""), Profile()) if profile else ()))


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
            sheet = ref.sheet or here
            if any(_filled(env.value(sheet, c)) for row in cells_of(ref.ref) for c in row):
                return self.then.evaluate(env, here)
        return self.otherwise.evaluate(env, here)

    def refs(self, here: str) -> list[tuple[str, str]]:
        return [r for ref in self.ranges for r in ref.refs(here)] + self.then.refs(here)


@dataclass(frozen=True)
class UnlessBlank(Expr):
    """``IF(ref="", "", then)``: a link or result that stays empty while its source is empty."""

    ref: Ref
    then: Expr

    def render(self, here: str) -> str:
        return f'IF({self.ref.render(here)}="","",{self.then.render(here)})'

    def evaluate(self, env: Env, here: str) -> Any:
        value = self.ref.evaluate(env, here)
        if isinstance(value, CellError) or is_error(value):
            return value if isinstance(value, CellError) else CellError(str(value).strip(), "引用的单元格有错误值")
        if not _filled(value):
            return ""
        return self.then.evaluate(env, here)

    def refs(self, here: str) -> list[tuple[str, str]]:
        return self.ref.refs(here) + self.then.refs(here)


def link(ref: Ref) -> UnlessBlank:
    """Show another cell's value; empty while it is empty (a bare reference would show 0)."""
    return UnlessBlank(ref, ref)


def _as_error(value: Any) -> CellError | None:
    if isinstance(value, CellError):
        return value
    if is_error(value):
        return CellError(str(value).strip(), f"引用的单元格有错误值 {str(value).strip()}")
    return None


@dataclass(frozen=True)
class Sum(Expr):
    """``SUM(refs…)``: numbers only; text, logical values and blanks in references are ignored."""

    refs_: tuple[Ref, ...]

    def render(self, here: str) -> str:
        return f"SUM({','.join(r.render(here) for r in self.refs_)})"

    def evaluate(self, env: Env, here: str) -> Any:
        total = 0.0
        for ref in self.refs_:
            for sheet, cell in ref.refs(here):
                value = env.value(sheet, cell)
                error = _as_error(value)
                if error:
                    return error
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    total += value
        return total

    def refs(self, here: str) -> list[tuple[str, str]]:
        return [r for ref in self.refs_ for r in ref.refs(here)]


def _search(needle: str, value: Any) -> bool:
    """Excel ``ISNUMBER(SEARCH(needle, value))`` for a needle without wildcards."""
    return needle.lower() in str(value).lower()


@dataclass(frozen=True)
class Category(Expr):
    """The level-1 group of an indicator row (产出/效益/满意/其他), "" for an unused row.

    A blank 一级指标 continues the group of the row above, as the engine reads merged cells.
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
        error = _as_error(value)
        if error:
            return error
        if not _filled(value):
            return self.above.evaluate(env, here) if self.above else ""
        for word in self.keywords:
            if _search(word, value):
                return word
        return self.other

    def refs(self, here: str) -> list[tuple[str, str]]:
        return self.level1.refs(here) + [r for ref in self.used for r in ref.refs(here)]


@dataclass(frozen=True)
class HeadingCheck(Expr):
    """Points under one level-1 group against its heading:
    ``IF(COUNTIF(cats,"产出")=0,"",CHECK_HEADING(INDEX(headings,MATCH("产出",cats,0)),
    SUMIF(cats,"产出",points)))``."""

    keyword: str
    cats: Ref
    headings: Ref
    points: Ref
    profile: bool = False

    def render(self, here: str) -> str:
        cats, heads, pts = (r.render(here) for r in (self.cats, self.headings, self.points))
        word = f'"{self.keyword}"'
        args = f"INDEX({heads},MATCH({word},{cats},0)),SUMIF({cats},{word},{pts})"
        if self.profile:
            args += "," + PROFILE_NAME
        return f'IF(COUNTIF({cats},{word})=0,"",CHECK_HEADING({args}))'

    def evaluate(self, env: Env, here: str) -> Any:
        cats = [row[0] for row in self.cats.evaluate(env, here)]
        heads = [row[0] for row in self.headings.evaluate(env, here)]
        points = [row[0] for row in self.points.evaluate(env, here)]
        for value in cats:
            error = _as_error(value)
            if error:
                return error
        hits = [i for i, value in enumerate(cats) if isinstance(value, str) and value.lower() == self.keyword.lower()]
        if not hits:
            return ""
        total = 0.0
        for i in hits:
            value = points[i]
            error = _as_error(value)
            if error:
                return error
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                total += value
        profile = env.profile if self.profile else None
        return cellfuncs.check_heading(heads[hits[0]], total, profile)

    def refs(self, here: str) -> list[tuple[str, str]]:
        return self.cats.refs(here) + self.headings.refs(here) + self.points.refs(here)


def formula_text(expr: Expr, here: str) -> str:
    """The cell formula, with the leading ``=``."""
    return "=" + expr.render(here)


def normalise_formula(formula: str) -> str:
    """A formula text compared loosely: upper case, no ``=``/``$``/spaces, add-in prefixes removed,
    sheet-name quotes dropped."""
    text = formula.strip().lstrip("=").upper().replace("$", "").replace(" ", "")
    text = re.sub(r"_XLDUDF_\w*?(?=(" + "|".join(UDFS) + r")\()", "", text)
    text = text.replace("_XLL.", "").replace("_XLFN.", "").replace("'", "")
    return text


def same_formula(found: str, expected: Sequence[str] | str) -> bool:
    """True when ``found`` is the expected formula text up to case, ``$`` and add-in prefixes."""
    options = [expected] if isinstance(expected, str) else list(expected)
    text = normalise_formula(found)
    return any(text == normalise_formula(e) for e in options)
