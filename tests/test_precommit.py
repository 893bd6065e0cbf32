"""The pre-commit hooks, run by the real `pre-commit` on a throwaway git repository.

pre-commit installs this checkout's committed HEAD (its `.pre-commit-hooks.yaml` and the package)
into a fresh virtualenv. That install is the slow part (about a minute), so it happens once per
module: every test shares one PRE_COMMIT_HOME. (`pre-commit try-repo` would reinstall on each call:
it always uses a new, temporary store.)
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

try:
    import tomllib
except ImportError:  # Python < 3.11
    tomllib = pytest.importorskip("tomli")
yaml = pytest.importorskip("yaml")
pytest.importorskip("pre_commit")

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data" / "source"
EXAMPLES = REPO / "examples"
HOOK_IDS = ("keras-headcheck-models", "keras-headcheck-sources")
FIX_HOOK = "keras-headcheck-fix"
FIXES = REPO / "tests" / "data" / "fixes"
ML_FRAMEWORKS = ("tensorflow", "tensorflow-cpu", "keras", "tf-keras", "tf_keras", "torch", "jax")


def git(*args: str, cwd: Path) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        pytest.skip(f"git {' '.join(args)} failed in {cwd}: {proc.stderr.strip()}")
    return proc.stdout.strip()


def test_hook_definitions() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {*HOOK_IDS, FIX_HOOK}
    for hook in hooks.values():
        entry = "keras-headcheck check --fix" if hook["id"] == FIX_HOOK else "keras-headcheck check"
        assert (hook["entry"], hook["language"], hook["require_serial"]) == (entry, "python", True)
        assert not hook.get("additional_dependencies")
    assert hooks["keras-headcheck-models"]["files"] == r"\.(keras|h5|hdf5)$"
    assert hooks["keras-headcheck-sources"]["types_or"] == ["python", "jupyter"]
    assert hooks[FIX_HOOK]["types_or"] == ["python", "jupyter"]  # sources only: models are data


def test_base_dependencies_need_no_ml_framework() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    names = [dep.split(";")[0].split("[")[0].strip() for dep in project["dependencies"]]
    names = [
        n.split("=")[0].split(">")[0].split("<")[0].split("~")[0].split("!")[0].lower()
        for n in names
    ]
    assert not set(names) & set(ML_FRAMEWORKS), names


@dataclass
class Project:
    path: Path
    env: dict[str, str]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", *args],
            cwd=self.path,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )

    def check(self, *files: str) -> subprocess.CompletedProcess[str]:
        return self.run("run", "--files", *files)

    def add(self, source: Path, name: str) -> str:
        shutil.copyfile(source, self.path / name)
        return name


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One PRE_COMMIT_HOME for the module: this checkout's HEAD is installed into it once."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git("cat-file", "-e", "HEAD:.pre-commit-hooks.yaml", cwd=REPO)
    return tmp_path_factory.mktemp("precommit-home")


def _project(root: Path, home: Path, hook_ids: tuple[str, ...]) -> Project:
    """A git repository whose .pre-commit-config.yaml uses `hook_ids` of this checkout's HEAD."""
    head = git("rev-parse", "HEAD", cwd=REPO)
    path = root / "project"
    path.mkdir()
    git("init", "-q", cwd=path)
    git("config", "user.email", "test@example.invalid", cwd=path)
    git("config", "user.name", "test", cwd=path)
    config = {"repos": [{"repo": str(REPO), "rev": head, "hooks": [{"id": i} for i in hook_ids]}]}
    (path / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    git("add", ".pre-commit-config.yaml", cwd=path)
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    project = Project(path, env)
    installed = project.run("install-hooks")  # installs once per home; later projects reuse it
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return project


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, home: Path) -> Project:
    """A project with the two checking hooks."""
    return _project(tmp_path_factory.mktemp("precommit"), home, HOOK_IDS)


@pytest.fixture(scope="module")
def fix_project(tmp_path_factory: pytest.TempPathFactory, home: Path) -> Project:
    """A project with the fixing hook, as ruff's is used with `--fix`."""
    return _project(tmp_path_factory.mktemp("precommit-fix"), home, (FIX_HOOK,))


def test_buggy_training_script_fails(project: Project) -> None:
    name = project.add(DATA / "seed000.py", "train.py")
    result = project.check(name)
    assert result.returncode == 1, result.stdout
    assert "HC101" in result.stdout and "HC203" in result.stdout
    assert "train.py:16" in result.stdout


def test_fixed_training_script_passes(project: Project) -> None:
    name = project.add(DATA / "seed000_fixed.py", "train_fixed.py")
    result = project.check(name)
    assert result.returncode == 0, result.stdout


