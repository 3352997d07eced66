"""perfeval review: rows for every filing, counts equal to validate, re-runs that keep the reviewer's
work, charts over the right ranges, 退回修改 letters with the right problems."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import docx
import openpyxl
import pytest
from defusedxml import ElementTree
from review_support import make_review_folder, set_reviewer_values, sheet_rows, sheet_values

from macros.batch import counted_under
from macros.cli import main

OUT = "审核汇总.xlsx"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


def _review(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["review", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _validate_json(capsys, path: Path) -> tuple[int, dict | None]:
    code = main(["validate", str(path), "--json"])
    out = capsys.readouterr().out
    return code, (json.loads(out) if code != 2 else None)


def _import_then_validate(capsys, path: Path, work: Path) -> dict | None:
    """What ``perfeval import`` then ``perfeval validate`` report (None: not importable)."""
    filing = work / (path.name + ".filing.json")
    if main(["import", str(path), "-o", str(filing), "--force"]) == 2:
        capsys.readouterr()
        return None
    capsys.readouterr()
    return _validate_json(capsys, filing)[1]


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    """The acceptance folder reviewed once (-j 2); returns (root, folder, review path, stdout)."""
    root = tmp_path_factory.mktemp("review")
    folder = make_review_folder(root)
    out = root / OUT
    code = main(["review", str(folder), "-o", str(out), "-j", "2"])
    assert code == 0
    return root, folder, out


def _by_file(rows: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["文件"], []).append(row)
    return grouped


def _reviewed_items(folder: Path) -> list[Path]:
    """Everything review takes from the folder: files of the kinds it reads, package folders as one item."""
    packages = sorted(p.parent for p in folder.rglob("manifest.json"))
    files = [p for p in folder.rglob("*") if p.is_file() and p.suffix in (".json", ".xlsx", ".docx", ".zip")
             and not any(package in p.parents for package in packages)]
    return sorted(files) + packages


def test_every_filing_has_its_rows_and_counts_equal_validate(reviewed, capsys, tmp_path):
    root, folder, out = reviewed
    summary = _by_file(sheet_rows(out, "汇总"))
    issues = _by_file(sheet_rows(out, "问题清单"))
    readable = 0
    for path in _reviewed_items(folder):
        label = str(path.relative_to(root))
        assert label in summary, f"{label} has no row"
        code, payload = _validate_json(capsys, path)
        rows = summary[label]
        if payload is None:
            assert code == 2
            assert [r["表"] for r in rows] == ["无法读取"] and rows[0]["主要问题"]
            continue
        readable += 1
        counts = {key: sum(r[column] for r in rows) for key, column in
                  (("errors", "错误"), ("warnings", "警告"), ("info", "提示"))}
        assert counts == payload["summary"], label
        listed = Counter((i["规则"], i["问题"]) for i in issues.get(label, []))
        assert listed == Counter((f["rule"], f["message"]) for f in payload["findings"]), label
        if path.suffix != ".json" or "语料" in label:  # documents, grids, packages: as import then validate
            imported = _import_then_validate(capsys, path, tmp_path)
            assert imported["summary"] == payload["summary"], label
    corpus = len(list((folder / "语料").glob("*.json")))
    assert corpus >= 17
    # seed, corrected, four corpus-like, the workbook, the corpus tables, the Word filing, the package and its zip
    assert readable == 7 + corpus + 3


def test_documents_and_packages_are_reviewed_like_their_filings(reviewed):
    root, folder, out = reviewed
    summary = _by_file(sheet_rows(out, "汇总"))
    word = summary[str((folder / "文档" / "去年.docx").relative_to(root))]
    seed_rows = summary[str((folder / "渌口" / "lukou-2022.json").relative_to(root))]
    assert [r["表"] for r in word] == [r["表"] for r in seed_rows] == ["附件1"] + [f"附件3-{n}" for n in range(1, 6)]
    assert [(r["错误"], r["警告"]) for r in word] == [(r["错误"], r["警告"]) for r in seed_rows]
    package = next((folder / "材料包").glob("*_绩效自评材料"))
    corrected = summary[str((folder / "渌口" / "lukou-2022-corrected.json").relative_to(root))]
    for item in (package, package.with_name(package.name + ".zip")):
        rows = summary[str(item.relative_to(root))]
        assert rows[0]["单位"] == "渌口区某中心（材料包）" and len(rows) == 6
        assert sum(r["错误"] for r in rows) == 0
        assert [(r["警告"], r["提示"]) for r in rows] == [(r["警告"], r["提示"]) for r in corrected]


def test_tables_figures_and_recomputed_scores(reviewed):
    root, folder, out = reviewed
    rows = _by_file(sheet_rows(out, "汇总"))
    corrected = rows["收到的材料/渌口/lukou-2022-corrected.json"]
    assert [r["表"] for r in corrected] == ["附件1", *(f"附件3-{i}" for i in range(1, 6))]
    assert all(r["重算总分"] == 100 and r["重算等级"] == "优" and r["错误"] == 0 for r in corrected)
    seed = {r["表"]: r for r in rows["收到的材料/渌口/lukou-2022.json"]}
    third = seed["附件3-3"]
    assert (third["全年预算数"], third["全年执行数"]) == (31.6, 523.12)
    assert third["执行率"] == pytest.approx(523.12 / 31.6)
    assert third["单位总分"] == 100 and third["错误"] > 0 and "A2" in third["主要问题"]
    assert third["状态"] == "待审"
    project_only = rows["收到的材料/各地/corpus-project-only.json"]
    assert [r["表"] for r in project_only] == ["附件3-1", "附件3-2"]  # 附件1 not filed: no row
    assert project_only[1]["单位总分"] == 95 and project_only[1]["单位等级"] == "优"
    assert rows["收到的材料/各地/corpus-yuan.json"][0]["金额单位"] == "元"


def test_unreadable_files_are_rows_that_say_why(reviewed):
    root, folder, out = reviewed
    rows = _by_file(sheet_rows(out, "汇总"))
    broken = {Path(label).name: group for label, group in rows.items() if "有问题的" in label}
    assert set(broken) == {"截断.json", "空.json", "别的格式.json", "坏的.xlsx", "报告.docx",
                           "某单位_2022_绩效自评材料", "材料包.zip"}
    reasons = {name: group[0]["主要问题"] for name, group in broken.items()}
    assert "空文件" in reasons["空.json"]
    assert "perfeval.filing/1" in reasons["别的格式.json"]
    assert "已损坏" in reasons["报告.docx"]
    assert "其中没有绩效自评表.xlsx 或报告 .docx" in reasons["某单位_2022_绩效自评材料"]
    assert "其中没有绩效自评表.xlsx 或报告 .docx" in reasons["材料包.zip"]
    assert broken["材料包.zip"][0]["单位"] == "某单位"
    assert all(group[0]["表"] == "无法读取" for group in broken.values())
    assert not any("说明.txt" in label for label in rows)


def test_notes_sheet_names_profile_version_and_every_hash(reviewed):
    root, folder, out = reviewed
    text = json.dumps(sheet_values(out, "说明"), ensure_ascii=False, default=str)
    assert "perfeval 版本" in text and "default" in text
    seed = folder / "渌口" / "lukou-2022.json"
    assert hashlib.sha256(seed.read_bytes()).hexdigest() in text
    summary = sheet_rows(out, "汇总")
    assert {r["SHA-256"] for r in summary if r["SHA-256"]} <= set(re.findall(r"[0-9a-f]{64}", text))


def _chart_refs(out: Path) -> dict[str, list[str]]:
    refs = {}
    with zipfile.ZipFile(out) as package:
        drawings = [n for n in package.namelist() if n.startswith("xl/charts/chart")]
        for name in drawings:
            root = ElementTree.fromstring(package.read(name))
            title = "".join(t.text or "" for t in root.find(f"{C}chart/{C}title").iter(
                "{http://schemas.openxmlformats.org/drawingml/2006/main}t"))
            refs[title] = [f.text.replace("'", "") for f in root.iter(f"{C}f")]
    return refs


def test_charts_exist_on_their_sheet_and_reference_the_right_ranges(reviewed):
    root, folder, out = reviewed
    refs = _chart_refs(out)
    assert set(refs) == {"重算总分分布", "执行率与重算总分", "问题按规则统计", "各审核状态的表数"}
    last = len(sheet_rows(out, "汇总")) + 1
    assert refs["执行率与重算总分"] == [f"汇总!$G$2:$G${last}", f"汇总!$J$2:$J${last}"]
    assert refs["重算总分分布"] == ["图表!$A$3:$A$8", "图表!$B$3:$B$8"]
    assert refs["各审核状态的表数"] == ["图表!$G$3:$G$5", "图表!$H$3:$H$5"]
    rules = refs["问题按规则统计"]
    data = sheet_values(out, "图表")[2:]  # the chart data start on the third row
    rule_ids = [r[3] for r in data if r[3]]
    assert rules == [f"图表!$D$3:$D${2 + len(rule_ids)}", f"图表!$F$3:$F${2 + len(rule_ids)}"]
    issues = Counter(r["规则"] for r in sheet_rows(out, "问题清单") if r["严重程度"] != "无法读取")
    assert {r[3]: r[5] for r in data if r[3]} == dict(issues)
    assert [r[6] for r in data[:3]] == ["待审", "通过", "退回修改"]
    with zipfile.ZipFile(out) as package:
        sheets = {n for n in package.namelist() if n.startswith("xl/worksheets/_rels/")}
        assert any("drawing" in package.read(n).decode() for n in sheets)


def test_summary_sheet_is_filterable_frozen_and_has_the_status_dropdown(reviewed):
    root, folder, out = reviewed
    with zipfile.ZipFile(out) as package:
        sheet = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<autoFilter" in sheet and 'state="frozen"' in sheet
    assert '"待审,通过,退回修改"' in sheet
    assert "conditionalFormatting" in sheet and "&gt;0" in sheet


def test_text_that_looks_like_a_formula_stays_text(reviewed):
    root, folder, out = reviewed
    rows = sheet_rows(out, "汇总")
    assert any(r["单位"] == '=HYPERLINK("http://example.invalid","点我")' for r in rows)
    with zipfile.ZipFile(out) as package:
        formulas = re.findall(r"<f>(.*?)</f>", package.read("xl/worksheets/sheet1.xml").decode())
    assert formulas and all(f.startswith("HYPERLINK(") for f in formulas)  # only the file links we build
    assert not any("example.invalid" in f for f in formulas)


def _copy_case(tmp_path: Path, reviewed) -> tuple[Path, Path]:
    root, folder, out = reviewed
    shutil.copytree(folder, tmp_path / folder.name)
    shutil.copy(out, tmp_path / OUT)
    return tmp_path / folder.name, tmp_path / OUT


def test_rerun_keeps_reviewer_columns_and_marks_what_changed(tmp_path, reviewed, capsys):
    folder, out = _copy_case(tmp_path, reviewed)
    seed, corrected = "收到的材料/渌口/lukou-2022.json", "收到的材料/渌口/lukou-2022-corrected.json"
    when = dt.datetime(2025, 3, 1)
    set_reviewer_values(out, {
        (corrected, "附件3-2"): {"审核得分": 98, "审核意见": "=不是公式", "状态": "通过", "审核人": "李四", "日期": when},
        (seed, "附件3-3"): {"状态": "退回修改", "审核意见": "执行率算错"},
        ("收到的材料/各地/corpus-blanks.json", "附件1"): {"审核意见": "文件会被删去"},
    })
    edited = hashlib.sha256(out.read_bytes()).hexdigest()
    changed = json.loads((folder / "渌口" / "lukou-2022-corrected.json").read_text(encoding="utf-8"))
    changed["projects"][1]["funds"]["total"]["executed"] = "9999"  # a new error on 附件3-2
    (folder / "渌口" / "lukou-2022-corrected.json").write_text(json.dumps(changed, ensure_ascii=False), "utf-8")
    (folder / "各地" / "corpus-blanks.json").unlink()
    code, stdout, _ = _review(capsys, str(folder), "-o", str(out), "-j", "1")
    assert code == 0 and "已另存为" in stdout
    backups = list(tmp_path.glob("审核汇总.备份-*.xlsx"))
    assert len(backups) == 1 and hashlib.sha256(backups[0].read_bytes()).hexdigest() == edited
    rows = {(r["文件"], r["表"]): r for r in sheet_rows(out, "汇总")}
    kept = rows[(corrected, "附件3-2")]
    assert (kept["审核得分"], kept["审核意见"], kept["状态"], kept["审核人"]) == (98, "=不是公式", "通过", "李四")
    assert kept["日期"] == when
    assert kept["错误"] > 0 and kept["本次变化"].startswith("文件已更新") and "错误 0→" in kept["本次变化"]
    assert not rows[(corrected, "附件3-1")]["本次变化"].startswith("结果有变化")
    assert rows[(seed, "附件3-3")]["状态"] == "退回修改" and not rows[(seed, "附件3-3")]["本次变化"]
    gone = rows[("收到的材料/各地/corpus-blanks.json", "附件1")]
    assert gone["本次变化"] == "文件已不在本次审核中（保留上次的记录）" and gone["审核意见"] == "文件会被删去"


def test_rerun_matches_a_renamed_file_by_unit_year_and_project(tmp_path, reviewed, capsys):
    folder, out = _copy_case(tmp_path, reviewed)
    seed = "收到的材料/渌口/lukou-2022.json"
    set_reviewer_values(out, {(seed, "附件3-2"): {"审核意见": "改名后仍在", "状态": "通过"}})
    (folder / "渌口" / "lukou-2022.json").rename(folder / "渌口" / "渌口-第二次报送.json")
    assert _review(capsys, str(folder), "-o", str(out))[0] == 0
    rows = {(r["文件"], r["表"]): r for r in sheet_rows(out, "汇总")}
    moved = rows[("收到的材料/渌口/渌口-第二次报送.json", "附件3-2")]
    assert (moved["审核意见"], moved["状态"]) == ("改名后仍在", "通过")
    assert not any(r["本次变化"] == "文件已不在本次审核中（保留上次的记录）" and r["审核意见"] == "改名后仍在"
                   for r in rows.values())


def test_reviewers_own_columns_are_carried_over(tmp_path, reviewed, capsys):
    folder, out = _copy_case(tmp_path, reviewed)
    book = openpyxl.load_workbook(out)
    sheet = book["汇总"]
    extra = sheet.max_column + 1
    sheet.cell(1, extra).value = "复核意见"
    sheet.cell(2, extra).value = "已电话沟通"
    first_file, first_table = sheet.cell(2, 24).value, sheet.cell(2, 3).value
    book.save(out)
    assert _review(capsys, str(folder), "-o", str(out))[0] == 0
    rows = [r for r in sheet_rows(out, "汇总") if (r["文件"], r["表"]) == (first_file, first_table)]
    assert rows[0]["复核意见"] == "已电话沟通"


def test_a_previous_file_that_is_not_a_review_is_refused_and_kept(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(Path(__file__).parent / "data" / "lukou-2022-corrected.json", folder)
    out = tmp_path / OUT
    book = openpyxl.Workbook()
    book.active.title = "别的"
    book.save(out)
    before = out.read_bytes()
    code, _, err = _review(capsys, str(folder), "-o", str(out))
    assert code == 2 and "汇总" in err and "Traceback" not in err
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["in", OUT])  # no temporary file left


def test_letters_list_the_right_problems(tmp_path, reviewed, capsys):
    folder, out = _copy_case(tmp_path, reviewed)
    seed = "收到的材料/渌口/lukou-2022.json"
    set_reviewer_values(out, {(seed, "附件3-3"): {"状态": "退回修改", "审核意见": "执行率与报告金额不符"},
                              (seed, "附件1"): {"状态": "通过"}})
    letters = tmp_path / "退回"
    code, stdout, _ = _review(capsys, "-o", str(out), "--returns", str(letters))
    assert code == 0 and "1 份" in stdout
    [letter] = list(letters.glob("*.docx"))
    assert "株洲市渌口区机关事务服务中心_2022" in letter.name
    document = docx.Document(str(letter))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows[1:]]
    assert "执行率与报告金额不符" in text and "附件3-3" in text
    _, payload = _validate_json(capsys, Path(reviewed[1]) / "渌口" / "lukou-2022.json")
    tables = ["附件1", *(f"附件3-{i}" for i in range(1, 6))]
    expected = Counter((f["rule"], f["message"]) for f in payload["findings"]
                       if counted_under(f["table"], tables) == "附件3-3" and f["severity"] != "info")
    assert Counter((c[2], c[3]) for c in cells) == expected
    assert any(rule == "A2" for rule, _ in expected) and any(rule == "F1" for rule, _ in expected)
    code, stdout, _ = _review(capsys, "-o", str(out), "--returns", str(letters))
    assert len(list(letters.glob("*.docx"))) == 2  # the first letter is never overwritten


def test_no_letters_without_returned_tables(tmp_path, reviewed, capsys):
    _, out = _copy_case(tmp_path, reviewed)
    code, stdout, _ = _review(capsys, "-o", str(out), "--returns", str(tmp_path / "退回"))
    assert code == 0 and "没有标为“退回修改”" in stdout and not list((tmp_path / "退回").glob("*"))


def test_review_asks_for_an_xlsx_and_for_inputs(tmp_path, capsys):
    assert _review(capsys, str(tmp_path), "-o", str(tmp_path / "审核.csv"))[0] == 2
    code, _, err = _review(capsys, "-o", str(tmp_path / OUT))
    assert code == 2 and "请给出" in err


def test_review_workbook_and_letters_are_valid_office_files(tmp_path, reviewed, capsys):
    from openxml_audit import OpenXmlValidator

    folder, out = _copy_case(tmp_path, reviewed)
    set_reviewer_values(out, {("收到的材料/渌口/lukou-2022.json", "附件1"): {"状态": "退回修改"}})
    assert _review(capsys, str(folder), "-o", str(out), "--returns", str(tmp_path / "退回"))[0] == 0
    validator = OpenXmlValidator()
    for path in [out, *sorted((tmp_path / "退回").glob("*.docx"))]:
        result = validator.validate(str(path))
        assert result.is_valid, (path.name, [str(e) for e in result.errors][:5])
