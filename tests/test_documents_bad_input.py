"""Files that cannot be imported get one Chinese line each (FilingError), and nothing leaks or runs."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from document_renders import Para, write_docx, write_xlsx

from workbook.documents import detect, limits, read_document
from workbook.documents.detect import DOCX, HTML, MASTER, PDF, XLSX
from xlfuncs.filing import FilingError

GRID = [["项目名称", "水电维修费", None], ["年度资金总额", "400", "10"]]


def _refused(path: Path) -> str:
    with pytest.raises(FilingError) as caught:
        read_document(path)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    assert path.name in message
    return message


@pytest.fixture
def sample_docx(tmp_path):
    return write_docx(tmp_path / "表.docx", [Para("附件3-1"), GRID])


def test_picture_renamed_docx(tmp_path):
    fake = tmp_path / "自评表.docx"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    message = _refused(fake)
    assert ".docx" in message and "PNG 图片" in message


def test_text_renamed_pdf(tmp_path):
    fake = tmp_path / "自评表.pdf"
    fake.write_text("这只是一段文字，不是 PDF。", encoding="utf-8")
    assert "内容却不是" in _refused(fake)


def test_other_zip_renamed_xlsx(tmp_path):
    fake = tmp_path / "自评表.xlsx"
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "其他压缩文件" in _refused(fake)


def test_real_docx_with_wrong_name_is_read_by_content_and_noted(sample_docx, tmp_path):
    renamed = tmp_path / "自评表.pdf"
    renamed.write_bytes(sample_docx.read_bytes())
    document = read_document(renamed)
    assert [t.rows for t in document.tables] == [GRID]
    assert document.notes[0] == "“自评表.pdf”的扩展名是 .pdf，内容是Word 文档（.docx），已按内容读取"


def test_encrypted_ooxml(sample_docx, tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    locked = tmp_path / "加密.docx"
    with sample_docx.open("rb") as source, locked.open("wb") as target:
        OOXMLFile(source).encrypt("secret", target)
    assert "设置了打开密码" in _refused(locked)


def test_corrupt_zip(sample_docx, tmp_path):
    broken = tmp_path / "损坏.docx"
    broken.write_bytes(sample_docx.read_bytes()[: sample_docx.stat().st_size // 2])
    assert "已损坏" in _refused(broken)


def test_zip_bomb_by_ratio(tmp_path):
    bomb = tmp_path / "炸弹.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/fill.bin", "w") as member:
            chunk = b"\x00" * (1 << 20)
            for _ in range(24):
                member.write(chunk)
    assert bomb.stat().st_size < 200_000
    message = _refused(bomb)
    assert "压缩比异常" in message and "上限 200 倍" in message


def test_zip_over_the_unpacked_limit(sample_docx, monkeypatch):
    monkeypatch.setattr(limits, "MAX_UNPACKED_BYTES", 1000)
    assert "超过导入上限" in _refused(sample_docx)


def _with_doctype(source: Path, target: Path, part: str, secret: Path) -> Path:
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as changed:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == part:
                text = data.decode("utf-8")
                doctype = f'<!DOCTYPE x [<!ENTITY leak SYSTEM "{secret.as_uri()}">]>'
                end = text.find("?>") + 2 if text.startswith("<?xml") else 0
                data = (text[:end] + doctype + text[end:].replace("水电维修费", "&leak;")).encode()
            changed.writestr(item, data)
    return target


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("TOP-SECRET-7f3a", encoding="utf-8")
    return path


def test_xxe_in_docx(sample_docx, tmp_path, secret):
    trap = _with_doctype(sample_docx, tmp_path / "xxe.docx", "word/document.xml", secret)
    message = _refused(trap)
    assert "DOCTYPE" in message and "TOP-SECRET" not in message


def test_xxe_in_xlsx(tmp_path, secret):
    source = write_xlsx(tmp_path / "ok.xlsx", [("附件3-1", GRID)])
    trap = _with_doctype(source, tmp_path / "xxe.xlsx", "xl/worksheets/sheet1.xml", secret)
    assert "DOCTYPE" in _refused(trap)


def test_xxe_in_html_is_inert(tmp_path, secret):
    page = tmp_path / "xxe.html"
    page.write_text(f'<!DOCTYPE html [<!ENTITY leak SYSTEM "{secret.as_uri()}">]><html><body><table>'
                    "<tr><td>项目名称</td><td>&leak;</td></tr><tr><td>a</td><td>b</td></tr></table></body></html>",
                    encoding="utf-8")
    document = read_document(page)
    text = repr(document)
    assert "TOP-SECRET" not in text
    assert document.tables[0].rows[0] == ["项目名称", "&leak;"]


def test_scanned_pdf_without_text(tmp_path):
    from PIL import Image

    scan = tmp_path / "扫描件.pdf"
    Image.new("RGB", (600, 800), "white").save(scan, "PDF")
    assert "没有文字层" in _refused(scan)


def test_empty_file(tmp_path):
    empty = tmp_path / "空.docx"
    empty.write_bytes(b"")
    assert "空文件" in _refused(empty)


def test_document_with_nothing_in_it(tmp_path):
    import docx

    blank = tmp_path / "空白.docx"
    docx.Document().save(blank)
    assert "没有任何表格或文字" in _refused(blank)


def test_missing_file(tmp_path):
    with pytest.raises(FilingError, match="找不到文件"):
        read_document(tmp_path / "没有这个文件.docx")


def test_oversized_file(sample_docx, monkeypatch):
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 100)
    assert "超过导入上限" in _refused(sample_docx)


def test_too_many_cells(tmp_path, monkeypatch):
    source = write_xlsx(tmp_path / "大表.xlsx", [("表", [[str(c) for c in range(20)] for _ in range(20)])])
    monkeypatch.setattr(limits, "MAX_CELLS", 100)
    assert "100 个单元格" in _refused(source)


def test_huge_merge(tmp_path):
    import openpyxl

    path = tmp_path / "合并.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "标题"
    book.active.merge_cells("A1:A5000")
    book.save(path)
    assert "合并单元格跨 5000 行" in _refused(path)


def test_macro_workbook_is_read_without_running_anything(tmp_path):
    # an .xlsm with a VBA part: read as values; nothing in the package is executed
    source = write_xlsx(tmp_path / "宏.xlsx", [("附件3-1", GRID)])
    target = tmp_path / "宏.xlsm"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as changed:
        for item in original.infolist():
            changed.writestr(item, original.read(item))
        changed.writestr("xl/vbaProject.bin", b"Attribute VB_Name = \"Auto_Open\"\nShell \"calc\"")
    assert [t.rows for t in read_document(target).tables] == [GRID]


def test_invalid_grid_json(tmp_path):
    broken = tmp_path / "表.json"
    broken.write_text('{"grid": [["a", true]]}', encoding="utf-8")
    assert "第 1 行的单元格是逻辑值" in _refused(broken)
    broken.write_text('{"grid": [["a"]', encoding="utf-8")
    assert "不是有效的 JSON" in _refused(broken)


def test_filing_json_is_not_a_grid(tmp_path):
    filing = tmp_path / "填报.json"
    filing.write_text('{"format": "perfeval.filing/1", "department": {}}', encoding="utf-8")
    assert "不需要导入" in _refused(filing)


def test_legacy_doc_and_odf_say_what_to_do(tmp_path):
    odt = tmp_path / "报告.odt"
    with zipfile.ZipFile(odt, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    assert "另存为 .docx" in _refused(odt)


@pytest.mark.parametrize(("name", "make", "kind"), [
    ("a.docx", lambda p: write_docx(p, [GRID]), DOCX),
    ("a.xlsx", lambda p: write_xlsx(p, [("s", GRID)]), XLSX),
    ("a.xls", lambda p: p.write_bytes(b"<html><body><table><tr><td>x</td></tr></table></body></html>"), HTML),
])
def test_detect_by_content(tmp_path, name, make, kind):
    path = tmp_path / name
    make(path)
    assert detect(path).kind == kind
    assert detect(path).note == ""  # a system's HTML saved as .xls is common: no note


def test_detect_master_workbook(tmp_path):
    from macros.cmd_new import write_master_workbook
    from xlfuncs.filing import embedded_seed

    master = tmp_path / "主工作簿.xlsx"
    write_master_workbook(embedded_seed(), master, "plain", 5, "default")
    assert detect(master).kind == MASTER
    with pytest.raises(FilingError, match="主工作簿"):
        read_document(master)


def test_pdf_and_xls_detected(tmp_path):
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%junk")
    assert detect(pdf).kind == PDF


def test_a_parser_failing_mid_sheet_names_the_file(tmp_path, monkeypatch):
    """An .xlsx whose sheet breaks the parser after it opened: one Chinese line, the book closed."""
    from workbook.documents import xlsx_reader

    source = write_xlsx(tmp_path / "坏表.xlsx", [("附件3-1", GRID)])

    def broken(*_args, **_kwargs):
        raise KeyError("sheet part")

    monkeypatch.setattr(xlsx_reader, "_sheet_extras", broken)
    assert "读取时出错" in _refused(source) and "KeyError" in _refused(source)


def test_an_xls_failing_mid_sheet_names_the_file_and_releases_it(tmp_path, monkeypatch):
    import xlrd

    from workbook.documents.xls_reader import read_xls

    released: list[bool] = []

    class BrokenBook:
        nsheets = 1

        def sheet_by_index(self, _number):
            raise IndexError("record past the end")

        def release_resources(self):
            released.append(True)

    monkeypatch.setattr(xlrd, "open_workbook", lambda *_a, **_k: BrokenBook())
    path = tmp_path / "旧表.xls"
    path.write_bytes(b"")
    with pytest.raises(FilingError) as caught:
        read_xls(path, limits.CellBudget(path))
    assert "“旧表.xls”读取时出错" in str(caught.value) and "IndexError" in str(caught.value)
    assert released == [True]
