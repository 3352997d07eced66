"""The filing interchange format ``perfeval.filing/1``: load, save and a pointer-aware view.

Values stay as filed. :class:`FilingView` gives every value together with its JSON
Pointer, so a finding can name exactly the cell it is about.

Longer than our usual module (~500 lines) on purpose: loading (untrusted JSON, size limits), the
shape check and the pointer view of one format belong together, and the view's dataclasses mirror
the format's sections one for one (tables, funds rows, indicator rows, the form's layout).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from . import jsonio
from .fileio import write_atomic
from .limits import MAX_PROJECTS
from .oserror_text import os_reason
from .values import MONEY_UNITS, WAN, clean_text, heading_points

FORMAT = "perfeval.filing/1"
FUND_COLUMNS = ("initial", "full_year", "executed", "points", "rate", "score")
PROJECT_FUND_ROWS = ("total", "current_year", "carried_over", "other")
INCOME_KEYS = ("general_budget", "gov_fund", "special_account", "other")
EXPENSE_KEYS = ("basic", "project")
INDICATOR_KEYS = ("level1", "level2", "level3", "target", "actual", "points", "score", "deviation")

COLUMN_LABELS = {"initial": "年初预算数", "full_year": "全年预算数", "executed": "全年执行数",
                 "points": "分值", "rate": "执行率", "score": "得分"}
FUND_ROW_LABELS = {"total": "年度资金总额", "current_year": "其中：当年财政拨款",
                   "carried_over": "上年结转资金", "other": "其他资金"}
INCOME_LABELS = {"general_budget": "一般公共预算", "gov_fund": "政府性基金拨款",
                 "special_account": "纳入专户管理的非税收入拨款", "other": "其他资金"}
EXPENSE_LABELS = {"basic": "基本支出", "project": "项目支出"}
INDICATOR_LABELS = {"level1": "一级指标", "level2": "二级指标", "level3": "三级指标",
                    "target": "年度指标值", "actual": "实际完成值", "points": "分值",
                    "score": "得分", "deviation": "偏差原因分析及改进措施"}
EMBEDDED_SEED = "lukou-2022.json"
YEAR_RANGE = (1990, 2100)


class FilingError(ValueError):
    """The input is not a readable filing; the message is one Chinese line."""


def escape_pointer_token(token: str | int) -> str:
    """Escape one JSON Pointer reference token (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def join_pointer(base: str, *tokens: str | int) -> str:
    """Append tokens to a JSON Pointer."""
    for token in tokens:
        text = str(token)
        base += "/" + (escape_pointer_token(text) if "~" in text or "/" in text else text)
    return base


def resolve_pointer(document: Any, pointer: str) -> Any:
    """Return the value at ``pointer`` or None when the path does not exist."""
    node = document
    if not pointer:
        return node
    for token in pointer.lstrip("/").split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            node = node.get(token)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node


# ------------------------------------------------------------------ loading

MAX_FILING_BYTES = 32 * 1024 * 1024  # a real filing is well under 1 MB; the seed is 40 KB


@dataclass(frozen=True)
class LoadedFiling:
    """A filing read from JSON, with what reading noticed (duplicate keys)."""

    data: dict[str, Any]
    duplicate_keys: list[tuple[str, str]]  # (JSON Pointer of the object, the repeated key)


def parse_filing_json(text: str, source: str = "", parsed: jsonio.Loaded | None = None) -> LoadedFiling:
    """Parse filing JSON text and check its shape; raise FilingError in Chinese. ``parsed`` is the
    text already parsed by :func:`jsonio.loads` (a reader that looked inside first need not parse twice)."""
    where = f"“{source}”" if source else "输入"
    loaded = parsed
    if loaded is None:
        if not text.strip():
            raise FilingError(f"{where}是空文件，没有可读取的填报数据")
        try:
            loaded = jsonio.loads(text)
        except jsonio.JsonProblem as exc:
            raise FilingError(f"{where}{exc}") from None
    check_shape(loaded.data, where)
    return LoadedFiling(loaded.data, loaded.duplicate_keys)


def parse_filing_text(text: str, source: str = "") -> dict[str, Any]:
    """Parse filing JSON text and check its shape; raise FilingError in Chinese."""
    return parse_filing_json(text, source).data


def check_regular_file(path: str | os.PathLike[str], limit: int, what: str = "文件") -> os.stat_result:
    """Stat ``path`` and refuse (FilingError, Chinese) anything but a regular file of at most ``limit`` bytes.

    Devices, pipes and folders are refused before they are opened, so ``/dev/zero`` or a FIFO
    can never make perfeval read forever or block.
    """
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise FilingError(f"找不到文件“{path}”") from None
    except OSError as exc:
        raise FilingError(f"无法读取“{path}”：{os_reason(exc)}") from None
    if stat.S_ISDIR(info.st_mode):
        raise FilingError(f"“{path}”是文件夹，不是{what}")
    if not stat.S_ISREG(info.st_mode):
        raise FilingError(f"“{path}”不是普通文件（设备、管道等），不是{what}")
    if info.st_size > limit:
        raise FilingError(f"“{path}”有 {info.st_size / 1048576:.1f} MB，超过{what}的上限 "
                          f"{limit / 1048576:.0f} MB")
    return info


def read_regular_file(path: str | os.PathLike[str], limit: int, what: str = "文件") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; FilingError (Chinese) otherwise."""
    check_regular_file(path, limit, what)
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise FilingError(f"无法读取“{path}”：{os_reason(exc)}") from None
    if len(data) > limit:  # grew while we read
        raise FilingError(f"“{path}”超过{what}的上限 {limit / 1048576:.0f} MB")
    return data


def read_head(path: Path, size: int, name: str, not_a_folder: str) -> bytes:
    """The first ``size`` bytes of a file; FilingError (Chinese) for a folder, a missing or unreadable file.

    ``name`` is how the file is named in messages; ``not_a_folder`` ends the message for a folder
    (“不是 Excel 工作簿”).
    """
    try:
        if path.is_dir():
            raise FilingError(f"{name}是文件夹，{not_a_folder}")
        with path.open("rb") as handle:
            return handle.read(size)
    except FileNotFoundError:
        raise FilingError(f"找不到文件“{path}”") from None
    except OSError as exc:
        raise FilingError(f"无法读取{name}：{os_reason(exc)}") from None


def read_filing(path: str | os.PathLike[str]) -> LoadedFiling:
    """Read a filing JSON file; raise FilingError with a one-line Chinese message."""
    path = Path(path)
    raw = read_regular_file(path, MAX_FILING_BYTES, "填报文件")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FilingError(f"“{path}”不是 UTF-8 编码的 JSON 文件") from None
    return parse_filing_json(text, str(path))


def load_filing(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a filing JSON file; raise FilingError with a one-line Chinese message."""
    return read_filing(path).data


def embedded_seed() -> dict[str, Any]:
    """The seed filing shipped inside the package (株洲市渌口区机关事务服务中心, 2022)."""
    text = resources.files("xlfuncs.data").joinpath(EMBEDDED_SEED).read_text(encoding="utf-8")
    return parse_filing_text(text, EMBEDDED_SEED)


def _expect(value: Any, kind: type | tuple[type, ...], pointer: str, what: str, where: str) -> None:
    if not isinstance(value, kind):
        raise FilingError(f"{where}的结构不是 {FORMAT}：{pointer or '/'}（{what}）应为"
                          f"{'对象' if kind is dict else '数组' if kind is list else '文本'}")


def _check_fund_row(row: Any, pointer: str, where: str) -> None:
    if row is None:
        return
    _expect(row, dict, pointer, "资金行", where)


def _check_table(table: Any, pointer: str, what: str, where: str, fund_rows: tuple[str, ...]) -> None:
    _expect(table, dict, pointer, what, where)
    funds = table.get("funds")
    if funds is not None:
        _expect(funds, dict, pointer + "/funds", "资金", where)
        for key in fund_rows:
            _check_fund_row(funds.get(key), f"{pointer}/funds/{key}", where)
        breakdown = funds.get("breakdown")
        if breakdown is not None:
            _expect(breakdown, list, pointer + "/funds/breakdown", "其中资金行", where)
            for i, row in enumerate(breakdown):
                _expect(row, dict, f"{pointer}/funds/breakdown/{i}", "其中资金行", where)
    indicators = table.get("indicators")
    if indicators is None:
        indicators = []
    _expect(indicators, list, pointer + "/indicators", "绩效指标", where)
    for i, row in enumerate(indicators):
        _expect(row, dict, f"{pointer}/indicators/{i}", "绩效指标行", where)
    for key in ("goal", "total", "report", "form", "header", "signoff"):
        if table.get(key) is not None:
            _expect(table[key], dict, f"{pointer}/{key}", key, where)


def is_year(value: Any) -> bool:
    """True for a plausible 年度: an integer (or four digits) within ``YEAR_RANGE``."""
    if isinstance(value, bool):
        return False
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) == 4:
        value = int(value.strip())
    return isinstance(value, int) and YEAR_RANGE[0] <= value <= YEAR_RANGE[1]


