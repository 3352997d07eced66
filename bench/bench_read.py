"""Reading a master workbook benchmark (run by hand): read + validate against openpyxl's own pass.

Printed for the seed (5 projects), 50 and 200 projects, each against baselines measured in the
same run on the same files:

* ``read``: :func:`workbook.reader.read_workbook` (the streamed reader: every sheet it needs, values,
  formula texts, cached values, notes);
* ``read+validate``: :func:`macros.session.open_session`, what ``perfeval validate`` does in-process
  (read, evaluate, place findings on cells);
* ``openpyxl ro``: a bare openpyxl read-only pass touching every cell of every sheet (values only);
  the target is read+validate ≤ 1.2× this, and 50 projects ≤ 0.5 s;
* ``calamine``: python-calamine reading every sheet's values (when installed): the floor for a
  values-only read, which cannot see formula text;
* ``hostile``: the seed's workbook with ``<dimension ref="A1:XFD1048576"/>`` and a cell at
  XFD1048576, and with a 1,000,000-row extra sheet (the reader reads the cells present and only
  the sheets it needs; openpyxl's read-only pass would visit 17 billion cells of the first).

    python bench/bench_read.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_workbook import bare_read as openpyxl_pass  # noqa: E402 - openpyxl read-only, every cell
from bench_workbook import build, projects  # noqa: E402
from timing import timed  # noqa: E402

from xlfuncs.fileio import rewrite_zip  # noqa: E402
from xlfuncs.filing import embedded_seed  # noqa: E402

TARGETS = {"ratio": 1.2, "50 projects s": 0.5}


def calamine_pass(path: Path) -> None:
    """python-calamine: every sheet's values."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()


def read_only(path: Path) -> None:
    from workbook.reader import read_workbook

    read_workbook(path)


def read_and_validate(path: Path) -> None:
    from macros.session import open_session

    open_session(path)


def _rewrite(source: Path, target: Path, change) -> Path:
    target.write_bytes(rewrite_zip(source.read_bytes(), change))
    return target


def hostile_books(seed: Path, folder: Path) -> dict[str, Path]:
    """The seed's workbook with a far cell under a huge stated dimension, and with a huge extra sheet."""
    def far(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet3.xml":
            return data
        data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data)
        return data.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')

    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(1, 1_000_001))
    extra = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             b'spreadsheetml/2006/main"><sheetData>' + rows + b"</sheetData></worksheet>")

    def million(name: str, data: bytes) -> bytes:
        if name == "xl/workbook.xml":
            return data.replace(b"</sheets>", '<sheet name="附表" sheetId="99" r:id="rId99"/></sheets>'.encode())
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
                                b'officeDocument/2006/relationships/worksheet" Target="worksheets/extra.xml"/>'
                                b"</Relationships>")
        return data

    far_book = _rewrite(seed, folder / "far-cell.xlsx", far)
    million_book = _rewrite(seed, folder / "million.xlsx", million)
    with zipfile.ZipFile(million_book, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/extra.xml", extra)
    return {"far cell under A1:XFD1048576": far_book, "1,000,000-row extra sheet": million_book}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    try:
        import python_calamine  # noqa: F401
        has_calamine = True
    except ImportError:
        has_calamine = False
    with tempfile.TemporaryDirectory(prefix="perfeval-bench-read-") as tmp:
        folder = Path(tmp)
        print(f"{'workbook':<12} {'read s':>8} {'read+val s':>11} {'openpyxl ro s':>14} {'ratio':>7} "
              f"{'calamine s':>11}")
        books = {}
        for label, count in (("seed (5)", 5), ("50 projects", 50), ("200 projects", 200)):
            filing = embedded_seed() if count == 5 else projects(count)
            build(filing, "plain", folder)
            path = (folder / "plain.xlsx").rename(folder / f"{count}.xlsx")
            books[count] = path
            rounds = args.rounds if count <= 50 else max(1, args.rounds // 2)
            read = timed(lambda p=path: read_only(p), rounds)
            both = timed(lambda p=path: read_and_validate(p), rounds)
            base = timed(lambda p=path: openpyxl_pass(p), rounds)
            cal = f"{timed(lambda p=path: calamine_pass(p), rounds):>11.3f}" if has_calamine else f"{'—':>11}"
            flags = []
            if both / base > TARGETS["ratio"]:
                flags.append(f"over {TARGETS['ratio']}×")
            if count == 50 and both > TARGETS["50 projects s"]:
                flags.append(f"over {TARGETS['50 projects s']} s")
            print(f"{label:<12} {read:>8.3f} {both:>11.3f} {base:>14.3f} {both / base:>6.2f}× {cal}"
                  + (f"  ← {', '.join(flags)}" if flags else ""))
        print()
        for label, path in hostile_books(books[5], folder).items():
            both = timed(lambda p=path: read_and_validate(p), 1)
            print(f"hostile: {label:<32} read+validate {both:.3f} s")


if __name__ == "__main__":
    main()
