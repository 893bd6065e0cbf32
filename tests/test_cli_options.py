"""ruff's options, where they mean the same (CONTRACT.md): default path, stdin, --exit-zero, -q,
--show-files, --exclude / --extend-exclude / .gitignore, `# noqa`, --statistics, --targets pairs,
unreadable paths in the CI formats, and the summary line. Sources are used where they serve
(no TensorFlow in the subprocess); one saved file comes from the zoo."""

from __future__ import annotations

import json
import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pytest

Cli = Callable[..., Any]

# HC101 and HC203 on line 3 (the head layer), both errors.
BAD = """import keras
model = keras.Sequential([keras.Input((4,)),
                          keras.layers.Dense(1, activation="softmax")])
model.compile(loss="mse")
"""
GOOD = """import keras
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
model.compile(loss="binary_crossentropy")
"""
# HC901: the head is not interpreted (a subclassed layer's output), nothing else.
SKIPPED = """import keras
class Head(keras.layers.Layer):
    def call(self, x):
        return x
inputs = keras.Input((4,))
model = keras.Model(inputs, Head()(inputs))
model.compile(loss="mse")
"""
NOT_KERAS = "print('hello')\n"


def tree(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def json_check(cli: Cli, *args: str, **options: Any) -> Any:
    return cli("check", "--isolated", "--output-format", "json", *args, **options)


def files_of(result: Any) -> set[str]:
    return {f["filename"] for f in result.findings}


# --- paths: the default `.`, and stdin ------------------------------------------------------------


def test_no_path_checks_the_current_directory(tmp_path: Path, cli: Cli) -> None:
    tree(tmp_path, {"train.py": BAD, "sub/ok.py": GOOD})
    result = json_check(cli, cwd=tmp_path)
    assert result.returncode == 1
    assert files_of(result) == {"train.py"}


def test_dash_reads_a_source_from_stdin_named_by_stdin_filename(tmp_path: Path, cli: Cli) -> None:
    result = cli("check", "--isolated", "-", "--stdin-filename", "pkg/train.py", stdin=BAD,
                 cwd=tmp_path)
    assert result.returncode == 1
    assert "pkg/train.py:3:27: HC101" in result.stdout
    assert 'keras.layers.Dense(1, activation="softmax")' in result.stdout  # quoted from stdin
    assert result.stderr_lines[-1] == (  # HC101 and HC203 share one unsafe fix (a sigmoid)
        "Checked 1 head in 1 file: 2 errors; 2 fixes available with --unsafe-fixes.")


def test_stdin_filename_alone_reads_stdin_and_dash_alone_is_named_dash(cli: Cli) -> None:
    named = json_check(cli, "--stdin-filename", "x.py", stdin=BAD)
    assert [(f["filename"], f["line"]) for f in named.findings] == [("x.py", 3), ("x.py", 3)]
    dash = json_check(cli, "-", stdin=GOOD)
    assert (dash.returncode, dash.findings) == (0, [])


def test_stdin_with_files(tmp_path: Path, cli: Cli) -> None:
    tree(tmp_path, {"a.py": BAD})
    result = json_check(cli, str(tmp_path / "a.py"), "-", stdin=BAD)
    assert files_of(result) == {str(tmp_path / "a.py"), "-"}


def test_stdin_cannot_be_named_as_a_saved_model(cli: Cli) -> None:
    result = cli("check", "-", "--stdin-filename", "m.keras", stdin="x")
    assert result.returncode == 2 and len(result.stderr_lines) == 1


# --- exit status and quiet ----------------------------------------------------------------------


def test_exit_zero_makes_findings_exit_0(tmp_path: Path, cli: Cli) -> None:
    tree(tmp_path, {"train.py": BAD})
    result = json_check(cli, "--exit-zero", str(tmp_path))
    assert result.returncode == 0 and len(result.findings) == 2


def test_exit_zero_still_exits_2_on_an_unreadable_path(tmp_path: Path, cli: Cli) -> None:
    tree(tmp_path, {"train.py": BAD, "broken.py": "def (:\n"})
    result = json_check(cli, "--exit-zero", str(tmp_path))
    assert result.returncode == 2 and len(result.findings) == 2


def test_quiet_prints_findings_only(tmp_path: Path, cli: Cli) -> None:
    tree(tmp_path, {"train.py": BAD})
    loud = cli("check", "--isolated", str(tmp_path))
    quiet = cli("check", "--isolated", "-q", str(tmp_path))
    assert loud.stderr.startswith("Checked") and quiet.stderr == ""
    assert quiet.stdout == loud.stdout and "HC101" in quiet.stdout


# --- what a directory search skips ----------------------------------------------------------------

SKIPPABLE = {
    "train.py": BAD,
    "dist/model.py": BAD,
    "node_modules/x/model.py": BAD,
    ".ipynb_checkpoints/model.py": BAD,
    "scratch/tmp.py": BAD,
    "data/gen.py": BAD,
    ".gitignore": "scratch/\n*.py\n!train.py\n!dist/*.py\n",
    "sub/.gitignore": "!keep.py\n",
    "sub/keep.py": BAD,
}


def test_show_files_lists_what_is_checked_and_why_the_rest_is_skipped(tmp_path: Path, cli: Cli) -> None:
    tree(tmp_path, SKIPPABLE)
    result = cli("check", "--isolated", "--show-files", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.splitlines() == ["sub/keep.py", "train.py"]
    skipped = "\n".join(result.stderr_lines)
    assert "skipped dist/ (exclude: dist)" in skipped
    assert "skipped node_modules/ (exclude: node_modules)" in skipped
    assert "skipped .ipynb_checkpoints/ (exclude: .ipynb_checkpoints)" in skipped
    assert "skipped scratch/ (ignored by .gitignore: scratch/)" in skipped
    assert "skipped data/gen.py (ignored by .gitignore: *.py)" in skipped


def test_no_respect_gitignore(tmp_path: Path, cli: Cli) -> None:
    tree(tmp_path, SKIPPABLE)
    result = cli("check", "--isolated", "--show-files", "--no-respect-gitignore", cwd=tmp_path)
    assert result.stdout.splitlines() == ["data/gen.py", "scratch/tmp.py", "sub/keep.py", "train.py"]


def test_exclude_replaces_the_defaults_and_extend_exclude_adds(tmp_path: Path, cli: Cli) -> None:
    tree(tmp_path, {"train.py": BAD, "dist/model.py": BAD, "exp/old.py": BAD, "exp/new.py": BAD})
    listed = lambda *args: cli("check", "--isolated", "--show-files", *args, cwd=tmp_path).stdout.split()
    assert listed() == ["exp/new.py", "exp/old.py", "train.py"]
    assert listed("--exclude", "exp") == ["dist/model.py", "train.py"]
    assert listed("--extend-exclude", "exp/old.py") == ["exp/new.py", "train.py"]
    assert listed("--extend-exclude", "old.py,new.py") == ["train.py"]


def test_exclude_keys_in_the_config(tmp_path: Path, cli: Cli) -> None:
    tree(tmp_path, {"train.py": BAD, "dist/model.py": BAD, "exp/old.py": BAD, "ignored/x.py": BAD,
                    ".gitignore": "ignored/\n",
                    "pyproject.toml": '[tool.keras-headcheck]\nextend-exclude = ["exp/*.py"]\n'})
    result = cli("check", "--show-files", cwd=tmp_path)
    assert result.stdout.split() == ["train.py"]
    (tmp_path / "pyproject.toml").write_text(
        '[tool.keras-headcheck]\nexclude = ["train.py"]\nrespect-gitignore = false\n')
    result = cli("check", "--show-files", cwd=tmp_path)
    assert result.stdout.split() == ["dist/model.py", "exp/old.py", "ignored/x.py"]


def test_exclude_key_must_be_a_list_of_globs(tmp_path: Path, cli: Cli) -> None:
    tree(tmp_path, {"pyproject.toml": '[tool.keras-headcheck]\nexclude = "dist"\n'})
    result = cli("check", cwd=tmp_path)
    assert result.returncode == 2 and "exclude must be a list of globs" in result.stderr


def test_a_path_named_on_the_command_line_is_always_checked(tmp_path: Path, cli: Cli) -> None:
    tree(tmp_path, {"dist/model.py": BAD, "scratch/tmp.py": BAD, ".gitignore": "scratch/\n"})
    result = json_check(cli, "dist/model.py", "scratch/tmp.py", "--exclude", "model.py", cwd=tmp_path)
    assert files_of(result) == {"dist/model.py", "scratch/tmp.py"}
    inside = json_check(cli, "dist", cwd=tmp_path)  # a named directory: its files are checked
    assert files_of(inside) == {"dist/model.py"}


def test_a_broken_model_under_dist_is_named_by_show_files(tmp_path: Path, cli: Cli) -> None:
    tree(tmp_path, {"dist/model.keras": "not a model"})
    result = cli("check", "--isolated", cwd=tmp_path)
    assert result.stderr_lines == ["No model files or sources found."]
    shown = cli("check", "--isolated", "--show-files", cwd=tmp_path)
    assert "skipped dist/ (exclude: dist)" in shown.stderr


# --- `# noqa` --------------------------------------------------------------------------------


@pytest.mark.parametrize("comment, expected", [
    ("# noqa: HC203", ["HC101"]),
    ("# noqa:HC101,HC203", []),
    ("# NOQA", []),
    ("# noqa: E501", ["HC101", "HC203"]),  # another tool's code silences nothing here
    ("# headcheck: ignore[HC1]  # noqa: HC203", []),
])
def test_noqa(comment: str, expected: list[str], tmp_path: Path, cli: Cli) -> None:
    source = BAD.replace('activation="softmax")])', f'activation="softmax")])  {comment}')
    tree(tmp_path, {"train.py": source})
    result = json_check(cli, str(tmp_path / "train.py"))
    assert [f["code"] for f in result.findings] == expected


# --- --statistics ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["full", "concise"])
def test_statistics_in_text_formats(fmt: str, tmp_path: Path, cli: Cli) -> None:
    tree(tmp_path, {"a.py": BAD, "b.py": BAD})
    result = cli("check", "--isolated", "--statistics", "--output-format", fmt, str(tmp_path))
    assert result.stdout.splitlines() == [
        "2\tHC101\tsoftmax-on-single-unit", "2\tHC203\tsoftmax-with-regression-loss"]


@pytest.mark.parametrize("fmt", ["json", "json-lines"])
def test_statistics_in_json_formats(fmt: str, tmp_path: Path, cli: Cli) -> None:
    tree(tmp_path, {"a.py": BAD})
    result = cli("check", "--isolated", "--statistics", "--output-format", fmt, str(tmp_path))
    rows = json.loads(result.stdout) if fmt == "json" else [json.loads(x) for x in result.stdout.splitlines()]
    assert [(r["code"], r["count"]) for r in rows] == [("HC101", 1), ("HC203", 1)]


@pytest.mark.parametrize("fmt", ["sarif", "junit", "github"])
def test_statistics_is_refused_where_counts_have_no_place(fmt: str, tmp_path: Path, cli: Cli) -> None:
    tree(tmp_path, {"a.py": BAD})
    result = cli("check", "--isolated", "--statistics", "--output-format", fmt, str(tmp_path))
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr_lines) == 1 and "--statistics" in result.stderr


# --- --targets ---------------------------------------------------------------------------------

CLASSES = """import keras
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="softmax")])
model.compile(loss="categorical_crossentropy")
"""


def test_targets_file_refuses_a_directory_of_several_models(tmp_path: Path, cli: Cli) -> None:
    tree(tmp_path, {"m/a.py": CLASSES, "m/b.py": CLASSES})
    np.save(tmp_path / "ids.npy", np.arange(40) % 4)
    result = json_check(cli, str(tmp_path / "m"), "--targets", str(tmp_path / "ids.npy"))
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr_lines) == 1 and "MODEL=FILE" in result.stderr


