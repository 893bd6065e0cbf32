"""Targets read from a file, for `keras-headcheck check MODEL --targets FILE`: a `.npy`, a `.npz`
holding one array, or a `.csv` (pickles refused)."""

from __future__ import annotations

import os
from typing import Any

from .arrays import summarize_targets
from .summary import TargetError, Targets

MAX_CSV_BYTES = 256 * 1024 * 1024


def load_targets_file(path: str) -> Targets:
    """Targets from a `.npy`, a `.npz` holding one array, or a `.csv` file (pickles refused)."""
    from ..readers.errors import ReadError
    from ..readers.files import open_regular  # a FIFO is refused, never waited on
    import zipfile  # imported here: a lint without targets loads neither zip nor csv

    lower = path.lower()
    if not lower.endswith((".npy", ".npz", ".csv")):
        raise TargetError("expected a .npy, .npz or .csv file")
    try:
        with open_regular(path) as handle:
            if lower.endswith(".csv"):
                return summarize_targets(_load_csv(handle))
            return summarize_targets(_load_numpy(handle, archive=lower.endswith(".npz")))
    except TargetError:
        raise
    except ReadError as exc:
        raise TargetError(str(exc)) from None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        message = str(exc).strip().splitlines()
        raise TargetError(message[0] if message else type(exc).__name__) from None


def _load_numpy(handle: Any, archive: bool) -> Any:
    import numpy as np

    loaded = np.load(handle, allow_pickle=False)
    if not hasattr(loaded, "files"):
        if archive:
            raise TargetError("not a .npz archive")
        return loaded
    with loaded:
        if not archive:
            raise TargetError("a .npz archive, not a .npy array")
        if len(loaded.files) != 1:
            raise TargetError(f".npz holds {len(loaded.files)} arrays, expected exactly one")
        return loaded[loaded.files[0]]


def _load_csv(handle: Any) -> Any:
    """Numbers in columns; a first line that is not numeric is a header."""
    import io
    import csv

    import numpy as np

    if os.fstat(handle.fileno()).st_size > MAX_CSV_BYTES:
        raise TargetError(f"over the {MAX_CSV_BYTES}-byte limit for .csv targets")
    with io.TextIOWrapper(handle, newline="", encoding="utf-8") as text:
        reader = csv.reader(text)
        rows = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    if rows and not all(_is_number(cell) for cell in rows[0][1]):
        rows = rows[1:]
    if not rows:
        raise TargetError("no rows of numbers")
    width = len(rows[0][1])
    for line, row in rows:
        if len(row) != width or not all(_is_number(cell) for cell in row):
            raise TargetError(f"line {line}: expected {width} number(s), like the first row")
    as_int = all(_is_int(cell) for _, row in rows for cell in row)
    array = np.array([[(int if as_int else float)(cell) for cell in row] for _, row in rows])
    return array[:, 0] if width == 1 else array


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _is_int(cell: str) -> bool:
    try:
        int(cell)
    except ValueError:
        return False
    return True
