"""Indicator rows grouped under their 一级指标 headings, with the points each heading declares."""

from __future__ import annotations

from dataclasses import dataclass, field

from .categories import Category, category_of, heading_category
from .filing import Indicator, Table
from .textnorm import fold_text
from .values import heading_points


@dataclass
class Group:
    """Rows under one level-1 heading."""

    key: str  # the category key (output, benefit, …) or the heading's own words
    label: str  # how messages name the group
    heading: Indicator  # the row whose 一级指标 cell carries the heading
    declared: float | None  # points printed in the heading
    rows: list[Indicator] = field(default_factory=list)
    category: Category | None = None


def _unknown(level1: str) -> tuple[str, str]:
    bare = level1.split("(")[0] or "（未填一级指标）"
    return bare, bare


def groups(table: Table) -> list[Group]:
    """Indicator rows grouped by level-1 heading; a blank heading continues the one above
    (merged cells leave only the first row filled). A heading that names no category
    (“(50分)”) takes the category of its first 二级指标."""
    result: list[Group] = []
    for row in table.indicators:
        level1 = fold_text(row.level1.raw)
        if result and (not level1 or level1 == fold_text(result[-1].heading.level1.raw)):
            # a blank heading, or the same heading repeated row by row (a merged cell read into each
            # row): one group, even when its 二级指标 name different categories (部门绩效情况(45分))
            result[-1].rows.append(row)
            continue
        category = heading_category(level1) or category_of(None, row.level2.raw)
        key, label = (category.key, category.label) if category else _unknown(level1)
        if result and result[-1].key == key:
            group = result[-1]
            if group.declared is None:
                group.declared = heading_points(level1)
        else:
            group = Group(key, label, row, heading_points(level1), category=category)
            result.append(group)
        group.rows.append(row)
    return result
