"""Corpus report (run by hand): for each published table of ``tests/corpus/``, the family and
tables recognised, the reviewer's problems found / expected / out of reach, every false positive
(rule, pointer, message) and the recomputed scores against the review's; the last line is the
one-line summary.

    python bench/corpus_report.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from corpus_harness import FILES, TableReport, run, summary  # noqa: E402


def _block(report: TableReport) -> list[str]:
    cut = "" if report.complete else "（不完整）"
    lines = [f"== {report.id}{cut}",
             f"   表式 {', '.join(report.families)}；识别 {report.recognised}/{report.tables} 张表；"
             f"未归位单元格 {report.unplaced}",
             f"   问题：找到 {report.found}/{len(report.problems)}，超出能力 {report.out_of_reach}，"
             f"漏报 {len(report.missed)}"]
    for problem in report.missed:
        rules = ", ".join(f"{e['rule']}@{e['pointer']}" for e in problem.expected)
        pending = f"（目录中尚无：{', '.join(problem.pending)}）" if problem.pending else ""
        lines.append(f"   漏报 [{problem.severity}] {problem.where}：应有 {rules}{pending}")
    for finding in report.false_positives:
        lines.append(f"   误报 [{finding.severity} {finding.rule}] {finding.pointer}：{finding.message[:100]}")
    for score in report.scores:
        mark = "✓" if score.ok else "✗"
        lines.append(f"   得分 {score.name}：期望 {score.expected}，重算 {score.got} {mark}")
    return lines


def main() -> int:
    """Print the report; the last line is the summary."""
    reports = [run(path) for path in FILES]
    for report in reports:
        print("\n".join(_block(report)))
    print(summary(reports))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
