"""JSON Pointer ↔ sheet and cell, for a workbook of a given shape, derived from the form layouts.

A finding's pointer (``/projects/2/funds/total/rate``) is placed on the cell that holds the
value (``附件3-3!H8``). Pointers to a whole row, table or block go to a representative cell
(the 三级指标 of a row, the table header, the block label), which the layouts record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xlfuncs.profiles import DEFAULT_PROFILE

from ..report_sheet import CONTENT_COLUMN, first_row
from ..report_sheet import SHEET_NAME as REPORT_SHEET
from .forms import FormLayout, department_form, project_form

_INDICATOR_RE = re.compile(r"^(?P<table>/department|/projects/\d+)/indicators/(?P<index>\d+)(?P<rest>/.*)?$")


@dataclass
class WorkbookShape:
    """What the addresses depend on: the number of project forms, the indicator rows per form,
    the rule profile the formulas carry, and (for a workbook read back) which rows hold the
    filing's indicators, per table pointer."""

    projects: int = 1
    capacity: int = 15
    profile: str = DEFAULT_PROFILE
    indicator_rows: dict[str, list[int]] = field(default_factory=dict)

    @property
    def profile_arg(self) -> bool:
        """True when the UDF calls pass the profile (not the default)."""
        return self.profile != DEFAULT_PROFILE

    def forms(self) -> list[FormLayout]:
        """附件1 followed by 附件3-1 … 附件3-N."""
        from .sheets import summary_rows

        department = department_form(self.capacity, self.projects, self.profile, summary_rows(self.projects))
        return [department] + [project_form(n, self.capacity, self.profile, department.footer_row)
                               for n in range(1, self.projects + 1)]


class Locator:
    """Maps JSON Pointers to (sheet, A1 cell) for one workbook shape."""

    def __init__(self, shape: WorkbookShape, forms: list[FormLayout] | None = None) -> None:
        self.shape = shape
        self.forms = forms if forms is not None else shape.forms()
        self._cells: dict[str, tuple[str, str]] = {}
        self._rows: dict[str, tuple[FormLayout, list[int]]] = {}
        for form in self.forms:
            self._rows[form.pointer] = (form, shape.indicator_rows.get(form.pointer, list(form.indicator_rows)))
            for pointer, cell in form.blocks.items():
                self._cells[pointer] = (form.sheet, cell)
            for f in form.fields:
                self._cells[f.pointer] = (form.sheet, f.cell)
            self._cells[form.pointer + "/name"] = (form.sheet, form.blocks[form.pointer])
            if not form.is_department:
                self._cells[form.pointer + "/report"] = (REPORT_SHEET, f"{CONTENT_COLUMN}{first_row(form.number - 1)}")
        self._cells["/department_report"] = (REPORT_SHEET, f"{CONTENT_COLUMN}{first_row(None)}")

    def __call__(self, pointer: str) -> tuple[str, str] | None:
        return self.locate(pointer)

    def locate(self, pointer: str) -> tuple[str, str] | None:
        """(sheet, cell) of a pointer, or of its nearest located parent; None when none is."""
        match = _INDICATOR_RE.match(pointer)
        if match:
            return self._indicator(match.group("table"), int(match.group("index")), match.group("rest") or "")
        probe = pointer
        while probe:
            if probe in self._cells:
                return self._cells[probe]
            probe = probe.rsplit("/", 1)[0]
        return None

    def _indicator(self, table: str, index: int, rest: str) -> tuple[str, str] | None:
        if table not in self._rows:
            return None
        form, rows = self._rows[table]
        if index >= len(rows):
            return form.sheet, form.blocks[f"{table}/indicators"]
        row = rows[index]
        key = rest.lstrip("/").split("/")[0] or "level3"
        for f in form.indicator_fields(row, index):
            if f.pointer.endswith("/" + key):
                return form.sheet, f.cell
        return form.sheet, f"D{row}"


def locate(pointer: str, projects: int = 1, capacity: int = 15) -> tuple[str, str] | None:
    """(sheet, cell) of a pointer in a workbook built with ``projects`` forms of ``capacity`` rows."""
    return Locator(WorkbookShape(projects, capacity)).locate(pointer)
