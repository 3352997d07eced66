"""One form read from its grid: walk the rows, hand each block to its reader, then decide the
family, the kind of table (附件1 or 附件3), the year and the money unit."""

from __future__ import annotations

import re
from collections import Counter

from ..values import heading_points, parse_amount
from . import fields, funds, goals, indicators
from .families import UNKNOWN, classify, printed_profile
from .fold import fold
from .reading import YEAR, YEAR_LOOSE, Reading
from .rows import Grid
from .vocabulary import BLOCKS, INDICATOR_BLOCK, match

_NUMERIC = re.compile(r"^[-+]?[0-9.,%]+$")
# Amounts this large in 万元 (100亿元 and more) on one unit's table are 元 typed under a 万元 label.
IMPLAUSIBLE_WANYUAN = 1_000_000.0


def read_table(grid: Grid) -> Reading:
    """Read one grid (a form) into a :class:`Reading`."""
    reading = Reading(grid)
    n = len(grid.rows)
    funds_headers = {r for r in range(n) if funds.is_header(reading, r) and not indicators.is_header(reading, r)}
    indicator_headers: set[int] = set()
    header_rows: set[int] = set()
    for r in range(n):
        if indicators.is_header(reading, r) and r not in header_rows:
            span = indicators.header_rows(reading, r, funds.is_header)
            indicator_headers.add(span[0])
            header_rows.update(span)
    goal_rows = {r for r in range(n) if goals.is_goal_row(reading, r)}
    funds_headers -= header_rows
    stop = funds_headers | indicator_headers | goal_rows
    footer = False
    section = ""
    r = 0
    while r < n:
        row = grid.rows[r]
        if row.is_blank:
            r += 1
            continue
        if r in indicator_headers:
            header = indicators.read_header(reading, r, funds.is_header)
            r = _indicator_body(reading, header, stop)
            footer = True
            continue
        if r in funds_headers:
            roles = funds.column_roles(reading, r)
            if funds.is_pairs(reading, r, roles):
                r = funds.read_pairs(reading, r) + 1
                continue
            header_f = funds.read_header(reading, r)
            r = funds.read_rows(reading, header_f, stop - {r, header_f.end}) + 1
            continue
        if r in goal_rows:
            r = goals.read_goal(reading, r) + 1
            continue
        filled = row.filled()
        if len(filled) == 1:
            section = filled[0][1]
            if match(section, BLOCKS, fuzzy=True) == INDICATOR_BLOCK and r + 1 in header_rows:
                reading.put(("form", "indicator_heading"), section, r, filled[0][0])
                r += 1
                continue
        if fields.read_single(reading, r, footer=footer) or fields.read_fields(reading, r, footer=footer):
            r += 1
            continue
        if "cover" in reading.features and len(filled) >= 2 and not any(_NUMERIC.match(fold(t)) for _, t in filled):
            r = _details(reading, r, section) + 1
            continue
        r += 1
    indicators.mark_breakdowns(reading)
    reading.leftovers()
    _finish(reading)
    return reading


def _indicator_body(reading: Reading, header: indicators.IndicatorHeader, stop: set[int]) -> int:
    """Read indicator rows until the 总分 row, a footer line or a new block; returns the next row."""
    reading.data.setdefault("indicators", [])
    index = len(reading.data["indicators"])
    r = header.end + 1
    while r < len(reading.rows):
        row = reading.rows[r]
        filled = row.filled()
        if not filled:
            r += 1
            continue
        if r in stop and r > header.end:
            if indicators.is_header(reading, r) and _same_header(reading, header, r):
                for c, _ in filled:  # the header repeated at a page break
                    reading.use(r, c)
                r += 1
                continue
            return r
        first = filled[0][1]
        if indicators.is_total(first):
            indicators.read_total(reading, header, r)
            return r + 1
        at_edge = all(row.text(c) is None for c in range(filled[0][0])) and row.text(filled[0][0]) is not None \
            and filled[0][0] == min((c for c, _ in row.present()), default=0) and not _merged_from_above(row)
        if at_edge and fields.field_role(first, footer=True, fuzzy=False) \
                or fields.is_single(reading, r) and fields.is_note(first):
            return r
        indicators.read_row(reading, header, r, index)
        index += 1
        r += 1
    return r


def _merged_from_above(row) -> bool:
    """True when the row's leftmost cells are covered by a cell merged down from above."""
    return bool(row.cells) and row.cells[0] is None


