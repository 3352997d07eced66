"""Form families the filing describes with its additive fields (docs/filing-format.md, 各地表式的增补字段)."""

from __future__ import annotations

import copy

import pytest
from factories import make_clean_filing

from xlfuncs.engine import evaluate, score_filing
from xlfuncs.filing import FilingError, check_shape, view

pytestmark = pytest.mark.core


def _rules(filing, profile=None):
    return {f.rule for f in evaluate(filing, profile).findings if f.severity != "info"}


def _row(level1, level2, level3, target, actual, points, score=None, **extra):
    return {"level1": level1, "level2": level2, "level3": level3, "target": target, "actual": actual,
            "points": points, "score": points if score is None else score, "deviation": None, **extra}


def project_only(table: dict, department=None) -> dict:
    filing = {"format": "perfeval.filing/1", "year": 2023, "unit": "测试单位", "projects": [table]}
    if department != "absent":
        filing["department"] = department
    return filing


def hubei_table(score_rows=(20, 10, 10, 40), total="100", executed="1.56") -> dict:
    """The older Hubei form: budget 20 in its heading, target block 80, no per-row 分值 column."""
    out, sat = "产出指标", "满意度指标"
    rows = [_row(out, "数量指标", "补贴渔船数", "6艘", "6艘", None, score_rows[0]),
            _row(None, "质量指标", "渔船补贴发放率", "100%", "100%", None, score_rows[1]),
            _row(None, "时效指标", "补贴发放及时率", "100%", "100%", None, score_rows[2]),
            _row("效益指标", "社会效益指标", "退捕渔民生活保障", "有效保障", "有效保障", None, 0),
            _row(sat, "服务对象满意度", "退捕渔民满意度", "≥90%", "95%", None, score_rows[3])]
    return {"name": "渔业补贴", "competent_department": "区农业农村局",
            "form": {"budget_heading": "预算执行情况(万元)(20分)", "indicator_heading": "年度绩效目标(80分)",
                     "row_points": False, "budget_scored": True},
            "funds": {"total": {"full_year": "1.56", "executed": executed, "rate": "100%", "score": "20"}},
            "indicators": rows, "total": {"score": total}}


# ------------------------------------------------------------------ project-only filings


@pytest.mark.parametrize("department", ["absent", None, {"name": "", "funds": {}, "indicators": [], "filed": False}])
def test_filings_with_only_project_tables(department):
    clean = make_clean_filing()
    filing = project_only(clean["projects"][0], department)
    check_shape(filing)
    filing_view = view(filing)
    assert not filing_view.has_department and [t.label for t in filing_view.tables] == ["附件3-1"]
    assert evaluate(filing).findings == []
    assert [t.total for t in score_filing(filing)] == [100]


def test_a_filing_with_no_table_at_all_is_refused():
    with pytest.raises(FilingError, match="没有可校验的表格"):
        check_shape({"format": "perfeval.filing/1", "projects": []})


# ------------------------------------------------------------------ budget from the heading, no row points


def test_hubei_form_budget_from_heading_and_filed_row_scores():
    filing = project_only(hubei_table())
    table = score_filing(filing)[0]
    assert table.budget.points == 20 and table.budget.score == 20
    assert table.points_total == 100 and table.total == 100 and table.grade == "优"
    findings = evaluate(filing).findings
    assert "C4" not in {f.rule for f in findings}  # no per-row 分值 on this form: nothing to fill in
    assert [(f.rule, f.severity) for f in findings if f.rule == "D9"] == [("D9", "info")]


def test_hubei_form_budget_score_is_20_times_the_rate():
    filing = project_only(hubei_table(executed="1.404", total="98"))  # 90 %
    filing["projects"][0]["funds"]["total"].update(rate="90%", score="18")
    table = score_filing(filing)[0]
    assert table.budget.score == 18 and table.total == 98


def test_hubei_headings_that_exceed_the_block_are_errors():
    table = hubei_table()
    table["indicators"][0]["level1"] = "产出指标(60分)"
    table["indicators"][3]["level1"] = "效益指标(40分)"
    table["indicators"][4]["level1"] = "满意度指标(20分)"
    rules = _rules(project_only(table))
    assert {"C1", "C2"} <= rules
    assert score_filing(project_only(table))[0].total is None  # 20 + 120 points: no total, no grade


# ------------------------------------------------------------------ 40/40/20: no budget points


