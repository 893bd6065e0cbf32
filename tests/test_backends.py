"""The live-model and callback tests again, under the JAX and PyTorch Keras backends.

Keras picks its backend once per process, so each backend gets its own pytest subprocess with
`KERAS_BACKEND` set. Both backends are test dependencies (`pip install ".[test]"`): a missing one
fails here rather than skipping, and a test skipped inside a backend run fails too, so a green
run means every live-model and callback test ran on TensorFlow, JAX and PyTorch.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
MODULES = ("test_live.py", "test_callback.py")


@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_live_and_callback_tests_pass_on(backend: str) -> None:
    assert importlib.util.find_spec(backend) is not None, (
        f"the {backend} Keras backend is not installed: pip install '.[test]'"
    )
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *(str(HERE / m) for m in MODULES)],
        capture_output=True, text=True, env=env, timeout=900, cwd=HERE.parent,
    )
    summary = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert re.fullmatch(r"=* ?\d+ passed(, \d+ warnings?)? in [\d.]+s( \(.*\))? ?=*", summary), summary
    print(f"{backend}: {summary}")  # shown with -rA; the assertion above holds it to 'N passed'
