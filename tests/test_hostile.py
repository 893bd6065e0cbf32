"""Hostile model files: linting one never runs its payload, never writes, never crashes.

The corpus (tests/hostile_corpus.py) puts each payload shape that made `keras.models.load_model`
run code into real saved models, in every container. Linting must report the other output's
findings as usual and HC901 where the output passes through the hostile layer, without ever
running the payload: no marker file appears, and an audit hook in the linter's process (and in
its HDF5 child) refuses every import of Keras/TensorFlow/PyTorch, every unmarshal or exec outside
an import, every unpickling, process spawn, network access and file write.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hostile_corpus import (
    HOSTILE_BASES,
    KINDS,
    HostileFile,
    build_bases,
    make_corpus,
    markers,
    read_keras_config,
    run_linter,
)

from keras_headcheck.lint import lint_path
from keras_headcheck.rules import selected_rules

ROOT = Path(__file__).resolve().parent.parent

# Runs `keras-headcheck ARGS` under an audit hook that refuses (raises) and records every event a
# payload would need. Imports of ordinary modules stay allowed (the CLI imports some lazily).
AUDITED = r"""
import os, sys
FORBIDDEN = {"keras", "tensorflow", "tf_keras", "torch", "jax", "flax", "dill", "cloudpickle", "joblib"}
REFUSED_EVENTS = {
    "pickle.find_class", "os.system", "os.exec", "os.spawn", "os.posix_spawn", "subprocess.Popen",
    "ctypes.dlsym", "socket.connect", "socket.getaddrinfo", "urllib.Request",
    "webbrowser.open", "os.remove", "os.rename", "os.mkdir", "os.symlink", "os.link", "os.chmod",
    "os.truncate", "os.utime", "os.rmdir", "shutil.copyfile", "shutil.rmtree", "tempfile.mkstemp",
    "tempfile.mkdtemp",
}
WRITES = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
violations = []

import keras_headcheck.cli  # noqa: E402  (imported before the hook: its own imports are fine)
import h5py  # noqa: E402,F401  (its import runs `uname -p`, through platform.uname())


def importing():
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


def hook(event, args):
    bad = False
    if event == "import":
        bad = args[0].split(".")[0] in FORBIDDEN
    elif event in ("marshal.loads", "marshal.load", "exec", "compile", "ctypes.dlopen"):
        bad = not importing()  # importing h5py loads its code and libraries: fine
    elif event == "open":
        path, mode, flags = args
        writing = any(c in mode for c in "wax+") if isinstance(mode, str) else bool((flags or 0) & WRITES)
        bad = writing and path != os.devnull
    else:
        bad = event in REFUSED_EVENTS
    if bad:
        violations.append(f"{event} {str(args)[:200]}")
        raise RuntimeError(f"AUDIT refused {event}")


def report():
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in FORBIDDEN)
    if violations or loaded:
        sys.stderr.write(f"AUDIT violations={violations} forbidden_modules={loaded}\n")


