"""绩效自评表.xlsx of the package: the official forms (附件1, 附件3-1…N) holding the filed values.

The workbook builder lays the forms out (``values_only``: print area only, official print
setup); then every cell that holds a filing value is set to :func:`xlfuncs.official.cell_value`
of what the unit filed — the same values the reports quote. No result is recomputed: a filed
score stays, a blank stays blank. A table filed in 元 says 元 where the form says 万元.
:func:`macros.xlsx_clean.audit` then proves the file is clean.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from typing import Any

from xlfuncs.filing import department_filed, join_pointer, resolve_pointer
from xlfuncs.official import YUAN, cell_value, money_unit, normalized

from .xlsx_clean import audit, properties_replaced


class TablesFailed(Exception):
    """The tables came out unclean (a bug, not the user's doing); the message is Chinese."""


def table_sheets(filing: dict[str, Any]) -> list[str]:
    """The sheets of the package workbook: 附件1 (when filed), 附件3-1 … 附件3-N."""
    projects = [f"附件3-{i}" for i in range(1, len(filing.get("projects") or []) + 1)]
    return (["附件1"] if department_filed(filing) else []) + projects


def flatten(document: Any, prefix: str = "") -> dict[str, Any]:
    """Every leaf of a JSON document by its JSON Pointer (one walk instead of a lookup per cell)."""
    out: dict[str, Any] = {}
    items = document.items() if isinstance(document, dict) else enumerate(document) if isinstance(document, list) else ()
    for key, value in items:
        pointer = join_pointer(prefix, key)
        if isinstance(value, dict | list):
            out.update(flatten(value, pointer))
        else:
            out[pointer] = value
    return out


_RESULTS = re.compile(r"/(?:funds/total/(?:rate|score)|indicators/[0-9]+/score|total/(?:score|grade))$")


def _layout_copy(filing: dict[str, Any]) -> dict[str, Any]:
    """The filing with its result values taken out: the layout needs the shape, and without
    filed results the builder computes none of them (every cell is set as filed afterwards)."""
    copied = copy.deepcopy(filing)
    for pointer in [p for p in flatten(copied) if _RESULTS.search(p)]:
        parent, _, key = pointer.rpartition("/")
        resolve_pointer(copied, parent)[key] = None
    return copied


def _as_filed(plan: Any, filing: dict[str, Any], forms: list[Any]) -> None:
    """Every filing value of ``forms`` set to the filed value; 万元 labels follow the table's unit."""
    model = plan.model
    values = flatten(filing)
    for form in forms:
        unit = money_unit(filing, form.pointer)
        rows = list(form.indicator_rows)
        for f in form.all_fields(rows):
            model.set(form.sheet, f.cell, cell_value(f.kind, values.get(f.pointer), unit))
        if unit == YUAN:
            form.statics = [dataclasses.replace(s, text=s.text.replace("（万元）", "（元）"))
                            if s.text and "（万元）" in s.text else s for s in form.statics]
    plan.claims.clear()
    model.clear_cache()


def tables_bytes(filing: dict[str, Any], profile: str, title: str, unit: str) -> bytes:
    """The package workbook as bytes; raise TablesFailed when the audit finds anything unclean."""
    from workbook.builder import plan_workbook, write_plan  # the workbook stack loads only when exporting

    shaped = normalized(filing)
    projects = len(shaped.get("projects") or [])
    plan = plan_workbook(_layout_copy(shaped), projects=max(1, projects), profile=profile, values_only=True)
    forms = plan.forms[:1 + projects]  # the builder lays out at least one 附件3; a filing may have none
    if not department_filed(filing):
        forms = forms[1:]
    _as_filed(plan, shaped, plan.forms)
    plan.forms = forms
    payload = properties_replaced(write_plan(plan), title, unit)
    problems = audit(payload, table_sheets(filing))
    if problems:
        raise TablesFailed("生成的绩效自评表.xlsx 不符合报送要求：" + "；".join(problems))
    return payload
