"""Master workbook benchmark (run by hand): build every runtime's workbook and read one back.

Printed, each against a baseline measured in the same run on the same machine:

* the plain .xlsx build at 1, 10, 50 and 200 projects (ms per project), against a bare
  XlsxWriter write of the same number of cells into the same sheets;
* the desktop .xlsm build (VBA project and buttons) and the Lite build at the same sizes, against
  the plain build (target: desktop within 1.5× of plain at every size, seed ≤ 0.5 s, linear);
* reading + validating the seed and 50 projects, against a bare openpyxl read-only pass.

The first build of a process is timed separately ("cold"): it includes loading the modules and
the one-off work a command-line run pays (e.g. reading xlwings.bas).

    python bench/bench_workbook.py [--rounds 3] [--sizes 1,10,50,200]
"""

from __future__ import annotations

import argparse
import copy
import io
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import openpyxl  # noqa: E402
import xlsxwriter  # noqa: E402
from timing import timed  # noqa: E402

from xlfuncs.filing import embedded_seed  # noqa: E402

TARGETS = {"desktop/plain": 1.5, "seed desktop s": 0.5, "seed read+validate s": 0.5}


def projects(count: int) -> dict:
    """The seed with its five projects repeated to ``count`` (names numbered)."""
    seed = embedded_seed()
    rows = []
    for i in range(count):
        project = copy.deepcopy(seed["projects"][i % 5])
        project["name"] = f"{project['name'].strip()}（{i + 1}）"
        rows.append(project)
    seed["projects"] = rows
    return seed


def cell_count(filing: dict) -> dict[str, int]:
    """Cells the builder writes per sheet (labels, values, formulas)."""
    from workbook.plan import plan_workbook

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


def build(filing: dict, runtime: str, folder: Path) -> None:
    """One build of ``runtime`` (plain, desktop, lite) to a file in ``folder``."""
    from macros.cmd_new import write_master_workbook

    suffix = ".xlsm" if runtime == "desktop" else ".xlsx"
    write_master_workbook(filing, folder / f"{runtime}{suffix}", runtime, len(filing["projects"]), "default")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes", default="1,10,50,200")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="perfeval-bench-") as tmp:
        folder = Path(tmp)
        seed = embedded_seed()
        start = time.perf_counter()
        build(seed, "desktop", folder)
        cold = time.perf_counter() - start
        print(f"cold desktop build of the seed (first in this process, modules loaded): {cold:.3f} s")
        print()
        print(f"{'projects':>8} {'bare ms':>9} {'plain ms':>9} {'ms/proj':>8} {'plain/bare':>10} "
              f"{'desktop ms':>11} {'ms/proj':>8} {'desk/plain':>10} {'lite ms':>9} {'lite/plain':>10}")
        for count in [5] + sizes:
            filing = seed if count == 5 else projects(count)
            rounds = args.rounds if count <= 50 else 1
            counts = cell_count(filing)
            bare = timed(lambda c=counts: bare_write(c), rounds)
            plain = timed(lambda f=filing: build(f, "plain", folder), rounds)
            desktop = timed(lambda f=filing: build(f, "desktop", folder), rounds)
            lite = timed(lambda f=filing: build(f, "lite", folder), rounds)
            label = "seed(5)" if count == 5 else str(count)
            flag = "" if desktop / plain <= TARGETS["desktop/plain"] else "  ← over 1.5×"
            print(f"{label:>8} {bare * 1e3:>9.0f} {plain * 1e3:>9.0f} {plain * 1e3 / count:>8.1f} "
                  f"{plain / bare:>9.1f}× {desktop * 1e3:>11.0f} {desktop * 1e3 / count:>8.1f} "
                  f"{desktop / plain:>9.2f}× {lite * 1e3:>9.0f} {lite / plain:>9.2f}×{flag}")
        print()
        from workbook.reader import read_workbook
        from xlfuncs.engine import evaluate

        for label, filing in (("seed", seed), ("50 projects", projects(50))):
            path = folder / f"read-{label}.xlsx"
            build(filing, "plain", folder)
            (folder / "plain.xlsx").rename(path)
            read = timed(lambda p=path: evaluate(read_workbook(p).filing), args.rounds)
            base = timed(lambda p=path: bare_read(p), args.rounds)
            print(f"read+validate {label:<12} {read:>7.3f} s   bare openpyxl read-only {base:.3f} s   "
                  f"{read / base:.1f}×")


if __name__ == "__main__":
    main()
