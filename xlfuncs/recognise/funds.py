"""The funds block: 项目资金 / 预算资金 / 资金情况 / 年度预算申请 / 预算执行情况 … with its column
header, the 年度资金总额 row, the 其中 rows, other breakdown rows (中央补助 / 自治区补助 …), the
side-by-side 按收入性质分 / 按支出性质分 block of 附件1, and the label/value layout of older
cover forms (计划安排资金 48 | 实际到位资金 48 | …)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..values import parse_amount
from .fold import fold
from .reading import Reading
from .vocabulary import (
    BLOCKS,
    CARRIED_OVER,
    CURRENT_YEAR,
    EXPENSE_BLOCK,
    EXPENSE_ROWS,
    EXTRA,
    FUND_COLUMNS,
    FUND_ROWS,
    FUNDS_BLOCK,
    GROUP,
    INCOME_BLOCK,
    INCOME_ROWS,
    OTHER,
    SUBHEAD,
    TOTAL_ROW,
    match,
)

VALUE_ROLES = ("initial", "full_year", "executed", "points", "rate", "score")
STANDARD_ROWS = (TOTAL_ROW, CURRENT_YEAR, CARRIED_OVER, OTHER)
_UNIT = re.compile(r"\((万元|元)\)|[（(]?单位[:：]?(万元|元)")
_AMOUNT_UNIT = re.compile(r"^[0-9.,]+(万元|元)$")


def column_roles(reading: Reading, r: int) -> dict[int, str]:
    """Funds column roles of a row's cells (GROUP labels included)."""
    roles = {}
    for col, text in reading.rows[r].filled():
        if match(text, BLOCKS) == FUNDS_BLOCK:
            continue  # the block's own label ("预算执行情况（万元）（20分）"), not a column
        role = match(text, FUND_COLUMNS, fuzzy=True)
        if role:
            roles[col] = role
    return roles


def is_header(reading: Reading, r: int) -> bool:
    """True for a funds column header: two or more of 年初/全年/执行/分值/执行率/得分, one an amount or rate."""
    roles = set(column_roles(reading, r).values())
    return len(roles & set(VALUE_ROLES)) >= 2 and bool(roles & {"initial", "full_year", "executed", "rate"})


def is_pairs(reading: Reading, r: int, roles: dict[int, str]) -> bool:
    """Label and value alternate along the row (older cover forms)."""
    present = reading.rows[r].present()
    cols = [c for c, _ in present]
    hits = 0
    for col in roles:
        following = cols.index(col) + 1
        if following < len(cols) and cols[following] not in roles:
            text = fold(present[following][1])
            if text and re.match(r"^[0-9.,]+", text):
                hits += 1
    return hits >= 2


def note_unit(reading: Reading, text: str, row: int, col: int) -> None:
    """Take the money unit from a label such as “项目资金（万元）”."""
    folded = fold(text).replace("兀", "元")
    found = _UNIT.search(folded)
    if found and not reading.has(("form", "unit_label")):
        reading.money_unit = found.group(1) or found.group(2)
        reading.put(("form", "unit_label"), text, row, col)


@dataclass
class FundsHeader:
    """Where the funds block's values stand."""

    roles: dict[int, str]  # column → role (VALUE_ROLES or EXTRA)
    labels: dict[int, str]  # column → header text as printed
    first_value: int
    end: int  # last header row


