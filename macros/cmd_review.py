"""``perfeval review FOLDER|FILE... -o 审核汇总.xlsx``: the finance bureau's batch review.

Every filing found is examined in a worker pool (:mod:`macros.batch`, the worker ``validate``
uses), and the review workbook (:mod:`macros.review_book`) is written as results stream in.
A previous review at ``-o`` is read first (:mod:`macros.review_previous`): what the reviewer
typed is carried over, what changed is marked, rows whose filing disappeared stay. The
previous file is never overwritten: it is renamed to a dated backup, or, when it cannot be
moved (open in Excel on Windows), the new review is written beside it. ``--returns DIR``
writes the 退回修改 letters (:mod:`macros.review_letters`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path
from typing import Any

from macros.cli import EXIT_INPUT, EXIT_OK, add_profile_option
from macros.cmd_validate import jobs_option
from xlfuncs.fileio import publish, temp_beside

ORDER = 15
DEFAULT_OUTPUT = "审核汇总.xlsx"
BACKUP_MARK = ".备份-"


def _unique(path: Path) -> Path:
    candidate, count = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}_{count}{path.suffix}")
        count += 1
    return candidate


def backup_path(out: Path, when: dt.datetime) -> Path:
    """Where the previous review goes: ``审核汇总.备份-20250312-093000.xlsx`` beside it."""
    return _unique(out.with_name(f"{out.stem}{BACKUP_MARK}{when:%Y%m%d-%H%M%S}{out.suffix}"))


def place_review(written: Path, out: Path, when: dt.datetime) -> tuple[Path, Path | None]:
    """Move the new review to ``out``, the old one to a dated backup first; (where it went, backup)."""
    if not out.exists():
        publish(written, out)
        return out, None
    backup = backup_path(out, when)
    try:
        os.rename(out, backup)
    except OSError:  # e.g. open in Excel on Windows: leave it, put the new one beside it
        beside = _unique(out.with_name(f"{out.stem}-{when:%Y%m%d-%H%M%S}{out.suffix}"))
        publish(written, beside)
        return beside, None
    publish(written, out)
    return out, backup


def _own_files(out: Path, returns: str | None) -> list[Path]:
    """The review file, its backups and the letters folder: never reviewed as filings."""
    own = [out, *out.parent.glob(f"{out.stem}{BACKUP_MARK}*{out.suffix}"), *out.parent.glob(f"{out.stem}-*{out.suffix}")]
    return own + ([Path(returns)] if returns else [])


def file_label(path: str, base: Path) -> str:
    """How 汇总 names a file: relative to the review's folder when inside it, else absolute."""
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path(os.path.abspath(base))))
    except ValueError:
        return str(absolute)


class _Progress:
    """A tqdm bar on the terminal; nothing when stdout is not one."""

    def __init__(self, total: int) -> None:
        self.bar = None
        if sys.stdout.isatty() and total > 1:
            from tqdm import tqdm

            tqdm.monitor_interval = 0  # no monitor thread: the worker pool forks after the bar exists
            self.bar = tqdm(total=total, unit="个", desc="审核", file=sys.stderr, leave=False, dynamic_ncols=True)

    def step(self) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _profile_words(option: str | None, used: dict[str, int]) -> str:
    if option:
        return f"按命令行指定的“{option}”校验所有文件"
    listed = "、".join(f"{name}（{count} 个文件）" for name, count in sorted(used.items()))
    return "各文件自带的规则配置" + (f"：{listed}" if listed else "")


