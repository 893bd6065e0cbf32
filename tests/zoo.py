"""The model zoo: small real Keras models, each with the findings it must (and must only) produce.

Every case has a builder that takes the library module (`keras` for Keras 3 on the TensorFlow
backend, `tf_keras` for Keras 2) and returns a compiled model, so one builder serves both libraries.
Importing this module imports no Keras: the tests read the table, and the models are built by
running this file as a script, once per library, in a subprocess:

    python tests/zoo.py {keras3,keras2,applications} ROOT

which saves every case in every format the library writes under ROOT/zoo/CASE/ and records
what could not be built or saved in ROOT/manifest-JOB.json.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import sys
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Optional

import nesting

LIBRARIES = {"keras3": "keras", "keras2": "tf_keras"}
FORMATS = {"keras3": ("keras", "h5"), "keras2": ("keras", "h5", "savedmodel")}
APPLICATIONS = ("ResNet50", "MobileNetV2", "EfficientNetB0", "MobileNet", "MobileNetV3Small")
APPLICATION_FORMATS = ("keras", "h5")

Builder = Callable[[Any], Any]  # library module -> compiled model
# A loss or metrics argument: a plain value ("mse", ["mae"], {"a": "mse"}) or a function of the
# library module returning it (so Loss objects are made by the library under test).
Spec = Any


@dataclass(frozen=True)
class Case:
    name: str
    build: Builder
    expect: dict[str, str]  # rule code -> severity of every finding the saved model must produce
    passes: frozenset[str] = frozenset()  # rules this case is the passing twin of
    where: dict[str, str] = field(default_factory=dict)  # rule code -> output it must point at
    libs: tuple[str, ...] = ("keras3", "keras2")


def saved_path(root: str, case: str, lib: str, fmt: str) -> str:
    """Where the builder saves a case, and where the tests look for it."""
    suffix = {"keras": f"{lib}.keras", "h5": f"{lib}.h5", "savedmodel": f"{lib}_savedmodel"}[fmt]
    return os.path.join(root, "zoo", case, suffix)


def application_path(root: str, name: str, fmt: str) -> str:
    return os.path.join(root, "applications", f"{name}.{fmt}")


def extra_path(root: str, name: str) -> str:
    """Files for the bad-input tests that are not lintable models (kept out of the zoo)."""
    return os.path.join(root, "extras", name)


# --- custom losses (HC902): module-level, as a user would write them --------------------------


def custom_loss(y_true: Any, y_pred: Any) -> Any:
    """A custom loss function that nobody registered for serialisation."""
    return abs(y_true - y_pred)


def registered_loss(y_true: Any, y_pred: Any) -> Any:
    """A custom loss function registered with `register_keras_serializable` in the builder."""
    return abs(y_true - y_pred)


# --- building blocks ---------------------------------------------------------------------------


def _resolve(lib: Any, spec: Spec) -> Any:
    return spec(lib) if callable(spec) else spec


def _losses(name: str, **kwargs: Any) -> Spec:
    """A Loss object of the library under test: _losses("CategoricalCrossentropy", from_logits=True)."""
    return lambda lib: getattr(lib.losses, name)(**kwargs)


def _compile(lib: Any, model: Any, loss: Spec, metrics: Spec = None, optimizer: Spec = "adam") -> Any:
    model.compile(
        optimizer=_resolve(lib, optimizer), loss=_resolve(lib, loss), metrics=_resolve(lib, metrics)
    )
    return model


def mlp(head: Callable[[Any], list[Any]], loss: Spec, metrics: Spec = None, optimizer: Spec = "adam",
        features: int = 8) -> Builder:
    """Sequential: Input(features) -> Dense(16, relu) -> the head layers, compiled."""

    def build(lib: Any) -> Any:
        layers = [lib.Input((features,)), lib.layers.Dense(16, activation="relu"), *head(lib.layers)]
        return _compile(lib, lib.Sequential(layers), loss, metrics, optimizer)

    return build


def dense(units: int, activation: Optional[str] = None) -> Callable[[Any], list[Any]]:
    """A head of one Dense layer named "head"."""
    return lambda L: [L.Dense(units, activation=activation, name="head")]


def softmax_op(lib: Any) -> Callable[[Any], Any]:
    """`keras.ops.softmax` in Keras 3; `tf.nn.softmax` (a TFOpLambda layer) in Keras 2."""
    if lib.__name__ == "keras":
        return lib.ops.softmax
    import tensorflow as tf

    return tf.nn.softmax


def mixed_precision(build: Builder) -> Builder:
    """Build under the mixed_float16 global policy, and always put float32 back."""

    def wrapped(lib: Any) -> Any:
        lib.mixed_precision.set_global_policy("mixed_float16")
        try:
            return build(lib)
        finally:
            lib.mixed_precision.set_global_policy("float32")

    return wrapped


# --- builders that do not fit the MLP mould ----------------------------------------------------


def tutorial(lib: Any) -> Any:
    """The TensorFlow beginner tutorial's classifier: logits + from_logits=True."""
    L = lib.layers
    model = lib.Sequential([
        L.Flatten(input_shape=(28, 28)),
        L.Dense(128, activation="relu"),
        L.Dropout(0.2),
        L.Dense(10),
    ])
    loss = lib.losses.SparseCategoricalCrossentropy(from_logits=True)
    model.compile(optimizer="adam", loss=loss, metrics=["accuracy"])
    return model


