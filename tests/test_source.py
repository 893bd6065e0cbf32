"""Python sources: the models a training script builds, found with `ast` alone.

Each file in tests/data/source/ is a small training script; a `# expect: HC101, HC203` comment on a
line says which findings point at that line, and a file must produce exactly those (a line with no
marker, none). Bad and good models sit side by side in each file.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from keras_headcheck import check
from keras_headcheck.readers.source import read_heads

DATA = Path(__file__).parent / "data" / "source"
FIXTURES = sorted(DATA.glob("*.py"))
EXAMPLES = Path(__file__).parent.parent / "examples"
EXPECT = re.compile(r"expect:\s*([A-Z0-9, ]+)")


def expected(path: Path) -> set[tuple[int, str]]:
    found = set()
    for number, line in enumerate(path.read_text().splitlines(), 1):
        match = EXPECT.search(line)
        if match:
            found |= {(number, code.strip()) for code in match.group(1).split(",") if code.strip()}
    return found


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_fixture(path: Path) -> None:
    got = {(f.line, f.code) for f in check(str(path))}
    assert got == expected(path)


def write(tmp_path: Path, code: str, name: str = "train.py") -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(code))
    return str(path)


def codes(path: str) -> list[tuple[int, str]]:
    return sorted((f.line or 0, f.code) for f in check(path))


# --- the seed, end to end ---------------------------------------------------------------------
SEED = str(DATA / "seed000.py")
SEED_LINE = 16  # model.add(Dense(1, activation='softmax'))


def test_seed_head_form() -> None:
    (head,) = read_heads(SEED)
    assert (head.activation, head.units, head.loss_name) == ("softmax", 1, "mean_squared_error")
    assert (head.source.line, head.source.compile_line) == (SEED_LINE, 18)


def test_seed_agrees_with_its_saved_model() -> None:
    saved = EXAMPLES / "seed000_softmax_one_unit_mse.keras"
    if not saved.exists():
        pytest.skip("examples/ not present")
    assert sorted(f.code for f in check(SEED)) == sorted(f.code for f in check(str(saved)))


def test_seed_json_has_lines(cli: Any) -> None:
    result = cli("check", "--output-format", "json", SEED)
    assert result.returncode == 1
    assert [(f["code"], f["line"], f["filename"]) for f in result.findings] == [
        ("HC101", SEED_LINE, SEED),
        ("HC203", SEED_LINE, SEED),
    ]


@pytest.mark.parametrize("output_format", ["concise", "full"])
def test_reporters_print_file_and_line(cli: Any, output_format: str) -> None:
    result = cli("check", "--output-format", output_format, SEED)
    assert f"{SEED}:{SEED_LINE}" in result.stdout


def test_compile_findings_point_at_compile(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        import keras
        model = keras.Sequential([keras.layers.Dense(1)])
        model.compile(loss="mse", metrics=["accuracy"])
    """,
    )
    assert codes(path) == [(4, "HC301")]


# --- files that cannot be read ---------------------------------------------------------------
def test_invalid_python_is_reported_and_others_still_checked(cli: Any, tmp_path: Path) -> None:
    bad = write(tmp_path, "import keras\nmodel = keras.Sequential(\nfor\n", "broken.py")
    result = cli("check", "--output-format", "json", bad, SEED)
    assert result.returncode == 2
    errors = [line for line in result.stderr_lines if "broken.py" in line]
    assert len(errors) == 1 and "not valid Python" in errors[0] and "line 2" in errors[0]
    assert {f["code"] for f in result.findings} == {"HC101", "HC203"}


