"""``perfeval rules``: the check catalogue and the available rule profiles (and the docs made from them)."""

from __future__ import annotations

import argparse

from macros.cli import EXIT_OK

ORDER = 40


def run(args: argparse.Namespace) -> int:
    """Print the catalogue (or its Markdown) and the profiles."""
    from xlfuncs.catalogue import RULES, catalogue_markdown
    from xlfuncs.findings import SEVERITY_LABELS
    from xlfuncs.profiles import available_profiles, load_profile, profiles_markdown

    if args.markdown:
        print(catalogue_markdown())
        return EXIT_OK
    if args.profiles_markdown:
        print(profiles_markdown(), end="")
        return EXIT_OK
    for rule in RULES:
        state = "" if rule.implemented else f"（未实现：{rule.note}）"
        print(f"{rule.id}  {SEVERITY_LABELS[rule.severity]}  {rule.describe()}{state}")
    print()
    print("规则配置：" + "、".join(f"{n}（{load_profile(n).title}）" for n in available_profiles()))
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``rules`` subcommand."""
    parser = sub.add_parser("rules", help="列出校验规则目录与规则配置")
    parser.add_argument("--markdown", action="store_true", help="输出 docs/rules.md 的内容")
    parser.add_argument("--profiles-markdown", action="store_true",
                        help="输出 docs/profiles.md 的内容（规则配置的键，由声明生成）")
    parser.set_defaults(handler=run)
