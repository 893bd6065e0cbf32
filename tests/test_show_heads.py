"""`--show-heads`: what the linter read for each head, so a clean verdict can be told from silence."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any, Callable

SCRIPT = """\
import keras
from keras import layers

clean = keras.Sequential([keras.Input((8,)), layers.Dense(10, activation="softmax")])
clean.compile(loss="categorical_crossentropy", metrics=["accuracy"])

wrong = keras.Sequential([keras.Input((8,)), layers.Dense(1, activation="softmax")])
wrong.compile(loss=keras.losses.BinaryCrossentropy(from_logits=True))
"""


def _script(tmp_path: Path) -> str:
    path = tmp_path / "train.py"
    path.write_text(textwrap.dedent(SCRIPT))
    return str(path)


def test_each_head_on_stdout_with_what_was_read(tmp_path: Path, cli: Callable[..., Any]) -> None:
    path = _script(tmp_path)
    result = cli("check", "--show-heads", "--output-format", "concise", path)
    heads = [line for line in result.stdout.splitlines() if ": head " in line]
    assert heads == [
        f"{path}:4: head 'dense' (layer 'dense'): activation softmax, units 10, loss "
        "categorical_crossentropy (from_logits=False), metrics accuracy; compiled at line 5 -> clean",
        f"{path}:7: head 'dense_1' (layer 'dense_1'): activation softmax, units 1, loss "
        "binary_crossentropy (from_logits=True), metrics none; compiled at line 8 -> HC101, HC201",
    ]
    assert result.returncode == 1


def test_machine_formats_keep_stdout_one_document(tmp_path: Path, cli: Callable[..., Any]) -> None:
    result = cli("check", "--show-heads", "--output-format", "json", _script(tmp_path))
    assert {f["code"] for f in json.loads(result.stdout)} == {"HC101", "HC201"}
    assert result.stderr.count(": head ") == 2


def test_unknown_parts_are_shown_as_unknown(tmp_path: Path, cli: Callable[..., Any]) -> None:
    path = tmp_path / "opaque.py"
    path.write_text(
        "import keras\nfrom mylib import make_loss\n"
        "m = keras.Sequential([keras.Input((4,)), keras.layers.Lambda(lambda x: abs(x))])\n"
        "m.compile(loss=make_loss())\n"
    )
    result = cli("check", "--show-heads", "--output-format", "concise", str(path))
    line = next(line for line in result.stdout.splitlines() if ": head " in line)
    assert "activation ? (`lambda` cannot be interpreted), units ?" in line
    assert "(not interpreted)" in line and line.endswith("-> HC901, HC902")


def test_without_the_flag_nothing_changes(tmp_path: Path, cli: Callable[..., Any]) -> None:
    result = cli("check", "--output-format", "concise", _script(tmp_path))
    assert ": head " not in result.stdout + result.stderr


def test_a_notebook_head_names_its_cell(tmp_path: Path, cli: Callable[..., Any]) -> None:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# title"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 1,
         "source": ["import keras\n", "m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 2,
         "source": ["m.compile(loss='mse')"]},
    ]
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    result = cli("check", "--show-heads", "--output-format", "concise", str(path))
    assert result.stdout.startswith(
        f"{path}:cell 2:2: head 'dense' (layer 'dense'): activation linear, units 3, loss "
        "mean_squared_error (from_logits=False), metrics none; compiled at cell 3, line 1 -> clean"
    )


NOT_CHECKED = """\
import keras
from keras import layers

model = keras.Sequential([keras.Input((8,)), layers.Dense(1, activation="softmax")])
model.compile(loss="mse")  # replaced before fit: RULES.md does not check it
model.compile(loss="binary_crossentropy")
model.fit(x, y)
model.compile(loss="mse")
model.compile(loss="binary_crossentropy")

generator = keras.Sequential([keras.Input((8,)), layers.Dense(8, activation="sigmoid")])
generator.compile(loss="mse")  # only ever used inside `gan`
gan = keras.Sequential([generator, layers.Dense(1, activation="sigmoid")])
gan.compile(loss="binary_crossentropy")
gan.fit(x, y)
FINE_TUNE = False
if FINE_TUNE:
    gan.compile(optimizer="sgd", loss="mse")
