"""Issue 9 acceptance: each corpus table, rendered into .docx, .xlsx, .html and .pdf, imports to the
same filing as its grid.

The comparison is strict: every value, every ``form`` field, every ``trace`` row and column,
every ``import`` record, with only the names a file carries (its file name, an Excel sheet's or a
PDF page's name) set aside. The exceptions, each stated where it applies:

* What the corpus states beside a grid and no document can carry: the transcriber's
  ``"complete": false`` (13 of the 17 published pages are cut off) and a year known only from
  the corpus metadata (b10 prints none on or above its table). A render has neither, so its
  filing says the table is complete and has no year (I4), and nothing else differs.
* L-shaped merges (a01, a04, b08) cannot be drawn; the render splits them, one covered cell
  becoming an empty cell (``tests/test_documents_corpus.py``). Their filing is compared with the
  filing of the drawable grid, and that filing's values with the original's.
* PDF keeps no white space inside a cell and no cell boundary after a short row's last cell
  (``tests/test_documents_corpus.py``). PDF filings are compared with white space removed from
  every text, and two corpus tables LibreOffice lays out wrongly are expected to fail. Two
  consequences are set aside, each only where it applies: a03 marks its “其中” sub-rows by
  indenting their names with spaces, which a PDF does not keep, so ``breakdown_of`` cannot be
  read; b07 is cut off inside its last row, which a PDF shows running to the table's right edge,
  so that row's cells past the cut read as merged from the row above.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from document_renders import merge_plan, write_docx, write_html, write_xlsx
from test_documents_corpus import PDF_LAYOUT_FAULTS, TALL_PAGE_CM

from macros.inputs import open_sources
from xlfuncs.grid import Document, Table
from xlfuncs.recognise import load_grid_json, recognise_documents

CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.json"))
IDS = [p.stem[:3] for p in CORPUS]
SOURCE_NAMES = ("file", "sheet")


def _grid(path: Path) -> list[list[str | None]]:
    return json.loads(path.read_text(encoding="utf-8"))["grid"]


def _meta_only(path: Path) -> tuple[bool, bool]:
    """(cut off per the corpus, year only in the corpus metadata) for a grid."""
    result = recognise_documents([load_grid_json(path, path.name)])
    year = result.filing["trace"].get("/year") or {}
    return not result.tables[0].complete, bool(year.get("meta"))


def _without_names(value):
    if isinstance(value, dict):
        return {k: _without_names(v) for k, v in value.items() if k not in SOURCE_NAMES}
    if isinstance(value, list):
        return [_without_names(v) for v in value]
    return value


def _no_space(value):
    if isinstance(value, str):
        return re.sub(r"\s+", "", value)
    if isinstance(value, dict):
        return {k: _no_space(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_no_space(v) for v in value]
    return value


def _set_aside(filing: dict, cut: bool, year_from_meta: bool) -> dict:
    """The filing with what only the corpus metadata knew put as a document gives it."""
    filing = copy.deepcopy(filing)
    if year_from_meta:
        filing["year"] = None
        filing["trace"].pop("/year", None)
    if cut:
        for table in [filing["department"], *filing["projects"]]:
            if "form" in table:
                table["form"]["complete"] = True
        for entry in filing["import"]["tables"]:
            entry["complete"] = True
    return filing


def grid_filing(path: Path, drawable: bool = True) -> dict:
    """The filing of the grid as rendered (the drawable grid for an L shape), metadata set aside."""
    table = load_grid_json(path, path.name).tables[0]
    rows = merge_plan(table.rows).grid if drawable else table.rows
    document = Document(path.name, [Table(rows, path.name, 1, complete=table.complete, meta=table.meta)])
    filing = recognise_documents([document]).filing
    return _set_aside(filing, *_meta_only(path))


def _values(filing: dict) -> dict:
    return {k: v for k, v in filing.items() if k not in ("trace", "import")}


@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_l_shapes_change_no_value(path):
    assert _values(grid_filing(path)) == _values(grid_filing(path, drawable=False))


def _render(path: Path, folder: Path, kind: str) -> Path:
    grid = merge_plan(_grid(path)).grid
    target = folder / f"{path.stem}.{kind}"
    if kind == "docx":
        return write_docx(target, [grid])
    if kind == "xlsx":
        return write_xlsx(target, [("附件", grid)])
    return write_html(target, [grid], encoding="gb18030", declared="gb2312")


@pytest.mark.parametrize("kind", ["docx", "xlsx", "html"])
@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_render_imports_to_the_grid_s_filing(path, kind, tmp_path):
    imported = open_sources([_render(path, tmp_path, kind)]).filing
    assert _without_names(imported) == _without_names(grid_filing(path))


def test_the_metadata_exceptions_are_the_ones_stated():
    """Which corpus tables need the metadata set aside (so a new fixture cannot hide behind it)."""
    cut = [p.stem[:3] for p in CORPUS if _meta_only(p)[0]]
    year = [p.stem[:3] for p in CORPUS if _meta_only(p)[1]]
    assert cut == [p.stem[:3] for p in CORPUS if json.loads(p.read_text(encoding="utf-8"))["complete"] is False]
    assert len(cut) == 18 and year == ["b10", "c07"]  # 13 + d01, d02, d04, c06, c07 (cut in the stored copy); c07's year is on the next table of its page


@pytest.fixture(scope="module")
def corpus_pdfs(tmp_path_factory):
    from macros.pdf import convert_to_pdf, find_soffice

    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: the corpus cannot be rendered to PDF here")
    folder = tmp_path_factory.mktemp("import-pdf")
    sources = [write_docx(folder / f"{p.stem}.docx", [merge_plan(_grid(p)).grid], page_cm=TALL_PAGE_CM) for p in CORPUS]
    result = convert_to_pdf(sources, folder)
    assert result.ok, result.note
    return folder


INDENTED_SUBROWS = {"a03"}  # “其中” rows told only by leading spaces


def _past_the_cut(path: Path, grid_side: dict, *filings: dict) -> None:
    """Drop, from every filing, the values of an indicator row that the grid cuts short, past its last cell."""
    grid = _grid(path)
    width = max(len(row) for row in grid)
    trace = grid_side["trace"]
    for pointer, origin in list(trace.items()):
        if not pointer.endswith("/level3") or len(grid[origin["row"] - 1]) == width:
            continue
        row = pointer.rsplit("/", 1)[0]
        end = len(grid[origin["row"] - 1])
        for filing in filings:
            table = filing["department"] if row.startswith("/department") else filing["projects"][0]
            item = table["indicators"][int(row.rsplit("/", 1)[1])]
            for key in list(item):
                where = trace.get(f"{row}/{key}")
                if where is None or where["col"] > end:
                    item.pop(key)
                    filing["trace"].pop(f"{row}/{key}", None)


def _pdf_comparable(path: Path, imported: dict, expected: dict) -> tuple[dict, dict]:
    imported, expected = copy.deepcopy(imported), copy.deepcopy(expected)
    _past_the_cut(path, copy.deepcopy(expected), imported, expected)
    if path.stem[:3] in INDENTED_SUBROWS:
        for filing in (imported, expected):
            for table in [filing["department"], *filing["projects"]]:
                for item in table.get("indicators") or []:
                    item.pop("breakdown_of", None)
    return _no_space(_without_names(imported)), _no_space(_without_names(expected))


@pytest.mark.parametrize("path", [pytest.param(p, marks=pytest.mark.xfail(reason=PDF_LAYOUT_FAULTS[p.stem], strict=True))
                                  if p.stem in PDF_LAYOUT_FAULTS else p for p in CORPUS], ids=IDS)
def test_pdf_render_imports_to_the_grid_s_filing(path, corpus_pdfs):
    imported, expected = _pdf_comparable(path, open_sources([corpus_pdfs / f"{path.stem}.pdf"]).filing,
                                         grid_filing(path))
    assert imported == expected


def test_the_pdf_exceptions_are_needed(corpus_pdfs):
    """Without the exceptions a03 and b07 differ exactly there (so the set-aside hides nothing else)."""
    a03, b07 = (next(p for p in CORPUS if p.stem.startswith(k)) for k in ("a03", "b07"))
    pdf = open_sources([corpus_pdfs / f"{a03.stem}.pdf"]).filing
    assert [i.get("breakdown_of") for i in pdf["projects"][0]["indicators"]] != \
        [i.get("breakdown_of") for i in grid_filing(a03)["projects"][0]["indicators"]]
    pdf, grid = open_sources([corpus_pdfs / f"{b07.stem}.pdf"]).filing, grid_filing(b07)
    assert pdf["department"]["indicators"][-1].get("kind") != grid["department"]["indicators"][-1].get("kind")