def test_targets_model_file_pairs(tmp_path: Path, cli: Cli) -> None:
    tree(tmp_path, {"m/a.py": CLASSES, "m/b.py": CLASSES})
    np.save(tmp_path / "ids.npy", np.arange(40) % 4)
    np.save(tmp_path / "one_hot.npy", np.eye(4, dtype="float32")[np.arange(40) % 4])
    result = json_check(cli, "m", "--targets", "m/a.py=ids.npy", "--targets", "m/b.py=one_hot.npy",
                        cwd=tmp_path)
    assert [(f["filename"], f["code"]) for f in result.findings] == [("m/a.py", "HC401")]


def test_targets_pair_for_a_path_not_checked(tmp_path: Path, cli: Cli) -> None:
    tree(tmp_path, {"a.py": CLASSES})
    np.save(tmp_path / "ids.npy", np.arange(40) % 4)
    result = json_check(cli, "a.py", "--targets", "b.py=ids.npy", cwd=tmp_path)
    assert result.returncode == 2 and len(result.stderr_lines) == 1 and "b.py" in result.stderr


# --- unreadable paths in the CI formats ----------------------------------------------------------


@pytest.fixture()
def unreadable_and_findings(tmp_path: Path) -> Path:
    return tree(tmp_path, {"train.py": BAD, "broken.py": "def (:\n"})


