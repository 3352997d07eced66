"""The rule-profile schema: how a profile key is declared once, checked, converted and documented.

A key of a profile file is one field of :class:`xlfuncs.profiles.Profile`, declared with
:func:`setting`::

    overshoot: float = setting("checks.overshoot", Number(low=0), "D5：完成值超出目标此比例及以上须说明偏差")

The declaration gives the key's TOML path, its *kind* (what values it takes, how they become
Python values, how the docs name the type) and its Chinese description. Loading walks the
declarations (:func:`convert_fields`); :func:`unknown_keys` finds keys nothing declares.
``docs/profiles.md`` is generated from the same declarations (:func:`schema_rows`). Every
message here is Chinese and names the key; the loader adds the file.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any


class Invalid(ValueError):
    """A value that does not fit its key's kind; ``key`` is the dotted path where it sits."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"键“{key}”{problem}")
        self.key = key
        self.problem = problem


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"文字“{value[:30]}”"
    if isinstance(value, (int, float)):
        return f"数字 {value}"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "表"
    return type(value).__name__


def _number_text(value: float) -> str:
    return f"{value:g}"


# --------------------------------------------------------------------------- kinds


class Kind:
    """What values a key takes: ``convert`` checks one and returns the Python value."""

    label = ""

    def convert(self, value: Any, key: str) -> Any:  # pragma: no cover - every kind overrides
        raise NotImplementedError

    def show(self, value: Any) -> str:
        """A converted value as the docs print it."""
        return f"`{value}`"

    def sub_rows(self, key: str) -> list[tuple[str, str, str]]:
        """Rows (key, type, description) of the keys inside a table kind."""
        return []

    def owns_subkeys(self) -> bool:
        """True when the kind checks the keys inside its own table (so the walker does not)."""
        return False


