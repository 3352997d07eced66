"""Form layouts as data: where every label, input and formula of the master workbook sits.

* :mod:`.forms` (with :mod:`.form_model`): 附件1 and 附件3-N (:func:`department_form`, :func:`project_form`),
  every address written once;
* :mod:`.sheets`: 使用说明, 项目汇总 (addresses taken from the forms), 校验结果, xlwings.conf, the button slots;
* :mod:`.expr`, :mod:`.shapes`, :mod:`.xlvalues`: formula cells as expression trees (formula text and value
  from one tree, evaluated as spreadsheets do);
* :mod:`.rule_formulas`: the rule profile's numbers as native formulas (rates, scores, totals, grades, checks);
* :mod:`.locate`: JSON Pointer → sheet and cell, from the forms;
* :mod:`.cells`, :mod:`.styles`: cell addresses, cell styles.
"""

from __future__ import annotations

from .forms import (
    DEFAULT_CAPACITY,
    DEPARTMENT_SHEET,
    PROJECT_PREFIX,
    SPARE_ROWS,
    SUMMARY_SHEET,
    FormLayout,
    capacity_for,
    department_form,
    project_form,
    project_sheet,
)
from .locate import Locator, WorkbookShape, locate
from .sheets import (
    CONF_ROWS,
    CONF_SHEET,
    GUIDE_SHEET,
    RESULTS,
    RESULTS_SHEET,
    STATUS_CELL,
    ButtonSlot,
    ResultsLayout,
    button_slots,
)

__all__ = [
    "CONF_ROWS", "CONF_SHEET", "DEFAULT_CAPACITY", "DEPARTMENT_SHEET", "GUIDE_SHEET", "PROJECT_PREFIX",
    "RESULTS", "RESULTS_SHEET", "SPARE_ROWS", "STATUS_CELL", "SUMMARY_SHEET", "ButtonSlot", "FormLayout",
    "Locator", "ResultsLayout", "WorkbookShape", "button_slots", "capacity_for", "department_form",
    "locate", "project_form", "project_sheet", "sheet_order",
]


REPORT_SHEET = "自评报告"  # written by workbook.report_sheet (its SHEET_NAME)


def sheet_order(projects: int) -> list[str]:
    """The master workbook's sheets, in order."""
    return [GUIDE_SHEET, DEPARTMENT_SHEET, *(project_sheet(n) for n in range(1, projects + 1)),
            SUMMARY_SHEET, REPORT_SHEET, RESULTS_SHEET, CONF_SHEET]
