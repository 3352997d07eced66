"""The seed filing's real figures: what validation must find, and the corrected filing's scores."""

from __future__ import annotations

import pytest

from xlfuncs.engine import evaluate, score_filing
from xlfuncs.filing import view
from xlfuncs.profiles import load_profile
from xlfuncs.scoring import score_budget

pytestmark = pytest.mark.core


@pytest.fixture(scope="module")
def seed_findings(seed_data):
    return evaluate(seed_data).findings


def _at(findings, rule):
    return {f.pointer: f for f in findings if f.rule == rule}


def test_c1_heading_sums(seed_findings):
    c1 = _at(seed_findings, "C1")
    assert c1["/department/indicators/0/level1"].actual == 60
    assert c1["/department/indicators/0/level1"].expected == 50
    for p in range(5):
        finding = c1[f"/projects/{p}/indicators/5/level1"]
        assert (finding.expected, finding.actual) == (30, 40)
    assert len(c1) == 6


def test_c2_and_d2_on_all_six_totals(seed_findings):
    bases = ["/department"] + [f"/projects/{p}" for p in range(5)]
    c2, d2 = _at(seed_findings, "C2"), _at(seed_findings, "D2")
    for base in bases:
        assert c2[base + "/total/points"].actual == 110
        assert d2[base + "/total/score"].expected == 110
        assert d2[base + "/total/score"].actual == 100
    assert all(f.severity == "error" for f in [*c2.values(), *d2.values()])


def test_a2_a3_on_project_3_3(seed_findings):
    a2 = _at(seed_findings, "A2")
    assert list(a2) == ["/projects/2/funds/total/rate"]
    finding = a2["/projects/2/funds/total/rate"]
    assert finding.severity == "error"
    assert finding.expected == pytest.approx(523.12 / 31.6)
    assert "1655.4%" in finding.message and "100.0%" in finding.message
    a3 = _at(seed_findings, "A3")
    assert list(a3) == ["/projects/2/funds/total/executed"]
    assert a3["/projects/2/funds/total/executed"].severity == "warning"


def test_a1_on_project_3_5_initial_column(seed_findings):
    a1 = _at(seed_findings, "A1")
    assert list(a1) == ["/projects/4/funds/total/initial"]
    assert a1["/projects/4/funds/total/initial"].actual == 294.7


def test_b4_projects_executed(seed_findings):
    b4 = _at(seed_findings, "B4")["/department/funds/by_expense/project"]
    assert b4.severity == "warning"
    assert b4.actual == pytest.approx(1780.94)
    assert b4.expected == pytest.approx(1289.42)


def test_a5_repeated_points_on_current_year_rows(seed_findings):
    a5 = _at(seed_findings, "A5")
    assert set(a5) == {f"/projects/{p}/funds/current_year/points" for p in range(5)}
    assert all(f.severity == "warning" for f in a5.values())


def test_e1_target_phrases_as_actuals(seed_findings):
    e1 = _at(seed_findings, "E1")
    assert {"/department/indicators/1/actual", "/department/indicators/2/actual",
            "/department/indicators/3/actual", "/projects/0/indicators/1/actual",
            "/projects/1/indicators/0/actual", "/projects/2/indicators/0/actual"} == set(e1)
    assert "大于14000次" in e1["/department/indicators/1/actual"].message


def test_e2_e4_warnings(seed_findings):
    e2 = _at(seed_findings, "E2")
    assert {"/department/indicators/4/level3", "/department/indicators/5/level3",
            "/department/indicators/6/level3", "/projects/0/indicators/2/level3"} <= set(e2)
    e4 = _at(seed_findings, "E4")
    assert "/department/indicators/5/target" in e4  # 成本 = 2662.18 = the whole budget
    assert "/department/indicators/6/target" in e4  # 经济效益 = a spending amount
    assert all(f.severity == "warning" for f in [*e2.values(), *e4.values()])


def test_f4_copied_goals(seed_findings):
    f4 = _at(seed_findings, "F4")
    assert set(f4) == {"/projects/3/goal/expected", "/projects/4/goal/expected"}
    assert "附件3-2" in f4["/projects/3/goal/expected"].message


def test_f1_report_4_3(seed_findings):
    f1 = _at(seed_findings, "F1")
    assert set(f1) == {"/projects/2/report/text"}
    finding = f1["/projects/2/report/text"]
    assert (finding.expected, finding.actual) == (523.12, 31.6)
    assert finding.severity == "error"


def test_b1_b2_do_not_fire(seed_findings):
    assert not {"B1", "B2"} & {f.rule for f in seed_findings}


def test_known_warnings_a6_b6_f2_d8(seed_findings):
    rules = {f.rule for f in seed_findings}
    assert {"A6", "B6", "F2", "D8"} <= rules
    assert len(_at(seed_findings, "D8")) == 6


def test_corrected_filing_has_no_errors(corrected_data):
    evaluation = evaluate(corrected_data)
    assert [f for f in evaluation.findings if f.severity == "error"] == []


def test_corrected_filing_scores_100_and_grade_you(corrected_data):
    for table in score_filing(corrected_data):
        assert table.total == 100, table.label
        assert table.grade == "优"
        assert table.points_total == 100


def test_seed_scores_cannot_be_totalled_where_actuals_are_target_phrases(seed_data):
    totals = {t.label: t.total for t in score_filing(seed_data)}
    assert totals["附件1"] is None and totals["附件3-3"] is None


def test_seed_tables_whose_points_add_to_110_get_no_total_or_grade(seed_data):
    """附件3-4 and 附件3-5 score every row, but their points add to 110: no “110, 优”."""
    for table in score_filing(seed_data):
        assert table.points_total == 110
        assert table.total is None and table.grade is None, table.label
        assert "110" in table.explanation and "100" in table.explanation


def test_budget_score_of_3_3_is_capped(seed_data):
    row = view(seed_data).projects[2].budget
    result = score_budget(row["executed"].raw, row["full_year"].raw, row["points"].raw, load_profile())
    assert result.rate == pytest.approx(16.5544, abs=1e-4)
    assert result.score == 10


def test_goal_results_copied_from_the_goals_in_all_six_tables(seed_findings):
    e8 = _at(seed_findings, "E8")
    assert set(e8) == {"/department/goal/actual"} | {f"/projects/{p}/goal/actual" for p in range(5)}
    assert all("照抄了预期目标" in f.message for f in e8.values())


def test_report_prompt_left_in_and_no_problem_claims(seed_findings):
    e7 = _at(seed_findings, "E7")
    assert "/department_report/text" in e7 and "主要反映各种预算支出执行偏离绩效目标的情况" in e7["/department_report/text"].message
    f5 = _at(seed_findings, "F5")  # “无” problems while the tables carry errors
    assert set(f5) == {"/department_report/text", "/projects/3/report/text", "/projects/4/report/text"}


def test_boilerplate_shared_by_the_project_reports(seed_findings):
    f7 = _at(seed_findings, "F7")
    assert set(f7) == {f"/projects/{p}/report/text" for p in range(1, 5)}
    assert "生态效益" in f7["/projects/1/report/text"].message


def test_corrected_filing_keeps_only_genuine_warnings(corrected_data):
    rules = {f.rule for f in evaluate(corrected_data).findings if f.severity == "warning"}
    # the hand correction fixed the numbers, not the copied goal texts, the report prompt or the boilerplate
    assert rules == {"A6", "B6", "E2", "E4", "E7", "E8", "F2", "F7"}
