"""perfeval validate over several files and folders: the same findings per file as one file at a
time, JSON Lines, a one-line summary, exit codes, workers that die."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from review_support import CORRECTED, SEED, make_review_folder

import macros.batch as batch
from macros.cli import main
from macros.discover import discover


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["validate", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return make_review_folder(tmp_path_factory.mktemp("batch"), workbook=False, corpus=False)  # with a Word filing, a package and its zip


def test_json_lines_equal_single_file_validate(folder, capsys):
    code, out, err = _run(capsys, str(folder), "--json", "-j", "2")
    assert code == 2  # the broken files
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["file"] for line in lines] == discover([folder]).files  # input order, whatever finished first
    readable = [line for line in lines if "error" not in line]
    assert len(readable) == 9  # seed, corrected, four corpus-like, the Word filing, the package folder and zip
    for line in readable:
        code, single, _ = _run(capsys, line["file"], "--json")
        assert json.loads(single) == {"findings": line["findings"], "summary": line["summary"]}
        assert code == (1 if line["summary"]["errors"] else 0)
    broken = {Path(line["file"]).name: line["error"] for line in lines if "error" in line}
    assert "空文件" in broken["空.json"] and len(broken) == 7
    assert err.count("\n") == 1 and "共校验 16 个文件" in err and "7 个无法读取" in err  # the summary on stderr


def test_one_worker_and_two_give_the_same_output(folder, capsys):
    one = _run(capsys, str(folder), "-j", "1")
    two = _run(capsys, str(folder), "-j", "2")
    strip = lambda text: [line for line in text.splitlines() if not line.startswith("共校验")]  # noqa: E731
    assert one[0] == two[0] == 2 and strip(one[1]) == strip(two[1])
    assert "校验：" in one[1] and "无法读取：" in one[1] and "另有 1 个不是填报的文件未校验" in one[1]


def test_exit_codes_and_summary_line(tmp_path, capsys):
    shutil.copy(CORRECTED, tmp_path / "a.json")
    code, out, _ = _run(capsys, str(tmp_path))
    assert code == 0 and out.strip().splitlines()[-1].startswith("共校验 1 个文件：0 个有错误，0 个无法读取")
    shutil.copy(SEED, tmp_path / "b.json")
    code, out, _ = _run(capsys, str(tmp_path / "a.json"), str(tmp_path / "b.json"))
    assert code == 1 and "共校验 2 个文件：1 个有错误" in out
    (tmp_path / "c.json").write_text("[", encoding="utf-8")
    code, out, _ = _run(capsys, str(tmp_path))
    assert code == 2 and out.strip().endswith(f"无法读取：{tmp_path / 'c.json'}")
    code, _, err = _run(capsys, str(tmp_path / "a.json"), str(tmp_path / "nowhere.json"))
    assert code == 2 and "找不到" in err


def test_single_file_json_keeps_its_shape(capsys):
    code, out, _ = _run(capsys, str(CORRECTED), "--json")
    assert code == 0 and set(json.loads(out)) == {"findings", "summary"}


def test_unknown_profile_and_bad_jobs_are_one_chinese_line(folder, capsys):
    code, _, err = _run(capsys, str(folder), "--profile", "没有这个配置")
    assert code == 2 and err.startswith("perfeval：") and "Traceback" not in err
    with pytest.raises(SystemExit) as stopped:
        main(["validate", str(folder), "-j", "0"])
    assert stopped.value.code == 2 and "进程数" in capsys.readouterr().err


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the dying worker is patched in through fork")
def test_a_worker_that_dies_costs_only_its_file(tmp_path, monkeypatch):
    for i in range(6):
        shutil.copy(CORRECTED, tmp_path / f"{i}.json")
    real = batch.examine

    def dying(path: str, profile: str | None = None):
        if path.endswith("3.json"):
            os._exit(3)
        return real(path, profile)

    monkeypatch.setattr(batch, "examine", dying)
    paths = [str(tmp_path / f"{i}.json") for i in range(6)]
    results = list(batch.examine_all(paths, None, jobs=2))
    assert [r.path for r in results] == paths
    assert [r.readable for r in results] == [True, True, True, False, True, True]
    assert "意外退出" in results[3].reason
