"""What a laid-out form is made of: labels, filing values (inputs and results), helper formulas,
validations, conditional formats, and the :class:`FormLayout` that holds them with their
addresses. :mod:`.forms` fills these in for 附件1 and 附件3-N; everything else reads them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from xlfuncs.categories import STANDARD_CATEGORIES
from xlfuncs.profiles import DEFAULT_PROFILE, Profile, load_profile

from . import rule_formulas as rules
from .cells import cells_of
from .expr import Expr, Num, ProfileArg, Ref, Text, udf
from .shapes import Category, WhenFilled

# Kinds of filing values: how a cell value is written and compared.
TEXT, AMOUNT, POINTS, RATE, YEAR = "text", "amount", "points", "rate", "year"

PRINT_LAST_COLUMN = "I"
#: The level-1 groups an indicator row's category column names, and their headings.
# The master workbook's forms are the 10号 form: its three level-1 groups, from the core's one mapping.
CATEGORY_KEYWORDS = tuple(c.keyword for c in STANDARD_CATEGORIES)
CATEGORY_LABELS = {c.keyword: c.label for c in STANDARD_CATEGORIES}
CATEGORY_KEYS = {c.keyword: c.key for c in STANDARD_CATEGORIES}
INDICATOR_COLUMNS = (("level1", "B"), ("level2", "C"), ("level3", "D"), ("target", "E"),
                     ("actual", "F"), ("points", "G"), ("score", "H"), ("deviation", "I"))
HELPER_COLUMNS = {"kind": "K", "band": "L", "explain": "M", "category": "N"}
#: The probe (1 when perfeval's functions are loaded) of every form, in the helper zone.
PROBE_CELL, PROBE_LABEL = "M5", "K5:L5"
_PROBE = Ref(PROBE_CELL)
_INDICATOR_STYLES = {"level1": ("in_center", "level1"), "level2": ("in_center", "level2"),
                     "level3": ("in_text", ""), "target": ("in_center", ""), "actual": ("in_center", ""),
                     "points": ("in_points", "points"), "deviation": ("in_text", "")}


@dataclass(frozen=True)
class Static:
    """A label (or an empty styled cell) of the form; a range is merged."""

    ref: str
    text: str | None
    style: str


@dataclass(frozen=True)
class Field:
    """A cell holding one filing value (input, or a result computed by a formula).

    A result (``formula`` set) is a formula cell unless the filing's value differs from what
    the formula gives; then the builder writes the filed value as a constant (``claim_style``)
    and the reader reads it back as filed. ``filed_when_formula`` False (the grade) means a
    live formula is a helper, not a filed value.
    """

    pointer: str
    ref: str
    kind: str
    style: str
    formula: Expr | None = None
    claim_style: str = ""
    validation: str = ""
    filed_when_formula: bool = True

    @property
    def cell(self) -> str:
        """The cell that holds the value (top-left of a merged range)."""
        return self.ref.partition(":")[0]

    @property
    def is_result(self) -> bool:
        """True for a formula cell (a filed result)."""
        return self.formula is not None


@dataclass(frozen=True)
class Calc:
    """A formula cell that is not a filing value: a link, an explanation, a check, the probe.
    ``key`` names the cells other sheets link to (``"points_check"``, ``"heading:产出"`` …)."""

    ref: str
    formula: Expr
    style: str
    role: str  # "link", "explain", "category", "check", "rate", "probe"
    key: str = ""

    @property
    def cell(self) -> str:
        """The cell that holds the formula."""
        return self.ref.split(":")[0]


@dataclass(frozen=True)
class Validation:
    """A data validation rule over a range (rules by name, see the builder)."""

    ref: str
    rule: str


@dataclass(frozen=True)
class Conditional:
    """A conditional format: ``criteria`` is a formula for the range's top-left cell."""

    ref: str
    criteria: str
    style: str