def conv_head(head: Callable[[Any], list[Any]], loss: Spec, data_format: str = "channels_last") -> Builder:
    """Sequential: a 3-channel 8x8 image -> Conv2D(8, 3, relu) -> the head layers, compiled."""

    def build(lib: Any) -> Any:
        L = lib.layers
        shape = (3, 8, 8) if data_format == "channels_first" else (8, 8, 3)
        conv = L.Conv2D(8, 3, padding="same", activation="relu", data_format=data_format)
        return _compile(lib, lib.Sequential([lib.Input(shape), conv, *head(L)]), loss)

    return build


def seq2seq(head: Callable[[Any], list[Any]], loss: Spec, metrics: Spec = None) -> Builder:
    """Input(20 token ids) -> Embedding -> LSTM(return_sequences) -> the head, per time step."""

    def build(lib: Any) -> Any:
        L = lib.layers
        layers = [lib.Input((20,)), L.Embedding(100, 16), L.LSTM(32, return_sequences=True), *head(L)]
        return _compile(lib, lib.Sequential(layers), loss, metrics)

    return build


def rnn_over_cells(cells: Callable[[Any], Any], loss: Spec, bidirectional: bool = False) -> Builder:
    """Input(5 steps of 3) -> `layers.RNN(cells)` named "head" (in a Bidirectional if asked)."""

    def build(lib: Any) -> Any:
        L = lib.layers
        rnn = L.RNN(cells(L), name="rnn" if bidirectional else "head")
        head = L.Bidirectional(rnn, name="head") if bidirectional else rnn
        return _compile(lib, lib.Sequential([lib.Input((5, 3)), head]), loss)

    return build


def functional_op(units: int, loss: Spec) -> Builder:
    """Dense(units) followed by the library's softmax op in a functional model."""

    def build(lib: Any) -> Any:
        inputs = lib.Input((8,))
        x = lib.layers.Dense(16, activation="relu")(inputs)
        outputs = softmax_op(lib)(lib.layers.Dense(units)(x))
        return _compile(lib, lib.Model(inputs, outputs), loss)

    return build


def lambda_output(lib: Any) -> Any:
    inputs = lib.Input((8,))
    x = lib.layers.Dense(10)(inputs)
    outputs = lib.layers.Lambda(lambda t: t * 2.0, name="head")(x)
    return _compile(lib, lib.Model(inputs, outputs), "mse")


