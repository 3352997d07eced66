"""Report outlines, cutting filed texts into sections, drafts and figures (附件2, 附件4-N)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlfuncs.engine import evaluate
from xlfuncs.filing import view
from xlfuncs.outlines import (
    DEPARTMENT_OUTLINE,
    PROJECT_OUTLINE,
    assemble_report,
    outline_for_label,
    report_pointer,
    split_report,
)
from xlfuncs.report_drafts import problem_lines
from xlfuncs.report_figures import all_figures
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


def test_empty_sections_get_drafts_from_the_figures(clean):
    contents = report_contents(clean)
    department = contents[0]
    assert department.bodies["basic_info"].startswith("本单位全年预算100万元")  # filed, kept
    assert "basic_info" not in department.drafted
    assert {"spending.basic", "spending.project", "performance", "problems", "measures", "publicity"} <= set(
        department.drafted)
    assert "基本支出60.00万元，占全年预算数的60.00%" in department.bodies["spending.basic"]
    assert "附件3-1 培训项目：全年预算数25.00万元" in department.bodies["spending.project"]
    assert "执行率100.0%" in department.bodies["performance"] and "等级“优”" in department.bodies["performance"]
    project = contents[1]
    assert "goals.output" in project.drafted
    assert "验收合格率：年度指标值≥95%，实际完成值98%，完成率103.2%，得分10分（分值10分）" in project.bodies["goals.output"]
    assert project.bodies["goals.benefit.economic"] == "本项目未设置经济效益指标。"
    assert "服务水平" in project.bodies["goals.benefit.sustainable"]


def test_parent_sections_get_no_draft(clean):
    project = report_contents(clean)[1]
    for key in ("analysis", "funds", "goals", "goals.benefit", "deviation"):
        assert key not in project.drafted


def test_unscorable_indicator_is_said_so_not_guessed(seed):
    for p in seed["projects"]:
        p["report"]["text"] = ""
    seed["department_report"]["text"] = ""
    contents = report_contents(seed)
    green = contents[3]  # 附件4-3: 绿植死亡率 filed "小于2%" as its actual
    output = green.bodies["goals.output"]
    assert "绿植死亡率：年度指标值" in output and "无法评分" in output
    assert "绿植死亡率" in green.bodies["deviation.problems"]
    assert "总分无法确定" in green.bodies["work"]
    assert "得分" not in output.split("绿植死亡率")[1].split("；")[0]


def test_figures_are_the_engines(seed):
    evaluation = evaluate(seed)
    figures = all_figures(view(seed), evaluation.scores)
    for f, score in zip(figures, evaluation.scores, strict=True):
        assert f.rate == score.budget.rate and f.budget_score == score.budget.score
        assert f.total == score.total and f.grade == score.grade
        assert [i.score for i in f.indicators] == [r.score for r in score.indicators]
    assert figures[0].full_year == 2662.18 and figures[0].by_expense[1][1] == 1289.42
    assert figures[3].executed == 523.12 and figures[3].rate == pytest.approx(523.12 / 31.6)


def test_problem_lines_list_rate_and_indicators(clean):
    clean["projects"][0]["funds"]["total"]["executed"] = "20"
    clean["projects"][0]["indicators"][1]["actual"] = "90%"
    evaluation = evaluate(clean)
    figures = all_figures(view(clean), evaluation.scores)[1]
    lines = problem_lines(figures)
    assert lines[0].startswith("1.预算执行率80.0%")
    assert "验收合格率" in lines[1] and "未达到年度指标值" in lines[1]
