"""Import-reader benchmark (run by hand): reading the seed as a Word document, and a 50-table one.

Both files are made here with the test helpers (the seed in its Word layout: 附件1, 附件2, 5 × 附件3
and 附件4; and 50 project tables of the seed's shape with a heading paragraph each). Each reading
is printed with a ratio against a baseline measured in the same run on the same file: python-docx
opening it and iterating every table row's cells and every paragraph's text (the least that
reading a .docx with the same library can cost). The other readers are timed on renders of the
same 50 tables for comparison (web page, Excel).

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

from workbook.documents import read_document  # noqa: E402
from xlfuncs.filing import embedded_seed  # noqa: E402


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
        print(f"{'file':<28}{'reader':>10}{'baseline':>11}{'ratio':>8}")
        for name, path in (("seed .docx (6 tables)", seed_docx), ("50-table .docx", many_docx)):
            ours = timed(lambda p=path: read_document(p), args.rounds)
            theirs = timed(lambda p=path: python_docx_baseline(p), args.rounds)
            print(f"{name:<28}{ours * 1e3:>8.1f}ms{theirs * 1e3:>9.1f}ms{ours / theirs:>7.2f}×")
        docx_time = timed(lambda: python_docx_baseline(many_docx), args.rounds)
        for name, path in (("50-table .html", many_html), ("50-sheet .xlsx", many_xlsx)):
            ours = timed(lambda p=path: read_document(p), args.rounds)
            print(f"{name:<28}{ours * 1e3:>8.1f}ms{docx_time * 1e3:>9.1f}ms{ours / docx_time:>7.2f}×"
                  "  (baseline: python-docx on the 50-table .docx)")


if __name__ == "__main__":
    main()