"""


def test_a_compile_not_checked_is_shown_with_why(tmp_path: Path, cli: Callable[..., Any]) -> None:
    path = tmp_path / "replaced.py"
    path.write_text(NOT_CHECKED)
    result = cli("check", "--show-heads", "--output-format", "concise", str(path))
    shown = [line for line in result.stdout.splitlines() if "not checked" in line]
    assert shown == [
        f"{path}:5: compile of 'model' not checked: compiled again at line 6 before it was trained",
        f"{path}:8: compile of 'model' not checked: compiled again at line 9 and not trained in "
        "between: its last compile is checked",
        f"{path}:12: compile of 'generator' not checked: only used inside another model and never "
        "trained by itself: checked as part of that model",
        f"{path}:18: compile of 'gan' not checked: in a branch that does not run here: `FINE_TUNE` "
        "is false",
    ]
    compiled = [line.split("compiled at ")[1] for line in result.stdout.splitlines() if ": head " in line]
    assert compiled == ["line 6 -> HC101", "line 9 -> HC101", "line 14 -> clean"]
    assert "HC203" not in result.stdout  # the `mse` compiles are not checked


def test_a_notebook_compile_not_checked_names_its_cells(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    cells = [
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
         "source": [c]} for c in (
            "import keras\nm = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])",
            "m.compile(loss='mse')",
            "x = 1\nm.compile(loss='mae')\nm.fit(x, x)",
        )
    ]
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    result = cli("check", "--show-heads", "--output-format", "concise", str(path))
    assert (
        f"{path}:cell 2:1: compile of 'm' not checked: compiled again at cell 3, line 2 before it "
        "was trained" in result.stdout.splitlines()
    )


def test_a_detection_task_compile_is_named_not_silent(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    path = tmp_path / "detect.py"
    path.write_text(
        "import keras_cv\n"
        "model = keras_cv.models.RetinaNet.from_preset('resnet50_imagenet', num_classes=20)\n"
        "model.compile(classification_loss='focal', box_loss='smoothl1')\n"
        "model.compile(classification_loss='focal', box_loss='smoothl1', optimizer='adam')\n"
        "model.fit(ds)\n"
    )
    result = cli("check", "--show-heads", "--output-format", "concise", str(path))
    lines = result.stdout.splitlines()
    assert f"{path}:3: compile of 'model' not checked: compiled again at line 4 before it was " \
        "trained" in lines
    (finding,) = [line for line in lines if ": HC901 " in line]
    assert "compiled with `classification_loss=`/`box_loss=`" in finding
    assert "head rules do not apply" in finding
    assert [line.split("compiled at ")[1] for line in lines if ": head " in line] == ["line 4 -> HC901"]


WRAPPER = """\
import keras
from keras import layers


class AutoEncoder:
    def __init__(self, n):
        inputs = keras.Input((n,))
        outputs = layers.Dense(n, activation="softmax")(layers.Dense(32)(inputs))
        self.model = keras.Model(inputs, outputs)

    def compile(self, loss="binary_crossentropy"):
        self.model.compile(optimizer="adam", loss=loss)

    def train(self, x):
        self.compile("categorical_crossentropy")
        self.model.fit(x, x)


class Logger:
    def compile(self):
        return "log"


ae = AutoEncoder(784)
ae.compile()
ae.train(x)
Logger().compile()
"""


def test_a_compile_method_of_the_code_s_own_class_names_the_compile_it_runs(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    """`ae.compile()` calls a plain class's method, not Keras's: the Keras compile inside it is
    the one checked (its finding at the line the loss is written), and the call says so."""
    path = tmp_path / "wrapper.py"
    path.write_text(WRAPPER)
    result = cli("check", "--show-heads", "--output-format", "concise", str(path))
    lines = result.stdout.splitlines()
    own = "`{}.compile` is a method of the code's own class, not Keras's compile"
    assert [line for line in lines if " not checked: " in line and "own class" in line] == [
        f"{path}:25: compile of 'ae' not checked: {own.format('AutoEncoder')}: the compile it runs "
        "(line 12) is checked there",
        f"{path}:15: compile of 'self' not checked: {own.format('AutoEncoder')}: the compile it runs "
        "(line 12) is checked there",
        f"{path}:27: compile of 'Logger()' not checked: {own.format('Logger')}, and it compiles no "
        "model the reader sees",
    ]
    (head,) = [line for line in lines if ": head " in line]  # trained with the second compile
    assert "loss categorical_crossentropy (from_logits=False), metrics none; compiled at line 12 " \
        "-> clean" in head
    assert not [line for line in lines if ": HC" in line]


def test_a_compile_with_none_of_keras_s_arguments_says_it_is_not_keras_s(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    """`self.architecture.compile(model_name="ac")` on an object the reader does not know (a
    framework's model builder): no model's compile, but accounted for, not passed over."""
    path = tmp_path / "agent.py"
    path.write_text(
        "from rlk.models import DenseNN\n"
        "architecture = DenseNN(n_actions=2)\n"
        "built = architecture.compile(model_name='ac', layer_names=['a'])\n"
        "compiled = architecture.compile(optimizer='adam', loss='mse')\n"
    )
    result = cli("check", "--show-heads", "--output-format", "concise", str(path))
    lines = result.stdout.splitlines()
    assert f"{path}:3: compile of 'architecture' not checked: not Keras's compile: `model_name=`, " \
        "`layer_names=` are not among its arguments" in lines
    (head,) = [line for line in lines if ": head " in line]  # Keras's: the model, named
    assert head.endswith("loss mean_squared_error (from_logits=False), metrics none; compiled at "
                         "line 4 -> HC901")