@pytest.mark.parametrize(
    "content", [b"x = 1\x00\n", b"\xff\xfe\x00garbage", b"# -*- coding: nope -*-\nx = 1\n"]
)
def test_undecodable_files_are_read_errors(cli: Any, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "odd.py"
    path.write_bytes(content)
    result = cli("check", "--output-format", "json", str(path))
    assert result.returncode == 2 and result.findings == []
    assert any("odd.py" in line for line in result.stderr_lines)


def test_directory_scan_includes_sources_and_notebooks(cli: Any, tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    write(tmp_path, (DATA / "seed000.py").read_text(), "pkg/train.py")
    write(tmp_path, "print('no keras here')\n", "pkg/util.py")
    cell = {
        "cell_type": "code",
        "metadata": {},
        "outputs": [],
        "execution_count": None,
        "source": [
            "import keras\n",
            "m = keras.Sequential([keras.layers.Dense(1, activation='softmax')])\n",
        ],
    }
    (tmp_path / "pkg" / "explore.ipynb").write_text(
        json.dumps({"cells": [cell], "nbformat": 4, "nbformat_minor": 5, "metadata": {}})
    )
    result = cli("check", "--output-format", "json", str(tmp_path))
    found = {(os.path.basename(f["filename"]), f["code"], f["line"]) for f in result.findings}
    assert found == {
        ("train.py", "HC101", SEED_LINE),
        ("train.py", "HC203", SEED_LINE),
        ("explore.ipynb", "HC101", 2),
    }


# --- never guess, never crash -------------------------------------------------------------------
@pytest.mark.parametrize(
    "code",
    [
        "",
        "# just a comment\n",
        "import re\npattern = re.compile('x')\nother.compile()\n",
        "def f(n):\n    return f(n - 1)\nf(3)\n",
        "while True:\n    pass\n",
        "x = [i for i in range(10)]\ny = {**x}\nz = x[::2]\n",
        "import keras\nm = keras.Sequential()\nm.compile(loss='mse')\n",  # compiled, never given a layer
        "import keras\nm = keras.Model()\n",
        "from keras import *\nmodel = Sequential([layers.Dense(*shape)])\n",
        "import keras\ninputs = keras.Input(shape=(4,))\nx = inputs\nfor _ in range(3):\n    x = keras.layers.Dense(4)(x)\nm = keras.Model(inputs, x)\n",
        "class A:\n    def build(self):\n        self.model = make()\n        self.model.compile(loss=self.loss)\n",
        "x = " + "+".join(["1"] * 2500) + "\n",
    ],
)
def test_odd_code_gives_no_finding(tmp_path: Path, code: str) -> None:
    assert [c for c in codes(write(tmp_path, code)) if c[1] not in ("HC901", "HC902")] == []


def test_runtime_values_are_not_guessed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        import sys
        import keras
        n = int(sys.argv[1])
        axis = int(sys.argv[2])
        a = keras.Sequential([keras.layers.Dense(n, activation="softmax")])
        b = keras.Sequential([keras.layers.Dense(1), keras.layers.Softmax(axis=axis)])
        c = keras.Sequential([keras.layers.Dense(2), keras.layers.Dense(1), keras.layers.Softmax(axis=1)])
        d = keras.Sequential([keras.layers.Dense(1, activation="softmax")])
        d.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=sys.argv[3] == "1"))
    """,
    )
    # a: units unknown; b: axis unknown (HC901); c: axis 1 of an input of unknown rank; d: HC101
    # only, and the loss (its from_logits unknown) cannot be interpreted (HC902).
    assert codes(path) == [(7, "HC901"), (9, "HC101"), (10, "HC902")]


def test_model_built_twice_by_one_function_reported_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        import keras
        def build():
            return keras.Sequential([keras.layers.Dense(1, activation="softmax")])
        first, second = build(), build()
    """,
    )
    assert codes(path) == [(4, "HC101")]


def test_reading_sources_imports_no_ml_framework(tmp_path: Path) -> None:
    script = (
        "import sys\nfrom keras_headcheck import check\n"
        f"assert check({SEED!r})\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras', 'tf_keras', 'jax', 'torch')]\n"
        "assert not heavy, heavy\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr


def test_builder_imported_from_the_scripts_tree_is_followed(tmp_path: Path) -> None:
    (tmp_path / "models.py").write_text(
        "import keras\n"
        "def build_model(n):\n"
        "    return keras.Sequential([keras.layers.Dense(n, activation='softmax')])\n"
        "demo = build_model(1)\n"
        "demo.compile(loss='mse')  # linted as its own file, not as part of train.py\n"
    )
    train = write(tmp_path, "from models import build_model\n"
                  "model = build_model(1)\nmodel.compile(loss='binary_crossentropy')\n"
                  "fine = build_model(3)\nfine.compile(loss='categorical_crossentropy')\n")
    assert codes(train) == [(1, "HC101")]  # the line that brings the builder in


NETS = (
    "import keras\n"
    "def discriminator(n, activation='sigmoid'):\n"
    "    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(n, activation=activation)])\n"
)


def test_a_module_imported_as_a_name_is_followed(tmp_path: Path) -> None:
    """`from lib import nets` (a folder without __init__.py, as Python 3 allows), `import nets`
    and `from . import nets`: `nets.discriminator(...)` runs the module's function."""
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "nets.py").write_text(NETS)
    (tmp_path / "nets.py").write_text(NETS)
    for imported in ("from lib import nets", "import nets", "from . import nets", "import nets as n"):
        name = "n" if imported.endswith(" n") else "nets"
        train = write(tmp_path, f"{imported}\n"
                      f"model = {name}.discriminator(1, activation='softmax')\n"
                      "model.compile(loss='binary_crossentropy')\n"
                      f"fine = {name}.discriminator(1)\n"
                      "fine.compile(loss='binary_crossentropy')\n")
        assert codes(train) == [(1, "HC101")], imported