def check_shape(data: Any, where: str = "输入") -> None:
    """Raise FilingError when ``data`` is not shaped like a perfeval.filing/1 document."""
    if not isinstance(data, dict):
        raise FilingError(f"{where}不是 {FORMAT} 格式：顶层应为对象")
    if data.get("format") != FORMAT:
        found = data.get("format")
        raise FilingError(f"{where}不是 {FORMAT} 格式的填报文件（format 字段为"
                          f"{'空' if found is None else '“' + str(found)[:40] + '”'}）")
    department = data.get("department")
    if department is not None and not isinstance(department, dict):
        raise FilingError(f"{where}的 /department（附件1部门整体支出数据）应为对象")
    if not isinstance(data.get("projects", []), list):
        raise FilingError(f"{where}的 /projects 应为数组（附件3-N 项目列表）")
    if len(data.get("projects") or []) > MAX_PROJECTS:
        raise FilingError(f"{where}有 {len(data['projects'])} 个项目（/projects），超过 perfeval 的上限 "
                          f"{MAX_PROJECTS} 个；请分成几份填报")
    if department is None and not data.get("projects"):
        raise FilingError(f"{where}既没有附件1（/department）也没有附件3（/projects），没有可校验的表格")
    if department is not None:
        _check_table(department, "/department", "附件1", where, PROJECT_FUND_ROWS)
        funds = department.get("funds") or {}
        for key in ("by_income", "by_expense"):
            if funds.get(key) is not None:
                _expect(funds[key], dict, f"/department/funds/{key}", key, where)
    for i, project in enumerate(data.get("projects") or []):
        _check_table(project, f"/projects/{i}", f"附件3-{i + 1}", where, PROJECT_FUND_ROWS)
    for key in ("department_report", "signoff"):
        if data.get(key) is not None:
            _expect(data[key], dict, "/" + key, key, where)