def test_notebook_goes_through_the_source_hook(project: Project) -> None:
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
    (project.path / "explore.ipynb").write_text(
        json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    )
    result = project.check("explore.ipynb")
    assert result.returncode == 1 and "HC101" in result.stdout, result.stdout


def test_fix_hook_fixes_then_passes(fix_project: Project) -> None:
    name = fix_project.add(FIXES / "hc201.py", "train.py")
    git("add", name, cwd=fix_project.path)  # staged, as at a commit: pre-commit diffs tracked files
    fixed = fix_project.check(name)
    # pre-commit fails a hook that changed files, so the user sees and stages the fix
    assert fixed.returncode == 1 and "files were modified by this hook" in fixed.stdout, fixed.stdout
    assert "no problems left (3 fixed)" in fixed.stdout + fixed.stderr
    assert (fix_project.path / name).read_bytes() == (FIXES / "hc201.fixed.py").read_bytes()
    again = fix_project.check(name)
    assert again.returncode == 0, again.stdout


def test_fix_hook_leaves_unsafe_fixes_and_fails_on_what_remains(fix_project: Project) -> None:
    name = fix_project.add(FIXES / "hc203.py", "regress.py")
    git("add", name, cwd=fix_project.path)
    result = fix_project.check(name)
    assert result.returncode == 1 and "HC203" in result.stdout, result.stdout
    assert "files were modified" not in result.stdout
    assert (fix_project.path / name).read_bytes() == (FIXES / "hc203.py").read_bytes()


def test_saved_model_hook(project: Project) -> None:
    bad, good = (
        EXAMPLES / "seed000_softmax_one_unit_mse.keras",
        EXAMPLES / "correct_multilabel_sigmoid.keras",
    )
    if not (bad.exists() and good.exists()):
        pytest.skip("examples/ not present")
    failing = project.check(project.add(bad, "bad.keras"))
    assert failing.returncode == 1 and "HC101" in failing.stdout, failing.stdout
    assert project.check(project.add(good, "good.keras")).returncode == 0


def test_commit_is_blocked_until_the_head_is_fixed(project: Project) -> None:
    installed = project.run("install")
    assert installed.returncode == 0, installed.stderr
    try:
        project.add(DATA / "seed000.py", "model.py")
        git("add", "model.py", cwd=project.path)
        blocked = subprocess.run(
            ["git", "commit", "-q", "-m", "buggy head"],
            cwd=project.path,
            env=project.env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert blocked.returncode != 0 and "HC101" in blocked.stdout + blocked.stderr
        project.add(DATA / "seed000_fixed.py", "model.py")
        git("add", "model.py", cwd=project.path)
        accepted = subprocess.run(
            ["git", "commit", "-q", "-m", "sigmoid head"],
            cwd=project.path,
            env=project.env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    finally:
        project.run("uninstall")


def _readme_local_hook_config() -> str:
    """The README's `.pre-commit-config.yaml` snippet, exactly as a user would paste it."""
    readme = (REPO / "README.md").read_text()
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.S)
    local = [b for b in blocks if ".pre-commit-config.yaml" in b and "repo: local" in b]
    assert len(local) == 1, "README.md should hold one `repo: local` pre-commit snippet"
    return local[0]


def test_the_readmes_pre_commit_snippet_works_as_written(tmp_path: Path) -> None:
    """`repo: local` runs the keras-headcheck installed in the environment: here, this checkout."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "keras-headcheck"  # what `pip install .` puts on PATH, for this checkout
    shim.write_text(f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(REPO)!r})\n"
                    "from keras_headcheck.cli import main\nmain()\n")
    shim.chmod(0o755)
    path = tmp_path / "project"
    path.mkdir()
    for args in (("init", "-q"), ("config", "user.email", "test@example.invalid"), ("config", "user.name", "t")):
        git(*args, cwd=path)
    (path / ".pre-commit-config.yaml").write_text(_readme_local_hook_config())
    git("add", ".pre-commit-config.yaml", cwd=path)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "PRE_COMMIT_HOME": str(tmp_path / "home"), "PRE_COMMIT_COLOR": "never"}
    project = Project(path, env)
    buggy = project.check(project.add(DATA / "seed000.py", "train.py"))
    assert buggy.returncode == 1 and "HC101" in buggy.stdout and "train.py:16" in buggy.stdout, buggy.stdout
    assert project.check(project.add(DATA / "seed000_fixed.py", "train_fixed.py")).returncode == 0
    model = project.check(project.add(EXAMPLES / "seed000_softmax_one_unit_mse.keras", "bad.keras"))
    assert model.returncode == 1 and "HC101" in model.stdout, model.stdout
    good = project.check(project.add(EXAMPLES / "correct_multilabel_sigmoid.keras", "good.keras"))
    assert good.returncode == 0, good.stdout
