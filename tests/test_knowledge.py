"""The library tables in keras_headcheck/knowledge hold what the installed libraries do, and every
reader reads a library model's head from them alike: in a script, in a saved file, live."""

from __future__ import annotations

import inspect
import os
from pathlib import Path
from typing import Any

import pytest
from zoo import APPLICATION_FORMATS, APPLICATIONS

import keras_headcheck
from keras_headcheck.knowledge import applications as app_table
from keras_headcheck.knowledge import keras_hub as hub_table
from keras_headcheck.readers import read_heads

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def _head(head: Any) -> tuple[Any, ...]:
    loss = head.loss
    return (head.output, head.activation, head.units, loss.name if loss else None,
            loss.from_logits if loss else None)


def _constructors(module: Any) -> dict[str, Any]:
    return {n: getattr(module, n) for n in dir(module) if n[:1].isupper() and callable(getattr(module, n))}


@pytest.mark.parametrize("library", ["keras", "tf_keras"])
def test_applications_table_matches_the_constructors(library: str) -> None:
    lib = pytest.importorskip(library)
    for name, constructor in _constructors(lib.applications).items():
        assert name in app_table.CONSTRUCTORS, f"{library}.applications.{name} missing from the table"
        params = inspect.signature(constructor).parameters
        listed = [p for p in params if params[p].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
        order = app_table.CONSTRUCTORS[name]
        if library == "tf_keras":
            order = app_table.TF_KERAS_ORDERS.get(name, order)
        assert listed[: len(order)] == list(order)[: len(listed)], name
        for key, default in app_table.DEFAULTS.items():
            if key in params:
                assert params[key].default == default, (name, key)


def test_keras_hub_table_matches_the_installed_tasks() -> None:
    keras_hub = pytest.importorskip("keras_hub")
    classifiers = (keras_hub.models.ImageClassifier, keras_hub.models.TextClassifier)
    for name, cls in _constructors(keras_hub.models).items():
        if not (inspect.isclass(cls) and issubclass(cls, classifiers)):
            continue
        assert name in hub_table.TASKS or name in hub_table.LINEAR_HEADS, name
        params = inspect.signature(cls.__init__).parameters
        if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in params.values()):
            continue  # an abstract base (TextClassifier): from_preset builds a concrete task
        assert ("activation" in params) == (name not in hub_table.LINEAR_HEADS), name
        if "activation" in params:
            assert params["activation"].default is None, name


@pytest.mark.parametrize("name", APPLICATIONS)
def test_application_head_in_a_script_matches_the_saved_model(name: str, applications: Any, tmp_path: Path) -> None:
    script = tmp_path / "train.py"
    script.write_text(
        "import keras\n"
        f"model = keras.applications.{name}(weights=None, input_shape=(32, 32, 3), classes=1000)\n"
        "model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])\n"
    )
    (source,) = read_heads(str(script))
    for fmt in APPLICATION_FORMATS:
        (saved,) = read_heads(applications.path(name, fmt))
        assert _head(source) == _head(saved), fmt