def test_a_directory_the_script_adds_to_sys_path_is_searched(tmp_path: Path) -> None:
    """A book's scripts, one folder per chapter, share `../lib`: `sys.path.append("..")` (taken
    relative to the script's folder, where it is run) makes `from lib import nets` find it; an
    absolute path is not followed."""
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "nets.py").write_text(NETS)
    (tmp_path / "chapter5").mkdir()
    script = "import sys\nsys.path.{add}\nfrom lib import nets\n" \
             "model = nets.discriminator(1, activation='softmax')\n" \
             "model.compile(loss='binary_crossentropy')\n"
    for add in ('append("..")', 'insert(0, "..")'):
        train = write(tmp_path / "chapter5", script.format(add=add))
        assert codes(train) == [(3, "HC101")], add
    train = write(tmp_path / "chapter5", script.format(add=f'append("{tmp_path}")'))
    assert codes(train) == [(5, "HC901")]  # not followed: a model this file does not build
    (finding,) = check(train)
    assert "a model returned by `lib.nets.discriminator`, not followed" in finding.message


def test_a_model_from_a_function_the_reader_does_not_follow_is_named_by_that_function(
    tmp_path: Path,
) -> None:
    """Another library's builder (one with no table), or one of a module not in the linted tree,
    through a function of the file: the HC901 names the function that made the model."""
    train = write(tmp_path, "from unet_zoo import models\n"
                  "from simple_multi_unet_model import multi_unet_model\n"
                  "unet = models.unet((256, 256, 3), n_labels=2)\n"
                  "unet.compile(loss='binary_crossentropy', optimizer='adam')\n"
                  "def get_model():\n"
                  "    return multi_unet_model(n_classes=4)\n"
                  "model = get_model()\n"
                  "model.compile(optimizer='adam', loss='categorical_crossentropy')\n")
    found = check(train)
    assert [(f.line, f.code) for f in found] == [(4, "HC901"), (8, "HC901")]
    made_by = ("unet_zoo.models.unet", "simple_multi_unet_model.multi_unet_model")
    for finding, maker in zip(found, made_by):
        assert f"a model returned by `{maker}`, not followed" in finding.message


GAN_MODULE = """
from tensorflow import keras


def define_gan(g_model, d_model, latent_dim):
    d_model.trainable = False
    stacked = keras.Sequential([g_model, d_model])
    stacked.compile(loss="binary_crossentropy", optimizer="adam")
    z = keras.Input(shape=(latent_dim,))
    model = keras.Model(z, d_model(g_model(z)))
    model.compile(loss="binary_crossentropy", optimizer="adam")
    return model


def train(d_model):
    d_model.compile(loss="binary_crossentropy", optimizer="adam")
"""


def test_a_model_from_a_parameter_of_a_function_nothing_calls_is_named_by_it(
    tmp_path: Path,
) -> None:
    """A GAN module's builders take the parts as parameters and nothing in the module calls them:
    each HC901 names the parameter and its function (the script that calls them checks them)."""
    module = write(tmp_path, GAN_MODULE, "gan.py")
    found = check(module)
    assert [(f.line, f.code) for f in found] == [(7, "HC901"), (10, "HC901"), (16, "HC901")]
    for finding, function in zip(found, ("define_gan", "define_gan", "train")):
        assert f"`d_model`, a parameter of `{function}`, which nothing in this file calls" in (
            finding.message)
    train = write(tmp_path, """
        from tensorflow import keras
        from gan import define_gan
        g = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4, activation="tanh")])
        d = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="softmax")])
        gan = define_gan(g, d, 8)
        gan.fit(x, y)
        """)
    assert codes(train) == [(5, "HC101")]  # where it is called, the parts are read
