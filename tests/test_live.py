"""The live-model reader: `check(model)` on models in memory gives what `check(path)` gives on the
same model saved, plus what only a live model can be (uncompiled, unserialisable parts).

Runs under whatever Keras backend `KERAS_BACKEND` selects; tests/test_backends.py reruns this file
and test_callback.py under JAX and PyTorch, and tests/test_tf_keras.py covers tf_keras models.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
keras = pytest.importorskip("keras")

from zoo import CASES, Case

import keras_headcheck
from keras_headcheck import check

LIVE = [pytest.param(case, id=case.name) for case in CASES if "keras3" in case.libs]


def _rows(findings: Any) -> set[tuple[str, str, str, str, str]]:
    return {(f.code, f.severity, f.output, f.layer, f.message) for f in findings}


@pytest.mark.parametrize("case", LIVE)
def test_live_model_gives_the_same_findings_as_its_saved_file(case: Case, tmp_path: Path) -> None:
    model = case.build(keras)
    path = tmp_path / "model.keras"
    model.save(path)
    live, saved = check(model), check(path)
    assert _rows(live) == _rows(saved)
    assert {(f.code, f.severity) for f in live} == set(case.expect.items()), [f.message for f in live]
    for code, output in case.where.items():
        assert {f.output for f in live if f.code == code} == {output}


def test_runs_on_the_backend_asked_for() -> None:
    # tests/test_backends.py relies on this: a run under KERAS_BACKEND=jax is a JAX run.
    assert keras.backend.backend() == os.environ.get("KERAS_BACKEND", "tensorflow")


def _seed_model(compile: bool = True) -> Any:
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1, activation="softmax")]
    )
    if compile:
        model.compile(optimizer=keras.optimizers.Adam(), loss="mse")
    return model


def test_seed_question_model() -> None:
    model = _seed_model()
    findings = check(model)
    assert [f.code for f in findings] == ["HC101", "HC203"]
    assert {f.output for f in findings} == {model.layers[-1].name}
    assert findings[0].filename == f"<model {model.name!r}>"


def test_uncompiled_model_says_the_loss_rules_were_skipped() -> None:
    findings = check(_seed_model(compile=False))
    assert [f.code for f in findings] == ["HC101", "HC902"]
    assert "not compiled" in findings[1].message


def test_compiled_without_a_loss_is_not_called_uncompiled(tmp_path: Path) -> None:
    model = _seed_model(compile=False)
    model.compile(optimizer="adam")  # loss=None: the loss comes from add_loss or train_step
    path = tmp_path / "no_loss.keras"
    model.save(path)
    for findings in (check(model), check(path)):
        assert [f.code for f in findings] == ["HC101", "HC902"]
        assert "loss=None" in findings[1].message and "not compiled" not in findings[1].message


class Subclassed(keras.Model):
    def __init__(self, units: int = 3, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.head = keras.layers.Dense(units, activation="softmax")

    def call(self, x: Any) -> Any:
        return self.head(x)


class Opaque(keras.Model):
    """A subclassed model created with an argument Keras cannot serialise."""

    def __init__(self, helper: object, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.helper = helper
        self.head = keras.layers.Dense(1, activation="softmax")

    def call(self, x: Any) -> Any:
        return self.head(x)


@pytest.mark.parametrize(
    "make, codes",
    [(lambda: Subclassed(), []), (lambda: Opaque(object()), ["HC101", "HC206"])],
    ids=["auto-config", "no-config"],
)
def test_subclassed_model_is_traced(make: Any, codes: list[str]) -> None:
    model = make()
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    model(keras.ops.zeros((2, 4)))
    assert [f.code for f in check(model)] == codes


class TwoHeads(keras.Model):
    """Dict outputs, a nested subclass, a training-only branch and a keras.ops head."""

    def __init__(self) -> None:
        super().__init__()
        self.body = Subclassed(units=8)
        self.kind = keras.layers.Dense(3)
        self.score = keras.layers.Dense(1)
        self.drop = keras.layers.Dropout(0.5)

    def call(self, x: Any, training: Any = None) -> Any:
        h = self.body(x)
        if training:
            h = self.drop(h, training=training)
        return {"kind": keras.ops.softmax(self.kind(h)), "score": self.score(h)}


def test_subclassed_dict_outputs_nested_subclass_and_an_unbuilt_model_with_x() -> None:
    model = TwoHeads()
    loss = {"kind": keras.losses.CategoricalCrossentropy(from_logits=True), "score": "mse"}
    model.compile(optimizer="adam", loss=loss)
    unbuilt = check(model)  # its outputs are not known yet: the loss dict cannot be bound either
    assert [f.code for f in unbuilt] == ["HC901", "HC902"]
    assert "`TwoHeads` (pass a sample batch: check(model, x=batch))" in unbuilt[0].message
    findings = check(model, x=keras.ops.zeros((2, 4)))
    assert [(f.code, f.output) for f in findings] == [("HC201", "kind")]


class Branchy(keras.Model):
    """A call() that branches on tensor values cannot be traced symbolically."""

    def __init__(self) -> None:
        super().__init__()
        self.head = keras.layers.Dense(4, activation="softmax")

    def call(self, x: Any) -> Any:
        if float(keras.ops.convert_to_numpy(keras.ops.mean(x))) > 100.0:
            return x
        return self.head(x)


def test_untraceable_call_is_read_from_its_output_values() -> None:
    model = Branchy()
    model.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy(from_logits=True))
    x = keras.ops.ones((8, 4))
    findings = check(model, x=x)
    assert [f.code for f in findings] == ["HC201"]
    assert "output values" in findings[0].layer


class Gan(keras.Model):
    """A GAN: its own compile, train_step and call() returning the generator's output."""

    def __init__(self) -> None:
        super().__init__()
        self.generator = keras.Sequential([keras.layers.Dense(4, activation="tanh")])
        self.discriminator = keras.Sequential([keras.layers.Dense(1)])

    def compile(self, g_optimizer: Any, d_optimizer: Any, loss_fn: Any) -> None:
        super().compile()
        self.g_optimizer, self.d_optimizer, self.loss_fn = g_optimizer, d_optimizer, loss_fn

    def call(self, z: Any) -> Any:
        return self.generator(z)


