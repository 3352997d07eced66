"""Label/value lines of a form (项目名称, 主管部门, 自评得分, 填报人 …), title lines, notes and
section headings."""

from __future__ import annotations

import re

from .fold import fold
from .reading import Reading
from .vocabulary import (
    COMPETENT,
    FIELDS,
    HEADER,
    IMPLEMENTING,
    NAME,
    REVIEWED,
    SIGNOFF,
    TOTAL_SCORE,
    UNIT_NAME,
    core,
    match,
)

_INLINE = re.compile(r"^(?P<label>[^:：]{1,24}?)\s*[:：]\s*(?P<value>.*)$", re.S)
_GAP = re.compile(r"^(?P<label>\S{2,20}?)(?:\s{2,}|\u3000+)(?P<value>\S.*)$", re.S)
_SPACE = re.compile(r"^(?P<label>\S{2,20}?)\s(?P<value>\S.*)$", re.S)  # a PDF or web page keeps one space of a gap
_SECTION = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[(（][一二三四五六七八九十]+[)）])")
_NOTE = re.compile(r"^\s*(?:注|备注|说明|填表说明)\s*[:：0-9一1.、]")
_CAPTION = re.compile(r"^\s*附件\s*(?:[0-9一二三四]+(?:\s*[-－—–]\s*[0-9]+)?)?\s*[:：]?\s*$")
TITLE_WORDS = ("自评表", "自评报告", "评价表", "目标表", "评分表", "绩效表", "评价报告")

SIGNOFF_TARGET, FIELD_TARGET = "signoff", "field"


def field_role(text: str | None, *, footer: bool = False, fuzzy: bool = True) -> tuple[str, str] | None:
    """(target, role) when ``text`` is a field label: ``("field", "name")``, ``("signoff", "date")``."""
    if not text or not text.strip():
        return None
    order = ((SIGNOFF_TARGET, SIGNOFF), (FIELD_TARGET, FIELDS)) if footer else (
        (FIELD_TARGET, FIELDS), (SIGNOFF_TARGET, SIGNOFF))
    for target, vocabulary in order:
        role = match(text, vocabulary)
        if role:
            return target, role
    if fuzzy and len(core(text)) >= 4:
        for target, vocabulary in order:
            role = match(text, vocabulary, fuzzy=True)
            if role:
                return target, role
    return None


def display_label(text: str) -> str:
    """A label as a key of ``header``: whitespace and a trailing colon dropped, characters as printed."""
    return "".join(text.split()).rstrip(":：")


def split_inline(text: str, *, footer: bool = False) -> tuple[tuple[str, str], str, str] | None:
    """A cell holding label and value together: “单位名称:农业工作科”, “项目名称            代表之家”
    (or “项目名称 代表之家” where a PDF or web page kept one space of the gap: then only an exact label counts)."""
    for pattern in (_INLINE, _GAP, _SPACE):
        found = pattern.match(text.strip())
        if not found:
            continue
        role = field_role(found.group("label"), footer=footer, fuzzy=pattern is not _SPACE)
        if role:
            return role, display_label(found.group("label")), found.group("value").strip()
    return None


def place_field(reading: Reading, role: tuple[str, str], label: str, value: str, row: int, col: int) -> None:
    """Write one field's value where the contract puts it."""
    target, key = role
    if target == SIGNOFF_TARGET:
        reading.put(("signoff", key), value, row, col)
    elif key == UNIT_NAME:
        if not reading.unit_explicit:
            reading.unit_name, reading.unit_explicit = value, True
            reading.unit_origin = reading.origin(row).cell(col)
        reading.put(("header", label), value, row, col)
    elif key in (NAME, COMPETENT, IMPLEMENTING) and not reading.has((key,)):
        reading.put((key,), value, row, col)
        if key == IMPLEMENTING and reading.unit_name is None:
            reading.unit_name = value
            reading.unit_origin = reading.origin(row).cell(col)
    elif key == TOTAL_SCORE and not reading.has(("total", "score")):
        reading.put(("total", "score"), value, row, col)
    elif key == REVIEWED:
        reading.put(("total", "reviewed"), value, row, col)
    else:
        reading.put(("header", label), value, row, col)
        _paired_unit(reading, label, value, row, col)
    if key == NAME:
        # 项目名称 / 专项资金名称 name a project; 部门名称 / 预算部门名称 a department
        project = any(word in fold(label) for word in ("项目", "专项"))
        reading.features.add("field.project_name" if project else "field.department_name")
    if key == HEADER and any(w in fold(label) for w in ("评价类型", "项目基本概况", "人员编制", "职能职责")):
        reading.features.add("cover")


