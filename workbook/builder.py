"""Build the master workbook (or the values-only filing tables) from a filing.

:mod:`workbook.plan` lays out and computes every cell, :mod:`workbook.writer` writes the
package with XlsxWriter; this module puts the two together and writes the file atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xlfuncs.fileio import write_atomic
from xlfuncs.profiles import DEFAULT_PROFILE

from .plan import CLAIM_NOTE_HEAD, WorkbookPlan, plan_workbook
from .writer import write_plan

__all__ = ["CLAIM_NOTE_HEAD", "WorkbookPlan", "build_workbook", "plan_workbook", "write_plan"]


def build_workbook(filing: dict[str, Any] | None, path: str | Path, *, projects: int = 1,
                   profile: str = DEFAULT_PROFILE, values_only: bool = False, runtime: str = "plain") -> Path:
    """Write the master workbook (or, ``values_only``, the filing tables) to ``path``, atomically.

    ``filing`` None gives a blank workbook with ``projects`` project forms. With a filing, each
    result cell is a formula when the filed value equals what the rules give, and otherwise the
    filed value kept as a constant with a note. ``values_only``: only 附件1 and 附件3-1…N, official
    layout and print setup, every value written as a plain value (no formulas, helper columns,
    notes, validations or names other than print areas and titles). ``runtime`` ``"desktop"``
    writes the .xlsm with the VBA project and the sheet buttons.
    """
    plan = plan_workbook(filing, projects=projects, profile=profile, values_only=values_only)
    target = Path(path)
    write_atomic(target, write_plan(plan, runtime))
    return target
