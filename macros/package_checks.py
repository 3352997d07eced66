"""X1: what the package cannot complete. The official tables carry what the unit filed, so a
cell the form needs (执行率, 分值, 得分, 总分 …) that was left blank would print blank: an error,
and export refuses unless forced.

Forms that do not score the budget (``form.budget_scored`` false) need no 分值/执行率/得分 on the
funds row; forms without per-row points (``form.row_points`` false) need none on indicator rows;
“其中” sub-rows (``breakdown_of``) need neither. A value the reader already reported (an error
value a workbook showed, W2) is not reported again.
"""

from __future__ import annotations

from typing import Any

from xlfuncs.catalogue import RULES_BY_ID
from xlfuncs.filing import COLUMN_LABELS, department_filed, join_pointer, resolve_pointer
from xlfuncs.findings import Finding
from xlfuncs.values import clean_text

RULE = "X1"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not clean_text(value))


def _form(table: dict[str, Any]) -> dict[str, Any]:
    form = table.get("form")
    return form if isinstance(form, dict) else {}


def _required(table: dict[str, Any], pointer: str) -> list[tuple[str, str]]:
    """(pointer, what) of every cell of one table the official form needs filled."""
    form = _form(table)
    needed = [(f"{pointer}/funds/total/{c}", f"年度资金总额 {COLUMN_LABELS[c]}") for c in ("full_year", "executed")]
    if form.get("budget_scored") is not False:
        needed += [(f"{pointer}/funds/total/{c}", f"年度资金总额 {COLUMN_LABELS[c]}") for c in ("points", "rate", "score")]
    rows = table.get("indicators") if isinstance(table.get("indicators"), list) else []
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or row.get("breakdown_of") is not None:
            continue
        name = clean_text(row.get("level3")) or clean_text(row.get("level2")) or "（未命名）"
        base = join_pointer(pointer, "indicators", i)
        columns = ("points", "score") if form.get("row_points") is not False else ("score",)
        needed += [(f"{base}/{c}", f"第{i + 1}行指标“{name}” {COLUMN_LABELS[c]}") for c in columns]
    needed += [(f"{pointer}/total/points", "总分 分值"), (f"{pointer}/total/score", "总分 得分")]
    return needed


def package_findings(filing: dict[str, Any]) -> list[Finding]:
    """X1 for every blank cell the package's official tables need."""
    tables = [("/department", "附件1")] if department_filed(filing) else []
    tables += [(f"/projects/{i}", f"附件3-{i + 1}") for i in range(len(filing.get("projects") or []))]
    findings = []
    severity = RULES_BY_ID[RULE].severity
    for pointer, label in tables:
        table = resolve_pointer(filing, pointer)
        if not isinstance(table, dict):
            continue
        for cell, what in _required(table, pointer):
            value = resolve_pointer(filing, cell)
            if _blank(value):
                findings.append(Finding(RULE, severity, cell,
                                        f"{label} {what}为空；申报材料中的这一格将是空白，请填写后再导出", None, None,
                                        label))
    return findings
