"""The budget on values the source interpreter builds while reading one file: how big each may
get, how much one file may build, and how much measuring them may cost."""

from __future__ import annotations

import itertools
from typing import Any, Optional

from .values import UNKNOWN

# A 400-byte script doubling a list 40 times would otherwise build 2**40 elements. Every plain
# value has a size: elements of lists, tuples and dicts (keys and values) counted through nested
# containers, characters of strings, 64-bit words of ints; interpreter objects (layers, models,
# tensors...) count 1 and are not looked into. A value over MAX_VALUE_SIZE or nested deeper than
# MAX_VALUE_DEPTH becomes UNKNOWN, as does every new container, long string or big integer once
# the values built for one file add up to MAX_BUILT (small numbers and short strings are never
# charged: they are what the rules read, and each costs a few bytes). The rules only need sizes
# like `len(CLASSES)` and short lists of layers, so a program's meaning for them is kept and its
# data is not (the largest value built reading any keras-io or TensorFlow docs source is 4,743,
# the most built for one file 7,639: see benchmarks/source_bounds.py).
MAX_VALUE_SIZE = 100_000
MAX_VALUE_DEPTH = 48
MAX_BUILT = 1_000_000
MAX_MEASURED = 1_000_000  # items walked by size_of per file: measuring a value is work too
MAX_INT_BITS = 4096
SMALL_STRING = 64
_SIZED = (str, list, tuple, dict, int)


def size_of(value: Any, cap: int = MAX_VALUE_SIZE, forbid: Any = None) -> Optional[int]:
    """The size of `value`, or None if it is over `cap`, nested deeper than MAX_VALUE_DEPTH or
    holds `forbid` (the container it would be added to: a cycle). Never walks more than `cap`
    items and never recurses, so a value shared many times or a cycle costs at most `cap`."""
    return walk(value, cap, forbid)[0]


def walk(value: Any, cap: int = MAX_VALUE_SIZE, forbid: Any = None) -> tuple[Optional[int], int]:
    """size_of(value, cap, forbid), and how many items the walk visited to say so."""
    total = 0
    visited = 0
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        visited += 1
        if forbid is not None and item is forbid:
            return None, visited
        if isinstance(item, str):
            total += 1 + len(item)
        elif isinstance(item, int):
            if item.bit_length() > MAX_INT_BITS:
                return None, visited
            total += 1 + item.bit_length() // 64
        elif isinstance(item, (list, tuple, dict)):
            if depth >= MAX_VALUE_DEPTH:
                return None, visited
            total += 1 + len(item)
            if total <= cap:
                inner = itertools.chain.from_iterable(item.items()) if isinstance(
                    item, dict) else item
                stack.extend((x, depth + 1) for x in inner if isinstance(x, _SIZED) or x is forbid)
        else:
            total += 1
        if total > cap:
            return None, visited
    return total, visited


def bounded_product(sequence: Any, count: Any) -> bool:
    """Whether `sequence * count` stays within the value budget (checked before building it)."""
    size = size_of(sequence)
    return size is not None and isinstance(count, int) and size * max(count, 0) <= MAX_VALUE_SIZE


def bounded_int_op(left: int, right: int, power: bool) -> bool:
    """Whether `left * right` (or `left ** right`) stays under MAX_INT_BITS (checked before)."""
    if power:
        return right <= 0 or abs(left) <= 1 or left.bit_length() * right <= MAX_INT_BITS
    return left.bit_length() + right.bit_length() <= MAX_INT_BITS


class Budget:
    """The values built while interpreting one file: `admit` every new value, and ask `room`
    before adding items to an existing list or dict. The walks that measure them are charged
    too (`measure`), so a file that grows one list near the cap and appends to it on every line
    costs a bounded time, not one walk of the whole list per line."""

    def __init__(self, total: int = MAX_BUILT, measured: int = MAX_MEASURED) -> None:
        self.left = total
        self.measuring = measured

    def measure(self, value: Any, cap: int, forbid: Any = None) -> Optional[int]:
        """size_of(value), charged to what this file may still walk; None once that is spent."""
        if self.measuring <= 0:
            return None
        size, visited = walk(value, min(cap, self.measuring), forbid)
        self.measuring -= visited
        return size

    def admit(self, value: Any) -> Any:
        """`value`, or UNKNOWN if it is over the budget."""
        if not isinstance(value, _SIZED) or isinstance(value, bool):
            return value
        if isinstance(value, int) and value.bit_length() <= 64 or (
            isinstance(value, str) and len(value) <= SMALL_STRING
        ):
            return value  # numbers and names, what the rules read: never charged
        size = self.measure(value, min(MAX_VALUE_SIZE, self.left))
        if size is None:
            return UNKNOWN
        self.left -= size
        return value

    def room(self, container: Any, added: Any) -> bool:
        """Whether `added` (a list of items) may go into `container` in place: the grown value
        stays within MAX_VALUE_SIZE and no cycle is made. The growth is charged."""
        cap = min(MAX_VALUE_SIZE, self.left)
        now = self.measure(container, cap)
        more = None if now is None else self.measure(list(added), cap - now, forbid=container)
        if now is None or more is None or now + more > min(MAX_VALUE_SIZE, self.left):
            return False
        self.left -= more
        return True
