"""Reports as units type them, generated (hypothesis): any outline sections with bodies, headings
numbered in any of the styles filers mix, titles and captions as units write them, a cover line or
not, a figure table inside or not. The walk must give each report back to its table with the
same sections, and place every paragraph."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from seed_document import project_grid

from xlfuncs.filing import embedded_seed
from xlfuncs.grid import Document, Paragraph, Table
from xlfuncs.outlines import PROJECT_OUTLINE, split_report
from xlfuncs.recognise import recognise_documents
from xlfuncs.recognise.walk import REPORT_TABLE_WHY

SEED = embedded_seed()
GRID = project_grid(SEED, SEED["projects"][0])
NUMBERS = {1: ["一、", "1、", "1.", "第一、"], 2: ["（一）", "(一)", "（1）", "1、"], 3: ["1.", "1、", "（1）"],
           4: ["（1）", "(1)"]}
TITLES = ["项目支出绩效自评报告", "水电维修费项目绩效自评报告", "水电维修费\n项目支出绩效自评报告",
          "水电维修费项目支出绩效自评报告（2022年度）", "项目绩效自评情况报告"]
SENTENCE = st.text(alphabet="甲乙丙丁戊己庚辛壬癸天地玄黄宇宙洪荒日月盈昃", min_size=6, max_size=20).map(lambda s: s + "。")


@st.composite
def reports(draw):
    sections = draw(st.lists(st.sampled_from(PROJECT_OUTLINE.sections), min_size=1, unique=True))
    sections.sort(key=PROJECT_OUTLINE.sections.index)
    lines, bodies = [], {}
    for section in sections:
        body = draw(st.lists(SENTENCE, max_size=3))
        number = draw(st.sampled_from(NUMBERS[section.level]))
        if section.inline and body:
            lines.append(f"{number}{section.title}：{body[0]}")
            lines += body[1:]
        else:
            lines.append(number + section.title)
            lines += body
        bodies[section.key] = "\n".join(body)
    return lines, bodies


@settings(max_examples=60, deadline=None)
@given(report=reports(), title=st.sampled_from(TITLES), caption=st.booleans(), cover=st.booleans(),
       figure=st.integers(min_value=-1, max_value=4))
def test_a_report_comes_back_section_by_section(report, title, caption, cover, figure):
    lines, bodies = report
    blocks: list = [Paragraph("附件3-1", "表.docx", 1), Table(GRID, "表.docx", 1)]
    texts = (["附件4-1"] if caption else []) + [title] + (["填报单位：某单位"] if cover else [])
    for i, line in enumerate(lines):
        if i == figure:  # a figure table with its caption inside the report
            texts.append("表1 项目资金情况（单位：万元）")
            texts.append(None)
        texts.append(line)
    for text in texts:
        if text is None:
            blocks.append(Table([["项目", "全年预算数"], ["年度资金总额", "400"]], "表.docx", 2))
        else:
            blocks.append(Paragraph(text, "表.docx", len([b for b in blocks if isinstance(b, Paragraph)]) + 1))
    result = recognise_documents([Document("表.docx", blocks)])
    text = result.filing["projects"][0]["report"]["text"]
    got = split_report(text, PROJECT_OUTLINE)
    assert {k: v for k, v in got.bodies.items() if v} == {k: v for k, v in bodies.items() if v}
    assert "填报单位" not in text and "表1" not in text
    tables = 1 if 0 <= figure < len(lines) else 0
    assert [u["why"] for u in result.unplaced] == [REPORT_TABLE_WHY] * tables
