"""Models called inside models (tests/nesting.py, in the zoo as `nested_*`): every saved format and
the live model resolve to the same layer graph, each nested call is expanded once per call, and
the head is found through the nested models' outputs.

The findings of each case in each format are checked by test_rules_saved.py, and live against the
saved file by test_live.py (Keras 3); this file checks the graph itself, the tf_keras live path,
and that a live model that cannot be read gives an HC901 finding instead of raising.
"""

from __future__ import annotations

import json
import os
import warnings
from collections import Counter
from typing import Any

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
keras = pytest.importorskip("keras")

import nesting
from nesting import graph_signature
from zoo import CASES, FORMATS, Case, dense, nested

from keras_headcheck import check
from keras_headcheck.callback import HeadCheck, HeadCheckWarning
from keras_headcheck.readers.containers import read_saved
from keras_headcheck.readers.graph import Graph, model_outputs

NESTED = [case for case in CASES if any(case.name.startswith(f"nested_{b}_") for b in nesting.BUILDERS)]
SAVED = [pytest.param(case, lib, id=f"{case.name}-{lib}") for case in NESTED for lib in case.libs]
LIBRARIES = {"keras3": "keras", "keras2": "tf_keras"}

# Dense calls in each model besides the head's one: a nested model's layers count once per call.
BODY_DENSE_CALLS = {
    "functional_once": 2,  # base: 2 layers, called once
    "functional_twice": 3,  # tower (1) twice, then the merge layer
    "layer_on_its_own_output": 6,  # twice(twice(x)), then inner (shared(shared)) twice
    "shared_across_levels": 4,  # shared, sub (shared + sub_dense), shared
    "depth_three_reused": 4,  # inner (1) twice in middle, middle twice in top
    "multi_io": 5,  # sub (wide + narrow) twice, and aux
    "functional_in_sequential": 2,
    "sequential_in_functional_in_sequential": 2,  # mid_dense, bottom_dense
    "sequential_called_twice": 4,  # eager (1) twice, lazy (1) twice
    "base_with_second_branch": 1,  # meta_dense (the base is a Conv2D)
}
# From the head's logits layer back to the model input, first input of each call (input left out).
WALKS = {
    "layer_on_its_own_output": [
        "logits", "inner#1/shared_inner#1", "inner#1/shared_inner", "inner/shared_inner#1",
        "inner/shared_inner", "twice#1", "twice",
    ],
    "depth_three_reused": [
        "top/logits", "top/middle#1/inner#1/inner_dense0", "top/middle#1/inner/inner_dense0",
        "top/middle/inner#1/inner_dense0", "top/middle/inner/inner_dense0",
    ],
    "multi_io": ["logits", "sub#1/wide", "sub#1/both", "sub/wide", "sub/both"],
    "sequential_in_functional_in_sequential": ["middle/bottom/logits", "middle/bottom/bottom_dense", "middle/mid_dense"],
    "sequential_called_twice": ["logits", "sum", "eager#1/eager_dense", "eager/eager_dense"],
    "base_with_second_branch": ["logits", "drop", "features", "conv_base/pool", "conv_base/conv"],
}


def _builder(case: Case) -> str:
    return next(name for name in nesting.BUILDERS if case.name.startswith(f"nested_{name}_"))


def _live_config(case: Case, lib: str) -> dict[str, Any]:
    model = case.build(pytest.importorskip(LIBRARIES[lib]))
    return json.loads(model.to_json())


def _walk(graph: Graph, key: int) -> list[str]:
    names = []
    while graph.nodes[key].inputs:
        names.append(graph.nodes[key].name)
        key = graph.nodes[key].inputs[0]
    return names


@pytest.mark.parametrize("case, lib", SAVED)
def test_every_format_and_the_live_model_give_the_same_graph(case: Case, lib: str, zoo_models: Any) -> None:
    live = graph_signature(_live_config(case, lib))
    for fmt in FORMATS[lib]:
        assert zoo_models.problem(case.name, lib, fmt) is None, zoo_models.problem(case.name, lib, fmt)
        assert graph_signature(read_saved(zoo_models.path(case.name, lib, fmt)).model) == live, fmt
    dense_calls = Counter(cls for _, cls, _ in live)["Dense"]
    assert dense_calls == BODY_DENSE_CALLS[_builder(case)] + 1


@pytest.mark.parametrize("case, lib", [p for p in SAVED if p.values[0].name.endswith("_cce")
                                         and _builder(p.values[0]) in WALKS])