def read_header(reading: Reading, r: int) -> FundsHeader:
    """Read a one- or two-row funds header starting at row ``r``."""
    rows = [r]
    below = next((b for b in range(r + 1, len(reading.rows)) if not reading.rows[b].is_blank), None)
    if below is not None and is_header(reading, below):
        rows.append(below)
    if r > 0 and (GROUP in column_roles(reading, r - 1).values() or any(
            match(t, BLOCKS, fuzzy=True) == FUNDS_BLOCK for _, t in reading.rows[r - 1].filled())):
        rows.insert(0, r - 1)  # group labels above the columns (预算安排 / 拨付情况 / 结余情况)
        r -= 1
    roles: dict[int, str] = {}
    labels: dict[int, str] = {}
    for hr in rows:
        for col, role in column_roles(reading, hr).items():
            text = reading.rows[hr].text(col) or ""
            reading.use(hr, col)
            note_unit(reading, text, hr, col)
            if role == GROUP:
                continue
            roles[col], labels[col] = role, text
    head = reading.rows[r].filled()
    if head and head[0][0] not in roles:
        col, text = head[0]
        if match(text, BLOCKS, fuzzy=True) == FUNDS_BLOCK or col == 0:
            reading.put(("form", "budget_heading"), text, r, col)
            note_unit(reading, text, r, col)
    for hr in rows:  # any other label in the header's left part (e.g. "资金结构（万元）")
        for col, text in reading.rows[hr].filled():
            if col < min(roles) and (hr, col) not in reading.used:
                reading.use(hr, col)
                note_unit(reading, text, hr, col)
    columns = [labels[c] for c in sorted(labels)]
    reading.put(("form", "budget_columns"), columns)
    found = set(roles.values())
    reading.features.update(f"funds.{role}" for role in found)
    if any("权重" in fold(t) for t in labels.values()):
        reading.features.add("funds.weight")
    if any(w in fold(t) for t in labels.values() for w in ("拨付", "安排金额", "实现率")):
        reading.features.add("funds.allocation")
    return FundsHeader(roles, labels, min(roles), rows[-1])


def _row_key(label: str) -> str | None:
    return match(label, FUND_ROWS)


def _put_cells(reading: Reading, base: tuple, header: FundsHeader, r: int) -> None:
    row = reading.rows[r]
    for col, role in sorted(header.roles.items()):
        text = row.text(col)
        if role == EXTRA:
            label = "".join(header.labels[col].split())
            if text is not None:
                reading.put((*base, "extra", label), text, r, col)
            continue
        if text is None:
            if not reading.has((*base, role)):
                reading.put((*base, role), None)
            continue
        reading.put((*base, role), text, r, col)
        amount_unit = _AMOUNT_UNIT.match(fold(text))
        if amount_unit and role in ("initial", "full_year", "executed") and reading.money_unit is None:
            reading.money_unit = amount_unit.group(1)


def _amounts_only(row, header: FundsHeader) -> bool:
    """True when the row's amount cells hold amounts, blanks or “—” (a breakdown row, not text)."""
    for col, role in header.roles.items():
        if role in ("initial", "full_year", "executed"):
            parsed = parse_amount(row.text(col))
            if not (parsed.ok or parsed.empty):
                return False
    return True


def read_rows(reading: Reading, header: FundsHeader, stop: set[int]) -> int:
    """Read the data rows under a funds header; returns the last row used."""
    last = header.end
    breakdown = 0
    seen_total = reading.has(("funds", "total"))
    r = header.end + 1
    while r < len(reading.rows) and r not in stop:
        row = reading.rows[r]
        if row.is_blank:
            r += 1
            continue
        labels = [(c, t) for c, t in row.filled() if c < header.first_value]
        side = [match(t, BLOCKS) for _, t in row.filled()]
        if INCOME_BLOCK in side or EXPENSE_BLOCK in side:
            return read_income_expense(reading, r, stop)
        names = [(c, t) for c, t in labels if match(t, FUND_ROWS) != SUBHEAD]
        for c, t in labels:
            if match(t, FUND_ROWS) == SUBHEAD:
                reading.use(r, c)
        values = [row.text(c) for c in header.roles]
        if not names:
            if all(v is None for v in values) or seen_total:
                break
            key: str | None = TOTAL_ROW  # a value row right under the header (no label) is the total
            label_cell = None
        else:
            label_cell = names[-1]
            key = _row_key(label_cell[1])
            if key is None and match(label_cell[1], BLOCKS, fuzzy=True):
                break
            for c, _ in names[:-1]:
                reading.use(r, c)
        if key == TOTAL_ROW and seen_total:
            key = None
        if key not in STANDARD_ROWS and not _amounts_only(row, header):
            r += 1  # a labelled row whose figures are not amounts is not a funds row: left unplaced
            continue
        if key in STANDARD_ROWS and not reading.has(("funds", key)):
            base: tuple = ("funds", key)
            seen_total = seen_total or key == TOTAL_ROW
            if label_cell is not None:
                reading.use(r, label_cell[0])
        else:
            base = ("funds", "breakdown", breakdown)
            reading.data.setdefault("funds", {}).setdefault("breakdown", []).append({})
            breakdown += 1
            if label_cell is not None:
                reading.put((*base, "label"), label_cell[1], r, label_cell[0])
        _put_cells(reading, base, header, r)
        last = r
        r += 1
    return last


