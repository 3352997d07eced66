"""``perfeval score PATH``: recomputed scores per table."""

from __future__ import annotations

import argparse
import json

from macros.cli import EXIT_OK
from macros.inputs import open_source
from macros.presenter import scores_payload, scores_text
from xlfuncs.engine import score_filing

ORDER = 20


def run(args: argparse.Namespace) -> int:
    """Print each table's budget score, indicator scores, total and grade."""
    source = open_source(args.path)
    scores = score_filing(source.filing, args.profile)
    if args.json:
        print(json.dumps({"profile": args.profile, "tables": scores_payload(scores)},
                         ensure_ascii=False, indent=2))
        return EXIT_OK
    print(scores_text(scores, source.filing))
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``score`` subcommand."""
    parser = sub.add_parser("score", help="按规则重新计算各表得分、总分与等级")
    parser.add_argument("path", help="填报 JSON 文件或主工作簿（.xlsx/.xlsm）")
    parser.add_argument("--profile", default="default", help="规则配置名称（默认 default）")
    parser.add_argument("--json", action="store_true", help="输出 JSON（供程序读取）")
    parser.set_defaults(handler=run)
