"""Folding text for matching only: the stored value is never changed.

The recogniser's names for the core helper :mod:`xlfuncs.textnorm` (one folding for the engine and
the recogniser): full-width forms, pinyin glosses (``項(xiàng)目``), traditional characters and
whitespace folded away; plus the CJK-only view used to compare OCR-scrambled labels.
"""

from __future__ import annotations

from ..textnorm import fold_text, simplify


def fold(text: str | None) -> str:
    """Plain form of a cell's text for comparing labels (:func:`xlfuncs.textnorm.fold_text`)."""
    return fold_text(text) if text else ""


def fold_keep_lines(text: str | None) -> str:
    """Like :func:`fold` for running text: line breaks and spaces kept (used to read report headings)."""
    return simplify(text) if text else ""


def is_cjk(char: str) -> bool:
    """True for a CJK unified ideograph."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def cjk_only(text: str) -> str:
    """The CJK characters of a folded text, in order (for OCR-tolerant comparison)."""
    return "".join(ch for ch in text if is_cjk(ch))