def test_sarif_reports_an_unreadable_path(unreadable_and_findings: Path, cli: Cli) -> None:
    result = cli("check", "--isolated", "--output-format", "sarif", ".", cwd=unreadable_and_findings)
    assert result.returncode == 2
    (invocation,) = json.loads(result.stdout)["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and note["message"]["text"].startswith("broken.py: not valid Python")
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken.py"


def test_sarif_run_is_successful_when_everything_was_read(tmp_path: Path, cli: Cli) -> None:
    tree(tmp_path, {"train.py": BAD})
    result = cli("check", "--isolated", "--output-format", "sarif", ".", cwd=tmp_path)
    (invocation,) = json.loads(result.stdout)["runs"][0]["invocations"]
    assert invocation == {"executionSuccessful": True, "toolExecutionNotifications": []}


def test_junit_reports_an_unreadable_path_as_an_error(unreadable_and_findings: Path, cli: Cli) -> None:
    result = cli("check", "--isolated", "--output-format", "junit", ".", cwd=unreadable_and_findings)
    root = ET.fromstring(result.stdout)
    assert (root.get("errors"), root.get("failures"), root.get("tests")) == ("1", "2", "3")
    (error,) = root.iter("error")
    assert error.get("type") == "unreadable" and "not valid Python" in error.get("message", "")


def test_github_reports_an_unreadable_path(unreadable_and_findings: Path, cli: Cli) -> None:
    result = cli("check", "--isolated", "--output-format", "github", ".", cwd=unreadable_and_findings)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::error file=broken.py,title=cannot read::broken.py: not valid Python")
    assert len(lines) == 3


@pytest.mark.parametrize("content, says", [
    (b"version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123\n",
     "Git LFS pointer: run `git lfs pull`"),
    (b"\n<!DOCTYPE html>\n<html><body>Sign in</body></html>", "an HTML page"),
])
def test_stand_ins_for_a_model_say_what_they_are(content: bytes, says: str, tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "model.h5").write_bytes(content)
    result = json_check(cli, str(tmp_path / "model.h5"))
    assert result.returncode == 2 and len(result.stderr_lines) == 1
    assert says in result.stderr_lines[0]


# --- the summary ---------------------------------------------------------------------------------


def summary(cli: Cli, *paths: str, cwd: Any = None, stdin: Any = None) -> Any:
    result = cli("check", "--isolated", *paths, cwd=cwd, stdin=stdin)
    return result.returncode, result.stderr_lines[-1]


def test_summary_empty_directory(tmp_path: Path, cli: Cli) -> None:
    assert summary(cli, str(tmp_path)) == (0, "No model files or sources found.")


def test_summary_clean(tmp_path: Path, cli: Cli) -> None:
    tree(tmp_path, {"a.py": GOOD, "b.py": GOOD})
    assert summary(cli, str(tmp_path)) == (0, "Checked 2 heads in 2 files: no problems.")


def test_summary_files_without_models(tmp_path: Path, cli: Cli) -> None:
    tree(tmp_path, {"a.py": NOT_KERAS})
    assert summary(cli, str(tmp_path)) == (0, "Checked 1 file: no Keras models in it.")


def test_summary_files_whose_compiles_are_not_checked_on_purpose(tmp_path: Path, cli: Cli) -> None:
    unbuilt = "import keras\nmodel = keras.Sequential()\nmodel.compile(loss='mse')\n"
    tree(tmp_path, {"a.py": unbuilt, "b.py": NOT_KERAS})  # compiled before it has a layer
    assert summary(cli, str(tmp_path)) == (0, "Checked 2 files: no head to check in them; "
                                              "1 compile not checked on purpose (--show-heads says why).")


def test_summary_all_skipped(tmp_path: Path, cli: Cli) -> None:
    tree(tmp_path, {"a.py": SKIPPED})
    code, line = summary(cli, str(tmp_path))
    assert (code, line) == (0, "Checked 1 head in 1 file: no problems found in it; "
                               "1 head skipped (HC9xx, see above).")


# Two skipped heads, each counted: one construct skipped for two models is reported once; each
# method's `model` is its own (named after the method, as a function's is).
TWO_SKIPPED_HEADS = {
    "shared_finding": (
        "import keras\n"
        "inputs = keras.Input((4,))\n"
        "first = keras.Model(inputs, inputs)\n"
        "first.compile(loss='mse')\n"
        "second = keras.Model(inputs, inputs)\n"
        "second.compile(loss='mse')\n"
    ),
    "two_methods": (
        "import keras\n"
        "from helpers import body\n"
        "class T:\n"
        "    def test_a(self):\n"
        "        inputs = keras.Input((4,))\n"
        "        model = keras.Model(inputs, body(inputs))\n"
        "        model.compile(loss='mse')\n"
        "    def test_b(self):\n"
        "        inputs = keras.Input((4,))\n"
        "        model = keras.Model(inputs, body(inputs, rate=0.0))\n"
        "        model.compile(loss='mse')\n"
    ),
}


@pytest.mark.parametrize("source", TWO_SKIPPED_HEADS.values(), ids=TWO_SKIPPED_HEADS)
def test_summary_counts_every_skipped_head(tmp_path: Path, cli: Cli, source: str) -> None:
    tree(tmp_path, {"a.py": source})
    code, line = summary(cli, str(tmp_path))
    assert (code, line) == (0, "Checked 2 heads in 1 file: no problems found in it; "
                               "2 heads skipped (HC9xx, see above).")


def test_summary_unreadable_and_findings(unreadable_and_findings: Path, cli: Cli) -> None:
    assert summary(cli, ".", cwd=unreadable_and_findings) == (
        2, "Checked 1 head in 1 file: 2 errors; 1 path could not be read (see above); "
           "2 fixes available with --unsafe-fixes.")


def test_summary_unreadable_only(tmp_path: Path, cli: Cli) -> None:
    tree(tmp_path, {"broken.py": "def (:\n", "a.py": GOOD})
    code, line = summary(cli, str(tmp_path))
    assert code == 2 and "no problems." not in line
    assert line == ("Checked 1 head in 1 file: no problems found in it; "
                    "1 path could not be read (see above).")
    code, line = summary(cli, str(tmp_path / "broken.py"))
    assert (code, line) == (2, "Nothing was checked: 1 path could not be read (see above).")


def test_summary_stdin(cli: Cli) -> None:
    assert summary(cli, "-", stdin=GOOD) == (0, "Checked 1 head in 1 file: no problems.")


def test_summary_of_a_saved_model(zoo_models: Any, tmp_path: Path, cli: Cli) -> None:
    shutil.copy(zoo_models.path("tutorial_logits", "keras3", "keras"), tmp_path / "m.keras")
    assert summary(cli, str(tmp_path)) == (0, "Checked 1 head in 1 file: no problems.")


# --- colour --------------------------------------------------------------------------------------


def test_color(tmp_path: Path, cli: Cli) -> None:
    tree(tmp_path, {"a.py": BAD})
    path = str(tmp_path / "a.py")
    assert "\x1b[" in cli("check", "--isolated", "--color", "always", path).stdout
    assert "\x1b[" not in cli("check", "--isolated", "--color", "never", path).stdout
    assert "\x1b[" not in cli("check", "--isolated", path).stdout  # a pipe: no colour
    forced = cli("check", "--isolated", path, env={"FORCE_COLOR": "1", "NO_COLOR": ""}).stdout
    assert "\x1b[" in forced
    assert "\x1b[" not in cli("check", "--isolated", path, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout


def test_a_fifo_in_a_directory_is_skipped_not_opened(tmp_path: Path, cli: Cli) -> None:
    tree(tmp_path, {"train.py": BAD})
    os.mkfifo(tmp_path / "model.keras")
    result = cli("check", "--isolated", "--show-files", cwd=tmp_path)
    assert result.stdout.split() == ["train.py"]
    assert "skipped model.keras (not a regular file)" in result.stderr
    assert json_check(cli, cwd=tmp_path).returncode == 1  # linted the script, did not block
