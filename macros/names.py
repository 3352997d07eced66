"""Safe file and folder names from what users typed (unit and project names)."""

from __future__ import annotations

import re
import unicodedata

MAX_NAME_CHARS = 80  # 80 CJK characters are 240 UTF-8 bytes, under the usual 255-byte limit
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_name(text: object, fallback: str = "未命名", max_chars: int = MAX_NAME_CHARS) -> str:
    """A name usable as one path component on Windows, macOS and Linux.

    Path separators and characters Windows forbids become "_", control and format
    characters are dropped, whitespace runs (U+3000 included) become one space, leading
    and trailing dots and spaces go, Windows device names (CON, NUL, COM1 …) get a "_"
    prefix, and the result is cut to ``max_chars`` characters.
    """
    value = unicodedata.normalize("NFC", "" if text is None else str(text))
    value = "".join(ch for ch in value if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
                    or ch in "\t\n\r")
    value = _FORBIDDEN.sub("_", value)
    value = " ".join(value.split())
    value = value.strip(" .")
    if not value:
        value = fallback
    if value.split(".")[0].strip().upper() in _RESERVED:
        value = "_" + value
    return value[:max_chars].rstrip(" .") or fallback
