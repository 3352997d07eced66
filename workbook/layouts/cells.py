"""Cell addresses: ``"AB12"`` ↔ column and row, ranges, sheet names as formulas quote them."""

from __future__ import annotations

import re
from functools import lru_cache

_CELL_RE = re.compile(r"^([A-Z]{1,3})([0-9]+)$")


@lru_cache(maxsize=1 << 16)  # the same few thousand addresses, asked for on every form
def split_cell(cell: str) -> tuple[str, int]:
    """``"AB12"`` → ``("AB", 12)``."""
    match = _CELL_RE.match(cell)
    if not match:
        raise ValueError(f"not a cell reference: {cell}")
    return match.group(1), int(match.group(2))


@lru_cache(maxsize=1 << 12)
def col_index(letters: str) -> int:
    """``"A"`` → 0, ``"AB"`` → 27."""
    index = 0
    for ch in letters:
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def col_letters(index: int) -> str:
    """0 → ``"A"``, 27 → ``"AB"``."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cells_of(ref: str) -> list[list[str]]:
    """The cells of ``"E8"`` or ``"D9:F11"``, row by row."""
    first, _, last = ref.partition(":")
    last = last or first
    c1, r1 = split_cell(first)
    c2, r2 = split_cell(last)
    cols = [col_letters(i) for i in range(col_index(c1), col_index(c2) + 1)]
    return [[f"{c}{r}" for c in cols] for r in range(r1, r2 + 1)]


def top_left(ref: str) -> str:
    """The first cell of a range (``"B5:I5"`` → ``"B5"``)."""
    return ref.split(":")[0]


def text_units(text: str) -> int:
    """How wide text sets in a cell, in half-width character units (CJK and full-width count 2)."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def quote_sheet(sheet: str) -> str:
    """A sheet name as a formula writes it: ``'附件3-1'``."""
    return "'" + sheet.replace("'", "''") + "'"
