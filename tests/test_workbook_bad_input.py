"""Workbooks that are damaged, edited in ways the reader cannot follow, or not workbooks at all:
one Chinese line naming the sheet and cell, never a traceback, and the file is never changed."""

from __future__ import annotations

import re
import zipfile

import pytest
from workbook_support import diff, edited_copy, rewrite_part, sha256, sheet_part

from macros.cli import main
from macros.session import open_session
from workbook.builder import build_workbook
from workbook.reader import SheetGrid, normalise_filing, read_grids, read_workbook
from xlfuncs.filing import FilingError


@pytest.fixture(scope="module")
def seed_book(tmp_path_factory, seed_data):
    return build_workbook(seed_data, tmp_path_factory.mktemp("bad") / "seed.xlsx")


def _refused(path, *words: str) -> str:
    """read_workbook refuses with a one-line message holding ``words``; the file is unchanged;
    the CLI says the same on stderr with exit code 2."""
    before = sha256(path)
    with pytest.raises(FilingError) as caught:
        read_workbook(path)
    message = str(caught.value)
    assert "\n" not in message and all(w in message for w in words), message
    assert sha256(path) == before
    return message


def _cli_refuses(path, capsys) -> None:
    before = sha256(path)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("perfeval：") and "Traceback" not in err
    assert sha256(path) == before


def test_not_a_workbook(tmp_path, capsys):
    text = tmp_path / "假的.xlsx"
    text.write_text("这不是工作簿", encoding="utf-8")
    _refused(text, "不是 Excel 工作簿")
    _cli_refuses(text, capsys)
    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    _refused(empty, "不是 Excel 工作簿")


def test_other_zip_packages_and_damaged_files(tmp_path, seed_book, capsys):
    docx = tmp_path / "报告.xlsx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    _refused(docx, "Word 文档")
    cut = tmp_path / "截断.xlsx"
    cut.write_bytes(seed_book.read_bytes()[:5000])
    _refused(cut, "损坏")
    _cli_refuses(cut, capsys)
    broken = rewrite_part(seed_book, tmp_path / "坏XML.xlsx", "xl/workbook.xml", lambda data: data[:200])
    _refused(broken, "无法作为 Excel 工作簿读取")


def test_encrypted_or_old_xls(tmp_path, capsys):
    ole = tmp_path / "加密.xlsx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    _refused(ole, "打开密码", ".xls")
    _cli_refuses(ole, capsys)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(FilingError, match="找不到文件"):
        read_workbook(tmp_path / "没有.xlsx")
    folder = tmp_path / "目录.xlsx"
    folder.mkdir()
    with pytest.raises(FilingError, match="文件夹"):
        read_workbook(folder)


def test_project_sheet_deleted(tmp_path, seed_book, capsys):
    path = edited_copy(seed_book, tmp_path / "删表.xlsx", lambda b: b.remove(b["附件3-2"]))
    _refused(path, "缺少工作表“附件3-2”")
    _cli_refuses(path, capsys)


def test_department_sheet_renamed_or_deleted(tmp_path, seed_book):
    def rename(book):
        book["附件1"].title = "部门表"
    _refused(edited_copy(seed_book, tmp_path / "改名1.xlsx", rename), "“部门表”", "附件1")
    _refused(edited_copy(seed_book, tmp_path / "删1.xlsx", lambda b: b.remove(b["附件1"])), "没有工作表“附件1”")


def test_project_sheet_renamed(tmp_path, seed_book):
    def rename(book):
        book["附件3-5"].title = "维修改造"
    _refused(edited_copy(seed_book, tmp_path / "改名.xlsx", rename), "工作表“维修改造”", "附件3-")


def test_rows_inserted_or_deleted(tmp_path, seed_book, capsys):
    inserted = edited_copy(seed_book, tmp_path / "插行.xlsx", lambda b: b["附件3-2"].insert_rows(20, 2))
    message = _refused(inserted, "附件3-2", "A31", "A33", "插入了 2 行")
    assert "总分" in message
    _cli_refuses(inserted, capsys)
    deleted = edited_copy(seed_book, tmp_path / "删行.xlsx", lambda b: b["附件1"].delete_rows(9))
    _refused(deleted, "附件1", "B15", "B14", "删除了 1 行")
    top = edited_copy(seed_book, tmp_path / "删顶行.xlsx", lambda b: b["附件3-4"].delete_rows(1))
    _refused(top, "附件3-4", "A2")


def test_label_overwritten(tmp_path, seed_book):
    def edit(book):
        book["附件3-1"]["B8"] = "资金合计"
    _refused(edited_copy(seed_book, tmp_path / "改标签.xlsx", edit), "附件3-1", "B8", "年度资金总额", "资金合计")


