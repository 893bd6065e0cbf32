"""The extras: each names Keras and one backend, and without a backend the live API says which
extra to install (while the file linter, which needs neither, still works)."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from keras_headcheck.callback_report import BACKEND_EXTRAS  # imports no Keras

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "examples" / "seed000_softmax_one_unit_mse.keras"
WITHOUT_BACKENDS = f"""
import importlib.abc, sys
class NotInstalled(importlib.abc.MetaPathFinder):  # as if no backend had been installed
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("tensorflow", "jax", "jaxlib", "torch", "tf_keras"):
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
sys.meta_path.insert(0, NotInstalled())
import keras_headcheck
print([f.code for f in keras_headcheck.check({str(SEED)!r})])
from keras_headcheck import HeadCheck
"""


def test_each_backend_extra_installs_keras_and_that_backend() -> None:
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    for backend in BACKEND_EXTRAS:
        names = {dep.split("[")[0].split(">")[0].split("=")[0].strip() for dep in extras[backend]}
        assert names == {"keras", backend}, (backend, extras[backend])


@pytest.mark.parametrize("backend", BACKEND_EXTRAS)
def test_live_api_without_a_backend_names_the_extra_to_install(backend: str) -> None:
    env = {**os.environ, "KERAS_BACKEND": backend, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-c", WITHOUT_BACKENDS], capture_output=True, text=True,
                          env=env, timeout=300, check=False)
    assert proc.stdout.strip() == "['HC101', 'HC203']", proc.stderr  # files need no backend
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: keras_headcheck.HeadCheck needs Keras and a backend"), proc.stderr
    assert f"pip install 'keras-headcheck[{backend}]'" in last
    assert "During handling" not in proc.stderr and "direct cause" not in proc.stderr  # one error


WITHOUT_PYGLS = """
import importlib.abc, sys
class NotInstalled(importlib.abc.MetaPathFinder):  # as if the [server] extra had not been installed
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("pygls", "lsprotocol"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, NotInstalled())
from keras_headcheck.cli import main
main(["server"])
"""


def test_server_without_pygls_names_the_extra_and_exits_2() -> None:
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert any(dep.startswith("pygls") for dep in extras["server"])
    assert any(dep.startswith("pygls") for dep in extras["test"])
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-c", WITHOUT_PYGLS], capture_output=True, text=True,
                          env=env, timeout=120, check=False, stdin=subprocess.DEVNULL)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and 'pip install "keras-headcheck[server]"' in proc.stderr
    assert proc.stdout == ""


def test_check_does_not_import_the_server() -> None:
    """`check`'s start-up is unchanged by the [server] extra: pygls is imported by `server` only."""
    code = (f"import sys\nfrom keras_headcheck.cli import main\ntry:\n    main(['check', '-q', "
            f"{str(SEED)!r}])\nexcept SystemExit:\n    pass\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'pygls', 'lsprotocol', "
            "'asyncio', 'keras_headcheck'}))")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=120, check=False)
    assert proc.stdout.strip().splitlines()[-1] == "['keras_headcheck']", proc.stderr
