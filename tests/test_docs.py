"""Docs that must stay in step with code."""

from __future__ import annotations

import json
from pathlib import Path

from xlfuncs.catalogue import RULES, catalogue_markdown

ROOT = Path(__file__).parents[1]


def test_rules_doc_is_generated_from_the_catalogue():
    doc = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert doc.strip() == catalogue_markdown().strip(), "run: perfeval rules --markdown > docs/rules.md"
    for rule in RULES:
        assert f"| {rule.id} |" in doc


def test_embedded_seed_equals_the_shared_contract_copy():
    shared = ROOT.parent / "shared" / "data" / "lukou-2022.json"
    packaged = ROOT / "xlfuncs" / "data" / "lukou-2022.json"
    if shared.exists():
        assert json.loads(shared.read_text("utf-8")) == json.loads(packaged.read_text("utf-8"))


def test_readme_leads_with_two_setup_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```")[1]
    commands = [line for line in first_block.splitlines()[1:] if line.strip()]
    assert len(commands) == 2
    assert "perfeval demo" in commands[0] and "pytest" in commands[1]