SCRIPT_HEADS = [
    ("keras.applications.ResNet50(weights=None, classes=1)", "'binary_crossentropy'", ["HC101"]),
    ("keras.applications.VGG16(include_top=True, weights=None, classes=10, classifier_activation=None)",
     "'sparse_categorical_crossentropy'", ["HC202"]),
    ("keras.applications.MobileNet(None, 1.0, 1, 0.001, True, None, None, None, 5, 'sigmoid')",
     "'categorical_crossentropy'", ["HC204"]),
    ("keras.applications.Xception(include_top=flag)", "'mse'", ["HC901"]),
    ("keras_hub.models.ImageClassifier.from_preset('resnet_50_imagenet', num_classes=4, activation='softmax')",
     None, []),
    ("keras_hub.models.BertTextClassifier(backbone=None, num_classes=2)", "'binary_crossentropy'", ["HC202"]),
    ("keras_hub.models.ImageClassifier.from_preset('resnet_50_imagenet', num_classes=4)", "'mse'", ["HC901"]),
    ("transformers.TFAutoModelForSequenceClassification.from_pretrained('bert', num_labels=3)", None, []),
    # the checkpoint's width: its built-in loss is MSE on one logit, crossentropy on more, and
    # either suits the logits; a crossentropy told they are probabilities does not
    ("transformers.TFAutoModelForSequenceClassification.from_pretrained('distilbert')", None, []),
    ("transformers.TFAutoModelForSequenceClassification.from_pretrained('distilbert')",
     "'sparse_categorical_crossentropy'", ["HC202"]),  # the Hugging Face course's own example
    ("transformers.TFBertForSequenceClassification.from_pretrained('bert', num_labels=3)",
     "'sparse_categorical_crossentropy'", ["HC202"]),
    ("transformers.TFAutoModelForQuestionAnswering.from_pretrained('bert')",
     "'sparse_categorical_crossentropy'", ["HC202"]),  # start_logits and end_logits: one line
    ("transformers.TFAutoModelForQuestionAnswering.from_pretrained('bert')", None, []),
    ("transformers.TFBertForPreTraining(config)", None, []),
    ("transformers.TFBertForPreTraining(config)", "'categorical_crossentropy'", ["HC202"]),
    ("transformers.TFAutoModelForSeq2SeqLM.from_pretrained('t5')", "'sparse_categorical_crossentropy'",
     ["HC202"]),
    ("transformers.TFSegformerForSemanticSegmentation.from_pretrained('mit', num_labels=3)", None, []),
    ("transformers.TFElectraForPreTraining(config)", None, ["HC901"]),  # a sigmoid discriminator
    ("keras_hub.models.CausalLM.from_preset('gemma3_1b')", None, []),
    ("keras_hub.models.GPT2CausalLM.from_preset('gpt2_base_en')", "'sparse_categorical_crossentropy'",
     ["HC202"]),
    ("keras_hub.models.RetinaNetObjectDetector(backbone=None, num_classes=2)", "'mse'", ["HC901"]),
    # segmentation_models (not installed here: read from its source), per pixel
    ("segmentation_models.Unet('resnet34', classes=1, activation='softmax')", "'binary_crossentropy'",
     ["HC101"]),  # a softmax over one channel: every pixel 1.0
    ("segmentation_models.Unet('resnet34')", "'binary_crossentropy'", []),  # sigmoid, 1 class
    ("segmentation_models.Linknet('resnet34', (256, 256, 3), 3, 'softmax')",
     "'categorical_crossentropy'", []),
    ("segmentation_models.FPN('resnet34', classes=4)", "'sparse_categorical_crossentropy'", []),
    ("segmentation_models.PSPNet('resnet34', activation=None)", "'categorical_crossentropy'",
     ["HC202"]),
    ("segmentation_models.Unet('resnet34', activation=sys.argv[1])", "'binary_crossentropy'",
     ["HC901"]),
]


@pytest.mark.parametrize("call, loss, codes", SCRIPT_HEADS, ids=[c.split("(")[0] for c, _, _ in SCRIPT_HEADS])
def test_library_models_in_a_script(call: str, loss: Any, codes: list[str], tmp_path: Path) -> None:
    script = tmp_path / "train.py"
    compile_args = f"loss={loss}" if loss else "optimizer='adam'"
    script.write_text(
        "import sys\nimport keras\nimport keras_hub\nimport transformers\nimport segmentation_models\n"
        "flag = len(sys.argv) > 1\n"
        f"model = {call}\nmodel.compile({compile_args})\n"
    )
    assert [f.code for f in keras_headcheck.check(str(script))] == codes


@pytest.mark.parametrize("call, why", [
    ("tfdf.keras.GradientBoostedTreesModel()", "a decision forest"),
    ("tfdf.keras.RandomForestModel(task=tfdf.keras.Task.CLASSIFICATION)", "a decision forest"),
    ("tfsim.models.SimilarityModel(inputs, outputs)", "a metric-learning model"),
    ("tfsim.models.ContrastiveModel(backbone=b, projector=p, algorithm='simsiam')", "its own train_step"),
])
def test_models_without_a_head_say_the_head_rules_do_not_apply(call: str, why: str, tmp_path: Path) -> None:
    script = tmp_path / "train.py"
    script.write_text(
        "import keras\nimport tensorflow_decision_forests as tfdf\nimport tensorflow_similarity as tfsim\n"
        f"model = {call}\nmodel.compile(metrics=['accuracy'])\nmodel.fit(ds)\n"
    )
    (finding,) = keras_headcheck.check(str(script))
    assert finding.code == "HC901" and why in finding.message