def nested_sequential(inner_head: Callable[[Any], list[Any]], outer_head: Callable[[Any], list[Any]],
                      loss: Spec) -> Builder:
    """Sequential([Input, Sequential([... inner_head], name="inner"), *outer_head])."""

    def build(lib: Any) -> Any:
        L = lib.layers
        inner = lib.Sequential([L.Dense(16, activation="relu"), *inner_head(L)], name="inner")
        return _compile(lib, lib.Sequential([lib.Input((8,)), inner, *outer_head(L)]), loss)

    return build


def functional_submodel_last(lib: Any) -> Any:
    """A functional classifier whose last layer is itself a functional model ending in softmax."""
    L = lib.layers
    head_in = lib.Input((16,))
    classifier = lib.Model(head_in, L.Dense(10, activation="softmax", name="probs")(head_in),
                           name="classifier")
    inputs = lib.Input((8,))
    outputs = classifier(L.Dense(16, activation="relu")(inputs))
    loss = _losses("SparseCategoricalCrossentropy", from_logits=True)
    return _compile(lib, lib.Model(inputs, outputs), loss)


def sequential_in_functional(with_input: bool, head: Callable[[Any], list[Any]],
                             after: Callable[[Any], list[Any]], loss: Spec) -> Builder:
    """A functional model calling a Sequential sub-model (built with or without an Input)."""

    def build(lib: Any) -> Any:
        L = lib.layers
        first = [lib.Input((16,))] if with_input else []
        inner = lib.Sequential([*first, *head(L)], name="inner")
        inputs = lib.Input((8,))
        x = inner(L.Dense(16, activation="relu")(inputs))
        for layer in after(L):
            x = layer(x)
        return _compile(lib, lib.Model(inputs, x), loss)

    return build


def two_outputs(cls_head: Callable[[Any], Any], reg_head: Callable[[Any], Any], loss: Spec,
                metrics: Spec = None, as_dict: bool = True) -> Builder:
    """A functional model with outputs "cls" and "reg" (a dict of outputs, or a list)."""

    def build(lib: Any) -> Any:
        inputs = lib.Input((8,))
        x = lib.layers.Dense(16, activation="relu")(inputs)
        cls, reg = cls_head(lib.layers)(x), reg_head(lib.layers)(x)
        outputs = {"cls": cls, "reg": reg} if as_dict else [cls, reg]
        return _compile(lib, lib.Model(inputs, outputs), loss, metrics)

    return build


def attention(lib: Any) -> Any:
    """Softmaxes inside the model (attention scores, a softmax gate) and a logits head."""
    L = lib.layers
    inputs = lib.Input((10, 16))
    x = L.GlobalAveragePooling1D()(L.MultiHeadAttention(num_heads=2, key_dim=8)(inputs, inputs))
    gate = L.Softmax()(L.Dense(16)(x))
    outputs = L.Dense(3, name="head")(L.Multiply()([x, gate]))
    loss = _losses("CategoricalCrossentropy", from_logits=True)
    return _compile(lib, lib.Model(inputs, outputs), loss, ["accuracy"])


def attention_softmax_head(lib: Any) -> Any:
    """Attention inside, and an ordinary softmax classifier head."""
    L = lib.layers
    inputs = lib.Input((10, 16))
    x = L.MultiHeadAttention(num_heads=2, key_dim=8)(inputs, inputs)
    outputs = L.Dense(3, activation="softmax", name="head")(L.GlobalAveragePooling1D()(x))
    return _compile(lib, lib.Model(inputs, outputs), "categorical_crossentropy", ["accuracy"])


def uncompiled(lib: Any) -> Any:
    """Saved (or checked) before `compile`: head rules still run, loss rules are skipped (HC902)."""
    return lib.Sequential([lib.Input((8,)), lib.layers.Dense(1, activation="softmax")])


def custom_loss_object(lib: Any) -> Any:
    class MyLoss(lib.losses.Loss):
        def call(self, y_true: Any, y_pred: Any) -> Any:
            return abs(y_true - y_pred)

    return mlp(dense(10, "softmax"), lambda lib: MyLoss())(lib)


def registered_custom_loss(lib: Any) -> Any:
    fn = lib.saving.register_keras_serializable(package="zoo")(registered_loss)
    return mlp(dense(10, "softmax"), lambda lib: fn)(lib)


