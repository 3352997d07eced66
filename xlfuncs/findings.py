"""Findings: what validation reports, each pointing at a value of the filing."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告", INFO: "提示"}
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}


@dataclass(frozen=True)
class Finding:
    """One problem found in a filing.

    ``pointer`` is a JSON Pointer into the filing; ``sheet`` and ``cell`` are filled in
    when the filing was read from a master workbook.
    """

    rule: str
    severity: str
    pointer: str
    message: str
    expected: Any = None
    actual: Any = None
    table: str = ""
    sheet: str | None = None
    cell: str | None = None

    def at(self, sheet: str | None, cell: str | None) -> Finding:
        """Return a copy located on a workbook sheet and cell."""
        return replace(self, sheet=sheet, cell=cell)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (sheet and cell only when known)."""
        data = {"rule": self.rule, "severity": self.severity, "pointer": self.pointer,
                "message": self.message, "expected": self.expected, "actual": self.actual,
                "table": self.table}
        if self.sheet is not None:
            data["sheet"] = self.sheet
            data["cell"] = self.cell
        return data


def summarize(findings: list[Finding]) -> dict[str, int]:
    """Count findings by severity: ``{"errors": n, "warnings": n, "info": n}``."""
    counts = {ERROR: 0, WARNING: 0, INFO: 0}
    for finding in findings:
        if finding.severity in counts:
            counts[finding.severity] += 1
    return {"errors": counts[ERROR], "warnings": counts[WARNING], "info": counts[INFO]}


_TABLE_ORDER = {"基本信息": 0, "附件1": 1, "附件2": 2, "附件3": 3, "附件4": 4}


def _table_key(label: str) -> tuple[int, int]:
    head, _, tail = label.partition("-")
    return _TABLE_ORDER.get(head, 9), int(tail) if tail.isdigit() else 0


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Order findings by table, then severity, then rule id, then pointer."""
    tables = {label: _table_key(label) for label in {f.table for f in findings}}  # a few labels, many findings
    return sorted(findings, key=lambda f: (tables[f.table], SEVERITY_ORDER.get(f.severity, 9), f.rule, f.pointer))
