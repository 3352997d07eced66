"""Find the filings under the paths a user names: files given are always taken, folders are walked
for the kinds perfeval reads (or will read), an exported package folder is one item."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

#: How each kind of file is taken: suffix → kind. Folders are walked for these suffixes only.
KIND_BY_SUFFIX = {".json": "json", ".xlsx": "workbook", ".xlsm": "workbook", ".zip": "zip",
                  ".xls": "legacy", ".et": "legacy", ".docx": "document", ".doc": "document",
                  ".wps": "document", ".pdf": "document", ".html": "document", ".htm": "document"}
PACKAGE, PACKAGE_MANIFEST = "package", "manifest.json"


@dataclass
class Discovery:
    """What was found under the paths given: the files to examine and what was passed over."""

    files: list[str]
    skipped: int = 0  # files in folders that are not filings (pictures, notes …)
    missing: list[str] = field(default_factory=list)  # paths given that do not exist


def is_package_folder(folder: Path) -> bool:
    """True for an exported package folder (it holds manifest.json)."""
    return (folder / PACKAGE_MANIFEST).is_file()


def _hidden(name: str) -> bool:
    return name.startswith((".", "~$"))


def discover(paths: Iterable[str | os.PathLike[str]], exclude: Iterable[str | os.PathLike[str]] = ()) -> Discovery:
    """Files to examine under ``paths``, sorted per argument, each once.

    A file named on the command line is always examined; inside folders only the kinds of
    :data:`KIND_BY_SUFFIX` are, hidden and Office lock files (``~$``) are passed over, and an
    exported package folder is one item. ``exclude`` (the review file, letters folder) is skipped.
    """
    excluded = {os.path.abspath(p) for p in exclude}
    found = Discovery([])
    seen: set[str] = set()

    def add(path: str) -> None:
        key = os.path.abspath(path)
        if key not in seen and key not in excluded:
            seen.add(key)
            found.files.append(path)

    for given in paths:
        given = os.fspath(given)
        if os.path.isdir(given) and not is_package_folder(Path(given)):
            for root, dirs, files in os.walk(given):
                dirs[:] = sorted(d for d in dirs if not _hidden(d) and os.path.abspath(os.path.join(root, d)) not in excluded)
                for d in [d for d in dirs if is_package_folder(Path(root, d))]:
                    add(os.path.join(root, d))
                    dirs.remove(d)
                for name in sorted(files):
                    if _hidden(name) or Path(name).suffix.lower() not in KIND_BY_SUFFIX:
                        found.skipped += not _hidden(name)
                        continue
                    add(os.path.join(root, name))
        elif os.path.lexists(given):
            add(given)
        else:
            found.missing.append(given)
    return found