def nested(builder: str, head: Callable[[Any], list[Any]], loss: Spec) -> Builder:
    """A nesting.py model with `head` (its last layer named "head"), compiled with `loss` (and
    "mse" for the `aux` output of a two-output model)."""

    def build(lib: Any) -> Any:
        model = nesting.BUILDERS[builder](lib, head)
        two = len(model.outputs) == 2
        return _compile(lib, model, {"head": loss, "aux": "mse"} if two else loss)

    return build


def nested_cases() -> Iterator[Case]:
    """Every nesting.py shape with a failing head (one-unit softmax + mse) and its passing twin."""
    for builder in nesting.BUILDERS:
        libs = ("keras3",) if builder in nesting.KERAS3_ONLY else ("keras3", "keras2")
        where = {"HC101": "head", "HC203": "head"} if builder == "multi_io" else {}
        yield Case(f"nested_{builder}_softmax_one_unit_mse", nested(builder, dense(1, "softmax"), "mse"),
                   {"HC101": E, "HC203": E}, where=where, libs=libs)
        # The logits layer is linear, so the walk goes on into the nested model's output.
        logits = lambda L: [L.Dense(3, name="logits"), L.Activation("softmax", name="head")]  # noqa: E731
        yield Case(f"nested_{builder}_softmax_cce", nested(builder, logits, "categorical_crossentropy"), {},
                   passes=frozenset({"HC101", "HC203"}), libs=libs)
    # The published model's own head: 6 logits, CategoricalCrossentropy(from_logits=True), accuracy.
    published = nesting.published_xception_shape
    yield Case("published_xception_shape_logits",
               lambda lib: _compile(lib, published(lib, dense(6)), _losses("CategoricalCrossentropy", from_logits=True),
                                    ["accuracy"]),
               {}, passes=frozenset({"HC201", "HC202"}))
    yield Case("published_xception_shape_logits_from_logits_false",
               lambda lib: _compile(lib, published(lib, dense(6)), "categorical_crossentropy", ["accuracy"]),
               {"HC202": E})


E, W, I = "error", "warning", "info"

