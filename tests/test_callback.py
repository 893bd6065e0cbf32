"""The HeadCheck callback in real `model.fit` runs: findings before the first batch, on_error,
and the explanation of a loss that does not move."""

from __future__ import annotations

import inspect
import os
import warnings
from typing import Any

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
keras = pytest.importorskip("keras")

from keras_headcheck import HeadCheck, HeadCheckError, HeadCheckWarning

RNG = np.random.default_rng(0)
X = RNG.random((128, 4)).astype("float32")
Y = RNG.random((128, 1)).astype("float32")  # probabilities: the seed question's targets
Y_LEARNABLE = (X.mean(axis=1, keepdims=True) > 0.5).astype("float32")


def seed_model() -> Any:
    """Seed question 000: Dense(8, relu) -> Dense(1, softmax), compile(Adam(), loss="mse")."""
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1, activation="softmax")]
    )
    model.compile(optimizer=keras.optimizers.Adam(), loss="mse")
    return model


def correct_model(loss: str = "binary_crossentropy") -> Any:
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1, activation="sigmoid")]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss=loss)
    return model


class BatchCounter(keras.callbacks.Callback):
    """Counts the batches that ran, and the HeadCheckWarnings issued before the first one."""

    def __init__(self, caught: list[Any]) -> None:
        super().__init__()
        self.caught = caught
        self.batches = 0
        self.warnings_before_first_batch: list[str] = []

    def on_train_batch_begin(self, batch: int, logs: Any = None) -> None:
        if self.batches == 0:
            self.warnings_before_first_batch = _messages(self.caught)
        self.batches += 1


def _messages(caught: list[Any]) -> list[str]:
    return [str(w.message) for w in caught if issubclass(w.category, HeadCheckWarning)]


def fit(model: Any, y: Any, callback: HeadCheck, epochs: int = 2, x: Any = X) -> tuple[list[str], BatchCounter, Any]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        counter = BatchCounter(caught)
        history = model.fit(x, y, epochs=epochs, batch_size=16, verbose=0, callbacks=[callback, counter])
    return _messages(caught), counter, history


def test_seed_model_warns_before_the_first_batch_and_explains_the_flat_loss() -> None:
    messages, counter, history = fit(seed_model(), Y, HeadCheck(y=Y))
    assert counter.batches == 2 * len(X) // 16
    assert any(m.startswith("HC101 [error]") for m in counter.warnings_before_first_batch)
    assert history.history["loss"][0] == pytest.approx(history.history["loss"][1])
    flat = [m for m in messages if "did not change" in m]
    assert len(flat) == 1 and "Explained by HC101" in flat[0], messages


def test_warnings_point_at_the_users_fit_line() -> None:
    """On every backend: also the NaN seen by a batch hook, which JAX and PyTorch run on a worker
    thread of Keras's, whose stack has no user frame."""
    y = Y.copy()
    y[3] = np.nan
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        seed_model().fit(X, y, epochs=2, batch_size=16, verbose=0, callbacks=[HeadCheck()])
        fit_line = inspect.currentframe().f_lineno - 1  # type: ignore[union-attr]
    ours = [w for w in caught if issubclass(w.category, HeadCheckWarning)]
    assert any("became nan at batch" in str(w.message) for w in ours), [str(w.message) for w in ours]
    assert any(str(w.message).startswith("HC101") for w in ours)
    assert {(w.filename, w.lineno) for w in ours} == {(__file__, fit_line)}


def test_on_error_raise_stops_before_any_batch() -> None:
    counter = BatchCounter([])
    with pytest.raises(HeadCheckError, match="HC101"):
        seed_model().fit(X, Y, epochs=2, verbose=0, callbacks=[HeadCheck(on_error="raise"), counter])
    assert counter.batches == 0


def test_on_error_stop_ends_training_cleanly_after_one_batch() -> None:
    messages, counter, history = fit(seed_model(), Y, HeadCheck(on_error="stop"))
    assert counter.batches == 1
    assert len(history.history["loss"]) == 1
    assert any("stopping training" in m for m in messages)