STAR_IMPORTS = """
from tensorflow.keras.models import Model
from tensorflow.keras.layers import *
from tensorflow.keras.applications.vgg16 import *


def classifier(classes):
    return VGG16(include_top=True, weights=None, classes=classes)


def segmenter(classes):
    inputs = Input(shape=(224, 224, 3))
    features = VGG16(include_top=False, weights=None, input_tensor=inputs)
    x = features.get_layer("block5_pool").output
    x = Conv2DTranspose(classes, 64, strides=32, padding="same", name="upscaled")(x)
    return Model(inputs, Activation("softmax")(x))
"""


def test_star_imports_name_what_each_module_exports_in_the_module_that_imports_them(
    tmp_path: Path,
) -> None:
    """`VGG16` is the applications module's, `Conv2D` the layers' (whichever star import comes
    first), and a function of an imported module finds them when the script calls it, long
    after the import (a book's `fcn.py`)."""
    (tmp_path / "nets.py").write_text(STAR_IMPORTS)
    train = write(tmp_path, "from nets import classifier, segmenter\n"
                  "model = classifier(1)\n"
                  "model.compile(loss='binary_crossentropy')\n"
                  "fcn = segmenter(1)\n"
                  "fcn.compile(loss='binary_crossentropy')\n")
    heads = [(h.layer, h.activation, h.units) for h in read_heads(train)]
    assert heads == [("predictions", "softmax", 1), ("activation", "softmax", 1)]
    assert codes(train) == [(1, "HC101")]  # both at the import line: reported once
    script = write(tmp_path, STAR_IMPORTS + "model = classifier(1)\nmodel.compile(loss='mse')\n")
    assert codes(script) == [(8, "HC101"), (8, "HC203")]  # softmax over one class, under MSE


def test_a_module_of_the_scripts_tree_is_run_once_however_often_it_is_imported(
    tmp_path: Path,
) -> None:
    """As in Python, a second import gets the same module: what a function of it changed since
    the first import (the activation its builder uses) holds, instead of the module run afresh."""
    (tmp_path / "heads.py").write_text(
        "import keras\n"
        "ACTIVATION = ['softmax']\n"
        "def binary():\n"
        "    ACTIVATION[0] = 'sigmoid'\n"
        "def build():\n"
        "    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation=ACTIVATION[0])])\n"
    )
    train = write(tmp_path, """\
        from heads import binary
        binary()
        from heads import build
        model = build()
        model.compile(loss="binary_crossentropy")
        model.fit(x, y)
    """)
    assert codes(train) == []


def test_model_loaded_from_a_file_next_to_the_script_is_linted_at_its_compile(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "seed000_softmax_one_unit_mse.keras", tmp_path / "saved.keras")
    train = write(tmp_path, "import keras\n"
                  "model = keras.models.load_model('saved.keras')\n"
                  "model.compile(loss='binary_crossentropy')\n"
                  "kept = keras.models.load_model('saved.keras')\n"
                  "kept.compile(optimizer='adam')\n"
                  "gone = keras.models.load_model('missing.keras')\n"
                  "gone.compile(loss='mse')\n")
    assert codes(train) == [(3, "HC101"), (5, "HC101"), (5, "HC203"), (6, "HC901")]
    (missing,) = [f for f in check(train) if f.code == "HC901"]
    assert "missing.keras" in missing.message


def test_known_losses_are_named_as_written() -> None:
    """A loss function of the file read as the Keras loss it returns, and a loss a train_step
    applies itself, are named in messages by what the user wrote and where."""
    disguised = [f.message for f in check(str(DATA / "disguised_losses.py")) if f.code == "HC201"]
    for written in ("`loss`", "`masked_loss`", "`NonPaddingLoss`"):
        assert any(f"{written} (sparse_categorical_crossentropy) with from_logits=True" in m
                   for m in disguised), written
    assert any("`KeptLoss` (binary_crossentropy) with from_logits=True" in m for m in disguised)
    applied = {f.code: f.message for f in check(str(DATA / "trainer_known_loss.py"))}
    assert "`self.loss_fn` (sparse_categorical_crossentropy) in `ObjectLoss.train_step`" in applied["HC201"]
    assert "the Keras loss it applies to `critic` is checked there" in applied["HC901"]