def test_keras_hub_causal_lm_table_matches_the_installed_tasks() -> None:
    keras_hub = pytest.importorskip("keras_hub")
    for name, cls in _constructors(keras_hub.models).items():
        if inspect.isclass(cls) and issubclass(cls, keras_hub.models.CausalLM) and name.endswith(
            "CausalLM"
        ):  # Seq2SeqLM derives from CausalLM too: not in the table (HC901 names it)
            assert name in hub_table.CAUSAL_LMS, name
            assert cls.compile is keras_hub.models.CausalLM.compile or "loss" in inspect.signature(
                cls.compile).parameters, name  # an override passes `loss` on


def test_tensorflow_hub_layer_is_named_as_the_head_it_hides(tmp_path: Path) -> None:
    script = tmp_path / "train.py"
    script.write_text(
        "import keras\nimport tensorflow_hub as hub\n"
        "model = keras.Sequential([hub.KerasLayer('https://tfhub.dev/x', output_shape=[5])])\n"
        "model.compile(loss='categorical_crossentropy')\n"
        "fine = keras.Sequential([hub.KerasLayer('https://tfhub.dev/x'), keras.layers.Dense(5, activation='softmax')])\n"
        "fine.compile(loss='categorical_crossentropy')\n"
    )
    (finding,) = keras_headcheck.check(str(script))
    assert finding.code == "HC901" and "tensorflow_hub.KerasLayer" in finding.message


# --- keras_hub tasks built from small backbones: in a script, saved and live --------------------
@pytest.fixture(scope="module")
def hub_models(tmp_path_factory: Any) -> dict[str, Any]:
    keras_hub = pytest.importorskip("keras_hub")
    keras = pytest.importorskip("keras")
    root = tmp_path_factory.mktemp("keras_hub")
    image_backbone = keras_hub.models.ResNetBackbone(
        input_conv_filters=[64], input_conv_kernel_sizes=[3], stackwise_num_filters=[64],
        stackwise_num_blocks=[1], stackwise_num_strides=[1], block_type="basic_block",
        image_shape=(16, 16, 3),
    )
    image = keras_hub.models.ImageClassifier(backbone=image_backbone, num_classes=3)
    image.compile()
    text_backbone = keras_hub.models.BertBackbone(
        vocabulary_size=20, num_layers=1, num_heads=1, hidden_dim=4, intermediate_dim=8,
        max_sequence_length=8,
    )
    text = keras_hub.models.BertTextClassifier(
        backbone=text_backbone, num_classes=2, preprocessor=None, activation="softmax"
    )
    text.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    lm_backbone = keras_hub.models.GPT2Backbone(
        vocabulary_size=20, num_layers=1, num_heads=1, hidden_dim=4, intermediate_dim=8,
        max_sequence_length=8,
    )
    lm = keras_hub.models.GPT2CausalLM(backbone=lm_backbone, preprocessor=None)
    lm.compile(sampler="greedy")  # its own compile's loss: crossentropy on the logits
    models = {"image": image, "text": text, "lm": lm}
    for key, model in models.items():
        model.save(root / f"{key}.keras")
    return {"root": root, **models}


HUB_SCRIPTS = {
    "image": "model = keras_hub.models.ImageClassifier(backbone=backbone, num_classes=3)\nmodel.compile()\n",
    "text": "model = keras_hub.models.BertTextClassifier(backbone=backbone, num_classes=2, "
    "preprocessor=None, activation='softmax')\n"
    "model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))\n",
}
HUB_SCRIPTS["lm"] = (
    "model = keras_hub.models.GPT2CausalLM(backbone=backbone, preprocessor=None)\n"
    "model.compile(sampler='greedy')\n"
)
HUB_CODES = {"image": [], "text": ["HC201"], "lm": []}


@pytest.mark.parametrize("key", sorted(HUB_SCRIPTS))
def test_keras_hub_task_reads_alike_in_a_script_saved_and_live(key: str, hub_models: dict[str, Any]) -> None:
    script = hub_models["root"] / f"{key}.py"
    script.write_text("import keras\nimport keras_hub\nbackbone = None\n" + HUB_SCRIPTS[key])
    saved = str(hub_models["root"] / f"{key}.keras")
    (in_script,), (in_file,) = read_heads(str(script)), read_heads(saved)
    from keras_headcheck.readers.live import read_live_heads

    (live,) = read_live_heads(hub_models[key])
    assert _head(in_script) == _head(in_file) == _head(live)
    for target in (str(script), saved, hub_models[key]):
        assert [f.code for f in keras_headcheck.check(target)] == HUB_CODES[key]


