"""The ``perfeval`` command line: subcommands are the ``macros.cmd_*`` modules.

Each such module defines ``ORDER`` (position in help), ``register(subparsers)`` which adds
its parser and sets ``handler`` to a function ``(args) -> int`` returning the exit code.
Registering is cheap: a command module imports what it works with (the engine, the workbook
stack, python-docx …) inside its handler, so ``perfeval --help`` and ``perfeval validate
x.json`` load only what they use (``bench/bench_startup.py``; ``tests/test_cli_shell.py``).

Everything the user sees is Chinese, argparse's own words included (:mod:`macros.argparse_zh`);
errors a user can cause (bad input, a folder that cannot be written, a workbook open in
Excel, a closed pipe) are one Chinese line and an exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import pkgutil
import signal
import sys
from collections.abc import Iterator, Sequence

import macros

from .argparse_zh import ChineseParser, VersionAction, install

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2
EXIT_INTERRUPTED, EXIT_PIPE = 130, 141


def _command_modules() -> list:
    names = [m.name for m in pkgutil.iter_modules(macros.__path__) if m.name.startswith("cmd_")]
    modules = [importlib.import_module(f"macros.{name}") for name in names]
    return sorted(modules, key=lambda m: getattr(m, "ORDER", 99))


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every discovered subcommand (argparse speaking Chinese)."""
    install()
    parser = ChineseParser(prog="perfeval", description="预算绩效自评：评分、校验、主工作簿与导出")
    parser.add_argument("-V", "--version", action=VersionAction, help="显示 perfeval 的版本并退出")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseParser)
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


def _terminated(signum: int, _frame: object) -> None:
    """SIGTERM/SIGHUP: unwind like an interrupt so temporary files and LibreOffice are cleaned up."""
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def _signals_unwind() -> Iterator[None]:
    """While a command runs, SIGTERM and SIGHUP unwind it (previous handlers restored after)."""
    saved = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is None:
            continue
        try:
            saved[number] = signal.signal(number, _terminated)
        except (ValueError, OSError):  # not the main thread, or not allowed here
            pass
    try:
        yield
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


def _stdout_gone() -> None:
    """The reader of our output went away (``perfeval validate x | head``): stop quietly."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _run(args: argparse.Namespace) -> int:
    from xlfuncs.filing import FilingError
    from xlfuncs.profiles import ProfileError

    from .oserrors import describe_os_error

    try:
        return args.handler(args)
    except (FilingError, ProfileError) as exc:
        print(f"perfeval：{exc}", file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:
        raise
    except OSError as exc:
        print(f"perfeval：{describe_os_error(exc)}", file=sys.stderr)
        return EXIT_INPUT


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``perfeval`` console script."""
    _force_utf8()
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "handler", None):
            parser.print_help()
            return EXIT_INPUT
        with _signals_unwind():
            code = _run(args)
            sys.stdout.flush()
        return code
    except BrokenPipeError:
        _stdout_gone()
        return EXIT_PIPE
    except KeyboardInterrupt:
        print("perfeval：已中断", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    raise SystemExit(main())