@dataclass
class FormLayout:
    """One form sheet (附件1 or 附件3-N) with all its addresses resolved."""

    sheet: str
    number: int  # 0 for 附件1, n for 附件3-n
    pointer: str  # "/department" or "/projects/<n-1>"
    capacity: int
    funds_row: int  # the 年度资金总额 row
    header_row: int  # the indicator table header
    total_row: int
    footer_row: int
    profile: str = DEFAULT_PROFILE
    statics: list[Static] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)
    calcs: list[Calc] = field(default_factory=list)
    validations: list[Validation] = field(default_factory=list)
    conditionals: list[Conditional] = field(default_factory=list)
    heights: dict[int, float] = field(default_factory=dict)
    names: list[tuple[str, str]] = field(default_factory=list)
    anchors: list[tuple[str, str]] = field(default_factory=list)
    blocks: dict[str, str] = field(default_factory=dict)  # pointer of a block → its label cell

    @property
    def profile_arg(self) -> bool:
        """True when the UDF calls pass the workbook's profile (a profile other than the default)."""
        return self.profile != DEFAULT_PROFILE

    @property
    def rules(self) -> Profile:
        """The rule profile whose numbers the native formulas carry."""
        return load_profile(self.profile)

    @property
    def is_department(self) -> bool:
        """True for 附件1."""
        return self.number == 0

    @property
    def first_row(self) -> int:
        """The first indicator row."""
        return self.header_row + 1

    @property
    def last_row(self) -> int:
        """The last indicator row."""
        return self.header_row + self.capacity

    @property
    def indicator_rows(self) -> range:
        """Every indicator row of the table."""
        return range(self.first_row, self.last_row + 1)

    @property
    def print_area(self) -> str:
        """The official form: A1 to the signature line."""
        return f"A1:{PRINT_LAST_COLUMN}{self.footer_row}"

    @property
    def probe(self) -> Ref:
        """The cell that is 1 when perfeval's functions answer on this sheet."""
        return _PROBE

    def field(self, key: str) -> Field:
        """The fixed field at ``key``: a pointer (``"/year"``) or one relative to the form
        (``"funds/total/rate"``)."""
        pointer = key if key.startswith("/") else f"{self.pointer}/{key}"
        for f in self.fields:
            if f.pointer == pointer:
                return f
        raise KeyError(f"{self.sheet}: no field {pointer}")

    def cell(self, key: str) -> str:
        """The cell of a fixed field (see :meth:`field`)."""
        return self.field(key).cell

    def calc(self, key: str) -> Calc:
        """The helper formula called ``key``."""
        for c in self.calcs:
            if c.key == key:
                return c
        raise KeyError(f"{self.sheet}: no helper {key}")

    def used_refs(self, row: int) -> tuple[Ref, ...]:
        """The cells that make an indicator row used (any of them not empty, as ``COUNTA`` counts):
        一级指标 … 分值 and 偏差原因. 指标性质/评价档次 alone do not."""
        return _used_refs(row)

    def last_used_row(self, filled: Callable[[str], bool]) -> int:
        """The last indicator row with one of its :meth:`used_refs` cells ``filled``, 0 for none: the
        rows after it are the form's spare capacity, for the builder and the reader alike."""
        last = 0
        for row in self.indicator_rows:
            if any(filled(c) for ref in self.used_refs(row) for line in cells_of(ref.ref) for c in line):
                last = row
        return last

    def table_refs(self) -> tuple[Ref, ...]:
        """Every indicator row's used cells, as two ranges."""
        return Ref(f"B{self.first_row}:G{self.last_row}"), Ref(f"I{self.first_row}:I{self.last_row}")

    def udf_inputs(self) -> tuple[Ref, ...]:
        """Every cell the sheet's UDF calls read (the probe refers to them): the indicator rows
        from 一级指标 to 分值, and 偏差原因 to 评价档次 (the score column H is left out)."""
        first, last = self.first_row, self.last_row
        return Ref(f"B{first}:G{last}"), Ref(f"I{first}:{HELPER_COLUMNS['band']}{last}")

    def indicator_fields(self, row: int, index: int | None) -> list[Field]:
        """The filing values of one indicator row; ``index`` is its place in the filing."""
        base = f"{self.pointer}/indicators/{index if index is not None else row - self.first_row}"
        score = _row_score(row, self.profile_arg)
        out = []
        for key, column in INDICATOR_COLUMNS:
            if key == "score":
                out.append(Field(f"{base}/score", f"{column}{row}", POINTS, "fx_points", score, "claim_points"))
                continue
            style, rule = _INDICATOR_STYLES[key]
            out.append(Field(f"{base}/{key}", f"{column}{row}", POINTS if key == "points" else TEXT,
                             style, validation=rule))
        out.append(Field(f"{base}/kind", f"{HELPER_COLUMNS['kind']}{row}", TEXT, "h_in_center", validation="kind"))
        out.append(Field(f"{base}/band", f"{HELPER_COLUMNS['band']}{row}", TEXT, "h_in", validation="band"))
        return out

    def indicator_calcs(self, row: int) -> list[Calc]:
        """The helper formulas of one indicator row: 评分说明 and the level-1 category."""
        return list(_row_calcs(row, self.first_row, self.profile_arg))

    def all_fields(self, rows: list[int] | None = None) -> list[Field]:
        """Every field: the fixed ones and those of each indicator row (``rows`` in filing order)."""
        rows = list(self.indicator_rows) if rows is None else rows
        out = list(self.fields)
        for index, row in enumerate(rows):
            out.extend(self.indicator_fields(row, index))
        return out

    def all_calcs(self) -> list[Calc]:
        """Every helper formula of the form."""
        out = list(self.calcs)
        for row in self.indicator_rows:
            out.extend(self.indicator_calcs(row))
        return out

    def covered(self) -> set[str]:
        """Every cell some label, field or helper of the form occupies."""
        refs = [s.ref for s in self.statics] + [f.ref for f in self.all_fields()] + [c.ref for c in self.all_calcs()]
        return {c for ref in refs for row in cells_of(ref) for c in row}


