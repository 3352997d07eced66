"""Layering: ``xlfuncs`` ← ``workbook`` ← ``macros``, never upward; heavy stacks load only where needed.

The graph is read from every import statement of every module (those inside functions too, so a
lazy import cannot hide an upward dependency), and every module is imported once.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
LAYERS = ("xlfuncs", "workbook", "macros")  # each may import only those before it
#: What no module of a layer may import, beyond the layers above it.
FORBIDDEN = {"xlfuncs": {"xlwings", "docx", "openpyxl", "xlsxwriter", "pyopenvba"}, "workbook": {"docx"}}
#: The one module of xlfuncs that adapts the cell functions to xlwings.
XLWINGS_ADAPTER = "xlfuncs.udfs"
#: Packages allowed a stack their layer otherwise must not load: the import readers read Word files.
ALLOWED_UNDER = {"workbook.documents": {"docx"}}


def module_files() -> dict[str, Path]:
    """Dotted module name → file, for every module of the three packages."""
    found = {}
    for package in LAYERS:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imported_roots(path: Path) -> set[str]:
    """Top-level names a module imports (absolute imports; relative ones stay in its package)."""
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def violations(graph: dict[str, set[str]]) -> list[str]:
    """Every import that goes upward or into a stack its layer must not load."""
    bad = []
    for module, roots in sorted(graph.items()):
        layer = module.split(".")[0]
        above = set(LAYERS[LAYERS.index(layer) + 1:])
        forbidden = above | FORBIDDEN.get(layer, set())
        if module == XLWINGS_ADAPTER:
            forbidden = forbidden - {"xlwings"}
        for package, allowed in ALLOWED_UNDER.items():
            if module == package or module.startswith(package + "."):
                forbidden = forbidden - allowed
        bad += [f"{module} imports {root}" for root in sorted(roots & forbidden)]
    return bad


def test_every_module_imports():
    for name in module_files():
        if name == "macros.__main__":
            continue  # runs the CLI when imported
        importlib.import_module(name)


def test_no_module_imports_upward():
    graph = {name: imported_roots(path) for name, path in module_files().items()}
    assert len(graph) > 40
    assert violations(graph) == []


def test_the_check_itself_catches_upward_imports():
    assert violations({"workbook.report_sheet": {"macros", "xlfuncs"}}) == ["workbook.report_sheet imports macros"]
    assert violations({"xlfuncs.scoring": {"workbook"}}) == ["xlfuncs.scoring imports workbook"]
    assert violations({"xlfuncs.cellfuncs": {"xlwings"}}) == ["xlfuncs.cellfuncs imports xlwings"]
    assert violations({"xlfuncs.udfs": {"xlwings"}}) == []
    assert violations({"workbook.builder": {"docx"}}) == ["workbook.builder imports docx"]
    assert violations({"workbook.documents.docx_reader": {"docx", "xlfuncs"}}) == []
    assert violations({"workbook.documents.docx_reader": {"macros"}}) == ["workbook.documents.docx_reader imports macros"]
    assert violations({"macros.export": {"workbook", "xlfuncs", "docx"}}) == []


def _loaded_after(code: str) -> set[str]:
    """Top-level modules loaded by running ``code`` in a fresh interpreter from the repository root."""
    probe = code + "\nimport sys\nprint('\\nLOADED', *sorted({m.split('.')[0] for m in sys.modules}))\n"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                            encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.rsplit("\nLOADED", 1)[1].split())


@pytest.mark.parametrize("filing", ["None", "load_filing('tests/data/lukou-2022-corrected.json')"])
def test_building_a_workbook_does_not_load_python_docx_or_xlwings(tmp_path, filing):
    loaded = _loaded_after("from xlfuncs.filing import load_filing\nfrom workbook.builder import build_workbook\n"
                           f"build_workbook({filing}, {str(tmp_path / 'b.xlsx')!r})")
    assert "workbook" in loaded and "xlsxwriter" in loaded
    assert "docx" not in loaded and "xlwings" not in loaded and "macros" not in loaded


def test_validating_from_the_command_line_does_not_load_xlwings_or_python_docx():
    loaded = _loaded_after("from macros.cli import main\n"
                           "assert main(['validate', 'tests/data/lukou-2022-corrected.json']) == 0")
    assert "macros" in loaded and "xlfuncs" in loaded
    assert "xlwings" not in loaded and "docx" not in loaded
