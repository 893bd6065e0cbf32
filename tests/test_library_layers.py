"""Library layers whose heads the tables in keras_headcheck/knowledge know (keras_hub's
`MaskedLMHead`) read alike in a script, a saved file and a live model; the tables hold what the
installed library does. (tests/data/source/library_layers.py holds the source fixtures of every
library layer and model of issue 10 item 4, with their expected findings.)"""

from __future__ import annotations

import inspect
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import keras_headcheck
from keras_headcheck.knowledge import keras_hub as hub_table
from keras_headcheck.readers import read_heads

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def _head(head: Any) -> tuple[Any, ...]:
    final = head.chain[0]
    loss = head.loss
    return (final.class_name, final.role, final.activation, final.shape, loss.name if loss else None,
            loss.from_logits if loss else None)


def test_masked_lm_head_table_matches_the_installed_layer() -> None:
    keras_hub = pytest.importorskip("keras_hub")
    params = inspect.signature(keras_hub.layers.MaskedLMHead.__init__).parameters
    listed = [p for p in params if params[p].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD][1:]
    assert listed[: len(hub_table.LAYERS["MaskedLMHead"])] == list(hub_table.LAYERS["MaskedLMHead"])
    assert params["activation"].default is None  # logits unless told otherwise


# --- MaskedLMHead in a script, saved and live ---------------------------------------------------
# key -> (the head's construction in the script, the loss, the expected codes)
MLM = {
    "probs_as_logits": ("token_embedding=emb, activation='softmax'",
                        "keras.losses.SparseCategoricalCrossentropy(from_logits=True)", ["HC201"]),
    "logits": ("vocabulary_size=20", "keras.losses.SparseCategoricalCrossentropy(from_logits=True)", []),
    "logits_as_probs": ("vocabulary_size=20", "'sparse_categorical_crossentropy'", ["HC202"]),
}


def _script(head_args: str, loss: str) -> str:
    return (
        "import keras\nimport keras_hub\n"
        "emb = keras_hub.layers.ReversibleEmbedding(20, 8)\n"
        "tokens = keras.Input((6,), dtype='int32')\npositions = keras.Input((2,), dtype='int32')\n"
        f"out = keras_hub.layers.MaskedLMHead({head_args})(emb(tokens), mask_positions=positions)\n"
        "model = keras.Model([tokens, positions], out)\n"
        f"model.compile(loss={loss})\n"
    )


@pytest.fixture(scope="module")
def mlm_models(tmp_path_factory: Any) -> dict[str, Any]:
    pytest.importorskip("keras_hub")
    root = tmp_path_factory.mktemp("masked_lm")
    models: dict[str, Any] = {"root": root}
    for key, (head_args, loss, _) in MLM.items():
        script = root / f"{key}.py"
        script.write_text(_script(head_args, loss))
        scope: dict[str, Any] = {}
        exec(compile(script.read_text(), str(script), "exec"), scope)  # the script, run for real
        scope["model"].save(root / f"{key}.keras")
        models[key] = scope["model"]
    return models


@pytest.mark.parametrize("key", sorted(MLM))
def test_masked_lm_head_reads_alike_in_a_script_saved_and_live(key: str, mlm_models: dict[str, Any]) -> None:
    from keras_headcheck.readers.live import read_live_heads

    root = mlm_models["root"]
    (in_script,), (in_file,), (live,) = (read_heads(str(root / f"{key}.py")),
                                         read_heads(str(root / f"{key}.keras")),
                                         read_live_heads(mlm_models[key]))
    assert _head(in_file) == _head(live)
    if "token_embedding" in MLM[key][0]:  # its width is the embedding's, which a script does not show
        assert _head(in_script)[3] == (None, None, None)
        in_script = replace(in_script, chain=(replace(in_script.chain[0], shape=(None, None, 20)),))
    assert _head(in_script) == _head(in_file)
    activation = "softmax" if "softmax" in MLM[key][0] else "linear"
    assert _head(live)[:4] == ("MaskedLMHead", "weighted", activation, (None, None, 20))
    for target in (str(root / f"{key}.py"), str(root / f"{key}.keras"), mlm_models[key]):
        assert [f.code for f in keras_headcheck.check(target)] == MLM[key][2]


def test_masked_lm_head_with_an_activation_not_known_is_named(tmp_path: Path) -> None:
    script = tmp_path / "train.py"
    script.write_text(_script("vocabulary_size=20, activation=choose()", "'sparse_categorical_crossentropy'"))
    (finding,) = keras_headcheck.check(str(script))
    assert finding.code == "HC901" and "keras_hub.layers.MaskedLMHead" in finding.message


def test_a_gaussian_process_covariance_output_is_never_read_as_its_logits(tmp_path: Path) -> None:
    script = tmp_path / "train.py"
    script.write_text(
        "import keras\nimport official.nlp.modeling.layers as nlp_layers\n"
        "x = keras.Input((4,))\n"
        "logits, covmat = nlp_layers.RandomFeatureGaussianProcess(3)(x)\n"
        "model = keras.Model(x, [logits, covmat])\n"
        "model.compile(loss=['sparse_categorical_crossentropy', 'mse'])\n"
    )
    found = sorted((f.code, f.message) for f in keras_headcheck.check(str(script)))
    assert [code for code, _ in found] == ["HC202", "HC901"]
    assert "covariance matrix" in found[1][1]
