"""Import hygiene of the workbook stack (issue 13): the desktop build does not load the Lite parts
or openpyxl, reading a workbook does not load the builder or XlsxWriter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def _modules_after(code: str, tmp_path: Path) -> set[str]:
    script = f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n{code}\nprint(' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-2000:]
    return set(done.stdout.split())


def test_desktop_new_loads_neither_lite_nor_openpyxl(tmp_path):
    modules = _modules_after(f"from macros.cli import main\nmain(['new', '-o', {str(tmp_path / 'a.xlsm')!r}])",
                             tmp_path)
    assert (tmp_path / "a.xlsm").exists()
    assert "workbook.vba" in modules and "xlsxwriter" in modules
    assert not {"workbook.lite", "workbook.lite_code", "openpyxl"} & modules


def test_reading_a_workbook_loads_no_builder(tmp_path):
    from workbook.builder import build_workbook

    path = build_workbook(None, tmp_path / "b.xlsx")
    modules = _modules_after(f"from workbook.reader import read_workbook\nread_workbook({str(path)!r})", tmp_path)
    assert "workbook.reader" in modules and "openpyxl" in modules
    assert not {"workbook.builder", "workbook.writer", "xlsxwriter"} & modules
