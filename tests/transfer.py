"""The transfer-learning matrix: every `keras.applications` constructor (Keras 3 and tf_keras) as an
`include_top=False, pooling="avg"` base under a new head, saved, and checked live.

Run once per library by conftest.py, in a subprocess (this module imports no Keras until then):

    python tests/transfer.py transfer-{keras3,keras2} ROOT

Each constructor is built once, with weights=None at the smallest input it accepts, and called by
two new models: one with a failing head (a one-unit softmax, HC101) and one with a passing head
(a five-unit softmax + categorical crossentropy). Sharing the base also checks the node numbering
of a sub-model that other models call too. What is written, and why:
- every model as `.keras` written by Keras's own serialisation code (`saving_lib`'s config and
  metadata JSON, exactly as `model.save` writes them) without `model.weights.h5`: the linter
  reads only config.json, and the largest bases have hundreds of MB of weights;
- a representative subset (REAL_SAVES) saved for real with `model.save` as `.keras` and `.h5`, so
  the format whose config Keras writes differently is covered and the weightless `.keras` can be
  compared with the real one; and one base (SAVEDMODEL_SAVES) as a tf_keras SavedModel too, whose
  writing traces the whole model (over a minute per model on a busy machine: the nesting cases of
  the zoo, saved as SavedModels too, cover the shapes of graph);
- every model checked live (`keras_headcheck.check(model)`) here, where it was built, since
  building it again in the test process would double the cost; the findings and heads are kept
  in ROOT/manifest-transfer-JOB.json for the tests to compare with the files.
"""

from __future__ import annotations

import datetime
import importlib
import json
import os
import sys
import traceback
from typing import Any, Callable

LIBRARIES = {"keras3": "keras", "keras2": "tf_keras"}
FORMATS = {"keras3": ("keras", "h5"), "keras2": ("keras", "h5", "savedmodel")}
# head -> (units, loss, expected findings {code: severity})
HEADS: dict[str, tuple[int, str, dict[str, str]]] = {
    "softmax_one_unit": (1, "binary_crossentropy", {"HC101": "error"}),
    "softmax_five": (5, "categorical_crossentropy", {}),
}
# Bases saved for real in every format: small ones, one per family of graph shapes (depthwise
# blocks, squeeze-excite with multiplies, NASNet cells, dense concatenations, ConvNeXt's custom
# layers, residual adds, and tf_keras's own RegNet and ResNet-RS).
REAL_SAVES = frozenset({
    "MobileNetV3Small", "EfficientNetB0", "NASNetMobile", "DenseNet121", "ConvNeXtTiny",
    "ResNet50V2", "RegNetX002", "ResNetRS50",
})
SAVEDMODEL_SAVES = frozenset({"MobileNetV3Small"})
MIN_SIZE = {"InceptionV3": 75, "InceptionResNetV2": 75, "Xception": 71}  # 32 for the others


def constructors(lib: Any) -> list[str]:
    """Every model constructor `lib.applications` exports (its sub-modules are lowercase)."""
    return sorted(n for n in dir(lib.applications) if n[:1].isupper() and callable(getattr(lib.applications, n)))


def real_formats(job: str, name: str) -> tuple[str, ...]:
    """The formats `name`'s models are saved in with `model.save`."""
    if name not in REAL_SAVES:
        return ()
    return tuple(f for f in FORMATS[job] if f != "savedmodel" or name in SAVEDMODEL_SAVES)


def path(root: str, job: str, name: str, head: str, fmt: str, real: bool = False) -> str:
    suffix = {"keras": ".keras", "h5": ".h5", "savedmodel": "_savedmodel"}[fmt]
    return os.path.join(root, "transfer", job, f"{name}-{head}{'-saved' if real else ''}{suffix}")


def results_path(root: str, job: str) -> str:
    return os.path.join(root, f"manifest-transfer-{job}.json")


def _model(lib: Any, base: Any, size: int, head: str) -> Any:
    units, loss, _ = HEADS[head]
    inputs = lib.Input((size, size, 3))
    outputs = lib.layers.Dense(units, activation="softmax", name="head")(base(inputs))
    model = lib.Model(inputs, outputs)
    model.compile(optimizer="adam", loss=loss)
    return model


def _config_json(lib: Any, model: Any) -> str:
    """config.json exactly as `model.save("m.keras")` writes it (its own code, not a copy)."""
    if lib.__name__ == "keras":
        from keras.src.saving import saving_lib

        return saving_lib._serialize_model_as_json(model)[0]
    from tf_keras.src.saving import saving_lib as tf_saving_lib  # save_model's first steps, inlined there

    enabled = getattr(tf_saving_lib._SAVING_V3_ENABLED, "value", False)
    tf_saving_lib._SAVING_V3_ENABLED.value = True
    try:
        with tf_saving_lib.ObjectSharingScope():
            return json.dumps(tf_saving_lib.serialize_keras_object(model))
    finally:
        tf_saving_lib._SAVING_V3_ENABLED.value = enabled


def _write_weightless(lib: Any, model: Any, target: str) -> None:
    import zipfile

    metadata = {"keras_version": lib.__version__,
                "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")}
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("metadata.json", json.dumps(metadata))
        archive.writestr("config.json", _config_json(lib, model))


def _save(model: Any, target: str, fmt: str) -> None:
    if fmt == "savedmodel":
        model.save(target, save_format="tf")
    else:
        model.save(target)


def _live(model: Any) -> dict[str, Any]:
    import keras_headcheck
    from keras_headcheck.readers.live import read_live_heads

    findings = [[f.code, f.severity, f.output, f.layer] for f in keras_headcheck.check(model)]
    heads = [[h.output, h.activation, h.units, h.layer] for h in read_live_heads(model)]
    return {"findings": sorted(findings), "heads": sorted(heads, key=str)}


def _record(errors: dict[str, str], key: str, fn: Callable[..., Any], *args: Any) -> Any:
    try:
        return fn(*args)
    except Exception:  # noqa: BLE001  (one broken model must not stop the others)
        errors[key] = traceback.format_exc(limit=4)
        return None


def _one(lib: Any, job: str, root: str, name: str, errors: dict[str, str], live: dict[str, Any]) -> None:
    size = MIN_SIZE.get(name, 32)
    base = _record(errors, name, lambda: getattr(lib.applications, name)(
        include_top=False, weights=None, input_shape=(size, size, 3), pooling="avg"))
    for head in HEADS if base is not None else ():
        key = f"{name}-{head}"
        model = _record(errors, key, _model, lib, base, size, head)
        if model is None:
            continue
        _record(errors, f"{key}/weightless", _write_weightless, lib, model, path(root, job, name, head, "keras"))
        live[key] = _record(errors, f"{key}/live", _live, model)
        for fmt in real_formats(job, name):
            _record(errors, f"{key}/{fmt}", _save, model, path(root, job, name, head, fmt, real=True), fmt)


def build(job: str, root: str) -> dict[str, Any]:
    lib = importlib.import_module(LIBRARIES[job])
    os.makedirs(os.path.join(root, "transfer", job), exist_ok=True)
    errors: dict[str, str] = {}
    live: dict[str, Any] = {}
    names = constructors(lib)
    for name in names:
        _one(lib, job, root, name, errors, live)
        lib.backend.clear_session()  # the largest bases hold GBs of (random) weights
    return {"constructors": names, "errors": errors, "live": live}


def main(argv: list[str]) -> int:
    job, root = argv[0].removeprefix("transfer-"), argv[1]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    result = build(job, root)
    with open(results_path(root, job), "w") as handle:
        json.dump(result, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
