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
    Rule("A1", ERROR, "A", "年度资金总额 = 当年财政拨款 + 上年结转资金 + 其他资金（年初、全年、执行各列）"),
    Rule("A2", ERROR, "A", "填报执行率 = 全年执行数 ÷ 全年预算数（允差 {rate_tolerance}）"),
    Rule("A3", WARNING, "A", "全年执行数超过全年预算数"),
    Rule("A4", ERROR, "A", "填报的预算执行得分 = 按规则重算的得分"),
    Rule("A5", WARNING, "A", "分值、得分只填在年度资金总额行，其中各行填“—”"),
    Rule("A6", WARNING, "A", "年初预算数 ≠ 全年预算数 时须说明调整原因"),
    Rule("A7", WARNING, "A", "执行率低于 {low_rate} 时须说明原因"),
    Rule("B1", ERROR, "B", "基本支出 + 项目支出 = 年度资金总额（全年预算数）"),
    Rule("B2", ERROR, "B", "按收入性质分各项之和 = 年度资金总额（全年预算数）"),
    Rule("B3", WARNING, "B", "各附件3 全年预算数之和 = 附件1 项目支出"),
    Rule("B4", WARNING, "B", "各附件3 全年执行数之和 = 附件1 项目支出"),
    Rule("B6", WARNING, "B", "附件2 不得将年初总额与全年分项混用"),
    Rule("C1", ERROR, "C", "一级指标下各行分值之和 = 该一级指标的分值"),
    Rule("C2", ERROR, "C", "预算执行分值 + 各指标分值 = 100 = 总分行分值"),
    Rule("C3", WARNING, "C", "一级指标分值与规则配置不同（如有特殊情况须说明）"),
    Rule("C4", ERROR, "C", "分值缺失或不是数字"),
    Rule("D1", ERROR, "D", "0 ≤ 得分 ≤ 分值"),
    Rule("D2", ERROR, "D", "总分得分 = 预算执行得分 + 各指标得分"),
    Rule("D3", ERROR, "D", "填报得分与按规则计算的得分不符（定性指标按文字判定时为警告）"),
    Rule("D4", ERROR, "D", "定性指标得分超出所选评价档次"),
    Rule("D5", WARNING, "D", "完成值超过目标 {overshoot} 及以上须填写偏差说明"),
    Rule("D6", ERROR, "D", "等级与总分不符"),
    Rule("D8", INFO, "D", "全部满分且定性指标为套话，自评可能流于形式"),
    Rule("E1", WARNING, "E", "实际完成值应为实际观测值，不能是目标式表述（此类指标无法评分）"),
    Rule("E2", WARNING, "E", "三级指标应为指标名称，不能是数值或完成情况"),
    Rule("E3", WARNING, "E", "年度指标值与实际完成值单位应一致（频次折算为提示）"),
    Rule("E4", WARNING, "E", "成本指标等于预算总额，或经济效益指标等于支出金额"),
    Rule("E5", WARNING, "E", "扣分或未达目标时须填写偏差原因分析及改进措施"),
    Rule("E7", WARNING, "E", "模板占位符、提示语未删除，或必填单元格为空"),
    Rule("F1", ERROR, "F", "附件4 报告引用的金额须与附件3 一致"),
    Rule("F2", WARNING, "F", "报告称有预算与决算差异，而表格并无差异"),
    Rule("F4", WARNING, "F", "年度总体目标在项目之间照抄"),
    Rule("I1", WARNING, "I", "导入时有单元格无法归入表式的任何栏目（列出文件、表、行、列与原文）"),
    Rule("I2", ERROR, "I", "导入的表格不是可识别的绩效自评表"),
    Rule("I3", WARNING, "I", "表上标注的金额单位与金额数额不符（如标“万元”而金额以元计）"),
    Rule("I4", WARNING, "I", "表上没有找到年度"),
    Rule("V1", ERROR, "V", "金额、执行率或得分无法识别为数字"),
    Rule("V2", WARNING, "V", "JSON 同一对象中有重复的键（按最后一个读取）", source="reader"),
    Rule("W1", WARNING, "W", "公式单元格被手工改为常数（已按填入的值读取）", source="reader"),
    Rule("W2", ERROR, "W", "公式单元格为错误值：无法评分或无法计算（原因见说明）", source="reader"),
    Rule("W3", WARNING, "W", "公式被改动，或填写格中的公式没有保存计算结果（按单元格保存的值读取）", source="reader"),
    Rule("X1", ERROR, "X", "申报材料中必须有值的格（执行率、分值、得分、总分等）为空，导出的表格不完整", source="export"),
)

RULES_BY_ID = {rule.id: rule for rule in RULES}


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
        for rule in RULES:
            if rule.group == key:
                state = "已实现" if rule.implemented else f"未实现：{rule.note}"
                lines.append(f"| {rule.id} | {labels[rule.severity]} | {rule.describe()} | {state} |")
        lines.append("")
    return "\n".join(lines)