def save_filing(data: dict[str, Any], path: str | os.PathLike[str]) -> None:
    """Write a filing as UTF-8 JSON, atomically."""
    text = jsonio.dumps(data) + "\n"
    write_atomic(path, text.encode("utf-8"))


# ------------------------------------------------------------------ the view

class Field(NamedTuple):
    """One value as filed and where it lives in the filing (a named pair: a view builds a thousand)."""

    pointer: str
    raw: Any


_new = tuple.__new__  # builds a Field without NamedTuple's Python-level __new__ (a view builds a thousand)


def _field(container: Any, key: str, base: str) -> Field:
    raw = container.get(key) if isinstance(container, dict) else None
    return Field(join_pointer(base, key), raw)


def _extra(container: Any, base: str) -> dict[str, Field]:
    """The ``extra`` columns of a row: label → Field."""
    extra = container.get("extra") if isinstance(container, dict) else None
    if not isinstance(extra, dict):
        return {}
    return {str(k): Field(join_pointer(base, "extra", str(k)), v) for k, v in extra.items()}


@dataclass(frozen=True)
class FundRow:
    """One row of a funds block (年度资金总额, a 其中 row or a ``funds.breakdown`` row)."""

    key: str  # total, current_year, carried_over, other, or "breakdown/N"
    pointer: str
    cells: dict[str, Field]
    label: str = ""  # how the form names the row
    extra: dict[str, Field] = field(default_factory=dict)  # columns beyond the six
    raw: dict[str, Any] = field(repr=False, default_factory=dict)

    def __getitem__(self, column: str) -> Field:
        return self.cells[column]

    @property
    def is_total(self) -> bool:
        """True for the 年度资金总额 row."""
        return self.key == "total"


