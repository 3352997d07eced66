"""``perfeval check 工作簿.xlsx``: what the 校验 button does, for users without Excel.

Reads the master workbook (as saved by Excel, WPS, LibreOffice …), validates it through the
session step every door uses, and writes a NEW workbook next to it (``工作簿（已校验）.xlsx``,
never over it) with fresh cached values (the cells that showed 待计算 now show their scores),
the marks on the cells with problems and the 校验结果 sheet filled; then says where it is.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from macros.cli import EXIT_FINDINGS, EXIT_OK, add_profile_option

ORDER = 15


def check_workbook(path: Path, output: Path | None = None, profile: str | None = None):
    """Validate the workbook at ``path`` and write its checked copy; return (session, copy path)."""
    from macros.session import session_from_grids
    from workbook.checked import checked_name, fresh_values, write_checked_copy
    from workbook.marks import RESULTS, validation_view
    from workbook.package_read import check_file, grids_from_file
    from workbook.sheet_grid import grid_rows
    from xlfuncs.filing import FilingError

    check_file(path)
    grids = grids_from_file(path)
    try:
        session = session_from_grids(grids, source=f"“{path.name}”", profile=profile, base=path.parent)
        session.path = path
        results = grids.get(RESULTS.sheet)
        rows = grid_rows(results, len(RESULTS.columns)) if results is not None else None
        view = validation_view(session.findings, session.reading.shape, rows,
                               lambda sheet, cell: sheet in grids and cell in grids[sheet].notes)
        values = fresh_values(session.reading, grids)
    finally:
        grids.close()
    target = output or checked_name(path)
    if target.resolve() == path.resolve():
        raise FilingError(f"输出文件不能是要校验的工作簿本身：{path.name}")
    write_checked_copy(path, target, values, view)
    return session, target


def run(args: argparse.Namespace) -> int:
    """Validate, write the checked copy, print the findings and where the copy is."""
    from macros.presenter import findings_text  # the engine loads when checking, not at start-up
    from xlfuncs.filing import FilingError

    path = Path(args.path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise FilingError(f"perfeval check 用于主工作簿（.xlsx/.xlsm），“{path.name}”不是；填报 JSON 或 Word、PDF 等"
                          "请用 perfeval validate，或先用 perfeval import 文件 -o 主工作簿.xlsx 生成主工作簿")
    output = Path(args.output) if args.output else None
    if output is not None and output.exists() and not args.force:
        raise FilingError(f"“{output}”已存在，未覆盖；如需覆盖请加 --force")
    session, target = check_workbook(path, output, args.profile)
    if session.choice.note:
        print(f"perfeval：{session.choice.note}", file=sys.stderr)
    print(findings_text(session.findings, f"校验：{path}"))
    print()
    print(f"已写出校验后的工作簿（重新计算了全部公式，问题单元格已标色，见“校验结果”工作表）：{target}")
    print("原工作簿未改动。")
    return EXIT_FINDINGS if session.errors else EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``check`` subcommand."""
    parser = sub.add_parser("check", help="校验主工作簿，另存一份重新计算、标出问题并填好“校验结果”的工作簿"
                                          "（没有 Excel 或不能启用宏时用）")
    parser.add_argument("path", help="主工作簿（.xlsx/.xlsm），可以是 WPS、LibreOffice 保存的")
    parser.add_argument("-o", "--output", metavar="PATH", help="另存到此文件（默认：原文件名加“（已校验）”，放在原文件旁）")
    parser.add_argument("--force", action="store_true", help="-o 指定的文件已存在时覆盖")
    add_profile_option(parser)
    parser.set_defaults(handler=run)