import atexit  # noqa: E402
atexit.register(report)
sys.addaudithook(hook)
sys.argv = ["keras-headcheck", *sys.argv[1:]]
keras_headcheck.cli.main()
"""


def audited_lint(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run with --jobs 1: a process pool passes its results back by pickle, which the hook refuses."""
    return subprocess.run([sys.executable, "-c", AUDITED, *args], capture_output=True, text=True,
                          timeout=300, cwd=ROOT,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})})


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_bases(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def corpus(bases: Path, tmp_path_factory: pytest.TempPathFactory) -> list[HostileFile]:
    return make_corpus(bases, tmp_path_factory.mktemp("corpus"))


def _codes_by_output(findings: list[dict[str, Any]], filename: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for f in findings:
        if f["filename"] == filename:
            found.setdefault(f["output"], set()).add(f["code"])
    return found


def test_the_payloads_are_live(bases: Path, tmp_path: Path) -> None:
    """Control: the same payloads do run under Keras, so the corpus tests something real."""
    live = make_corpus(bases, tmp_path / "live")
    by_kind = {(f.kind, f.base): f.path for f in live}
    script = f"""
import base64, json, pickle, zipfile
import keras, numpy as np
try:
    keras.models.load_model({str(by_kind["lambda", "k3.keras"])!r}, safe_mode=False)
except Exception:
    pass  # loading may fail after the Lambda ran
config = json.loads(zipfile.ZipFile({str(by_kind["get-file", "k3.keras"])!r}).read("config.json"))
lam = [l for l in config["config"]["layers"] if l["name"] == "a"][0]["config"]
keras.utils.get_file(**lam["arguments"])
config = json.loads(zipfile.ZipFile({str(by_kind["torch-pickle", "k3.keras"])!r}).read("config.json"))
blob = [l for l in config["config"]["layers"] if l["name"] == "a"][0]["config"]["module"]
pickle.loads(base64.b64decode(blob))
keras.layers.TFSMLayer({str(bases / "evil_tfsm")!r}, call_endpoint="serve")(np.zeros((1, 3), "float32"))
"""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "KERAS_BACKEND": "tensorflow"}
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    ran = {p.name for p in markers(bases) + markers(tmp_path / "live")}
    for path in markers(bases):
        path.unlink()  # the bases are shared with the other tests
    assert ran == {"PWNED-lambda", "PWNED-get-file", "PWNED-torch-pickle", "PWNED-tfsm"}


def test_linting_the_corpus_runs_no_payload(bases: Path, corpus: list[HostileFile]) -> None:
    directory = corpus[0].path.parent
    proc = audited_lint("check", "--jobs", "1", "--output-format", "json", str(directory))
    assert "AUDIT" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 1, proc.stderr  # HC101 on every file's output b; nothing unreadable
    assert markers(directory) == [] and markers(bases) == []
    findings = json.loads(proc.stdout)
    for hostile in corpus:
        found = _codes_by_output(findings, str(hostile.path))
        for output, codes in hostile.expect.items():
            assert codes <= found.get(output, set()), (hostile.kind, hostile.base, found)


@pytest.mark.parametrize("base", HOSTILE_BASES)
@pytest.mark.parametrize("kind", KINDS)
def test_hostile_file_in_process(corpus: list[HostileFile], kind: str, base: str) -> None:
    hostile = next(f for f in corpus if f.kind == kind and f.base == base)
    result = lint_path(str(hostile.path), selected_rules())
    assert result.error is None
    found = _codes_by_output([f.to_dict() for f in result.findings], str(hostile.path))
    for output, codes in hostile.expect.items():
        assert codes <= found.get(output, set()), found
    unknown = [f for f in result.findings if f.code == "HC901"]
    assert len(unknown) == 1 and unknown[0].output in hostile.expect
    assert markers(hostile.path.parent) == []


def _snapshot(directory: Path) -> dict[str, tuple[bytes, int, int]]:
    state = {}
    for path in sorted(directory.rglob("*")):
        info = path.lstat()
        content = path.read_bytes() if path.is_file() and not path.is_symlink() else b""
        state[str(path.relative_to(directory))] = (content, info.st_mtime_ns, info.st_mode)
    return state


def test_linting_never_modifies_inputs_nor_writes_next_to_them(corpus: list[HostileFile], tmp_path: Path) -> None:
    directory = corpus[0].path.parent
    before, parent_before = _snapshot(directory), sorted(os.listdir(directory.parent))
    scratch = tmp_path / "tmpdir"
    scratch.mkdir()
    env = {"TMPDIR": str(scratch), "TEMP": str(scratch), "TMP": str(scratch)}
    proc = audited_lint("check", "--jobs", "1", "--output-format", "json", str(directory), env=env)
    assert proc.returncode == 1 and "AUDIT" not in proc.stderr, proc.stderr
    for hostile in corpus:
        lint_path(str(hostile.path), selected_rules())
    assert _snapshot(directory) == before
    assert sorted(os.listdir(directory.parent)) == parent_before
    assert list(scratch.iterdir()) == []  # nothing extracted to a temporary directory


def test_zip_member_names_are_never_used_as_paths(bases: Path, tmp_path: Path) -> None:
    escape = f"headcheck-escape-{os.getpid()}.txt"
    path = tmp_path / "models" / "traversal.keras"
    path.parent.mkdir()
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", json.dumps(read_keras_config(bases / "k3.keras")))
        for name in (f"../../{escape}", f"/tmp/{escape}", f"assets/../../../{escape}", f"C:\\{escape}"):
            archive.writestr(name, b"pwned")
        link = zipfile.ZipInfo(f"link-{escape}")
        link.external_attr = 0o120777 << 16  # a symlink member pointing outside
        archive.writestr(link, "/etc/passwd")
    before = _snapshot(tmp_path)
    run = run_linter("check", "--output-format", "json", str(path))
    assert run.code == 1, run.stderr_lines
    assert {f["code"] for f in json.loads(run.stdout)} >= {"HC101", "HC901"}
    assert _snapshot(tmp_path) == before
    assert not Path("/tmp", escape).exists() and not list(tmp_path.rglob(f"*{escape}*"))


def test_names_from_the_file_cannot_forge_report_lines_or_drive_the_terminal(bases: Path, tmp_path: Path) -> None:
    from hostile_corpus import _replace_strings, write_keras

    evil = "b\x1b[2J\x1b[31m\nkeras-headcheck: error: forged\r\u202e"
    config = _replace_strings(read_keras_config(bases / "k3.keras"), "b", evil)
    config["config"]["output_layers"] = {evil: [evil, 0, 0], "a": ["a", 0, 0]}
    path = tmp_path / "names.keras"
    write_keras(bases / "k3.keras", path, config)
    for output_format in ("concise", "full", "json"):
        run = run_linter("check", "--output-format", output_format, str(path))
        assert run.code == 1
        assert not any(c in run.stdout + "".join(run.stderr_lines) for c in "\x1b\r\u202e")
        assert "forged" not in "".join(run.stderr_lines)
        if output_format == "concise":
            assert all(line.startswith(str(path)) for line in run.stdout.splitlines() if line)