class Indicator(NamedTuple):
    """One 绩效指标 row (a named tuple, like :class:`Field`: a view builds one per row and every check reads it)."""

    index: int
    pointer: str
    level1: Field
    level2: Field
    level3: Field
    target: Field
    actual: Field
    points: Field
    score: Field
    deviation: Field
    band: Field  # additive: 评价档次 chosen for a qualitative row
    kind: Field  # additive: 指标性质 (正向/反向/等于/约/定性, =, ≥, ≤, 定量指标, 定性指标) when stated
    unit: Field  # additive: 度量单位 column
    target_adjusted: Field  # additive: 调整指标值
    coefficient: Field  # additive: 得分系数 (score = 权重 × 得分系数)
    breakdown_of: int | None  # additive: the parent row of a 其中 sub-row
    extra: dict[str, Field]
    raw: dict[str, Any]

    @property
    def is_breakdown(self) -> bool:
        """True for a 其中 sub-row (no points of its own; excluded from point sums)."""
        return self.breakdown_of is not None


@dataclass(frozen=True)
class Form:
    """How the table's form is laid out (``form`` of the filing; defaults: the 10号 form)."""

    family: str = ""
    title: str = ""
    budget_heading: str = ""
    indicator_heading: str = ""
    budget_scored: bool = True  # False: the form gives the budget no points (40/40/20)
    row_points: bool = True  # False: no per-row 分值 column (older Hubei forms)
    row_weights: bool = False  # True: the points column is a 权重 the unit sets row by row (一体化 forms)
    complete: bool = True  # False: the source was cut off; what follows the cut is unknown
    columns: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # the notes printed under the table (注：1.…)

    @property
    def budget_heading_points(self) -> float | None:
        """Points printed in the budget heading: “预算执行情况(万元)(20分)” → 20."""
        return heading_points(self.budget_heading) if self.budget_heading else None

    @property
    def indicator_heading_points(self) -> float | None:
        """Points printed over the whole indicator block: “年度绩效目标(80分)” → 80."""
        return heading_points(self.indicator_heading) if self.indicator_heading else None

    @property
    def has_deviation_column(self) -> bool:
        """False when the form's columns are known and none is for 偏差原因 (reasons are then
        written once for the table, e.g. 偏差大或目标未完成原因分析)."""
        return not self.columns or any(w in clean_text(c) for c in self.columns for w in _DEVIATION_WORDS)


_DEVIATION_WORDS = ("偏差", "原因", "改进措施")


def _form(raw: Any) -> Form:
    if not isinstance(raw, dict):
        return Form()
    columns, notes = raw.get("columns"), raw.get("notes")
    return Form(
        family=str(raw.get("family") or ""), title=str(raw.get("title") or ""),
        budget_heading=str(raw.get("budget_heading") or ""),
        indicator_heading=str(raw.get("indicator_heading") or ""),
        budget_scored=raw.get("budget_scored") is not False, row_points=raw.get("row_points") is not False,
        row_weights=raw.get("row_weights") is True, complete=raw.get("complete") is not False,
        columns=tuple(str(c) for c in columns if c is not None) if isinstance(columns, list) else (),
        notes=tuple(str(n) for n in notes if isinstance(n, str)) if isinstance(notes, list) else ())


