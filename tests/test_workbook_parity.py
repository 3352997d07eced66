"""The same filing, the same findings: validating a filing JSON and validating the master workbook
built from it report the same (rule, pointer) set, for the seed, the corrected seed and random
edits of them (hypothesis), within what a workbook can hold.

Two allowed differences, inherent and tested below:

* A number no cell can hold (NaN, ±Infinity, from the JSON literals or 1e400) is kept in the cell
  as the text the JSON spells it with (:func:`as_the_workbook_holds_it`). Validating the JSON sees
  a number there; where the engine reads a number and a text differently (an indicator's 年度指标值
  or 实际完成值) the findings differ. In amounts, points and rates both are unreadable (V1).
* An indicator row after the last one with any input (一级指标 … 分值, 偏差原因) that holds only a
  score (:func:`score_after_the_inputs`): in the workbook a row is an indicator by its inputs, and
  the score column of a row without them is the form's own formula (0 in a spare row); the score
  alone is read as a number typed into a spare row (W1) or as that formula.

Indicator rows after the last filled one with every field empty look inherent too (the workbook
cannot tell them from its spare rows) but give no difference: the engine does not report empty
indicator rows in a filing either (tested below).
"""

from __future__ import annotations

import copy
import json
import math
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from macros.session import open_session
from workbook.builder import build_workbook
from xlfuncs.values import as_typed

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


def as_the_workbook_holds_it(value: Any) -> Any:
    """The allowed difference: every non-finite number as the text the workbook keeps for it."""
    if isinstance(value, float) and not math.isfinite(value):
        return as_typed(value)
    if isinstance(value, dict):
        return {k: as_the_workbook_holds_it(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_the_workbook_holds_it(v) for v in value]
    return value


INPUT_KEYS = ("level1", "level2", "level3", "target", "actual", "points", "deviation")


def score_after_the_inputs(filing: dict) -> bool:
    """The second allowed difference: a row after a table's last row with inputs holds a score."""
    for table in _tables(filing):
        rows = table["indicators"]
        last = max((i for i, row in enumerate(rows) if any(row.get(k) not in (None, "") for k in INPUT_KEYS)),
                   default=-1)
        if any(row.get("score") not in (None, "") for row in rows[last + 1:]):
            return True
    return False


def _pairs(path: Path) -> set[tuple[str, str]]:
    return {(f.rule, f.pointer) for f in open_session(path).findings}


def _compare(filing: dict, folder: Path) -> tuple[set, set]:
    """(findings of the JSON, findings of the workbook built from it). The workbook's own rules
    (W: typed over, error values, unreadable cells) must not fire on a workbook perfeval just
    built, so the sets compare as they are."""
    source = folder / "填报.json"
    source.write_text(json.dumps(as_the_workbook_holds_it(filing), ensure_ascii=False), encoding="utf-8")
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


@pytest.mark.parametrize("key", ["target", "actual"])
def test_the_allowed_difference_is_needed_and_only_where_text_is_read(key, seed, tmp_path):
    seed["department"]["indicators"][0][key] = math.inf
    raw = tmp_path / "原样.json"
    raw.write_text(json.dumps(seed, ensure_ascii=False), encoding="utf-8")
    as_filed, from_book = _pairs(raw), _pairs(build_workbook(seed, tmp_path / "主表.xlsx"))
    assert as_filed != from_book and all(p.startswith("/department/") for _, p in as_filed ^ from_book)
    assert _compare(seed, tmp_path) == (from_book, from_book)


def test_a_score_alone_after_the_last_indicator_is_a_spare_row(seed, tmp_path):
    rows = seed["projects"][0]["indicators"]
    rows.append({**dict.fromkeys(INDICATOR_KEYS), "score": "5"})
    assert score_after_the_inputs(seed)
    raw = tmp_path / "原样.json"
    raw.write_text(json.dumps(seed, ensure_ascii=False), encoding="utf-8")
    as_filed, from_book = _pairs(raw), _pairs(build_workbook(seed, tmp_path / "主表.xlsx"))
    row = f"/projects/0/indicators/{len(rows) - 1}/"
    assert {p for _, p in as_filed - from_book if "/indicators/" in p} == {
        p for _, p in as_filed if p.startswith(row)} != set()  # the JSON: 三级指标为空 … on that row
    assert ("W1", "/projects/0/indicators") in from_book  # the workbook: a number in a spare row's score


def test_in_amounts_a_non_finite_number_needs_no_allowance(seed, tmp_path):
    seed["projects"][0]["funds"]["total"]["executed"] = math.nan
    raw = tmp_path / "原样.json"
    raw.write_text(json.dumps(seed, ensure_ascii=False), encoding="utf-8")
    as_filed = _pairs(raw)
    assert ("V1", "/projects/0/funds/total/executed") in as_filed
    assert as_filed == _pairs(build_workbook(seed, tmp_path / "主表.xlsx"))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_random_edits_give_the_same_findings(data, seed_data, corrected_data):
    filing = data.draw(filings(seed_data, corrected_data))
    assume(not score_after_the_inputs(filing))
    with tempfile.TemporaryDirectory(prefix="perfeval-parity-") as folder:
        json_findings, book_findings = _compare(filing, Path(folder))
    assert json_findings == book_findings
