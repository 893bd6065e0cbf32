"""Shapes are checked before use: a config or notebook of the wrong shape is a one-line "not a
valid ..." error naming the field (exit 2), and `keras_headcheck.check(path)` raises ReadError (a
ValueError), never a raw TypeError or AttributeError. Messages always carry a reason; Python's
own warnings while parsing a user's file are never printed; no child process is started.

The crash shapes are the ones the fuzz campaign (benchmarks/fuzz_campaign.py) found.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hostile_corpus import (
    build_bases,
    read_h5_configs,
    read_keras_config,
    read_savedmodel_root,
    run_linter,
    write_h5,
    write_keras,
    write_savedmodel,
)

import keras_headcheck
from keras_headcheck.readers import ReadError

JSON = ("check", "--output-format", "json")
MEMORY_BOUND_MIB = 512  # the documented bound (tests/test_memory_bound.py)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_bases(tmp_path_factory.mktemp("shapes"))


def refused_everywhere(path: Path, *words: str) -> None:
    """The CLI: exit 2 and one line with `words`; the API: ReadError with the same words."""
    run = run_linter(*JSON, str(path), timeout=120)
    assert run.code == 2, (run.code, run.stderr_lines)
    (line,) = run.stderr_lines
    assert line.startswith(f"keras-headcheck: error: {path}: "), line
    assert "internal error" not in line
    for word in words:
        assert word in line, line
    assert run.maxrss_mib < MEMORY_BOUND_MIB  # -1 where not measured
    with pytest.raises(ReadError) as raised:
        keras_headcheck.check(str(path))
    assert isinstance(raised.value, ValueError)
    assert all(word in str(raised.value) for word in words), raised.value
    assert "internal error" not in str(raised.value)


# -- training configs of the wrong shape -------------------------------------------------------------
TUPLE = {"class_name": "__tuple__", "items": ["mse", "mse"]}


@pytest.mark.parametrize("training, kind", [(["mse"], "a list"), ("mse", "a string"), (3, "a number")])
def test_h5_training_config_that_is_not_an_object(bases: Path, tmp_path: Path, training: Any,
                                                 kind: str) -> None:
    model, _ = read_h5_configs(bases / "k3.h5")
    path = tmp_path / "m.h5"
    write_h5(bases / "k3.h5", path, model, training)
    refused_everywhere(path, f"not a valid training_config ({kind}, expected a JSON object)")


@pytest.mark.parametrize("training, kind", [(TUPLE, "a list"), ([1, 2], "a list"), (True, "a boolean")])
def test_savedmodel_training_config_that_is_not_an_object(bases: Path, tmp_path: Path,
                                                          training: Any, kind: str) -> None:
    root = read_savedmodel_root(bases / "k2_savedmodel")
    path = tmp_path / "sm"
    write_savedmodel(bases / "k2_savedmodel", path, {**root, "training_config": training})
    refused_everywhere(path, f"not a valid training_config ({kind}, expected a JSON object)")


def test_keras_compile_config_that_is_not_an_object(bases: Path, tmp_path: Path) -> None:
    config = read_keras_config(bases / "k3.keras")
    path = tmp_path / "m.keras"
    write_keras(bases / "k3.keras", path, {**config, "compile_config": ["adam", "mse"]})
    refused_everywhere(path, "not a valid compile_config (a list, expected a JSON object)")


# -- notebooks -----------------------------------------------------------------------------------------
def _notebook(path: Path, cells: list[Any], **extra: Any) -> Path:
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
                                **extra}))
    return path


@pytest.mark.parametrize("source, kind", [
    (["import keras\n", 3], "a list holding a number"),
    (["import keras\n", None], "a list holding null"),
    ([{"a": 1}], "a list holding an object"),
    ({"text": "import keras"}, "an object"),
    (7, "a number"),
])
def test_notebook_cell_source_of_the_wrong_shape(tmp_path: Path, source: Any, kind: str) -> None:
    markdown = {"cell_type": "markdown", "source": "# title", "metadata": {}}
    cell = {"cell_type": "code", "source": source, "metadata": {}, "outputs": []}
    path = _notebook(tmp_path / "n.ipynb", [markdown, cell])
    refused_everywhere(path, f"not a valid notebook (cell 2: `source` is {kind}, expected a string "
                             f"or a list of strings)")


def test_notebook_worksheets_of_the_wrong_shape(tmp_path: Path) -> None:
    path = tmp_path / "old.ipynb"
    path.write_text(json.dumps({"worksheets": ["cells"], "nbformat": 3}))
    refused_everywhere(path, "not a notebook (no cells)")


# -- reasons, warnings, processes ------------------------------------------------------------------
def test_a_parser_out_of_memory_has_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "minus.py"
    path.write_text("import keras\nx = " + "-" * 100_000 + "1\n")
    refused_everywhere(path, "not valid Python (the parser ran out of memory)")


def test_python_warnings_while_parsing_are_not_printed(tmp_path: Path) -> None:
    path = tmp_path / "warns.py"
    path.write_text("import keras\nx = 3\ny = 1if x else 2\nz = '\\d'\nassert (x, 'message')\n"
                    "model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, "
                    "activation='softmax')])\n")
    run = run_linter(*JSON, "-j", "1", str(path), env={"PYTHONWARNINGS": "always"})
    assert run.code == 1
    assert run.stderr_lines == []
    assert [f["code"] for f in json.loads(run.stdout)] == ["HC101"]


_NO_PROCESSES = r"""
import os, sys
sys.path.insert(0, sys.argv[2])
started = []
sys.addaudithook(lambda event, args: started.append(event) if event in (
    "subprocess.Popen", "os.posix_spawn", "os.spawn", "os.exec", "os.system", "os.startfile")
    else None)
from keras_headcheck.readers import hdf5
from keras_headcheck.readers.limits import current_limits
print(sorted(hdf5.read_with_libhdf5(sys.argv[1], ["model_config"], current_limits())))
print(started)
"""


def test_reading_with_libhdf5_starts_no_process(bases: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", _NO_PROCESSES, str(bases / "k3.h5"), str(ROOT)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["['model_config']", "[]"]
