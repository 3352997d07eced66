"""The workbook's size limits: the filing's own (:mod:`xlfuncs.limits`, one limit for the loader,
the builder, the reader and the command line), and what reading a master workbook may cost.

A workbook comes from outside: a sheet may claim ``A1:XFD1048576`` or hold a million rows, a
package may list ten thousand sheets. The reader reads the cells present (never the size a sheet
states), only the sheets it needs, and stops with a Chinese line naming the limit when one is
passed. The numbers are far above any real master workbook: the largest one perfeval builds
(200 projects × 500 indicator rows) has about 1.5 million cells.
"""

from xlfuncs.limits import MAX_CAPACITY, MAX_PROJECTS

#: Sheets a master workbook may have (its forms, the fixed sheets, and room for a unit's own).
MAX_SHEETS = MAX_PROJECTS + 100
#: Cells (``<c>`` elements, empty ones included) read over all sheets, and shared strings.
MAX_CELLS = 3_000_000
#: Seconds reading a workbook may take before it is given up.
MAX_READ_SECONDS = 60.0
#: Largest part read whole (workbook.xml, relationships, styles, comments); sheets are streamed.
MAX_PART_BYTES = 50 * 1024 * 1024
#: All members of a .xlsx/.xlsm/.docx once decompressed (a master workbook or an imported document).
MAX_UNPACKED_BYTES = 300 * 1024 * 1024

__all__ = ["MAX_CAPACITY", "MAX_CELLS", "MAX_PART_BYTES", "MAX_PROJECTS", "MAX_READ_SECONDS", "MAX_SHEETS",
           "MAX_UNPACKED_BYTES"]
