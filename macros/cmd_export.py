"""``perfeval export PATH [-o DIR] [--force] [--profile NAME] [--no-pdf]``: the filing package."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from macros.cli import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, add_profile_option

if TYPE_CHECKING:
    from macros.export import ExportResult

ORDER = 50


def _size(n: int) -> str:
    return f"{n / 1024:.1f} KB" if n >= 1024 else f"{n} B"


def describe(result: ExportResult) -> str:
    """What was written, where, and how long it took (Chinese)."""
    lines = []
    if result.forced:
        lines.append(f"强制导出：仍有 {result.errors} 个错误（已在校验报告和 manifest.json 中注明）")
    lines.append(f"申报材料文件夹：{result.folder}")
    lines.append(f"压缩包：{result.zip_path}")
    for path in result.files:
        lines.append(f"  {path.relative_to(result.folder).as_posix()}（{_size(path.stat().st_size)}）")
    if result.pdf is None:
        lines.append("PDF：未生成（--no-pdf）")
    elif result.pdf.ok:
        lines.append(f"PDF：已生成 {len(result.pdf.converted)} 个")
    else:
        lines.append(f"PDF：{result.pdf.note}")
    timing = f"用时：生成 {result.build_seconds:.2f} 秒"
    if result.pdf is not None:
        timing += f"，PDF 转换 {result.pdf_seconds:.2f} 秒"
    lines.append(timing)
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Export; exit 1 when refused (errors without --force, or the package exists)."""
    from macros.export import ExportFailed, ExportRefused, export_package  # python-docx: only when exporting
    from macros.oserrors import describe_os_error
    from macros.presenter import findings_text

    try:
        result = export_package(args.path, args.output, force=args.force, profile=args.profile,
                                pdf=not args.no_pdf)
    except ExportRefused as refused:
        if refused.findings:
            print(findings_text(refused.findings, f"校验：{args.path}"))
            print()
        print(f"perfeval：{refused.message}", file=sys.stderr)
        return EXIT_FINDINGS
    except ExportFailed as failed:
        print(f"perfeval：导出失败：{failed}", file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:
        raise
    except OSError as exc:
        print(f"perfeval：导出失败：{describe_os_error(exc)}", file=sys.stderr)
        return EXIT_INPUT
    print(describe(result))
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``export`` subcommand."""
    parser = sub.add_parser("export", help="导出申报材料（绩效自评表、自评报告、PDF、校验报告、清单）")
    parser.add_argument("path", metavar="文件", help="主工作簿（.xlsx/.xlsm）或填报 JSON 文件")
    parser.add_argument("-o", "--output", default="out", metavar="文件夹", help="输出文件夹（默认 ./out）")
    parser.add_argument("--force", action="store_true", help="仍有错误时也导出（材料中注明“强制导出”）")
    add_profile_option(parser)
    parser.add_argument("--no-pdf", action="store_true", help="不生成 PDF")
    parser.set_defaults(handler=run)
