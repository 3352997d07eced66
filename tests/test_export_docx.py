"""The report documents (.docx): outline headings, figures, fonts, page, package hygiene, schema."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest
from docx.shared import Cm
from openxml_audit import OpenXmlValidator

from macros.docx_writer import TEXT_WIDTH_CM, render_docx
from macros.report_content import FUNDS_WIDTHS, INDICATOR_WIDTHS, document_spec
from xlfuncs.reports import report_contents


@pytest.fixture(scope="module")
def seed_documents(seed_data) -> list[tuple[object, bytes]]:
    contents = report_contents(seed_data)
    return [(c, render_docx(document_spec(c))) for c in contents]


def _open(data: bytes):
    return docx.Document(io.BytesIO(data))


def _all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def test_department_report_has_outline_and_figures(seed_documents):
    content, data = seed_documents[0]
    document = _open(data)
    assert _headings(document) == [s.heading for s in content.outline.sections]
    text = _all_text(document)
    assert "2662.18" in text and "1289.42" in text and "1372.76" in text and "2414.16" in text
    funds = document.tables[0]
    assert [c.text for c in funds.rows[1].cells] == ["年度资金总额", "2414.16", "2662.18", "2662.18", "10", "100.0%", "10"]
    assert document.paragraphs[1].text.replace("\n", "") == "株洲市渌口区机关事务服务中心2022年度部门整体支出绩效自评报告"


def test_project_reports_have_outline_and_their_table(seed_documents):
    for content, data in seed_documents[1:]:
        document = _open(data)
        inline = [s.heading for s in content.outline.sections if s.inline]
        assert _headings(document) == [s.heading for s in content.outline.sections if not s.inline]
        labels = [p.runs[0].text for p in document.paragraphs if p.runs and p.runs[0].bold and not p.style.name.startswith("Heading")]
        assert [label for label in labels if label.rstrip("：") in inline] == [h + "：" for h in inline]
    green = _open(seed_documents[3][1])  # 附件4-3: filed 执行 523.12 of 31.6 at a filed 执行率 100%
    text = _all_text(green)
    assert "523.12" in text and "1655.4%" not in text
    funds = green.tables[0]
    assert [c.text for c in funds.rows[1].cells] == ["年度资金总额", "31.60", "31.60", "523.12", "10", "100.0%", "10"]
    assert [c.text for c in funds.rows[2].cells] == ["其中：当年财政拨款", "31.60", "31.60", "523.12", "10", "100.0%", "10"]
    indicators = green.tables[1]
    row = next(r for r in indicators.rows if r.cells[2].text == "绿植死亡率")
    assert [c.text for c in row.cells[3:]] == ["小于2%", "小于2%", "10", "10"]  # as filed, though E1 says unjudgeable
    total = indicators.rows[-1]
    assert total.cells[0].text == "总分" and [c.text for c in total.cells[5:]] == ["100", "100"]


def test_indicator_table_rows_are_the_filed_scores(seed_data, seed_documents):
    for (content, data), table in zip(seed_documents, [seed_data["department"], *seed_data["projects"]], strict=True):
        shown = [r.cells[6].text for r in _open(data).tables[-1].rows[2:-1]]  # header, budget row … total row
        assert shown == [str(row["score"]).strip().replace("　", "") for row in table["indicators"]], content.label


def test_fonts_are_set_for_east_asian_text(seed_documents):
    styles = zipfile.ZipFile(io.BytesIO(seed_documents[0][1])).read("word/styles.xml").decode("utf-8")
    assert "Theme=" not in styles  # no theme fonts (asciiTheme, eastAsiaTheme …) left to override ours
    document = _open(seed_documents[0][1])
    for name, font in (("Normal", "仿宋"), ("Heading 1", "黑体"), ("Heading 2", "楷体"), ("Report Title", "宋体")):
        fonts = document.styles[name].element.rPr.rFonts
        assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == font, name


def test_page_is_a4_portrait_with_margins(seed_documents):
    section = _open(seed_documents[0][1]).sections[0]
    assert abs(section.page_width - Cm(21.0)) < Cm(0.01) and abs(section.page_height - Cm(29.7)) < Cm(0.01)
    assert abs(section.page_width - section.left_margin - section.right_margin - Cm(TEXT_WIDTH_CM)) < Cm(0.01)
    assert sum(FUNDS_WIDTHS) == pytest.approx(TEXT_WIDTH_CM) and sum(INDICATOR_WIDTHS) == pytest.approx(TEXT_WIDTH_CM)


def test_only_title_and_unit_in_properties(seed_documents):
    content, data = seed_documents[1]
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert not [n for n in names if "thumbnail" in n or n.startswith("customXml") or "stylesWithEffects" in n]
    core = archive.read("docProps/core.xml").decode("utf-8")
    assert re.findall(r"<(?:dc|cp|dcterms):(\w+)", core) == ["coreProperties", "title"]
    assert "水电维修费项目支出绩效自评报告" in core
    app = archive.read("docProps/app.xml").decode("utf-8")
    assert re.findall(r"<(\w+)>", app) == ["Company"] and "株洲市渌口区机关事务服务中心" in app


def test_every_report_passes_the_ooxml_schema(seed_documents, tmp_path):
    validator = OpenXmlValidator()
    for content, data in seed_documents:
        path = tmp_path / f"{content.label}.docx"
        path.write_bytes(data)
        result = validator.validate(str(path))
        assert result.is_valid, (content.label, [str(e) for e in result.errors][:5])