def read_pairs(reading: Reading, r: int) -> int:
    """The label/value funds layout of older cover forms; returns the last row used."""
    roles = column_roles(reading, r)
    row = reading.rows[r]
    present = [c for c, _ in row.present()]
    value_of = {col: present[present.index(col) + 1] for col in roles if present.index(col) + 1 < len(present)}
    reading.features.add("funds.pairs")
    for col, role in roles.items():
        text = row.text(col) or ""
        reading.use(r, col)
        note_unit(reading, text, r, col)
        if col not in value_of:
            continue
        vcol = value_of[col]
        if role == EXTRA:
            reading.put(("funds", "total", "extra", "".join(text.split())), row.text(vcol), r, vcol)
        elif role != GROUP:
            reading.put(("funds", "total", role), row.text(vcol), r, vcol)
    first_label = min(roles)
    last, index = r, 0
    for nr in range(r + 1, len(reading.rows)):
        nrow = reading.rows[nr]
        if nrow.is_blank:
            continue
        label = nrow.text(first_label)
        repeated = [c for c in roles if fold(nrow.text(c)) == fold(label)]
        if not label or len(repeated) < 2:
            break
        base = ("funds", "breakdown", index)
        reading.data.setdefault("funds", {}).setdefault("breakdown", []).append({})
        reading.put((*base, "label"), label, nr, first_label)
        for col, role in roles.items():
            reading.use(nr, col)
            if col not in value_of:
                continue
            vcol = value_of[col]
            if role == EXTRA:
                key = "".join((row.text(col) or "").split())
                reading.put((*base, "extra", key), nrow.text(vcol), nr, vcol)
            elif role != GROUP:
                reading.put((*base, role), nrow.text(vcol), nr, vcol)
        index += 1
        last = nr
    return last


def read_income_expense(reading: Reading, r: int, stop: set[int]) -> int:
    """附件1's 按收入性质分 | 按支出性质分 block: label/value pairs on each side."""
    head = reading.rows[r]
    expense_col = next((c for c, t in head.filled() if match(t, BLOCKS) == EXPENSE_BLOCK), 10 ** 6)
    for col, _ in head.filled():
        reading.use(r, col)
    last = r
    nr = r + 1
    while nr < len(reading.rows) and nr not in stop:
        row = reading.rows[nr]
        present = row.present()
        found = False
        for i, (col, text) in enumerate(present):
            vocabulary, key = (EXPENSE_ROWS, "by_expense") if col >= expense_col else (INCOME_ROWS, "by_income")
            role = match(text, vocabulary)
            if role is None:
                continue
            found = True
            reading.use(nr, col)
            if i + 1 < len(present) and match(present[i + 1][1], vocabulary) is None:
                vcol, value = present[i + 1]
                reading.put(("funds", key, role), value, nr, vcol)
        if not found and not row.is_blank:
            break
        last = nr
        nr += 1
    reading.features.add("funds.income_expense")
    return last
