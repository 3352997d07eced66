"""Grid JSON in the corpus format (``tests/corpus/FORMAT.md``) → :class:`~xlfuncs.grid.Document`.

Accepted: one table object ``{"grid": [[…], …], …}``, a list of them, or ``{"tables": [...]}``.
Cells are text or null (a position covered by a merged cell); numbers are kept as the text
they print. Everything beside ``grid`` except the reviewer's ``review`` is kept as the table's
``meta`` (the recogniser uses only ``year``, as a last resort). Sizes are bounded: the file
comes from outside.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from ..grid import Document, Table
from ..jsonio import JsonProblem, loads
from ..oserror_text import os_reason

MAX_BYTES = 50 * 1024 * 1024
MAX_TABLES, MAX_ROWS, MAX_COLS, MAX_CELL = 2000, 20000, 400, 200_000


class GridError(ValueError):
    """Input that is not a grid JSON; the message is one Chinese line."""


def _cell(value: Any, where: str) -> str | None:
    if value is None or isinstance(value, str):
        if isinstance(value, str) and len(value) > MAX_CELL:
            raise GridError(f"{where}的单元格文字过长（超过 {MAX_CELL} 字）")
        return value
    if isinstance(value, bool):
        raise GridError(f"{where}的单元格是逻辑值，应为文字或 null")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return repr(value) if value != int(value) else str(int(value))
    raise GridError(f"{where}的单元格应为文字或 null")


def _table(obj: Any, source: str, index: int) -> Table:
    where = f"“{source}”第 {index} 张表"
    if not isinstance(obj, dict) or "grid" not in obj:
        raise GridError(f"{where}不是表格对象（应有 grid 字段）")
    grid = obj["grid"]
    if not isinstance(grid, list) or not all(isinstance(row, list) for row in grid):
        raise GridError(f"{where}的 grid 应为行的数组，每行是单元格数组")
    if len(grid) > MAX_ROWS or any(len(row) > MAX_COLS for row in grid):
        raise GridError(f"{where}过大（最多 {MAX_ROWS} 行、每行 {MAX_COLS} 列）")
    rows = [[_cell(v, f"{where}第 {r + 1} 行") for v in row] for r, row in enumerate(grid)]
    meta = {k: v for k, v in obj.items() if k not in ("grid", "review")}
    complete = obj.get("complete", True)
    caption = obj.get("caption") if isinstance(obj.get("caption"), str) else ""
    sheet = obj.get("sheet") if isinstance(obj.get("sheet"), str) else None
    return Table(rows, source, index, sheet, complete is not False, caption, meta)


def parse_grid_json(text: str, source: str) -> Document:
    """Parse grid JSON text into a Document; raise GridError (Chinese, one line)."""
    if not text.strip():
        raise GridError(f"“{source}”是空文件")
    try:
        data = loads(text).data
    except JsonProblem as exc:
        raise GridError(f"“{source}”{exc}") from None
    if isinstance(data, dict) and isinstance(data.get("tables"), list):
        data = data["tables"]
    if isinstance(data, dict):
        if str(data.get("format", "")).startswith("perfeval.filing"):
            raise GridError(f"“{source}”已是 perfeval.filing/1 填报文件，不是表格网格，不需要导入；可直接 perfeval validate")
        data = [data]
    if not isinstance(data, list) or not data:
        raise GridError(f"“{source}”不是表格网格（应为含 grid 的对象或其数组）")
    if len(data) > MAX_TABLES:
        raise GridError(f"“{source}”的表格过多（最多 {MAX_TABLES} 张）")
    return Document(source, [_table(obj, source, i + 1) for i, obj in enumerate(data)])


def load_grid_json(path: str | Path, name: str | None = None) -> Document:
    """Read a grid JSON file; ``name`` is how messages and traces name it (default: the path)."""
    path = Path(path)
    source = name or str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise GridError(f"“{source}”过大（超过 {MAX_BYTES // 1024 // 1024} MB）")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise GridError(f"找不到文件“{source}”") from None
    except IsADirectoryError:
        raise GridError(f"“{source}”是文件夹，不是表格文件") from None
    except OSError as exc:
        raise GridError(f"无法读取“{source}”：{os_reason(exc)}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GridError(f"“{source}”不是 UTF-8 编码的 JSON 文件") from None
    return parse_grid_json(text, source)
