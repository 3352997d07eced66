"""`perfeval import`: grid JSON in, filing out; what was recognised and what was not; exit codes;
atomic, never over an existing file; bad input is one Chinese line with nothing written."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from macros.cli import main
from xlfuncs.engine import evaluate

CORPUS = Path(__file__).parent / "corpus"
B01 = CORPUS / "b01_shanghai_putuo_tiyu_jiesuan.json"
B08 = CORPUS / "b08_hubei_qu_yuye_chengpinyou.json"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_import_writes_a_filing_and_says_what_it_recognised(capsys, tmp_path):
    out_file = tmp_path / "填报.json"
    code, out, err = run(capsys, "import", str(B01), str(B08), "-o", str(out_file))
    assert code == 0 and err == ""
    filing = json.loads(out_file.read_text("utf-8"))
    assert [p["form"]["family"] for p in filing["projects"]] == ["10hao", "hubei-2020"]
    assert "附件3-1 项目支出绩效自评表，表式 10hao" in out and "hubei-2020" in out
    assert "所有单元格均已归位" in out and "只有项目支出绩效自评表" in out
    scores = {s.label: s.total for s in evaluate(filing).scores}  # no 附件1: the projects only
    assert scores == {"附件3-1": 98.62, "附件3-2": 100}


def test_explain_names_the_cell_of_every_value(capsys, tmp_path):
    code, out, _ = run(capsys, "import", str(B01), "-o", str(tmp_path / "f.json"), "--explain")
    assert code == 0
    assert "/projects/0/funds/total/executed = “215,457.6” ← " in out
    assert f"{B01.name} 表1 第6行第6列" in out


def test_unplaced_cells_are_listed_and_exit_1(capsys, tmp_path):
    grid = json.loads(B01.read_text("utf-8"))
    grid["grid"].insert(6, ["这一行不属于任何栏目", None, None, "备忘：另有合同", "", "", "", "", ""])
    source = tmp_path / "改动.json"
    source.write_text(json.dumps(grid, ensure_ascii=False), "utf-8")
    code, out, _ = run(capsys, "import", str(source), "-o", str(tmp_path / "f.json"))
    assert code == 1
    assert "无法归位的单元格：2 个" in out and "另有合同" in out and "第7行第4列" in out
    filing = json.loads((tmp_path / "f.json").read_text("utf-8"))
    assert any(f.rule == "I1" for f in evaluate(filing).findings)


def test_never_overwrites_without_force(capsys, tmp_path):
    target = tmp_path / "已有.json"
    target.write_text("原有内容", "utf-8")
    code, _, err = run(capsys, "import", str(B01), "-o", str(target))
    assert code == 2 and "已存在" in err and "--force" in err
    assert target.read_text("utf-8") == "原有内容"
    code, _, _ = run(capsys, "import", str(B01), "-o", str(target), "--force")
    assert code == 0 and json.loads(target.read_text("utf-8"))["format"] == "perfeval.filing/1"


@pytest.mark.parametrize(("content", "words"), [
    ("", "空文件"),
    ("{not json", "不是有效的 JSON"),
    ('{"grid": [["1' + "0" * 5000 + '"]]}', "没有找到可识别"),
    ('{"grid": [[' + "9" * 5000 + ']]}', "没有找到可识别"),
    ('{"grid": [[NaN]]}', "文字或 null"),
    ("[" * 10000 + "]" * 10000, "嵌套层级过深"),
    ('{"rows": []}', "也不是表格网格"),
    ('{"grid": [["a", true]]}', "逻辑值"),
    ('{"grid": "abc"}', "行的数组"),
    ('{"grid": [["财务报表", "金额"], ["办公费", "12"]]}', "没有找到可识别的绩效自评表"),
    ('{"format": "perfeval.filing/1"}', "没有可校验的表格"),
    ('[{"format": "perfeval.filing/1"}]', "顶层应为对象"),
])
def test_bad_input_is_one_chinese_line_and_nothing_written(capsys, tmp_path, content, words):
    source = tmp_path / "坏.json"
    source.write_text(content, "utf-8")
    target = tmp_path / "out.json"
    code, out, err = run(capsys, "import", str(source), "-o", str(target))
    assert code == 2 and words in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not target.exists() and out == ""


def test_missing_input_and_output_equal_to_input(capsys, tmp_path):
    code, _, err = run(capsys, "import", str(tmp_path / "无.json"), "-o", str(tmp_path / "o.json"))
    assert code == 2 and "找不到文件" in err
    copy = tmp_path / "b01.json"
    copy.write_text(B01.read_text("utf-8"), "utf-8")
    code, _, err = run(capsys, "import", str(copy), "-o", str(copy))
    assert code == 2 and "与输入相同" in err


# ------------------------------------------------------------------ every format, several files, bad input


def _seed_files(folder: Path, seed: dict) -> dict[str, Path]:
    """The seed split the way a bureau receives it: 附件1 in Excel, the projects in Word, the
    department report as a web page."""
    from document_renders import Para, write_docx, write_html, write_xlsx
    from seed_document import department_grid, project_grid, report_paragraphs

    department = write_xlsx(folder / "附件1.xlsx", [("附件1", department_grid(seed))])
    blocks: list = []
    for number, project in enumerate(seed["projects"], start=1):
        blocks += [Para(f"附件3-{number}"), project_grid(seed, project)]
        blocks += [Para(f"附件4-{number}")] + report_paragraphs(project["report"]["text"])
    projects = write_docx(folder / "项目.docx", blocks)
    report = write_html(folder / "附件2.html", [Para("附件2")] + report_paragraphs(seed["department_report"]["text"]))
    return {"department": department, "projects": projects, "report": report}


def test_several_files_of_several_formats_make_one_filing(capsys, tmp_path, seed):
    from workbook.normalise import normalise_filing

    files = _seed_files(tmp_path, seed)
    out_file = tmp_path / "合并.json"
    code, out, err = run(capsys, "import", str(files["report"]), str(files["projects"]), str(files["department"]),
                         "-o", str(out_file))
    assert code == 0 and err == ""
    assert "附件1.xlsx 附件1 表1：附件1 部门整体支出绩效自评表" in out
    assert "项目.docx 表5：附件3-5 项目支出绩效自评表" in out and "附件2.html 第2段：附件2 自评报告" in out
    filing = json.loads(out_file.read_text("utf-8"))
    assert normalise_filing(filing) == normalise_filing(seed)
    assert filing["trace"]["/department/funds/total/executed"]["file"] == "附件1.xlsx"
    assert filing["trace"]["/projects/4/report/text"]["file"] == "项目.docx"


def test_without_output_nothing_is_written(capsys, tmp_path, seed):
    files = _seed_files(tmp_path, seed)
    before = sorted(tmp_path.iterdir())
    code, out, _ = run(capsys, "import", str(files["projects"]), "--explain")
    assert code == 0 and "未写出文件" in out and "/projects/0/name = “水电维修费” ← 项目.docx 表1 第3行第2列" in out
    assert sorted(tmp_path.iterdir()) == before


def test_a_filing_json_needs_no_import_but_makes_a_workbook(capsys, tmp_path):
    seed = Path(__file__).parents[1] / "xlfuncs" / "data" / "lukou-2022.json"
    code, _, err = run(capsys, "import", str(seed), "-o", str(tmp_path / "x.json"))
    assert code == 2 and "已是 perfeval.filing/1 填报文件，不需要导入" in err and not (tmp_path / "x.json").exists()
    code, out, _ = run(capsys, "import", str(seed), "-o", str(tmp_path / "主工作簿.xlsx"))
    assert code == 0 and (tmp_path / "主工作簿.xlsx").is_file()


def _bad_documents(folder: Path) -> dict[str, tuple[Path, str]]:
    import docx
    from document_renders import Para, write_docx
    from msoffcrypto.format.ooxml import OOXMLFile
    from PIL import Image

    good = write_docx(folder / "好.docx", [Para("附件3-1"), [["项目名称", "水电维修费"], ["年度资金总额", "400"]]])
    broken = folder / "损坏.docx"
    broken.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    locked = folder / "加密.docx"
    with good.open("rb") as source, locked.open("wb") as target:
        OOXMLFile(source).encrypt("secret", target)
    scan = folder / "扫描件.pdf"
    Image.new("RGB", (600, 800), "white").save(scan, "PDF")
    picture = folder / "照片.docx"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    letter = folder / "通知.docx"
    document = docx.Document()
    document.add_paragraph("关于报送绩效自评材料的通知")
    document.add_table(rows=2, cols=2).cell(0, 0).text = "联系人"
    document.save(str(letter))
    other_zip = folder / "资料.zip"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("说明.txt", "不是材料包")
    return {"corrupt": (broken, "已损坏"), "encrypted": (locked, "设置了打开密码"), "scanned": (scan, "没有文字层"),
            "renamed picture": (picture, "PNG 图片"), "no form": (letter, "没有找到可识别的绩效自评表"),
            "other zip": (other_zip, "其他压缩文件"), "folder": (folder / "空文件夹", "不是 perfeval 导出的材料包")}


@pytest.mark.parametrize("case", ["corrupt", "encrypted", "scanned", "renamed picture", "no form", "other zip", "folder"])
@pytest.mark.parametrize("suffix", [".json", ".xlsm"])
def test_bad_documents_are_one_chinese_line_exit_2_nothing_written(capsys, tmp_path, case, suffix):
    (tmp_path / "空文件夹").mkdir()
    path, words = _bad_documents(tmp_path)[case]
    target = tmp_path / f"输出{suffix}"
    code, out, err = run(capsys, "import", str(path), "-o", str(target))
    assert code == 2 and words in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert out == "" and not target.exists()
    assert not any(p.name.startswith(".输出") for p in tmp_path.iterdir())  # no temporary file left either


@pytest.mark.parametrize(("extra", "words"), [("主工作簿.xlsx", "是主工作簿，它本身就是一份完整的填报"),
                                              ("填报.json", "是填报 JSON 文件，它本身就是一份完整的填报")])
def test_a_whole_filing_cannot_be_mixed_with_documents(capsys, tmp_path, seed, extra, words):
    from xlfuncs.filing import save_filing

    files = _seed_files(tmp_path, seed)
    whole = tmp_path / extra
    if extra.endswith(".json"):
        save_filing(seed, whole)
    else:
        from macros.cmd_new import write_master_workbook

        write_master_workbook(seed, whole, "plain", 5, "default")
    code, _, err = run(capsys, "import", str(files["projects"]), str(whole), "-o", str(tmp_path / "o.json"))
    assert code == 2 and words in err and not (tmp_path / "o.json").exists()


@pytest.mark.parametrize(("name", "words"), [("填报.txt", "应以 .json（填报 JSON）、.xlsm"),
                                             ("填报.docx", "应以 .json（填报 JSON）、.xlsm")])
def test_output_must_be_json_or_a_workbook(capsys, tmp_path, name, words):
    code, _, err = run(capsys, "import", str(B01), "-o", str(tmp_path / name))
    assert code == 2 and words in err and not (tmp_path / name).exists()


def test_a_package_manifest_cannot_reach_outside(capsys, tmp_path):
    """Names in a package's manifest are untrusted: paths that climb out or into folders are not read,
    and nothing is unpacked anywhere but a temporary folder."""
    package = tmp_path / "某单位_2022_绩效自评材料.zip"
    manifest = {"format": "perfeval.package/1", "tables_file": "../../逃出.xlsx",
                "reports": [{"file": "../外面.docx"}, {"file": "子/报告.docx"}],
                "files": [{"path": "../../逃出.xlsx"}, {"path": "../外面.docx"}, {"path": "子/报告.docx"}]}
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("某单位_2022_绩效自评材料/manifest.json", json.dumps(manifest, ensure_ascii=False))
        archive.writestr("../外面.docx", b"PK\x03\x04")
    code, out, err = run(capsys, "import", str(package), "-o", str(tmp_path / "o.json"))
    assert code == 2 and "其中没有绩效自评表.xlsx 或报告 .docx 可以导入" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == [package.name]
    assert not (tmp_path.parent / "外面.docx").exists() and not (tmp_path.parent.parent / "逃出.xlsx").exists()


def test_a_package_manifest_that_is_not_json(capsys, tmp_path):
    folder = tmp_path / "材料"
    folder.mkdir()
    (folder / "manifest.json").write_text("{不是 JSON", encoding="utf-8")
    code, _, err = run(capsys, "import", str(folder), "-o", str(tmp_path / "o.json"))
    assert code == 2 and "manifest.json 不是有效的 JSON" in err and not (tmp_path / "o.json").exists()


def test_new_from_a_document_says_what_it_could_not_place(capsys, tmp_path):
    """``perfeval new --from`` reads like ``perfeval import``: the cells it could not place are listed
    and the exit code says so (the workbook holds only what was placed)."""
    grid = json.loads(B01.read_text("utf-8"))
    grid["grid"].insert(6, ["这一行不属于任何栏目", None, None, "备忘：另有合同", "", "", "", "", ""])
    source = tmp_path / "改动.json"
    source.write_text(json.dumps(grid, ensure_ascii=False), "utf-8")
    code, out, _ = run(capsys, "new", "--from", str(source), "-o", str(tmp_path / "主表.xlsx"))
    assert code == 1 and (tmp_path / "主表.xlsx").is_file()
    assert "无法归位的单元格：2 个" in out and "另有合同" in out and "已生成主工作簿" in out
    code, out, _ = run(capsys, "new", "--from", str(B01), "-o", str(tmp_path / "原样.xlsx"))
    assert code == 0 and "所有单元格均已归位" in out
