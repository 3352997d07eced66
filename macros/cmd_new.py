"""``perfeval new``: build the master workbook, blank or from a filing (a filing JSON, last year's
master workbook, or any document ``perfeval import`` reads, opened the same way)."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from macros.cli import EXIT_FINDINGS, EXIT_OK
from xlfuncs.limits import MAX_PROJECTS

ORDER = 30
DEFAULT_STEM = "绩效自评主表"
RUNTIMES = {  # runtime → (file suffix, description)
    "desktop": (".xlsm", "带宏与按钮的桌面版（Windows Excel + 本机 Python/xlwings）"),
    "lite": (".xlsx", "xlwings Lite 版（代码内嵌于工作簿）"),
    "plain": (".xlsx", "普通 .xlsx（无宏，公式在没有 perfeval 的电脑上显示保存的结果）"),
}


def _projects(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"项目数应为整数，而不是“{text}”") from None
    if not 1 <= value <= MAX_PROJECTS:
        raise argparse.ArgumentTypeError(f"项目数应在 1–{MAX_PROJECTS} 之间（一个主工作簿最多 {MAX_PROJECTS} 张项目表）")
    return value


def _runtime(args: argparse.Namespace) -> str:
    """The runtime asked for, or the one the output name implies (.xlsx → plain, else desktop)."""
    if args.runtime:
        return args.runtime
    if args.output and Path(args.output).suffix.lower() == ".xlsx":
        return "plain"
    return "desktop"


def source_profile(source) -> str:
    """The profile a workbook made from ``source`` carries: the source's own, a relative path made
    absolute from the source's folder (where it points from), else the default."""
    from xlfuncs.profiles import DEFAULT_PROFILE, load_profile

    own = source.profile or source.filing.get("profile")
    return load_profile(own, base=source.path.parent).spec if own else DEFAULT_PROFILE


def write_master_workbook(filing: dict | None, target: Path, runtime: str, projects: int, profile: str) -> None:
    """Build the master workbook for a runtime (plain, desktop .xlsm, lite) at ``target``, atomically."""
    from workbook.builder import build_workbook  # the workbook stack loads only when needed

    if runtime != "lite":
        build_workbook(filing, target, projects=projects, profile=profile, runtime=runtime)
        return
    from workbook.lite import make_lite_workbook

    with tempfile.TemporaryDirectory(prefix="perfeval-new-") as folder:
        plain = build_workbook(filing, Path(folder) / "plain.xlsx", projects=projects, profile=profile)
        make_lite_workbook(plain, target)


def run(args: argparse.Namespace) -> int:
    """Write the workbook; never over an existing file unless --force."""
    from macros.inputs import open_source
    from xlfuncs.filing import FilingError
    from xlfuncs.profiles import DEFAULT_PROFILE

    if args.output and not args.runtime and Path(args.output).suffix.lower() not in (".xlsx", ".xlsm"):
        raise FilingError(f"输出文件“{Path(args.output).name}”应以 .xlsm（桌面版）或 .xlsx（普通版、Lite 版）结尾")
    runtime = _runtime(args)
    suffix = RUNTIMES[runtime][0]
    target = Path(args.output) if args.output else Path.cwd() / f"{DEFAULT_STEM}{suffix}"
    if target.suffix.lower() != suffix:
        raise FilingError(f"输出文件“{target.name}”应以 {suffix} 结尾（{RUNTIMES[runtime][1]}）")
    if target.exists() and target.is_dir():
        raise FilingError(f"“{target}”是文件夹")
    if target.exists() and not args.force:
        raise FilingError(f"“{target}”已存在，未覆盖；如需覆盖请加 --force，或用 -o 指定其他文件名")
    source = open_source(args.source) if args.source else None
    filing = source.filing if source else None
    if len((filing or {}).get("projects") or []) > MAX_PROJECTS:
        raise FilingError(f"“{args.source}”有 {len(filing['projects'])} 张项目表，超过主工作簿的上限 {MAX_PROJECTS} 张")
    profile = args.profile or (source_profile(source) if source else DEFAULT_PROFILE)
    write_master_workbook(filing, target, runtime, args.projects, profile)
    count = max(len((filing or {}).get("projects") or []), args.projects)
    origin = f"由“{args.source}”导入" if args.source else "空白"
    problems = []
    if source is not None and source.imported is not None:  # documents: say what was read, as import does
        from macros.cmd_import import report_recognition

        problems = report_recognition(source)
    print(f"已生成主工作簿（{origin}，附件1 + {count} 张项目表，{RUNTIMES[runtime][1]}）：{target}")
    return EXIT_FINDINGS if problems else EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``new`` subcommand."""
    parser = sub.add_parser("new", help="生成主工作簿（附件1、附件3-N 等），可由填报 JSON、去年的主工作簿或 Word/Excel 等文件导入")
    parser.add_argument("--from", dest="source", metavar="文件",
                        help="由填报 JSON、主工作簿、Word/Excel/网页/PDF 或导出的材料包导入（与 perfeval import 读法相同）")
    parser.add_argument("--projects", type=_projects, default=1, metavar="N",
                        help="项目表（附件3-N）张数，默认 1；导入时至少为文件中的项目数")
    parser.add_argument("-o", "--output", metavar="文件",
                        help=f"输出文件，默认当前文件夹下“{DEFAULT_STEM}.xlsm”（桌面版）或 .xlsx")
    parser.add_argument("--runtime", choices=tuple(RUNTIMES),
                        help="desktop：带宏与按钮的 .xlsm（默认）；lite：xlwings Lite 版 .xlsx；"
                             "plain：普通 .xlsx。不指定时按输出文件扩展名判断")
    parser.add_argument("--profile", default=None, metavar="名称或文件",
                        help="工作簿的规则配置（名称或 .toml 文件路径）；不写时用填报文件自带的配置，都没有时用 default")
    parser.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    parser.set_defaults(handler=run)