def test_the_head_is_found_through_the_nested_outputs(case: Case, lib: str, zoo_models: Any) -> None:
    walk = WALKS[_builder(case)]
    graph, outputs = model_outputs(read_saved(zoo_models.path(case.name, lib, "keras")).model)
    head = dict(outputs).get("head", outputs[0][1])
    assert _walk(graph, graph.nodes[head].inputs[0]) == walk


def _rows(findings: Any) -> set[tuple[str, str, str, str]]:
    return {(f.code, f.severity, f.output, f.layer) for f in findings}


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in NESTED if "keras2" in c.libs])
def test_tf_keras_live_model_gives_the_findings_of_its_saved_files(case: Case, zoo_models: Any) -> None:
    live = check(case.build(pytest.importorskip("tf_keras")))
    assert {(f.code, f.severity) for f in live} == set(case.expect.items()), [f.message for f in live]
    for fmt in FORMATS["keras2"]:
        assert _rows(check(zoo_models.path(case.name, "keras2", fmt))) == _rows(live), fmt


def _too_deep(monkeypatch: Any) -> Any:
    """A real model the walker refuses: nested deeper than KERAS_HEADCHECK_MAX_MODEL_NESTING."""
    monkeypatch.setenv("KERAS_HEADCHECK_MAX_MODEL_NESTING", "1")
    return nested("depth_three_reused", dense(1, "softmax"), "mse")(keras)


def test_a_live_model_that_cannot_be_read_gives_hc901_saying_why(monkeypatch: Any) -> None:
    model = _too_deep(monkeypatch)
    (finding,) = check(model)
    assert (finding.code, finding.output) == ("HC901", model.name)
    assert "could not be read: models nested more than 1 levels deep" in finding.message


def test_headcheck_warns_with_the_reason_a_live_model_cannot_be_read(monkeypatch: Any) -> None:
    import numpy as np

    model = _too_deep(monkeypatch)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(np.zeros((4, 8)), np.zeros((4, 1)), epochs=1, verbose=0, callbacks=[HeadCheck()])
    messages = [str(w.message) for w in caught if issubclass(w.category, HeadCheckWarning)]
    assert any(m.startswith("HC901") and "models nested more than 1 levels deep" in m for m in messages), messages


def test_headcheck_finds_the_head_of_a_transfer_learning_model() -> None:
    """The issue's model: `HeadCheck` in `fit` said nothing about a one-unit softmax on a base."""
    import numpy as np

    base = keras.applications.MobileNetV3Small(include_top=False, weights=None, input_shape=(32, 32, 3),
                                               pooling="avg")
    inputs = keras.Input((32, 32, 3))
    model = keras.Model(inputs, keras.layers.Dense(1, activation="softmax")(base(inputs)))
    model.compile(optimizer="adam", loss="binary_crossentropy")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(np.zeros((2, 32, 32, 3)), np.zeros((2, 1)), epochs=1, verbose=0, callbacks=[HeadCheck()])
    messages = [str(w.message) for w in caught if issubclass(w.category, HeadCheckWarning)]
    assert any(m.startswith("HC101 [error]") for m in messages), messages


def _renumber(config: dict[str, Any], layer: str, node: int) -> dict[str, Any]:
    """The config with every reference to `layer` in the top-level calls set to node `node`."""
    text = json.dumps(config)
    for old in range(3):
        text = text.replace(f'["{layer}", {old}, 0', f'["{layer}", {node}, 0')
    return json.loads(text)


@pytest.mark.parametrize("lib, fmt, wrong", [("keras3", "keras", 1), ("keras3", "h5", 1), ("keras2", "h5", 0),
                                             ("keras2", "savedmodel", 0)])
def test_a_call_numbered_as_the_other_keras_numbers_it_is_refused(lib: str, fmt: str, wrong: int,
                                                                   zoo_models: Any) -> None:
    """A file whose call of a nested model is numbered the other Keras's way does not load in the
    Keras that wrote it (Keras 3 raises "Invalid Functional model configuration"; tf_keras's
    `reconstruct_from_config` never returns), and is refused, not read as another graph. Keras 3
    numbers the first call 0 in `inbound_nodes`, Keras 2 numbers it 1 (`_should_skip_first_node`)."""
    from keras_headcheck.head import Source
    from keras_headcheck.readers import ReadError
    from keras_headcheck.readers.saved import heads_from_config

    saved = read_saved(zoo_models.path("nested_functional_once_softmax_cce", lib, fmt))
    right = 1 - wrong
    assert heads_from_config(_renumber(saved.model, "base", right), saved.training, Source(fmt))
    with pytest.raises(ReadError, match="cannot be resolved"):
        heads_from_config(_renumber(saved.model, "base", wrong), saved.training, Source(fmt))
