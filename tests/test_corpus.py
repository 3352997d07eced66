"""The corpus harness as tests (issue 8 acceptance): over the complete tables every listed problem
is found or out of reach with a reason; over all tables no warning or error lands on a fine item
or where no problem is listed; the recomputed scores match the review wherever it gives them.

A table waiting for a change can be listed below as ``xfail(strict=True)`` with the reason: when
the change lands it passes, the strict xfail turns red, and the entry must be removed — the lists
shrink by calibration, never by loosening the harness. ``python bench/corpus_report.py`` shows
every miss and false positive.
"""

from __future__ import annotations

import re

import pytest
from corpus_harness import FILES, load, run, summary

pytestmark = pytest.mark.corpus

# Tables still waiting for a change, each with the reason (strict xfail: when the change lands the
# test turns red and the entry must go). The engine's issue-8 work emptied these lists.
RECALL_PENDING: dict[str, str] = {}
FALSE_POSITIVE_PENDING: dict[str, str] = {}
SCORES_PENDING: dict[str, str] = {}


def _cases(pending: dict[str, str], complete_only: bool = False) -> list:
    cases = []
    for path in FILES:
        if complete_only and not load(path).get("complete"):
            continue
        key = path.stem[:3]
        marks = [pytest.mark.xfail(strict=True, reason=pending[key])] if key in pending else []
        cases.append(pytest.param(path, id=key, marks=marks))
    return cases


@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem[:3]) for p in FILES])
def test_every_review_item_is_machine_checkable(path):
    review = load(path)["review"]
    for problem in review["problems"]:
        assert bool(problem.get("expect")) != bool(problem.get("out_of_reach")), problem["where"]
        for expected in problem.get("expect") or []:
            assert expected["rule"] and expected["pointer"].startswith("/")
        if problem.get("added_by"):
            assert problem["added_by"] == "perfeval" and problem["why"]
    assert len(review["fine_at"]) == len(review["fine"])
    assert set(review["scores_expected"]) >= {"rate", "budget_score", "total", "grade"}


@pytest.mark.parametrize("path", _cases(RECALL_PENDING, complete_only=True))
def test_complete_tables_find_every_listed_problem(path):
    report = run(path)
    assert [p.where for p in report.missed] == []


@pytest.mark.parametrize("path", _cases(FALSE_POSITIVE_PENDING))
def test_no_warning_or_error_where_the_review_finds_nothing(path):
    report = run(path)
    assert [(f.rule, f.pointer, f.message) for f in report.false_positives] == []


@pytest.mark.parametrize("path", _cases(SCORES_PENDING))
def test_recomputed_scores_match_the_review(path):
    report = run(path)
    assert [(s.name, s.expected, s.got) for s in report.scores if not s.ok] == []


def test_every_table_is_recognised_and_placed():
    reports = [run(path) for path in FILES]
    assert all(r.recognised == r.tables == 1 and r.unplaced == 0 for r in reports)
    line = summary(reports)
    assert re.fullmatch(rf"corpus: {len(FILES)} tables, recall \d+/\d+ \(complete tables \d+/\d+\), out of reach \d+, "
                        r"false positives \d+, scores \d+/\d+", line)
