"""The rule catalogue: stable ids, severities and descriptions of every check.

The catalogue is data; ``docs/rules.md`` is generated from it (``perfeval rules --markdown``)
and a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .findings import ERROR, INFO, WARNING


@dataclass(frozen=True)
class Rule:
    """One check of the catalogue."""

    id: str
    severity: str  # the usual severity; a few rules downgrade some findings
    group: str
    title: str
    implemented: bool = True
    note: str = ""
    source: str = "engine"  # "engine": a registered check; "reader": found while reading a workbook;
    # "export": checked when the filing package is made (macros.package_checks)

    def describe(self, profile: Any = None) -> str:
        """The title with the profile's figures filled in (``{low_rate}`` → ``90%``; default profile)."""
        from .profile_text import render

        return render(self.title, profile)


GROUPS = {
    "A": "资金（附件1 总额行、附件3 资金块）",
    "B": "部门与项目（附件1 对 附件3）、部门报告",
    "C": "分值",
    "D": "得分与等级",
    "E": "单元格内容",
    "F": "报告对表格",
    "I": "导入（从表格识别填报）",
    "V": "数值读取",
    "W": "主工作簿",
    "X": "导出申报材料",
}

RULES: tuple[Rule, ...] = (
    Rule("A1", ERROR, "A", "年度资金总额 = 其中各行之和（当年财政拨款 + 上年结转资金 + 其他资金，或表上的其他“其中”行；年初、全年、执行各列）"),
    Rule("A2", ERROR, "A", "填报执行率 = 全年执行数 ÷ 全年预算数（允差 {rate_tolerance}；每个资金行）"),
    Rule("A3", WARNING, "A", "全年执行数超过全年预算数"),
    Rule("A4", ERROR, "A", "填报的预算执行得分 = 按规则重算的得分（预算执行分值可来自资金块标题，如“(20分)”）"),
    Rule("A5", WARNING, "A", "分值、得分只填在年度资金总额行，其中各行填“—”"),
    Rule("A6", WARNING, "A", "年初预算数 ≠ 全年预算数 时须有一句说明该行调整原因的话（资金行、偏差原因或报告中；每个资金行）"),
    Rule("A7", WARNING, "A", "执行率（按全年或年初预算数）低于 {low_rate} 时须有一句说明该行原因的话（每个资金行）"),
    Rule("A8", WARNING, "A", "年度资金总额行为空，而其中各行填有金额"),
    Rule("A9", WARNING, "A", "结转结余率指标与执行率矛盾：未支出比例比填报的结转结余率高出 {carryover_gap}以上"),
    Rule("B1", ERROR, "B", "基本支出 + 项目支出 = 年度资金总额（全年预算数）"),
    Rule("B2", ERROR, "B", "按收入性质分各项之和 = 年度资金总额（全年预算数）"),
    Rule("B3", WARNING, "B", "各附件3 全年预算数之和 = 附件1 项目支出"),
    Rule("B4", WARNING, "B", "各附件3 全年执行数之和 = 附件1 项目支出"),
    Rule("B6", WARNING, "B", "附件2 不得将年初总额与全年分项混用"),
    Rule("C1", ERROR, "C", "一级（及标有分值的二级）指标下各行分值之和 = 该指标标注的分值；各一级指标分值之和 = 指标块标题分值"),
    Rule("C2", ERROR, "C", "预算执行分值 + 各指标分值 = 100 = 总分行分值（分值合计不为 100 时不给总分和等级）"),
    Rule("C3", WARNING, "C", "一级指标分值与规则配置不同，或与表式所附注中统一设置的分值不同（表式自成一体地印有自己的分值时仅提示）"),
    Rule("C4", ERROR, "C", "分值缺失或不是数字"),
    Rule("C5", WARNING, "C", "缺少一级指标（产出、效益、满意度；或项目决策、项目管理、项目产出、项目效益）"),
    Rule("C6", ERROR, "C", "表中没有绩效指标（不给总分和等级）"),
    Rule("D1", ERROR, "D", "0 ≤ 得分 ≤ 分值"),
    Rule("D2", ERROR, "D", "总分得分 = 预算执行得分 + 各指标得分（表格被截断时：不超过可能的最高分）"),
    Rule("D3", ERROR, "D", "填报得分与按规则计算的得分不符（定性指标按文字判定时：达成档次内为提示，档次外为警告）"),
    Rule("D4", ERROR, "D", "定性指标得分超出所选（或实际完成值写明）的评价档次"),
    Rule("D5", WARNING, "D", "完成值超过目标 {overshoot} 及以上须填写偏差说明"),
    Rule("D6", ERROR, "D", "等级与总分不符"),
    Rule("D8", INFO, "D", "全部满分且定性指标为套话，自评可能流于形式"),
    Rule("D9", WARNING, "D", "指标无法按规则评分：说明须补填或改正的内容（表式自带计分标准、保留填报得分时为提示）"),
    Rule("E1", WARNING, "E", "实际完成值应为实际观测值，不能是目标式表述（此类指标无法评分）"),
    Rule("E2", WARNING, "E", "三级指标应为指标名称，不能是数值、时限或完成情况"),
    Rule("E3", WARNING, "E", "年度指标值与实际完成值单位应一致（频次折算为提示）"),
    Rule("E4", WARNING, "E", "成本指标等于年初或全年预算数、经济效益指标等于支出金额，或以资金金额作为产出指标"),
    Rule("E5", WARNING, "E", "扣分或未达目标时须填写偏差原因（“无”“0”不是原因）"),
    Rule("E7", WARNING, "E", "模板占位符、提示语、空模板行未删除（表格和报告中），或必填单元格为空"),
    Rule("E8", WARNING, "E", "年度总体目标的实际完成情况照抄预期目标、保留提示语或只有一两个字"),
    Rule("E9", WARNING, "E", "满意度指标的年度指标值应为百分比"),
    Rule("E10", WARNING, "E", "“其中”子行之和应等于上级行（子行只有一行时不应超过上级行）"),
    Rule("E11", WARNING, "E", "资金块已按执行率计分时，产出、效益指标不得再用预算执行率、经费使用率等衡量资金花了多少（重复计分）"),
    Rule("E12", WARNING, "E", "预算执行率（预算完成率）指标的年度指标值不应低于 {low_rate}"),
    Rule("E13", WARNING, "E", "指标名称、年度指标值或年度总体目标中的时限年份早于本表年度（照抄往年的时限）"),
    Rule("E14", WARNING, "E", "年度指标值应是可衡量的目标，不能是“是否…”的问题或“…的评价”；成本指标不能只写“是/否”"),
    Rule("E15", WARNING, "E", "产出数量指标的年度指标值不应只设上限（≤、以内），否则完成为 0 也算达标"),
    Rule("E16", INFO, "E", "多项成本指标的金额合计等于预算数或执行数：只是把预算分块，没有单位成本"),
    Rule("E17", WARNING, "E", "满意度、合格率等比率不可能超过 100%"),
    Rule("E18", INFO, "E", "项目名称写成了表格标题（“…绩效自评表”）"),
    Rule("F1", ERROR, "F", "附件4 报告引用的金额须与附件3 一致"),
    Rule("F2", WARNING, "F", "报告称有预算与决算差异，而表格并无差异"),
    Rule("F4", WARNING, "F", "年度总体目标在项目之间照抄"),
    Rule("F6", ERROR, "F", "附件2 引用的基本支出、项目支出等金额须与附件1 一致"),
    Rule("F7", WARNING, "F", "多份附件4 的绩效分析、问题或措施部分内容完全相同（套话）"),
    Rule("F8", INFO, "F", "附件4 绩效目标完成情况分析中引用的指标数值在附件3 中找不到"),
    Rule("I1", WARNING, "I", "导入时有单元格无法归入表式的任何栏目（列出文件、表、行、列与原文）"),
    Rule("I2", ERROR, "I", "导入的表格不是可识别的绩效自评表"),
    Rule("I3", WARNING, "I", "表上标注的金额单位与金额数额不符（如标“万元”而金额以元计）"),
    Rule("I4", WARNING, "I", "表上没有找到年度"),
    Rule("V1", ERROR, "V", "金额、执行率、得分或得分系数无法识别为数字"),
    Rule("V2", WARNING, "V", "JSON 同一对象中有重复的键（按最后一个读取）", source="reader"),
    Rule("F5", WARNING, "F", "报告称“无问题”而表格有错误或执行率低于 {low_rate}；或实际完成情况称“已完成”，而执行率低于 {low_rate} 且没有说明原因"),
    Rule("W1", WARNING, "W", "公式单元格被手工改为常数（已按填入的值读取）", source="reader"),
    Rule("W2", ERROR, "W", "公式单元格为错误值：无法评分或无法计算（原因见说明）", source="reader"),
    Rule("W3", WARNING, "W", "公式被改动，或填写格中的公式没有保存计算结果（按单元格保存的值读取）", source="reader"),
    Rule("W4", ERROR, "W", "单元格内容无法读取（文件中保存的不是有效的数字、文字或日期，或地址无效），按空白读取",
         source="reader"),
    Rule("X1", ERROR, "X", "申报材料中必须有值的格（执行率、分值、得分、总分等）为空，导出的表格不完整", source="export"),
)

RULES_BY_ID = {rule.id: rule for rule in RULES}
# F5 runs last: it looks at the errors every other check found (Context.findings).


def _rule_order(rule: Rule) -> tuple[str, int]:
    return rule.id[0], int(rule.id[1:])


def catalogue_markdown() -> str:
    """The catalogue as a Markdown document (the body of docs/rules.md)."""
    labels = {ERROR: "错误", WARNING: "警告", INFO: "提示"}
    lines = [
        "# 校验规则目录",
        "",
        "本文件由 `perfeval rules --markdown` 生成，请勿手改；测试会核对它与代码一致。",
        "规则中的比例与允差是 default 规则配置的值，随所用规则配置而变（见 profiles.md）。",
        "",
    ]
    for key, title in GROUPS.items():
        lines += [f"## {key}：{title}", "", "| 编号 | 级别 | 规则 | 状态 |", "| --- | --- | --- | --- |"]
        for rule in sorted((r for r in RULES if r.group == key), key=_rule_order):
                state = "已实现" if rule.implemented else f"未实现：{rule.note}"
                lines.append(f"| {rule.id} | {labels[rule.severity]} | {rule.describe()} | {state} |")
        lines.append("")
    return "\n".join(lines)
