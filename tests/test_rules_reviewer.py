"""Checks a finance-bureau reviewer makes from the form alone (E11–E18, A9, F5's completion claim):
each fires on its case and stays quiet on the near misses around it.

The clean filing (tests/factories.py) has no finding; each case changes a few cells of it. Its
department rows: 0 数量 会议场次, 1 质量 验收合格率, 2 时效 按期完成率, 3 成本 人均成本,
4 社会效益, 5 可持续, 6 满意度; year 2023; budget 90 年初 / 100 全年 / 100 执行.
"""

from __future__ import annotations

import pytest

from xlfuncs.engine import evaluate

pytestmark = pytest.mark.core

DEPT = "/department/indicators"


def _row(filing: dict, index: int, **cells) -> None:
    filing["department"]["indicators"][index].update(cells)


def _found(filing: dict, rule: str, profile: str | None = None) -> dict[str, str]:
    """The findings of ``rule``: pointer → severity."""
    return {f.pointer: f.severity for f in evaluate(filing, profile).findings if f.rule == rule}


# ------------------------------------------------------------------ E11 spending measured as a result


@pytest.mark.parametrize(("index", "name", "fires"), [
    (2, "预算执行率", True),            # 时效 (产出): corpus b09
    (0, "经费使用率", True),            # 数量 (产出): corpus b02
    (4, "经费使用完成情况", True),      # 社会效益: corpus b02
    (2, "指标1:年度资金支付完成率", True),
    (2, "资金拨付及时率", False),       # paying out in time is a pass-through project's output
    (1, "资金使用合规性", False),       # compliance, not how much was spent
    (1, "资金到位率", False),
    (2, "政府采购执行率", False),       # not the budget's execution
    (6, "预算执行满意度", False),       # 满意度 rows are not outputs or benefits
])
def test_e11_spending_as_output_or_benefit(clean, index, name, fires):
    _row(clean, index, level3=name)
    assert bool(_found(clean, "E11")) is fires


def test_e11_only_when_the_funds_block_scores_execution(clean):
    _row(clean, 2, level3="预算执行率")
    assert _found(clean, "E11") == {DEPT + "/2/level3": "warning"}
    clean["department"]["form"] = {"budget_scored": False}  # 40/40/20 forms: the row is the only place
    assert _found(clean, "E11") == {}


def test_e11_not_on_a_process_row(clean):
    """银川's process form scores 预算执行率 inside 项目管理 (corpus b06): not a double count."""
    _row(clean, 2, level1="项目管理(10分)", level2="投入管理", level3="预算执行率")
    assert _found(clean, "E11") == {}


# ------------------------------------------------------------------ E12 execution target set too low


@pytest.mark.parametrize(("name", "target", "fires"), [
    ("预算完成率", "70%", True),        # corpus b07
    ("指标1:预算执行率", "≥80%", True),
    ("预算执行率", "0.85", True),       # a fraction typed into the cell
    ("预算执行率", "90%", False),       # at the profile's low_rate
    ("预算执行率", "100%", False),
    ("预算执行率", "≤80%", False),      # a ceiling is another matter
    ("上半年预算执行率", "50%", False),  # an interim milestone, not the year's rate
    ("资金拨付率", "70%", False),
    ("验收合格率", "70%", False),
])
def test_e12_low_execution_target(clean, name, target, fires):
    _row(clean, 6, level3=name, target=target, actual="95%")  # a 满意度 row: no E11 in the way
    assert bool(_found(clean, "E12")) is fires


# ------------------------------------------------------------------ E13 copied deadlines


@pytest.mark.parametrize(("cells", "fires"), [
    ({"level3": "指标12022年11月30日前完成资金支付"}, True),  # corpus b05: “指标1” glued to the year
    ({"level3": "2022年年底前完成改造"}, True),
    ({"target": "2022年12月完成", "actual": "2022年12月完成"}, True),  # a dated target of last year
    ({"level3": "2023年11月30日前完成资金支付"}, False),   # this year's deadline
    ({"level3": "2024年底前完成验收"}, False),             # a later milestone
    ({"level3": "2022年度结转项目完成率"}, False),         # a past year, but no deadline
    ({"target": "11月底前", "actual": "11月"}, False),     # no year at all
])
def test_e13_deadline_of_an_earlier_year_on_an_indicator(clean, cells, fires):
    _row(clean, 2, **cells)
    assert bool(_found(clean, "E13")) is fires


