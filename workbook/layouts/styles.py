"""Cell styles of the master workbook, by name, as XlsxWriter format properties.

Labels are 宋体, what a unit fills in is 仿宋. Input cells are unlocked and pale yellow,
formula cells pale blue-grey and locked, imported values that differ from the rules (kept
as constants over a formula cell) pale orange and unlocked. The values-only export uses
the same styles without fills (:func:`style_props` with ``plain=True``).
"""

from __future__ import annotations

from typing import Any

INPUT_FILL = "#FFF6D5"
FORMULA_FILL = "#EAF0F7"
CLAIM_FILL = "#FBE0CC"
HEAD_FILL = "#E7E6E6"

AMOUNT_FORMAT = "0.00"
RATE_FORMAT = "0.0%"
POINTS_FORMAT = "General"
YEAR_FORMAT = '"（"0"年度）"'
PROBE_FORMAT = '"已计算";"已计算";"未载入"'  # the probe shows 1 / 0 as words

_LABEL = {"font_name": "宋体", "font_size": 10, "valign": "vcenter", "text_wrap": True}
_VALUE = {"font_name": "仿宋", "font_size": 11, "valign": "vcenter", "text_wrap": True}
_BOX = {"border": 1}
_INPUT = {"bg_color": INPUT_FILL, "locked": False}
_FORMULA = {"bg_color": FORMULA_FILL, "locked": True}
_CLAIM = {"bg_color": CLAIM_FILL, "locked": False}
_HELPER = {"font_name": "宋体", "font_size": 9, "valign": "vcenter", "text_wrap": True, "border": 1,
           "border_color": "#A6A6A6"}


