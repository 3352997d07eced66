"""Issue 9 acceptance: every filing the project can export imports back to the same filing.

Each filing (the seed, the corrected seed, a project-only filing, a 元 filing, a filing under the
hubei profile, and one whose reports are left to drafts) is exported without PDFs; then the
package folder, its zip, and the official files themselves (绩效自评表.xlsx and the report
.docx files, without the manifest) are imported. Values are compared normalised the way the
workbook round trip compares them (:func:`workbook.normalise.normalise_filing`: amounts, points
and rates parsed, text folded, reports section by section through :mod:`xlfuncs.outlines`), and
the money unit and profile exactly. Validating the import gives the source's own findings.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from package_support import export_filing
from test_export_faithful import in_yuan, project_only, without_reports

from macros.cli import main
from macros.inputs import open_sources
from macros.session import open_session
from workbook.normalise import normalise_filing
from xlfuncs.engine import evaluate
from xlfuncs.outlines import DEPARTMENT_OUTLINE, PROJECT_OUTLINE, split_report
from xlfuncs.recognise.walk import REPORT_TABLE_WHY


def hubei(corrected: dict) -> dict:
    """The corrected seed filed under the hubei rule profile, its signature line filled in."""
    corrected["profile"] = "hubei"
    corrected["signoff"] = {"preparer": "张敏", "phone": "0731-26221234", "date": "2023年3月1日", "head": "李强"}
    return corrected


CASES = {  # name → (make the filing from seed/corrected, which one, export forced)
    "seed": (lambda f: f, "seed", True),
    "corrected": (lambda f: f, "corrected", False),
    "project_only": (project_only, "corrected", True),
    "in_yuan": (in_yuan, "corrected", True),
    "hubei": (hubei, "corrected", False),
    "drafts": (without_reports, "corrected", False),
}


@pytest.fixture(scope="module")
def exported(tmp_path_factory, seed_data, corrected_data):
    """name → (the filing exported, its ExportResult)."""
    made = {}
    for name, (make, base, force) in CASES.items():
        filing = make(copy.deepcopy(seed_data if base == "seed" else corrected_data))
        made[name] = filing, export_filing(copy.deepcopy(filing), tmp_path_factory.mktemp(name), force=force)
    return made


def money_units(filing: dict) -> list[str]:
    """The money unit each table's amounts are in (its own, else the filing's)."""
    top = filing.get("money_unit") or "万元"
    tables = [filing["department"], *filing["projects"]]
    return [t.get("money_unit") or top for t in tables if t.get("filed") is not False]


def reports_by_section(filing: dict) -> list[dict[str, str]]:
    """Every report cut into its outline's sections (bodies with blank lines and edge spaces dropped)."""
    def cut(text, outline):
        bodies = split_report(text or "", outline).bodies
        return {k: "\n".join(line.strip() for line in v.splitlines() if line.strip()) for k, v in bodies.items()}
    found = [cut((filing.get("department_report") or {}).get("text"), DEPARTMENT_OUTLINE)]
    return found + [cut((p.get("report") or {}).get("text"), PROJECT_OUTLINE) for p in filing["projects"]]


def assert_same_filing(imported: dict, original: dict, *, profile: bool = True) -> None:
    assert normalise_filing(imported) == normalise_filing(original)
    assert reports_by_section(imported) == reports_by_section(original)
    assert money_units(imported) == money_units(original)
    if profile:
        assert imported.get("profile") == original.get("profile")
    assert (imported["department"].get("filed") is False) == (original["department"].get("filed") is False)


def official_files(folder: Path) -> list[Path]:
    return [folder / "绩效自评表.xlsx", *sorted(folder.glob("附件*.docx"))]


@pytest.mark.parametrize("name", list(CASES))
def test_package_folder_and_zip_import_to_the_filing(exported, name):
    filing, result = exported[name]
    for source in (result.folder, result.zip_path):
        opened = open_sources([source])
        assert opened.kind == "package" and opened.imported.unplaced == []
        assert_same_filing(opened.filing, filing)


