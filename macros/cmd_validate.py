"""``perfeval validate PATH``: every finding of a filing JSON or master workbook."""

from __future__ import annotations

import argparse

from macros.cli import EXIT_FINDINGS, EXIT_OK
from macros.inputs import open_source
from macros.presenter import findings_json, findings_text
from xlfuncs.engine import Evaluation, evaluate
from xlfuncs.findings import Finding, sort_findings

ORDER = 10


def validate_source(path: str, profile: str) -> tuple[list[Finding], Evaluation]:
    """Open a file, evaluate it and return (placed findings, evaluation)."""
    source = open_source(path)
    evaluation = evaluate(source.filing, profile)
    findings = sort_findings(source.place(list(source.findings) + list(evaluation.findings)))
    return findings, evaluation


def run(args: argparse.Namespace) -> int:
    """Print findings; exit 1 when any is an error."""
    findings, _ = validate_source(args.path, args.profile)
    print(findings_json(findings) if args.json else findings_text(findings, f"校验：{args.path}"))
    return EXIT_FINDINGS if any(f.severity == "error" for f in findings) else EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``validate`` subcommand."""
    parser = sub.add_parser("validate", help="校验填报文件（JSON）或主工作簿，列出所有问题")
    parser.add_argument("path", help="填报 JSON 文件或主工作簿（.xlsx/.xlsm）")
    parser.add_argument("--profile", default="default", help="规则配置名称（默认 default）")
    parser.add_argument("--json", action="store_true", help="输出 JSON（供程序读取）")
    parser.set_defaults(handler=run)
