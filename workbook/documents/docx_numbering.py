"""The numbers Word shows in front of automatically numbered paragraphs (“一、”, “（二）”, “3.”).

Report headings are often numbered by Word's list numbering, not typed: the text of such a
paragraph lacks its “一、”, and headings could not be found from it. This module renders the label
the reader sees, from ``numbering.xml``: level text (``%1、``, ``（%2）``, ``%1.%2``), number formats
(decimal, Chinese counting, 壹贰叁, 甲乙丙, letters, Roman, ①②③, full-width digits), start values
and overrides, restarts of lower levels, numbering attached to a style, and the suffix (tab,
space or nothing). Bullets give no label. Counters advance in document order, so every numbered
paragraph (in tables too) must be passed to :meth:`Numbering.label` in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from docx.oxml.ns import qn

_DIGITS_ZH = "〇一二三四五六七八九"
_LEGAL_ZH = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def chinese_counting(n: int, digits: str = "零一二三四五六七八九", units: str = "十百千") -> str:
    """一, 十, 十一, 二十, 一百零五 … (up to 9999; beyond, digit by digit)."""
    if n <= 0 or n > 9999:
        return "".join(_DIGITS_ZH[int(d)] for d in str(max(n, 0)))
    parts, zero = [], False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        digit = n // power % 10
        if digit == 0:
            zero = bool(parts)
            continue
        if zero:
            parts.append(digits[0])
            zero = False
        parts.append(("" if (digit == 1 and unit == units[0] and not parts) else digits[digit]) + unit)
    return "".join(parts)


def _roman(n: int) -> str:
    out = []
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    # Word repeats the letter: a … z, aa … zz
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: "".join(chr(0xFF10 + int(d)) for d in str(n)),
    "decimalFullWidth2": lambda n: "".join(chr(0xFF10 + int(d)) for d in str(n)),
    "decimalHalfWidth": str,
    "decimalEnclosedCircle": lambda n: _CIRCLED[n - 1] if 1 <= n <= 20 else str(n),
    "decimalEnclosedCircleChinese": lambda n: _CIRCLED[n - 1] if 1 <= n <= 20 else str(n),
    "decimalEnclosedParen": lambda n: f"({n})",
    "decimalEnclosedFullstop": lambda n: f"{n}.",
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperLetter": _letters,
    "lowerLetter": lambda n: _letters(n).lower(),
    "chineseCounting": chinese_counting,
    "chineseCountingThousand": chinese_counting,
    "ideographDigital": lambda n: "".join(_DIGITS_ZH[int(d)] for d in str(n)),
    "japaneseCounting": chinese_counting,
    "chineseLegalSimplified": lambda n: chinese_counting(n, _LEGAL_ZH, "拾佰仟"),
    "ideographLegalTraditional": lambda n: chinese_counting(n, _LEGAL_ZH, "拾佰仟"),
    "ideographTraditional": lambda n: _STEMS[(n - 1) % 10],
    "ideographZodiac": lambda n: _BRANCHES[(n - 1) % 12],
    "ordinal": str,
    "cardinalText": str,
}


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    suffix: str = "\t"
    legal: bool = False


@dataclass
class Numbering:
    """Numbering definitions of one document and the counters of its lists."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # abstract id → levels
    nums: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)  # numId → (abstract, overrides)
    style_numbering: dict[str, tuple[str, int]] = field(default_factory=dict)  # styleId → (numId, ilvl)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def from_document(cls, document) -> Numbering:
        """Read the numbering and style parts of a python-docx document (absent parts: no numbering)."""
        numbering = cls()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return numbering
        for abstract in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in abstract.findall(qn("w:lvl")):
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = _level(lvl)
            numbering.levels[abstract.get(qn("w:abstractNumId"), "")] = levels
        for num in root.findall(qn("w:num")):
            abstract_id = _val(num.find(qn("w:abstractNumId"))) or ""
            overrides = {}
            for override in num.findall(qn("w:lvlOverride")):
                start = _val(override.find(qn("w:startOverride")))
                if start is not None and start.lstrip("-").isdigit():
                    overrides[int(override.get(qn("w:ilvl"), "0"))] = int(start)
            numbering.nums[num.get(qn("w:numId"), "")] = (abstract_id, overrides)
        numbering._read_styles(document)
        return numbering

    def _read_styles(self, document) -> None:
        try:
            styles = document.styles.element
        except (KeyError, AttributeError):
            return
        based: dict[str, str] = {}
        direct: dict[str, tuple[str, int]] = {}
        for style in styles.findall(qn("w:style")):
            style_id = style.get(qn("w:styleId"), "")
            parent = _val(style.find(qn("w:basedOn")))
            if parent:
                based[style_id] = parent
            num_pr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if num_pr is not None:
                num_id = _val(num_pr.find(qn("w:numId")))
                ilvl = _val(num_pr.find(qn("w:ilvl")))
                if num_id:
                    direct[style_id] = (num_id, int(ilvl) if ilvl and ilvl.isdigit() else 0)
        for style_id in set(based) | set(direct):
            seen, current = set(), style_id
            while current and current not in direct and current not in seen:
                seen.add(current)
                current = based.get(current, "")
            if current in direct:
                self.style_numbering[style_id] = direct[current]

    def label(self, paragraph) -> str:
        """The label Word shows before ``paragraph`` (a ``w:p`` element), advancing its list's counter."""
        if not self.nums:
            return ""
        num_id, ilvl = self._numbering_of(paragraph)
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        abstract_id, overrides = self.nums[num_id]
        levels = self.levels.get(abstract_id, {})
        if ilvl not in levels:
            return ""
        key = num_id if overrides else abstract_id
        counters = self.counters.setdefault(key, {})
        start = overrides.get(ilvl, levels[ilvl].start)
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        level = levels[ilvl]
        if level.fmt in ("bullet", "none") or not level.text:
            return ""
        text = level.text
        for k in range(ilvl + 1):
            if f"%{k + 1}" in text:
                value = counters.get(k, overrides.get(k, levels.get(k, _Level()).start))
                fmt = "decimal" if level.legal else levels.get(k, _Level()).fmt
                text = text.replace(f"%{k + 1}", _FORMATS.get(fmt, str)(value))
        return text + level.suffix

    def _numbering_of(self, paragraph) -> tuple[str | None, int]:
        p_pr = paragraph.find(qn("w:pPr"))
        if p_pr is None:
            return None, 0
        num_pr = p_pr.find(qn("w:numPr"))
        if num_pr is not None:
            num_id = _val(num_pr.find(qn("w:numId")))
            ilvl = _val(num_pr.find(qn("w:ilvl")))
            if num_id is not None:
                return num_id, int(ilvl) if ilvl and ilvl.isdigit() else 0
        style = _val(p_pr.find(qn("w:pStyle")))
        if style and style in self.style_numbering:
            num_id, ilvl = self.style_numbering[style]
            if num_pr is not None and _val(num_pr.find(qn("w:ilvl"))) is not None:
                ilvl = int(_val(num_pr.find(qn("w:ilvl"))) or 0)
            return num_id, ilvl
        return None, 0


def _val(element) -> str | None:
    return None if element is None else element.get(qn("w:val"))


def _level(lvl) -> _Level:
    start = _val(lvl.find(qn("w:start")))
    suffix = {"tab": "\t", "space": " ", "nothing": ""}.get(_val(lvl.find(qn("w:suff"))) or "tab", "\t")
    legal = lvl.find(qn("w:isLgl"))
    return _Level(start=int(start) if start and start.lstrip("-").isdigit() else 1,
                  fmt=_val(lvl.find(qn("w:numFmt"))) or "decimal",
                  text=_val(lvl.find(qn("w:lvlText"))) or "",
                  suffix=suffix, legal=legal is not None and _val(legal) not in ("0", "false"))
