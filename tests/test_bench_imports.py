"""The hand-run benchmarks and scripts in ``bench/`` import only names our packages still have.

They are not run by the test suite (they time things), so a refactor that moves a function would
otherwise break them silently; this reads their imports (with ``ast``, nothing is executed) and
checks each imported name exists.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
OURS = ("xlfuncs", "workbook", "macros")
SCRIPTS = sorted((ROOT / "bench").glob("*.py"))


def _our_imports(path: Path) -> list[tuple[str, str | None, int]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.split(".")[0] in OURS:
            found += [(node.module, alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, None, node.lineno) for alias in node.names
                      if alias.name.split(".")[0] in OURS]
    return found


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_bench_script_imports_resolve(script):
    missing = []
    for module_name, name, line in _our_imports(script):
        module = importlib.import_module(module_name)
        if name is not None and not hasattr(module, name):
            try:
                importlib.import_module(f"{module_name}.{name}")
            except ImportError:
                missing.append(f"{script.name}:{line} from {module_name} import {name}")
    assert not missing, missing


def test_there_are_scripts_to_check():
    assert len(SCRIPTS) >= 8 and any(_our_imports(s) for s in SCRIPTS)
