"""Text that XML cannot hold, the way Excel stores it: ``_xHHHH_`` escapes.

XML 1.0 has no place for most control characters (U+0000–U+001F other than tab, line feed and
carriage return), for U+FFFE/U+FFFF, or for lone surrogates, and a carriage return in element
text is turned into a line feed by every XML parser. Excel writes each such character as
``_xHHHH_`` (its UTF-16 code unit in hex) and, so that a literal ``_x000D_`` typed by a person
survives, writes the underscore of such a literal as ``_x005F_``. Text pasted from Word carries
U+000B (a soft line break) and CR LF pairs, so real filings hold these.

:func:`encode` is applied to every text we write into a spreadsheet cell ourselves (XlsxWriter
does it for the strings it writes, not for formula results or lone surrogates);
:func:`decode` to every text we read from one. Documents with no such escape (Word, document
properties) get :func:`macros.xmltext.xml_text` instead: a soft line break becomes a line break,
the rest is dropped.
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# an underscore that starts something reading as an escape (overlapping ones too: "_x005F_x000D_")
_LITERAL = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
# characters that need an escape: the forbidden control characters (CR too, which parsers would
# fold into LF), U+FFFE/U+FFFF, and surrogates (a lone one cannot even be encoded as UTF-8)
_NEEDS = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff\ud800-\udfff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def encode(text: str) -> str:
    """Text with every character XML cannot hold (and CR) as Excel's ``_xHHHH_`` escape, and the
    underscore of anything that would read as an escape as ``_x005F_``; :func:`decode` gives it back."""
    if "_x" in text:
        text = _LITERAL.sub("_x005F_", text)
    if not _NEEDS.search(text):
        return text
    return _NEEDS.sub(lambda m: f"_x{ord(m.group(0)):04X}_", _join_pairs(text))


def decode(text: str) -> str:
    """Text as typed: Excel's ``_xHHHH_`` escapes (``_x000D_``, ``_x000B_``, ``_x005F_`` …) undone;
    an escaped surrogate pair becomes its character."""
    if "_x" not in text:
        return text
    decoded = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return _join_pairs(decoded) if _SURROGATE.search(decoded) else decoded


def _join_pairs(text: str) -> str:
    """Surrogate pairs joined into their character (lone surrogates stay)."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def lone_surrogate(text: str) -> str | None:
    """The first lone surrogate in ``text`` (e.g. ``"\\ud800"``), or None."""
    match = _SURROGATE.search(_join_pairs(text))
    return match.group(0) if match else None
