"""Test filings built in code."""

from __future__ import annotations


def _indicator(level1: str, level2: str, level3: str, target: str, actual: str, points: str) -> dict:
    return {"level1": level1, "level2": level2, "level3": level3, "target": target,
            "actual": actual, "points": points, "score": points, "deviation": None}


def _fund(initial, full_year, executed, points=None, rate=None, score=None) -> dict:
    return {"initial": initial, "full_year": full_year, "executed": executed,
            "points": points, "rate": rate, "score": score}


def _project_indicators(name: str, cost: str) -> list[dict]:
    out, ben, sat = "产出指标(50分)", "效益指标(30分)", "满意度指标(10分)"
    return [
        _indicator(out, "数量指标", f"{name}场次", "≥10场", "12场", "20"),
        _indicator(out, "质量指标", "验收合格率", "≥95%", "98%", "10"),
        _indicator(out, "时效指标", "按期完成率", "100%", "100%", "10"),
        _indicator(out, "成本指标", "人均成本", cost, "0.18万元", "10"),
        _indicator(ben, "社会效益指标", "群众办事时间缩短", "≥20%", "25%", "15"),
        _indicator(ben, "可持续影响指标", "服务水平", "保持", "保持稳定", "15"),
        _indicator(sat, "服务对象满意度指标", "服务对象满意度", "≥90%", "95%", "10"),
    ]


def make_clean_filing() -> dict:
    """A small filing with no finding at all: every rule test changes one field of it."""
    project_report = (
        "项目支出绩效自评报告\n一、绩效自评工作开展情况\n按要求开展自评。\n二、绩效目标自评完成情况分析\n"
        "（一）资金投入情况分析\n1、项目资金到位情况分析\n全年预算{b}万元，已全部到位。\n"
        "2、项目资金执行情况分析\n全年执行{b}万元。\n3、项目资金管理情况分析\n管理规范。\n"
        "四、绩效自评结果拟应用和公开情况\n公开绩效目标表及绩效自评表"
    )
    projects = []
    for name, amount, goal in (("培训", "25", "完成年度培训任务"), ("宣传", "15", "完成年度宣传任务")):
        projects.append({
            "name": f"{name}项目", "competent_department": "测试局", "implementing_unit": "测试中心",
            "funds": {"total": _fund(amount, amount, amount, "10", "100%", "10"),
                      "current_year": _fund(amount, amount, amount, "—", None, "—"),
                      "carried_over": _fund(None, None, None), "other": _fund(None, None, None)},
            "goal": {"expected": goal, "actual": "已" + goal},
            "indicators": _project_indicators(name, "≤0.2万元"),
            "total": {"points": "100", "score": "100"},
            "report": {"text": project_report.format(b=amount)},
        })
    return {
        "format": "perfeval.filing/1", "year": 2023, "unit": "测试中心",
        "department": {
            "name": "测试中心",
            "funds": {"total": {**_fund("90", "100", "100", "10", "100%", "10"), "adjust_reason": "年中追加培训经费"},
                      "by_income": {"general_budget": "100", "gov_fund": None, "special_account": None, "other": None},
                      "by_expense": {"basic": "60", "project": "40"}},
            "goal": {"expected": "保障中心正常运转", "actual": "已保障中心正常运转"},
            "indicators": _project_indicators("会议", "≤0.2万元"),
            "total": {"points": "100", "score": "100"},
        },
        "department_report": {"text": "部门整体支出绩效自评报告\n一、预算单位基本情况\n本单位全年预算100万元，"
                                      "其中基本支出60万元，项目支出40万元。"},
        "projects": projects,
    }
