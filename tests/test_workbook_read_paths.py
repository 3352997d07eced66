"""The streamed workbook reader (:mod:`workbook.package_read`) against openpyxl's reading of the
same files (:mod:`openpyxl_reference`, the reader's former file layer): the same filing, the same
findings at the same cells, on ordinary workbooks saved by perfeval, openpyxl and LibreOffice."""

from __future__ import annotations

import re

import pytest
from office_support import SOFFICE
from openpyxl_reference import grids_from_file as openpyxl_grids
from workbook_support import edited_copy, rewrite_part, sheet_part

from macros.session import evaluate_filing
from workbook.builder import build_workbook
from workbook.package_read import grids_from_file
from workbook.reader import read_grids, read_workbook


def _mutated(book):
    """Edits a person makes: constants over formulas, a formula of their own, text in amounts,
    a formula typed into an input, a number in an empty row's score, a line break in a text."""
    book["附件3-1"]["H8"] = 0.9
    book["附件3-2"]["H17"] = 8
    book["附件3-1"]["E9"] = "四百万"
    book["附件3-3"]["E8"] = "=300+100"
    book["附件3-4"]["H27"] = 5
    book["附件1"]["C4"] = "第一行\n第二行"
    book["附件3-5"]["I15"] = "=H15*2"


@pytest.fixture(scope="module")
def books(tmp_path_factory, seed_data, corrected_data):
    folder = tmp_path_factory.mktemp("paths")
    seed = build_workbook(seed_data, folder / "seed.xlsx")
    made = {"seed": seed, "corrected": build_workbook(corrected_data, folder / "corrected.xlsx"),
            "hubei": build_workbook(seed_data, folder / "hubei.xlsx", profile="hubei"),
            "blank": build_workbook(None, folder / "blank.xlsx", projects=3),
            "desktop": build_workbook(seed_data, folder / "desktop.xlsm", runtime="desktop"),
            "mutated": edited_copy(seed, folder / "mutated.xlsx", _mutated)}
    made["user formula"] = rewrite_part(seed, folder / "formula.xlsx", sheet_part(seed, "附件3-1"),
                                        lambda x: re.sub(rb'(<c r="H8"[^>]*>)<f>[^<]*</f><v>[^<]*</v>',
                                                         rb"\1<f>F8/E8*0.5</f><v>0.5</v>", x))
    return made


def _both(path):
    old = read_grids(openpyxl_grids(path), source=f"“{path.name}”")
    new = read_workbook(path)
    return old, new


@pytest.mark.parametrize("name", ["seed", "corrected", "hubei", "blank", "desktop", "mutated", "user formula"])
def test_same_filing_and_findings_as_openpyxl(books, name):
    old, new = _both(books[name])
    assert new.filing == old.filing
    assert new.findings == old.findings
    assert (new.profile, new.shape.projects, new.shape.capacity) == (old.profile, old.shape.projects, old.shape.capacity)
    sessions = [evaluate_filing(r.filing, source="x", own_profile=r.profile, locate=r.locate,
                                reader_findings=r.findings, is_workbook=True).findings for r in (old, new)]
    assert sessions[0] == sessions[1]
    if name == "mutated":  # the edits were seen, so the comparison compares something
        assert {f.rule for f in new.findings} >= {"W1", "W3"}


def test_cells_formulas_and_notes_agree_cell_by_cell(books):
    for name in ("seed", "mutated"):
        old = openpyxl_grids(books[name])
        new = grids_from_file(books[name])
        try:
            for sheet in ("附件1", "附件3-1", "附件3-3", "自评报告", "使用说明"):
                a, b = old[sheet], new[sheet]
                assert b.values == a.values and b.formulas == a.formulas and b.notes == a.notes
                assert not b.problems and not b.bad_refs
                for cell in a.formulas:
                    assert b.cached(cell) == a.cached(cell), (sheet, cell)
        finally:
            new.close()


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice 未安装")
def test_a_workbook_saved_by_libreoffice(books, tmp_path):
    import subprocess

    profile = tmp_path / "profile"
    done = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "xlsx",
                           "--outdir", str(tmp_path / "out"), str(books["mutated"])],
                          capture_output=True, timeout=240)
    saved = tmp_path / "out" / "mutated.xlsx"
    assert done.returncode == 0 and saved.exists()
    old, new = _both(saved)
    assert new.filing == old.filing and new.findings == old.findings
