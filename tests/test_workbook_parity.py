"""The same filing, the same findings: validating a filing JSON and validating the master workbook
built from it report the same (rule, pointer) set, for the seed, the corrected seed and random
edits of them (hypothesis), within what a workbook can hold.

There is no allowed difference. The one that looked inherent, indicator rows after the last filled
one with every field empty (the workbook cannot tell them from its spare rows), gives none: the
engine does not report empty indicator rows in a filing either (tested below).
"""

from __future__ import annotations

import copy
import json
import math
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from macros.session import open_session
from workbook.builder import build_workbook

INDICATOR_KEYS = ("level1", "level2", "level3", "target", "actual", "points", "score", "deviation")
FUND_KEYS = ("initial", "full_year", "executed", "points", "rate", "score")
# what people file: blanks, numbers as numbers and as text (with units, full-width spaces, percent),
# dashes, words, values no cell can hold as a number, perfeval's own error codes typed as text
VALUES = st.sampled_from([
    None, "", "  ", "0", 0, 5, 12.5, -3, "10", "10分", "　400", "523.12万", "100%", "0.5", "—", "abc",
    "大于13万", "保持", "及时完成", "#VALUE!", "=1+1", True, 1e20, math.inf, math.nan,
    "第一行\r\n第二行", "软换行\x0b之后", "_x000D_字面",
])
GRADES = st.sampled_from(["优", "良", "中", "差", "优秀", None, ""])


def _tables(filing: dict) -> list[dict]:
    return [filing["department"], *filing["projects"]]


@st.composite
def filings(draw, seed: dict, corrected: dict) -> dict:
    """The seed or the corrected seed with one to five edits a person might make."""
    filing = copy.deepcopy(draw(st.sampled_from([seed, corrected])))
    for _ in range(draw(st.integers(1, 5))):
        table = draw(st.sampled_from(_tables(filing)))
        rows = table["indicators"]
        kind = draw(st.sampled_from(["indicator", "indicator", "empty row", "fund", "total", "text", "rows"]))
        if kind == "indicator" and rows:
            draw(st.sampled_from(rows))[draw(st.sampled_from(INDICATOR_KEYS))] = draw(VALUES)
        elif kind == "empty row" and rows:  # a row of nulls, between filled rows or after them
            if draw(st.booleans()):
                rows[draw(st.integers(0, len(rows) - 1))] = dict.fromkeys(INDICATOR_KEYS)
            else:
                rows.append(dict.fromkeys(INDICATOR_KEYS))
        elif kind == "fund":
            row = draw(st.sampled_from([k for k in table["funds"] if k in ("total", "current_year", "carried_over",
                                                                           "other")]))
            table["funds"][row][draw(st.sampled_from(FUND_KEYS))] = draw(VALUES)
        elif kind == "total":
            key = draw(st.sampled_from(["points", "score", "grade"]))
            table["total"][key] = draw(GRADES if key == "grade" else VALUES)
        elif kind == "text":
            target, key = draw(st.sampled_from([(filing, "unit"), (filing, "year"), (table, "name")]))
            target[key] = draw(VALUES)
        elif kind == "rows" and rows:
            if draw(st.booleans()):
                rows.append(copy.deepcopy(draw(st.sampled_from(rows))))
            else:
                rows.pop(draw(st.integers(0, len(rows) - 1)))
    return filing


def _pairs(path: Path) -> set[tuple[str, str]]:
    return {(f.rule, f.pointer) for f in open_session(path).findings}


def _compare(filing: dict, folder: Path) -> tuple[set, set]:
    """(findings of the JSON, findings of the workbook built from it). The workbook's own rules
    (W: typed over, error values, unreadable cells) must not fire on a workbook perfeval just
    built, so the sets compare as they are."""
    source = folder / "填报.json"
    source.write_text(json.dumps(filing, ensure_ascii=False), encoding="utf-8")
    return _pairs(source), _pairs(build_workbook(filing, folder / "主表.xlsx"))


@pytest.mark.parametrize("name", ["seed_data", "corrected_data"])
def test_seed_and_corrected_seed(name, request, tmp_path):
    json_findings, book_findings = _compare(request.getfixturevalue(name), tmp_path)
    assert json_findings == book_findings and json_findings


def _zero_target_no_score(f: dict) -> None:
    f["projects"][0]["indicators"][0].update(target="0", actual="0", score=None)


def _row_of_nulls(f: dict) -> None:
    f["projects"][0]["indicators"][1] = dict.fromkeys(INDICATOR_KEYS)


def _scores_without_inputs(f: dict) -> None:
    f["projects"][1]["indicators"][2].update(target=None, actual=None, points=None)
    f["projects"][1]["funds"]["total"].update(initial=None, full_year=None, executed=None)


@pytest.mark.parametrize("edit", [_zero_target_no_score, _row_of_nulls, _scores_without_inputs])
def test_the_cases_that_differed(edit, seed, tmp_path):
    """Once E7 in JSON but W2 + a V1 quoting #VALUE! in the workbook; a row silently dropped;
    scores filed without inputs computed differently."""
    edit(seed)
    json_findings, book_findings = _compare(seed, tmp_path)
    assert json_findings == book_findings


@pytest.mark.parametrize("where", ["between", "after the last", "two after the last"])
def test_empty_rows_anywhere(where, seed, tmp_path):
    rows = seed["projects"][0]["indicators"]
    empty = dict.fromkeys(INDICATOR_KEYS)
    if where == "between":
        rows[3] = empty
    else:
        rows.extend([empty, dict(empty)] if where.startswith("two") else [empty])
    json_findings, book_findings = _compare(seed, tmp_path)
    assert json_findings == book_findings


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_random_edits_give_the_same_findings(data, seed_data, corrected_data):
    filing = data.draw(filings(seed_data, corrected_data))
    with tempfile.TemporaryDirectory(prefix="perfeval-parity-") as folder:
        json_findings, book_findings = _compare(filing, Path(folder))
    assert json_findings == book_findings
