"""The indicator table: its header (one or two rows; 年度指标值 may span 指标性质 / 指标值 / 度量单位),
the indicator rows (一级/二级 cells merged down their groups), 其中 sub-rows, and the 总分 row."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .fold import fold
from .reading import Reading
from .vocabulary import ACTUAL as ACTUAL_ROLE
from .vocabulary import (
    BLOCKS,
    COEFFICIENT,
    DEVIATION,
    EXTRA,
    HEADER_GROUP,
    INDICATOR_BLOCK,
    INDICATOR_COLUMNS,
    KIND,
    LEVEL1,
    LEVEL2,
    LEVEL3,
    POINTS,
    SCORE,
    TARGET,
    TARGET_ADJUSTED,
    TOTAL_LABELS,
    UNIT,
    category_of,
    core,
    match,
)

REQUIRED_TEXT = (LEVEL1, LEVEL2, LEVEL3)
MERGED_DOWN = (LEVEL1, LEVEL2, KIND)  # columns whose cells are merged down a group of rows
REQUIRED_VALUES = (TARGET, ACTUAL_ROLE, POINTS)
OPTIONAL = (SCORE, DEVIATION, KIND, UNIT, TARGET_ADJUSTED, COEFFICIENT)
_DEFINING = {LEVEL1, LEVEL2, LEVEL3, TARGET, ACTUAL_ROLE}
_INDENT = re.compile(r"^[ \u3000\t]{2,}")


def header_roles(reading: Reading, r: int) -> dict[int, str]:
    """Indicator column roles of the labels of one row."""
    roles = {}
    for col, text in reading.rows[r].filled():
        role = match(text, INDICATOR_COLUMNS, fuzzy=True)
        if role:
            roles[col] = role
    return roles


def is_header(reading: Reading, r: int) -> bool:
    """True for the (lowest or only) header row of an indicator table."""
    roles = header_roles(reading, r)
    distinct = set(roles.values()) - {HEADER_GROUP}
    return len(distinct) >= 3 and bool(distinct & _DEFINING)


@dataclass
class IndicatorHeader:
    """Where each column of the indicator table stands."""

    roles: dict[int, str]
    labels: dict[int, str]
    start: int
    end: int


def header_rows(reading: Reading, r: int, is_funds_header) -> list[int]:
    """The header rows around a header row ``r``: rows above with column labels (绩效指标 / 年度指标值
    spanning sub-columns) and label-only rows below."""
    rows = [r]
    up = _skip_blank(reading, r - 1, -1)
    while up >= 0 and not is_funds_header(reading, up) and len(set(header_roles(reading, up).values())) >= 2 \
            and not is_header(reading, up):
        rows.insert(0, up)
        up = _skip_blank(reading, up - 1, -1)
    down = _skip_blank(reading, r + 1, 1)
    while down < len(reading.rows) and len(set(header_roles(reading, down).values()) - {HEADER_GROUP}) >= 2 \
            and _looks_like_header(reading, down):
        rows.append(down)
        down = _skip_blank(reading, down + 1, 1)
    return rows


def _skip_blank(reading: Reading, r: int, step: int) -> int:
    while 0 <= r < len(reading.rows) and reading.rows[r].is_blank:
        r += step
    return r


def _looks_like_header(reading: Reading, r: int) -> bool:
    """Every filled cell of the row is a column label (so it is a second header row, not data)."""
    filled = reading.rows[r].filled()
    return bool(filled) and all(match(t, INDICATOR_COLUMNS, fuzzy=True) for _, t in filled)


def read_header(reading: Reading, r: int, is_funds_header) -> IndicatorHeader:
    """Read the header rows around ``r``: lower rows refine upper ones column by column."""
    rows = header_rows(reading, r, is_funds_header)
    roles: dict[int, str] = {}
    labels: dict[int, str] = {}
    first = reading.rows[rows[0]].filled()
    heading_cell = None
    if first and match(first[0][1], BLOCKS, fuzzy=True) == INDICATOR_BLOCK \
            and not reading.has(("form", "indicator_heading")):
        col, text = first[0]
        reading.put(("form", "indicator_heading"), text, rows[0], col)
        heading_cell = (rows[0], col)
    for hr in rows:
        for col, text in reading.rows[hr].filled():
            reading.use(hr, col)
            if (hr, col) == heading_cell:
                continue
            role = match(text, INDICATOR_COLUMNS, fuzzy=True)
            if role:
                roles[col], labels[col] = role, text
    roles = {c: role for c, role in roles.items() if role != HEADER_GROUP}
    labels = {c: labels[c] for c in roles}
    seen: set[str] = set()
    for col in sorted(roles):  # a role printed twice: the second column is kept as an extra column
        if roles[col] in seen and roles[col] != EXTRA:
            roles[col] = EXTRA
        seen.add(roles[col])
    if LEVEL1 not in roles.values() and LEVEL2 in roles.values():
        level2 = min(c for c, role in roles.items() if role == LEVEL2)
        if level2 > 0 and level2 - 1 not in roles:
            roles[level2 - 1] = LEVEL1  # the 一级指标 label is lost in a merged block label (OCR'd forms)
            labels[level2 - 1] = ""
    reading.put(("form", "columns"), [labels[c] for c in sorted(labels) if labels[c]])
    _features(reading, roles, labels)
    return IndicatorHeader(roles, labels, rows[0], rows[-1])


def _features(reading: Reading, roles: dict[int, str], labels: dict[int, str]) -> None:
    found = set(roles.values())
    reading.features.update(f"ind.{role}" for role in found)
    if POINTS in found and TARGET in found:
        points = min(c for c, r in roles.items() if r == POINTS)
        target = min(c for c, r in roles.items() if r == TARGET)
        if points < target:
            reading.features.add("ind.points_first")
    for label in labels.values():
        folded = fold(label)
        if "权重" in folded:
            reading.features.add("ind.weight")
        if "计分标准" in folded or "评分标准" in folded:
            reading.features.add("ind.criteria")


def is_total(text: str | None) -> bool:
    """True for the 总分 row's label."""
    return bool(match(text, TOTAL_LABELS))


