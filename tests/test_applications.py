"""keras.applications models read correctly.

With their own top (weights=None, 32x32 inputs, 1000 classes): no findings, and the head is
understood (a softmax over 1000 units), including MobileNet's Conv2D -> Reshape ->
Activation("softmax") head and MobileNetV3's Conv2D -> Flatten -> Activation.

As transfer-learning bases (tests/transfer.py: every constructor of Keras 3 and of tf_keras,
include_top=False under a new Dense head, one failing and one passing): the same head and the same
findings from the file and the live model; see transfer.py for which files are written how."""

from __future__ import annotations

from typing import Any

import pytest
import transfer
from nesting import graph_signature
from zoo import APPLICATION_FORMATS, APPLICATIONS

import keras_headcheck
from keras_headcheck.readers import read_heads
from keras_headcheck.readers.containers import read_saved

BUILT = [
    pytest.param(name, fmt, id=f"{name}-{fmt}") for name in APPLICATIONS for fmt in APPLICATION_FORMATS
]


def _path(applications: Any, name: str, fmt: str) -> str:
    problem = applications.errors.get(name) or applications.errors.get(f"{name}/{fmt}")
    assert problem is None, f"could not build or save {name}:\n{problem}"
    return applications.path(name, fmt)


@pytest.mark.parametrize("name, fmt", BUILT)
def test_application_has_no_findings(name: str, fmt: str, applications: Any) -> None:
    assert list(keras_headcheck.check(_path(applications, name, fmt))) == []


@pytest.mark.parametrize("name, fmt", BUILT)
def test_application_head_is_a_softmax_over_1000_classes(name: str, fmt: str, applications: Any) -> None:
    (head,) = read_heads(_path(applications, name, fmt))
    assert (head.output, head.activation, head.units) == ("predictions", "softmax", 1000)
    assert head.unknown is None
    assert head.loss is not None and head.loss.name == "categorical_crossentropy"


# --- the transfer-learning matrix (tests/transfer.py) ---------------------------------------------
TRANSFER = [pytest.param(lib, head, id=f"{lib}-{head}") for lib in transfer.LIBRARIES for head in transfer.HEADS]


def _file_result(path: str) -> dict[str, Any]:
    findings = [[f.code, f.severity, f.output, f.layer] for f in keras_headcheck.check(path)]
    heads = [[h.output, h.activation, h.units, h.layer] for h in read_heads(path)]
    return {"findings": sorted(findings), "heads": sorted(heads, key=str)}


def _built(transfer_models: Any, lib: str, head: str) -> dict[str, Any]:
    """The live result of each constructor's model with this head; fails on any build problem."""
    results = transfer_models.results[lib]
    assert results["errors"] == {}, "\n".join(f"{k}:\n{v}" for k, v in results["errors"].items())
    assert len(results["constructors"]) >= 40, results["constructors"]
    return {name: results["live"][f"{name}-{head}"] for name in results["constructors"]}


@pytest.mark.parametrize("lib, head", TRANSFER)
def test_every_application_base_under_a_new_head_reads_alike_from_file_and_live(
    lib: str, head: str, transfer_models: Any
) -> None:
    """Every constructor: the weightless `.keras` and the live model give the same head (the new
    Dense, found through the base's output) and exactly the expected findings."""
    units, _, expect = transfer.HEADS[head]
    wrong = {}
    for name, live in _built(transfer_models, lib, head).items():
        found = _file_result(transfer_models.path(lib, name, head, "keras"))
        codes = {(code, severity) for code, severity, _, _ in found["findings"]}
        if found != live or codes != set(expect.items()) or found["heads"] != [["head", "softmax", units, "head"]]:
            wrong[name] = {"file": found, "live": live}
    assert not wrong, wrong


@pytest.mark.parametrize("lib, head", TRANSFER)
def test_real_saves_in_every_format_read_like_the_weightless_file(lib: str, head: str, transfer_models: Any) -> None:
    """The subset saved with `model.save`: every format gives what the weightless `.keras` gives
    (findings, heads, the walker's whole graph), and that file's config.json is the one
    `model.save` wrote."""
    import json
    import zipfile

    names = sorted(set(_built(transfer_models, lib, head)) & transfer.REAL_SAVES)
    assert len(names) >= (8 if lib == "keras2" else 6), names
    assert lib == "keras3" or transfer.SAVEDMODEL_SAVES <= set(names)
    for name in names:
        weightless = transfer_models.path(lib, name, head, "keras")
        expected = _file_result(weightless)
        graph = graph_signature(read_saved(weightless).model)
        for fmt in transfer.real_formats(lib, name):
            saved = transfer_models.path(lib, name, head, fmt, real=True)
            assert _file_result(saved) == expected, (name, fmt)
            assert graph_signature(read_saved(saved).model) == graph, (name, fmt)
        configs = [json.loads(zipfile.ZipFile(p).read("config.json"))
                   for p in (weightless, transfer_models.path(lib, name, head, "keras", real=True))]
        assert configs[0] == configs[1], name