@dataclass(frozen=True)
class Table:
    """附件1 or one 附件3-N, with its report (附件2 / 附件4-N)."""

    label: str
    report_label: str
    pointer: str
    is_department: bool
    name: Field
    funds: dict[str, FundRow]
    indicators: list[Indicator]
    total_points: Field
    total_score: Field
    total_grade: Field
    goal_expected: Field
    goal_actual: Field
    report: Field
    raw: dict[str, Any] = field(repr=False, default_factory=dict)
    money_unit: str = WAN
    form: Form = field(default_factory=Form)
    breakdown: list[FundRow] = field(default_factory=list)
    goal_adjusted: Field | None = None
    header: dict[str, Field] = field(default_factory=dict)
    signoff: dict[str, Field] = field(default_factory=dict)
    filed: bool = True

    @property
    def budget(self) -> FundRow:
        """The 年度资金总额 row."""
        return self.funds["total"]

    @property
    def fund_rows(self) -> list[FundRow]:
        """Every funds row present: 年度资金总额, the 其中 rows, then ``funds.breakdown``."""
        return [*self.funds.values(), *self.breakdown]

    @property
    def sub_rows(self) -> list[FundRow]:
        """The rows under 年度资金总额 (其中 rows and breakdown rows)."""
        return [row for row in self.fund_rows if not row.is_total]

    @property
    def complete(self) -> bool:
        """False when the source table was cut off."""
        return self.form.complete

    @property
    def indicators_complete(self) -> bool:
        """True when every indicator row is in the table: the source was not cut, or it was cut
        elsewhere (its 总分/合计 row was read under the indicators, see :attr:`cut_index`)."""
        return self.form.complete or (bool(self.indicators) and self.cut_index is None)

    @property
    def cut_index(self) -> int | None:
        """The last indicator row of a table cut off in its source: its empty cells are unknown. A table
        whose 总分/合计 row (its 分值 cell) was read under its indicators was cut elsewhere (a page that
        starts inside the table): its rows end where they end."""
        if self.form.complete or not self.indicators or self.total_points.raw is not None:
            return None
        return self.indicators[-1].index


