"""Findings about an import, read from the filing itself (``import``, ``form``, ``money_unit``,
``year``), so `perfeval import` and a later `perfeval validate` of the written file report the
same: I1 cells that could not be placed, I2 tables of no known form, I3 a money unit printed on
the form that the amounts contradict, I4 no year found."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..findings import ERROR, INFO, WARNING, Finding
from ..values import display_text
from .fold import fold

_UNIT_IN_LABEL = re.compile(r"\((万元|元)\)|单位[:：]?(万元|元)")
IMPORT_TABLE = "导入"


def _where(entry: dict[str, Any]) -> str:
    if entry.get("paragraph"):
        return f"{entry.get('file', '')} 第{entry['paragraph']}段"
    sheet = f" {entry['sheet']}" if entry.get("sheet") else ""
    return f"{entry.get('file', '')}{sheet} 表{entry.get('table')} 第{entry.get('row')}行第{entry.get('col')}列"


def unplaced(filing: dict[str, Any]) -> Iterator[Finding]:
    """I1: every cell the import could not put in its place."""
    entries = ((filing.get("import") or {}).get("unplaced")) or []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        text = display_text(entry.get("text"))[:60]
        yield Finding("I1", WARNING, f"/import/unplaced/{i}",
                      f"导入时无法归位：{_where(entry)}“{text}”（{entry.get('why', '')}），请核对该内容应填在何处",
                      expected="归入表中栏目", actual=text, table=IMPORT_TABLE)


def unrecognised(filing: dict[str, Any]) -> Iterator[Finding]:
    """I2: a table of the source that matches no known form."""
    for i, entry in enumerate(((filing.get("import") or {}).get("tables")) or []):
        if isinstance(entry, dict) and entry.get("family") == "unknown":
            yield Finding("I2", ERROR, f"/import/tables/{i}",
                          f"{entry.get('file', '')} 表{entry.get('table')} 不是可识别的绩效自评表，其内容未导入",
                          expected="绩效自评表", actual=entry.get("title") or None, table=IMPORT_TABLE)


def _tables(filing: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    department = filing.get("department")
    if isinstance(department, dict):
        yield "/department", "附件1", department
    for i, project in enumerate(filing.get("projects") or []):
        if isinstance(project, dict):
            yield f"/projects/{i}", f"附件3-{i + 1}", project


def label_unit(label: Any) -> str | None:
    """The money unit a printed label states: “项目资金（万元）” → 万元."""
    found = _UNIT_IN_LABEL.search(fold(label if isinstance(label, str) else "").replace("兀", "元"))
    return (found.group(1) or found.group(2)) if found else None


def unit_mismatch(filing: dict[str, Any]) -> Iterator[Finding]:
    """I3: the form prints one money unit, the amounts are plainly in another."""
    top = filing.get("money_unit") or "万元"
    for pointer, label, table in _tables(filing):
        form = table.get("form") or {}
        printed = label_unit(form.get("unit_label"))
        used = table.get("money_unit") or top
        if printed and printed != used:
            yield Finding("I3", WARNING, f"{pointer}/form/unit_label",
                          f"{label} 资金块标注金额单位为“{printed}”，但金额数额只能是以“{used}”计"
                          f"（按“{printed}”读会相差一万倍），已按“{used}”读取；请核对并更正表上的单位",
                          expected=used, actual=printed, table=label)


def missing_year(filing: dict[str, Any]) -> Iterator[Finding]:
    """I4: no year on the form or beside it (the import writes ``year: null`` rather than invent one)."""
    if filing.get("year") is None:
        yield Finding("I4", WARNING, "/year", "表上没有找到年度（如“2022年度”），请在填报文件的 year 字段填写",
                      expected="年度", actual=None, table=IMPORT_TABLE)


def import_findings(filing: dict[str, Any]) -> list[Finding]:
    """Every finding about how a filing was imported (none for a filing that was not imported)."""
    found = [*unplaced(filing), *unrecognised(filing), *unit_mismatch(filing), *missing_year(filing)]
    return [f for f in found if f.severity in (ERROR, WARNING, INFO)]