def test_gan_with_its_own_compile_is_never_silent() -> None:
    model = Gan()
    model.compile(keras.optimizers.Adam(), keras.optimizers.Adam(), keras.losses.BinaryCrossentropy(from_logits=True))
    findings = check(model, x=keras.ops.zeros((2, 3)))
    assert [f.code for f in findings] == ["HC902"]


class Unserialisable(keras.layers.Layer):
    """A custom layer whose `get_config` raises (non-serialisable `__init__` argument)."""

    def __init__(self, helper: object, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.helper = helper

    def call(self, x: Any) -> Any:
        return keras.ops.softmax(x)


def test_unserialisable_custom_layer_is_named_and_the_rest_still_read() -> None:
    inputs = keras.Input((4,))
    probs = Unserialisable(object(), name="mystery")(keras.layers.Dense(3)(inputs))
    reg = keras.layers.Dense(1, activation="softmax", name="reg")(inputs)
    model = keras.Model(inputs, {"probs": probs, "reg": reg})
    model.compile(optimizer="adam", loss={"probs": "categorical_crossentropy", "reg": "mse"})
    by_code = {(f.code, f.output): f for f in check(model)}
    assert set(by_code) == {("HC901", "probs"), ("HC101", "reg"), ("HC203", "reg")}
    assert by_code[("HC901", "probs")].layer == "mystery"
    with pytest.raises(NotImplementedError):  # the layer is left as it was
        model.get_layer("mystery").get_config()


class HelperLoss(keras.losses.Loss):
    def __init__(self, helper: object, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.helper = helper

    def call(self, y_true: Any, y_pred: Any) -> Any:
        return keras.ops.mean(keras.ops.abs(y_true - y_pred), axis=-1)

    def get_config(self) -> dict[str, Any]:
        raise NotImplementedError("cannot serialise the helper")


@pytest.mark.parametrize(
    "loss",
    [lambda: (lambda y_true, y_pred: y_true - y_pred), lambda: HelperLoss(object())],
    ids=["lambda", "unserialisable-object"],
)
def test_custom_losses_are_reported_as_uninterpretable(loss: Any) -> None:
    model = _seed_model(compile=False)
    model.compile(optimizer="adam", loss=loss())
    assert [f.code for f in check(model)] == ["HC101", "HC902"]


def test_nested_multi_output_model_points_at_each_output() -> None:
    inner = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)], name="inner")
    inputs = keras.Input((4,))
    hidden = inner(inputs)
    model = keras.Model(
        inputs,
        [keras.layers.Activation("sigmoid", name="tags")(hidden), keras.layers.Dense(1, name="price")(hidden)],
    )
    model.compile(optimizer="adam", loss=["categorical_crossentropy", "mse"], metrics=[["accuracy"], ["accuracy"]])
    assert sorted((f.code, f.output) for f in check(model)) == [("HC204", "tags"), ("HC301", "price")]


