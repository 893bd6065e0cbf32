"""Why a subclass's call() gave the source reader no head: the HC901 names the statement of
`call()` that stopped it, where it is (cell and line in a notebook), and how to check it live.
The cases are reduced from real tutorials (a baseline model returning its input, a `call`
attached to the class in a later notebook cell, a layer changing its input in a loop)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from keras_headcheck import check

LIVE = "keras_headcheck.check(model, x=batch) or the HeadCheck callback"


def hc901(path: Path) -> list[str]:
    return [f.message for f in check(str(path)) if f.code == "HC901"]


def script(tmp_path: Path, code: str) -> Path:
    path = tmp_path / "train.py"
    path.write_text(textwrap.dedent(code))
    return path


def test_a_model_returning_its_input_has_no_head(tmp_path: Path) -> None:
    path = script(tmp_path, """\
        import tensorflow as tf

        class Repeat(tf.keras.Model):
            def call(self, inputs):
                return inputs

        model = Repeat()
        model.compile(loss="mse")
        """)
    (message,) = hc901(path)
    assert "`Repeat`: its call() returns its input unchanged (`return inputs`, line 5)" in message
    assert "no head to check" in message


def test_a_model_returning_its_input_on_one_path(tmp_path: Path) -> None:
    path = script(tmp_path, """\
        import tensorflow as tf

        class Baseline(tf.keras.Model):
            def __init__(self, label_index=None):
                super().__init__()
                self.label_index = label_index

            def call(self, inputs):
                if self.label_index is None:
                    return inputs
                return inputs[:, :, self.label_index][:, :, tf.newaxis]

        model = Baseline(label_index=columns["T"])
        model.compile(loss="mse")
        """)
    (message,) = hc901(path)
    assert "returns its input on some paths (`return inputs`, line 10)" in message
    assert LIVE in message


def test_a_return_value_not_followed_is_quoted(tmp_path: Path) -> None:
    path = script(tmp_path, """\
        import keras
        from helpers import build_body

        class Wrapper(keras.Model):
            def __init__(self, body):
                super().__init__()
                self.body = body

            def call(self, x):
                for block in self.body:
                    x = block(x)
                return x

        model = Wrapper(build_body())
        model.compile(loss="mse")
        """)
    (message,) = hc901(path)
    assert "`Wrapper`: its call() returns `x` (line 12), which the reader does not follow" in message
    assert LIVE in message


def test_a_custom_layer_not_followed_says_why(tmp_path: Path) -> None:
    path = script(tmp_path, """\
        import keras

        class Blocks(keras.layers.Layer):
            def __init__(self, blocks):
                super().__init__()
                self.blocks = blocks

            def call(self, x):
                for block in self.blocks:
                    x = block(x)
                return x

        inputs = keras.Input((4,))
        model = keras.Model(inputs, Blocks(make_blocks())(keras.layers.Dense(2, activation="softmax")(inputs)))
        model.compile(loss="mse")
        """)
    (message,) = hc901(path)
    assert "Blocks(its call() returns `x` (line 11)" in message


def test_a_call_attached_in_a_later_cell_is_named(tmp_path: Path) -> None:
    cells = [
        "import tensorflow as tf\n\nclass FeedBack(tf.keras.Model):\n"
        "    def __init__(self, units):\n        super().__init__()\n"
        "        self.dense = tf.keras.layers.Dense(units)\n",
        "model = FeedBack(3)\n",
        "def call(self, inputs):\n    return self.dense(inputs)\n\nFeedBack.call = call\n",
        "model.compile(loss='mse')\nmodel.fit(x, y)\n",
    ]
    path = tmp_path / "tutorial.ipynb"
    notebook = {
        "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                   "source": c.splitlines(keepends=True)} for c in cells],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }
    path.write_text(json.dumps(notebook))
    (message,) = hc901(path)
    assert "its call() is attached outside the class (`FeedBack.call = call`, cell 3, line 4)" in message
    assert LIVE in message


def test_an_output_not_followed_is_named_by_what_call_returns(tmp_path: Path) -> None:
    path = script(tmp_path, """\
        import keras

        class Diffusion(keras.Model):
            def __init__(self):
                super().__init__()
                self.net = keras.layers.Dense(3)

            def call(self, images):
                noise = keras.random.normal((8, 3))
                return self.net(images), noise

        model = Diffusion()
        model.compile(loss=["mse", "mse"])
        """)
    (finding,) = [f for f in check(str(path)) if f.code == "HC901"]
    assert finding.line == 10
    assert "`noise` returned by call() (line 10), a value the reader does not follow" in finding.message
