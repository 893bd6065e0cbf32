"""Targets read from a file, for `keras-headcheck check MODEL --targets FILE`: a `.npy`, a `.npz`
holding one array, or a `.csv` (pickles refused); and which model each `--targets` is for."""

from __future__ import annotations

import os
from typing import Any, Optional

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


def targets_plan(options: tuple[str, ...], paths: list[str], given: int) -> dict[str, Targets]:
    """Path -> the summarised targets for it; a TargetError (the whole message) unless each
    `--targets` option can be used.

    A plain FILE applies to the one model checked (never to every model of a directory: one
    set of labels fits one model); MODEL=FILE names the model for each."""
    if not options:
        return {}
    pairs = [_target_pair(option) for option in options]
    if any(model is None for model, _ in pairs):
        if len(pairs) > 1 or len(paths) != 1 or given > 1:
            count = max(len(paths), given)
            raise TargetError(f"--targets {pairs[0][1]} applies to one model, but {count} paths "
                              "are checked: give --targets MODEL=FILE for each model")
        pairs = [(paths[0], pairs[0][1])]
    plan = {}
    for model, file in pairs:
        match = _same_path(str(model), paths)
        if match is None:
            raise TargetError(f"--targets {model}={file}: {model} is not among the paths checked")
        try:
            plan[match] = load_targets_file(file)
        except TargetError as exc:
            raise TargetError(f"{file}: cannot read the targets ({exc})") from None
    return plan


def _target_pair(option: str) -> tuple[Optional[str], str]:
    model, sep, file = option.partition("=")
    if not sep or not model or os.path.exists(option):
        return None, option
    return model, file


def _same_path(given: str, paths: list[str]) -> Optional[str]:
    for path in paths:
        if path == given or os.path.normpath(path) == os.path.normpath(given):
            return path
    return None


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
