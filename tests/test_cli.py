"""The command line: exit codes, JSON shape, Chinese one-line input errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from macros.cli import main

SEED_IN_PACKAGE = Path(__file__).parents[1] / "xlfuncs" / "data" / "lukou-2022.json"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_validate_seed_json(capsys):
    code, out, _ = run(capsys, "validate", str(SEED_IN_PACKAGE), "--json")
    assert code == 1
    payload = json.loads(out)
    assert payload["summary"]["errors"] == sum(f["severity"] == "error" for f in payload["findings"])
    keys = {"rule", "severity", "pointer", "message", "expected", "actual"}
    assert all(keys <= set(f) for f in payload["findings"])
    pairs = {(f["rule"], f["pointer"]) for f in payload["findings"]}
    assert ("A2", "/projects/2/funds/total/rate") in pairs
    assert ("F1", "/projects/2/report/text") in pairs


def test_validate_seed_human_output_groups_by_table(capsys):
    code, out, _ = run(capsys, "validate", str(SEED_IN_PACKAGE))
    assert code == 1
    assert "【附件1】" in out and "【附件3-3】" in out and "【附件4-3】" in out
    assert "1655.4%" in out


def test_validate_corrected_exits_0_and_scores_100(capsys, corrected_path):
    code, _, _ = run(capsys, "validate", str(corrected_path))
    assert code == 0
    code, out, _ = run(capsys, "score", str(corrected_path), "--json")
    assert code == 0
    tables = json.loads(out)["tables"]
    assert len(tables) == 6
    assert all(t["total"] == 100 and t["grade"] == "优" for t in tables)


def test_score_human_output(capsys, corrected_path):
    code, out, _ = run(capsys, "score", str(corrected_path))
    assert code == 0 and "总分：100，等级：优" in out


@pytest.mark.parametrize(("content", "fragment"), [
    (b"", "空文件"),
    (b"not json at all", "不是有效的 JSON"),
    (b'{"format": "other/1"}', "不是 perfeval.filing/1"),
    (b"[1, 2, 3]", "顶层应为对象"),
    (b'{"format": "perfeval.filing/1", "year": 2022, "unit": "x", "department": {"indicators": 5}, "projects": []}',
     "/department/indicators"),
    (b"\xff\xfe\x00garbage", "UTF-8"),
])
def test_unreadable_inputs_exit_2_with_one_chinese_line(tmp_path, capsys, content, fragment):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    code, out, err = run(capsys, "validate", str(path))
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0]
    assert "Traceback" not in err
    assert path.read_bytes() == content  # input untouched


def test_missing_file_and_unknown_profile(capsys, tmp_path, corrected_path):
    code, _, err = run(capsys, "validate", str(tmp_path / "nope.json"))
    assert code == 2 and "找不到文件" in err
    code, _, err = run(capsys, "validate", str(corrected_path), "--profile", "mars")
    assert code == 2 and "没有名为“mars”的规则配置" in err


def test_console_script_entry_point_runs_as_module():
    result = subprocess.run([sys.executable, "-m", "macros", "validate", str(SEED_IN_PACKAGE), "--json"],
                            capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert result.returncode == 1
    assert json.loads(result.stdout)["summary"]["errors"] > 0


def test_demo_builds_the_workbook_validates_and_exports_under_out(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "demo", "--no-pdf")
    assert code == 0
    assert "株洲市渌口区机关事务服务中心" in out and "共 21 个错误" in out and "（附件3-3!H8）" in out
    runs = list((tmp_path / "out").iterdir())
    assert len(runs) == 1
    assert (runs[0] / "绩效自评主表.xlsm").is_file()
    # the workbook shows the validation the demo ran: status line, 校验结果 rows, the marked cells
    import openpyxl

    book = openpyxl.load_workbook(runs[0] / "绩效自评主表.xlsm")
    assert "错误 21 个" in book["使用说明"]["C2"].value and book["校验结果"]["A4"].value == 1
    assert book["附件3-3"]["H8"].fill.fgColor.rgb == "FFFFC7CE"  # the filed 100 % the rules do not give
    assert oct((runs[0] / "绩效自评主表.xlsm").stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    package = runs[0] / "株洲市渌口区机关事务服务中心_2022_绩效自评材料"
    assert (package / "绩效自评表.xlsx").is_file() and (package / "manifest.json").is_file()
    assert package.with_suffix(".zip").is_file()
    code, _, _ = run(capsys, "demo", "--no-pdf")  # a second run goes to a new folder, nothing overwritten
    assert code == 0 and len(list((tmp_path / "out").iterdir())) == 2


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_rules_catalogue_listed(capsys):
    code, out, _ = run(capsys, "rules")
    assert code == 0 and "A1" in out and "F4" in out and "hubei" in out
