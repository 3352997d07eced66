"""``perfeval new``: build the master workbook, blank or from a filing JSON."""

from __future__ import annotations

import argparse
from pathlib import Path

from macros.cli import EXIT_OK
from xlfuncs.filing import FilingError, load_filing

ORDER = 30
DEFAULT_NAME = "绩效自评主表.xlsx"
MAX_PROJECTS = 200


def _projects(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"项目数应为整数，而不是“{text}”") from None
    if not 1 <= value <= MAX_PROJECTS:
        raise argparse.ArgumentTypeError(f"项目数应在 1–{MAX_PROJECTS} 之间")
    return value


def run(args: argparse.Namespace) -> int:
    """Write the workbook; never over an existing file unless --force."""
    from workbook.builder import build_workbook  # the workbook stack loads only when needed

    target = Path(args.output) if args.output else Path.cwd() / DEFAULT_NAME
    if target.suffix.lower() != ".xlsx":
        raise FilingError(f"输出文件“{target.name}”应以 .xlsx 结尾")
    if target.exists() and not args.force:
        raise FilingError(f"“{target}”已存在，未覆盖；如需覆盖请加 --force，或用 -o 指定其他文件名")
    if target.exists() and target.is_dir():
        raise FilingError(f"“{target}”是文件夹")
    filing = load_filing(args.source) if args.source else None
    build_workbook(filing, target, projects=args.projects, profile=args.profile)
    count = max(len((filing or {}).get("projects") or []), args.projects)
    origin = f"由“{args.source}”导入" if args.source else "空白"
    print(f"已生成主工作簿（{origin}，附件1 + {count} 张项目表）：{target}")
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``new`` subcommand."""
    parser = sub.add_parser("new", help="生成主工作簿（附件1、附件3-N 等），可由填报 JSON 导入")
    parser.add_argument("--from", dest="source", metavar="FILING.json", help="由填报 JSON 文件导入")
    parser.add_argument("--projects", type=_projects, default=1, metavar="N",
                        help="项目表（附件3-N）张数，默认 1；导入时至少为文件中的项目数")
    parser.add_argument("-o", "--output", metavar="PATH", help=f"输出文件（.xlsx），默认当前文件夹下“{DEFAULT_NAME}”")
    parser.add_argument("--profile", default="default", help="规则配置名称（默认 default）")
    parser.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    parser.set_defaults(handler=run)
