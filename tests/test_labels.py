"""Target facts from the script (issue 11): the labels a training script builds, followed to `fit`.

The fixtures tests/data/source/labels_*.py hold a failing and a passing case for every kind of
label source; here: the words of the findings, their lines, and which targets win.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import numpy as np

from keras_headcheck import check
from keras_headcheck.head import Head
from keras_headcheck.readers.source import read_heads
from keras_headcheck.rules import RULES
from keras_headcheck.targets import summarize_array

MNIST = """\
import keras
from keras import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
model = keras.Sequential([layers.Flatten(), layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(x_train, y_train, epochs=5){comment}
"""
FIT_LINE = 7


def write(tmp_path: Path, code: str, name: str = "train.py") -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(code))
    return str(path)


def test_finding_at_the_fit_line_says_where_the_labels_came_from(tmp_path: Path) -> None:
    (finding,) = check(write(tmp_path, MNIST.format(comment="")))
    assert (finding.code, finding.line) == ("HC401", FIT_LINE)
    assert finding.message.startswith(
        "the labels from `keras.datasets.mnist.load_data()` (line 4) are integer class ids "
        "(shape (60000,), values 0..9)"
    )


def test_the_same_words_as_for_real_arrays(tmp_path: Path) -> None:
    (head,) = read_heads(write(tmp_path, MNIST.format(comment="")))
    (facts,) = head.targets
    real = summarize_array(np.repeat(np.arange(10, dtype="uint8"), 6000))
    assert (facts.format, facts.classes) == (real.format, real.classes) == ("class ids", 10)
    assert facts.describe() == real.describe()
    rule = RULES["HC401"].check
    (from_source,) = rule(head, facts)
    (from_array,) = rule(head, real)
    subject = "the labels from `keras.datasets.mnist.load_data()` (line 4)"
    assert from_source.message == from_array.message.replace("the targets", subject)


def test_given_targets_win_over_the_script(tmp_path: Path) -> None:
    path = write(tmp_path, MNIST.format(comment=""))
    one_hot = np.eye(10, dtype="float32")[np.arange(100) % 10]
    assert [f.code for f in check(path, y=one_hot)] == []
    assert [f.code for f in check(path, y=np.arange(100) % 10)] == ["HC401"]


def test_cli_targets_file_wins(cli: Any, tmp_path: Path) -> None:
    path = write(tmp_path, MNIST.format(comment=""))
    np.save(tmp_path / "y.npy", np.eye(10, dtype="float32")[np.arange(100) % 10])
    assert cli("check", path).returncode == 1
    result = cli("check", path, "--targets", str(tmp_path / "y.npy"), "--output-format", "json")
    assert (result.returncode, result.findings) == (0, [])


def test_ignore_comment_on_the_fit_line(tmp_path: Path) -> None:
    path = write(tmp_path, MNIST.format(comment="  # headcheck: ignore[HC401]"))
    assert list(check(path)) == []


def test_uncompiled_model_and_unknown_labels_get_no_facts(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        import keras, pandas
        y = pandas.read_csv("y.csv")["label"]
        model = keras.Sequential([keras.layers.Dense(10, activation="softmax")])
        model.fit(None, y)
        model.compile(loss="categorical_crossentropy")
        model.fit(None, y)
        """,
    )
    heads: list[Head] = read_heads(path)
    assert [h.targets for h in heads] == [()]


def test_notebook_fit_cell(tmp_path: Path) -> None:
    loading, training = MNIST.format(comment="").split("model = ", 1)
    cells = [loading, "model = " + training]
    notebook = {
        "cells": [{"cell_type": "code", "source": c, "metadata": {}, "outputs": []} for c in cells],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "train.ipynb"
    path.write_text(json.dumps(notebook))
    (finding,) = check(str(path))
    assert (finding.code, finding.cell, finding.line) == ("HC401", 2, 3)


def test_real_arrays_give_the_same_form() -> None:
    rng = np.random.default_rng(0)
    ids = np.arange(64) % 4
    multi = (rng.random((64, 5)) > 0.5).astype("float32")
    multi[0] = [1, 1, 0, 0, 0]
    cases = [
        (ids, "class ids", 4),
        (np.eye(4, dtype="float32")[ids], "one-hot", 4),
        (multi, "multi-hot", 5),
        ((ids % 2).astype("float32"), "0/1", None),
        ((ids % 2) * 2 - 1, "{-1, 1}", None),
        (rng.uniform(10, 500, 64), "continuous", None),
        (np.array(["cat", "dog"]), None, None),
    ]
    for y, format_, classes in cases:
        summary = summarize_array(y)
        assert (summary.format, summary.classes) == (format_, classes), y[:3]


def test_loader_knowledge_matches_the_installed_keras() -> None:
    """The defaults and argument positions label_loaders.py relies on, read off Keras itself."""
    import inspect

    import keras

    from keras_headcheck.knowledge import datasets as known

    for name in known.KERAS_DATASETS:
        params = inspect.signature(getattr(keras.datasets, name).load_data).parameters
        assert set(params) - known.KEEPS_SAMPLES <= {"maxlen", "test_split", "version", "kwargs"}, name
    cifar100 = inspect.signature(keras.datasets.cifar100.load_data).parameters
    assert cifar100["label_mode"].default == "fine"

    def positions(fn: Any) -> dict[str, tuple[int, Any]]:
        params = inspect.signature(fn).parameters.values()
        return {p.name: (i, p.default) for i, p in enumerate(params)}

    for name in known.DIRECTORY_DATASETS:
        found = positions(getattr(keras.utils, name))
        assert found["labels"] == (1, "inferred") and found["class_names"][0] == 3
        assert found["label_mode"] == (2, known.DIRECTORY_DEFAULT_MODE)
        assert found["batch_size"][0] >= 4 and found["batch_size"][1] == 32
    series = positions(keras.utils.timeseries_dataset_from_array)
    assert series["targets"][0] == 1 and series["batch_size"] == (5, 128)
    from keras.src.legacy.preprocessing.image import ImageDataGenerator as generator  # noqa: N813
    assert positions(generator.flow_from_directory)["class_mode"][1] == known.FLOW_DEFAULT_MODE
    assert positions(generator.flow_from_dataframe)["class_mode"][1] == known.FLOW_DEFAULT_MODE
    assert positions(keras.utils.to_categorical)["num_classes"][0] == 1


def test_validation_labels_are_named(tmp_path: Path) -> None:
    code = MNIST.format(comment="").replace(
        "model.fit(x_train, y_train, epochs=5)",
        "model.fit(x_train, keras.utils.to_categorical(y_train), validation_data=(x_test, y_test))",
    )
    (finding,) = check(write(tmp_path, code))
    assert (finding.code, finding.line) == ("HC401", FIT_LINE)
    assert "(line 4) in `validation_data` are integer class ids (shape (10000,)" in finding.message
