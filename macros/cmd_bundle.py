"""``perfeval bundle -o DIR``: an offline install folder for Windows (wheels, install.bat, workbooks)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from macros.cli import EXIT_INPUT, EXIT_OK

ORDER = 60
PYTHONS = ("3.11", "3.12", "3.13")  # the Python versions the offline folder serves


def run(args: argparse.Namespace) -> int:
    """Download every wheel for Windows x64 and each Python version asked, add the install script."""
    from macros.bundle import BundleError, make_bundle

    try:
        wheels = make_bundle(args.output, args.python or PYTHONS, Path(args.wheel) if args.wheel else None)
    except BundleError as exc:
        print(f"perfeval：{exc}", file=sys.stderr)
        return EXIT_INPUT
    print(f"离线安装包：{Path(args.output).resolve()}（{len(wheels)} 个 wheel）")
    print("把整个文件夹拷到要安装的电脑上，双击其中的 install.bat；说明见 说明.txt")
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``bundle`` subcommand."""
    parser = sub.add_parser("bundle", help="制作 Windows 离线安装包（在能联网的电脑上运行，含全部依赖与安装脚本）")
    parser.add_argument("-o", "--output", required=True, metavar="文件夹", help="新建的安装包文件夹（须不存在或为空）")
    parser.add_argument("--python", nargs="+", choices=PYTHONS, metavar="版本",
                        help=f"只下载这些 Python 版本的依赖（默认 {'、'.join(PYTHONS)} 全部）")
    parser.add_argument("--wheel", metavar="文件", help="使用已有的 perfeval wheel（不在源代码文件夹中运行时）")
    parser.set_defaults(handler=run)
