"""Fixes as data, `check --fix`, `--unsafe-fixes` and `--diff`, driven through the CLI as a user
runs it. Each fixable rule has a fixture before and after `--fix` in tests/data/fixes/ (the
`.fixed` file is what the fix must write, byte for byte); the fixed file parses and lints clean
for that rule; `--diff` applied by `patch` gives the same bytes; a second run changes nothing."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from keras_headcheck.cli import main
from keras_headcheck.findings import Edit
from keras_headcheck.fixes import EditError, apply

DATA = Path(__file__).parent / "data" / "fixes"
PATCH = shutil.which("patch")


def run(cwd: Path, *args: str, stdin: str | None = None) -> Any:
    """The CLI in this process, from `cwd`, without configuration."""
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, ["check", "--isolated", *args], input=stdin)
    finally:
        os.chdir(old)


def findings(cwd: Path, *args: str) -> list[dict[str, Any]]:
    result = run(cwd, "--output-format", "json", *args)
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)


def copy(tmp_path: Path, name: str, as_name: str | None = None) -> Path:
    target = tmp_path / (as_name or name)
    shutil.copyfile(DATA / name, target)
    return target


# --- every fixable rule: before and after ------------------------------------------------------

# (fixture, the code it fixes, the options that fix it)
FIXABLE = [
    ("hc201.py", "HC201", ()),
    ("hc202.py", "HC202", ()),
]


@pytest.mark.parametrize("name,code,options", FIXABLE, ids=[f[0] for f in FIXABLE])
def test_fix_writes_the_expected_file(tmp_path: Path, name: str, code: str, options: tuple) -> None:
    path = copy(tmp_path, name, "train.py")
    before = findings(tmp_path, *options, "train.py")
    assert before and all(f["code"] == code and f["applicable_fix"] for f in before if f["code"] == code)
    result = run(tmp_path, "--fix", *options, "train.py")
    assert result.exit_code == 0, result.stdout + result.stderr
    after = path.read_bytes()
    assert after == (DATA / name.replace(".py", ".fixed.py")).read_bytes()
    ast.parse(after)
    assert code not in {f["code"] for f in findings(tmp_path, "train.py")}
    assert "fixed" in result.stderr
    again = run(tmp_path, "--fix", *options, "train.py")  # idempotent
    assert path.read_bytes() == after and again.exit_code == 0


@pytest.mark.parametrize("name,code,options", FIXABLE, ids=[f[0] for f in FIXABLE])
@pytest.mark.skipif(PATCH is None, reason="patch is not installed")
def test_diff_applied_by_patch_gives_what_fix_writes(tmp_path: Path, name: str, code: str, options: tuple) -> None:
    fixed, patched = tmp_path / "fixed", tmp_path / "patched"
    fixed.mkdir(), patched.mkdir()
    copy(fixed, name, "train.py")
    copy(patched, name, "train.py")
    diff = run(patched, "--diff", *options, "train.py")
    assert diff.exit_code == 1 and diff.stdout.startswith("--- train.py\n+++ train.py\n"), diff.stderr
    assert (patched / "train.py").read_bytes() == (DATA / name).read_bytes()  # --diff changes nothing
    assert "Would fix" in diff.stderr
    subprocess.run([PATCH, "-s", "-p0"], input=diff.stdout, text=True, cwd=patched, check=True)
    run(fixed, "--fix", *options, "train.py")
    assert (patched / "train.py").read_bytes() == (fixed / "train.py").read_bytes()
    nothing = run(fixed, "--diff", *options, "train.py")
    assert (nothing.exit_code, nothing.stdout) == (0, "")


# --- the public apply function -----------------------------------------------------------------


def test_apply_replaces_inserts_and_deletes_in_code_points() -> None:
    text = "é = f(a, b=1)\r\nx = 'ü'\n"
    edits = [
        Edit("", 1, 8, 1, 13),  # ", b=1" after "a"
        Edit("z", 2, 1, 2, 2),
        Edit("  # ok", 2, 8, 2, 8),
    ]
    assert apply(text, edits) == "é = f(a)\r\nz = 'ü'  # ok\n"
    assert apply(text, [Edit("y", 1, 1, 1, 2, cell=3)], cell=3) == "y = f(a, b=1)\r\nx = 'ü'\n"
    assert apply(text, [Edit("y", 1, 1, 1, 2, cell=3)]) == text  # another cell's edit
    with pytest.raises(EditError):
        apply(text, [Edit("", 1, 2, 1, 5), Edit("", 1, 4, 1, 6)])
    with pytest.raises(EditError):
        apply(text, [Edit("", 9, 1, 9, 2)])