def _ningxia_table() -> dict:
    out, ben, sat = "产出指标(40分)", "效益指标(40分)", "满意度指标(20分)"
    rows = [_row(out, "数量指标", "免费发放原原种", "550万粒", "550万粒", "20"),
            _row(None, "质量指标", "原原种合格率", "≥90%", "95%", "20"),
            _row(ben, "经济效益指标", "亩均增收", "≥5%", "6%", "20"),
            _row(None, "社会效益指标", "推广面积占比", "≥80%", "85%", "20"),
            _row(sat, "服务对象满意度指标", "种植户满意度", "≥90%", "96%", "20")]
    return {"name": "马铃薯种薯繁育", "competent_department": "农业农村厅", "form": {"budget_scored": False},
            "funds": {"total": {"full_year": "300万元", "executed": "290万元", "rate": "96.67%"}},
            "goal": {"expected": "繁育推广脱毒种薯", "actual": "发放原原种550万粒，推广面积占比85%"},
            "indicators": rows, "total": {"score": "100分", "points": "100"}}


def test_forty_forty_twenty_form_scores_indicators_only():
    filing = project_only(_ningxia_table())
    table = score_filing(filing)[0]
    assert table.budget.score is None and not table.budget.scored
    assert table.points_total == 100 and table.total == 100
    evaluation = evaluate(filing)
    assert [f for f in evaluation.findings if f.severity != "info"] == []
    assert {f.rule for f in evaluation.findings} == {"C3"}  # the form's own split: a hint, never a warning


def test_breakdown_funds_rows_add_up_to_the_total():
    table = _ningxia_table()
    table["funds"]["breakdown"] = [{"label": "中央补助", "full_year": "100万元", "executed": "100万元"},
                                   {"label": "自治区补助", "full_year": "150万元", "executed": "140万元"},
                                   {"label": "市县资金", "full_year": "40万元", "executed": "50万元"}]
    findings = evaluate(project_only(table)).findings
    a1 = [f for f in findings if f.rule == "A1"]
    assert {f.pointer for f in a1} == {"/projects/0/funds/total/full_year"}  # 100 + 150 + 40 = 290 ≠ 300


# ------------------------------------------------------------------ process groups, coefficients, headings


def _process_table(budget_rate_score="9") -> dict:
    rows = [_row("项目决策(10分)", "项目目标", "完整性", "—", "目标明确、内容细化", "5"),
            _row(None, "项目立项", "相关性", "—", "符合学校管理要求", "5"),
            _row("项目管理(20分)", "投入管理", "预算执行率", "—", "100%", "10", budget_rate_score),
            _row(None, "财务管理", "财务管理制度有效性", "—", "制度健全", "10"),
            _row("项目产出(30分)", "数量指标", "保障人数", "2370人", "2370人", "30"),
            _row("项目效益(40分)", "社会效益指标", "办学条件", "改善办学条件", "改善办学条件", "30"),
            _row(None, "服务对象满意度指标", "学生满意度", "≥90%", "95%", "10")]
    return {"name": "公用经费", "competent_department": "教育局", "form": {"budget_scored": False},
            "funds": {"total": {"initial": "64.8", "full_year": "64.8", "executed": "64.8", "rate": "100%"}},
            "goal": {"expected": "保障学校正常运转", "actual": "保障了2370名学生的教学运转"},
            "indicators": rows, "total": {"score": "99"}}


def test_process_groups_scored_as_indicators():
    filing = project_only(_process_table())
    table = score_filing(filing)[0]
    budget_row = table.indicators[2]
    assert budget_row.method == "budget_rate" and budget_row.score == 10  # 10 × 执行率 of the funds block
    assert table.indicators[0].from_filing and table.indicators[0].score == 5
    assert table.total == 100
    findings = evaluate(filing).findings
    assert {(f.rule, f.pointer) for f in findings if f.severity == "error"} == {
        ("D3", "/projects/0/indicators/2/score")}  # the filed total 99 adds the filed 9: no D2
    assert "C5" not in {f.rule for f in findings}  # 决策, 管理, 产出, 效益 all present


def test_weights_and_score_coefficients():
    rows = [_row(None, None, "党性教育培训次数", "26次", "12次", "5", "5", coefficient="100%"),
            _row(None, None, "播发稿件数量", "2200篇", "2859篇", "10", "10", coefficient="100%"),
            _row(None, None, "资金使用合规性", "好", "好", "85", "85", coefficient="100%")]
    for row in rows:
        del row["deviation"]  # the form has no 偏差原因 column: an import writes no such key
    table = {"name": "融媒体中心", "indicators": rows, "total": {"score": "100", "points": "100"},
             "funds": {"total": {"full_year": "100", "executed": "100", "points": "0", "rate": "100%", "score": "0"}},
             "form": {"columns": ["指标名称", "计量单位", "指标性质", "年初指标值", "全年完成值", "得分系数(%)",
                                  "指标权重(分)", "指标得分(分)"]}}
    filing = {"format": "perfeval.filing/1", "unit": "x", "department": table, "projects": []}
    d3 = [f for f in evaluate(filing).findings if f.rule == "D3"]
    assert [f.pointer for f in d3] == ["/department/indicators/0/score"]
    assert "得分系数填报 100.0%，按规则应为 46.2%" in d3[0].message
    assert score_filing(filing)[0].indicators[0].score == pytest.approx(2.31)
    assert "E5" not in {f.rule for f in evaluate(filing).findings}  # no 偏差 column on this form