def _same_header(reading: Reading, header: indicators.IndicatorHeader, r: int) -> bool:
    return set(indicators.header_roles(reading, r).values()) <= set(header.roles.values()) | {"header_group"}


def _details(reading: Reading, r: int, section: str) -> int:
    """A small table of its own on an older cover form (支出明细: 支出内容 / 实际支出数 / 会计凭证号 / 备注)."""
    head = reading.rows[r].filled()
    cols = [c for c, _ in head]
    details = reading.data.setdefault("details", [])
    index = len(details)
    details.append({"title": "".join(section.split()), "columns": [t for _, t in head], "rows": []})
    for c, _ in head:
        reading.use(r, c)
    last = r
    for nr in range(r + 1, len(reading.rows)):
        row = reading.rows[nr]
        if row.is_blank:
            continue
        if len(row.filled()) <= 1:
            break
        details[index]["rows"].append([None] * len(cols))
        k = len(details[index]["rows"]) - 1
        for i, c in enumerate(cols):
            if row.text(c) is not None:
                reading.put(("details", index, "rows", k, i), row.text(c), nr, c)
        last = nr
    return last


def _kind(reading: Reading) -> str:
    title = fold(reading.title)
    if "部门整体" in title:
        return "department"
    if "项目" in title:
        return "project"
    if "field.project_name" in reading.features:
        return "project"
    if "部门" in title or "field.department_name" in reading.features or "funds.income_expense" in reading.features:
        return "department"
    for indicator in reading.data.get("indicators") or []:
        if "部门" in fold(indicator.get("level1")) or "部门" in fold(indicator.get("level2")):
            return "department"
    return "project"


def _year(reading: Reading) -> None:
    """Title first (read already); then “20XX年度” anywhere; then the commonest “20XX年”; then what the
    source states beside the grid (corpus metadata)."""
    if reading.year is not None:
        return
    for loose in (False, True):
        pattern = YEAR_LOOSE if loose else YEAR
        counts: Counter[int] = Counter()
        first: dict[int, tuple[int, int]] = {}
        for r, row in enumerate(reading.rows):
            for c, text in row.filled():
                for found in pattern.findall(fold(text)):
                    counts[int(found)] += 1
                    first.setdefault(int(found), (r, c))
        if counts:
            year = counts.most_common(1)[0][0]
            reading.year = year
            reading.year_origin = reading.origin(first[year][0]).cell(first[year][1])
            return
    meta_year = reading.grid.meta.get("year")
    if isinstance(meta_year, int):
        reading.year = meta_year
        reading.year_origin = {"file": reading.grid.source, "table": reading.grid.index, "meta": "year"}


def _amounts(reading: Reading) -> list[float]:
    block = reading.data.get("funds") or {}
    rows = [v for k, v in block.items() if isinstance(v, dict) and k not in ("by_income", "by_expense")]
    rows += block.get("breakdown") or []
    values = []
    for row in rows:
        for key in ("initial", "full_year", "executed"):
            parsed = parse_amount(row.get(key))
            if parsed.ok and parsed.value is not None and not parsed.note:
                values.append(parsed.value)
    return values


def _finish(reading: Reading) -> None:
    form = reading.data.setdefault("form", {})
    if reading.notes:
        form["notes"] = list(reading.notes)
    budget_heading = form.get("budget_heading") or ""
    score_labels = [t for t in form.get("budget_columns") or [] if "执行率" in fold(t) and "分" in fold(t)]
    if heading_points(budget_heading) is not None or score_labels:
        reading.features.add("heading.budget_points")
    if heading_points(form.get("indicator_heading")) is not None:
        reading.features.add("heading.indicator_points")
    family = classify(reading.features) if reading.data.get("indicators") or reading.data.get("funds") \
        or "cover" in reading.features else UNKNOWN
    form["family"] = family
    form["budget_scored"] = bool({"funds.points", "funds.score", "heading.budget_points"} & reading.features)
    form["row_points"] = "ind.points" in reading.features
    if form["row_points"] and "ind.weight" in reading.features:
        form["row_weights"] = True
    form["complete"] = reading.grid.complete
    reading.kind = _kind(reading)
    if reading.money_unit == "万元" and form.get("unit_label") and any(
            v >= IMPLAUSIBLE_WANYUAN for v in _amounts(reading)):
        reading.money_unit = "元"
    reading.profile = printed_profile(reading.notes)
    _year(reading)
