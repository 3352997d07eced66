"""The filing package (issue 5): refusal, layout, clean values-only tables, reports, manifest,
zip, no overwrite, safe names, formula-like text, PDFs through LibreOffice (one run)."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from openxml_audit import OpenXmlValidator
from package_support import assert_no_tool_text

import xlfuncs.data
from macros import docx_writer
from macros import pdf as pdf_module
from macros.cli import main
from macros.export import ExportFailed, ExportRefused, export_package, table_sheets
from macros.manifest import verify_manifest
from macros.xlsx_clean import audit
from xlfuncs.engine import evaluate
from xlfuncs.filing import save_filing
from xlfuncs.outlines import DEPARTMENT_OUTLINE

SEED_PATH = Path(xlfuncs.data.__file__).parent / "lukou-2022.json"
PACKAGE = "株洲市渌口区机关事务服务中心_2022_绩效自评材料"
PROJECTS = ["水电维修费", "物业管理费", "区委区政府大院及武装部营院绿化费", "宽带及网络维护费",
            "2022年全年相关维修改造费等"]
NO_SOFFICE = "LibreOffice (soffice) 未安装 / not installed: PDF conversion cannot be tested here"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def forced(tmp_path_factory):
    """The seed exported with --force, without PDFs."""
    out = tmp_path_factory.mktemp("forced")
    return export_package(SEED_PATH, out, force=True, pdf=False)


@pytest.fixture(scope="session")
def with_pdf(tmp_path_factory, corrected_data):
    """The corrected seed (no errors) exported with PDFs: the suite's one LibreOffice run. Its texts
    hold control characters as pasted from Word (U+000B soft line break, U+0001, U+FFFE)."""
    if pdf_module.find_soffice() is None:
        pytest.skip(NO_SOFFICE)
    filing = json.loads(json.dumps(corrected_data))
    filing["department_report"]["text"] = filing["department_report"]["text"].replace(
        "无下设单位或机构。", "无下设\x0b单位或\x01机构。\ufffe")
    filing["department"]["indicators"][0]["level3"] = "核酸\x0b检测\x07"
    out = tmp_path_factory.mktemp("pdf")
    source = out / "lukou-2022-corrected.json"
    save_filing(filing, source)
    return export_package(source, out / "out")


# ------------------------------------------------------------------ refusal and layout


def test_seed_without_force_is_refused_and_nothing_is_written(tmp_path, capsys):
    out = tmp_path / "out"
    with pytest.raises(ExportRefused) as refused:
        export_package(SEED_PATH, out)
    assert sum(f.severity == "error" for f in refused.value.findings) == 21
    assert not out.exists()
    code = main(["export", str(SEED_PATH), "-o", str(out)])
    captured = capsys.readouterr()
    assert code == 1 and not out.exists()
    assert "共 21 个错误" in captured.out and "[错误 A2]" in captured.out and "【附件3-3】" in captured.out
    assert "仍有 21 个错误，未导出" in captured.err and "--force" in captured.err


def test_package_is_a_folder_and_a_zip_named_by_unit_and_year(forced):
    assert forced.folder.name == PACKAGE and forced.zip_path.name == PACKAGE + ".zip"
    assert sorted(p.name for p in forced.folder.parent.iterdir()) == [PACKAGE, PACKAGE + ".zip"]  # no temp left
    names = {p.name for p in forced.folder.iterdir()}
    expected = {"绩效自评表.xlsx", "附件2 部门整体支出绩效自评报告.docx", "校验报告.txt", "manifest.json"}
    expected |= {f"附件4-{i} {name} 项目支出绩效自评报告.docx" for i, name in enumerate(PROJECTS, 1)}
    assert names == expected


def test_forced_package_says_so(forced):
    report = (forced.folder / "校验报告.txt").read_text(encoding="utf-8-sig")
    assert report.splitlines()[0] == "强制导出：仍有 21 个错误"
    assert "【附件3-3】" in report and "[错误 A2]" in report and "[错误 F1]" in report
    manifest = json.loads((forced.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["forced"] is True and manifest["error_count"] == 21
    assert manifest["summary"] == evaluate(json.loads(SEED_PATH.read_text(encoding="utf-8"))).summary


def test_manifest_hashes_verify(forced):
    manifest = json.loads((forced.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tool"] == "perfeval" and manifest["tool_version"] and manifest["profile"] == "default"
    assert manifest["source"] == {"name": SEED_PATH.name, "kind": "json", "sha256": _sha(SEED_PATH),
                                  "size": SEED_PATH.stat().st_size}
    assert manifest["created"][:4].isdigit() and "T" in manifest["created"]
    for entry in manifest["files"]:
        path = forced.folder / entry["path"]
        assert _sha(path) == entry["sha256"] and path.stat().st_size == entry["size"]
    assert len(manifest["files"]) == len(list(forced.folder.iterdir())) - 1
    assert verify_manifest(forced.folder) == []


def test_zip_equals_folder(forced):
    with zipfile.ZipFile(forced.zip_path) as archive:
        assert archive.testzip() is None
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    files = {f"{PACKAGE}/{p.name}": p.read_bytes() for p in forced.folder.iterdir()}
    assert members == files


# ------------------------------------------------------------------ the values-only tables


def _find(ws, text: str) -> tuple[int, int]:
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.strip() == text:
                return cell.row, cell.column
    raise AssertionError(f"{ws.title}: no cell “{text}”")


def _expected(value, missing: str):
    return missing if value is None else pytest.approx(value, abs=1e-9)


def test_xlsx_is_values_only_with_exactly_the_form_sheets(forced):
    path = forced.folder / "绩效自评表.xlsx"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["附件1", *(f"附件3-{i}" for i in range(1, 6))] == table_sheets(forced_filing())
    formulas = [f"{ws.title}!{c.coordinate}" for ws in book for row in ws.iter_rows() for c in row
                if c.data_type == "f"]
    assert formulas == []
    assert all(ws.sheet_state == "visible" and ws.print_area for ws in book)
    assert not list(book.defined_names)  # print areas and titles live on the sheets
    assert audit(path, book.sheetnames) == []
    with zipfile.ZipFile(path) as archive:
        core = archive.read("docProps/core.xml").decode("utf-8")
        app = archive.read("docProps/app.xml").decode("utf-8")
    assert "<dc:title>株洲市渌口区机关事务服务中心2022年度绩效自评表</dc:title>" in core and "creator" not in core
    assert "<Company>株洲市渌口区机关事务服务中心</Company>" in app and "Application" not in app


def forced_filing() -> dict:
    return json.loads(SEED_PATH.read_text(encoding="utf-8"))


def test_xlsx_values_are_the_filed_values(forced):
    """执行率, 预算执行得分, every 指标得分 and 总分 are what the unit filed, not the rules' figures."""
    filing = forced_filing()
    book = openpyxl.load_workbook(forced.folder / "绩效自评表.xlsx")
    for ws, table in zip(book, [filing["department"], *filing["projects"]], strict=True):
        header, rate_col = _find(ws, "执行率")
        _, score_col = next((header, c.column) for c in ws[header] if c.value == "得分")
        funds_row, _ = _find(ws, "年度资金总额")
        assert ws.cell(funds_row, rate_col).value == 1.0  # every table filed 100%
        assert ws.cell(funds_row, score_col).value == float(table["funds"]["total"]["score"].strip("　 "))
        table_header, name_col = _find(ws, "三级指标")
        points_col = next(c.column for c in ws[table_header] if c.value == "分值")
        got_col = next(c.column for c in ws[table_header] if c.value == "得分")
        rows = range(table_header + 1, table_header + 1 + len(table["indicators"]))
        filed = [float(str(r["score"]).strip("　 ")) for r in table["indicators"]]
        assert [ws.cell(r, got_col).value for r in rows] == filed
        total_row, _ = _find(ws, "总分")
        assert ws.cell(total_row, got_col).value == 100 and ws.cell(total_row, points_col).value == 100
        assert name_col < got_col
    green = book["附件3-3"]
    row, col = _find(green, "年度资金总额")
    assert green.cell(row, _find(green, "执行率")[1]).value == 1.0  # filed 100%; A2 says 1655.4%, in 校验报告
    report = (forced.folder / "校验报告.txt").read_text(encoding="utf-8-sig")
    assert ("[错误 A2] 附件3-3 年度资金总额：填报执行率 100.0%，按全年执行数 523.12 万元 ÷ 全年预算数 31.60 万元 "
            "计算应为 1655.4%") in report


