"""transformers' TensorFlow models, built for real from tiny configs (no download): the head read
from a script, from the model saved as `.keras` (a constructor config, no layer graph) and from
the live model is the same, every output of it, with the loss the model really trains with.

transformers' TF classes run on tf_keras (`TF_USE_LEGACY_KERAS=1`, set before TensorFlow is
imported), so the models are built and checked live in a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import keras_headcheck
from keras_headcheck.readers import read_heads

BUILD = textwrap.dedent(
    """
    import json, os, sys
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    import numpy as np
    import tf_keras
    import transformers
    import keras_headcheck
    from keras_headcheck.readers.live import read_live_heads

    root = sys.argv[1]
    tiny = dict(vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                intermediate_size=16, max_position_embeddings=32)
    cases = {
        "qa_string_loss": ("TFBertForQuestionAnswering", {}, "'sparse_categorical_crossentropy'"),
        "qa_own_loss": ("TFBertForQuestionAnswering", {}, None),
        "classifier_probabilities": ("TFBertForSequenceClassification", {"num_labels": 3},
                                     "'categorical_crossentropy'"),
        "classifier_logits": ("TFBertForSequenceClassification", {"num_labels": 3},
                              "tf_keras.losses.SparseCategoricalCrossentropy(from_logits=True)"),
        # a language model not named For<Task>: logits over the vocabulary
        "lm_head_own_loss": ("TFBertLMHeadModel", {"is_decoder": True}, None),
        "lm_head_string_loss": ("TFBertLMHeadModel", {"is_decoder": True},
                                "'sparse_categorical_crossentropy'"),
    }
    out = {}
    for key, (cls, extra, loss) in cases.items():
        model = getattr(transformers, cls)(transformers.BertConfig(**tiny, **extra))
        model(np.zeros((1, 8), dtype="int32"))
        model.compile(optimizer="adam", **({} if loss is None else {"loss": eval(loss)}))
        model.save(os.path.join(root, key + ".keras"))
        heads = read_live_heads(model)
        out[key] = {"class": cls, "extra": extra, "loss": loss,
                    "heads": [[h.output, h.activation, h.units, h.loss.name if h.loss else None,
                               h.loss.from_logits if h.loss else None] for h in heads],
                    "codes": sorted(f.code for f in keras_headcheck.check(model))}
    with open(os.path.join(root, "live.json"), "w") as f:
        json.dump(out, f)
    """
)
EXPECTED = {
    "qa_string_loss": ["HC202", "HC202"],  # start_logits and end_logits are logits
    "qa_own_loss": [],  # compile(loss=None): its own crossentropy on the logits
    "classifier_probabilities": ["HC202"],
    "classifier_logits": [],
    "lm_head_own_loss": [],
    "lm_head_string_loss": ["HC202"],
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    root = tmp_path_factory.mktemp("transformers")
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore"}
    run = subprocess.run([sys.executable, "-c", BUILD, str(root)], capture_output=True, text=True,
                         env=env, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    return root, json.loads((root / "live.json").read_text())


def _heads(target: str) -> list[list[Any]]:
    return [[h.output, h.activation, h.units, h.loss.name if h.loss else None,
             h.loss.from_logits if h.loss else None] for h in read_heads(target)]


def _script(root: Path, key: str, case: dict[str, Any]) -> str:
    """The same model as people write it: from a pretrained checkpoint."""
    config = "".join(f", {k}={v!r}" for k, v in case["extra"].items())
    loss = "" if case["loss"] is None else f", loss={case['loss']}"
    path = root / f"{key}.py"
    path.write_text(
        "import tf_keras\nimport transformers\n"
        f"model = transformers.{case['class']}.from_pretrained('bert-base-uncased'{config})\n"
        f"model.compile(optimizer='adam'{loss})\n"
    )
    return str(path)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_a_transformers_model_reads_alike_in_a_script_saved_and_live(
    key: str, built: tuple[Path, dict[str, Any]]
) -> None:
    root, live = built
    case = live[key]
    saved = str(root / f"{key}.keras")
    script = _script(root, key, case)
    assert _heads(saved) == case["heads"], "saved file against the live model"
    assert _heads(script) == case["heads"], "script against the live model"
    assert len(case["heads"]) == (2 if case["class"].endswith("QuestionAnswering") else 1)
    for codes in (case["codes"], sorted(f.code for f in keras_headcheck.check(saved))):
        assert codes == EXPECTED[key]
    # in a script both outputs' finding points at the one compile line: reported once
    assert sorted({f.code for f in keras_headcheck.check(script)}) == sorted(set(EXPECTED[key]))


def test_the_saved_classifier_knows_its_classes(built: tuple[Path, dict[str, Any]]) -> None:
    root, live = built
    # a saved transformers config holds id2label, not num_labels
    assert [h[2] for h in live["classifier_logits"]["heads"]] == [3]
    assert [h[2] for h in _heads(str(root / "classifier_logits.keras"))] == [3]
