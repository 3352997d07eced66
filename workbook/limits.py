"""How big a master workbook may be, built or read: one limit for the builder, the reader and the
command line (kept free of imports so the command line can check it before loading anything)."""

#: The most project forms (附件3-1 … 附件3-200) in one master workbook.
MAX_PROJECTS = 200
#: The most indicator rows per form.
MAX_CAPACITY = 500