# The formulas of an indicator row depend only on the row, the table's first row and whether the
# profile is passed: every reference in them is to the form's own sheet. They are made once and
# shared by every form (they are immutable), not rebuilt for each of 200 project sheets.

def _used_refs(row: int) -> tuple[Ref, ...]:
    return Ref(f"B{row}:G{row}"), Ref(f"I{row}")


def _score_args(row: int, profile_arg: bool) -> tuple[Expr, ...]:
    """PERF_SCORE / PERF_EXPLAIN arguments: 年度指标值, 实际完成值, 分值, 指标性质, 评价档次, 三级指标,
    the profile ("" for the default) and 二级指标 (cost rows are lower-is-better, as the engine reads them)."""
    profile: Expr = ProfileArg() if profile_arg else Text("")
    return (Ref(f"E{row}"), Ref(f"F{row}"), Ref(f"G{row}"), Ref(f"{HELPER_COLUMNS['kind']}{row}"),
            Ref(f"{HELPER_COLUMNS['band']}{row}"), Ref(f"D{row}"), profile, Ref(f"C{row}"))


@lru_cache(maxsize=1 << 13)  # rows × first rows × profile passed: a few thousand at most
def _row_score(row: int, profile_arg: bool) -> Expr:
    return WhenFilled(_used_refs(row), Num(0), rules.available(
        Ref(PROBE_CELL), udf("PERF_SCORE", *_score_args(row, profile_arg))))


@lru_cache(maxsize=1 << 13)  # rows × first rows × profile passed: a few thousand at most
def _row_calcs(row: int, first_row: int, profile_arg: bool) -> tuple[Calc, Calc]:
    explain = WhenFilled(_used_refs(row), Text(""), rules.available(
        Ref(PROBE_CELL), udf("PERF_EXPLAIN", *_score_args(row, profile_arg))))
    cat_col = HELPER_COLUMNS["category"]
    above = Ref(f"{cat_col}{row - 1}") if row > first_row else None
    category = Category(Ref(f"B{row}"), above, _used_refs(row), CATEGORY_KEYWORDS)
    return (Calc(f"{HELPER_COLUMNS['explain']}{row}", explain, "h_calc", "explain"),
            Calc(f"{cat_col}{row}", category, "h_check", "category"))