@pytest.mark.parametrize(("goal", "fires"), [
    ("根据省里要求，2021年年底前实现全覆盖", True),  # corpus a06: a 2014 deadline in a 2016 goal
    ("2022年6月底以前建成并投入使用", True),
    ("截至2022年底前已建成16个，今年再建4个", False),  # 截至: a baseline, not a deadline
    ("在2022年完成一期的基础上完成二期", False),       # a past year in narrative
    ("2023年年底前实现全覆盖", False),
])
def test_e13_deadline_in_the_goal(clean, goal, fires):
    clean["department"]["goal"]["expected"] = goal
    assert bool(_found(clean, "E13")) is fires


def test_e13_needs_the_filing_year(clean):
    _row(clean, 2, level3="2022年年底前完成改造")
    assert _found(clean, "E13") == {DEPT + "/2/level3": "warning"}
    clean["year"] = None
    assert _found(clean, "E13") == {}


# ------------------------------------------------------------------ E14 questions and yes/no cost targets


@pytest.mark.parametrize(("index", "target", "fires"), [
    (5, "是否利于企业走出去", True),                      # corpus b09
    (5, "企业把握正确政治导向和文化方向情况的评价", True),  # corpus b09
    (3, "是", True),                                      # a cost row: corpus b05
    (3, "否", True),
    (5, "是", False),         # a yes/no answer on a benefit row is common practice
    (5, "得到好评", False),
    (3, "≤0.2万元", False),
])
def test_e14_unmeasurable_targets(clean, index, target, fires):
    _row(clean, index, target=target)
    assert bool(_found(clean, "E14")) is fires


# ------------------------------------------------------------------ E15 a ceiling on an output count


@pytest.mark.parametrize(("cells", "fires"), [
    ({"level3": "开展精品示范村建设数量", "target": "≤4", "actual": "4"}, True),  # corpus a01
    ({"target": "10场以内", "actual": "8场"}, True),
    ({"target": "<=12场", "actual": "12场"}, True),
    ({"target": "≥10场", "actual": "12场"}, False),
    ({"target": "=12场", "actual": "12场"}, False),
    ({"level3": "安全事故次数", "target": "≤1次", "actual": "0次"}, False),      # a reverse count
    ({"level3": "召开会议次数", "target": "≤6次", "actual": "5次"}, False),     # a control by nature
    ({"level3": "抽检不合格批次", "target": "≤2批", "actual": "1批"}, False),   # a bad outcome
    ({"level3": "培训天数", "target": "≤3天", "actual": "3天"}, False),         # a duration
    ({"level3": "设备故障率", "target": "≤2%", "actual": "1%"}, False),         # a rate
    ({"level3": "培训场次", "target": "8-12场", "actual": "12场"}, False),      # a range
])
def test_e15_ceiling_on_output_count(clean, cells, fires):
    _row(clean, 0, **{"level3": "培训场次", **cells})  # the clean row's “会议场次” is a control by nature
    assert bool(_found(clean, "E15")) is fires


def test_e15_only_on_quantity_rows(clean):
    _row(clean, 1, level3="验收项目数", target="≤4个", actual="4个")  # a 质量 row
    assert _found(clean, "E15") == {}


def test_e15_reads_a_reverse_kind_column(clean):
    _row(clean, 0, level3="培训场次", target="10场", actual="8场", kind="反向")
    assert _found(clean, "E15") == {DEPT + "/0/target": "warning"}


# ------------------------------------------------------------------ E16 cost rows that split the budget


def _two_cost_rows(filing: dict, first: str, second: str, actuals: tuple[str, str] | None = None) -> None:
    rows = filing["department"]["indicators"]
    done = actuals or (first, second)
    rows[3].update(level3="办公成本", target=first, actual=done[0], points="5", score="5")
    rows.insert(4, {**rows[3], "level1": "", "level3": "维修成本", "target": second, "actual": done[1]})