def test_select_and_ignore() -> None:
    model = _seed_model()
    assert [f.code for f in check(model, select=["HC2"])] == ["HC203"]
    assert [f.code for f in check(model, select="HC2")] == ["HC203"]
    assert [f.code for f in check(model, ignore=["HC101"])] == ["HC203"]
    with pytest.raises(ValueError, match="unknown rule code"):
        check(model, ignore=["HC999"])


def test_something_else_is_refused_with_a_clear_message() -> None:
    with pytest.raises(TypeError, match="Expected a keras.Model"):
        check(object())


def test_findings_render_for_terminals_and_notebooks() -> None:
    findings = check(_seed_model())
    assert "HC101 [error]" in repr(findings)
    assert "<table>" in findings._repr_html_() and "HC203" in findings._repr_html_()
    assert findings.__rich__() is not None
    clean = check(keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")]), select=["HC1"])
    assert "no findings" in repr(clean)


def test_checking_does_not_change_the_model() -> None:
    model = _seed_model()
    before = model.to_json()
    check(model)
    assert model.to_json() == before
    assert keras_headcheck.check is check


class Softmax(keras.layers.Layer):
    """A user's layer that happens to share a name with a Keras layer: it doubles its input."""

    def call(self, x: Any) -> Any:
        return x * 2


def test_a_users_layer_named_like_a_keras_layer_is_not_read_as_it(tmp_path: Path) -> None:
    inputs = keras.Input((4,))
    model = keras.Model(inputs, Softmax(name="head")(keras.layers.Dense(1)(inputs)))
    model.compile(loss="mse")
    path = tmp_path / "custom.keras"
    model.save(path)
    for findings in (check(model), check(path)):
        # Read as a softmax it would give HC101/HC203; it is an unknown layer: HC901 only.
        assert [(f.code, f.layer) for f in findings] == [("HC901", "head")]


def test_saved_subclassed_model_names_its_class_and_how_to_check_it(tmp_path: Path) -> None:
    model = Subclassed()
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    model(keras.ops.zeros((2, 4)))
    path = tmp_path / "subclassed.keras"
    model.save(path)
    (finding,) = check(path)
    assert finding.code == "HC901"
    assert "`Subclassed` saved without its layers" in finding.message
    assert "keras_headcheck.check(model, x=batch)" in finding.message
    assert list(check(model)) == []  # live, its call() is traced: a correct head


class ActivityRegularization(keras.layers.Layer):
    """Adds a loss on its input and returns it unchanged: the head is the layer that feeds it."""

    def call(self, inputs: Any) -> Any:
        self.add_loss(1e-2 * keras.ops.mean(inputs))
        return inputs


class PassThroughNet(keras.Model):
    def __init__(self) -> None:
        super().__init__()
        self.out = keras.layers.Dense(5, activation="softmax")
        self.regularize = ActivityRegularization()

    def call(self, x: Any) -> Any:
        return self.regularize(self.out(x))


PASS_THROUGH_SCRIPT = '''
import keras

class ActivityRegularization(keras.layers.Layer):
    def call(self, inputs):
        self.add_loss(1e-2 * keras.ops.mean(inputs))
        return inputs

class PassThroughNet(keras.Model):
    def __init__(self):
        super().__init__()
        self.out = keras.layers.Dense(5, activation="softmax")
        self.regularize = ActivityRegularization()

    def call(self, x):
        return self.regularize(self.out(x))

model = PassThroughNet()
model.compile(loss="mse")
'''


def test_a_pass_through_custom_layer_shows_the_head_feeding_it_live_and_in_source(
    tmp_path: Path,
) -> None:
    inputs = keras.Input((4,))
    softmax = keras.layers.Dense(5, activation="softmax", name="probs")(inputs)
    functional = keras.Model(inputs, ActivityRegularization()(softmax))
    functional.compile(loss="mse")
    assert [(f.code, f.layer) for f in check(functional)] == [("HC203", "probs")]
    net = PassThroughNet()
    net.compile(loss="mse")
    traced = check(net, x=keras.ops.zeros((2, 4)))
    script = tmp_path / "train.py"
    script.write_text(PASS_THROUGH_SCRIPT)
    assert [f.code for f in traced] == [f.code for f in check(script)] == ["HC203"]
