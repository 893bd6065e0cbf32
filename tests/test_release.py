"""Release check: `python -m build` makes a wheel and an sdist that `twine check` accepts, and each
installs into a fresh virtualenv where the installed command works on the bundled examples.

The virtualenvs see the system site-packages (click, rich, h5py, numpy are already there) and get
keras-headcheck itself with `pip install --no-deps --no-index`: nothing is downloaded, and the
test asserts that the package imported is the one just installed, not this checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import keras_headcheck
from keras_headcheck.docs import all_rules_markdown
from keras_headcheck.rules import RULES

REPO = Path(__file__).resolve().parent.parent
SKIP_COPY = shutil.ignore_patterns(
    ".git", "__pycache__", "build", "dist", "*.egg-info", ".venv", ".*_cache", "tmp", "fuzz-out"
)
SEED = "seed000_softmax_one_unit_mse.keras"
CORRECT = "correct_tutorial_logits.keras"


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=600, check=False,
        env={**os.environ, "PYTHONPATH": "", **(env or {})},
    )


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel and sdist, built from a copy of the checkout (the build writes beside the sources)."""
    for module in ("build", "twine"):
        assert shutil.which(module) or __import__("importlib").util.find_spec(module), (
            f"{module} is a test dependency: pip install '.[test]'"
        )
    root = tmp_path_factory.mktemp("release")
    source = root / "source"
    shutil.copytree(REPO, source, ignore=SKIP_COPY)
    # --no-isolation: build with the setuptools installed here instead of downloading one.
    built = run(sys.executable, "-m", "build", "--no-isolation", "--outdir", root / "dist", source, cwd=root)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return root / "dist"


def _only(dist: Path, pattern: str) -> Path:
    found = sorted(dist.glob(pattern))
    assert len(found) == 1, found
    return found[0]


def test_wheel_and_sdist_are_built_with_the_one_version(dist: Path) -> None:
    version = keras_headcheck.__version__
    wheel = _only(dist, "*.whl")
    sdist = _only(dist, "*.tar.gz")
    assert wheel.name == f"keras_headcheck-{version}-py3-none-any.whl"
    assert sdist.name == f"keras_headcheck-{version}.tar.gz"
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        assert "keras_headcheck/rules.md" in names  # the rule docs every finding links to
        metadata = zf.read(f"keras_headcheck-{version}.dist-info/METADATA").decode()
    assert f"Version: {version}" in metadata and "Requires-Python: >=3.11" in metadata
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/"))]
    with tarfile.open(sdist) as tf:
        members = tf.getnames()
    assert f"keras_headcheck-{version}/keras_headcheck/rules.md" in members
    assert f"keras_headcheck-{version}/README.md" in members


def test_twine_check_passes(dist: Path) -> None:
    checked = run(sys.executable, "-m", "twine", "check", "--strict", *sorted(dist.iterdir()), cwd=dist)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("PASSED") == 2, checked.stdout


@pytest.mark.parametrize("kind", ["wheel", "sdist"])
def test_installed_package_passes_the_smoke_test(dist: Path, kind: str, tmp_path: Path) -> None:
    artifact = _only(dist, "*.whl" if kind == "wheel" else "*.tar.gz")
    venv = tmp_path / "venv"
    # --without-pip: the venv's own bundled setuptools would shadow the one installed here, which
    # builds the sdist into a wheel (this pip installs into the venv through --python).
    made = run(sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    installed = run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index",
                    # --ignore-installed: a keras-headcheck of the same version in the system
                    # site-packages (CI's `pip install .`) would otherwise count as installed
                    "--ignore-installed", "--no-build-isolation", artifact, cwd=tmp_path)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    work = tmp_path / "work"  # not the checkout: its keras_headcheck/ must not be importable
    shutil.copytree(REPO / "examples", work / "examples")

    where = run(python, "-c", "import keras_headcheck, pathlib; print(pathlib.Path(keras_headcheck.__file__).resolve())",
                cwd=work)
    assert Path(where.stdout.strip()).is_relative_to(venv.resolve()), where.stdout + where.stderr

    command = bin_dir / "keras-headcheck"
    version = run(command, "--version", cwd=work)
    assert keras_headcheck.__version__ in version.stdout, version.stdout + version.stderr
    bad = run(command, "check", f"examples/{SEED}", cwd=work)
    assert bad.returncode == 1 and "HC101" in bad.stdout and "HC203" in bad.stdout, bad.stdout + bad.stderr
    good = run(command, "check", f"examples/{CORRECT}", cwd=work)
    assert good.returncode == 0, good.stdout + good.stderr
    everything = run(command, "check", "examples", "--output-format", "json", cwd=work)
    assert everything.returncode == 1 and '"HC101"' in everything.stdout, everything.stderr
    docs = run(command, "rule", "--all", cwd=work)
    assert docs.returncode == 0 and all(f"({code})" in docs.stdout for code in RULES), docs.stderr
    one = run(command, "rule", "HC101", cwd=work)
    assert one.returncode == 0 and "softmax-on-single-unit (HC101)" in one.stdout
    shipped = run(python, "-c", "from keras_headcheck.rules.registry import DOCS_FILE; print(DOCS_FILE.read_text())",
                  cwd=work)
    assert shipped.stdout == all_rules_markdown() + "\n\n", shipped.stderr
