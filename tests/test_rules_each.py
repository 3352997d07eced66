"""Every rule: the clean filing passes, and a one-field change triggers that rule.

Some rules cannot fire alone (a wrong score also breaks the total), so each case names the
exact set of rules the change must trigger; a broken or over-eager rule turns its case red.
"""

from __future__ import annotations

import pytest

from xlfuncs.catalogue import RULES, RULES_BY_ID
from xlfuncs.checks import REGISTRY
from xlfuncs.engine import evaluate
from xlfuncs.filing import resolve_pointer

pytestmark = pytest.mark.core


def _set(filing: dict, pointer: str, value) -> None:
    parts = pointer.lstrip("/").split("/")
    parent = resolve_pointer(filing, "/" + "/".join(parts[:-1])) if len(parts) > 1 else filing
    key = parts[-1]
    if isinstance(parent, list):
        parent[int(key)] = value
    else:
        parent[key] = value


def _delete(filing: dict, pointer: str) -> None:
    parts = pointer.lstrip("/").split("/")
    parent = resolve_pointer(filing, "/" + "/".join(parts[:-1]))
    del parent[parts[-1]]


DEPT_ROW0 = "/department/indicators/0"
P0 = "/projects/0"
P0_REPORT = P0 + "/report/text"

# (rule, pointer, new value, rules expected to fire, pointer the rule's finding must carry)
CASES = [
    # the 当年财政拨款 row then runs at 80 % with no reason: A7 on that row too
    ("A1", P0 + "/funds/current_year/executed", "20", {"A1", "A7"}, P0 + "/funds/total/executed"),
    ("A2", P0 + "/funds/total/rate", "90%", {"A2"}, P0 + "/funds/total/rate"),
    ("A3", "/department/funds/total/executed", "100.4", {"A3"}, "/department/funds/total/executed"),
    ("A4", "/department/funds/total/score", "9", {"A4", "D2"}, "/department/funds/total/score"),
    ("A5", P0 + "/funds/current_year/points", "10", {"A5"}, P0 + "/funds/current_year/points"),
    # …and every indicator still at full marks at 80 % execution: the D8 hint
    ("A7", "/department/funds/total/executed", "80", {"A2", "A4", "A7", "D8"}, "/department/funds/total/rate"),
    # 附件2 still says 基本支出60万元: F6
    ("B1", "/department/funds/by_expense/basic", "50", {"B1", "F6"}, "/department/funds/by_expense/basic"),
    ("B2", "/department/funds/by_income/general_budget", "90", {"B2"},
     "/department/funds/by_income/general_budget"),
    ("B3", "/department/funds/by_expense/project", "45", {"B1", "B3", "B4", "F6"},
     "/department/funds/by_expense/project"),
    ("B4", P0 + "/funds/total/executed", "24.9", {"A1", "A4", "B4", "F1"},
     "/department/funds/by_expense/project"),
    ("B6", "/department_report/text", "本单位预算90万元，其中基本支出60万元，项目支出40万元。", {"B6"},
     "/department_report/text"),
    ("C1", DEPT_ROW0 + "/points", "15", {"C1", "C2", "D1"}, DEPT_ROW0 + "/level1"),
    ("C2", "/department/total/points", "90", {"C2"}, "/department/total/points"),
    ("C3", DEPT_ROW0 + "/level1", "产出指标(40分)", {"C1", "C3"}, DEPT_ROW0 + "/level1"),
    ("C4", DEPT_ROW0 + "/points", "二十分", {"C4"}, DEPT_ROW0 + "/points"),
    ("D1", DEPT_ROW0 + "/score", "-1", {"D1", "D2", "E5"}, DEPT_ROW0 + "/score"),
    ("D2", "/department/total/score", "99", {"D2"}, "/department/total/score"),
    ("D3", DEPT_ROW0 + "/score", "18", {"D2", "D3", "E5"}, DEPT_ROW0 + "/score"),
    ("D5", DEPT_ROW0 + "/actual", "14场", {"D5"}, DEPT_ROW0 + "/deviation"),
    ("D6", "/department/total/grade", "良", {"D6"}, "/department/total/grade"),
    ("D8", "/department/indicators/5/actual", "保持", {"D8"}, "/department/indicators"),
    ("E1", DEPT_ROW0 + "/actual", "大于10场", {"E1"}, DEPT_ROW0 + "/actual"),
    ("E2", DEPT_ROW0 + "/level3", "10场", {"E2"}, DEPT_ROW0 + "/level3"),
    ("E3", DEPT_ROW0 + "/actual", "12次", {"E3"}, DEPT_ROW0 + "/actual"),
    ("E4", "/department/indicators/3/target", "≤100万元", {"E4"}, "/department/indicators/3/target"),
    ("E5", DEPT_ROW0 + "/actual", "9场", {"D3", "E5"}, DEPT_ROW0 + "/deviation"),
    ("E7", DEPT_ROW0 + "/level3", "≥**平方米", {"E7"}, DEPT_ROW0 + "/level3"),
    ("F1", P0_REPORT, None, {"F1"}, P0_REPORT),
    ("F2", P0_REPORT, None, {"F2"}, P0_REPORT),
    ("F4", "/projects/1/goal/expected", "完成年度培训任务", {"F4"}, "/projects/1/goal/expected"),
    ("V1", "/department/funds/total/executed", "一百", {"V1"}, "/department/funds/total/executed"),
    ("I1", "/import", {"unplaced": [{"file": "a.grid.json", "table": 1, "row": 3, "col": 2, "text": "多出的格",
                                     "why": "不属于本表式的任何栏目"}], "tables": []}, {"I1"}, "/import/unplaced/0"),
    ("I2", "/import", {"unplaced": [], "tables": [{"file": "a.grid.json", "table": 2, "family": "unknown",
                                                   "pointer": None}]}, {"I2"}, "/import/tables/0"),
    ("I3", "/department/form", {"unit_label": "预算资金（元）"}, {"I3"}, "/department/form/unit_label"),
]


