"""perfeval's actions on a workbook and its command line.

The workbook buttons run ``RunPython "import macros; macros.validate()"`` (and
``export_package`` / ``add_project``). Those names load :mod:`macros.buttons`, and with it
xlwings, only when first used, so the command line never imports xlwings.
"""

from __future__ import annotations

from typing import Any

_BUTTONS = ("validate", "export_package", "add_project")


def __getattr__(name: str) -> Any:
    if name in _BUTTONS:
        from macros import buttons

        return getattr(buttons, name)
    raise AttributeError(f"module 'macros' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_BUTTONS))
