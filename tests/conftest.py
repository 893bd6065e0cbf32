"""Session fixtures: the model zoo and the keras.applications models, built once, and the CLI.

Building a model needs TensorFlow, which is slow to import and must stay out of this process (the
file linter never imports it, and a test checks that). So each library builds its models in its
own subprocess (`python tests/zoo.py JOB ROOT`). The jobs a session needs start together as soon
as the tests are collected, and run in parallel while the first tests wait for theirs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import pytest
import transfer
import zoo

BUILD_TIMEOUT = 2400  # seconds; the zoo takes about a minute on 2 cores, the transfer matrix longer
JOB_FIXTURES = {"keras3": "zoo_models", "keras2": "zoo_models", "applications": "applications",
                "transfer-keras3": "transfer_models", "transfer-keras2": "transfer_models"}
QUIET_TF = {"TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore"}


class Builds:
    """The builder subprocesses of this session and the directory they write to."""

    def __init__(self) -> None:
        self.root = tempfile.mkdtemp(prefix="headcheck-models-")
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, job: str) -> None:
        if job in self.procs:
            return
        with open(self._log(job), "wb") as log:
            self.procs[job] = subprocess.Popen(
                [sys.executable, str(Path((transfer if job.startswith("transfer-") else zoo).__file__)),
                 job, self.root],
                stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **QUIET_TF},
            )

    def wait(self, job: str) -> dict[str, str]:
        """Wait for `job`; return what it could not build or save (key -> traceback)."""
        self.start(job)
        returncode = self.procs[job].wait(timeout=BUILD_TIMEOUT)
        if returncode != 0:
            tail = Path(self._log(job)).read_text(errors="replace")[-3000:]
            pytest.fail(f"building the {job} models failed (exit {returncode}):\n{tail}")
        return json.loads(Path(self.root, f"manifest-{job}.json").read_text())

    def close(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        shutil.rmtree(self.root, ignore_errors=True)

    def _log(self, job: str) -> str:
        return os.path.join(self.root, f"{job}.log")


_builds: Optional[Builds] = None


def builds() -> Builds:
    global _builds
    if _builds is None:
        _builds = Builds()
    return _builds


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[Any]) -> None:
    """Run the tests of the transfer-learning matrix last: its build is the slowest by far, and
    every other test can run while it goes on."""
    items.sort(key=lambda item: "transfer_models" in getattr(item, "fixturenames", ()))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start every build the selected tests need, all at once."""
    if session.config.option.collectonly:
        return
    needed = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    for job, fixture in JOB_FIXTURES.items():
        if fixture in needed:
            builds().start(job)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _builds is not None:
        _builds.close()


@dataclass(frozen=True)
class ZooModels:
    """The saved zoo: ROOT/zoo/CASE/{keras3.keras, keras3.h5, keras2.keras, keras2.h5, keras2_savedmodel}."""

    root: str
    errors: dict[str, dict[str, str]]  # job -> {"case" or "case/format": traceback}

    @property
    def dir(self) -> str:
        return os.path.join(self.root, "zoo")

    def path(self, case: str, lib: str, fmt: str) -> str:
        return zoo.saved_path(self.root, case, lib, fmt)

    def problem(self, case: str, lib: str, fmt: str) -> Optional[str]:
        """Why this model could not be built or saved, if it could not."""
        errors = self.errors[lib]
        return errors.get(case) or errors.get(f"{case}/{fmt}")

    def extra(self, name: str) -> str:
        """A non-model file for the bad-input tests (see zoo._build_extras)."""
        path = zoo.extra_path(self.root, name)
        assert os.path.exists(path), f"the builder did not write {name}: {self.errors['keras3']}"
        return path


@pytest.fixture(scope="session")
def zoo_models() -> ZooModels:
    return ZooModels(builds().root, {job: builds().wait(job) for job in zoo.FORMATS})


@dataclass(frozen=True)
class Applications:
    root: str
    errors: dict[str, str]

    def path(self, name: str, fmt: str) -> str:
        return zoo.application_path(self.root, name, fmt)


@pytest.fixture(scope="session")
def applications() -> Applications:
    return Applications(builds().root, builds().wait("applications"))


@dataclass(frozen=True)
class TransferModels:
    """The transfer-learning matrix (tests/transfer.py), per library ("keras3", "keras2"): its
    constructors, what could not be built or saved, and the live check of each model."""

    root: str
    results: dict[str, dict[str, Any]]

    def path(self, lib: str, name: str, head: str, fmt: str, real: bool = False) -> str:
        return transfer.path(self.root, lib, name, head, fmt, real)


@pytest.fixture(scope="session")
def transfer_models() -> TransferModels:
    return TransferModels(builds().root, {lib: builds().wait(f"transfer-{lib}") for lib in transfer.LIBRARIES})


@dataclass(frozen=True)
class CliResult:
    returncode: int
    stdout: str
    stderr: str

    @property
    def findings(self) -> list[dict[str, Any]]:
        """stdout parsed as the one JSON array the contract promises."""
        value = json.loads(self.stdout)
        assert isinstance(value, list), self.stdout[:500]
        return value

    @property
    def stderr_lines(self) -> list[str]:
        return self.stderr.splitlines()


def run_cli(
    *args: str, cwd: Any = None, stdin: Optional[str] = None, env: Optional[dict[str, str]] = None
) -> CliResult:
    """`python -m keras_headcheck ARGS` in a subprocess. It runs outside the repository by default,
    so no pyproject.toml configuration applies. `stdin` is its input (else none)."""
    proc = subprocess.run(
        [sys.executable, "-m", "keras_headcheck", *args],
        capture_output=True, text=True, cwd=cwd or tempfile.gettempdir(), timeout=300, check=False,
        env={**os.environ, **QUIET_TF, **(env or {})}, input=stdin if stdin is not None else "",
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(scope="session")
def cli() -> Any:
    return run_cli