def _merge(*parts: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part in parts:
        out.update(part)
    return out


def _value_styles(prefix: str, role: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        f"{prefix}_text": _merge(_VALUE, _BOX, role, {"align": "left"}),
        f"{prefix}_center": _merge(_VALUE, _BOX, role, {"align": "center"}),
        f"{prefix}_amount": _merge(_VALUE, _BOX, role, {"align": "right", "num_format": AMOUNT_FORMAT}),
        f"{prefix}_points": _merge(_VALUE, _BOX, role, {"align": "center", "num_format": POINTS_FORMAT}),
        f"{prefix}_rate": _merge(_VALUE, _BOX, role, {"align": "center", "num_format": RATE_FORMAT}),
    }


STYLES: dict[str, dict[str, Any]] = {
    "tag": _merge(_LABEL, {"font_size": 12, "bold": True, "text_wrap": False}),
    "title": _merge(_LABEL, {"font_size": 16, "bold": True, "align": "center", "text_wrap": False}),
    "year": _merge(_LABEL, _INPUT, {"font_size": 12, "align": "center", "num_format": YEAR_FORMAT}),
    "year_link": _merge(_LABEL, {"font_size": 12, "align": "center", "num_format": YEAR_FORMAT}),
    "unit_label": _merge(_LABEL, {"font_size": 11, "align": "left", "text_wrap": False}),
    "unit": _merge(_VALUE, _INPUT, {"font_size": 12, "align": "left", "bottom": 1}),
    "unit_link": _merge(_VALUE, {"font_size": 12, "align": "left", "bottom": 1}),
    "label": _merge(_LABEL, _BOX, {"align": "center"}),
    "label_left": _merge(_LABEL, _BOX, {"align": "left"}),
    "head": _merge(_LABEL, _BOX, {"align": "center", "bold": True}),
    "block": _merge(_LABEL, _BOX, {"align": "center", "bold": True}),
    "foot_label": _merge(_LABEL, {"font_size": 10, "align": "right", "text_wrap": False}),
    "foot_in": _merge(_VALUE, _INPUT, {"font_size": 10, "align": "left", "bottom": 1}),
    "foot_link": _merge(_VALUE, {"font_size": 10, "align": "left", "bottom": 1}),
    **_value_styles("in", _INPUT),
    **_value_styles("fx", _FORMULA),
    **_value_styles("claim", _CLAIM),
    # helper zone, right of the print area
    "h_head": _merge(_HELPER, {"bold": True, "align": "center", "bg_color": HEAD_FILL}),
    "h_label": _merge(_HELPER, {"align": "left"}),
    "h_calc": _merge(_HELPER, _FORMULA, {"align": "left"}),
    "h_rate": _merge(_HELPER, _FORMULA, {"align": "center", "num_format": RATE_FORMAT}),
    "h_check": _merge(_HELPER, _FORMULA, {"align": "center", "font_size": 10}),
    "h_probe": _merge(_HELPER, _FORMULA, {"align": "center", "font_size": 10, "num_format": PROBE_FORMAT}),
    "h_in": _merge(_HELPER, _INPUT, {"align": "left"}),
    "h_in_center": _merge(_HELPER, _INPUT, {"align": "center"}),
    "h_claim": _merge(_HELPER, _CLAIM, {"align": "center", "font_size": 10}),
    "note": _merge(_LABEL, {"font_size": 9, "italic": True, "font_color": "#595959", "text_wrap": False}),
    "report": _merge(_VALUE, _BOX, _INPUT, {"align": "left", "valign": "top", "font_size": 10}),
    # other sheets
    "g_title": _merge(_LABEL, {"font_size": 16, "bold": True}),
    "g_head": _merge(_LABEL, {"font_size": 12, "bold": True}),
    "g_text": _merge(_LABEL, {"font_size": 11}),
    "g_status": _merge(_LABEL, {"font_size": 11, "bold": True, "font_color": "#1F4E79", "locked": False}),
    "g_key": _merge(_LABEL, _BOX, {"font_size": 10, "bg_color": HEAD_FILL}),
    "g_value": _merge(_LABEL, _BOX, {"font_size": 10, "align": "left"}),
    "t_head": _merge(_LABEL, _BOX, {"bold": True, "align": "center", "bg_color": HEAD_FILL}),
    "t_text": _merge(_LABEL, _BOX, {"align": "left"}),
    "t_link": _merge(_LABEL, _BOX, _FORMULA, {"align": "left", "font_color": "#1F4E79", "underline": 1}),
    "t_calc": _merge(_LABEL, _BOX, _FORMULA, {"align": "left"}),
    "t_amount": _merge(_LABEL, _BOX, _FORMULA, {"align": "right", "num_format": AMOUNT_FORMAT}),
    "t_rate": _merge(_LABEL, _BOX, _FORMULA, {"align": "center", "num_format": RATE_FORMAT}),
    "t_points": _merge(_LABEL, _BOX, _FORMULA, {"align": "center", "num_format": POINTS_FORMAT}),
    "t_check": _merge(_LABEL, _BOX, _FORMULA, {"align": "center"}),
    "conf": {"font_name": "Arial", "font_size": 10},
    "conf_note": {"font_name": "宋体", "font_size": 10, "font_color": "#595959"},
}

#: Conditional formats, by name.
CONDITIONAL = {
    "hide_value": {"num_format": ";;;"},  # unused indicator rows: the 0 the score formula returns
    "problem": {"font_color": "#C00000", "bold": True},  # a check that is not ✓, an error value
    "doubt": {"bg_color": "#FFEB9C"},  # a figure a check questions (项目汇总: a low rate)
}

_DROP_WHEN_PLAIN = ("bg_color", "locked", "border_color")


def style_props(name: str, plain: bool = False) -> dict[str, Any]:
    """XlsxWriter format properties of a style; ``plain`` drops fills and protection flags."""
    props = dict(STYLES[name])
    if plain:
        for key in _DROP_WHEN_PLAIN:
            props.pop(key, None)
        if props.get("underline"):
            props.pop("underline")
            props.pop("font_color", None)
    return props


def fill_of(name: str) -> str | None:
    """The fill colour of a style (to tell input, formula and imported cells apart in tests)."""
    return STYLES[name].get("bg_color")
