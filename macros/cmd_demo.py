"""``perfeval demo``: the main job on the embedded seed filing."""

from __future__ import annotations

import argparse

from macros.cli import EXIT_OK
from macros.presenter import findings_text, scores_text
from xlfuncs.engine import evaluate
from xlfuncs.filing import embedded_seed, view
from xlfuncs.values import clean_text

ORDER = 0


def run(args: argparse.Namespace) -> int:
    """Validate and score the embedded seed (株洲市渌口区机关事务服务中心 2022)."""
    filing = embedded_seed()
    evaluation = evaluate(filing, args.profile)
    print(f"示例：{filing['unit']} {filing['year']} 年度绩效自评（内置样例，含原始填报错误）")
    print()
    print(findings_text(evaluation.findings, "校验结果"))
    print()
    names = [[clean_text(i.level3.raw) for i in t.indicators] for t in view(filing).tables]
    print("重新计算的得分")
    print(scores_text(evaluation.scores, names))
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``demo`` subcommand."""
    parser = sub.add_parser("demo", help="用内置样例（渌口区机关事务服务中心 2022）演示全流程")
    parser.add_argument("--profile", default="default", help="规则配置名称（默认 default）")
    parser.set_defaults(handler=run)