@pytest.mark.parametrize(("first", "second", "actuals", "pointer"), [
    ("60万元", "40万元", None, DEPT + "/3/target"),              # adds to 全年预算数 100
    ("50万元", "40万元", None, DEPT + "/3/target"),              # adds to 年初预算数 90
    ("M.8万元", "40万元", ("60万元", "40万元"), DEPT + "/3/actual"),  # corpus b06: a target unreadable, the actuals add up
    ("30万元", "40万元", None, None),                             # a part of the budget: unit costs may be meant
    ("≤0.2万元", "≤0.1万元", None, None),
])
def test_e16_cost_rows_adding_up_to_the_budget(clean, first, second, actuals, pointer):
    _two_cost_rows(clean, first, second, actuals)
    assert _found(clean, "E16") == ({pointer: "info"} if pointer else {})


def test_e16_needs_two_rows(clean):
    _row(clean, 3, target="100万元", actual="100万元")  # one row equal to the budget: E4's case
    assert _found(clean, "E16") == {}
    assert DEPT + "/3/target" in _found(clean, "E4")


# ------------------------------------------------------------------ E17 shares above 100 %


@pytest.mark.parametrize(("index", "cells", "pointer"), [
    (6, {"actual": "290%"}, DEPT + "/6/actual"),   # corpus b08: “≥90%” read as “290%”
    (1, {"target": "250%"}, DEPT + "/1/target"),   # corpus b05
    (6, {"actual": "100%"}, None),
    (6, {"actual": "100.0%"}, None),
    (2, {"level3": "任务完成率", "actual": "120%"}, None),  # a completion rate may exceed 100 %
    (4, {"level3": "收入增长率", "actual": "150%"}, None),
    (1, {"level3": "疫苗接种覆盖率", "actual": "102%"}, None),  # an estimated base can be passed
])
def test_e17_share_above_whole(clean, index, cells, pointer):
    _row(clean, index, **cells)
    assert _found(clean, "E17") == ({pointer: "warning"} if pointer else {})


# ------------------------------------------------------------------ E18 the form's title as the name


@pytest.mark.parametrize(("name", "fires"), [
    ("2020年省级自然资源卫片执法补助经费支出绩效自评表", True),  # corpus b04
    ("培训项目绩效评价表", True),
    ("培训项目", False),
    ("绩效自评表编制培训项目", False),
])
def test_e18_title_as_name(clean, name, fires):
    clean["projects"][0]["name"] = name
    assert _found(clean, "E18") == ({"/projects/0/name": "info"} if fires else {})


# ------------------------------------------------------------------ A9 结转结余率 against the rate


def _executed(filing: dict, executed: str) -> None:
    total = filing["department"]["funds"]["total"]
    total.update(executed=executed, rate=f"{executed}%", score=str(float(executed) / 10),
                 rate_reason="部分项目未完工，资金结转下年")
    filing["department"]["total"]["score"] = str(90 + float(executed) / 10)


@pytest.mark.parametrize(("executed", "reported", "fires"), [
    ("76", "0", True),     # corpus b07: 24 % unspent, 0 reported
    ("85", "2%", True),    # 15 % unspent, 2 % reported: 13 points apart
    ("85", "6%", False),   # 9 points apart: within checks.carryover_gap
    ("100", "0", False),   # everything spent
])
def test_a9_carryover_against_execution(clean, executed, reported, fires):
    _executed(clean, executed)
    _row(clean, 2, level3="结转结余率", target="≤20%", actual=reported)
    assert bool(_found(clean, "A9")) is fires


# ------------------------------------------------------------------ F5 a completion claim at a low rate


def _low_project_rate(filing: dict) -> None:
    project = filing["projects"][0]
    project["funds"]["total"].update(executed="20", rate="80%", score="8")
    project["funds"]["current_year"].update(executed="20")
    project["total"]["score"] = "98"


def test_f5_completion_claimed_at_a_low_rate(clean):
    _low_project_rate(clean)  # the goal says “已完成年度培训任务”
    assert _found(clean, "F5") == {"/projects/0/goal/actual": "warning"}


def test_f5_quiet_when_the_low_rate_is_explained(clean):
    _low_project_rate(clean)
    clean["projects"][0]["funds"]["total"]["rate_reason"] = "培训尾款待结算，次年支付"
    assert _found(clean, "F5") == {}


def test_f5_vaguer_words_are_no_claim(clean):
    """“较好地完成了” (corpus b07) is not a claim that everything is done."""
    _low_project_rate(clean)
    clean["projects"][0]["goal"]["actual"] = "较好地完成了年度培训任务"
    assert _found(clean, "F5") == {}
