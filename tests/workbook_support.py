"""Helpers for the master-workbook tests: building, hashing, editing copies, recalculating."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import warnings
import zipfile
from pathlib import Path
from typing import Any

SEED_JSON = Path(__file__).parents[1] / "xlfuncs" / "data" / "lukou-2022.json"


def sha256(path: Path) -> str:
    """Hash of a file, to prove a read left it unchanged."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def edited_copy(source: Path, target: Path, edit) -> Path:
    """Copy a workbook, change it with openpyxl (``edit(book)``), save. openpyxl drops the
    cached values of formula cells, like a tool that does not calculate."""
    import openpyxl

    shutil.copy(source, target)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(target)
        edit(book)
        book.save(target)
    return target


def rewrite_part(source: Path, target: Path, part: str, change) -> Path:
    """Copy a package changing one part's bytes with ``change(bytes) -> bytes``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, change(data) if info.filename == part else data)
    target.write_bytes(buffer.getvalue())
    return target


def sheet_part(path: Path, name: str) -> str:
    """The package part of a sheet by its name."""
    with zipfile.ZipFile(path) as archive:
        book = archive.read("xl/workbook.xml").decode("utf-8")
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    rid = re.search(rf'<sheet name="{re.escape(name)}"[^>]*r:id="(rId\d+)"', book).group(1)
    target = re.search(rf'Id="{rid}" Type="[^"]+" Target="([^"]+)"', rels).group(1)
    return "xl/" + target.lstrip("/").removeprefix("xl/")


def diff(a: Any, b: Any, path: str = "") -> list[str]:
    """Where two normalised filings differ (empty when equal)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b)) for d in diff(a.get(k), b.get(k), f"{path}/{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items vs {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in diff(x, y, f"{path}/{i}")]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def register_udfs() -> None:
    """Make the ``formulas`` package compute our UDFs with the Python cell functions.

    ``wrap_ufunc`` would apply a function element by element (and replace empty cells by 0);
    SCORE_TOTAL, CHECK_EQUAL and CHECK_HEADING take whole ranges, so each UDF is wrapped with
    ``wrap_func``: ranges arrive as 2-D lists, empty cells as None, errors as their code.
    """
    import formulas
    import numpy as np
    import schedula as sh
    from formulas.functions import Error, XlError, wrap_func

    from workbook.layouts.expr import UDFS
    from xlfuncs.cellfuncs import CellError

    def plain(x: Any) -> Any:
        if isinstance(x, np.ndarray):
            if x.size == 1:
                return plain(x.ravel()[0])
            return [[plain(v) for v in row] for row in x.tolist()]
        if x is sh.EMPTY:
            return None
        if isinstance(x, XlError):
            return str(x)
        if isinstance(x, np.generic):
            return x.item()
        return x

    def adapt(func):
        def call(*args):
            result = func(*[plain(a) for a in args])
            if isinstance(result, CellError):
                result = Error.errors[result.code]
            return np.asarray([[result]], object)
        return wrap_func(call)

    functions = formulas.get_functions()
    for name, func in UDFS.items():
        functions[name] = adapt(func)


def solution_value(solution: dict, book: str, sheet: str, cell: str) -> Any:
    """A cell's value from a ``formulas`` solution, as plain Python."""
    import numpy as np
    import schedula as sh
    from formulas.functions import XlError

    value = solution[f"'[{book}]{sheet.upper()}'!{cell}"].value
    value = value.ravel()[0] if isinstance(value, np.ndarray) else value
    if value is sh.EMPTY:
        return None
    if isinstance(value, XlError):
        return str(value)
    return value.item() if isinstance(value, np.generic) else value
