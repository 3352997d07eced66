"""The recogniser: published tables (as grids) and report paragraphs → a ``perfeval.filing/1`` filing.

Entry points for readers of Word, Excel, web pages, PDF and grid JSON:

- :func:`recognise_documents` (``list[xlfuncs.grid.Document]`` → :class:`ImportResult`): the
  filing, how each table was understood (family, 附件1/附件3-N), the import's findings (I1–I4).
- :func:`recognise_tables` for tables without paragraphs; :func:`load_grid_json` /
  :func:`parse_grid_json` read the corpus grid format.

Modules, one job each: ``fold`` (text folding for matching), ``vocabulary`` (labels as data),
``rows`` (grid rows with origins), ``reading`` (per-table state), ``fields`` / ``funds`` /
``goals`` / ``indicators`` (the blocks of a form), ``families`` (form families as data),
``table`` (one form), ``reports`` (paragraphs), ``assemble`` (documents → filing),
``problems`` (the import's findings), ``gridjson`` (corpus grid JSON).
"""

from __future__ import annotations

import importlib
from typing import Any

# Loaded on first use (PEP 562): `perfeval validate` runs the I1–I4 checks through `.problems`
# and must not pay for the whole recogniser at start-up.
_EXPORTS = {"ImportResult": ".assemble", "RecogniseError": ".assemble", "TableResult": ".assemble",
            "recognise_documents": ".assemble", "recognise_tables": ".assemble", "GridError": ".gridjson",
            "load_grid_json": ".gridjson", "parse_grid_json": ".gridjson", "import_findings": ".problems"}

__all__ = ["GridError", "ImportResult", "RecogniseError", "TableResult", "import_findings", "load_grid_json",
           "parse_grid_json", "recognise_documents", "recognise_tables"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