def _paired_unit(reading: Reading, label: str, value: str, row: int, col: int) -> None:
    """“实施单位/项目负责人 | 原州区农技中心/杨勃兴”: the unit is the value's part under 实施单位."""
    labels, values = label.split("/"), value.split("/")
    if reading.unit_name is not None or len(labels) < 2 or len(labels) != len(values):
        return
    for part, text in zip(labels, values, strict=True):
        if field_role(part) == (FIELD_TARGET, IMPLEMENTING) and text.strip():
            reading.unit_name = text.strip()
            reading.unit_origin = reading.origin(row).cell(col)


def read_fields(reading: Reading, r: int, *, footer: bool = False) -> bool:
    """Read a row as label/value pairs; True when at least one label was found."""
    present = reading.rows[r].present()
    found = False
    i = 0
    while i < len(present):
        col, text = present[i]
        inline = split_inline(text, footer=footer) if _INLINE.match(text.strip()) else None
        if inline is not None and inline[2]:  # “财务负责人:唐勇”: label and value in one cell
            found = True
            place_field(reading, *inline, r, col)
            i += 1
            continue
        role = field_role(text, footer=footer)
        if role is not None:
            found = True
            reading.use(r, col)
            label = display_label(text)
            following = present[i + 1] if i + 1 < len(present) else None
            if following is not None and field_role(following[1], footer=footer) is None:
                place_field(reading, role, label, following[1], r, following[0])
                i += 2
                continue
            place_field(reading, role, label, "", r, col)
            i += 1
            continue
        inline = split_inline(text, footer=footer) if text.strip() else None
        if inline is not None:
            found = True
            role, label, value = inline
            place_field(reading, role, label, value, r, col)
        i += 1
    return found


def is_note(text: str) -> bool:
    """True for a printed note line: “注：1.…”, “备注：…”."""
    return bool(_NOTE.match(fold(text)))


def is_single(reading: Reading, r: int) -> tuple[int, str] | None:
    """(column, text) when the row holds one piece of text (a title, note or heading line)."""
    filled = reading.rows[r].filled()
    return filled[0] if len(filled) == 1 else None


def read_single(reading: Reading, r: int, *, footer: bool = False) -> bool:
    """A one-cell row: inline field, title, year line, caption, section heading or note."""
    single = is_single(reading, r)
    if single is None:
        return False
    col, text = single
    folded = fold(text)
    if _NOTE.match(folded) or (footer and len(folded) > 30):
        reading.notes.append(text)
        reading.use(r, col)
        return True
    inline = split_inline(text, footer=footer)
    if inline is not None:
        role, label, value = inline
        place_field(reading, role, label, value, r, col)
        if "年度" in fold(text):
            reading.note_year(text, r, col)
        return True
    if _CAPTION.match(folded):
        reading.use(r, col)
        reading.data.setdefault("form", {})["caption"] = text.strip()
        return True
    if any(word in folded for word in TITLE_WORDS) and len(folded) <= 60:
        if not reading.title:
            reading.title = text
            reading.put(("form", "title"), text, r, col)
        reading.use(r, col)
        reading.note_year(text, r, col)
        reading.note_year(text, r, col, loose=True)
        return True
    if re.fullmatch(r"[(（]?\s*20\d{2}\s*年度?\s*[)）]?", text.strip()):
        reading.use(r, col)
        reading.note_year(text, r, col, loose=True)
        return True
    if _SECTION.match(folded) or folded.endswith("(制)"):
        reading.use(r, col)
        reading.notes.append(text)
        if any(w in folded for w in ("基本概况", "基本情况", "支出明细")):
            reading.features.add("cover")
        return True
    role = field_role(text, footer=footer)
    if role is not None:
        place_field(reading, role, display_label(text), "", r, col)
        reading.use(r, col)
        return True
    return False
