"""Hostile and broken inputs (issue 15): every case of :mod:`hostile_cases` and
:mod:`hostile_workbook_cases`, run through the command line in a forked child with bounded address
space, CPU time and wall time (:mod:`hostile_runner`). Each case checks the exit code, the
field, sheet or cell its message names, that no traceback reached stderr, the time and memory it
took, that its inputs are unchanged and that nothing was written where it must not be."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import hostile_workbook_cases  # noqa: F401 - registers the workbook cases
import pytest
from hostile_cases import CASES, ERROR, Maker

from workbook.builder import build_workbook

ROOT = Path(__file__).parents[1]
MAX_PEAK_MB = 400  # memory a case may add to the runner (the seed's validate adds ~10 MB)


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory, seed_data):
    folder = tmp_path_factory.mktemp("hostile")
    maker = Maker(folder, seed_data, build_workbook(seed_data, folder / "seed.xlsx"))
    cases = {name: build(maker) for name, build in CASES.items()}
    before = {name: {p: _digest(p) for p in case.inputs} for name, case in cases.items()}
    listing = folder / "cases.json"
    listing.write_text(json.dumps([{"name": n, "argv": c.argv, "cwd": str(folder)} for n, c in cases.items()],
                                  ensure_ascii=False), encoding="utf-8")
    results = folder / "results.json"
    subprocess.run([sys.executable, str(ROOT / "tests" / "hostile_runner.py"), str(listing), str(results)],
                   check=True, timeout=1800, cwd=ROOT)
    return cases, before, json.loads(results.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input(name, outcomes):
    cases, before, results = outcomes
    case, result = cases[name], results[name]
    assert not result["killed"] and result["code"] is not None, result["stderr"][-2000:]
    assert "Traceback" not in result["stderr"], result["stderr"][-3000:]
    assert result["code"] == case.code, (result["code"], result["stderr"][-1000:])
    shown = result["stderr"] + result["stdout"]
    assert all(word in shown for word in case.words), (case.words, shown[-1000:])
    if case.code == ERROR:
        lines = result["stderr"].strip().splitlines()
        assert lines and lines[-1].startswith("perfeval：") and len(lines[-1]) < 500
    assert result["seconds"] < case.max_seconds
    assert result["peak_mb"] - results["baseline"]["peak_mb"] < MAX_PEAK_MB
    assert {p: _digest(p) for p in case.inputs} == before[name]  # inputs are never changed
    assert not [p for p in case.absent if p.exists()]
    if case.check is not None:
        case.check(result, results)


def test_negative_zero_is_never_printed():
    from xlfuncs.values import format_amount, format_rate

    assert format_amount(-0.001) == "0.00" and format_amount(-0.5) == "-0.50"
    assert format_rate(-0.00001) == "0.0%" and format_rate(-0.5) == "-50.0%"