def _rules(filing: dict) -> set[str]:
    return {f.rule for f in evaluate(filing).findings}


def test_clean_filing_has_no_finding(clean):
    assert evaluate(clean).findings == []


@pytest.mark.parametrize(("rule", "pointer", "value", "expected", "where"), CASES,
                         ids=[c[0] for c in CASES])
def test_one_field_change_triggers_rule(clean, rule, pointer, value, expected, where):
    if value is None:  # report edits keep the rest of the text
        text = resolve_pointer(clean, pointer)
        value = (text.replace("全年执行25万元", "全年执行20万元") if rule == "F1"
                 else text + "\n存在问题：导致预算和决算的差异。")
    _set(clean, pointer, value)
    findings = evaluate(clean).findings
    assert {f.rule for f in findings} == expected
    assert where in {f.pointer for f in findings if f.rule == rule}


def test_i4_fires_on_an_imported_filing_without_year(clean):
    clean["import"] = {"unplaced": [], "tables": []}
    assert _rules(clean) == set()
    clean["year"] = None
    assert _rules(clean) == {"I4"}


def test_a6_fires_when_the_adjustment_reason_is_removed(clean):
    _delete(clean, "/department/funds/total/adjust_reason")
    assert _rules(clean) == {"A6"}


@pytest.mark.parametrize(("report_addition", "a6"), [
    ("", True),
    ("预算调整。", False),  # short, but a sentence about the budget that names the adjustment: accepted
    ("年中因新增培训任务追加预算10万元。", False),  # a sentence about the adjustment of the funds
    ("本年度工作调整较多，人员变动。", True),  # “调整” about something else: not a reason for the budget
    ("主要反映各种预算支出执行偏离绩效目标的情况，并分析其原因。", True),  # the printed prompt never counts
    # the Sichuan 2023 form's instruction printed in its 原因 column (corpus c02, c04): a prompt too
    ("1.预算执行率=预算执行数/调整后预算数,预算执行率未达到90%的需说明原因(100字以内);2.年中发生预算调整的"
     "(追加或调减),应单独说明理由;3.其他资金包括:社会投入资金、银行贷款.", True),
])
def test_a6_needs_a_sentence_about_the_adjustment(clean, report_addition, a6):
    _delete(clean, "/department/funds/total/adjust_reason")
    clean["department_report"]["text"] += "\n" + report_addition
    assert ("A6" in _rules(clean)) is a6


@pytest.mark.parametrize(("where", "text", "a7"), [
    (None, None, True),
    ("report", "执行率偏低的原因是工程尾款未支付。", False),
    ("deviation", "已完工，剩余3%尾款未付，且最高限价低于预算金额。", False),  # corpus b03: on an indicator row
    ("report", "本单位工作存在问题，原因是人员不足。", True),  # a cause, but not about the money
    ("rate_reason", "政府采购流标，次年执行", False),  # the row's own reason field
])
def test_a7_needs_a_sentence_about_the_low_rate(clean, where, text, a7):
    clean["department"]["funds"]["total"].update(executed="80", rate="80%", score="8")
    clean["department"]["total"]["score"] = "98"
    if where == "report":
        clean["department_report"]["text"] += "\n" + text
    elif where == "deviation":
        clean["department"]["indicators"][0]["deviation"] = text
    elif where == "rate_reason":
        clean["department"]["funds"]["total"]["rate_reason"] = text
    assert ("A7" in _rules(clean)) is a7


