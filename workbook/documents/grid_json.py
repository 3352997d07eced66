"""Grid JSON (the corpus format, ``tests/corpus/FORMAT.md``) → :class:`~xlfuncs.grid.Document`.

A file holds one table object (``{"grid": [[...], ...], ...}``) or a list of them. Each grid
becomes a table as it stands; the object's other fields (``id``, ``province``, ``table_kind``,
``money_unit`` …) go to the table's ``meta`` and ``complete`` to its own field. Anything that is
not a grid of strings and nulls is refused with a line naming the item, row and column.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from xlfuncs.filing import FilingError
from xlfuncs.grid import Document, Table
from xlfuncs.jsonio import JsonProblem, loads

from .limits import CellBudget, label


def read_grid_json(path: Path, budget: CellBudget) -> Document:
    """Read a grid JSON file (one table object or a list of them)."""
    try:
        data = loads(path.read_text(encoding="utf-8-sig")).data  # the project's hostile-JSON reader
    except UnicodeDecodeError:
        raise FilingError(f"{label(path)}不是 UTF-8 编码的 JSON，无法读取") from None
    except JsonProblem as exc:
        raise FilingError(f"{label(path)}{exc}") from None
    items = data if isinstance(data, list) else [data]
    document = Document(source=path.name)
    for number, item in enumerate(items, start=1):
        document.blocks.append(_table(path, budget, item, number, len(items)))
    return document


def _table(path: Path, budget: CellBudget, item: Any, number: int, count: int) -> Table:
    where = f"{label(path)}第{number}个表格" if count > 1 else label(path)
    if isinstance(item, dict) and item.get("format", "").startswith("perfeval.filing"):
        raise FilingError(f"{where}已是 perfeval 填报 JSON（{item['format']}），不需要导入，可直接校验或生成工作簿")
    if not isinstance(item, dict) or not isinstance(item.get("grid"), list):
        raise FilingError(f"{where}不是表格 JSON：应是含 \"grid\"（单元格行列表）的对象，或这样的对象组成的列表")
    rows = item["grid"]
    for r, row in enumerate(rows, start=1):
        if not isinstance(row, list):
            raise FilingError(f"{where}的 grid 第{r}行不是单元格列表")
        budget.take(len(row))
        for c, cell in enumerate(row, start=1):
            if cell is not None and not isinstance(cell, str):
                raise FilingError(f"{where}的 grid 第{r}行第{c}列应是文字或 null，实际是 {json.dumps(cell, ensure_ascii=False)}")
    meta = {k: v for k, v in item.items() if k not in ("grid", "complete")}
    complete = item.get("complete", True)
    return Table(rows=[list(row) for row in rows], source=path.name, index=number,
                 complete=complete is not False, meta=meta)
