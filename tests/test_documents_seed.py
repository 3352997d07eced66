"""The seed as a unit types it in Word: the reader gives back every table and paragraph as written."""

from __future__ import annotations

import pytest
from document_renders import Para, merge_plan, write_docx, write_html
from seed_document import department_grid, project_grid, seed_blocks

from workbook.documents import read_document
from xlfuncs.filing import embedded_seed
from xlfuncs.grid import Paragraph, Table


@pytest.fixture(scope="module")
def seed():
    return embedded_seed()


@pytest.fixture(scope="module")
def seed_docx(seed, tmp_path_factory):
    return write_docx(tmp_path_factory.mktemp("seed") / "去年.docx", seed_blocks(seed))


def test_seed_grids_need_no_l_shape_fix(seed):
    for grid in [department_grid(seed)] + [project_grid(seed, p) for p in seed["projects"]]:
        assert merge_plan(grid).changed == []


def test_seed_docx_tables_are_the_grids_as_filed(seed, seed_docx):
    document = read_document(seed_docx)
    expected = [department_grid(seed)] + [project_grid(seed, p) for p in seed["projects"]]
    assert [t.rows for t in document.tables] == expected
    assert [t.index for t in document.tables] == [1, 2, 3, 4, 5, 6]
    assert [t.caption for t in document.tables] == ["填报单位（盖章）：株洲市渌口区机关事务服务中心"] + [
        f"附件3-{n}" for n in range(1, 6)]


def test_seed_docx_keeps_values_exactly_as_filed(seed, seed_docx):
    department, first_project = read_document(seed_docx).tables[:2]
    # full-width spaces, line breaks inside cells and "10分" come back untouched
    assert department.cell(2, 1) == "株洲市渌口区机关事务服务中心　"
    assert department.cell(4, 6) == "10分"
    assert department.cell(11, 1) == seed["department"]["goal"]["expected"]
    assert "\n" in department.cell(11, 1) and department.cell(11, 1).endswith("　　　　")
    assert department.cell(13, 1) == "产出指标\n(50分)" and department.cell(14, 1) is None
    assert first_project.cell(5, 3) == "　400" and first_project.cell(2, 1) == "水电维修费　　"


def test_seed_docx_paragraphs_in_order_with_styles(seed, seed_docx):
    document = read_document(seed_docx)
    written = [b for b in seed_blocks(seed) if isinstance(b, Para)]
    paragraphs = document.paragraphs
    assert [p.text for p in paragraphs] == [p.text for p in written]
    assert [p.style for p in paragraphs] == [p.style or "Normal" for p in written]
    assert [p.index for p in paragraphs] == list(range(1, len(written) + 1))
    assert any(p.style == "Heading 2" and p.text.startswith("二、") for p in paragraphs)


def test_seed_docx_blocks_in_document_order(seed, seed_docx):
    kinds = ["T" if isinstance(b, Table) else "P" for b in read_document(seed_docx).blocks]
    expected = ["P" if isinstance(b, Para) else "T" for b in seed_blocks(seed)]
    assert kinds == expected
    assert isinstance(read_document(seed_docx).blocks[0], Paragraph)


def test_seed_as_web_page_reads_the_same(seed, tmp_path):
    page = write_html(tmp_path / "seed.htm", seed_blocks(seed), encoding="gb18030", declared="GBK")
    document = read_document(page)
    assert [t.rows for t in document.tables] == [department_grid(seed)] + [project_grid(seed, p) for p in seed["projects"]]
    assert [p.text for p in document.paragraphs] == [b.text for b in seed_blocks(seed) if isinstance(b, Para)]
    assert {p.style for p in document.paragraphs} == {"p", "h2"}