@lru_cache(maxsize=4096)
def _cell_pointers(row: str, keys: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(key, pointer) of a row's cells (plain keys: no escaping). The same for every filing of that shape,
    so a batch builds them once; a view builds a thousand fields."""
    return tuple((key, f"{row}/{key}") for key in keys)


def _fund_row(funds: Any, key: str, base: str, label: str = "") -> FundRow:
    row = funds.get(key) if isinstance(funds, dict) else None
    pointer = f"{base}/{key}"
    get = row.get if isinstance(row, dict) else {}.get
    cells = {c: _new(Field, (p, get(c))) for c, p in _cell_pointers(pointer, FUND_COLUMNS)}
    return FundRow(key, pointer, cells,
                   label or FUND_ROW_LABELS.get(key, key), _extra(row, pointer),
                   row if isinstance(row, dict) else {})


def _breakdown(funds: Any, base: str) -> list[FundRow]:
    rows = funds.get("breakdown") if isinstance(funds, dict) else None
    out = []
    for i, row in enumerate(rows if isinstance(rows, list) else []):
        pointer = join_pointer(base, "breakdown", i)
        label = str(row.get("label") or "").strip() if isinstance(row, dict) else ""
        out.append(FundRow(f"breakdown/{i}", pointer, {c: _field(row, c, pointer) for c in FUND_COLUMNS},
                           label or f"其中第{i + 1}行", _extra(row, pointer), row if isinstance(row, dict) else {}))
    return out


def _parent_index(raw: Any, count: int) -> int | None:
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw < count:
        return None
    return raw


_INDICATOR_FIELDS = INDICATOR_KEYS + ("band", "kind", "unit", "target_adjusted", "coefficient")


def _indicators(table: dict[str, Any], base: str) -> list[Indicator]:
    rows = table.get("indicators") or []
    result = []
    for i, row in enumerate(rows):
        pointer = f"{base}/indicators/{i}"
        if not isinstance(row, dict):
            row = {}
        get = row.get
        parent = _parent_index(get("breakdown_of"), len(rows))
        fields = [_new(Field, (p, get(k))) for k, p in _cell_pointers(pointer, _INDICATOR_FIELDS)]
        result.append(_new(Indicator, (i, pointer, *fields, parent if parent != i else None, _extra(row, pointer), row)))
    return result


def _labelled(container: Any, base: str) -> dict[str, Field]:
    if not isinstance(container, dict):
        return {}
    return {str(k): Field(join_pointer(base, str(k)), v) for k, v in container.items()
            if not isinstance(v, (dict, list))}


def _money_unit(raw: Any, default: str) -> str:
    text = clean_text(raw)
    return text if text in MONEY_UNITS else default


def _table(raw: dict[str, Any], base: str, label: str, report_label: str, is_department: bool,
           report_field: Field, money_unit: str, filed: bool = True) -> Table:
    funds = raw.get("funds") or {}
    rows = ("total",) if is_department else PROJECT_FUND_ROWS
    if is_department:  # a department table may use the project-style block (当年财政拨款 …)
        rows += tuple(k for k in PROJECT_FUND_ROWS[1:] if isinstance(funds, dict) and isinstance(funds.get(k), dict))
    total = raw.get("total") or {}
    goal = raw.get("goal") or {}
    return Table(
        label=label,
        report_label=report_label,
        pointer=base,
        is_department=is_department,
        name=_field(raw, "name", base),
        funds={k: _fund_row(funds, k, base + "/funds") for k in rows},
        indicators=_indicators(raw, base),
        total_points=_field(total, "points", base + "/total"),
        total_score=_field(total, "score", base + "/total"),
        total_grade=_field(total, "grade", base + "/total"),
        goal_expected=_field(goal, "expected", base + "/goal"),
        goal_actual=_field(goal, "actual", base + "/goal"),
        report=report_field,
        raw=raw,
        money_unit=_money_unit(raw.get("money_unit"), money_unit),
        form=_form(raw.get("form")),
        breakdown=_breakdown(funds, base + "/funds"),
        goal_adjusted=_field(goal, "adjusted", base + "/goal"),
        header=_labelled(raw.get("header"), base + "/header"),
        signoff=_labelled(raw.get("signoff"), base + "/signoff"),
        filed=filed,
    )


@dataclass(frozen=True)
class FilingView:
    """A filing with every value addressable by JSON Pointer."""

    raw: dict[str, Any]
    department: Table
    projects: list[Table]
    by_income: dict[str, Field]
    by_expense: dict[str, Field]
    money_unit: str = WAN

    @property
    def tables(self) -> list[Table]:
        """附件1 (when filed) followed by every 附件3-N."""
        return [self.department, *self.projects] if self.department.filed else list(self.projects)

    @property
    def has_department(self) -> bool:
        """False for a filing of 附件3 tables only."""
        return self.department.filed

    @property
    def unit(self) -> Any:
        """填报单位 as filed."""
        return self.raw.get("unit")

    @property
    def year(self) -> Any:
        """年度 as filed."""
        return self.raw.get("year")

    @property
    def profile_name(self) -> str:
        """The rule profile the filing names (``profile``), or ''."""
        return clean_text(self.raw.get("profile"))


def department_filed(data: dict[str, Any]) -> bool:
    """True when the filing has a 附件1 (``department`` present, an object, not ``filed: false``)."""
    department = data.get("department")
    return isinstance(department, dict) and department.get("filed") is not False


def view(data: dict[str, Any]) -> FilingView:
    """Build the pointer-aware view of a (shape-checked) filing."""
    money_unit = _money_unit(data.get("money_unit"), WAN)
    dept_raw = data.get("department") if isinstance(data.get("department"), dict) else {}
    dept_report = _field(data.get("department_report") or {}, "text", "/department_report")
    department = _table(dept_raw, "/department", "附件1", "附件2", True, dept_report, money_unit,
                        department_filed(data))
    projects = []
    for i, raw in enumerate(data.get("projects") or []):
        base = f"/projects/{i}"
        report = _field(raw.get("report") or {}, "text", base + "/report")
        projects.append(_table(raw, base, f"附件3-{i + 1}", f"附件4-{i + 1}", False, report, money_unit))
    funds = dept_raw.get("funds") or {}
    by_income = {k: _field(funds.get("by_income") or {}, k, "/department/funds/by_income")
                 for k in INCOME_KEYS}
    by_expense = {k: _field(funds.get("by_expense") or {}, k, "/department/funds/by_expense")
                  for k in EXPENSE_KEYS}
    return FilingView(data, department, projects, by_income, by_expense, money_unit)
