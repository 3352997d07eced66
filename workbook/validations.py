"""Data validation of the master workbook's input cells: what may be typed where, and the Chinese
message shown when it is not (rules by name, from the form layouts)."""

from __future__ import annotations

from typing import Any

from xlsxwriter.worksheet import Worksheet

from xlfuncs.profile_text import render
from xlfuncs.profiles import load_profile
from xlfuncs.values import format_number

from .layouts.cells import cells_of
from .layouts.form_model import CATEGORY_KEYS
from .layouts.forms import CATEGORY_KEYWORDS, CATEGORY_LABELS, KIND_CHOICES, LEVEL2_CHOICES, FormLayout

_VALIDATION_TEXT = {  # {…}: the profile's figures (xlfuncs.profile_text)
    "amount": ("金额", "请填写以万元为单位的数字（≥0），不适用的留空。"),
    "points": ("分值", "请填写 0–{points_total} 之间的数字。"),
    "points_or_dash": ("分值/得分", "其中各行的分值、得分一般填“—”；如填数字须≥0。"),
    "rate_or_dash": ("执行率", "请填写百分比（如 100%）或“—”。"),
    "year": ("年度", "请填写四位数年度，如 2022。"),
    "kind": ("指标性质", "请从下拉列表选择；留空即“自动”。"),
    "band": ("评价档次", "请从下拉列表选择规则配置中的档次。"),
    "level1": ("一级指标", "建议从下拉列表选择；确有特殊情况可填写其他内容。"),
    "level2": ("二级指标", "建议从下拉列表选择；确有特殊情况可填写其他内容。"),
}


def validation_options(rule: str, top_left: str, profile: str) -> dict[str, Any]:
    """XlsxWriter ``data_validation`` options of a rule for a range starting at ``top_left``."""
    rules = load_profile(profile)
    title, message = _VALIDATION_TEXT[rule]
    base = {"error_title": title, "error_message": render(message, rules), "ignore_blank": True}
    if rule == "amount":
        return {**base, "validate": "decimal", "criteria": ">=", "value": 0}
    if rule == "points":
        total = rules.weights["total"]
        return {**base, "validate": "decimal", "criteria": "between", "minimum": 0,
                "maximum": int(total) if total.is_integer() else total}
    if rule in ("points_or_dash", "rate_or_dash"):
        c = top_left
        return {**base, "validate": "custom",
                "value": f'=OR({c}="—",{c}="-",{c}="/",AND(ISNUMBER({c}),{c}>=0))'}
    if rule == "year":
        return {**base, "validate": "integer", "criteria": "between", "minimum": 2000, "maximum": 2100}
    if rule == "kind":
        return {**base, "validate": "list", "source": list(KIND_CHOICES)}
    if rule == "band":
        return {**base, "validate": "list", "source": [b.label for b in rules.bands]}
    if rule == "level1":
        source = [f"{CATEGORY_LABELS[w]}（{format_number(rules.weights.get(CATEGORY_KEYS[w], 0))}分）"
                  for w in CATEGORY_KEYWORDS]
        return {**base, "validate": "list", "source": source, "error_type": "information"}
    return {**base, "validate": "list", "source": list(LEVEL2_CHOICES), "error_type": "information"}


def add_validations(ws: Worksheet, form: FormLayout, profile: str) -> None:
    """Every validation of a form: its ranges, then single cells with a rule of their own."""
    covered = {c for v in form.validations for row in cells_of(v.ref) for c in row}
    for v in form.validations:
        ws.data_validation(v.ref, validation_options(v.rule, v.ref.split(":")[0], profile))
    for f in form.fields:  # the 其中 rows' 分值/执行率/得分
        if f.validation and f.cell not in covered:
            ws.data_validation(f.cell, validation_options(f.validation, f.cell, profile))