@pytest.mark.parametrize(("target", "severity"), [("≥90", "warning"), ("≥90分", "info"), ("满意", "info"),
                                                 ("≥90%", None)])
def test_e9_satisfaction_targets(clean, target, severity):
    clean["department"]["indicators"][6]["target"] = target
    e9 = [f.severity for f in evaluate(clean).findings if f.rule == "E9"]
    assert e9 == ([severity] if severity else [])


def test_a7_against_the_initial_budget_and_on_sub_rows(clean):
    project = clean["projects"][0]["funds"]
    project["total"].update(initial="40")  # 全年 25 executed in full, but only 62.5 % of 年初 40
    project["current_year"].update(initial="40")
    findings = evaluate(clean).findings
    a7 = [f for f in findings if f.rule == "A7"]
    assert [f.pointer for f in a7] == ["/projects/0/funds/total/rate"] and "年初" in a7[0].message


def test_d4_fires_when_band_score_is_outside_band(clean):
    row = clean["department"]["indicators"][5]
    row["band"] = "部分达成"  # a 60–80 % band, but the filed score is full marks
    findings = evaluate(clean).findings
    assert {f.rule for f in findings} == {"D4", "E5"}
    assert [f.pointer for f in findings if f.rule == "D4"] == ["/department/indicators/5/score"]


def test_d4_passes_when_band_score_is_inside_band(clean):
    row = clean["department"]["indicators"][5]
    row.update(band="部分达成", score="10", deviation="宣传覆盖面不足，明年扩大")
    clean["department"]["total"]["score"] = "95"
    assert _rules(clean) == set()


@pytest.mark.parametrize(("score", "total", "severity"), [("12", "97", "info"), ("5", "90", "warning")])
def test_d3_for_wording_judged_rows(clean, score, total, severity):
    """A row met in its own words may get full marks; a filed score inside the 达成 band (80–100 %)
    is only a hint (the deduction needs a reason, E5), one below it a warning."""
    clean["department"]["indicators"][5]["score"] = score
    clean["department"]["total"]["score"] = total
    clean["department"]["indicators"][5]["deviation"] = "宣传覆盖面不足，明年扩大"
    d3 = [f for f in evaluate(clean).findings if f.rule == "D3"]
    assert [f.severity for f in d3] == [severity]


def _insert_before(text: str, marker: str, addition: str) -> str:
    at = text.index(marker)
    return text[:at] + addition + text[at:]


def _no_total_row(filing):
    filing["projects"][0]["funds"]["total"].update(initial="", full_year="", executed="")


def _drop_satisfaction(filing):
    rows = filing["department"]["indicators"]
    del rows[6]
    rows[4].update(points="25", score="25")
    for row in rows[4:6]:
        row["level1"] = "效益指标(40分)"


def _no_indicators(filing):
    filing["projects"][0]["indicators"] = []


def _weaker_answer(filing):
    filing["department"]["indicators"][5]["actual"] = "略有改善"


def _breakdown(filing):
    rows = filing["projects"][0]["indicators"]
    rows[1:1] = [{"level3": "其中：线上", "target": "≥6场", "actual": "7场", "breakdown_of": 0},
                 {"level3": "其中：线下", "target": "≥4场", "actual": "4场", "breakdown_of": 0}]


def _claim_no_problem(filing):
    filing["projects"][0]["total"]["score"] = "99"
    report = filing["projects"][0]["report"]
    report["text"] = _insert_before(report["text"], "四、", "三、偏离绩效目标的原因和下一步改进措施\n（一）存在的问题\n无\n")


def _same_measures(filing):
    for project in filing["projects"]:
        report = project["report"]
        report["text"] = _insert_before(report["text"], "四、", "三、偏离绩效目标的原因和下一步改进措施\n（二）改进措施\n"
                                        "加强预算绩效管理，提高资金使用效益，做好绩效运行监控。\n")


def _quote_missing_value(filing):
    report = filing["projects"][0]["report"]
    report["text"] = _insert_before(report["text"], "四、", "（二）绩效目标完成情况分析\n1、产出指标完成情况分析\n"
                                    "全年开展培训15场，验收合格率98%。\n")


def _split_cost(filing):
    rows = filing["department"]["indicators"]
    rows[3].update(level3="办公成本", target="60万元", actual="60万元", points="5", score="5")
    rows.insert(4, {**rows[3], "level3": "维修成本", "target": "40万元", "actual": "40万元"})


