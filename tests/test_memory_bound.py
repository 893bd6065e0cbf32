"""One memory bound for every reader: the worst files for memory are read (refused, here) in a
child process under a hard address-space limit (RLIMIT_AS) of MEMORY_BOUND_MIB, the bound README
and SECURITY.md document, with one line and exit status 2.

The worst shapes (tests/worst_shapes.py) sit just under the byte and value limits of
keras_headcheck/readers/limits.py, made of the JSON that parses to the most memory, in a `.keras`,
an `.h5` read by our own reader, an `.h5` left to libhdf5, a SavedModel, a notebook and a source.
The shape that once took twice the bound (an `.h5` or SavedModel with two configs each just under
the byte limit) is refused by the per-file budget before anything is parsed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest
import worst_shapes as shapes
from hostile_corpus import _MEASURED

from keras_headcheck.readers.limits import DEFAULT_LIMITS

MiB = 1024 * 1024
MEMORY_BOUND_MIB = 512  # documented in README.md and SECURITY.md
ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS: Linux")


def _limit_address_space() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BOUND_MIB * MiB, MEMORY_BOUND_MIB * MiB))


def run_bounded(path: Path) -> tuple[int, list[str], float]:
    """Exit status, stderr lines and peak resident MiB of the CLI on `path`, under RLIMIT_AS."""
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURED, "check", "--output-format", "json", str(path)],
        capture_output=True, text=True, timeout=300, cwd=ROOT, preexec_fn=_limit_address_space,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])},
    )
    _, _, measured = proc.stdout.rpartition("\n@@MAXRSS ")
    peak = int(measured.split()[0]) / 1024 if measured else -1.0
    return proc.returncode, [line for line in proc.stderr.splitlines() if line.strip()], peak


def _one_line(path: Path, *words: str) -> None:
    code, lines, peak = run_bounded(path)
    assert code == 2, (code, lines)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"keras-headcheck: error: {path}: "), lines
    assert "MemoryError" not in lines[0] and "internal error" not in lines[0], lines
    for word in words:
        assert word in lines[0], lines
    assert peak < MEMORY_BOUND_MIB


LAYER_CAP = "more than 50000 (KERAS_HEADCHECK_MAX_LAYERS)"
WORST: dict[str, tuple[Callable[[Path], Path], tuple[str, ...]]] = {
    "keras-lists": (lambda p: shapes.write_keras(p / "m.keras", "lists"), (LAYER_CAP,)),
    "keras-objects": (lambda p: shapes.write_keras(p / "m.keras", "objects"), (LAYER_CAP,)),
    "h5-own-reader": (lambda p: shapes.write_h5(p / "m.h5", "lists"), (LAYER_CAP,)),
    "h5-libhdf5": (lambda p: shapes.write_h5(p / "m.h5", "objects", dense=True), (LAYER_CAP,)),
    "savedmodel": (lambda p: shapes.write_savedmodel(p / "sm", "objects"), (LAYER_CAP,)),
    # the shape that once peaked at twice the bound: each config alone just under the limits
    "h5-two-full-attributes": (
        lambda p: shapes.write_h5(p / "m.h5", "lists", halves=False),
        ("model_config and training_config together are", "16777216-byte limit"),
    ),
    "h5-two-full-attributes-libhdf5": (
        lambda p: shapes.write_h5(p / "m.h5", "lists", dense=True, halves=False),
        ("model_config and training_config together are", "16777216-byte limit"),
    ),
    "savedmodel-two-full-configs": (
        lambda p: shapes.write_savedmodel(p / "sm", "lists", halves=False),
        ("keras_metadata.pb is", "16777216-byte limit"),
    ),
}


@pytest.mark.parametrize("case", sorted(WORST))
def test_worst_model_files_stay_within_the_bound(tmp_path: Path, case: str) -> None:
    write, words = WORST[case]
    _one_line(write(tmp_path), *words)


def test_h5_configs_over_the_value_limit_together_are_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "m.h5"
    text = shapes.worst_json("lists", shapes.BYTES // 2 - 8).decode()  # each alone: the full limit
    import h5py

    with h5py.File(path, "w") as handle:
        handle.attrs["model_config"] = text
        handle.attrs["training_config"] = text
    _one_line(path, "model_config and training_config together hold up to", "2000000-value limit",
              "KERAS_HEADCHECK_MAX_JSON_VALUES")


@pytest.mark.parametrize("count", [999_000, 1_001_000])  # each [] counts as two values
def test_the_worst_notebook_stays_within_the_bound(tmp_path: Path, count: int) -> None:
    path = tmp_path / "n.ipynb"
    cells = [{"cell_type": "code", "source": "import keras\n", "metadata": {}, "outputs": [[]] * count}]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    assert os.path.getsize(path) < DEFAULT_LIMITS.max_config_bytes
    if count < 1_000_000:  # read: a notebook that builds no model
        code, lines, peak = run_bounded(path)
        assert (code, lines) == (0, [])
        assert peak < MEMORY_BOUND_MIB
    else:
        _one_line(path, "too large: the notebook holds up to", "2000000-value limit")


def test_the_worst_source_stays_within_the_bound(tmp_path: Path) -> None:
    path = tmp_path / "tuples.py"  # the parser's worst: ~750 bytes of syntax tree per byte
    path.write_text("import keras\n" + "a,b=c,d\n" * ((DEFAULT_LIMITS.max_source_bytes - 13) // 8))
    _one_line(path, "too large: more than 100000 syntax-tree nodes")


def test_a_doubling_script_stays_within_the_bound(tmp_path: Path) -> None:
    path = tmp_path / "double.py"
    path.write_text("import keras\nL = [1]\n" + "L = L + L\n" * 40 + "s = 'ab'\n" + "s += s\n" * 40
                    + "model = keras.Sequential([keras.layers.Dense(1, activation='softmax')])\n")
    code, lines, peak = run_bounded(path)
    assert (code, lines) == (1, [])  # its finding, HC101
    assert peak < 100


