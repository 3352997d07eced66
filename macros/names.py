"""Safe file and folder names from what users typed (unit and project names).

File systems limit a name by bytes (255 bytes of UTF-8 on Linux and macOS), not by characters:
80 CJK characters are 240 bytes, but 80 characters from CJK Extension B or emoji are 320. Names
are therefore cut by characters *and* by UTF-8 bytes, on a character boundary.
"""

from __future__ import annotations

import re
import unicodedata

MAX_NAME_CHARS = 80
MAX_NAME_BYTES = 200  # leaves room under 255 bytes for the suffixes export adds (.docx, .tmp, .zip …)
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def cut_to_bytes(text: str, max_bytes: int) -> str:
    """The longest prefix of ``text`` whose UTF-8 form has at most ``max_bytes`` bytes."""
    encoded = text.encode("utf-8", "surrogatepass")
    if len(encoded) <= max_bytes:
        return text
    return encoded[:max_bytes].decode("utf-8", "ignore")


def safe_name(text: object, fallback: str = "未命名", max_chars: int = MAX_NAME_CHARS,
              max_bytes: int = MAX_NAME_BYTES) -> str:
    """A name usable as one path component on Windows, macOS and Linux.

    Path separators and characters Windows forbids become "_", control, format and unpaired
    surrogate characters are dropped, whitespace runs (U+3000 included) become one space,
    leading and trailing dots and spaces go, Windows device names (CON, NUL, COM1 …) get a
    "_" prefix, and the result is cut to ``max_chars`` characters and ``max_bytes`` UTF-8 bytes.
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
    return cut_to_bytes(value[:max_chars], max_bytes).rstrip(" .") or fallback
