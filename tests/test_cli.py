"""The command line against CONTRACT.md: exit codes, selection, the JSON findings, bad inputs, docs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, Callable
from urllib.parse import unquote, urlparse

import h5py
import pytest

from keras_headcheck.rules import RULES

SEED = "seed000_softmax_one_unit_mse"  # HC101 + HC203, both errors
CONTRACT_FIELDS = ("code", "name", "severity", "filename", "output", "layer", "line", "message", "fix", "url")
DOC_SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "Use instead:")


@pytest.fixture(scope="module")
def seed(zoo_models: Any) -> str:
    return zoo_models.path(SEED, "keras3", "keras")


def codes(result: Any) -> list[str]:
    return [f["code"] for f in result.findings]


# --- exit status ---------------------------------------------------------------------------------


def test_exit_0_when_clean(zoo_models: Any, cli: Callable[..., Any]) -> None:
    result = cli("check", "--output-format", "json", zoo_models.path("tutorial_logits", "keras3", "keras"))
    assert (result.returncode, result.findings) == (0, [])


def test_exit_0_when_only_info(zoo_models: Any, cli: Callable[..., Any]) -> None:
    result = cli("check", "--output-format", "json", zoo_models.path("lambda_output", "keras3", "keras"))
    assert (result.returncode, codes(result)) == (0, ["HC901"])


def test_exit_1_on_errors_and_warnings(seed: str, zoo_models: Any, cli: Callable[..., Any]) -> None:
    assert cli("check", "--output-format", "json", seed).returncode == 1
    warning_only = zoo_models.path("softmax_with_mse", "keras2", "h5")
    result = cli("check", "--output-format", "json", warning_only)
    assert (result.returncode, [f["severity"] for f in result.findings]) == (1, ["warning"])


def test_exit_1_in_the_default_output_format(seed: str, cli: Callable[..., Any]) -> None:
    result = cli("check", seed)
    assert result.returncode == 1
    assert "HC101" in result.stdout and "HC203" in result.stdout


@pytest.mark.parametrize("args", [
    ("check", "--output-format", "yaml", "x.keras"),
    ("check", "--no-such-option", "x.keras"),
])
def test_exit_2_on_wrong_options(args: tuple[str, ...], cli: Callable[..., Any]) -> None:
    assert cli(*args).returncode == 2


# --- --select / --ignore -------------------------------------------------------------------------


@pytest.mark.parametrize("options, expected", [
    ((), ["HC101", "HC203"]),
    (("--select", "HC101"), ["HC101"]),
    (("--select", "HC2"), ["HC203"]),
    (("--select", "HC1", "--select", "HC2"), ["HC101", "HC203"]),
    (("--select", "HC101,HC203"), ["HC101", "HC203"]),
    (("--select", "HC3"), []),
    (("--ignore", "HC1"), ["HC203"]),
    (("--ignore", "HC203"), ["HC101"]),
    (("--ignore", "HC101,HC2"), []),
    (("--select", "HC2", "--ignore", "HC203"), []),
    (("--select", "HC", "--ignore", "HC10"), ["HC203"]),
])
def test_select_and_ignore_take_codes_and_prefixes(
    options: tuple[str, ...], expected: list[str], seed: str, cli: Callable[..., Any]
) -> None:
    result = cli("check", "--output-format", "json", *options, seed)
    assert codes(result) == expected
    assert result.returncode == (1 if expected else 0)


@pytest.mark.parametrize("options", [("--select", "HC999"), ("--ignore", "HC7"), ("--select", "HC101,XYZ")])
def test_unknown_codes_exit_2(options: tuple[str, ...], seed: str, cli: Callable[..., Any]) -> None:
    result = cli("check", "--output-format", "json", *options, seed)
    assert result.returncode == 2
    assert options[1].split(",")[-1] in result.stderr


# --- the JSON findings ---------------------------------------------------------------------------


def test_json_findings_have_the_contract_fields(zoo_models: Any, cli: Callable[..., Any]) -> None:
    path = zoo_models.path("multi_output_dict_losses_wrong", "keras2", "savedmodel")
    result = cli("check", "--output-format", "json", path)
    assert {(f["code"], f["output"]) for f in result.findings} == {
        ("HC101", "reg"), ("HC203", "reg"), ("HC204", "cls")
    }
    for finding in result.findings:
        assert set(CONTRACT_FIELDS) <= set(finding), finding
        rule = RULES[finding["code"]]
        assert re.fullmatch(r"HC\d{3}", finding["code"])
        assert finding["name"] == rule.name and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", finding["name"])
        assert finding["severity"] in ("error", "warning", "info")
        assert finding["filename"] == path
        assert finding["layer"] and isinstance(finding["layer"], str)
        assert finding["line"] is None
        for text in ("message", "fix"):
            assert finding[text].strip() and "\n" not in finding[text], text
        assert finding["fix"] == rule.fix
        # The rule docs shipped in the package that ran (the CLI may run an installed copy).
        assert finding["url"].endswith(rule.url.rsplit("/", 1)[-1]), finding["url"]
        assert finding["url"].startswith("https://") or _shipped_file(finding["url"]).is_file()


def _shipped_file(url: str) -> Path:
    return Path(unquote(urlparse(url).path))


def test_json_filename_is_the_path_as_given(zoo_models: Any, cli: Callable[..., Any]) -> None:
    relative = os.path.relpath(zoo_models.path(SEED, "keras2", "h5"), zoo_models.root)
    for given in (relative, "./" + relative):
        result = cli("check", "--output-format", "json", given, cwd=zoo_models.root)
        assert {f["filename"] for f in result.findings} == {given}


def test_json_filename_under_a_given_directory(zoo_models: Any, cli: Callable[..., Any]) -> None:
    result = cli("check", "--output-format", "json", os.path.join("zoo", SEED), cwd=zoo_models.root)
    assert {f["filename"] for f in result.findings} == {
        os.path.join("zoo", SEED, name)
        for name in ("keras2.h5", "keras2.keras", "keras2_savedmodel", "keras3.h5", "keras3.keras")
    }


def test_json_findings_are_sorted_by_filename_output_code(zoo_models: Any, cli: Callable[..., Any]) -> None:
    paths = [
        zoo_models.path(case, lib, fmt)
        for case, lib, fmt in [
            ("multi_output_dict_losses_wrong", "keras3", "h5"),
            (SEED, "keras3", "keras"),
            ("accuracy_with_softmax_bce", "keras2", "keras"),
            ("multi_output_dict_losses_wrong", "keras3", "keras"),
        ]
    ]
    findings = cli("check", "--output-format", "json", *paths).findings
    keys = [(f["filename"], f["output"], f["code"]) for f in findings]
    assert len(keys) == 10
    assert keys == sorted(keys)


def test_json_stdout_is_an_empty_array_when_clean(zoo_models: Any, cli: Callable[..., Any]) -> None:
    result = cli("check", "--output-format", "json", zoo_models.path("softmax_with_cce", "keras2", "savedmodel"))
    assert result.stdout.strip() == "[]"


# --- unreadable paths ------------------------------------------------------------------------------


def _write(path: str, data: bytes) -> str:
    with open(path, "wb") as handle:
        handle.write(data)
    return path


def _dataset_only_h5(path: str) -> str:
    with h5py.File(path, "w") as handle:
        handle.create_dataset("x", data=[1.0, 2.0, 3.0])
    return path


def _truncated_zip(path: str, source: str) -> str:
    with open(source, "rb") as handle:
        data = handle.read()
    return _write(path, data[: len(data) // 2])


def _savedmodel_without_metadata(path: str, source: str) -> str:
    shutil.copytree(source, path)
    os.remove(os.path.join(path, "keras_metadata.pb"))
    return path


BAD_INPUTS: dict[str, Callable[[str, Any], str]] = {
    "empty file": lambda d, z: _write(os.path.join(d, "empty.keras"), b""),
    "text named .keras": lambda d, z: _write(os.path.join(d, "x.keras"), b"just some text\n"),
    "text named .h5": lambda d, z: _write(os.path.join(d, "notes.h5"), b"not hdf5\n"),
    "truncated .keras zip": lambda d, z: _truncated_zip(
        os.path.join(d, "truncated.keras"), z.path("tutorial_logits", "keras3", "keras")),
    "h5 with only a dataset": lambda d, z: _dataset_only_h5(os.path.join(d, "data.h5")),
    "weights-only .weights.h5": lambda d, z: z.extra("weights_only.weights.h5"),
    "Keras 3 model.export() SavedModel": lambda d, z: z.extra("exported_savedmodel"),
    "SavedModel without keras_metadata.pb": lambda d, z: _savedmodel_without_metadata(
        os.path.join(d, "no_metadata"), z.path("tutorial_logits", "keras2", "savedmodel")),
    "nonexistent path": lambda d, z: os.path.join(d, "missing.keras"),
}


@pytest.mark.parametrize("make", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_unreadable_path_is_one_stderr_line_and_the_rest_is_still_linted(
    make: Callable[[str, Any], str], tmp_path: Any, seed: str, zoo_models: Any, cli: Callable[..., Any]
) -> None:
    bad = make(str(tmp_path), zoo_models)
    result = cli("check", "--output-format", "json", seed, bad)
    assert result.returncode == 2
    assert [line for line in result.stderr_lines if bad in line] == [result.stderr.strip()], result.stderr
    assert codes(result) == ["HC101", "HC203"]
    assert {f["filename"] for f in result.findings} == {seed}


def test_every_unreadable_path_is_reported_once(tmp_path: Any, seed: str, zoo_models: Any, cli: Callable[..., Any]) -> None:
    bad = [make(str(tmp_path), zoo_models) for make in BAD_INPUTS.values()]
    result = cli("check", "--output-format", "json", *bad, seed)
    assert result.returncode == 2
    for path in bad:
        assert len([line for line in result.stderr_lines if f"{path}:" in line]) == 1, (path, result.stderr)
    assert codes(result) == ["HC101", "HC203"]


def test_unreadable_file_inside_a_directory(tmp_path: Any, seed: str, cli: Callable[..., Any]) -> None:
    shutil.copy(seed, tmp_path / "good.keras")
    _write(str(tmp_path / "broken.keras"), b"PK\x03\x04 not really a zip")
    result = cli("check", "--output-format", "json", str(tmp_path))
    assert result.returncode == 2
    assert len([line for line in result.stderr_lines if "broken.keras" in line]) == 1
    assert {f["filename"] for f in result.findings} == {str(tmp_path / "good.keras")}


def test_directory_search_finds_every_format_and_skips_tool_directories(
    tmp_path: Any, zoo_models: Any, cli: Callable[..., Any]
) -> None:
    sources = {
        "a/model.keras": zoo_models.path(SEED, "keras3", "keras"),
        "a/b/model.h5": zoo_models.path(SEED, "keras2", "h5"),
        "a/b/model.hdf5": zoo_models.path(SEED, "keras3", "h5"),
        "saved": zoo_models.path(SEED, "keras2", "savedmodel"),
        ".git/model.keras": zoo_models.path(SEED, "keras3", "keras"),
        "__pycache__/model.keras": zoo_models.path(SEED, "keras3", "keras"),
        "env/lib/model.keras": zoo_models.path(SEED, "keras3", "keras"),
    }
    for relative, source in sources.items():
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if os.path.isdir(source) else shutil.copy)(source, target)
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    result = cli("check", "--output-format", "json", str(tmp_path))
    found = {os.path.relpath(f["filename"], tmp_path) for f in result.findings}
    assert found == {"a/model.keras", "a/b/model.h5", "a/b/model.hdf5", "saved"}


# --- rule documentation ----------------------------------------------------------------------------


def test_rule_prints_one_rule(cli: Callable[..., Any]) -> None:
    result = cli("rule", "HC101")
    assert result.returncode == 0
    assert "softmax-on-single-unit" in result.stdout and "HC101" in result.stdout
    assert all(section in result.stdout for section in DOC_SECTIONS)


def test_rule_all_lists_every_rule(cli: Callable[..., Any]) -> None:
    result = cli("rule", "--all")
    assert result.returncode == 0
    for code, rule in RULES.items():
        assert f"{rule.name} ({code})" in result.stdout


def test_rule_with_an_unknown_code_exits_2(cli: Callable[..., Any]) -> None:
    assert cli("rule", "HC999").returncode == 2


def test_console_script(tmp_path: Any) -> None:
    exe = shutil.which("keras-headcheck")
    if exe is None:
        pytest.skip("the keras-headcheck console script is not installed")
    proc = subprocess.run([exe, "rule", "HC203"], capture_output=True, text=True, cwd=tmp_path, check=False)
    assert proc.returncode == 0 and "softmax-with-regression-loss" in proc.stdout


@pytest.mark.parametrize("code", list(RULES))
def test_every_rule_doc_has_the_required_sections(code: str) -> None:
    doc = RULES[code].doc
    missing = [section for section in DOC_SECTIONS if section not in doc]
    assert not missing, f"{code} doc lacks {missing}"
    order = [doc.index(section) for section in DOC_SECTIONS]
    assert order == sorted(order), f"{code} doc sections are out of order"
