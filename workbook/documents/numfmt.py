"""Render a spreadsheet number the way Excel (or WPS) shows it under the cell's number format.

Readers keep values "as the user saw them": a cell holding 0.5 formatted ``0.00`` is ``"0.50"``,
1 formatted ``0%`` is ``"100%"``, a date serial formatted ``yyyy"年"m"月"d"日"`` is ``"2022年3月1日"``.
This module covers the formats forms actually use: General (also spelled ``G/通用格式`` by Chinese
Excel and WPS), digit placeholders ``0 # ?``, decimals, thousands separators and scaling commas,
percent, scientific ``E+00``, literal text (quoted, ``\\x``, currency and unit characters),
sections ``pos;neg;zero;text`` with ``[color]`` and ``[>=100]`` conditions, ``_x`` padding and
``*x`` fill (both invisible in a value and dropped), ``@`` for text, and date/time codes
(``yyyy yy m mm mmm mmmm d dd ddd dddd aaa aaaa h hh m mm s ss AM/PM 上午/下午``).

General shows up to 15 significant digits without trailing zeros (what a wide enough cell shows;
a narrow cell may round further, which a file cannot tell). Rounding is half away from zero on
the decimal value, as Excel does. A format outside this list (fractions ``# ?/?``, ``[DBNum1]``
Chinese numerals, elapsed ``[h]``) falls back to General: the number is still right, only its
dressing may differ.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

GENERAL_NAMES = ("general", "g/通用格式")
_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)
_DATE_CODES = re.compile(r"(?i)(yyyy|yy|e|mmmmm|mmmm|mmm|mm|m|dddd|ddd|dd|d|aaaa|aaa|hh|h|ss|s|am/pm|a/p|上午/下午)")
_CONDITION = re.compile(r"^\[(<=|>=|<>|<|>|=)(-?[\d.]+)\]")
_BRACKET = re.compile(r"\[[^\]]*\]")
_WEEKDAYS_ZH = "一二三四五六日"
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")
_DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

#: Built-in format ids whose display depends on the system locale; the Chinese (zh-CN) forms.
LOCALE_BUILTINS = {
    14: "yyyy/m/d", 22: "yyyy/m/d h:mm", 27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 29: 'm"月"d"日"',
    30: "m-d-yy", 31: 'yyyy"年"m"月"d"日"', 32: 'h"时"mm"分"', 33: 'h"时"mm"分"ss"秒"', 34: '上午/下午h"时"mm"分"',
    35: '上午/下午h"时"mm"分"ss"秒"', 36: 'yyyy"年"m"月"', 50: 'yyyy"年"m"月"', 51: 'm"月"d"日"', 52: 'yyyy"年"m"月"',
    53: 'm"月"d"日"', 54: 'm"月"d"日"', 55: '上午/下午h"时"mm"分"', 56: '上午/下午h"时"mm"分"ss"秒"',
    57: 'yyyy"年"m"月"', 58: 'm"月"d"日"',
}


def split_sections(fmt: str) -> list[str]:
    """The ``;``-separated sections of a format, ignoring ``;`` inside quotes, brackets or after ``\\``."""
    sections, current, i = [], [], 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == '"':
            end = fmt.find('"', i + 1)
            end = len(fmt) - 1 if end < 0 else end
            current.append(fmt[i:end + 1])
            i = end + 1
            continue
        if ch == "[":
            end = fmt.find("]", i + 1)
            end = len(fmt) - 1 if end < 0 else end
            current.append(fmt[i:end + 1])
            i = end + 1
            continue
        if ch in "\\_*" and i + 1 < len(fmt):
            current.append(fmt[i:i + 2])
            i += 2
            continue
        if ch == ";":
            sections.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    sections.append("".join(current))
    return sections


def _tokens(section: str) -> list[tuple[str, str]]:
    """Split a section into ('lit', text) and ('code', chars) tokens; brackets other than currency
    and padding/fill are dropped."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(section):
        ch = section[i]
        if ch == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            out.append(("lit", section[i + 1:end]))
            i = end + 1
        elif ch == "\\" and i + 1 < len(section):
            out.append(("lit", section[i + 1]))
            i += 2
        elif ch in "_*" and i + 1 < len(section):
            i += 2  # padding and fill take no visible character in the value
        elif ch == "[":
            end = section.find("]", i + 1)
            end = len(section) - 1 if end < 0 else end
            inner = section[i + 1:end]
            if inner.startswith("$"):  # [$¥-804]: currency symbol then locale
                out.append(("lit", inner[1:].split("-", 1)[0]))
            i = end + 1
        else:
            out.append(("code", ch))
            i += 1
    return out