def test_written_out_regression_losses_are_named_as_written() -> None:
    """A regression loss written out as math is named by the function and the form it has, so a
    Charbonnier loss is not called MAE in its message, nor a penalised MSE plain MSE."""
    messages = [f.message for f in check(str(DATA / "written_losses.py")) if f.code == "HC203"]
    for written in ("`custom_mse` (mean_squared_error)", "`rmse` (the root of mean_squared_error)",
                    "`charbonnier` (Charbonnier, a smooth mean_absolute_error)",
                    "`PenalisedMSE` (mean_squared_error, plus a penalty on the predictions)",
                    "`Wrapped` (mean_squared_error, plus a penalty on the predictions)",
                    "`huber_fn` (huber)", "`huber` (huber)", "`Huber` (huber)",
                    "`traced_mse` (mean_squared_error)"):
        assert any(written in m for m in messages), written
    # Each function of the two `unread` loops is a head of its own whose loss stays unknown (the
    # HC902 findings of one loop share a line, so they are counted on the heads).
    unread = [h for h in read_heads(str(DATA / "written_losses.py")) if h.loss_name is None]
    assert len(unread) == 11
    summed = [f.message for f in check(str(DATA / "trainer_summed_loss.py")) if f.code == "HC202"]
    assert any("(binary_crossentropy) in `Vae.train_step`" in m for m in summed)


def test_a_model_loaded_from_where_the_file_saved_it_is_that_model() -> None:
    path = str(DATA / "save_then_load.py")
    heads = read_heads(path)
    restored = [h for h in heads if h.output == "dense"]
    # the saved model, the loaded one compiled as saved, and the loaded one compiled again
    assert [(h.loss.from_logits, h.source.compile_line) for h in restored] == [(True, 6), (True, 6), (False, 12)]
    assert heads.unchecked == ()


def test_the_compile_a_loaded_model_was_saved_with_is_not_listed_as_its_own(tmp_path: Path) -> None:
    path = write(tmp_path, """\
        import keras
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
        model.compile(loss="mse")
        model.save("m.keras")
        loaded = keras.models.load_model("m.keras")
        loaded.compile(loss="mae")
        loaded.fit(x, y)
    """)
    heads = read_heads(path)
    assert [(h.loss_name, h.source.compile_line) for h in heads] == [
        ("mean_squared_error", 3), ("mean_absolute_error", 6)]
    assert heads.unchecked == ()  # line 3 is the saved model's compile, checked there


CLEARED = """
import keras
keras.backend.clear_session()  # (the test process has made layers before)
a = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(1)])
keras.backend.clear_session()
b = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2), keras.layers.Dense(1)])
for m in (a, b):
    m.compile(loss="mse")
"""


def test_clear_session_starts_default_layer_names_again(tmp_path: Path) -> None:
    """Keras names layers "dense", "dense_1"... until `keras.backend.clear_session()`, which
    starts again: the source reader names heads as the real models name their layers."""
    path = tmp_path / "cleared.py"
    path.write_text(CLEARED)
    namespace: dict[str, Any] = {}
    exec(compile(CLEARED, str(path), "exec"), namespace)  # the same script, run by Keras
    real = [namespace[m].layers[-1].name for m in ("a", "b")]
    assert [h.layer for h in read_heads(str(path))] == real == ["dense_1", "dense_1"]



COUNTED = """
import keras
from keras import layers
base = keras.Sequential([keras.Input((8,)), layers.Dense(4, activation="relu"), layers.Dense(2)])
head = keras.Sequential([keras.Input((8,)), layers.Dense(len(base.layers), activation="softmax")])
head.compile(loss="categorical_crossentropy")
"""


