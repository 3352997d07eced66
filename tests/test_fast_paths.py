"""The engine's fast paths give exactly what the general path gives (issue 13's speed work).

Each shortcut is held against the slower code it stands in for, on generated input:
- JSON reading skips the pointer walk unless a key repeats or the nesting is too deep: the result
  (data, repeated keys, or the Chinese refusal) equals the full walk's on every document (the walk
  once failed with a TypeError on a document that is a single value, ``1``: now it reads it, and the
  shape check says the file is no filing);
- ``format_number`` prints whole values without float formatting: equal to the general formatting;
- cells are remembered per text as typed: reading a typed text equals reading its cleaned text.
"""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from xlfuncs import jsonio
from xlfuncs.measures import _parse_text, parse_measure
from xlfuncs.values import _clean_str, format_number, parse_amount, parse_points, parse_rate

pytestmark = pytest.mark.core


def _full_walk(text: str) -> tuple[object, list[tuple[str, str]]] | str:
    """What reading gave before the shortcut: every object checked, every pointer walked."""
    try:
        data = json.loads(text, object_pairs_hook=jsonio._Pairs, parse_int=jsonio._int,
                          parse_constant=jsonio._constant)
        return jsonio._walk(data)
    except jsonio.JsonProblem as exc:
        return str(exc)


def _read(text: str) -> tuple[object, list[tuple[str, str]]] | str:
    try:
        loaded = jsonio.loads(text)
    except jsonio.JsonProblem as exc:
        return str(exc)
    return loaded.data, loaded.duplicate_keys


_KEYS = st.sampled_from(["a", "b", "c", "a/b", "~", "项目"])
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10, 10), st.text(max_size=3))


def _object_text(pairs: list[tuple[str, str]]) -> str:
    return "{" + ",".join(f"{json.dumps(k, ensure_ascii=False)}:{v}" for k, v in pairs) + "}"


# JSON texts (not values): objects may repeat a key, which no Python value can express
_TEXTS = st.recursive(
    _SCALARS.map(lambda v: json.dumps(v, ensure_ascii=False)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda items: "[" + ",".join(items) + "]"),
        st.lists(st.tuples(_KEYS, inner), max_size=4).map(_object_text)),
    max_leaves=30)


def _nested(depth: int, innermost: str) -> str:
    return "[" * depth + innermost + "]" * depth


@given(_TEXTS)
@settings(max_examples=300)
@example(_nested(63, "1"))
@example(_nested(64, "1"))
@example(_nested(64, ""))
@example(_nested(65, ""))
@example(_nested(65, "1"))
@example('{"x":' + _nested(64, '{"k":1,"k":2}') + "}")
@example('{"a":1,"a":2,"b":{"c":[{"d":1,"d":1}]}}')
@example("1")
def test_reading_json_equals_the_full_walk(text):
    assert _read(text) == _full_walk(text)


def _general_format(value: float, digits: int) -> str:
    """``format_number`` without its shortcut for whole values."""
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@given(st.one_of(st.floats(), st.integers(-10**16, 10**16).map(float), st.integers(-10**6, 10**6)),
       st.integers(0, 3))
@example(-0.0, 2)
@example(1e15, 2)
@example(1e15 - 1, 2)
@example(math.inf, 2)
@example(math.nan, 1)
def test_format_number_equals_the_general_formatting(value, digits):
    assert format_number(value, digits) == _general_format(value, digits)


_TYPED = st.text(st.sampled_from(list("0123456789.%,，-—万元分个≥≤约 　\n\t年月日次人／/ab优良")), max_size=8)


@given(_TYPED)
@settings(max_examples=300)
def test_a_cell_read_as_typed_equals_its_cleaned_text_read(typed):
    cleaned = _clean_str(typed)
    assert parse_measure(typed) == _parse_text(cleaned)
    assert parse_points(typed) == parse_points(cleaned)
    assert parse_rate(typed) == parse_rate(cleaned)
    assert parse_amount(typed, "元") == parse_amount(cleaned, "元")


@pytest.mark.parametrize("text", ["1", "null", '"文本"', "[]"])
def test_a_json_file_of_one_value_is_refused_in_chinese(text):
    from xlfuncs.filing import FilingError, parse_filing_text

    with pytest.raises(FilingError, match="顶层应为对象"):
        parse_filing_text(text, "x.json")
