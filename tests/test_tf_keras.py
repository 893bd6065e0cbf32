"""tf_keras (Keras 2) models: `check(model)` and the same `HeadCheck` callback in a real `fit`.

tf_keras is what TensorFlow <= 2.15 and `TF_USE_LEGACY_KERAS=1` projects train with; it is imported
directly here (no environment variable needed) and runs on TensorFlow only.
"""

from __future__ import annotations

import inspect
import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
tf_keras = pytest.importorskip("tf_keras")

from keras_headcheck import HeadCheck, HeadCheckError, HeadCheckWarning, check

RNG = np.random.default_rng(0)
X = RNG.random((128, 4)).astype("float32")
Y = RNG.random((128, 1)).astype("float32")  # probabilities: the seed question's targets
Y_LEARNABLE = (X.mean(axis=1, keepdims=True) > 0.5).astype("float32")


def seed_model() -> Any:
    """Seed question 000 in Keras 2: Dense(8, relu) -> Dense(1, softmax), loss="mse"."""
    model = tf_keras.Sequential(
        [tf_keras.layers.Dense(8, activation="relu", input_shape=(4,)), tf_keras.layers.Dense(1, activation="softmax")]
    )
    model.compile(optimizer="adam", loss="mse")
    return model


def correct_model(loss: str = "binary_crossentropy") -> Any:
    model = tf_keras.Sequential(
        [tf_keras.layers.Dense(8, activation="relu", input_shape=(4,)), tf_keras.layers.Dense(1, activation="sigmoid")]
    )
    model.compile(optimizer=tf_keras.optimizers.Adam(0.01), loss=loss)
    return model


def fit(model: Any, y: Any, callback: HeadCheck, epochs: int = 2) -> tuple[list[Any], Any]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(X, y, epochs=epochs, batch_size=16, verbose=0, callbacks=[callback])
    return [w for w in caught if issubclass(w.category, HeadCheckWarning)], history


def test_check_reads_a_tf_keras_model() -> None:
    model = tf_keras.Sequential(
        [tf_keras.layers.Dense(8, activation="relu", input_shape=(4,)), tf_keras.layers.Dense(10, activation="softmax")]
    )
    model.compile(optimizer="adam", loss=tf_keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    assert [f.code for f in check(model)] == ["HC201"]


def test_check_gives_what_the_saved_h5_file_gives(tmp_path: Path) -> None:
    model = seed_model()
    path = tmp_path / "seed.h5"
    model.save(path)
    live, saved = check(model), check(path)
    assert [f.code for f in live] == ["HC101", "HC203"]
    assert [(f.code, f.message) for f in live] == [(f.code, f.message) for f in saved]


def test_headcheck_in_a_tf_keras_fit_explains_the_flat_loss() -> None:
    callback = HeadCheck(y=Y)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = seed_model().fit(X, Y, epochs=2, batch_size=16, verbose=0, callbacks=[callback])
        fit_line = inspect.currentframe().f_lineno - 1  # type: ignore[union-attr]
    ours = [w for w in caught if issubclass(w.category, HeadCheckWarning)]
    messages = [str(w.message) for w in ours]
    assert [f.code for f in callback.findings or []] == ["HC101", "HC203"]
    assert messages[0].startswith("HC101 [error]")
    assert history.history["loss"][0] == pytest.approx(history.history["loss"][1])
    flat = [m for m in messages if "did not change" in m]
    assert len(flat) == 1 and "Explained by HC101" in flat[0], messages
    assert {(w.filename, w.lineno) for w in ours} == {(__file__, fit_line)}


def test_nan_loss_in_a_tf_keras_fit_says_no_head_rule_explains_it() -> None:
    y = Y_LEARNABLE.copy()
    y[3] = np.nan
    callback = HeadCheck()
    caught, _ = fit(correct_model("mse"), y, callback, epochs=1)
    nan = [str(w.message) for w in caught if "nan" in str(w.message)]
    assert len(nan) == 1 and "No head rule explains it" in nan[0]
    assert callback.symptoms == nan


def test_a_correct_tf_keras_model_trains_without_a_warning() -> None:
    callback = HeadCheck(y=Y_LEARNABLE)
    caught, _ = fit(correct_model(), Y_LEARNABLE, callback)
    assert caught == [] and callback.findings == [] and callback.symptoms == []


def test_on_error_in_a_tf_keras_fit() -> None:
    with pytest.raises(HeadCheckError, match="HC101"), warnings.catch_warnings():
        warnings.simplefilter("ignore", HeadCheckWarning)
        seed_model().fit(X, Y, epochs=2, verbose=0, callbacks=[HeadCheck(on_error="raise")])
    caught, history = fit(seed_model(), Y, HeadCheck(on_error="stop"))
    assert len(history.history["loss"]) == 1
    assert any("stopping training" in str(w.message) for w in caught)


def test_tf_keras_subclassed_model_is_traced() -> None:
    import tensorflow as tf

    class Net(tf_keras.Model):
        def __init__(self) -> None:
            super().__init__()
            self.dense = tf_keras.layers.Dense(1)

        def call(self, x: Any) -> Any:
            return tf.nn.softmax(self.dense(x))

    built = Net()
    built.compile(loss="mse")
    built(tf.zeros((2, 4)))
    unbuilt = Net()
    unbuilt.compile(loss="mse")
    for findings in (check(built), check(unbuilt, x=tf.zeros((2, 4)))):
        assert [f.code for f in findings] == ["HC101", "HC203"]