def review(paths: list[str], out: Path, *, profile: str | None, jobs: int, returns: str | None) -> dict[str, Any]:
    """Run the review and write the workbook; return what the summary line says."""
    from xlfuncs.profiles import load_profile

    from .batch import examine_all
    from .discover import discover
    from .manifest import sha256_file, tool_version
    from .review_book import ReviewBook, ReviewInfo
    from .review_previous import carry_over, read_previous
    from .review_sheet import CHANGE, GONE, NEW, result_rows

    if profile:
        load_profile(profile)  # a wrong name stops here, once
    started, now = time.perf_counter(), dt.datetime.now()
    previous = read_previous(out) if out.exists() else None
    found = discover(paths, exclude=_own_files(out, returns))
    info = ReviewInfo(now, tool_version(), "", [str(p) for p in paths], skipped=found.skipped)
    if previous:
        info.previous = f"{out.name}（SHA-256 {sha256_file(out)}，{len(previous.rows)} 行）"
    temp = temp_beside(out, suffix=".xlsx")
    used: dict[str, int] = {}
    changes = {NEW: 0, "有变化": 0, "已不在": 0}
    unreadable: list[str] = []
    progress = _Progress(len(found.files))
    try:
        book = ReviewBook(temp, previous.extras if previous else [])
        for result in examine_all(found.files, profile, jobs):
            label = file_label(result.path, out.parent)
            for row in result_rows(result, label):
                carry_over(row, previous)
                change = row.get(CHANGE) or ""
                changes[NEW] += change == NEW
                changes["有变化"] += bool(change) and change != NEW
                book.add_row(row)
                info.tables += result.readable
            book.add_findings(result, label)
            book.add_file(result, label)
            info.files += 1
            if result.readable:
                used[result.profile] = used.get(result.profile, 0) + 1
                for key in info.totals:
                    info.totals[key] += result.summary[key]
            else:
                unreadable.append(label)
            progress.step()
        progress.close()
        for row in previous.leftovers() if previous else []:
            changes["已不在"] += row[CHANGE] == GONE
            book.add_row(row)
        info.unreadable, info.profile = len(unreadable), _profile_words(profile, used)
        info.changes = changes if previous else {}
        book.close(info)
        where, backup = place_review(Path(temp), out, now)
    finally:
        progress.close()
        Path(temp).unlink(missing_ok=True)
    return {"info": info, "where": where, "backup": backup, "unreadable": unreadable, "missing": found.missing,
            "seconds": time.perf_counter() - started}


def summary_line(outcome: dict[str, Any]) -> str:
    """The one line printed at the end of a review."""
    info, seconds = outcome["info"], outcome["seconds"]
    t = info.totals
    line = (f"审核 {info.files} 个文件、{info.tables} 张表：错误 {t['errors']}、警告 {t['warnings']}、提示 {t['info']}；"
            f"无法读取 {info.unreadable} 个；用时 {seconds:.1f} 秒")
    if info.changes:
        line += "；与上次相比：" + "、".join(f"{k} {v}" for k, v in info.changes.items())
    line += f"。审核汇总：{outcome['where']}"
    if outcome["backup"]:
        line += f"（上次的审核文件已另存为 {outcome['backup'].name}）"
    elif info.previous:
        line += "（上次的审核文件无法移动，可能正被打开；已保留原样，新文件写在旁边）"
    return line


def run(args: argparse.Namespace) -> int:
    """Review the files given (or only write letters from an existing review)."""
    from .batch import default_jobs

    out = Path(args.output)
    if out.suffix.lower() != ".xlsx":
        print(f"perfeval：审核汇总应为 .xlsx 文件，而不是“{out.name}”", file=sys.stderr)
        return EXIT_INPUT
    if out.is_dir():
        print(f"perfeval：“{out}”是文件夹；请用 -o 指定审核汇总的文件名", file=sys.stderr)
        return EXIT_INPUT
    if not args.paths and not args.returns:
        print("perfeval：请给出要审核的文件或文件夹（或用 --returns 由已有的审核汇总生成退回通知）", file=sys.stderr)
        return EXIT_INPUT
    if args.paths:
        outcome = review(args.paths, out, profile=args.profile, jobs=args.jobs or default_jobs(), returns=args.returns)
        for path in outcome["missing"]:
            print(f"perfeval：找不到“{path}”", file=sys.stderr)
        print(summary_line(outcome))
        out = outcome["where"]
    elif not out.exists():
        print(f"perfeval：找不到审核汇总“{out}”", file=sys.stderr)
        return EXIT_INPUT
    if args.returns:
        from .review_letters import write_letters

        letters = write_letters(out, args.returns)
        print(f"退回修改通知 {len(letters)} 份：{Path(args.returns)}" if letters
              else "没有标为“退回修改”的表，未生成退回通知")
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``review`` subcommand."""
    parser = sub.add_parser("review", help="批量审核：多个单位的填报汇总成一个审核工作簿（可再次审核、生成退回通知）")
    parser.add_argument("paths", nargs="*", metavar="path", help="填报 JSON、主工作簿或文件夹（可多个）")
    parser.add_argument("-o", "--output", default=DEFAULT_OUTPUT, metavar="审核汇总.xlsx",
                        help=f"审核工作簿，默认“{DEFAULT_OUTPUT}”；已存在时读取其中的审核意见，旧文件另存为带日期的备份")
    add_profile_option(parser)
    parser.add_argument("-j", "--jobs", type=jobs_option, default=None, metavar="N",
                        help="并行的进程数，默认为本机 CPU 核数")
    parser.add_argument("--returns", metavar="文件夹",
                        help="为状态为“退回修改”的表生成退回修改通知（.docx），写入此文件夹")
    parser.set_defaults(handler=run)
