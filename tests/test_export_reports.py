"""Report outlines, cutting filed texts into sections, drafts and figures (附件2, 附件4-N)."""

from __future__ import annotations

import pytest
from factories import make_clean_filing as make_clean
from hypothesis import given, settings
from hypothesis import strategies as st

from xlfuncs.filing import view
from xlfuncs.outlines import (
    DEPARTMENT_OUTLINE,
    PROJECT_OUTLINE,
    assemble_report,
    outline_for_label,
    report_pointer,
    split_report,
)
from xlfuncs.profiles import load_profile
from xlfuncs.report_drafts import problem_lines
from xlfuncs.report_figures import table_figures
from xlfuncs.reports import report_contents

# rules.md §4, word for word where it spells a heading out.
DEPARTMENT_HEADINGS = ["一、预算单位基本情况", "二、一般公共预算支出情况", "（一）基本支出", "（二）项目支出",
                       "三、部门整体支出绩效情况", "四、存在的问题及原因分析", "五、下一步改进措施",
                       "六、绩效自评结果拟应用和公开情况"]
PROJECT_HEADINGS = ["一、绩效自评工作开展情况", "二、绩效目标自评完成情况分析", "（一）资金投入情况分析",
                    "1.项目资金到位情况分析", "2.项目资金执行情况分析", "3.项目资金管理情况分析",
                    "（二）绩效目标完成情况分析", "1.产出指标完成情况分析", "2.效益指标完成情况分析",
                    "（1）经济效益", "（2）社会效益", "（3）生态效益", "（4）可持续影响",
                    "3.满意度指标完成情况分析", "三、偏离绩效目标的原因和下一步改进措施", "（一）存在的问题",
                    "（二）改进措施", "四、绩效自评结果拟应用和公开情况"]


def test_outlines_are_the_rules_headings():
    assert [s.heading for s in DEPARTMENT_OUTLINE.sections] == DEPARTMENT_HEADINGS
    assert [s.heading for s in PROJECT_OUTLINE.sections] == PROJECT_HEADINGS


def test_every_seed_report_splits_into_its_whole_outline(seed):
    reports = [(seed["department_report"]["text"], DEPARTMENT_OUTLINE)]
    reports += [(p["report"]["text"], PROJECT_OUTLINE) for p in seed["projects"]]
    for text, outline in reports:
        split = split_report(text, outline)
        assert split.found == {s.key for s in outline.sections}


@pytest.mark.parametrize(("line", "outline", "key", "body"), [
    ("1、 预算单位基本情况", DEPARTMENT_OUTLINE, "basic_info", ""),
    ("（一）基本支出情况", DEPARTMENT_OUTLINE, "spending.basic", ""),
    ("五、下一步改进措施。无", DEPARTMENT_OUTLINE, "measures", "无"),
    ("（3） 资金投入情况分析。", PROJECT_OUTLINE, "funds", ""),
    ("1、 绩效目标完成情况分析。", PROJECT_OUTLINE, "goals", ""),
    ("(1) 经济效益：按具体情况资金及时拨付。", PROJECT_OUTLINE, "goals.benefit.economic", "按具体情况资金及时拨付。"),
    ("（一）存在的问题   无", PROJECT_OUTLINE, "deviation.problems", "无"),
    ("1、 偏离绩效目标的原因和下一步改进措施。", PROJECT_OUTLINE, "deviation", ""),
])
def test_messy_heading_lines(line, outline, key, body):
    split = split_report(f"{outline.title}\n{line}", outline)
    assert split.found == {key}
    assert split.body(key) == body


def test_numbered_body_lines_stay_in_their_section(seed):
    split = split_report(seed["department_report"]["text"], DEPARTMENT_OUTLINE)
    performance = split.body("performance")
    assert performance.startswith("1、本单位预算绩效管理完成情况")
    assert "2、本单位整理支出绩效目标实现情况" in performance
    assert "一是2022年度专项资金" in split.body("spending.project")


def test_text_before_the_first_heading_is_kept():
    split = split_report("部门整体支出绩效自评报告\n根据通知要求，现将自评情况报告如下。\n一、预算单位基本情况\n正文",
                         DEPARTMENT_OUTLINE)
    assert split.body("basic_info") == "根据通知要求，现将自评情况报告如下。\n正文"


def test_text_without_headings_goes_to_the_first_section():
    split = split_report("这是一段没有标题的说明。", PROJECT_OUTLINE)
    assert split.found == frozenset()
    assert split.body("work") == "这是一段没有标题的说明。"


_LINE = st.text(alphabet="甲乙丙丁戊，。；0123456789.、（）", min_size=1, max_size=30).filter(lambda s: s.strip())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_LINE, max_size=3), min_size=len(PROJECT_OUTLINE.sections),
                max_size=len(PROJECT_OUTLINE.sections)))
def test_assemble_then_split_gives_the_same_bodies(lines):
    bodies = {s.key: "\n".join(x.strip() for x in ls) for s, ls in zip(PROJECT_OUTLINE.sections, lines, strict=True)}
    split = split_report(assemble_report(PROJECT_OUTLINE, bodies), PROJECT_OUTLINE)
    assert split.bodies == bodies