def test_a_sequentials_layers_leave_out_its_input_layer(tmp_path: Path) -> None:
    """`model.layers` of a Sequential started with `keras.Input` lists its layers without the
    InputLayer, as Keras does (a feature extractor over `[l.output for l in model.layers]`
    would otherwise get the input as an output)."""
    path = tmp_path / "counted.py"
    path.write_text(COUNTED)
    namespace: dict[str, Any] = {}
    exec(compile(COUNTED, str(path), "exec"), namespace)  # the same script, run by Keras
    real = namespace["head"].layers[-1].units
    (head,) = [h for h in read_heads(str(path)) if h.loss is not None and h.loss.name]
    assert head.units == real == 2


def test_a_model_compiled_again_in_a_loop_is_one_head() -> None:
    """tests/data/source/loops.py compiles `again` twice, the same way, in an unrolled loop."""
    heads = [h for h in read_heads(str(DATA / "loops.py")) if h.source.model == "again"]
    assert len(heads) == 1 and heads[0].loss is not None
    assert heads[0].loss.name == "binary_crossentropy"



def test_a_library_instance_is_not_taken_for_one_that_lent_it_its_id() -> None:
    """CPython reuses the id of a freed object: a library model made and dropped (in a loop, a
    branch, a function's run) must not lend its model to the next instance given that id."""
    from keras_headcheck.readers.source.interpreter import Interpreter
    from keras_headcheck.readers.source.values import Layer, Span

    reader = Interpreter("loop.py")
    first = Layer("CalibratedLattice", "tensorflow_lattice.premade", {}, Span(1, 1), "lattice")
    dropped_id, model = id(first), reader.foreign_model(first)
    del first
    for _ in range(10_000):  # an instance of the same size soon takes a freed id
        other = Layer("CalibratedLatticeEnsemble", "tensorflow_lattice.premade", {}, Span(2, 2), "ensemble")
        if id(other) == dropped_id:
            break
    assert reader.foreign_model(other) is not model
    assert "CalibratedLatticeEnsemble" in reader.foreign_model(other).what


def test_methods_of_a_class_another_module_defines_run_only_when_the_script_calls_them(
    tmp_path: Path,
) -> None:
    """A framework's base class (`from models_c import Composable`, its `training()` compiling
    with whatever loss it is given): the script's subclass builds the model, and only what the
    script calls runs. The base class's other methods are that module's, linted as its own file,
    not findings at the script's import line."""
    (tmp_path / "models_c.py").write_text(
        "class Composable:\n"
        "    def compile(self, loss='categorical_crossentropy'):\n"
        "        self.model.compile(optimizer='adam', loss=loss)\n"
        "    def training(self, x, y, loss):\n"
        "        self.compile(loss=loss)\n"
        "        self.model.fit(x, y)\n"
    )
    train = write(tmp_path, """\
        import keras
        from models_c import Composable

        class Net(Composable):
            def __init__(self, units, activation):
                inputs = keras.Input((8,))
                self.model = keras.Model(inputs, keras.layers.Dense(units, activation=activation)(inputs))

        net = Net(1, "softmax")
        net.compile(loss="binary_crossentropy")
        net.model.fit(x, y)
    """)
    assert codes(train) == [(7, "HC101")]  # (before: an HC901 at line 2, the import, as well)


def test_an_unknown_callable_made_by_a_call_is_named_after_its_function(tmp_path: Path) -> None:
    path = write(tmp_path, """\
        import keras
        from elsewhere import wrap
        x = keras.Input((3,))
        y = wrap(keras.layers.Dense(2), input_shape=(None, 3 * 2), name="tags")(x)
        model = keras.Model(x, y)
        model.compile(loss="mse")
    """)
    (finding,) = check(path)
    assert finding.code == "HC901" and finding.message.startswith("output `wrap` comes from `wrap`")


def test_a_model_built_from_names_nothing_binds_says_which(tmp_path: Path) -> None:
    """`inputs` and `outputs` exist only inside `make()`: the model built from them at the top
    level names the one it cannot see, rather than "code the reader does not follow"."""
    path = write(tmp_path, """\
        import keras

        def make():
            inputs = keras.Input((4,))
            outputs = keras.layers.Dense(3, activation="softmax")(inputs)
            return keras.Model(inputs, outputs)

        model = keras.Model(inputs, outputs)
        model.compile(loss="sparse_categorical_crossentropy")
        model.fit(x, y)
    """)
    hc901 = [f.message for f in check(path) if f.code == "HC901"]
    assert len(hc901) == 1 and "(`outputs`, which no code read before this line assigns)" in hc901[0]
