"""Import benchmark (run by hand): reading and recognising the seed as a Word document, a 50-table
document, and our own exported package of the corrected seed.

The files are made here with the test helpers (the seed in its Word layout: 附件1, 附件2, 5 × 附件3
and 附件4; 50 project tables of the seed's shape with a heading paragraph each) and with
``perfeval export`` (the package, without PDFs). Each import is timed as ``perfeval import`` does
it (:func:`macros.inputs.open_sources`: read by content, recognise, apply a package's manifest),
and split into reading and recognising. The baseline, measured in the same run on the same file,
is python-docx opening it and touching every table cell's and paragraph's text (the least that
reading a .docx with the same library can cost); the other readers are timed on renders of the
same 50 tables against that baseline, and the package import as a command against ``python -c pass``.

    python bench/bench_import.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from document_renders import Para, write_docx, write_html, write_xlsx  # noqa: E402
from seed_document import project_grid, seed_blocks  # noqa: E402
from timing import timed  # noqa: E402

from macros.inputs import open_sources  # noqa: E402
from workbook.documents import read_document  # noqa: E402
from xlfuncs.filing import embedded_seed, load_filing, save_filing  # noqa: E402
from xlfuncs.recognise import recognise_documents  # noqa: E402


def python_docx_baseline(path: Path) -> None:
    """Open with python-docx and touch every cell's and paragraph's text."""
    import docx

    document = docx.Document(str(path))
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                _ = cell.text
    for paragraph in document.paragraphs:
        _ = paragraph.text


def _row(name: str, seconds: float, baseline: float | None, note: str = "") -> str:
    ratio = f"{seconds / baseline:>7.2f}×" if baseline else " " * 8
    base = f"{baseline * 1e3:>9.1f}ms" if baseline else " " * 11
    return f"{name:<40}{seconds * 1e3:>8.1f}ms{base}{ratio}{note}"


def _package(folder: Path) -> Path:
    from macros.export import export_package

    source = folder / "lukou-2022-corrected.json"
    save_filing(load_filing(ROOT / "tests" / "data" / "lukou-2022-corrected.json"), source)
    return export_package(source, folder / "out", pdf=False).folder


def _command_rows(zipped: Path, base: Path, rounds: int) -> None:
    """``perfeval import 包.zip -o 填报.json`` as a user runs it (a new process: start-up and library imports
    included), against ``python -c pass`` in the same run."""
    import os
    import subprocess

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    target = base / "from-zip.json"

    def command() -> None:
        subprocess.run([sys.executable, "-m", "macros", "import", str(zipped), "-o", str(target), "--force"],
                       cwd=ROOT, env=env, check=True, capture_output=True)

    empty = timed(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), rounds)
    print(_row("perfeval import package.zip (command)", timed(command, rounds), empty,
               "  (baseline: python -c pass)"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    seed = embedded_seed()
    projects = seed["projects"]
    many: list = []
    for n in range(50):
        many += [Para(f"附件3-{n + 1}", "Heading 2"), project_grid(seed, projects[n % len(projects)])]
    with tempfile.TemporaryDirectory(prefix="perfeval-bench-") as folder:
        base = Path(folder)
        seed_docx = write_docx(base / "seed.docx", seed_blocks(seed))
        many_docx = write_docx(base / "50.docx", many)
        many_html = write_html(base / "50.html", many, encoding="gb18030", declared="gbk")
        many_xlsx = write_xlsx(base / "50.xlsx", [(f"附件3-{n + 1}", b) for n, b in enumerate(many[1::2])])
        package = _package(base)
        zipped = package.with_name(package.name + ".zip")
        print(f"{'import (read + recognise)':<40}{'ours':>10}{'baseline':>11}{'ratio':>8}")
        for name, path in (("seed .docx (6 tables, 6 reports)", seed_docx), ("50-table .docx", many_docx)):
            baseline = timed(lambda p=path: python_docx_baseline(p), args.rounds)
            documents = [read_document(path)]
            print(_row(name, timed(lambda p=path: open_sources([p]), args.rounds), baseline))
            print(_row("  of which reading", timed(lambda p=path: read_document(p), args.rounds), baseline))
            print(_row("  of which recognising", timed(lambda d=documents: recognise_documents(d), args.rounds), baseline))
        docx_time = timed(lambda: python_docx_baseline(many_docx), args.rounds)
        for name, path in (("50-table .html", many_html), ("50-sheet .xlsx", many_xlsx)):
            print(_row(name, timed(lambda p=path: open_sources([p]), args.rounds), docx_time,
                       "  (baseline: python-docx on the 50-table .docx)"))
        _command_rows(zipped, base, args.rounds)
        reports = sorted(package.glob("附件*.docx"))
        report_baseline = timed(lambda: [python_docx_baseline(p) for p in reports], args.rounds)
        for name, path in (("corrected seed package (folder)", package), ("corrected seed package (.zip)", zipped)):
            print(_row(name, timed(lambda p=path: open_sources([p]), args.rounds), report_baseline,
                       "  (baseline: python-docx on its 6 report .docx)"))


if __name__ == "__main__":
    main()
