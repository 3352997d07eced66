"""What each reader keeps and drops, beyond the corpus round trips."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from document_renders import Para, write_docx, write_xlsx

from workbook.documents import read_document
from workbook.documents.docx_numbering import chinese_counting
from workbook.documents.html_reader import decode_html

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# ------------------------------------------------------------------ Word


def _docx_with_body(tmp_path: Path, body: str, numbering: str | None = None) -> Path:
    """A .docx whose body XML is ``body`` (and numbering part ``numbering``), from python-docx's template."""
    import docx

    path = tmp_path / "doc.docx"
    document = docx.Document()
    document.add_paragraph("x")
    document.save(path)
    target = tmp_path / "edited.docx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = re.sub(rb"<w:body>.*</w:body>", f"<w:body>{body}</w:body>".encode(), data, flags=re.S)
            if item.filename == "word/numbering.xml" and numbering is not None:
                data = numbering.encode()
            out.writestr(item, data)
    return target


def _p(text: str, props: str = "") -> str:
    return f"<w:p><w:pPr>{props}</w:pPr><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"


NUMBERING = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="{W}">
<w:abstractNum w:abstractNumId="7">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>
 <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/><w:suff w:val="space"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="8"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>
<w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="8"/></w:num>
</w:numbering>"""


def _numbered(level: int, num: int = 3) -> str:
    return f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr>'


def test_docx_automatic_numbering_is_shown(tmp_path):
    body = "".join([_p("预算单位基本情况", _numbered(0)), _p("基本支出", _numbered(1)), _p("人员", _numbered(2)),
                    _p("公用", _numbered(2)), _p("项目支出", _numbered(1)), _p("绩效情况", _numbered(0)),
                    _p("资金", _numbered(1)), _p("要点", _numbered(0, 4))])
    document = read_document(_docx_with_body(tmp_path, body, NUMBERING))
    assert [p.text for p in document.paragraphs] == [
        "一、预算单位基本情况", "（一）基本支出", "1. 人员", "2. 公用", "（二）项目支出", "二、绩效情况", "（一）资金", "要点"]


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (21, "二十一"),
                                         (105, "一百零五"), (110, "一百一十"), (1003, "一千零三")])
def test_chinese_counting(n, text):
    assert chinese_counting(n) == text


def test_docx_text_as_seen(tmp_path):
    body = (
        '<w:p><w:r><w:t xml:space="preserve">　400</w:t></w:r><w:r><w:tab/><w:t>A</w:t><w:br/><w:t>B</w:t></w:r>'
        '<w:ins w:id="1" w:author="x"><w:r><w:t>加</w:t></w:r></w:ins>'
        '<w:del w:id="2" w:author="x"><w:r><w:delText>删</w:delText></w:r></w:del>'
        '<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r></w:p>'
        '<w:sdt><w:sdtContent>' + _p("控件里的段落") + '</w:sdtContent></w:sdt>'
    )
    paragraphs = read_document(_docx_with_body(tmp_path, body)).paragraphs
    assert [p.text for p in paragraphs] == ["　400\tA\nB加", "控件里的段落"]


def _tc(text: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{_p(text)}</w:tc>"


def test_docx_grid_before_nested_table_and_merges(tmp_path):
    nested = "<w:tbl><w:tr>" + _tc("内1") + _tc("内2") + "</w:tr></w:tbl>"
    span3, restart, before = '<w:gridSpan w:val="3"/>', '<w:vMerge w:val="restart"/>', '<w:gridBefore w:val="1"/>'
    body = ("<w:tbl>"
            + "<w:tr>" + _tc("标题", span3) + "</w:tr>"
            + "<w:tr><w:trPr>" + before + "</w:trPr>" + _tc("b") + _tc("c", restart) + "</w:tr>"
            + "<w:tr>" + _tc("d") + "<w:tc><w:tcPr/>" + _p("") + nested + _p("") + "</w:tc>" + _tc("", "<w:vMerge/>")
            + "</w:tr>"
            + "<w:tr>" + _tc("短") + "</w:tr>"
            + "</w:tbl>")
    outer, inner = read_document(_docx_with_body(tmp_path, body)).tables
    assert outer.rows == [["标题", None, None], [None, "b", "c"], ["d", "", None], ["短"]]
    assert inner.rows == [["内1", "内2"]]
    assert inner.meta == {"nested_in": 1, "row": 2, "col": 1} and (outer.index, inner.index) == (1, 2)


# ------------------------------------------------------------------ web pages


def test_html_charset_declared_sniffed_and_guessed():
    page = "<html><head><meta charset='gb2312'></head><body><p>绩效自评　表﹦</p></body></html>"
    assert decode_html(page.encode("gb18030")) == (page, "gb18030")
    undeclared = "<p>部门整体支出绩效自评表</p>"
    assert decode_html(undeclared.encode("gbk"))[0] == undeclared
    assert decode_html(undeclared.encode("utf-8"))[0] == undeclared
    assert decode_html("\ufeff<p>中</p>".encode("utf-16"))[0].endswith("<p>中</p>")


def test_html_flow_layout_tables_breaks_and_hidden(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>标题不算</title><style>td{}</style></head><body>"
        "<script>document.write('<table><tr><td>假</td></tr></table>')</script>"
        "<table><tr><td><div>一、基本情况<br>单位有&nbsp;&nbsp;15 人&lt;在职&gt;</div>"
        "<p style='display: none'>看不见</p>"
        "<table><caption>附件3-1</caption><thead><tr><th colspan=2>项目&#x540D;称</th></tr></thead>"
        "<tbody><tr><td rowspan=2>资金<br>（万元）<td>  400 \n 万元 </tr><tr><td>10</td></tr></tbody></table>"
        "</td></tr></table>"
        "<h2>二、绩效情况</h2><pre>  原样  保留</pre></body></html>", encoding="utf-8")
    document = read_document(page)
    assert [(p.text, p.style) for p in document.paragraphs] == [
        ("一、基本情况", "div"), ("单位有  15 人<在职>", "div"), ("二、绩效情况", "h2"), ("  原样  保留", "pre")]
    (table,) = document.tables
    assert table.rows == [["项目名称", None], ["资金\n（万元）", "400 万元"], [None, "10"]]
    assert table.caption == "附件3-1"


# ------------------------------------------------------------------ Excel


def test_xlsx_numbers_as_displayed_and_notes(tmp_path):
    import openpyxl

    path = tmp_path / "导出.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "附件3-1"
    values = [(0.5, "0.00"), (1, "0%"), (0.9876, "0.00%"), (2662.18, "#,##0.00"), (dt.date(2022, 3, 1), "yyyy年m月d日"),
              (10, 'G/通用格式"分"'), ("　400", "@"), (400, "General")]
    for column, (value, fmt) in enumerate(values, start=1):
        ws.cell(1, column, value).number_format = fmt
    ws["A2"] = "=A1*2"
    ws["J20"].number_format = "0.00"  # a styled empty cell far off is not part of the table
    hidden = book.create_sheet("隐藏")
    hidden["A1"] = "x"
    hidden.sheet_state = "hidden"
    book.save(path)
    document = read_document(path)
    (table,) = document.tables
    assert table.rows == [["0.50", "100%", "98.76%", "2,662.18", "2022年3月1日", "10分", "　400", "400"], [""]]
    assert any("1 个公式单元格没有保存计算结果" in note for note in document.notes)
    assert any("隐藏工作表“隐藏”" in note for note in document.notes)


def test_xlsx_used_area_ignores_a_wrong_dimension(tmp_path):
    source = write_xlsx(tmp_path / "a.xlsx", [("表", [["a", "b"], ["c", "d"], ["e", "f"]])])
    target = tmp_path / "b.xlsx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as changed:
        for item in original.infolist():
            data = original.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', data)
            changed.writestr(item, data)
    assert read_document(target).tables[0].rows == [["a", "b"], ["c", "d"], ["e", "f"]]


def test_xls_through_libreoffice(tmp_path):
    from macros.pdf import find_soffice

    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: cannot make an .xls here")
    import openpyxl

    source = tmp_path / "表.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "附件3-1"
    ws["A1"] = "项目支出绩效自评表"
    ws.merge_cells("A1:C1")
    ws["A2"], ws["B2"], ws["C2"] = 0.5, 1, dt.date(2022, 3, 1)
    ws["B2"].number_format, ws["A2"].number_format, ws["C2"].number_format = "0%", "0.00", "yyyy/m/d"
    book.save(source)
    legacy = _soffice_convert(source, "xls", tmp_path)
    document = read_document(legacy)
    assert document.tables[0].rows == [["项目支出绩效自评表", None, None], ["0.50", "100%", "2022/3/1"]]
    assert document.tables[0].sheet == "附件3-1"


def _soffice_convert(source: Path, to: str, folder: Path) -> Path:
    import shutil
    import subprocess
    import tempfile

    from macros.pdf import find_soffice

    profile = Path(tempfile.mkdtemp(prefix="perfeval-lo-"))
    try:
        subprocess.run([find_soffice(), "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                        "--convert-to", to, "--outdir", str(folder), str(source)],
                       check=True, capture_output=True, timeout=180, stdin=subprocess.DEVNULL)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return folder / f"{source.stem}.{to}"


# ------------------------------------------------------------------ PDF


def test_pdf_text_flow_and_table_over_two_pages(tmp_path):
    from macros.pdf import convert_to_pdf, find_soffice

    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: cannot make a PDF here")
    grid = [["序号", "指标", "分值"]] + [[str(n), f"指标{n}", "5"] for n in range(1, 61)]
    long_text = "本单位组织对年度部门基本支出和项目支出开展了绩效自评，" * 6
    source = write_docx(tmp_path / "报告.docx", [Para("附件2", "Heading 1"), Para("一、基本情况"), Para(long_text),
                                                 Para("二、表格"), grid, Para("三、结论")])
    result = convert_to_pdf([source], tmp_path)
    assert result.ok, result.note
    document = read_document(tmp_path / "报告.pdf")
    (table,) = document.tables
    # a PDF infers spaces from gaps ("指标 1"): compared without white space, as in the corpus test
    assert [[re.sub(r"\s+", "", c or "") for c in row] for row in table.rows] == grid and table.sheet == "第1-2页"
    texts = [re.sub(r"\s+", "", p.text) for p in document.paragraphs]
    assert texts == ["附件2", "一、基本情况", re.sub(r"\s+", "", long_text), "二、表格", "三、结论"]
    kinds = ["T" if hasattr(b, "rows") else "P" for b in document.blocks]
    assert kinds == ["P", "P", "P", "P", "T", "P"]
