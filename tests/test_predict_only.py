"""A model compiled only to predict (Keras 1 would not predict without a compile): its loss never
runs, so its compile is not checked, and said so (readers/source/predict_only.py). A model whose
name leaves the code compiling it (passed, returned, saved) may be trained elsewhere: checked."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from keras_headcheck import check
from keras_headcheck.readers.source import read_heads
from keras_headcheck.readers.source.predict_only import ONLY_PREDICTED

BUILD = """\
import keras
from keras import layers
features = keras.Sequential([keras.Input((784,)), layers.Dense(512, activation="relu")])
features.compile(loss="categorical_crossentropy", optimizer="sgd")
"""


def lint(tmp_path: Path, code: str) -> tuple[list[str], list[tuple[int, str]]]:
    path = tmp_path / "train.py"
    path.write_text(textwrap.dedent(code))
    heads = read_heads(str(path))
    unchecked = [(u.line, u.why) for u in heads.unchecked]
    return [f.code for f in check(str(path))], unchecked


def test_a_model_compiled_only_to_predict_is_not_checked_and_said_so(tmp_path: Path) -> None:
    found, unchecked = lint(tmp_path, BUILD + "hidden = features.predict(x)\nfeatures.summary()\n")
    assert found == [] and unchecked == [(4, ONLY_PREDICTED)]


def test_its_head_is_still_checked_without_the_loss(tmp_path: Path) -> None:
    one = BUILD.replace('Dense(512, activation="relu")', 'Dense(1, activation="softmax")')
    found, unchecked = lint(tmp_path, one + "features.predict(x)\n")
    assert found == ["HC101"] and unchecked == [(4, ONLY_PREDICTED)]  # not HC206: no loss runs


def test_keras_1_style_generate_function(tmp_path: Path) -> None:
    found, unchecked = lint(tmp_path, """\
        import keras
        from keras import layers
        def generator_model():
            return keras.Sequential([keras.Input((100,)), layers.Dense(784, activation="tanh")])
        def generate(n):
            generator = generator_model()
            generator.compile(loss="binary_crossentropy", optimizer="SGD")
            generator.load_weights("generator")
            return generator.predict(n)
        generate(16)
    """)
    assert found == [] and unchecked == [(7, ONLY_PREDICTED)]


@pytest.mark.parametrize("use", [
    "train(features)",  # passed to code the reader cannot see
    "models = [features]",
    "features.save('features.keras')",  # the saved file carries its compile on
    "features.evaluate(x, y)",
    "features.fit(x, y)",
    "def build():\n    global features\n    features = None",
])
def test_a_model_that_may_be_trained_elsewhere_is_checked(tmp_path: Path, use: str) -> None:
    found, unchecked = lint(tmp_path, BUILD + "features.predict(x)\n" + use + "\n")
    assert found == ["HC202"] and unchecked == []


def test_returned_from_the_function_compiling_it_is_checked(tmp_path: Path) -> None:
    found, _ = lint(tmp_path, """\
        import keras
        from keras import layers
        def build():
            m = keras.Sequential([keras.Input((784,)), layers.Dense(512, activation="relu")])
            m.compile(loss="categorical_crossentropy", optimizer="sgd")
            m.predict(x)
            return m
    """)
    assert found == ["HC202"]


def test_never_predicted_nor_trained_is_still_checked(tmp_path: Path) -> None:
    found, unchecked = lint(tmp_path, BUILD)  # a model built to be trained somewhere: checked
    assert found == ["HC202"] and unchecked == []


def test_across_notebook_cells(tmp_path: Path) -> None:
    cells = [BUILD, "hidden = features.predict(x_train)\n"]
    path = tmp_path / "features.ipynb"
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
         "source": cell} for cell in cells]}))
    assert check(str(path)) == []
    assert [(u.cell, u.line, u.why) for u in read_heads(str(path)).unchecked] == [
        (1, 4, ONLY_PREDICTED)]
