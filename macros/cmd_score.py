"""``perfeval score PATH``: recomputed scores per table."""

from __future__ import annotations

import argparse
import sys

from macros.cli import EXIT_OK, add_profile_option

ORDER = 20


def run(args: argparse.Namespace) -> int:
    """Print each table's budget score, indicator scores, total and grade."""
    from macros.presenter import scores_payload, scores_text
    from macros.session import open_session
    from xlfuncs import jsonio

    session = open_session(args.path, args.profile)
    if session.choice.note:
        print(f"perfeval：{session.choice.note}", file=sys.stderr)
    scores = session.evaluation.scores
    if args.json:
        print(jsonio.dumps({"profile": session.profile.name, "tables": scores_payload(scores)}))
        return EXIT_OK
    print(scores_text(scores, session.filing))
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``score`` subcommand."""
    parser = sub.add_parser("score", help="按规则重新计算各表得分、总分与等级")
    parser.add_argument("path", metavar="文件", help="填报 JSON 文件或主工作簿（.xlsx/.xlsm）")
    add_profile_option(parser)
    parser.add_argument("--json", action="store_true", help="输出 JSON（供程序读取）")
    parser.set_defaults(handler=run)