def test_report_pointers():
    assert report_pointer("附件2") == "/department_report/text"
    assert report_pointer("附件4-3 区委区政府大院及武装部营院绿化费") == "/projects/2/report/text"
    assert report_pointer("附件３-1") is None and report_pointer("") is None
    assert outline_for_label("附件4-1") is PROJECT_OUTLINE and outline_for_label("附件2") is DEPARTMENT_OUTLINE


def test_filed_sections_are_kept_and_not_drafted(seed):
    for content in report_contents(seed):
        assert content.filed and content.drafted == ()
    department = report_contents(seed)[0]
    assert department.bodies["measures"] == "无"


def _figures(filing: dict) -> list:
    filing_view = view(filing)
    return [table_figures(filing_view, t, load_profile("default")) for t in filing_view.tables]


def test_empty_sections_get_drafts_from_the_filed_figures(clean):
    contents = report_contents(clean)
    department = contents[0]
    assert department.bodies["basic_info"].startswith("本单位全年预算100万元")  # filed, kept
    assert "basic_info" not in department.drafted
    assert set(department.drafted) == {"spending.basic", "spending.project", "performance"}
    assert department.bodies["spending.basic"] == "基本支出60.00万元。"
    assert "附件3-1 培训项目：全年预算数25.00万元，全年执行数25.00万元" in department.bodies["spending.project"]
    assert "执行率100.0%" in department.bodies["performance"] and "等级“优”" in department.bodies["performance"]
    assert "各项绩效指标得分均等于分值" in department.bodies["performance"]
    project = contents[1]
    assert "goals.output" in project.drafted
    assert "验收合格率：年度指标值≥95%，实际完成值98%，得分10分（分值10分）" in project.bodies["goals.output"]
    assert project.bodies["goals.benefit.economic"] == ""  # no 经济效益 row: nothing to restate
    assert "服务水平" in project.bodies["goals.benefit.sustainable"]


def test_drafts_state_no_fact_the_filing_lacks(clean):
    """No management, publication or “no deviation” claims; no counts of nothing."""
    clean["department_report"]["text"] = ""
    for project in clean["projects"]:
        project["report"]["text"] = ""
    clean["department"]["indicators"] = []
    for content in report_contents(clean):
        text = content.text()
        for phrase in ("纳入单位预算管理", "按规定公开", "以后年度预算安排", "未发现偏离", "0项", "未设置",
                       "（未填报）", "无法评分", "默认"):
            assert phrase not in text, (content.label, phrase)
        assert {"publicity", "funds.management", "problems", "measures", "deviation.problems",
                "deviation.measures"}.isdisjoint(content.drafted)
    department, project = report_contents(clean)[:2]
    assert "绩效指标" not in department.bodies["performance"]
    assert "六、绩效自评结果拟应用和公开情况" in department.empty_headings()
    assert project.empty_headings() == ["3.项目资金管理情况分析", "（1）经济效益", "（3）生态效益", "（一）存在的问题",
                                        "（二）改进措施", "四、绩效自评结果拟应用和公开情况"]  # no parent such as 二、


def test_parent_sections_get_no_draft(clean):
    project = report_contents(clean)[1]
    for key in ("analysis", "funds", "goals", "goals.benefit", "deviation"):
        assert key not in project.drafted


def test_a_target_like_actual_is_restated_as_filed(seed):
    for p in seed["projects"]:
        p["report"]["text"] = ""
    seed["department_report"]["text"] = ""
    contents = report_contents(seed)
    green = contents[3]  # 附件4-3: 绿植死亡率 filed "小于2%" as its actual and 10 as its score
    assert "绿植死亡率：年度指标值小于2%，实际完成值小于2%，得分10分（分值10分）" in green.bodies["goals.output"]
    assert "自评总分100分（分值100分）" in green.bodies["work"]
    assert "无法" not in green.text()


def test_figures_are_the_filed_values(seed):
    figures = _figures(seed)
    assert figures[0].full_year == 2662.18 and figures[0].expense_values["project"] == 1289.42
    assert figures[0].points_total == 100 and figures[0].total == 100  # filed, though 分值 add up to 110 (C2)
    green = figures[3]
    assert green.executed == 523.12 and green.rate == 1.0  # filed 100%, though 523.12 ÷ 31.6 is 1655% (A2)
    assert green.funds[1].points == "10" and green.funds[1].rate == "100.0%"  # the 其中 row as filed (A5)
    assert [i.score for i in green.indicators] == [10.0] * 10


def test_problem_lines_list_execution_and_deductions(clean):
    clean["projects"][0]["funds"]["total"]["executed"] = "20"
    clean["projects"][0]["funds"]["total"]["rate"] = "80%"
    clean["projects"][0]["indicators"][1]["score"] = "8"
    clean["projects"][0]["indicators"][1]["deviation"] = "部分批次返工"
    lines = problem_lines(_figures(clean)[1])
    assert lines[0] == "1.全年执行数20.00万元，少于全年预算数25.00万元，执行率80.0%。"
    assert lines[1] == "2.验收合格率：年度指标值≥95%，实际完成值98%，得分8分（分值10分）；偏差原因分析及改进措施：部分批次返工。"
    assert problem_lines(_figures(make_clean())[1]) == []
