"""The 年度总体目标 block: 预期目标 | 实际完成情况 (and 全年（调整）绩效目标), as a header row with a
value row under it, as label/value pairs on one row, or as one text beside the block label."""

from __future__ import annotations

from .reading import Reading
from .vocabulary import BLOCKS, GOAL_BLOCK, GOAL_COLUMNS, GOAL_PREFIXES, core, match


def is_goal_label(text: str | None) -> bool:
    """True for the block label of the goal (年度总体目标, OCR-damaged forms included)."""
    if not text or not text.strip():
        return False
    if match(text, BLOCKS, fuzzy=True) == GOAL_BLOCK:
        return True
    return any(core(text).startswith(p) for p in GOAL_PREFIXES)


def is_goal_row(reading: Reading, r: int) -> bool:
    """True when the row opens the goal block (its first cell is the block label, or it carries
    the goal's column labels, or both)."""
    filled = reading.rows[r].filled()
    if not filled:
        return False
    if is_goal_label(filled[0][1]):
        return True
    labels = [t for _, t in filled if match(t, GOAL_COLUMNS, fuzzy=True)]
    return len(labels) >= 2 and len(labels) == len(filled)


def _label_row(reading: Reading, r: int) -> bool:
    filled = reading.rows[r].filled()
    return bool(filled) and all(match(t, GOAL_COLUMNS, fuzzy=True) for _, t in filled)


def read_goal(reading: Reading, r: int) -> int:
    """Read the goal block starting at row ``r``; returns the last row used."""
    row = reading.rows[r]
    filled = row.filled()
    start = 0
    if is_goal_label(filled[0][1]):
        reading.use(r, filled[0][0])
        reading.put(("form", "goal_heading"), filled[0][1])
        start = 1
    cells = row.present()
    cells = [(c, t) for c, t in cells if c > filled[0][0]] if start else cells
    labelled = [(c, t, match(t, GOAL_COLUMNS, fuzzy=True)) for c, t in cells]
    labels = [(c, role) for c, _, role in labelled if role]
    if not labels:
        texts = [(c, t) for c, t in cells if t.strip()]
        if texts:  # "年度总体目标 | 一是……": the goal's one text
            reading.put(("goal", "expected"), texts[0][1], r, texts[0][0])
            for c, t in texts[1:]:
                reading.put(("goal", "actual"), t, r, c)
            return r
        if r + 1 < len(reading.rows) and _label_row(reading, r + 1):
            return read_goal(reading, r + 1)
        return _value_row(reading, r, [(filled[0][0], "expected")], single=True)
    for c, _ in labels:
        reading.use(r, c)
    inline = False
    for i, (_col, _text, role) in enumerate(labelled):
        if not role:
            continue
        following = labelled[i + 1] if i + 1 < len(labelled) else None
        if following is not None and not following[2]:
            reading.put(("goal", role), following[1], r, following[0])
            inline = True
    if inline:
        return r
    return _value_row(reading, r, labels)


def _value_row(reading: Reading, r: int, labels: list[tuple[int, str]], single: bool = False) -> int:
    """The row under the goal's labels: each value stands in its label's column (or the first
    cell of that label's span)."""
    nr = r + 1
    while nr < len(reading.rows) and reading.rows[nr].is_blank:
        nr += 1
    if nr >= len(reading.rows):
        return r
    row = reading.rows[nr]
    head = reading.rows[r]
    used_any = False
    for col, role in labels:
        end = head.span_end(col) if not single else row.width - 1
        for c in range(col if not single else col + 1, end + 1):
            text = row.text(c)
            if text is not None:
                reading.put(("goal", role), text, nr, c)
                used_any = True
                break
    return nr if used_any else r