CASES: tuple[Case, ...] = (
    # --- HC1xx: the head itself -------------------------------------------------------------
    Case("seed000_softmax_one_unit_mse",
         mlp(dense(1, "softmax"), "mse", optimizer=lambda lib: lib.optimizers.Adam()),
         {"HC101": E, "HC203": E}),
    Case("softmax_one_unit_bce", mlp(dense(1, "softmax"), "binary_crossentropy"), {"HC101": E}),
    Case("sigmoid_one_unit_bce", mlp(dense(1, "sigmoid"), "binary_crossentropy", ["accuracy"]), {},
         passes=frozenset({"HC101", "HC206", "HC207"})),
    Case("softmax_after_softmax",
         mlp(lambda L: [L.Dense(10, activation="softmax"), L.Activation("softmax", name="head")],
             "categorical_crossentropy"),
         {"HC102": E}),
    Case("softmax_layer_after_tanh",
         mlp(lambda L: [L.Dense(10, activation="tanh"), L.Softmax(name="head")],
             "categorical_crossentropy"),
         {"HC102": W}),
    Case("sigmoid_after_sigmoid",
         mlp(lambda L: [L.Dense(1, activation="sigmoid"), L.Activation("sigmoid", name="head")],
             "binary_crossentropy"),
         {"HC102": W}),
    Case("softmax_layer_on_logits",
         mlp(lambda L: [L.Dense(10), L.Activation("softmax", name="head")], "categorical_crossentropy"),
         {}, passes=frozenset({"HC102"})),
    Case("channels_first_conv_softmax",
         conv_head(lambda L: [L.Conv2D(4, 1, activation="softmax", data_format="channels_first",
                                       name="head")], "categorical_crossentropy", "channels_first"),
         {"HC103": E}),
    Case("channels_first_softmax_on_axis_1",
         conv_head(lambda L: [L.Conv2D(4, 1, data_format="channels_first"), L.Softmax(axis=1, name="head")],
                   _losses("CategoricalCrossentropy", axis=1), "channels_first"),
         {}, passes=frozenset({"HC103"})),
    Case("segmentation_per_pixel_softmax",
         conv_head(lambda L: [L.Conv2D(5, 1, activation="softmax", name="head")],
                   "sparse_categorical_crossentropy"),
         {}, passes=frozenset({"HC103"})),
    Case("dropout_after_softmax",
         mlp(lambda L: [L.Dense(10, activation="softmax"), L.Dropout(0.5, name="head")],
             "categorical_crossentropy"),
         {"HC104": W}),
    Case("batchnorm_after_sigmoid",
         mlp(lambda L: [L.Dense(3, activation="sigmoid"), L.BatchNormalization(name="head")],
             "binary_crossentropy"),
         {"HC104": W}),
    # RULES.md HC104: a Dense after a softmax makes it a hidden one; the head is that Dense.
    Case("dense_after_softmax",
         mlp(lambda L: [L.Dense(10, activation="softmax"), L.Dense(3, name="head")],
             _losses("CategoricalCrossentropy", from_logits=True)),
         {}, passes=frozenset({"HC104", "HC201"})),
    Case("dense_after_sigmoid_hidden",
         mlp(lambda L: [L.Dense(8, activation="sigmoid"), L.Dense(8, activation="sigmoid"),
                        L.Dense(1, name="head")], "mse"),
         {}, passes=frozenset({"HC104"})),
    Case("dropout_before_softmax",
         mlp(lambda L: [L.Dropout(0.5), L.Dense(10, activation="softmax", name="head")],
             "categorical_crossentropy"),
         {}, passes=frozenset({"HC104"})),
    # --- HC2xx: head x loss -----------------------------------------------------------------
    Case("tutorial_logits", tutorial, {}, passes=frozenset({"HC201", "HC202", "HC303"})),
    Case("softmax_with_from_logits_true",
         mlp(dense(10, "softmax"), _losses("SparseCategoricalCrossentropy", from_logits=True)),
         {"HC201": E}),
    Case("sigmoid_with_from_logits_true",
         mlp(dense(1, "sigmoid"), _losses("BinaryCrossentropy", from_logits=True)), {"HC201": E}),
    Case("loss_list_single_output_from_logits",
         mlp(dense(10, "softmax"),
             lambda lib: [lib.losses.SparseCategoricalCrossentropy(from_logits=True)]),
         {"HC201": E}),
    # Keras 3's CTC loss takes logits (it has no from_logits): a softmax under it is squashed twice.
    Case("ctc_on_softmax", seq2seq(dense(12, "softmax"), _losses("CTC")), {"HC201": E},
         libs=("keras3",)),
    Case("ctc_on_logits", seq2seq(dense(12), "ctc"), {}, passes=frozenset({"HC201", "HC202"}),
         libs=("keras3",)),
    Case("logits_with_probability_loss", mlp(dense(10), "sparse_categorical_crossentropy"),
         {"HC202": E}),
    Case("logits_with_loss_function",
         mlp(dense(10), lambda lib: lib.losses.sparse_categorical_crossentropy), {"HC202": E}),
    Case("relu_layer_with_cce",
         mlp(lambda L: [L.Dense(10), L.ReLU(name="head")], "categorical_crossentropy"), {"HC202": E}),
    Case("softmax_with_scce", mlp(dense(10, "softmax"), "sparse_categorical_crossentropy", ["accuracy"]),
         {}, passes=frozenset({"HC202", "HC201"})),
    Case("softmax_with_mse", mlp(dense(5, "softmax"), "mse"), {"HC203": W}),
    Case("sigmoid_with_mse", mlp(dense(1, "sigmoid"), "mse", ["mae"]), {},
         passes=frozenset({"HC203", "HC301"})),
    Case("sigmoid_with_cce", mlp(dense(10, "sigmoid"), "categorical_crossentropy"), {"HC204": W}),
    Case("multilabel_sigmoid_bce",
         mlp(dense(20, "sigmoid"), lambda lib: lib.losses.binary_crossentropy,
             lambda lib: [lib.metrics.BinaryAccuracy(), lib.metrics.AUC(multi_label=True)]),
         {}, passes=frozenset({"HC204", "HC303"})),
    Case("softmax_with_bce", mlp(dense(10, "softmax"), "binary_crossentropy"), {"HC205": W}),
    Case("softmax_with_cce", mlp(dense(10, "softmax"), "categorical_crossentropy", ["accuracy"]), {},
         passes=frozenset({"HC205", "HC302", "HC501", "HC901", "HC902"})),
    Case("two_unit_softmax_scce", mlp(dense(2, "softmax"), "sparse_categorical_crossentropy", ["accuracy"]),
         {}, passes=frozenset({"HC101", "HC207"})),
    Case("cce_on_one_unit", mlp(dense(1, "sigmoid"), "categorical_crossentropy"), {"HC206": E}),
    Case("scce_on_one_unit", mlp(dense(1, "sigmoid"), "sparse_categorical_crossentropy"), {"HC207": E}),
    Case("hinge_on_sigmoid", mlp(dense(1, "sigmoid"), "hinge"), {"HC208": W}),
    Case("hinge_on_tanh", mlp(dense(1, "tanh"), "hinge"), {}, passes=frozenset({"HC208"})),
    Case("poisson_on_relu", mlp(dense(1, "relu"), "poisson"), {"HC209": W}),
    Case("poisson_on_softplus", mlp(dense(1, "softplus"), _losses("Poisson")), {},
         passes=frozenset({"HC209"})),
    Case("kld_on_sigmoid", mlp(dense(10, "sigmoid"), "kl_divergence"), {"HC210": W}),
    Case("kld_on_softmax", mlp(dense(10, "softmax"), _losses("KLDivergence")), {},
         passes=frozenset({"HC210"})),
    Case("msle_on_linear", mlp(dense(1), "msle"), {"HC211": W}),
    Case("msle_on_softplus", mlp(dense(1, "softplus"), _losses("MeanSquaredLogarithmicError")), {},
         passes=frozenset({"HC211"})),
    # --- HC3xx: metrics ---------------------------------------------------------------------
    Case("accuracy_on_regression", mlp(dense(3), "mse", ["accuracy"]), {"HC301": W}),
    # one unit: Keras makes "accuracy" binary accuracy, right for 0/1 targets (info without them)
    Case("accuracy_on_one_unit_regression", mlp(dense(1), "mse", ["accuracy"]), {"HC301": I}),
    Case("accuracy_on_softmax_mse", mlp(dense(4, "softmax"), "mse", ["accuracy"]), {"HC203": W},
         passes=frozenset({"HC301"})),
    Case("exact_accuracy_object_on_regression",
         mlp(dense(3), "mse", lambda lib: [lib.metrics.Accuracy()]), {}, passes=frozenset({"HC301"})),
    Case("accuracy_with_softmax_bce", mlp(dense(10, "softmax"), "binary_crossentropy", ["accuracy"]),
         {"HC205": W, "HC302": W}),
    Case("auc_precision_on_logits",
         mlp(dense(1), _losses("BinaryCrossentropy", from_logits=True), lambda lib: [lib.metrics.AUC(), lib.metrics.Precision()]),
         {"HC303": W}),
    Case("accuracy_string_on_bce_logits",
         mlp(dense(1), _losses("BinaryCrossentropy", from_logits=True), ["accuracy"]), {"HC303": I}),
    Case("metrics_told_about_logits",
         mlp(dense(1), _losses("BinaryCrossentropy", from_logits=True),
             lambda lib: [lib.metrics.AUC(from_logits=True), lib.metrics.BinaryAccuracy(threshold=0.0)]),
         {}, passes=frozenset({"HC303"})),
    # --- HC5xx: numerics --------------------------------------------------------------------
    Case("mixed_float16_softmax_output",
         mixed_precision(mlp(dense(10, "softmax"), "categorical_crossentropy")), {"HC501": W}),
    Case("mixed_float16_float32_softmax",
         mixed_precision(mlp(lambda L: [L.Dense(10), L.Activation("softmax", dtype="float32", name="head")],
                             "categorical_crossentropy")),
         {}, passes=frozenset({"HC501"})),
    # --- HC9xx: limits of the analysis ------------------------------------------------------
    Case("lambda_output", lambda_output, {"HC901": I}),
    Case("custom_loss_function", mlp(dense(10, "softmax"), lambda lib: custom_loss), {"HC902": I}),
    Case("registered_custom_loss_function", registered_custom_loss, {"HC902": I}),
    Case("custom_loss_object", custom_loss_object, {"HC902": I}),
    Case("uncompiled_softmax_one_unit", uncompiled, {"HC101": E, "HC902": I}),
    # --- structure: nesting, wrappers, op layers, pass-through layers -----------------------
    Case("nested_sequential_activation_outside",
         nested_sequential(dense(10), lambda L: [L.Activation("softmax", name="head")],
                           "categorical_crossentropy"),
         {}),
    Case("nested_sequential_as_last_layer",
         nested_sequential(dense(1, "softmax"), lambda L: [], "mse"), {"HC101": E, "HC203": E}),
    Case("functional_submodel_as_last_layer", functional_submodel_last, {"HC201": E}),
    Case("sequential_with_input_as_last_layer_of_functional",
         sequential_in_functional(True, dense(1, "softmax"), lambda L: [], "mse"),
         {"HC101": E, "HC203": E}),
    Case("sequential_without_input_inside_functional",
         sequential_in_functional(False, dense(10), lambda L: [L.Softmax(name="head")],
                                  "categorical_crossentropy"),
         {}),
    Case("softmax_op_layer", functional_op(10, "categorical_crossentropy"), {}),
    Case("softmax_op_layer_one_unit", functional_op(1, "mse"), {"HC101": E, "HC203": E}),
    Case("reshape_flatten_after_softmax",
         mlp(lambda L: [L.Dense(10, activation="softmax"), L.Reshape((1, 10)), L.Flatten(name="head")],
             "categorical_crossentropy"),
         {}),
    Case("flatten_after_one_unit_softmax",
         mlp(lambda L: [L.Dense(1, activation="softmax"), L.Reshape((1, 1)), L.Flatten(name="head")],
             "mse"),
         {"HC101": E, "HC203": E}),
    Case("seq2seq_time_distributed_softmax",
         seq2seq(lambda L: [L.TimeDistributed(L.Dense(100, activation="softmax"), name="head")],
                 "sparse_categorical_crossentropy", ["accuracy"]),
         {}),
    Case("seq2seq_dense_softmax_on_3d",
         seq2seq(dense(100, "softmax"), "sparse_categorical_crossentropy"), {}),
    Case("time_distributed_one_unit_softmax",
         seq2seq(lambda L: [L.TimeDistributed(L.Dense(1, activation="softmax"), name="head")], "mse"),
         {"HC101": E, "HC203": E}),
    Case("rnn_over_lstm_cell_under_cce",
         rnn_over_cells(lambda L: L.LSTMCell(4), "categorical_crossentropy"), {"HC202": E}),
    Case("rnn_over_stacked_cells_one_unit_softmax",
         rnn_over_cells(lambda L: [L.GRUCell(4), L.SimpleRNNCell(1, activation="softmax")], "mse"),
         {"HC101": E, "HC203": E}),
    Case("bidirectional_rnn_over_sigmoid_cell_bce",
         rnn_over_cells(lambda L: L.GRUCell(4, activation="sigmoid"), "binary_crossentropy",
                        bidirectional=True),
         {}, passes=frozenset({"HC202", "HC901"})),
    Case("attention_softmax_inside_logits_head", attention, {}),
    Case("attention_softmax_inside_softmax_head", attention_softmax_head, {}),
    # --- several outputs: losses and metrics bound per output --------------------------------
    Case("multi_output_dict_losses",
         two_outputs(lambda L: L.Dense(5, activation="softmax", name="cls"),
                     lambda L: L.Dense(1, name="reg"),
                     {"cls": "sparse_categorical_crossentropy", "reg": "mse"},
                     {"cls": ["accuracy"], "reg": ["mae"]}),
         {}),
    Case("multi_output_dict_losses_wrong",
         two_outputs(lambda L: L.Dense(5, activation="sigmoid", name="cls"),
                     lambda L: L.Dense(1, activation="softmax", name="reg"),
                     lambda lib: {"cls": lib.losses.CategoricalCrossentropy(), "reg": "mse"}),
         {"HC204": W, "HC101": E, "HC203": E}, where={"HC204": "cls", "HC101": "reg", "HC203": "reg"}),
    Case("multi_output_list_losses",
         two_outputs(lambda L: L.Dense(3, activation="sigmoid", name="cls"),
                     lambda L: L.Dense(4, activation="softmax", name="reg"),
                     ["binary_crossentropy", "mse"], [["accuracy"], ["mae"]], as_dict=False),
         {"HC203": W}, where={"HC203": "reg"}),
    *nested_cases(),
)