@pytest.mark.parametrize("name", [n for n in CASES if n != "drafts"])
def test_the_official_files_alone_import_to_the_filing(exported, name):
    """Without the manifest the report tables are not known to be perfeval's: each is listed (I1);
    and the rule profile, which no official table prints, is the manifest's to say. Nothing else differs."""
    filing, result = exported[name]
    opened = open_sources(official_files(result.folder))
    assert opened.kind == "documents"
    assert_same_filing(opened.filing, filing, profile=False)
    assert opened.filing.get("profile") is None
    unplaced = opened.imported.unplaced
    assert unplaced and {u["why"] for u in unplaced} == {REPORT_TABLE_WHY}
    assert all(u["file"].endswith(".docx") and u["table"] >= 1 for u in unplaced)


def test_drafts_read_as_text_without_the_manifest(exported):
    """The manifest is what tells perfeval's drafts from the unit's text: without it they are text."""
    filing, result = exported["drafts"]
    alone = open_sources(official_files(result.folder)).filing
    assert all(split_report(p["report"]["text"], PROJECT_OUTLINE).found for p in alone["projects"])
    assert normalise_filing(open_sources([result.folder]).filing)["projects"][0]["report"] is None


@pytest.mark.parametrize("name", list(CASES))
def test_validating_the_package_gives_the_filing_s_findings(exported, name):
    filing, result = exported[name]
    theirs = sorted((f.rule, f.pointer, f.severity) for f in evaluate(filing, open_session(result.folder).profile).findings)
    for source in (result.folder, result.zip_path):
        mine = sorted((f.rule, f.pointer, f.severity) for f in open_session(source).findings)
        assert mine == theirs, source


def test_import_command_writes_the_package_as_json(exported, tmp_path, capsys):
    filing, result = exported["corrected"]
    target = tmp_path / "明年.json"
    assert main(["import", str(result.zip_path), "-o", str(target)]) == 0
    out = capsys.readouterr().out
    assert "所有单元格均已归位" in out and "报告中的表格（导出时按自评表生成，不是正文）" in out
    written = json.loads(target.read_text(encoding="utf-8"))
    assert_same_filing(written, filing)
    assert written["trace"]["/projects/0/funds/total/executed"]["file"] == "绩效自评表.xlsx"
    assert written["trace"]["/projects/0/funds/total/executed"]["sheet"] == "附件3-1"
    assert written["trace"]["/projects/0/report/text"]["file"].startswith("附件4-1 ")


def test_a_report_changed_after_export_is_read_as_it_is(exported, tmp_path):
    """A report edited after export no longer matches the manifest: its text is taken as it is and
    the reading says so."""
    import shutil

    import docx

    filing, result = exported["drafts"]
    folder = tmp_path / result.folder.name
    shutil.copytree(result.folder, folder)
    report = next(folder.glob("附件4-1 *.docx"))
    document = docx.Document(str(report))
    document.add_paragraph("单位补写的一段。")
    document.save(str(report))
    opened = open_sources([folder])
    assert any("与材料包清单的记录不符" in note and report.name in note for note in opened.notes)
    assert "单位补写的一段。" in opened.filing["projects"][0]["report"]["text"]
    assert normalise_filing(opened.filing)["projects"][1]["report"] is None  # the untouched ones still drop drafts


def test_a_package_exports_again_to_the_same_filing(exported, tmp_path):
    """Every door reads a package: exporting it again gives a package that reads back to the same filing."""
    from macros.export import export_package

    filing, result = exported["drafts"]
    again = export_package(result.folder, tmp_path, pdf=False)
    assert again.manifest["source"]["kind"] == "package" and again.manifest["source"]["name"] == result.folder.name
    assert_same_filing(open_sources([again.zip_path]).filing, filing)


def test_the_tables_saved_as_xls_import_the_same(exported, tmp_path):
    """绩效自评表 saved as an old .xls (LibreOffice here; an office re-saving it), with the reports:
    the same filing values."""
    from test_documents_readers import _soffice_convert

    from macros.pdf import find_soffice

    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: cannot make an .xls here")
    filing, result = exported["in_yuan"]
    legacy = _soffice_convert(result.folder / "绩效自评表.xlsx", "xls", tmp_path)
    opened = open_sources([legacy, *sorted(result.folder.glob("附件*.docx"))])
    assert_same_filing(opened.filing, filing, profile=False)
    assert opened.filing["trace"]["/projects/0/funds/total/executed"]["file"] == "绩效自评表.xls"
