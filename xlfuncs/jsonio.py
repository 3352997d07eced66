"""JSON in and out, safe with hostile input.

Reading keeps what was filed and never raises anything but :class:`JsonProblem` (one Chinese line):
integers too long for Python's int conversion stay as their digits (text), ``NaN``/``Infinity``
literals stay as non-finite floats (the checks report them), duplicate keys are recorded (the last
one wins, as in every JSON reader, and the caller reports the others), and nesting deeper than a
filing ever needs is refused before anything walks it recursively.

Writing is strict JSON: a non-finite float becomes ``null`` (its finding says what it was).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

#: Deepest nesting a filing needs is about 6 levels; anything far deeper is refused.
MAX_DEPTH = 64
#: Integers with more digits than this are kept as their text (Python refuses > 4300 digits).
MAX_INT_DIGITS = 300


class JsonProblem(ValueError):
    """The text is not JSON perfeval can read; the message is one Chinese line."""


class _Pairs(dict):
    """A JSON object that repeated a key, remembering the keys it saw more than once."""

    __slots__ = ("duplicates",)

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__()
        self.duplicates: list[str] = []
        for key, value in pairs:
            if key in self:
                self.duplicates.append(key)
            self[key] = value


def _int(text: str) -> int | str:
    digits = text.lstrip("-")
    return int(text) if len(digits) <= MAX_INT_DIGITS else text


def _constant(name: str) -> float:
    return float(name)  # NaN, Infinity, -Infinity: kept; the checks report them as unreadable


@dataclass
class Loaded:
    """A parsed JSON document and the pointers of objects that repeated a key."""

    data: Any
    duplicate_keys: list[tuple[str, str]] = field(default_factory=list)  # (pointer of object, key)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _pointer(trail: tuple | None) -> str:
    """The JSON Pointer of a node from its trail ``(parent trail, key)`` (built only when needed)."""
    tokens = []
    while trail is not None:
        trail, key = trail
        tokens.append(_escape(str(key)))
    return "".join("/" + token for token in reversed(tokens))


def _too_deep(data: Any) -> bool:
    """True when a non-empty container sits ``MAX_DEPTH`` levels down (one pass per level, no pointers)."""
    level = [data] if isinstance(data, dict | list) else []
    for _ in range(MAX_DEPTH):
        level = [child for node in level for child in (node.values() if isinstance(node, dict) else node)
                 if isinstance(child, dict | list)]
        if not level:
            return False
    return any(level)


def _walk(data: Any) -> tuple[Any, list[tuple[str, str]]]:
    """Check depth iteratively, turn the marker dicts back into plain dicts, collect duplicates.

    Only containers are visited; pointers are built only for what is reported (a filing has
    thousands of values, and this runs for every file a batch reads).
    """
    duplicates: list[tuple[str, str]] = []
    root: list[Any] = [data]
    stack: list[tuple[Any, Any, tuple | None, int]] = [(root, 0, None, 0)]
    while stack:
        parent, key, trail, depth = stack.pop()
        node = parent[key]
        if isinstance(node, _Pairs):
            pointer = _pointer(trail)
            duplicates.extend((pointer, k) for k in node.duplicates)
            node = dict(node)
            parent[key] = node
        if not isinstance(node, dict | list):  # a document that is a single value
            continue
        children = node.items() if isinstance(node, dict) else enumerate(node)
        if depth + 1 > MAX_DEPTH and node:
            where = _pointer((trail, next(iter(children))[0]))
            raise JsonProblem(f"嵌套层级过深（超过 {MAX_DEPTH} 层，位置 {where[:80] or '/'}…），不是填报文件")
        stack.extend([(node, child_key, (trail, child_key), depth + 1) for child_key, child in children
                      if isinstance(child, dict | list)])
    return root[0], sorted(duplicates)


def loads(text: str) -> Loaded:
    """Parse JSON text as filed; raise :class:`JsonProblem` with a Chinese line when it cannot be."""
    repeated: list[_Pairs] = []

    def json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        node = dict(pairs)
        if len(node) == len(pairs):
            return node
        repeated.append(_Pairs(pairs))  # a key repeats (rare): remember which
        return repeated[-1]

    try:
        data = json.loads(text, object_pairs_hook=json_object, parse_int=_int, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise JsonProblem(f"不是有效的 JSON 文件（第 {exc.lineno} 行第 {exc.colno} 列附近格式错误）") from None
    except RecursionError:
        raise JsonProblem(f"嵌套层级过深（超过 {MAX_DEPTH} 层），不是填报文件") from None
    except ValueError as exc:  # a number the decoder cannot convert
        raise JsonProblem(f"含有无法读取的数字（{str(exc)[:60]}）") from None
    if _ESCAPED_SURROGATE.search(text):  # only a \u escape can make half a character
        _refuse_lone_surrogates(data)
    if not repeated and not _too_deep(data):
        return Loaded(data)
    data, duplicates = _walk(data)  # the full walk: where keys repeat, or where the nesting is too deep
    return Loaded(data, duplicates)


_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _refuse_lone_surrogates(data: Any) -> None:
    """JsonProblem naming the first text holding half a UTF-16 character (``"\\ud800"`` alone):
    no file, sheet or document can hold it, so it is refused here rather than when writing."""
    stack: list[tuple[Any, tuple | None]] = [(data, None)]
    while stack:
        node, trail = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in items:
            for text in (key, child):
                match = _LONE_SURROGATE.search(text) if isinstance(text, str) else None
                if match:
                    where = _pointer((trail, key))
                    raise JsonProblem(f"的字段“{where[:80] or '/'}”中有无效的字符 \\u{ord(match.group(0)):04x}"
                                      "（半个 UTF-16 字符，文件可能被截断或转换出错），请删去后再读取")
            if isinstance(child, dict | list):
                stack.append((child, (trail, key)))


def finite(value: Any) -> Any:
    """A copy of ``value`` with every non-finite float replaced by None (for strict JSON output)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


def dumps(value: Any, *, indent: int | None = 2) -> str:
    """Strict JSON text (no NaN/Infinity), UTF-8 characters kept."""
    return json.dumps(finite(value), ensure_ascii=False, indent=indent, allow_nan=False)
