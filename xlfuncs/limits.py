"""How big a filing may be, wherever it is read or built: one limit for the loader, the builder,
the reader and the command line (no imports, so the command line can check it before loading anything)."""

#: The most 附件3 projects in one filing or master workbook (附件3-1 … 附件3-200).
MAX_PROJECTS = 200
#: The most indicator rows per form.
MAX_CAPACITY = 500