def test_text_in_amount_cells_is_a_finding_at_the_cell(tmp_path, seed_book):
    def edit(book):
        book["附件3-1"]["E8"] = "四百万"
        book["附件1"]["H9"] = "1372.76万元"  # readable: 万元 text
    path = edited_copy(seed_book, tmp_path / "文字金额.xlsx", edit)
    before = sha256(path)
    findings = open_session(str(path), "default").findings
    v1 = {(f.sheet, f.cell): f.message for f in findings if f.rule == "V1"}
    assert "四百万" in v1[("附件3-1", "E8")] and "无法识别" in v1[("附件3-1", "E8")]
    # the formulas that use it cannot compute: they show #VALUE!, and W2 says why
    assert set(v1) == {("附件3-1", "E8"), ("附件3-1", "H8"), ("附件3-1", "I8")}
    w2 = {(f.sheet, f.cell): f.message for f in findings if f.rule == "W2"}
    assert set(w2) == {("附件3-1", "H8"), ("附件3-1", "I8")}
    assert "四百万" in w2[("附件3-1", "H8")]
    assert not [f for f in findings if f.rule == "B1"]  # “1372.76万元” still reads as 1372.76
    assert sha256(path) == before


def test_constant_typed_over_a_formula_is_w1(tmp_path, seed_book):
    def edit(book):
        book["附件3-1"]["H8"] = 0.9  # was =EXEC_RATE(…) giving 100 %
        book["附件3-2"]["H17"] = 8  # was =PERF_SCORE(…) giving 10
        book["附件3-3"]["H8"] = 1  # the imported claim 100 %: unchanged, not W1
    path = edited_copy(seed_book, tmp_path / "覆盖.xlsx", edit)
    reading = read_workbook(path)
    w1 = {(f.sheet, f.cell, f.pointer) for f in reading.findings if f.rule == "W1"}
    assert w1 == {("附件3-1", "H8", "/projects/0/funds/total/rate"),
                  ("附件3-2", "H17", "/projects/1/indicators/2/score")}
    assert reading.filing["projects"][0]["funds"]["total"]["rate"] == 0.9
    assert reading.filing["projects"][1]["indicators"][2]["score"] == 8
    message = next(f.message for f in reading.findings if f.cell == "H8")
    assert "原为公式" in message and "100%" in message
    findings = open_session(str(path), "default").findings
    pairs = {(f.rule, f.pointer) for f in findings}
    assert ("A2", "/projects/0/funds/total/rate") in pairs and ("W1", "/projects/0/funds/total/rate") in pairs
    assert ("D3", "/projects/1/indicators/2/score") in pairs


def test_claim_changed_by_hand_is_w1(tmp_path, seed_book):
    def edit(book):
        book["附件3-3"]["H8"] = 0.95
    reading = read_workbook(edited_copy(seed_book, tmp_path / "改导入值.xlsx", edit))
    assert [(f.rule, f.cell) for f in reading.findings] == [("W1", "H8")]


def test_formula_replaced_by_another_is_w3(tmp_path, seed_book):
    path = rewrite_part(seed_book, tmp_path / "改公式.xlsx", sheet_part(seed_book, "附件3-1"),
                        lambda x: re.sub(rb'(<c r="H8"[^>]*>)<f>[^<]*</f><v>[^<]*</v>',
                                         rb"\1<f>F8/E8*0.5</f><v>0.5</v>", x))
    reading = read_workbook(path)
    assert [(f.rule, f.cell) for f in reading.findings] == [("W3", "H8")]
    assert reading.filing["projects"][0]["funds"]["total"]["rate"] == 0.5


def test_stale_or_missing_cached_values_are_recomputed(tmp_path, seed_book, seed_data):
    part = sheet_part(seed_book, "附件3-1")
    stale = rewrite_part(seed_book, tmp_path / "旧值.xlsx", part,
                         lambda x: re.sub(rb'(<c r="I8"[^>]*><f>[^<]*</f>)<v>10(\.0)?</v>', rb"\1<v>3</v>", x))
    assert re.search(rb'<c r="I8"[^>]*><f>[^<]*</f><v>3</v>', zipfile.ZipFile(stale).read(part))
    assert read_workbook(stale).filing["projects"][0]["funds"]["total"]["score"] == 10
    # openpyxl saves formulas without cached values, as tools that do not calculate do
    missing = edited_copy(seed_book, tmp_path / "无缓存.xlsx", lambda book: None)
    reading = read_workbook(missing)
    assert diff(normalise_filing(seed_data), normalise_filing(reading.filing)) == []
    assert reading.findings == []


def test_unknown_profile_in_settings(tmp_path, seed_book):
    def edit(book):
        sheet = book["使用说明"]
        for row in sheet.iter_rows():
            if row[1].value == "规则配置":
                row[2].value = "不存在"
    _refused(edited_copy(seed_book, tmp_path / "配置.xlsx", edit), "使用说明", "规则配置“不存在”")


def test_guide_sheet_deleted_still_reads(tmp_path, seed_book, seed_data):
    path = edited_copy(seed_book, tmp_path / "无说明.xlsx", lambda b: b.remove(b["使用说明"]))
    assert diff(normalise_filing(seed_data), normalise_filing(read_workbook(path).filing)) == []