def _carryover_at_85(filing):
    funds = filing["department"]["funds"]["total"]
    funds.update(executed="85", rate="85%", score="8.5", rate_reason="部分项目未完工，资金结转下年")
    filing["department"]["total"]["score"] = "98.5"
    filing["department"]["indicators"][2].update(level3="结转结余率", target="≤20%", actual="2%")


def _row(index, **cells):
    return lambda f: f["department"]["indicators"][index].update(cells)


# (rule, change, rules expected to fire, pointer the rule's finding must carry)
NEW_CASES = [
    ("A9", _carryover_at_85, {"A9", "D8"}, "/department/indicators/2/actual"),  # D8: full marks at 85 %
    ("E11", _row(2, level3="预算执行率"), {"E11"}, "/department/indicators/2/level3"),
    ("E12", _row(6, level3="预算执行率", target="80%"), {"E12"}, "/department/indicators/6/target"),
    ("E13", lambda f: f["department"]["goal"].update(expected="2022年年底前保障中心正常运转"), {"E13"},
     "/department/goal/expected"),
    ("E14", _row(3, target="是", actual="是"), {"E14"}, "/department/indicators/3/target"),
    ("E15", _row(0, level3="培训场次", target="≤10场", actual="8场"), {"E15"}, "/department/indicators/0/target"),
    ("E16", _split_cost, {"E16"}, "/department/indicators/3/target"),
    ("E17", _row(6, actual="195%"), {"D5", "E17"}, "/department/indicators/6/actual"),
    ("E18", lambda f: f["projects"][0].update(name="培训项目绩效自评表"), {"E18"}, "/projects/0/name"),
    ("A8", _no_total_row, {"A8"}, P0 + "/funds/total/full_year"),
    ("C5", _drop_satisfaction, {"C3", "C5"}, "/department/indicators"),
    ("C6", _no_indicators, {"C2", "C6", "D2"}, P0 + "/indicators"),
    ("D9", _weaker_answer, {"D9"}, "/department/indicators/5/score"),
    ("E8", lambda f: f["department"]["goal"].update(actual="已完成"), {"E8"}, "/department/goal/actual"),
    ("E9", lambda f: f["department"]["indicators"][6].update(target="≥90"), {"E9"},
     "/department/indicators/6/target"),
    ("E10", _breakdown, {"E10"}, P0 + "/indicators/0/actual"),
    ("F5", _claim_no_problem, {"D2", "F5"}, P0_REPORT),
    ("F6", lambda f: f["department_report"].update(text=f["department_report"]["text"].replace("60万元", "50万元")),
     {"F6"}, "/department_report/text"),
    ("F7", _same_measures, {"F7"}, "/projects/1/report/text"),
    ("F8", _quote_missing_value, {"F8"}, P0_REPORT),
]


@pytest.mark.parametrize(("rule", "change", "expected", "where"), NEW_CASES, ids=[c[0] for c in NEW_CASES])
def test_new_rules_fire_on_one_change(clean, rule, change, expected, where):
    change(clean)
    findings = evaluate(clean).findings
    assert {f.rule for f in findings} == expected
    assert where in {f.pointer for f in findings if f.rule == rule}


def test_every_engine_rule_is_registered_and_tested():
    engine_rules = {r.id for r in RULES if r.source == "engine" and r.implemented}
    assert engine_rules == set(REGISTRY)
    tested = {c[0] for c in CASES} | {c[0] for c in NEW_CASES} | {"A6", "D4", "I4"}
    assert engine_rules <= tested


def test_findings_have_catalogue_severity_or_documented_downgrade(seed):
    for finding in evaluate(seed).findings:
        rule = RULES_BY_ID[finding.rule]
        assert finding.severity == rule.severity or finding.rule in {"C3", "D3", "D9", "E3", "E9"}
        assert finding.message and finding.pointer.startswith("/")



@pytest.mark.parametrize(("filed_total", "d2"), [(79, False), (96.5, True)])
def test_d2_uses_the_capped_total_under_yitihua(clean, filed_total, d2):
    """65 % executed caps the total at 79 under yitihua: D2 takes the engine's capped total."""
    from xlfuncs.engine import evaluate

    table = clean["projects"][0]
    table["funds"]["total"].update(executed="16.25", rate="65%", score="6.5")  # 16.25 / 25 = 65 %
    table["funds"]["current_year"]["executed"] = "16.25"
    table["total"]["score"] = filed_total
    run = evaluate(clean, "yitihua")
    assert next(s for s in run.scores if s.label == "附件3-1").total == 79
    found = [f for f in run.findings if f.rule == "D2" and f.pointer == "/projects/0/total/score"]
    assert bool(found) is d2, found


