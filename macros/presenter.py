"""Text for people and JSON for machines: how findings and scores are printed."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from xlfuncs import jsonio
from xlfuncs.filing import view
from xlfuncs.findings import SEVERITY_LABELS, Finding, summarize
from xlfuncs.scoring import TableScore
from xlfuncs.values import clean_text, format_number, format_rate


def findings_json(findings: list[Finding]) -> str:
    """``{"findings": [...], "summary": {...}}`` as pretty JSON."""
    payload = {"findings": [f.to_dict() for f in findings], "summary": summarize(findings)}
    return jsonio.dumps(payload)


def findings_text(findings: list[Finding], title: str = "") -> str:
    """Findings grouped by table, with counts per table and in all."""
    groups: OrderedDict[str, list[Finding]] = OrderedDict()
    for finding in findings:
        groups.setdefault(finding.table or "基本信息", []).append(finding)
    counts = summarize(findings)
    lines = [title] if title else []
    lines.append(f"共 {counts['errors']} 个错误、{counts['warnings']} 个警告、{counts['info']} 个提示")
    for table, items in groups.items():
        c = summarize(items)
        lines.append("")
        lines.append(f"【{table}】错误 {c['errors']}，警告 {c['warnings']}，提示 {c['info']}")
        for f in items:
            where = f"（{f.sheet}!{f.cell}）" if f.sheet and f.cell else ""
            lines.append(f"  [{SEVERITY_LABELS.get(f.severity, f.severity)} {f.rule}] {f.message}{where}")
    if not findings:
        lines.append("未发现问题。")
    return "\n".join(lines)


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def scores_payload(scores: list[TableScore]) -> list[dict[str, Any]]:
    """Recomputed scores as JSON-ready dicts."""
    tables = []
    for s in scores:
        tables.append({
            "table": s.label,
            "name": s.name,
            "budget": {"points": s.budget.points, "rate": _number(s.budget.rate),
                       "rate_initial": _number(s.budget.rate_initial), "score": s.budget.score,
                       "explanation": s.budget.explanation},
            "indicators": [{"points": r.points, "score": r.score, "method": r.method,
                            "explanation": r.explanation} for r in s.indicators],
            "points_total": s.points_total,
            "total": s.total,
            "grade": s.grade,
            "explanation": s.explanation,
        })
    return tables


def indicator_names(filing: dict[str, Any]) -> list[list[str]]:
    """Per table, each indicator row's 三级指标 (or “第N行” when it has none)."""
    return [[clean_text(i.level3.raw) or f"第{i.index + 1}行" for i in t.indicators] for t in view(filing).tables]


def scores_text(scores: list[TableScore], filing: dict[str, Any]) -> str:
    """One block per table of ``filing``: budget, each indicator, total and grade."""
    lines = []
    for s, names_row in zip(scores, indicator_names(filing), strict=True):
        lines.append(f"【{s.label}】{s.name}")
        b = s.budget
        lines.append(f"  预算执行：执行率 {format_rate(b.rate)}，得分 {format_number(b.score)} / "
                     f"{format_number(b.points)}" + ("" if b.score is not None else f"（{b.explanation}）"))
        for i, r in enumerate(s.indicators):
            label = names_row[i]
            shown = format_number(r.score) if r.score is not None else "无法评分"
            lines.append(f"  {i + 1:>2}. {label}：{shown} / {format_number(r.points)}  {r.explanation}")
        lines.append(f"  总分：{format_number(s.total) if s.total is not None else '无法确定'}"
                     f"，等级：{s.grade or '—'}（{s.explanation}）")
        lines.append("")
    return "\n".join(lines).rstrip()
