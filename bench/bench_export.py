"""Export benchmark (run by hand): the seed's filing package, without and with PDFs.

Target (issue 5): export without PDF ≤ 1 s for the seed. The figure is printed with a ratio
against a baseline measured in the same run: ``json.load`` of the seed plus saving an empty
python-docx document (the least that reading a filing and writing one report can cost).
PDF conversion (LibreOffice) is timed separately: it dominates and depends on the machine.

    python bench/bench_export.py [--rounds 5] [--no-pdf]
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import tempfile
import time
from importlib import resources
from pathlib import Path

import docx

from macros.export import export_package
from macros.pdf import find_soffice


def baseline(seed_path: Path) -> float:
    """Seconds for json.load of the seed and saving an empty .docx to memory."""
    start = time.perf_counter()
    with seed_path.open(encoding="utf-8") as handle:
        json.load(handle)
    docx.Document().save(io.BytesIO())
    return time.perf_counter() - start


def export_once(seed_path: Path, pdf: bool) -> tuple[float, float]:
    """(seconds without PDF, seconds of PDF conversion) of one forced export into a fresh folder."""
    with tempfile.TemporaryDirectory(prefix="perfeval-bench-") as folder:
        started = time.perf_counter()
        result = export_package(seed_path, folder, force=True, pdf=pdf)
        total = time.perf_counter() - started
        return total - result.pdf_seconds, result.pdf_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF timing")
    args = parser.parse_args()
    with resources.as_file(resources.files("xlfuncs.data").joinpath("lukou-2022.json")) as seed_path:
        export_once(seed_path, pdf=False)  # warm imports and caches
        base = statistics.median(baseline(seed_path) for _ in range(max(3, args.rounds)))
        times = [export_once(seed_path, pdf=False)[0] for _ in range(args.rounds)]
        median = statistics.median(times)
        print(f"export without PDF (seed, {args.rounds} rounds): median {median:.3f} s, "
              f"best {min(times):.3f} s  ratio vs baseline {median / base:6.1f}×  target ≤ 1 s")
        print(f"baseline (json.load + empty .docx save):   {base * 1e3:.1f} ms")
        if args.no_pdf:
            return
        if find_soffice() is None:
            print("PDF conversion: skipped, LibreOffice (soffice) not found")
            return
        build, convert = export_once(seed_path, pdf=True)
        print(f"PDF conversion (LibreOffice, 1 xlsx + 6 docx, one run): {convert:.2f} s "
              f"(the rest of that export: {build:.3f} s)")


if __name__ == "__main__":
    main()
