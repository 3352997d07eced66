"""Text as XML 1.0 can hold it, for every official file the package writes.

C0 control characters (but tab and line breaks), U+FFFE, U+FFFF and lone surrogates cannot be
written into .xlsx or .docx XML (lxml refuses them; a file holding them is not well-formed).
Word's soft line break (U+000B) and a form feed, as pasted into cells, become a line break;
the others carry nothing visible and are dropped.
"""

from __future__ import annotations

import re

_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


def xml_text(text: str) -> str:
    """``text`` with line breaks for U+000B/U+000C and CR LF, other characters XML refuses dropped."""
    return _NOT_XML.sub("", text.translate(_BREAKS).replace("\r\n", "\n").replace("\r", "\n"))
