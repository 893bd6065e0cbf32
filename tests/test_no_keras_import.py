"""Linting saved files never imports TensorFlow, Keras, JAX or PyTorch (CONTRACT.md)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from typing import Any

from zoo import FORMATS

HEAVY = ("tensorflow", "keras", "tf_keras", "jax", "torch")

# Runs the CLI's main and the Python API in a fresh interpreter, then reports what got imported.
SCRIPT = f"HEAVY = {HEAVY!r}" + """
import json, sys
from keras_headcheck import check
from keras_headcheck.cli import main

paths = sys.argv[2:]
counts = [len(check(path)) for path in paths]
try:
    main(["check", "--output-format", "json", *paths])
except SystemExit as exc:
    status = exc.code
heavy = sorted(m for m in sys.modules if m.split(".")[0] in HEAVY)
with open(sys.argv[1], "w") as handle:
    json.dump({"status": status, "counts": counts, "heavy": heavy}, handle)
"""


def test_linting_saved_files_imports_no_ml_framework(zoo_models: Any) -> None:
    paths = [
        zoo_models.path(case, lib, fmt)
        for case in ("seed000_softmax_one_unit_mse", "softmax_op_layer", "custom_loss_function")
        for lib in FORMATS
        for fmt in FORMATS[lib]
    ]
    with tempfile.NamedTemporaryFile("r", suffix=".json") as result:
        proc = subprocess.run([sys.executable, "-c", SCRIPT, result.name, *paths],
                              capture_output=True, text=True, timeout=120, check=False)
        assert proc.returncode == 0, proc.stderr
        report = json.load(result)
    assert report["heavy"] == []
    assert report["status"] == 1
    assert sum(report["counts"]) == len(json.loads(proc.stdout))
    assert all(report["counts"][:5])  # seed 000 has findings in every format