def test_heading_with_points_only_takes_its_category_from_level2():
    filing = make_clean_filing()
    for row in filing["projects"][0]["indicators"][:4]:
        row["level1"] = "\n\n(50分)"
    assert evaluate(filing).findings == []


# ------------------------------------------------------------------ 其中 rows


def test_breakdown_rows_are_kept_but_not_counted():
    filing = make_clean_filing()
    rows = filing["projects"][0]["indicators"]
    rows[0].update(target="", actual="")  # a ★ parent row: its values are on the 其中 rows
    rows[1:1] = [_row(None, None, "其中：线上培训", "≥6场", "7场", "", "", breakdown_of=0),
                 _row(None, None, "其中：线下培训", "≥4场", "5场", "", "", breakdown_of=0)]
    evaluation = evaluate(filing)
    assert evaluation.findings == []
    table = evaluation.scores[1]
    assert table.indicators[0].method == "parent" and table.indicators[0].score == 20
    assert [table.indicators[i].role for i in (1, 2)] == ["breakdown", "breakdown"]
    assert table.points_total == 100 and table.total == 100
    rows[2]["actual"] = "3场"  # one 其中 row misses: the parent needs a band
    assert evaluate(filing).scores[1].indicators[0].score is None


def test_breakdown_rows_must_add_up_to_their_parent():
    filing = make_clean_filing()
    rows = filing["projects"][0]["indicators"]
    rows[1:1] = [_row(None, None, "其中：线上", "≥6场", "7场", "", "", breakdown_of=0),
                 _row(None, None, "其中：线下", "≥4场", "4场", "", "", breakdown_of=0)]
    e10 = [f for f in evaluate(filing).findings if f.rule == "E10"]
    assert [f.pointer for f in e10] == ["/projects/0/indicators/0/actual"]  # 7 + 4 ≠ 12


# ------------------------------------------------------------------ money in 元


def test_money_in_yuan():
    filing = make_clean_filing()
    project = copy.deepcopy(filing["projects"][0])
    project["money_unit"] = "元"
    for key in ("total", "current_year"):
        project["funds"][key].update(initial="250000.00", full_year="250000.00", executed="215,457.6", rate="86.18%")
    project["funds"]["total"]["score"] = "8.62"
    project["total"]["score"] = "98.62"
    project["report"]["text"] = project["report"]["text"].replace("全年执行25万元", "全年执行215457.6元").replace(
        "全年预算25万元", "全年预算250000元")
    only = project_only(project)
    table = score_filing(only)[0]
    assert table.budget.score == 8.62 and table.total == 98.62
    a7 = [f for f in evaluate(only).findings if f.rule == "A7"]
    assert [f.pointer for f in a7] == ["/projects/0/funds/total/rate"]
    project["report"]["text"] += "\n资金执行率较低的原因是结算尾款尚未支付。"
    assert "A7" not in _rules(project_only(project))
    project["funds"]["total"]["executed"] = "215,457.7"
    a1 = [f for f in evaluate(project_only(project)).findings if f.rule == "A1"]
    assert a1 and "元" in a1[0].message and "万元" not in a1[0].message


# ------------------------------------------------------------------ cut tables and empty tables


def test_a_cut_table_reports_only_what_is_visible():
    filing = make_clean_filing()
    project = filing["projects"][0]
    project["form"] = {"complete": False}
    project["indicators"][-1].update(actual="", score="")  # the cut: the rest of the row is unknown
    del project["total"]
    evaluation = evaluate(project_only(project))
    assert [f for f in evaluation.findings if f.severity != "info"] == []
    assert evaluation.scores[0].total is None and "截断" in evaluation.scores[0].explanation


def test_a_table_without_indicators_gets_no_total():
    filing = make_clean_filing()
    filing["projects"][0]["indicators"] = []
    evaluation = evaluate(filing)
    assert "C6" in {f.rule for f in evaluation.findings if f.severity == "error"}
    table = evaluation.scores[1]
    assert table.total is None and table.grade is None and "没有绩效指标" in table.explanation
