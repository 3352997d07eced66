"""``perfeval validate PATH``: every finding of a filing JSON or master workbook."""

from __future__ import annotations

import argparse
import sys

from macros.cli import EXIT_FINDINGS, EXIT_OK, add_profile_option

ORDER = 10


def run(args: argparse.Namespace) -> int:
    """Print findings; exit 1 when any is an error."""
    from macros.presenter import findings_json, findings_text
    from macros.session import open_session

    session = open_session(args.path, args.profile)
    if session.choice.note:
        print(f"perfeval：{session.choice.note}", file=sys.stderr)
    print(findings_json(session.findings) if args.json else findings_text(session.findings, f"校验：{args.path}"))
    return EXIT_FINDINGS if session.errors else EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``validate`` subcommand."""
    parser = sub.add_parser("validate", help="校验填报文件（JSON）或主工作簿，列出所有问题")
    parser.add_argument("path", metavar="文件", help="填报 JSON 文件或主工作簿（.xlsx/.xlsm）")
    add_profile_option(parser)
    parser.add_argument("--json", action="store_true", help="输出 JSON（供程序读取）")
    parser.set_defaults(handler=run)