def _free_weights(filing):
    """产出 60 / 效益 30 with no 满意度 row and no points printed on the level-1 headings."""
    rows = filing["department"]["indicators"]
    del rows[6]
    rows[0].update(points="30", score="30")
    for row in rows:
        row["level1"] = row["level1"].split("(")[0]


def test_a_weight_form_lets_the_unit_split_the_points(clean):
    """On a 权重 form (一体化 systems: the unit sets each row's weight) the profile's 50/30/10 is no
    rule for headings that print no points, and 满意度 is not a required group; on other forms
    both still hold."""
    _free_weights(clean)
    assert _rules(clean) == {"C1", "C5"}
    clean["department"]["form"] = {"row_weights": True}
    assert _rules(clean) == set()
    clean["department"]["indicators"][0]["level1"] = "产出指标(50分)"  # printed points still bind
    assert _rules(clean) == {"C1"}


def test_e7_on_a_total_row_without_its_score(clean):
    clean["projects"][0]["total"]["score"] = ""
    findings = evaluate(clean).findings
    assert [(f.rule, f.pointer) for f in findings] == [("E7", P0 + "/total/score")]
    clean["projects"][0]["form"] = {"complete": False}  # cut off: the score may be on the lost part
    assert _rules(clean) == set()


def test_a_total_row_of_zeros_over_filled_rows_is_scored_from_the_rows(clean):
    """A system export whose 年度资金总额 stayed 0 / 0 / 0: A1 reports it, and the budget score is
    judged from the rows under it (25 of 25 executed: 10 points), so a filed 0 is A4."""
    clean["projects"][0]["funds"]["total"].update(initial="0", full_year="0", executed="0")
    rules = {(f.rule, f.pointer) for f in evaluate(clean).findings}
    assert ("A1", P0 + "/funds/total/full_year") in rules
    assert not {r for r, _ in rules} & {"A2", "A4", "A7"}
    clean["projects"][0]["funds"]["total"].update(rate="0", score="0")
    rules = {(f.rule, f.pointer) for f in evaluate(clean).findings}
    assert ("A4", P0 + "/funds/total/score") in rules
    assert "A7" not in {r for r, _ in rules}


@pytest.mark.parametrize(("notes", "severity"), [
    (["注:1.一级指标分值统一设置为:产出指标50分、效益指标30分、满意度指标10分、预算资金执行率10分,如有特殊情况"], "warning"),
    ([], "info"),  # no printed split: an imported form's headings are its own split, worth knowing only
])
def test_c3_holds_headings_to_the_split_the_form_prints(clean, notes, severity):
    """产出指标(70分) on a form whose 注 fixes 产出 50 (corpus c03): the filer moved the points."""
    table = clean["projects"][0]
    table["form"] = {"family": "10hao-points-first", "notes": notes}
    for row in table["indicators"]:
        row["level1"] = row["level1"].replace("(50分)", "(70分)")
    found = [f for f in evaluate(clean).findings if f.rule == "C3" and f.pointer == P0 + "/indicators/0/level1"]
    assert [f.severity for f in found] == [severity]


@pytest.mark.parametrize(("value", "shown"), [
    (float("nan"), "“NaN”"), (float("inf"), "“Infinity”"), (float("-inf"), "“-Infinity”"), (True, "“TRUE”"),
])
def test_v1_shows_the_value_as_it_was_typed(clean, value, shown):
    """NaN in a JSON file or TRUE in a cell is named as the user wrote it, not as Python prints it."""
    _set(clean, "/department/funds/total/executed", value)
    messages = [f.message for f in evaluate(clean).findings
                if f.rule == "V1" and f.pointer == "/department/funds/total/executed"]
    assert messages and shown in messages[0], messages


def test_a_table_cut_above_its_indicators_is_checked_from_them_on(clean):
    """A page that starts inside a project table (corpus c07): the head (名称, funds) is lost, but the
    合计 row under the indicators shows that every indicator row is there, so missing groups are
    reported (C5) and the lost 名称 is not (E7); cut after its indicators, the groups are not judged."""
    table = clean["projects"][0]
    clean["import"] = {"unplaced": [], "tables": []}
    table["form"] = {"complete": False}
    table["name"] = ""
    del table["funds"]
    table["indicators"] = [row for row in table["indicators"] if "满意" not in row["level1"]]
    found = {(f.rule, f.pointer) for f in evaluate(clean).findings}
    assert ("C5", P0 + "/indicators") in found and ("E7", P0 + "/name") not in found
    del table["total"]
    assert "C5" not in {f.rule for f in evaluate(clean).findings}
