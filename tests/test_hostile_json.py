"""Hostile and broken filing JSON (issue 15), generated at test time: every case ends in a clear
Chinese line (exit 2) or a correct result, machine output stays strict JSON, nothing hangs."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from macros.cli import main
from xlfuncs.jsonio import MAX_DEPTH

ROOT = Path(__file__).parents[1]


def _strict(text: str):
    def refuse(name: str):
        raise AssertionError(f"non-strict JSON constant {name}")
    return json.loads(text, parse_constant=refuse)


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, out.out, out.err


@pytest.fixture
def write(tmp_path):
    def _write(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        return path
    return _write


def _seed_text(seed: dict) -> str:
    return json.dumps(seed, ensure_ascii=False)


def test_integer_over_4300_digits_in_an_unknown_field_is_read(capsys, write, seed):
    path = write("big.json", _seed_text(seed)[:-1] + ', "extra": ' + "9" * 5000 + "}")
    code, out, err = _run(capsys, "validate", str(path), "--json")
    assert code == 1 and not err  # the seed's own errors; the huge number is simply kept
    _strict(out)


def test_400_digit_amount_is_unreadable_not_infinite(capsys, write, seed):
    seed["projects"][0]["funds"]["total"]["executed"] = "9" * 400
    path = write("amount.json", _seed_text(seed))
    code, out, _ = _run(capsys, "validate", str(path), "--json")
    found = _strict(out)["findings"]
    v1 = [f for f in found if f["rule"] == "V1" and f["pointer"] == "/projects/0/funds/total/executed"]
    assert v1 and "数值过大" in v1[0]["message"] and len(v1[0]["message"]) < 200


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_amounts_become_findings_and_null(capsys, write, seed, literal):
    seed["projects"][0]["funds"]["total"]["executed"] = "@"
    text = _seed_text(seed).replace('"executed": "@"', f'"executed": {literal}', 1)
    assert literal in text
    path = write("nan.json", text)
    code, out, _ = _run(capsys, "validate", str(path), "--json")
    payload = _strict(out)
    assert any(f["rule"] == "V1" and f["pointer"].endswith("/funds/total/executed") for f in payload["findings"])
    code, out, _ = _run(capsys, "score", str(path), "--json")
    _strict(out)


@pytest.mark.parametrize("year", ["1" + "0" * 400, "NaN", "1e400", "true", '"二〇二二"', "-5"])
def test_a_year_that_is_not_a_year_is_a_finding_everywhere(capsys, write, seed, tmp_path, year):
    path = write("year.json", _seed_text(seed).replace('"year": 2022', f'"year": {year}'))
    code, out, _ = _run(capsys, "validate", str(path), "--json")
    v1 = [f for f in _strict(out)["findings"] if f["pointer"] == "/year"]
    assert code == 1 and v1 and "年份" in v1[0]["message"] and len(v1[0]["message"]) < 80
    _strict(_run(capsys, "score", str(path), "--json")[1])
    code, _, _ = _run(capsys, "export", str(path), "-o", str(tmp_path / "out"), "--force", "--no-pdf")
    assert code == 0
    manifest = next((tmp_path / "out").glob("*/manifest.json"))
    assert _strict(manifest.read_text(encoding="utf-8"))["year"] is None
    assert _run(capsys, "new", "--from", str(path), "-o", str(tmp_path / "wb.xlsx"))[0] == 0


@pytest.mark.parametrize("depth", [MAX_DEPTH + 5, 600, 900, 5000])
@pytest.mark.parametrize("command", ["validate", "score", "export", "new"])
def test_deep_nesting_is_refused_by_every_command(capsys, write, seed, tmp_path, depth, command):
    text = _seed_text(seed)[:-1] + ', "x": ' + "[" * depth + "]" * depth + "}"
    path = write("deep.json", text)
    argv = {"validate": ["validate", str(path)], "score": ["score", str(path)],
            "export": ["export", str(path), "-o", str(tmp_path / "out"), "--force", "--no-pdf"],
            "new": ["new", "--from", str(path), "-o", str(tmp_path / "wb.xlsx")]}[command]
    code, _, err = _run(capsys, *argv)
    assert code == 2 and "嵌套层级过深" in err
    assert not (tmp_path / "out").exists() and not (tmp_path / "wb.xlsx").exists()


def test_duplicate_keys_are_reported(capsys, write, seed):
    text = _seed_text(seed).replace('"unit": ', '"unit": "别的单位", "unit": ', 1)
    path = write("dup.json", text)
    code, out, _ = _run(capsys, "validate", str(path), "--json")
    v2 = [f for f in _strict(out)["findings"] if f["rule"] == "V2"]
    assert [f["pointer"] for f in v2] == ["/unit"] and "不止一次" in v2[0]["message"]


def test_too_many_projects_are_refused_before_the_work(capsys, write, seed):
    from xlfuncs.filing import MAX_PROJECTS

    seed["projects"] = [copy.deepcopy(seed["projects"][0]) for _ in range(MAX_PROJECTS + 1)]
    path = write("many.json", _seed_text(seed))
    code, _, err = _run(capsys, "validate", str(path))
    assert code == 2 and str(MAX_PROJECTS) in err


def test_oversized_file_is_refused_by_its_size(capsys, tmp_path):
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:  # sparse: nothing is really written
        handle.truncate(200 * 1024 * 1024)
    code, _, err = _run(capsys, "validate", str(path))
    assert code == 2 and "上限" in err and "MB" in err


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="没有 /dev/zero")
def test_dev_zero_is_refused_at_once():
    done = subprocess.run([sys.executable, "-m", "macros", "validate", "/dev/zero"], capture_output=True,
                          text=True, timeout=30, cwd=ROOT)
    assert done.returncode == 2 and "不是普通文件" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="没有命名管道")
def test_fifo_never_blocks(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    done = subprocess.run([sys.executable, "-m", "macros", "validate", str(fifo)], capture_output=True,
                          text=True, timeout=30, cwd=ROOT)
    assert done.returncode == 2 and "不是普通文件" in done.stderr


def test_negative_zero_is_never_printed():
    from xlfuncs.values import format_amount, format_rate

    assert format_amount(-0.001) == "0.00" and format_amount(-0.5) == "-0.50"
    assert format_rate(-0.00001) == "0.0%" and format_rate(-0.5) == "-50.0%"
