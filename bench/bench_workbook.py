"""Master workbook benchmark (run by hand): build and read back the seed, and a 50-project workbook.

Targets (issue 3): ≤ 1 s to build the seed, ≤ 0.5 s to read and validate it, ≤ 3 s for 50
projects (build, and read + validate). Each figure is printed with a ratio against a baseline
measured in the same run on the same machine:

* building: a bare XlsxWriter write of the same number of cells into the same sheets;
* reading: a bare openpyxl read-only load of the same file that touches every cell.

    python bench/bench_workbook.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import copy
import io
import tempfile
import warnings
from pathlib import Path

import openpyxl
import xlsxwriter
from timing import timed

from workbook.builder import build_workbook, plan_workbook
from workbook.reader import read_workbook
from xlfuncs.engine import evaluate
from xlfuncs.filing import embedded_seed

TARGETS = {"seed build": 1.0, "seed read+validate": 0.5, "50 projects build": 3.0,
           "50 projects read+validate": 3.0}


def fifty_projects() -> dict:
    """The seed with its five projects repeated to fifty (names numbered)."""
    seed = embedded_seed()
    projects = []
    for i in range(50):
        project = copy.deepcopy(seed["projects"][i % 5])
        project["name"] = f"{project['name'].strip()}（{i + 1}）"
        projects.append(project)
    seed["projects"] = projects
    return seed


def cell_count(filing: dict) -> dict[str, int]:
    """Cells the builder writes per sheet (labels, values, formulas)."""
    plan = plan_workbook(filing)
    counts: dict[str, int] = {}
    for form in plan.forms:
        items = [s.ref for s in form.statics] + [f.ref for f in form.all_fields()] + [c.ref for c in form.all_calcs()]
        counts[form.sheet] = len(items)
    for sheet in plan.sheets:
        counts[sheet.name] = len(sheet.statics) + len(sheet.calcs)
    return counts


def bare_write(counts: dict[str, int]) -> None:
    """Baseline: XlsxWriter writing the same number of plain cells (text and numbers) to memory."""
    book = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    for name, count in counts.items():
        sheet = book.add_worksheet(name)
        for i in range(count):
            row, col = divmod(i, 12)
            if i % 2:
                sheet.write_number(row, col, i * 1.5)
            else:
                sheet.write_string(row, col, f"单元格{i}")
    book.close()


def bare_read(path: Path) -> None:
    """Baseline: openpyxl read-only load touching every cell."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(path, read_only=True)
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                for _ in row:
                    pass
        book.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="perfeval-bench-") as folder:
        for label, filing in (("seed", embedded_seed()), ("50 projects", fifty_projects())):
            path = Path(folder) / f"{label}.xlsx"
            counts = cell_count(filing)
            build = timed(lambda f=filing, p=path: build_workbook(f, p), args.rounds)
            base_write = timed(lambda c=counts: bare_write(c), args.rounds)
            read = timed(lambda p=path: evaluate(read_workbook(p).filing), args.rounds)
            base_read = timed(lambda p=path: bare_read(p), args.rounds)
            cells = sum(counts.values())
            rows.append((f"{label} build", build, base_write, f"bare XlsxWriter, {cells} cells"))
            rows.append((f"{label} read+validate", read, base_read, "bare openpyxl read-only load"))
    print(f"{'measure':<28}{'seconds':>9}{'target':>9}{'baseline':>10}{'ratio':>8}  baseline is")
    for name, seconds, base, what in rows:
        target = TARGETS[name]
        flag = "" if seconds <= target else "  ← over target"
        print(f"{name:<28}{seconds:>9.3f}{target:>9.1f}{base:>10.3f}{seconds / base:>7.1f}×  {what}{flag}")


if __name__ == "__main__":
    main()
