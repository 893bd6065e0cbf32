"""A minimal protobuf wire-format decoder: enough to read `keras_metadata.pb` as data.

We only need a few length-delimited fields, so a 30-line decoder beats a dependency on generated
message classes, and it can never instantiate anything from the file.
"""

from __future__ import annotations

from typing import Iterator, Union

Value = Union[int, bytes]


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(data) or shift > 63:
            raise ValueError("truncated or overlong varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, pos


def iter_fields(data: bytes) -> Iterator[tuple[int, Value]]:
    """Yield (field number, value) for each field of one message; varints as int, others bytes."""
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(data, pos)
            yield number, value
            continue
        if wire == 2:
            size, pos = _varint(data, pos)
        elif wire == 1:
            size = 8
        elif wire == 5:
            size = 4
        else:
            raise ValueError(f"unsupported wire type {wire}")
        if pos + size > len(data):
            raise ValueError("field runs past the end of the message")
        yield number, data[pos : pos + size]
        pos += size
