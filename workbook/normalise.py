"""Compare two filings as the master workbook holds them (round-trip tests, 校验 against a JSON):
numbers parsed, text folded, blanks and absent optional fields alike, reports by section."""

from __future__ import annotations

from typing import Any

from xlfuncs.filing import EXPENSE_KEYS, INCOME_KEYS, INDICATOR_KEYS, PROJECT_FUND_ROWS
from xlfuncs.outlines import DEPARTMENT_OUTLINE, PROJECT_OUTLINE, Outline, split_report
from xlfuncs.values import clean_text, parse_amount, parse_points, parse_rate

from .layouts.form_model import AMOUNT, POINTS, RATE, TEXT

_FIELD_KINDS = {"initial": AMOUNT, "full_year": AMOUNT, "executed": AMOUNT, "points": POINTS, "score": POINTS,
                "rate": RATE}
_PARSE = {AMOUNT: parse_amount, POINTS: parse_points, RATE: parse_rate}


def _normal_value(kind: str, raw: Any) -> Any:
    if kind in _PARSE:
        parsed = _PARSE[kind](raw)
        if parsed.status == "blank":
            return None
        if parsed.empty:
            return "—"
        if parsed.ok and parsed.value is not None:
            return round(parsed.value, 9)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return round(float(raw), 9)
    return clean_text(raw) or None


def _normal_report(raw: Any, outline: Outline) -> Any:
    """A report text compared section by section (the 自评报告 sheet holds it per outline
    section, with the outline's own headings)."""
    if not isinstance(raw, str) or not clean_text(raw):
        return None
    bodies = split_report(raw, outline).bodies
    return tuple((key, clean_text(body)) for key, body in bodies.items() if clean_text(body))


def normalise_filing(filing: dict[str, Any]) -> dict[str, Any]:
    """A filing reduced to what the forms hold, for comparing two filings: numbers parsed (amounts,
    points, rates), text without whitespace and with full-width forms folded, blanks as None,
    absent optional fields as None, keys outside the filing format dropped."""
    def table(raw: dict[str, Any], project: bool) -> dict[str, Any]:
        raw = raw or {}
        funds = raw.get("funds") or {}
        rows = PROJECT_FUND_ROWS if project else ("total",)
        out_funds = {}
        for key in rows:
            row = funds.get(key) or {}
            values = {c: _normal_value(k, row.get(c)) for c, k in _FIELD_KINDS.items()}
            if key == "total":
                values.update({r: _normal_value(TEXT, row.get(r)) for r in ("adjust_reason", "rate_reason")})
            out_funds[key] = values
        if not project:
            for block, keys in (("by_income", INCOME_KEYS), ("by_expense", EXPENSE_KEYS)):
                source = funds.get(block) or {}
                out_funds[block] = {k: _normal_value(AMOUNT, source.get(k)) for k in keys}
        indicators = []
        for row in raw.get("indicators") or []:
            row = row or {}
            item = {k: _normal_value(POINTS if k in ("points", "score") else TEXT, row.get(k)) for k in INDICATOR_KEYS}
            item.update({k: _normal_value(TEXT, row.get(k)) for k in ("kind", "band")})
            indicators.append(item)
        total = raw.get("total") or {}
        out = {"name": _normal_value(TEXT, raw.get("name")), "funds": out_funds,
               "goal": {k: _normal_value(TEXT, (raw.get("goal") or {}).get(k)) for k in ("expected", "actual")},
               "indicators": indicators,
               "total": {"points": _normal_value(POINTS, total.get("points")),
                         "score": _normal_value(POINTS, total.get("score")),
                         "grade": _normal_value(TEXT, total.get("grade"))}}
        if project:
            out.update({k: _normal_value(TEXT, raw.get(k)) for k in ("competent_department", "implementing_unit")})
            out["report"] = _normal_report((raw.get("report") or {}).get("text"), PROJECT_OUTLINE)
        return out

    signoff = filing.get("signoff") or {}
    return {"year": _normal_value(TEXT, filing.get("year")), "unit": _normal_value(TEXT, filing.get("unit")),
            "department": table(filing.get("department") or {}, False),
            "department_report": _normal_report((filing.get("department_report") or {}).get("text"),
                                                DEPARTMENT_OUTLINE),
            "projects": [table(p, True) for p in filing.get("projects") or []],
            "signoff": {k: _normal_value(TEXT, signoff.get(k)) for k in ("preparer", "phone", "date", "head")}}
