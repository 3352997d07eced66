"""The filing interchange format ``perfeval.filing/1``: load, save and a pointer-aware view.

Values stay as filed. :class:`FilingView` gives every value together with its JSON
Pointer, so a finding can name exactly the cell it is about.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .fileio import write_atomic

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

def _json_error_message(exc: json.JSONDecodeError) -> str:
    return f"不是有效的 JSON 文件（第 {exc.lineno} 行第 {exc.colno} 列附近格式错误）"


def parse_filing_text(text: str, source: str = "") -> dict[str, Any]:
    """Parse filing JSON text and check its shape; raise FilingError in Chinese."""
    where = f"“{source}”" if source else "输入"
    if not text.strip():
        raise FilingError(f"{where}是空文件，没有可读取的填报数据")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FilingError(f"{where}{_json_error_message(exc)}") from None
    except RecursionError:
        raise FilingError(f"{where}嵌套层级过深，无法读取") from None
    check_shape(data, where)
    return data


def load_filing(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a filing JSON file; raise FilingError with a one-line Chinese message."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FilingError(f"找不到文件“{path}”") from None
    except IsADirectoryError:
        raise FilingError(f"“{path}”是文件夹，不是填报文件") from None
    except OSError as exc:
        raise FilingError(f"无法读取“{path}”：{exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FilingError(f"“{path}”不是 UTF-8 编码的 JSON 文件") from None
    return parse_filing_text(text, str(path))


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
    indicators = table.get("indicators")
    if indicators is None:
        indicators = []
    _expect(indicators, list, pointer + "/indicators", "绩效指标", where)
    for i, row in enumerate(indicators):
        _expect(row, dict, f"{pointer}/indicators/{i}", "绩效指标行", where)
    for key in ("goal", "total", "report"):
        if table.get(key) is not None:
            _expect(table[key], dict, f"{pointer}/{key}", key, where)


def check_shape(data: Any, where: str = "输入") -> None:
    """Raise FilingError when ``data`` is not shaped like a perfeval.filing/1 document."""
    if not isinstance(data, dict):
        raise FilingError(f"{where}不是 {FORMAT} 格式：顶层应为对象")
    if data.get("format") != FORMAT:
        found = data.get("format")
        raise FilingError(f"{where}不是 {FORMAT} 格式的填报文件（format 字段为"
                          f"{'空' if found is None else '“' + str(found)[:40] + '”'}）")
    if not isinstance(data.get("department"), dict):
        raise FilingError(f"{where}缺少附件1部门整体支出数据（/department）")
    if not isinstance(data.get("projects", []), list):
        raise FilingError(f"{where}的 /projects 应为数组（附件3-N 项目列表）")
    _check_table(data["department"], "/department", "附件1", where, ("total",))
    funds = data["department"].get("funds") or {}
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
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    write_atomic(path, text.encode("utf-8"))


# ------------------------------------------------------------------ the view

@dataclass(frozen=True, slots=True)
class Field:
    """One value as filed and where it lives in the filing."""

    pointer: str
    raw: Any


def _field(container: Any, key: str, base: str) -> Field:
    raw = container.get(key) if isinstance(container, dict) else None
    return Field(join_pointer(base, key), raw)


@dataclass(frozen=True)
class FundRow:
    """One row of a funds block."""

    key: str
    pointer: str
    cells: dict[str, Field]

    def __getitem__(self, column: str) -> Field:
        return self.cells[column]


@dataclass(frozen=True)
class Indicator:
    """One 绩效指标 row."""

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
    kind: Field  # additive: 指标性质 (正向/反向/等于/约/定性) when stated


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

    @property
    def budget(self) -> FundRow:
        """The 年度资金总额 row."""
        return self.funds["total"]


def _fund_row(funds: Any, key: str, base: str) -> FundRow:
    row = funds.get(key) if isinstance(funds, dict) else None
    pointer = join_pointer(base, key)
    return FundRow(key, pointer, {c: _field(row, c, pointer) for c in FUND_COLUMNS})


def _indicators(table: dict[str, Any], base: str) -> list[Indicator]:
    rows = table.get("indicators") or []
    result = []
    for i, row in enumerate(rows):
        pointer = join_pointer(base, "indicators", i)
        fields = {k: _field(row, k, pointer) for k in INDICATOR_KEYS + ("band", "kind")}
        result.append(Indicator(i, pointer, **fields))
    return result


def _table(raw: dict[str, Any], base: str, label: str, report_label: str,
           is_department: bool, report_field: Field) -> Table:
    funds = raw.get("funds") or {}
    rows = ("total",) if is_department else PROJECT_FUND_ROWS
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
    )


@dataclass(frozen=True)
class FilingView:
    """A filing with every value addressable by JSON Pointer."""

    raw: dict[str, Any]
    department: Table
    projects: list[Table]
    by_income: dict[str, Field]
    by_expense: dict[str, Field]

    @property
    def tables(self) -> list[Table]:
        """附件1 followed by every 附件3-N."""
        return [self.department, *self.projects]

    @property
    def unit(self) -> Any:
        """填报单位 as filed."""
        return self.raw.get("unit")

    @property
    def year(self) -> Any:
        """年度 as filed."""
        return self.raw.get("year")


def view(data: dict[str, Any]) -> FilingView:
    """Build the pointer-aware view of a (shape-checked) filing."""
    dept_raw = data["department"]
    dept_report = _field(data.get("department_report") or {}, "text", "/department_report")
    department = _table(dept_raw, "/department", "附件1", "附件2", True, dept_report)
    projects = []
    for i, raw in enumerate(data.get("projects") or []):
        base = f"/projects/{i}"
        report = _field(raw.get("report") or {}, "text", base + "/report")
        projects.append(_table(raw, base, f"附件3-{i + 1}", f"附件4-{i + 1}", False, report))
    funds = dept_raw.get("funds") or {}
    by_income = {k: _field(funds.get("by_income") or {}, k, "/department/funds/by_income")
                 for k in INCOME_KEYS}
    by_expense = {k: _field(funds.get("by_expense") or {}, k, "/department/funds/by_expense")
                  for k in EXPENSE_KEYS}
    return FilingView(data, department, projects, by_income, by_expense)
