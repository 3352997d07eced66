"""`perfeval import`: grid JSON in, filing out; what was recognised and what was not; exit codes;
atomic, never over an existing file; bad input is one Chinese line with nothing written."""

from __future__ import annotations

import json
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
    assert evaluate(filing).scores[1].total == 98.62


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
    ('{"format": "perfeval.filing/1"}', "缺少附件1"),
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