@dataclass(frozen=True)
class Number(Kind):
    """A number (an integer in TOML is fine), optionally within [low, high]; with ``whole``, an
    integer (a count of characters …)."""

    low: float | None = None
    high: float | None = None
    whole: bool = False

    @property
    def label(self) -> str:  # type: ignore[override]
        noun = "整数" if self.whole else "数"
        if self.low is not None and self.high is not None:
            return f"{noun}（{_number_text(self.low)}–{_number_text(self.high)}）"
        if self.low is not None:
            return f"{noun}（≥ {_number_text(self.low)}）"
        return noun

    def convert(self, value: Any, key: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise Invalid(key, f"应为数字，实为{_shown(value)}")
        if self.whole:
            if isinstance(value, float) and not value.is_integer():
                raise Invalid(key, f"应为整数，实为 {_number_text(value)}")
            value = int(value)
        number = float(value)
        if not math.isfinite(number):
            raise Invalid(key, "应为有限的数字")
        if self.low is not None and number < self.low:
            raise Invalid(key, f"应不小于 {_number_text(self.low)}，实为 {_number_text(number)}")
        if self.high is not None and number > self.high:
            raise Invalid(key, f"应不大于 {_number_text(self.high)}，实为 {_number_text(number)}")
        return int(value) if self.whole else number

    def show(self, value: Any) -> str:
        return f"`{_number_text(value)}`"


@dataclass(frozen=True)
class Flag(Kind):
    """``true`` or ``false``."""

    label = "true / false"

    def convert(self, value: Any, key: str) -> bool:
        if not isinstance(value, bool):
            raise Invalid(key, f"应为 true 或 false，实为{_shown(value)}")
        return value

    def show(self, value: Any) -> str:
        return "`true`" if value else "`false`"


@dataclass(frozen=True)
class Text(Kind):
    """A text; with ``choices``, one of them."""

    choices: tuple[str, ...] = ()

    @property
    def label(self) -> str:  # type: ignore[override]
        return " 或 ".join(f"`{c}`" for c in self.choices) if self.choices else "文字"

    def convert(self, value: Any, key: str) -> str:
        if not isinstance(value, str):
            raise Invalid(key, f"应为文字，实为{_shown(value)}")
        if self.choices and value not in self.choices:
            raise Invalid(key, f"应为 {'、'.join(self.choices)} 之一，实为“{value}”")
        return value

    def show(self, value: Any) -> str:
        return f"`{value}`" if value else "（空）"


@dataclass(frozen=True)
class Words(Kind):
    """A list of texts; kept as a tuple (order matters) or a frozenset."""

    as_set: bool = False
    label = "文字列表"

    def convert(self, value: Any, key: str) -> tuple[str, ...] | frozenset[str]:
        if not isinstance(value, list):
            raise Invalid(key, f"应为文字列表 [\"…\", …]，实为{_shown(value)}")
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise Invalid(f"{key}[{i}]", f"应为文字，实为{_shown(item)}")
        return frozenset(value) if self.as_set else tuple(value)

    def show(self, value: Any) -> str:
        items = sorted(value) if isinstance(value, frozenset) else list(value)
        return "、".join(items[:4]) + ("…" if len(items) > 4 else "") if items else "（空）"


@dataclass(frozen=True)
class Patterns(Kind):
    """A list of regular expressions, kept as one compiled alternation."""

    label = "正则表达式列表"

    def convert(self, value: Any, key: str) -> re.Pattern[str]:
        texts = Words().convert(value, key)
        for i, text in enumerate(texts):
            try:
                re.compile(text)
            except re.error as exc:
                raise Invalid(f"{key}[{i}]", f"不是有效的正则表达式（{exc}）") from None
        return re.compile("|".join(f"(?:{t})" for t in texts) if texts else r"(?!)")

    def show(self, value: Any) -> str:
        return "见 `default.toml`"


@dataclass(frozen=True)
class Pairs(Kind):
    """A list of ``[a, b]`` number pairs, kept sorted by ``a`` from highest to lowest."""

    first: Number = Number()
    second: Number = Number()
    label = "[[数, 数], …]"

    def convert(self, value: Any, key: str) -> tuple[tuple[float, float], ...]:
        if not isinstance(value, list):
            raise Invalid(key, f"应为 [[数, 数], …]，实为{_shown(value)}")
        pairs = []
        for i, item in enumerate(value):
            if not isinstance(item, list) or len(item) != 2:
                raise Invalid(f"{key}[{i}]", f"应为两个数 [数, 数]，实为{_shown(item)}")
            pairs.append((self.first.convert(item[0], f"{key}[{i}][0]"),
                          self.second.convert(item[1], f"{key}[{i}][1]")))
        return tuple(sorted(pairs, reverse=True))

    def show(self, value: Any) -> str:
        if not value:
            return "`[]`"
        return "`[" + ", ".join(f"[{_number_text(a)}, {_number_text(b)}]" for a, b in value) + "]`"


@dataclass(frozen=True)
class NamedNumbers(Kind):
    """A table of numbers under fixed keys (each described)."""

    keys: tuple[tuple[str, str], ...]  # (key, Chinese description)
    number: Number = Number(low=0)
    label = "表"

    def convert(self, value: Any, key: str) -> dict[str, float]:
        if not isinstance(value, dict):
            raise Invalid(key, f"应为表 [{key}]，实为{_shown(value)}")
        known = [k for k, _ in self.keys]
        for name in value:
            if name not in known:
                raise Invalid(f"{key}.{name}", _unknown_problem(name, known))
        missing = [k for k in known if k not in value]
        if missing:
            raise Invalid(f"{key}.{missing[0]}", "缺失")
        return {k: self.number.convert(value[k], f"{key}.{k}") for k in known}

    def show(self, value: Any) -> str:
        return "、".join(f"{k} {_number_text(v)}" for k, v in value.items())

    def sub_rows(self, key: str) -> list[tuple[str, str, str]]:
        return [(f"{key}.{k}", self.number.label, doc) for k, doc in self.keys]

    def owns_subkeys(self) -> bool:
        return True


@dataclass(frozen=True)
class Records(Kind):
    """An array of tables (``[[key]]``), each a ``record`` dataclass whose fields are declared
    with :func:`setting` (the path is the key inside the table); ``order`` sorts them."""

    record: type
    order: Callable[[Any], Any] | None = None
    label = "表数组 [[…]]"

    def convert(self, value: Any, key: str) -> tuple[Any, ...]:
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise Invalid(key, f"应为表数组 [[{key}]]，实为{_shown(value)}")
        if not value:
            raise Invalid(key, "至少需要一项")
        records = []
        for i, item in enumerate(value):
            where = f"{key}[{i}]"
            declared = {f.metadata["toml"]: f for f in declared_fields(self.record)}
            for name in item:
                if name not in declared:
                    raise Invalid(f"{where}.{name}", _unknown_problem(name, list(declared)))
            values = {}
            for name, f in declared.items():
                if name in item:
                    values[f.name] = f.metadata["kind"].convert(item[name], f"{where}.{name}")
                elif not _optional(f):
                    raise Invalid(f"{where}.{name}", "缺失")
            records.append(self.record(**values))
        return tuple(sorted(records, key=self.order)) if self.order else tuple(records)

    def show(self, value: Any) -> str:
        return f"{len(value)} 项"

    def sub_rows(self, key: str) -> list[tuple[str, str, str]]:
        return [(f"{key}.{f.metadata['toml']}", _label(f), f.metadata["doc"])
                for f in declared_fields(self.record)]

    def owns_subkeys(self) -> bool:
        return True


# --------------------------------------------------------------------------- declarations


def setting(path: str, kind: Kind, doc: str, default: Any = dataclasses.MISSING) -> Any:
    """Declare a profile key: its dotted TOML path, its kind and its Chinese description; a key
    with a ``default`` may be left out of a file (an immutable value: it is shared)."""
    return dataclasses.field(default=default, metadata={"toml": path, "kind": kind, "doc": doc})


def _optional(f: dataclasses.Field) -> bool:
    return f.default is not dataclasses.MISSING


def _label(f: dataclasses.Field) -> str:
    """The docs' type of a declared key (an optional one says so)."""
    label = f.metadata["kind"].label
    return f"{label}（可省略）" if _optional(f) else label


def declared_fields(cls: type) -> list[dataclasses.Field]:
    """The fields of a dataclass that are profile keys (declared with :func:`setting`)."""
    return [f for f in dataclasses.fields(cls) if "toml" in f.metadata]


def _unknown_problem(name: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    hint = f"；是否应为“{close[0]}”？" if close else f"；此处可用的键：{'、'.join(known)}"
    return "不是规则配置的键" + hint


def _lookup(data: Mapping[str, Any], path: str) -> tuple[bool, Any]:
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return False, None
        node = node[part]
    return True, node


def unknown_keys(cls: type, data: Mapping[str, Any], allowed: tuple[str, ...] = ()) -> Iterator[Invalid]:
    """Every key of ``data`` (a parsed profile file) that no field of ``cls`` declares."""
    leaves = {f.metadata["toml"]: f.metadata["kind"] for f in declared_fields(cls)}
    sections = {p.rsplit(".", 1)[0] for p in leaves if "." in p}
    sections |= {s.rsplit(".", i)[0] for s in list(sections) for i in range(1, s.count(".") + 1)}

    def walk(node: Mapping[str, Any], prefix: str) -> Iterator[Invalid]:
        here = [p[len(prefix):].split(".")[0] for p in (*leaves, *sections) if p.startswith(prefix)]
        for name, value in node.items():
            path = prefix + name
            if not prefix and name in allowed:
                continue
            if path in leaves:
                continue  # the kind checks what is inside (tables of numbers, arrays of tables)
            if path in sections:
                if not isinstance(value, Mapping):
                    yield Invalid(path, f"应为表 [{path}]，实为{_shown(value)}")
                else:
                    yield from walk(value, path + ".")
                continue
            yield Invalid(path, _unknown_problem(name, sorted(set(here)) + ([*allowed] if not prefix else [])))

    yield from walk(data, "")


def convert_fields(cls: type, data: Mapping[str, Any]) -> dict[str, Any]:
    """The Python values of every declared key of ``cls`` found in ``data``; raise :class:`Invalid`
    for a missing key or a value of the wrong kind."""
    values = {}
    for f in declared_fields(cls):
        path = f.metadata["toml"]
        found, raw = _lookup(data, path)
        if found:
            values[f.name] = f.metadata["kind"].convert(raw, path)
        elif not _optional(f):
            raise Invalid(path, "缺失")
    return values


def schema_rows(cls: type, example: Any | None = None) -> list[tuple[str, str, str, str]]:
    """(key, type, value in ``example``, description) for every declared key, in declaration order;
    tables of a kind add a row per key inside."""
    rows = []
    for f in declared_fields(cls):
        kind: Kind = f.metadata["kind"]
        shown = kind.show(getattr(example, f.name)) if example is not None else ""
        rows.append((f.metadata["toml"], _label(f), shown, f.metadata["doc"]))
        rows += [(key, label, "", doc) for key, label, doc in kind.sub_rows(f.metadata["toml"])]
    return rows