def _is_general(section: str) -> bool:
    plain = "".join(text for kind, text in _tokens(section) if kind == "code").lower()
    return any(name in plain for name in GENERAL_NAMES)


def _general_text(value: float) -> str:
    """General format: up to 15 significant digits, no trailing zeros, scientific only when huge/tiny."""
    if value == 0:
        return "0"
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    magnitude = abs(value)
    if magnitude >= 1e15 or magnitude < 1e-9:
        mantissa, exponent = f"{value:.5E}".split("E")
        mantissa = mantissa.rstrip("0").rstrip(".")
        sign = "-" if exponent.startswith("-") else "+"
        return f"{mantissa}E{sign}{abs(int(exponent)):02d}"
    text = f"{Decimal(repr(value)):.15g}" if "e" not in repr(value) else f"{value:.15g}"
    text = format(Decimal(text).normalize(), "f")
    return text


def _round(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _group(digits: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return ",".join(parts)


def _render_number(value: float, tokens: list[tuple[str, str]], show_sign: bool) -> str:
    codes = "".join(text for kind, text in tokens if kind == "code")
    number = abs(Decimal(repr(float(value)))) * Decimal(100) ** codes.count("%")
    sci = re.search(r"[Ee][+-]", codes)
    mantissa = re.sub(r"[^0#?.,]", "", codes[:sci.start()] if sci else codes)
    int_codes, dot, frac_codes = mantissa.partition(".")
    trailing = mantissa if not dot else int_codes
    scale = len(trailing) - len(trailing.rstrip(","))
    if dot:
        scale += len(frac_codes) - len(frac_codes.rstrip(","))
    number /= Decimal(1000) ** scale
    frac_places = sum(ch in "0#?" for ch in frac_codes)
    frac_min = len(frac_codes.rstrip(",").rstrip("#"))
    int_min = int_codes.count("0")
    grouping = bool(re.search(r"[0#?],+[0#?]", int_codes))
    exponent_text = ""
    if sci:
        exponent = 0
        if number != 0:
            exponent = number.adjusted() - max(int_min - 1, 0)
            number = number.scaleb(-exponent)
            if _round(number, frac_places) >= Decimal(10) ** max(int_min, 1):
                number = number.scaleb(-1)
                exponent += 1
        sign = "-" if exponent < 0 else ("+" if codes[sci.start() + 1] == "+" else "")
        width = codes[sci.end():].count("0") or 1
        exponent_text = f"E{sign}{abs(exponent):0{width}d}"
    rounded = _round(number, frac_places)
    int_part, _, frac_part = f"{rounded:.{frac_places}f}".partition(".")
    int_part = int_part.lstrip("0").rjust(int_min, "0")
    if grouping and int_part:
        int_part = _group(int_part)
    frac_part = frac_part.rstrip("0").ljust(frac_min, "0")
    digits = int_part + ("." + frac_part if dot else "") + exponent_text
    out: list[str] = []
    placed = False
    for kind, text in tokens:
        if kind == "lit":
            out.append(text)
        elif text in "0#?.,":
            if not placed:
                out.append(digits)
                placed = True
        elif sci and text in "Ee+-":
            continue
        else:
            out.append(text)
    negative = show_sign and value < 0 and rounded != 0
    return ("-" if negative else "") + "".join(out)


def _render_date(moment: dt.datetime, tokens: list[tuple[str, str]]) -> str:
    codes = "".join(text if kind == "code" else "\x00" for kind, text in tokens)
    twelve = bool(re.search(r"(?i)am/pm|a/p|上午/下午", codes))
    parts: list[str] = []
    pieces = list(_walk_date(tokens))
    for index, (kind, text) in enumerate(pieces):
        if kind == "lit":
            parts.append(text)
            continue
        low = text.lower()
        if low in ("m", "mm"):
            # minutes when after an hour code or before a seconds code
            before = [t.lower() for k, t in pieces[:index] if k == "code"]
            after = [t.lower() for k, t in pieces[index + 1:] if k == "code"]
            minutes = (before and before[-1] in ("h", "hh")) or (after and after[0] in ("s", "ss"))
            value = moment.minute if minutes else moment.month
            parts.append(f"{value:02d}" if low == "mm" else str(value))
        elif low == "yyyy" or low == "e":
            parts.append(f"{moment.year:04d}")
        elif low == "yy":
            parts.append(f"{moment.year % 100:02d}")
        elif low == "mmm":
            parts.append(_MONTHS_EN[moment.month - 1][:3])
        elif low == "mmmm":
            parts.append(_MONTHS_EN[moment.month - 1])
        elif low == "mmmmm":
            parts.append(_MONTHS_EN[moment.month - 1][0])
        elif low in ("d", "dd"):
            parts.append(f"{moment.day:02d}" if low == "dd" else str(moment.day))
        elif low == "ddd":
            parts.append(_DAYS_EN[moment.weekday()][:3])
        elif low == "dddd":
            parts.append(_DAYS_EN[moment.weekday()])
        elif low == "aaa":
            parts.append(_WEEKDAYS_ZH[moment.weekday()])
        elif low == "aaaa":
            parts.append("星期" + _WEEKDAYS_ZH[moment.weekday()])
        elif low in ("h", "hh"):
            hour = moment.hour % 12 or 12 if twelve else moment.hour
            parts.append(f"{hour:02d}" if low == "hh" else str(hour))
        elif low in ("s", "ss"):
            parts.append(f"{moment.second:02d}" if low == "ss" else str(moment.second))
        elif low == "am/pm":
            parts.append("AM" if moment.hour < 12 else "PM")
        elif low == "a/p":
            parts.append("A" if moment.hour < 12 else "P")
        elif low == "上午/下午":
            parts.append("上午" if moment.hour < 12 else "下午")
        else:
            parts.append(text)
    return "".join(parts)


def _walk_date(tokens: list[tuple[str, str]]):
    """Group single code characters into date codes (``yyyy``, ``mm`` …); other code characters
    (``/ - : 年`` …) are literal."""
    run = "".join(text if kind == "code" else "\x00" + text + "\x01" for kind, text in tokens)
    i = 0
    while i < len(run):
        if run[i] == "\x00":
            end = run.index("\x01", i)
            yield ("lit", run[i + 1:end])
            i = end + 1
            continue
        match = _DATE_CODES.match(run, i)
        if match:
            yield ("code", match.group(0))
            i = match.end()
        else:
            yield ("lit", run[i])
            i += 1


def is_date_format(fmt: str) -> bool:
    """Whether a format shows a date or time (date codes outside quotes and brackets)."""
    section = split_sections(fmt)[0]
    codes = "".join(text for kind, text in _tokens(section) if kind == "code")
    if any(name in codes.lower() for name in GENERAL_NAMES):
        return False
    return bool(re.search(r"(?i)[ymdhs]|aaa|上午/下午", codes))


def serial_to_datetime(serial: float, date1904: bool = False) -> dt.datetime:
    """The moment an Excel date serial stands for (1900 system with its phantom 29 Feb 1900)."""
    epoch = _EPOCH_1904 if date1904 else _EPOCH_1900
    if not date1904 and serial < 60:
        serial += 1  # serials before 1 Mar 1900 count the day that never was
    return epoch + dt.timedelta(days=round(serial * 86400) / 86400)


def _pick_section(value: float, sections: list[str]) -> tuple[str, bool]:
    """The section that applies to a number, and whether a minus sign must be added."""
    conditional = [(s, _CONDITION.match(s)) for s in sections[:3]]
    if any(m for _, m in conditional):
        for section, match in conditional:
            if match and _holds(value, match.group(1), float(match.group(2))):
                return _CONDITION.sub("", section), False
        rest = [s for s, m in conditional if not m]
        return (rest[0], value < 0) if rest else (sections[0], value < 0)
    if len(sections) == 1 or (len(sections) >= 2 and value > 0) or (len(sections) == 2 and value == 0):
        return sections[0], True
    if value < 0:
        return sections[1], False
    return (sections[2] if len(sections) >= 3 else sections[0]), len(sections) < 3


def _holds(value: float, op: str, bound: float) -> bool:
    return {"<": value < bound, ">": value > bound, "=": value == bound, "<=": value <= bound,
            ">=": value >= bound, "<>": value != bound}[op]


def render(value: object, fmt: str | None, *, date1904: bool = False) -> str:
    """The text a spreadsheet shows for ``value`` (number, bool, date or text) under format ``fmt``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    sections = split_sections(fmt or "General")
    if isinstance(value, str):
        return _render_text(value, sections)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        section = sections[0] if is_date_format(sections[0]) else _DEFAULT_DATE[isinstance(value, dt.time)]
        return _render_date(_as_datetime(value), _tokens(_without_brackets(section)))
    if not isinstance(value, (int, float)):
        return str(value)
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        return "#NUM!"
    section, show_sign = _pick_section(number, sections)
    if is_date_format(section):
        try:
            return _render_date(serial_to_datetime(number, date1904), _tokens(_without_brackets(section)))
        except (OverflowError, ValueError):
            return _general_text(number)
    if _is_general(section):
        return _with_general(_general_text(number if show_sign else abs(number)), _tokens(section))
    if _unsupported(section):
        return _general_text(number)
    try:
        return _render_number(number, _tokens(section), show_sign)
    except (InvalidOperation, ValueError, OverflowError):
        return _general_text(number)


_DEFAULT_DATE = {False: "yyyy/m/d", True: "h:mm:ss"}


def _render_text(value: str, sections: list[str]) -> str:
    """Text under a format: the fourth section, or a first section with ``@``, dresses it."""
    section = sections[3] if len(sections) >= 4 else (sections[0] if "@" in sections[0] else None)
    if section is None:
        return value
    return "".join(value if kind == "code" and text == "@" else text
                   for kind, text in _tokens(section) if kind == "lit" or text == "@")


def _without_brackets(section: str) -> str:
    """A section without its [color]/[condition] brackets (currency brackets stay)."""
    return _BRACKET.sub(lambda m: m.group(0) if m.group(0).startswith("[$") else "", section)


def _as_datetime(value: dt.datetime | dt.date | dt.time) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return dt.datetime(1899, 12, 30, value.hour, value.minute, value.second)


def _with_general(general: str, tokens: list[tuple[str, str]]) -> str:
    """A General section with literal text around it (``G/通用格式"分"`` → ``10分``)."""
    codes = "".join(text if kind == "code" else "\x00" for kind, text in tokens)
    lowered = codes.lower()
    for name in GENERAL_NAMES:
        at = lowered.find(name)
        if at >= 0:
            break
    else:
        return general
    out, position = [], 0
    for kind, text in tokens:
        span = len(text) if kind == "code" else 1
        if kind == "lit":
            out.append(text)
        elif position == at:
            out.append(general)
        elif not (at <= position < at + len(name)):
            out.append(text)
        position += span
    return "".join(out)


def _unsupported(section: str) -> bool:
    upper = section.upper()
    return "/" in "".join(t for k, t in _tokens(section) if k == "code") or "[DBNUM" in upper or "[H]" in upper
