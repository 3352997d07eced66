"""``perfeval validate PATH...``: every finding of filing JSONs and master workbooks.

One file prints exactly what it always did. Several files or a folder are examined in one
process with ``-j N`` workers (:mod:`macros.batch`, the worker ``perfeval review`` uses too):
per-file findings as they arrive, ``--json`` as JSON Lines (one object per file), and a
one-line summary. Exit code 2 when any file could not be read, else 1 when any has errors.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from macros.cli import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, add_profile_option

ORDER = 10


def _single(args: argparse.Namespace) -> int:
    from macros.presenter import findings_json, findings_text
    from macros.session import open_session

    session = open_session(args.paths[0], args.profile)
    for note in [*session.notes, session.choice.note]:
        if note:
            print(f"perfeval：{note}", file=sys.stderr)
    title = f"校验：{args.paths[0]}"
    print(findings_json(session.findings) if args.json else findings_text(session.findings, title))
    return EXIT_FINDINGS if session.errors else EXIT_OK


def batch_summary(files: int, errors_in: int, unreadable: list[str], totals: dict[str, int], seconds: float,
                  skipped: int = 0) -> str:
    """One Chinese line: files, how many have errors or could not be read (named), counts, speed."""
    rate = f"，{files / seconds:.0f} 个/秒" if seconds > 0 and files > 1 else ""
    line = (f"共校验 {files} 个文件：{errors_in} 个有错误，{len(unreadable)} 个无法读取；"
            f"错误 {totals['errors']}、警告 {totals['warnings']}、提示 {totals['info']}；"
            f"用时 {seconds:.1f} 秒{rate}")
    if skipped:
        line += f"；另有 {skipped} 个不是填报的文件未校验"
    if unreadable:
        shown = "、".join(unreadable[:5]) + (f" 等 {len(unreadable)} 个" if len(unreadable) > 5 else "")
        line += f"。无法读取：{shown}"
    return line


def _batch(args: argparse.Namespace) -> int:
    from macros.batch import default_jobs, examine_all
    from macros.discover import discover
    from macros.presenter import findings_text
    from xlfuncs import jsonio
    from xlfuncs.profiles import load_profile

    if args.profile:
        load_profile(args.profile)  # a wrong name stops here, once, not in every worker
    found = discover(args.paths)
    for path in found.missing:
        print(f"perfeval：找不到“{path}”", file=sys.stderr)
    started = time.perf_counter()
    totals = {"errors": 0, "warnings": 0, "info": 0}
    errors_in, unreadable = 0, list(found.missing)
    for result in examine_all(found.files, args.profile, args.jobs or default_jobs()):
        if result.profile_note:
            print(f"perfeval：{result.path}：{result.profile_note}", file=sys.stderr)
        if not result.readable:
            unreadable.append(result.path)
            print(jsonio.dumps({"file": result.path, "error": result.reason}, indent=None) if args.json
                  else f"校验：{result.path}\n无法读取：{result.reason}\n")
            continue
        errors_in += result.summary["errors"] > 0
        for key in totals:
            totals[key] += result.summary[key]
        if args.json:
            print(jsonio.dumps({"file": result.path, "findings": result.findings, "summary": result.summary},
                               indent=None))
        else:
            print(findings_text(result.finding_objects(), f"校验：{result.path}") + "\n")
    summary = batch_summary(len(found.files) + len(found.missing), errors_in, unreadable, totals,
                            time.perf_counter() - started, found.skipped)
    print(summary, file=sys.stderr if args.json else sys.stdout)
    if unreadable:
        return EXIT_INPUT
    return EXIT_FINDINGS if errors_in else EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Print findings; exit 1 when any is an error, 2 when a file could not be read."""
    from macros.discover import is_package_folder

    if len(args.paths) == 1 and (not os.path.isdir(args.paths[0]) or is_package_folder(Path(args.paths[0]))):
        return _single(args)  # one file, or one exported package folder
    return _batch(args)


def jobs_option(text: str) -> int:
    """``-j N``: a positive number of worker processes."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"进程数应为整数，而不是“{text}”") from None
    if not 1 <= value <= 256:
        raise argparse.ArgumentTypeError("进程数应在 1–256 之间")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``validate`` subcommand."""
    parser = sub.add_parser("validate", help="校验填报文件（JSON）、主工作簿或 Word/Excel/网页/PDF/材料包，列出所有问题；"
                                              "可一次校验多个文件或文件夹")
    parser.add_argument("paths", nargs="+", metavar="文件",
                        help="填报 JSON 文件、主工作簿（.xlsx/.xlsm）、perfeval import 能读的文件（Word、Excel、网页、PDF、"
                             "表格网格 JSON、导出的材料包文件夹或 .zip），或文件夹")
    add_profile_option(parser)
    parser.add_argument("--json", action="store_true",
                        help="输出 JSON（供程序读取）；多个文件时每行一个文件的 JSON 对象")
    parser.add_argument("-j", "--jobs", type=jobs_option, default=None, metavar="N",
                        help="多个文件时并行的进程数，默认为本机 CPU 核数")
    parser.set_defaults(handler=run)