def test_unscorable_rows_in_formula_cells_are_w2(tmp_path):
    filing = {"format": "perfeval.filing/1", "year": 2023, "unit": "测试单位", "projects": [],
              "department": {"name": "测试单位", "funds": {"total": {"initial": 100, "full_year": 100,
                                                                   "executed": 100, "points": 10}},
                             "indicators": [{"level1": "产出指标", "level2": "数量指标", "level3": "出车次数",
                                             "target": "大于14000次", "actual": "大于14000次", "points": 50},
                                            {"level1": "效益指标", "level2": "社会效益指标", "level3": "群众满意",
                                             "target": "保持", "actual": "有所提高", "points": 40}]}}
    path = build_workbook(filing, tmp_path / "w2.xlsx")  # no filed scores: every result is a formula
    reading = read_workbook(path)
    w2 = {f.cell: f.message for f in reading.findings if f.rule == "W2"}
    assert set(w2) == {"H16", "H17"}  # the rows; the total's error follows from them
    assert "目标式表述" in w2["H16"] and "评价档次" in w2["H17"]
    assert reading.filing["department"]["indicators"][1]["score"] == "#N/A"
    assert reading.filing["department"]["total"]["score"] == "#VALUE!"  # the first error it met


def test_grids_without_formula_information(seed_book, seed_data):
    """What the 校验 button passes: values as displayed, read through xlwings (no formulas)."""
    import openpyxl

    book = openpyxl.load_workbook(seed_book, data_only=True, read_only=True)
    grids = {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    reading = read_grids(grids)
    assert diff(normalise_filing(seed_data), normalise_filing(reading.filing)) == []
    assert reading.findings == []
    assert reading.locate("/projects/2/funds/total/rate") == ("附件3-3", "H8")
    grids["附件3-1"][14][7] = "#N/A"  # H15 shows an error
    reading = read_grids(grids)
    assert [(f.rule, f.cell) for f in reading.findings] == [("W2", "H15")]
    with pytest.raises(FilingError, match="附件1"):
        read_grids({"Sheet1": [["x"]]})
    grid = SheetGrid.from_rows([[None, "a"]], [[None, "=A1"]])
    assert grid.get("B1") == "a" and grid.formula("B1") == "=A1"


def test_formulas_typed_into_input_cells(tmp_path, seed_book):
    import openpyxl

    part = sheet_part(seed_book, "附件3-1")

    def edit(book):
        book["附件3-1"]["E8"] = "=300+100"
    unsaved = edited_copy(seed_book, tmp_path / "未保存结果.xlsx", edit)  # openpyxl keeps no result
    reading = read_workbook(unsaved)
    assert [(f.rule, f.cell) for f in reading.findings if f.rule == "W3"] == [("W3", "E8")]
    assert reading.filing["projects"][0]["funds"]["total"]["full_year"] is None
    # with a saved result (as Excel, WPS and LibreOffice save), the result is the input
    with_value = rewrite_part(unsaved, tmp_path / "有结果.xlsx", part,
                              lambda x: re.sub(rb'<c r="E8"([^>]*)><f>([^<]*)</f>(<v></v>|<v/>)?</c>',
                                               rb'<c r="E8"\1><f>\2</f><v>400</v></c>', x))
    assert b"<v>400</v>" in zipfile.ZipFile(with_value).read(part)
    reading = read_workbook(with_value)
    assert reading.filing["projects"][0]["funds"]["total"]["full_year"] == 400
    assert not [f for f in reading.findings if f.rule == "W3"]
    assert openpyxl.load_workbook(with_value)["附件3-1"]["E8"].value == "=300+100"


def test_number_typed_into_an_empty_rows_score(tmp_path, seed_book):
    def edit(book):
        book["附件3-4"]["H27"] = 5  # row 27 has no indicator
    reading = read_workbook(edited_copy(seed_book, tmp_path / "空行得分.xlsx", edit))
    assert [(f.rule, f.sheet, f.cell, f.pointer) for f in reading.findings] == \
        [("W1", "附件3-4", "H27", "/projects/3/indicators")]
    assert len(reading.filing["projects"][3]["indicators"]) == 10


def test_exported_values_only_tables_are_named_as_such(tmp_path, seed_data):
    path = build_workbook(seed_data, tmp_path / "绩效自评表.xlsx", values_only=True)
    with pytest.raises(FilingError, match="导出的绩效自评表"):
        read_workbook(path)


def test_one_project_limit_for_building_and_reading():
    """The builder and the reader share one limit (workbook/limits.py) and say it in Chinese."""
    from workbook.limits import MAX_PROJECTS
    from workbook.plan import plan_workbook
    from workbook.reader import read_grids

    with pytest.raises(FilingError, match=f"最多 {MAX_PROJECTS} 张项目表"):
        plan_workbook(None, projects=MAX_PROJECTS + 1)
    grids = {"附件1": [[None]], **{f"附件3-{n}": [[None]] for n in range(1, MAX_PROJECTS + 2)}}
    with pytest.raises(FilingError, match=f"最多 {MAX_PROJECTS} 张项目表"):
        read_grids(grids)