def read_total(reading: Reading, header: IndicatorHeader, r: int) -> None:
    """The 总分 row: 分值 and 得分 at their columns (a lone figure elsewhere is the score)."""
    row = reading.rows[r]
    filled = row.filled()
    reading.use(r, filled[0][0])
    placed = False
    for col, role in header.roles.items():
        text = row.text(col)
        if role in (POINTS, SCORE) and text is not None and (r, col) not in reading.used:
            reading.put(("total", "points" if role == POINTS else "score"), text, r, col)
            placed = True
    others = [(c, t) for c, t in filled[1:] if (r, c) not in reading.used]
    if not placed and len(others) == 1:
        reading.put(("total", "score"), others[0][1], r, others[0][0])
    if not reading.has(("total",)):
        reading.put(("total", "points"), None)
        reading.put(("total", "score"), None)


def read_row(reading: Reading, header: IndicatorHeader, r: int, index: int) -> None:
    """One indicator row at ``indicators[index]``."""
    row = reading.rows[r]
    previous = reading.data["indicators"][index - 1] if index else None
    reading.data["indicators"].append({})
    base = ("indicators", index)
    for key in REQUIRED_TEXT:
        reading.put((*base, key), "")
    for key in REQUIRED_VALUES:
        reading.put((*base, key), None)
    for col, role in sorted(header.roles.items()):
        text = row.text(col)
        if role == EXTRA:
            if text is not None:
                reading.put((*base, "extra", "".join(header.labels[col].split())), text, r, col)
            continue
        if text is None:
            if role in MERGED_DOWN and previous is not None and col < row.width:
                reading.put((*base, role), previous[role])  # merged down its group
                above = reading.trace.get(f"/indicators/{index - 1}/{role}")
                if above:
                    reading.trace[f"/indicators/{index}/{role}"] = dict(above)
            elif role in OPTIONAL:
                reading.put((*base, role), None)
            continue
        reading.put((*base, role), text, r, col)
    for col, text in row.filled():  # the block label printed again where the table runs onto a new page
        if col not in header.roles and match(text, BLOCKS, fuzzy=True) == INDICATOR_BLOCK:
            reading.use(r, col)
    indicator = reading.data["indicators"][index]
    category = category_of(indicator.get(LEVEL1), indicator.get(LEVEL2))
    if category:
        indicator["category"] = category
        if category in ("decision", "management"):
            reading.features.add("ind.process")


def _points_blank(value: Any) -> bool:
    return value is None or not str(value).strip() or core(str(value)) in ("", "-", "—")


def mark_breakdowns(reading: Reading) -> None:
    """其中 sub-rows: indented or “其中” rows without points of their own under a row that has points."""
    rows = reading.data.get("indicators") or []
    parent: int | None = None
    for i, indicator in enumerate(rows):
        name = indicator.get(LEVEL3) or ""
        sub = bool(_INDENT.match(name)) or fold(name).lstrip("★☆*").startswith("其中")
        if sub and _points_blank(indicator.get(POINTS)) and parent is not None \
                and rows[parent].get(LEVEL1) == indicator.get(LEVEL1):
            indicator["breakdown_of"] = parent
            reading.features.add("ind.breakdown")
            continue
        if not _points_blank(indicator.get(POINTS)) and not sub:
            parent = i
        elif not sub:
            parent = None
