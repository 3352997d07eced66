"""The ``perfeval`` command line: subcommands are the ``macros.cmd_*`` modules.

Each such module defines ``ORDER`` (position in help), ``register(subparsers)`` which adds
its parser and sets ``handler`` to a function ``(args) -> int`` returning the exit code.
Errors a user can cause are printed as one Chinese line, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

import macros
from xlfuncs.filing import FilingError
from xlfuncs.profiles import ProfileError

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


def _command_modules() -> list:
    names = [m.name for m in pkgutil.iter_modules(macros.__path__) if m.name.startswith("cmd_")]
    modules = [importlib.import_module(f"macros.{name}") for name in names]
    return sorted(modules, key=lambda m: getattr(m, "ORDER", 99))


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse prints English; keep it short and exit 2
        self.print_usage(sys.stderr)
        print(f"perfeval：参数有误：{message}", file=sys.stderr)
        raise SystemExit(EXIT_INPUT)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every discovered subcommand."""
    parser = _Parser(prog="perfeval", description="预算绩效自评：评分、校验、主工作簿与导出")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    for module in _command_modules():
        module.register(sub)
    return parser


def add_profile_option(parser: argparse.ArgumentParser) -> None:
    """``--profile NAME|FILE.toml``: overrides the profile a workbook or filing carries (the run says so)."""
    parser.add_argument("--profile", default=None, metavar="名称或文件",
                        help="规则配置名称或 .toml 文件路径；不写时用工作簿或填报文件自带的配置，都没有时用 default")


def _force_utf8() -> None:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure:
            try:
                reconfigure(encoding="utf-8", errors="replace")
            except (ValueError, OSError):
                pass


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``perfeval`` console script."""
    _force_utf8()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_INPUT
    try:
        return args.handler(args)
    except (FilingError, ProfileError) as exc:
        print(f"perfeval：{exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("perfeval：已中断", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
