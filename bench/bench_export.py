"""Export benchmark (run by hand): the filing package of the seed and of 50 projects, without PDFs,
in-process; PDF conversion timed separately.

Targets: the seed ≤ 1 s (issue 5); 50 projects without PDF ≤ 1 s (issue 13). Each figure is
printed with its ratio to a baseline measured in the same run: ``json.load`` of the filing plus
one XlsxWriter workbook with as many cells as the package's tables (the least that reading a
filing and writing its tables can cost), so a busy machine shows up in both. Per part: the
session (read + evaluate), the tables, the report contents and the .docx files.

    python bench/bench_export.py [--rounds 5] [--no-pdf]
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout, not an installed copy

import xlsxwriter  # noqa: E402
from bench_workbook import projects  # noqa: E402 - the seed with its projects repeated

from macros.export import export_package  # noqa: E402
from macros.pdf import find_soffice  # noqa: E402
from xlfuncs.filing import embedded_seed, save_filing  # noqa: E402

PROJECTS = 50


def baseline(path: Path, sheets: int) -> float:
    """Seconds for json.load of the filing and an XlsxWriter workbook of ``sheets`` 28×9 sheets."""
    start = time.perf_counter()
    with path.open(encoding="utf-8") as handle:
        json.load(handle)
    book = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    for n in range(sheets):
        ws = book.add_worksheet(f"S{n}")
        for row in range(28):
            for col in range(9):
                ws.write(row, col, f"{row}-{col}" if col < 4 else row * col)
    book.close()
    return time.perf_counter() - start


def export_once(path: Path, pdf: bool) -> tuple[float, float, float]:
    """(wall seconds without PDF, seconds of PDF conversion, CPU seconds of this process) of one
    forced export into a fresh folder. On a shared machine the CPU time shows what the export
    itself costs when the wall time is stretched by other work."""
    with tempfile.TemporaryDirectory(prefix="perfeval-bench-") as folder:
        started, cpu = time.perf_counter(), time.process_time()
        result = export_package(path, folder, force=True, pdf=pdf)
        total = time.perf_counter() - started
        return total - result.pdf_seconds, result.pdf_seconds, time.process_time() - cpu


def parts(filing: dict) -> dict[str, float]:
    """Seconds of each part of the export for one filing (no files written)."""
    from macros.docx_writer import render_docx
    from macros.package_tables import tables_bytes
    from macros.report_content import document_spec
    from macros.session import evaluate_filing
    from xlfuncs.reports import report_contents

    out = {}
    start = time.perf_counter()
    evaluate_filing(filing, source="bench")
    out["evaluate"] = time.perf_counter() - start
    start = time.perf_counter()
    tables_bytes(filing, "default", "bench", "bench")
    out["tables"] = time.perf_counter() - start
    start = time.perf_counter()
    contents = report_contents(filing)
    out["report text"] = time.perf_counter() - start
    start = time.perf_counter()
    for content in contents:
        render_docx(document_spec(content))
    out["docx"] = time.perf_counter() - start
    return out


def measure(label: str, filing: dict, rounds: int) -> None:
    with tempfile.TemporaryDirectory(prefix="perfeval-bench-") as folder:
        path = Path(folder) / "filing.json"
        save_filing(filing, path)
        sheets = 1 + len(filing["projects"])
        export_once(path, pdf=False)  # warm imports and caches
        bases, times, cpus = [], [], []
        for _ in range(rounds):  # interleaved, so drift in machine speed hits both
            bases.append(baseline(path, sheets))
            wall, _, cpu = export_once(path, pdf=False)
            times.append(wall)
            cpus.append(cpu)
        base, median = statistics.median(bases), statistics.median(times)
        runs = [parts(filing) for _ in range(3)]
        split = {k: statistics.median(run[k] for run in runs) for k in runs[0]}
    print(f"{label}: export without PDF median {median:.3f} s (best {min(times):.3f} s, CPU "
          f"{statistics.median(cpus):.3f} s), {median / base:.1f}× the baseline ({base * 1e3:.0f} ms); target ≤ 1 s")
    print("    parts: " + ", ".join(f"{k} {v * 1e3:.0f} ms" for k, v in split.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF timing")
    args = parser.parse_args()
    measure("seed (5 projects)", embedded_seed(), args.rounds)
    measure(f"{PROJECTS} projects", projects(PROJECTS), args.rounds)
    if args.no_pdf:
        return
    if find_soffice() is None:
        print("PDF conversion: skipped, LibreOffice (soffice) not found")
        return
    with tempfile.TemporaryDirectory(prefix="perfeval-bench-") as folder:
        path = Path(folder) / "seed.json"
        save_filing(embedded_seed(), path)
        build, convert, _ = export_once(path, pdf=True)
    print(f"PDF conversion (LibreOffice, 1 xlsx + 6 docx, one run): {convert:.2f} s "
          f"(the rest of that export: {build:.3f} s)")


if __name__ == "__main__":
    main()
