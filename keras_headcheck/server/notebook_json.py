"""Where each line of a notebook's code is in the notebook's JSON text.

A notebook opened as a text document is its JSON: a finding at (cell 3, line 2) is shown on the
JSON string that holds that line (nbformat writes one string per line, each on its own line of
the file). The JSON is walked with the standard library's own scanner, recording offsets only
along `cells[n].source`; every other value is skipped by parsing it.
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring
from typing import Callable

Span = tuple[int, int]  # offsets of a JSON string token in the text, end exclusive
# (cell, line), both 1-based -> the string token where that line starts, and where in the
# token's decoded value it starts (0 for nbformat's one string per line)
Places = dict[tuple[int, int], tuple[Span, int]]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def source_places(text: str) -> Places:
    """(cell, line) -> the JSON string where that line of the cell starts; empty when the
    text is not a notebook this walk understands (the caller falls back to line 0)."""
    places: Places = {}
    try:
        start = _skip(text, 0)
        if text[start] == "{":
            _object(text, start, lambda key, i: _top(text, key, i, places))
    except (ValueError, IndexError, RecursionError):
        return {}
    return places


def _top(text: str, key: str, i: int, places: Places) -> int:
    if key == "cells" and text[i] == "[":
        return _array(text, i, lambda n, j: _cell(text, n + 1, j, places))
    return _value(text, i)


def _cell(text: str, number: int, i: int, places: Places) -> int:
    if text[i] != "{":
        return _value(text, i)
    return _object(text, i, lambda key, j: _source(text, number, key, j, places))


def _source(text: str, number: int, key: str, i: int, places: Places) -> int:
    if key != "source":
        return _value(text, i)
    if text[i] == '"':
        _strings(text, number, [i], places)
        return _value(text, i)
    if text[i] != "[":
        return _value(text, i)
    starts: list[int] = []
    end = _array(text, i, lambda n, j: (starts.append(j), _value(text, j))[1])
    _strings(text, number, starts, places)
    return end


def _strings(text: str, number: int, starts: list[int], places: Places) -> None:
    """Map each line of the cell to the string element in which it starts."""
    line, at_line_start = 1, True
    for start in starts:
        if text[start] != '"':
            return  # not a list of strings: the reader reports it
        value, end = scanstring(text, start + 1)
        span = (start, end)
        if value and at_line_start:
            places[(number, line)] = (span, 0)
        newline = value.find("\n")
        while newline != -1 and newline < len(value) - 1:
            line += 1
            places[(number, line)] = (span, newline + 1)
            newline = value.find("\n", newline + 1)
        if value.endswith("\n"):
            line += 1
        at_line_start = value.endswith("\n") or (at_line_start and not value)


def _object(text: str, i: int, on_value: Callable[[str, int], int]) -> int:
    """Walk the object at `i`, handing each member's value to `on_value` (which returns where
    the value ends); returns where the object ends."""
    i = _skip(text, i + 1)
    if text[i] == "}":
        return i + 1
    while True:
        if text[i] != '"':
            raise ValueError("expected a key")
        key, i = scanstring(text, i + 1)
        i = _skip(text, i)
        if text[i] != ":":
            raise ValueError("expected ':'")
        i = _skip(text, on_value(key, _skip(text, i + 1)))
        if text[i] == "}":
            return i + 1
        if text[i] != ",":
            raise ValueError("expected ',' or '}'")
        i = _skip(text, i + 1)


def _array(text: str, i: int, on_item: Callable[[int, int], int]) -> int:
    i = _skip(text, i + 1)
    if text[i] == "]":
        return i + 1
    index = 0
    while True:
        i = _skip(text, on_item(index, i))
        index += 1
        if text[i] == "]":
            return i + 1
        if text[i] != ",":
            raise ValueError("expected ',' or ']'")
        i = _skip(text, i + 1)


def _value(text: str, i: int) -> int:
    return _DECODER.raw_decode(text, i)[1]


def _skip(text: str, i: int) -> int:
    match = _WHITESPACE.match(text, i)
    return match.end() if match else i