def cases_for(lib: str) -> Iterator[Case]:
    return (case for case in CASES if lib in case.libs)


def nested_case_names() -> list[str]:
    return [case.name for case in CASES if case.name.startswith("nested_")]


# --- the builder script ------------------------------------------------------------------------


def _save(model: Any, path: str, fmt: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if fmt == "savedmodel":
        model.save(path, save_format="tf")
    else:
        model.save(path)


def _record(errors: dict[str, str], key: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """fn(*args, **kwargs), or None with the traceback kept under `key` for the test that needs it."""
    try:
        return fn(*args, **kwargs)
    except Exception:  # noqa: BLE001  (one broken model must not stop the others)
        errors[key] = traceback.format_exc(limit=3)
        return None


def _build_and_save(errors: dict[str, str], key: str, build: Callable[[], Any], paths: dict[str, str]) -> None:
    model = _record(errors, key, build)
    for fmt, path in paths.items() if model is not None else ():
        _record(errors, f"{key}/{fmt}", _save, model, path, fmt)


def build_zoo(job: str, root: str) -> dict[str, str]:
    lib = importlib.import_module(LIBRARIES[job])
    errors: dict[str, str] = {}
    for case in cases_for(job):
        paths = {fmt: saved_path(root, case.name, job, fmt) for fmt in FORMATS[job]}
        _build_and_save(errors, case.name, functools.partial(case.build, lib), paths)
    if job == "keras3":
        _build_extras(lib, root, errors)
    return errors


def _build_extras(lib: Any, root: str, errors: dict[str, str]) -> None:
    """Not models: a weights-only HDF5 file and a SavedModel without keras_metadata.pb."""
    os.makedirs(extra_path(root, ""), exist_ok=True)
    model = mlp(dense(3, "softmax"), "categorical_crossentropy")(lib)
    _record(errors, "weights", model.save_weights, extra_path(root, "weights_only.weights.h5"))
    _record(errors, "export", model.export, extra_path(root, "exported_savedmodel"), verbose=False)


def build_applications(root: str) -> dict[str, str]:
    import keras

    errors: dict[str, str] = {}
    for name in APPLICATIONS:
        paths = {fmt: application_path(root, name, fmt) for fmt in APPLICATION_FORMATS}
        _build_and_save(errors, name, functools.partial(_application, keras, name), paths)
    return errors


def _application(lib: Any, name: str) -> Any:
    model = getattr(lib.applications, name)(weights=None, input_shape=(32, 32, 3), classes=1000)
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def main(argv: list[str]) -> int:
    job, root = argv
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    errors = build_applications(root) if job == "applications" else build_zoo(job, root)
    with open(os.path.join(root, f"manifest-{job}.json"), "w") as handle:
        json.dump(errors, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