# --- tf_keras's premade models: in a script, saved and live --------------------------------------
PREMADE_SCRIPTS = {
    "linear": "model = tf.keras.experimental.LinearModel(units=3, activation='softmax')\n"
              "model.compile(loss='mse', optimizer='sgd')\n",
    "wide_deep": "model = tf.compat.v1.keras.experimental.WideDeepModel(linear, dnn)\n"
                 "model.compile(loss='binary_crossentropy', optimizer='sgd')\n",
}
PREMADE_CODES = {"linear": ["HC203"], "wide_deep": ["HC202"]}  # softmax under mse; logits under bce


@pytest.fixture(scope="module")
def premade_models(tmp_path_factory: Any) -> dict[str, Any]:
    import numpy as np
    import tf_keras

    root = tmp_path_factory.mktemp("premade")
    linear = tf_keras.experimental.LinearModel(units=3, activation="softmax")
    linear(np.zeros((2, 4), dtype="float32"))
    linear.compile(loss="mse", optimizer="sgd")
    dnn = tf_keras.Sequential([tf_keras.layers.Dense(1)])
    wide_deep = tf_keras.experimental.WideDeepModel(tf_keras.experimental.LinearModel(), dnn)
    wide_deep([np.zeros((2, 4), dtype="float32")] * 2)
    wide_deep.compile(loss="binary_crossentropy", optimizer="sgd")
    models = {"linear": linear, "wide_deep": wide_deep}
    for key, model in models.items():
        model.save(root / f"{key}.keras")
    return {"root": root, **models}


@pytest.mark.parametrize("key", sorted(PREMADE_SCRIPTS))
def test_premade_model_reads_alike_in_a_script_saved_and_live(key: str, premade_models: dict[str, Any]) -> None:
    from keras_headcheck.readers.live import read_live_heads

    script = premade_models["root"] / f"{key}.py"
    script.write_text("import tensorflow as tf\nlinear = dnn = None\n" + PREMADE_SCRIPTS[key])
    saved = str(premade_models["root"] / f"{key}.keras")
    (in_script,), (in_file,), (live,) = (read_heads(str(script)), read_heads(saved),
                                         read_live_heads(premade_models[key]))
    assert _head(in_script) == _head(in_file) == _head(live)
    assert _head(live)[1:3] == (("softmax", 3) if key == "linear" else ("linear", None))
    for target in (str(script), saved, premade_models[key]):
        assert [f.code for f in keras_headcheck.check(target)] == PREMADE_CODES[key]


def test_keras_hub_model_bases_are_keras_models_with_keras_s_compile() -> None:
    """The keras_hub base classes a subclass is read as a keras.Model subclass through: each is
    a keras.Model and keeps Keras's own compile (no loss of its own when given none)."""
    import importlib

    import keras

    checked: set[str] = set()
    for module in hub_table.BASE_MODULES:
        if module.startswith("keras_nlp"):  # keras_hub's former name: not installed beside it
            continue
        for name in hub_table.MODEL_BASES:
            found = getattr(importlib.import_module(module), name, None)
            if found is None:  # the public module lists what it exports, the src one its class
                continue
            checked.add(name)
            assert issubclass(found, keras.Model), f"{module}.{name}"
            assert found.compile is keras.Model.compile, f"{module}.{name}"
            assert hub_table.is_model_base(f"{module}.{name}")
    assert checked == set(hub_table.MODEL_BASES)
    assert not hub_table.is_model_base("keras_hub.models.CausalLM")  # its compile sets a loss


def test_a_subclass_of_a_keras_hub_task_is_a_keras_model_subclass(tmp_path: Path) -> None:
    script = tmp_path / "train.py"
    script.write_text(
        "import keras\nimport keras_hub\n"
        "class Scorer(keras_hub.models.Task):\n"
        "    def __init__(self, **kwargs):\n"
        "        super().__init__(**kwargs)\n"
        "        self.head = keras.layers.Dense(1, activation='softmax')\n"
        "    def call(self, inputs):\n"
        "        return self.head(inputs)\n"
        "model = Scorer()\nmodel.compile(loss='binary_crossentropy')\nmodel.fit(x, y)\n"
    )
    assert [(f.line, f.code) for f in keras_headcheck.check(str(script))] == [(6, "HC101")]