def test_correct_model_gives_no_warning() -> None:
    callback = HeadCheck(y=Y_LEARNABLE)
    messages, _, _ = fit(correct_model(), Y_LEARNABLE, callback)
    assert messages == []
    assert callback.findings == [] and callback.symptoms == []


def test_constant_loss_within_the_first_epoch_is_explained() -> None:
    model = correct_model()
    model.compile(optimizer="adam", loss="categorical_crossentropy")  # on one unit: always 0
    messages, _, _ = fit(model, Y_LEARNABLE, HeadCheck(), epochs=1)
    assert any(m.startswith("HC206 [error]") for m in messages)
    stayed = [m for m in messages if "stayed at" in m]
    assert len(stayed) == 1 and "Explained by HC206" in stayed[0]


def test_nan_loss_without_a_head_cause_says_no_rule_explains_it() -> None:
    y = Y_LEARNABLE.copy()
    y[3] = np.nan
    callback = HeadCheck()
    messages, _, _ = fit(correct_model("mse"), y, callback, epochs=1)
    nan = [m for m in messages if "nan" in m]
    assert len(nan) == 1 and "No head rule explains it" in nan[0], messages
    assert callback.symptoms == nan


def test_targets_given_to_the_callback_run_the_target_rules() -> None:
    labels = RNG.integers(0, 3, len(X))
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    callback = HeadCheck(y=labels, select=["HC4"])
    callback.set_model(model)
    with pytest.warns(HeadCheckWarning, match="HC401"):
        callback.on_train_begin()


def test_targets_for_unknown_outputs_are_reported_and_the_head_still_checked() -> None:
    callback = HeadCheck(y={"predictions": Y}, select=["HC1", "HC4"])
    callback.set_model(seed_model())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        callback.on_train_begin()
    messages = _messages(caught)
    assert any("HC101" in m for m in messages)
    assert any("predictions" in m and "target rules (HC4xx) were skipped" in m for m in messages)


def test_rich_report_prints_a_panel(capsys: Any) -> None:
    callback = HeadCheck(report="rich")
    callback.set_model(seed_model())
    with warnings.catch_warnings():
        warnings.simplefilter("error", HeadCheckWarning)  # "rich" alone issues no warning
        callback.on_train_begin()
    assert "HC101" in capsys.readouterr().err


def test_an_internal_failure_becomes_a_warning() -> None:
    callback = HeadCheck()
    callback.set_model(object())  # not a model: the check fails, training would go on
    with pytest.warns(HeadCheckWarning, match="could not be checked"):
        callback.on_train_begin()
    assert callback.findings is None


def test_state_is_reset_for_each_training_run() -> None:
    callback, model = HeadCheck(), seed_model()
    for _ in range(2):
        messages, _, _ = fit(model, Y, callback)
        assert sum("did not change" in m for m in messages) == 1
        assert len(callback.symptoms) == 1


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"on_error": "explode"}, "Expected `on_error`"),
        ({"report": "loud"}, "Expected `report`"),
        ({"select": ["XX9"]}, "Expected rule codes"),
        ({"watch_batches": 1}, "Expected `watch_batches`"),
        ({"y": (v for v in [1, 2, 3])}, "one-shot generator"),
    ],
)
def test_arguments_are_validated(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        HeadCheck(**kwargs)


class SubclassedSeed(keras.Model):
    """The seed question as a subclassed model: fit builds it, the callback traces its call()."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden = keras.layers.Dense(8, activation="relu")
        self.out = keras.layers.Dense(1, activation="softmax")

    def call(self, x: Any) -> Any:
        return self.out(self.hidden(x))


def test_unbuilt_subclassed_model_is_checked_once_fit_builds_it() -> None:
    """Before the first batch where fit builds the model first, else right after that batch."""
    model = SubclassedSeed()
    model.compile(optimizer=keras.optimizers.Adam(), loss="mse")
    messages, counter, _ = fit(model, Y, HeadCheck(), epochs=1)
    assert len(counter.warnings_before_first_batch) in (0, 2)
    codes = sorted(m.split(" ", 1)[0] for m in messages if m.startswith("HC") and " [" in m)
    assert codes == ["HC101", "HC203"], messages