def test_every_file_passes_the_ooxml_schema(forced):
    validator = OpenXmlValidator()
    for path in sorted(forced.folder.glob("*.xlsx")) + sorted(forced.folder.glob("*.docx")):
        result = validator.validate(str(path))
        assert result.is_valid, (path.name, [str(e) for e in result.errors][:5])


# ------------------------------------------------------------------ the reports


def test_department_report_holds_its_outline_and_the_figures(forced):
    document = docx.Document(str(forced.folder / "附件2 部门整体支出绩效自评报告.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [s.heading for s in DEPARTMENT_OUTLINE.sections]
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert "2662.18" in text and "1289.42" in text


def test_project_report_figures_match_the_table(forced):
    document = docx.Document(str(forced.folder / "附件4-3 区委区政府大院及武装部营院绿化费 项目支出绩效自评报告.docx"))
    funds = document.tables[0].rows[1]
    assert [c.text for c in funds.cells] == ["年度资金总额", "31.60", "31.60", "523.12", "10", "100.0%", "10"]
    book = openpyxl.load_workbook(forced.folder / "绩效自评表.xlsx")
    ws = book["附件3-3"]
    row, _ = _find(ws, "年度资金总额")
    assert f"{ws.cell(row, _find(ws, '执行率')[1]).value * 100:.1f}%" == funds.cells[5].text


# ------------------------------------------------------------------ safety


def test_existing_package_is_never_overwritten(forced):
    before = {p.name: _sha(p) for p in forced.folder.iterdir()}
    zip_before = _sha(forced.zip_path)
    with pytest.raises(ExportRefused, match="已存在"):
        export_package(SEED_PATH, forced.folder.parent, force=True, pdf=False)
    assert {p.name: _sha(p) for p in forced.folder.iterdir()} == before and _sha(forced.zip_path) == zip_before
    assert sorted(p.name for p in forced.folder.parent.iterdir()) == [PACKAGE, PACKAGE + ".zip"]


def test_an_existing_zip_alone_also_blocks(tmp_path):
    (tmp_path / f"{PACKAGE}.zip").write_bytes(b"mine")
    with pytest.raises(ExportRefused, match="已存在"):
        export_package(SEED_PATH, tmp_path, force=True, pdf=False)
    assert (tmp_path / f"{PACKAGE}.zip").read_bytes() == b"mine"
    assert [p.name for p in tmp_path.iterdir()] == [f"{PACKAGE}.zip"]


def test_a_failure_leaves_nothing_behind(tmp_path, monkeypatch):
    def broken(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(docx_writer, "render_docx", broken)
    with pytest.raises(ExportFailed, match="磁盘空间不足"):
        export_package(SEED_PATH, tmp_path, force=True, pdf=False)
    assert list(tmp_path.iterdir()) == []


def test_the_source_file_is_only_read(tmp_path, seed):
    source = tmp_path / "填报.json"
    save_filing(seed, source)
    before = (_sha(source), source.stat().st_mtime_ns)
    result = export_package(source, tmp_path, force=True, pdf=False)
    assert (_sha(source), source.stat().st_mtime_ns) == before
    assert result.manifest["source"]["sha256"] == before[0]


def test_formula_like_text_stays_text(tmp_path, corrected):
    corrected["department"]["goal"]["expected"] = "=1+1"
    corrected["department"]["goal"]["actual"] = "+SUM(A1:A3)"
    corrected["projects"][0]["name"] = "@HYPERLINK(\"http://example.com\")"
    corrected["projects"][0]["indicators"][2]["level3"] = "-减少投诉"
    source = tmp_path / "填报.json"
    save_filing(corrected, source)
    result = export_package(source, tmp_path / "out", pdf=False)
    book = openpyxl.load_workbook(result.folder / "绩效自评表.xlsx")
    cells = {c.value: c for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for text in ("=1+1", "+SUM(A1:A3)", "@HYPERLINK(\"http://example.com\")", "-减少投诉"):
        assert cells[text].data_type == "s", text
    assert not [c for ws in book for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert (result.folder / "附件4-1 @HYPERLINK(_http___example.com_) 项目支出绩效自评报告.docx").is_file()


def test_file_names_are_sanitised(tmp_path, corrected):
    corrected["unit"] = "..\\单位/名<称>:"
    corrected["projects"][1]["name"] = "维修/改造:费*?\n第二行" + "长" * 100
    source = tmp_path / "填报.json"
    save_filing(corrected, source)
    result = export_package(source, tmp_path / "out", pdf=False)
    assert result.folder.parent == tmp_path / "out"
    assert result.folder.name == "_单位_名_称___2022_绩效自评材料"
    project = next(p.name for p in result.folder.iterdir() if p.name.startswith("附件4-2"))
    assert project.startswith("附件4-2 维修_改造_费__第二行长") and project.endswith(" 项目支出绩效自评报告.docx")
    assert not set(project) & set('/\\:*?"<>|\n')
    assert all(p.parent == result.folder for p in result.folder.iterdir())


def test_cli_export_of_a_clean_filing(tmp_path, corrected_path, capsys):
    code = main(["export", str(corrected_path), "-o", str(tmp_path), "--no-pdf"])
    out = capsys.readouterr().out
    assert code == 0
    assert f"申报材料文件夹：{tmp_path / PACKAGE}" in out and "PDF：未生成（--no-pdf）" in out
    assert "强制导出" not in out
    manifest = json.loads((tmp_path / PACKAGE / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["forced"] is False and manifest["error_count"] == 0


# ------------------------------------------------------------------ PDFs


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) 未安装 / not installed")
def test_libreoffice_converts_the_tables_and_reports(with_pdf):
    assert with_pdf.pdf is not None and with_pdf.pdf.ok, with_pdf.pdf.note if with_pdf.pdf else ""
    tables = _pdf_text(with_pdf.folder / "绩效自评表.pdf")
    assert "部门整体支出绩效自评表" in tables and "项目支出绩效自评表" in tables
    assert tables.count("\f") == 6  # one page per form: 附件1 and 附件3-1 … 3-5
    report = _pdf_text(with_pdf.folder / "附件2 部门整体支出绩效自评报告.pdf")
    assert "部门整体支出绩效自评报告" in report and "2662.18" in report and "一、预算单位基本情况" in report
    assert "无下设" in report and "单位或机构" in report  # control characters did not stop the conversion
    pdfs = sorted(p.name for p in with_pdf.folder.glob("*.pdf"))
    assert len(pdfs) == 7 and sorted(with_pdf.manifest["pdf"]["converted"]) == pdfs
    assert verify_manifest(with_pdf.folder) == []
    assert with_pdf.pdf_seconds > 0 and with_pdf.build_seconds < with_pdf.pdf_seconds + 5


def test_no_tool_text_in_the_pdfs_either(with_pdf):
    assert len(list(with_pdf.folder.glob("*.pdf"))) == 7
    assert_no_tool_text(with_pdf)


def test_without_libreoffice_the_package_says_why(tmp_path, corrected_path, monkeypatch):
    monkeypatch.setattr(pdf_module, "find_soffice", lambda: None)
    result = export_package(corrected_path, tmp_path)
    assert not list(result.folder.glob("*.pdf"))
    report = (result.folder / "校验报告.txt").read_text(encoding="utf-8-sig")
    assert "未找到 LibreOffice" in report
    assert result.manifest["pdf"]["converted"] == [] and "LibreOffice" in result.manifest["pdf"]["note"]


def test_zip_of_pdf_package_equals_folder(with_pdf):
    with zipfile.ZipFile(with_pdf.zip_path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    assert members == {f"{PACKAGE}/{p.name}": p.read_bytes() for p in with_pdf.folder.iterdir()}
    assert io.BytesIO(members[f"{PACKAGE}/绩效自评表.pdf"]).read(5) == b"%PDF-"


def test_every_table_footer_carries_the_signoff(tmp_path, seed):
    seed["signoff"] = {"preparer": "张三", "phone": "0731-1234567", "date": "2023-03-01", "head": "李四"}
    source = tmp_path / "填报.json"
    save_filing(seed, source)
    result = export_package(source, tmp_path / "out", force=True, pdf=False)
    book = openpyxl.load_workbook(result.folder / "绩效自评表.xlsx")
    expected = ["填报人：", "张三", "联系电话：", "0731-1234567", "填报日期：", "2023-03-01", "单位负责人签字：", "李四"]
    for ws in book:
        row, _ = _find(ws, "填报人：")
        assert [c.value for c in ws[row] if c.value is not None] == expected, ws.title


def test_a_filing_without_projects_gives_only_the_department_table(tmp_path, corrected):
    corrected["projects"] = []
    corrected["department"]["funds"]["by_expense"]["project"] = None
    source = tmp_path / "填报.json"
    save_filing(corrected, source)
    result = export_package(source, tmp_path / "out", force=True, pdf=False)
    assert openpyxl.load_workbook(result.folder / "绩效自评表.xlsx").sheetnames == ["附件1"]
    assert sorted(p.name for p in result.folder.glob("*.docx")) == ["附件2 部门整体支出绩效自评报告.docx"]


def test_one_fsync_for_the_package_not_one_per_file(tmp_path, corrected_path, monkeypatch):
    """Issue 13: the zip is synced once (and on POSIX the folder entry), whatever the number of files."""
    import os

    calls = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: calls.append(fd) or real(fd))
    result = export_package(corrected_path, tmp_path, pdf=False)
    assert len(result.files) == 9 and len(calls) == (2 if os.name == "posix" else 1)
