"""`[tool.keras-headcheck]` in pyproject.toml: found upwards from the working directory, overridden
by flags, ignored with --isolated; ignores and severity overrides, and the exit codes they imply;
a bad configuration is one error line and exit 2."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import headfiles
from keras_headcheck.cli import main
from keras_headcheck.config import ConfigError, Settings, load_settings, parse_table


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with models/one.keras (HC101 + HC203), models/logits.keras (HC201) and
    legacy/two.keras (outputs price: HC101 + HC203, kind: HC201)."""
    headfiles.write_keras(str(tmp_path / "models" / "one.keras"), headfiles.softmax_one_unit_mse())
    headfiles.write_keras(
        str(tmp_path / "models" / "logits.keras"), headfiles.softmax_from_logits()
    )
    headfiles.write_keras(str(tmp_path / "legacy" / "two.keras"), headfiles.two_heads())
    return tmp_path


def configure(root: Path, body: str, name: str = "pyproject.toml") -> Path:
    path = root / name
    path.write_text(body)
    return path


def check(cwd: Path, *args: str) -> Any:
    """`keras-headcheck check ARGS` in this process, from `cwd`, JSON output unless asked."""
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, ["check", *args])
    finally:
        os.chdir(old)


def codes(result: Any) -> list[tuple[str, str, str]]:
    """(file, output, code) of each finding in a JSON report."""
    return [
        (os.path.basename(f["filename"]), f["output"], f["code"]) for f in json.loads(result.stdout)
    ]


def found(result: Any) -> set[str]:
    return {code for _, _, code in codes(result)}


JSON = ("--output-format", "json")


# -- precedence ---------------------------------------------------------------------------------


def test_select_from_the_file_and_flags_on_top(project: Path) -> None:
    configure(project, '[tool.keras-headcheck]\nselect = ["HC1"]\n')
    assert found(check(project, "models", *JSON)) == {"HC101"}
    assert found(check(project, "models", *JSON, "--select", "HC2")) == {"HC201", "HC203"}
    assert found(check(project, "models", *JSON, "--extend-select", "HC201")) == {"HC101", "HC201"}


def test_ignore_flags_add_to_the_file_and_a_flag_select_starts_over(project: Path) -> None:
    configure(project, '[tool.keras-headcheck]\nignore = ["HC101"]\n')
    assert found(check(project, "models", *JSON)) == {"HC201", "HC203"}
    assert found(check(project, "models", *JSON, "--ignore", "HC203")) == {"HC201"}
    assert found(check(project, "models", *JSON, "--select", "HC1")) == {"HC101"}


def test_isolated_ignores_the_configuration(project: Path) -> None:
    configure(project, '[tool.keras-headcheck]\nselect = ["HC1"]\noutput-format = "concise"\n')
    result = check(project, "models", "--isolated", *JSON)
    assert found(result) == {"HC101", "HC201", "HC203"}


def test_nearest_pyproject_with_the_table_is_found_upwards(project: Path) -> None:
    configure(project, '[tool.keras-headcheck]\nselect = ["HC2"]\n')
    sub = project / "models"
    configure(sub, '[project]\nname = "not-ours"\n')  # no table: keep looking upwards
    assert found(check(sub, ".", *JSON)) == {"HC201", "HC203"}


def test_config_option_reads_a_given_file(project: Path) -> None:
    configure(project, '[tool.keras-headcheck]\nselect = ["HC2"]\n')
    other = configure(project, 'select = ["HC101"]\n', name="headcheck.toml")
    assert found(check(project, "models", *JSON, "--config", str(other))) == {"HC101"}
    pyproject = configure(project / "legacy", '[tool.keras-headcheck]\nignore = ["HC2"]\n')
    assert found(check(project, "models", *JSON, "--config", str(pyproject))) == {"HC101"}


def test_output_format_from_the_file_and_the_flag_wins(project: Path) -> None:
    configure(project, '[tool.keras-headcheck]\noutput-format = "json"\n')
    assert found(check(project, "models")) == {"HC101", "HC201", "HC203"}
    assert check(project, "models", "--output-format", "concise").stdout.startswith("models/")


# -- ignores and severities ---------------------------------------------------------------------


def test_per_file_ignores_match_globs_relative_to_the_config(project: Path) -> None:
    configure(
        project,
        '[tool.keras-headcheck.per-file-ignores]\n"legacy/*" = ["HC1", "HC2"]\n'
        '"logits.keras" = ["HC201"]\n',
    )
    assert codes(check(project, ".", *JSON)) == [
        ("one.keras", "head", "HC101"),
        ("one.keras", "head", "HC203"),
    ]
    # Relative to the config file, also when run from a subdirectory.
    assert found(check(project / "legacy", ".", *JSON)) == set()


def test_per_file_ignores_double_star_also_matches_at_the_top(project: Path) -> None:
    configure(project, '[tool.keras-headcheck.per-file-ignores]\n"**/l*.keras" = ["HC"]\n')
    assert found(check(project, "models", *JSON)) == {"HC101", "HC203"}
    assert found(check(project / "models", "logits.keras", *JSON)) == set()


def test_per_output_ignores_match_output_or_layer_names(project: Path) -> None:
    configure(project, '[tool.keras-headcheck.per-output-ignores]\n"pri*" = ["HC1"]\n')
    assert codes(check(project, "legacy", *JSON)) == [
        ("two.keras", "kind", "HC201"),
        ("two.keras", "price", "HC203"),
    ]


def test_severity_override_changes_the_findings_and_the_exit_code(project: Path) -> None:
    logits = "models/logits.keras"
    assert check(project, logits, "--isolated", *JSON).exit_code == 1
    configure(project, '[tool.keras-headcheck.severity]\nHC201 = "info"\n')
    result = check(project, logits, *JSON)
    assert [f["severity"] for f in json.loads(result.stdout)] == ["info"]
    assert result.exit_code == 0
    sarif = json.loads(check(project, logits, "--output-format", "sarif").stdout)
    assert sarif["runs"][0]["results"][0]["level"] == "note"


def test_severity_override_by_prefix_the_longest_prefix_wins(project: Path) -> None:
    configure(project, '[tool.keras-headcheck.severity]\nHC2 = "warning"\nHC203 = "info"\n')
    severities = {
        f["code"]: f["severity"] for f in json.loads(check(project, "models", *JSON).stdout)
    }
    assert severities == {"HC101": "error", "HC201": "warning", "HC203": "info"}


@pytest.mark.parametrize(
    "config, flag, exit_code",
    [
        ('fail-on = ["error"]', None, 1),  # HC101 is an error
        ('fail-on = ["error"]\n[tool.keras-headcheck.severity]\nHC = "warning"', None, 0),
        ("", "none", 0),
        ("fail-on = []", "error,warning", 1),
        (
            'fail-on = ["info"]\n[tool.keras-headcheck.severity]\nHC1 = "info"\nHC2 = "info"',
            None,
            1,
        ),
    ],
)
def test_fail_on_decides_which_severities_fail_the_run(
    project: Path, config: str, flag: Any, exit_code: int
) -> None:
    configure(project, f"[tool.keras-headcheck]\n{config}\n")
    args = ["models", *JSON] + (["--fail-on", flag] if flag else [])
    result = check(project, *args)
    assert result.exit_code == exit_code, result.stderr


def test_an_unreadable_path_is_still_exit_2_whatever_fail_on_says(project: Path) -> None:
    configure(project, "[tool.keras-headcheck]\nfail-on = []\n")
    result = check(project, "models", "missing.keras", *JSON)
    assert result.exit_code == 2 and "missing.keras" in result.stderr


# -- fixing: `fix` and `unsafe-fixes`, overridden by --no-fix and --no-unsafe-fixes ----------

FIXES = Path(__file__).parent / "data" / "fixes"


def fixable(root: Path, name: str) -> Path:
    """A fixture of tests/data/fixes/ copied into the project as train.py."""
    target = root / "train.py"
    target.write_bytes((FIXES / name).read_bytes())
    return target


def test_fix_true_in_the_file_fixes_and_no_fix_overrides_it(project: Path) -> None:
    configure(project, "[tool.keras-headcheck]\nfix = true\n")
    script = fixable(project, "hc201.py")
    kept = check(project, "--no-fix", "train.py")
    assert kept.exit_code == 1 and script.read_bytes() == (FIXES / "hc201.py").read_bytes()
    assert "3 fixable with --fix" in kept.stderr
    fixed = check(project, "train.py")
    assert fixed.exit_code == 0, fixed.stderr
    assert script.read_bytes() == (FIXES / "hc201.fixed.py").read_bytes()
    assert fixed.stderr.strip() == "Checked 3 heads in 1 file: no problems left (3 fixed)."


def test_unsafe_fixes_true_in_the_file_and_no_unsafe_fixes_overrides_it(project: Path) -> None:
    configure(project, "[tool.keras-headcheck]\nunsafe-fixes = true\n")
    script = fixable(project, "hc203.py")
    assert "[*]" in check(project, "train.py").stdout  # shown as fixable, as with the flag
    kept = check(project, "--fix", "--no-unsafe-fixes", "train.py")
    assert kept.exit_code == 1 and script.read_bytes() == (FIXES / "hc203.py").read_bytes()
    assert "--unsafe-fixes" not in kept.stderr  # false: no hint, as ruff's
    fixed = check(project, "--fix", "train.py")
    assert script.read_bytes() == (FIXES / "hc203.fixed.py").read_bytes(), fixed.stderr


def test_unsafe_fixes_false_in_the_file_drops_the_hint(project: Path) -> None:
    fixable(project, "hc203.py")
    assert "3 fixes available with --unsafe-fixes" in check(project, "train.py").stderr
    configure(project, "[tool.keras-headcheck]\nunsafe-fixes = false\n")
    quiet = check(project, "train.py")
    assert quiet.exit_code == 1 and "unsafe" not in quiet.stderr, quiet.stderr
    assert "This is an unsafe fix" in quiet.stdout and "applies it" not in quiet.stdout
    assert "[*]" in check(project, "--unsafe-fixes", "train.py").stdout  # the flag still wins


def test_fix_keys_parse_to_the_settings() -> None:
    assert (Settings().fix, Settings().unsafe_fixes, Settings().show_fixes) == (False, None, False)
    settings = parse_table({"fix": True, "unsafe-fixes": True, "show-fixes": True}, "test")
    assert (settings.fix, settings.unsafe_fixes, settings.show_fixes) == (True, True, True)
    off = settings.override(fix=False, unsafe_fixes=False, show_fixes=False)
    assert (off.fix, off.unsafe_fixes, off.show_fixes) == (False, False, False)
    assert settings.override().fix is True  # no flag: the file's value


def test_show_fixes_true_in_the_file_lists_them_and_no_show_fixes_overrides_it(
    project: Path,
) -> None:
    configure(project, "[tool.keras-headcheck]\nshow-fixes = true\n")
    fixable(project, "hc201.py")
    listed = check(project, "--output-format", "concise", "train.py").stdout
    assert "3 findings fixable with --fix:\n- train.py:\n" in listed
    assert "fixable with --fix:" not in check(project, "--no-show-fixes", "train.py").stdout


# -- bad configurations -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, expected",
    [
        (
            '[tool.keras-headcheck]\nselct = ["HC1"]\n',
            "unknown key 'selct' (did you mean 'select'?)",
        ),
        ('[tool.keras-headcheck]\nselect = ["HC999"]\n', "unknown rule code 'HC999'"),
        ('[tool.keras-headcheck]\nselect = "HC1"\n', "select must be a list of rule codes"),
        ("[tool.keras-headcheck]\nignore = [1]\n", "ignore must be a list of rule codes"),
        ('[tool.keras-headcheck.per-file-ignores]\n"*.h5" = ["XX1"]\n', "unknown rule code 'XX1'"),
        (
            '[tool.keras-headcheck]\nper-output-ignores = ["HC1"]\n',
            "per-output-ignores must be a table",
        ),
        (
            '[tool.keras-headcheck.severity]\nHC201 = "fatal"\n',
            "'fatal' is not one of error, warning, info",
        ),
        ('[tool.keras-headcheck.severity]\nHC9999 = "info"\n', "unknown rule code 'HC9999'"),
        ('[tool.keras-headcheck]\noutput-format = "xml"\n', "output-format 'xml' is not one of"),
        ('[tool.keras-headcheck]\nfail-on = ["errors"]\n', "fail-on: 'errors' is not one of"),
        ('[tool.keras-headcheck]\nselect = ["HC1"\n', "invalid TOML"),
        ('[tool.keras-headcheck]\nfix = "yes"\n', "fix must be true or false, got 'yes'"),
        ("[tool.keras-headcheck]\nunsafe-fixes = 1\n", "unsafe-fixes must be true or false, got 1"),
        ("[tool.keras-headcheck]\nunsafe_fixes = true\n", "(did you mean 'unsafe-fixes'?)"),
        ('[tool.keras-headcheck]\nshow-fixes = "on"\n', "show-fixes must be true or false"),
    ],
)
def test_a_bad_config_is_one_error_line_and_exit_2(project: Path, body: str, expected: str) -> None:
    configure(project, body)
    result = check(project, "models", *JSON)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and expected in lines[0] and "pyproject.toml" in lines[0], lines


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--config", "nowhere.toml"], "nowhere.toml: no such config file"),
        (["--config", "x.toml", "--isolated"], "cannot be used together"),
        (["--select", "HC1,BOGUS"], "--select: unknown rule code 'BOGUS'"),
        (["--extend-select", "HC77"], "--extend-select: unknown rule code 'HC77'"),
        (["--fail-on", "fatal"], "--fail-on: 'fatal' is not one of"),
    ],
)
def test_bad_flags_are_one_error_line_and_exit_2(
    project: Path, args: list[str], expected: str
) -> None:
    result = check(project, "models", *args)
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and expected in lines[0], lines


def test_bad_toml_in_an_unrelated_pyproject_on_the_way_up_is_reported(project: Path) -> None:
    configure(project, "this is = = not toml")
    result = check(project / "models", ".", *JSON)
    assert result.exit_code == 2 and "invalid TOML" in result.stderr


# -- the settings object ------------------------------------------------------------------------


def test_rule_selection_is_layered_file_then_command_line() -> None:
    settings = parse_table({"select": ["HC2"], "ignore": ["HC201"]}, "test")
    assert [r.code for r in settings.rules()][:2] == ["HC202", "HC203"]
    assert "HC201" not in {r.code for r in settings.rules()}
    on_top = settings.override(extend_select=["HC101"], ignore=["HC202"])
    chosen = {r.code for r in on_top.rules()}
    assert "HC101" in chosen and "HC202" not in chosen and "HC201" not in chosen
    assert {r.code for r in settings.override(select=["HC201"]).rules()} == {"HC201"}


def test_defaults_select_every_rule_and_fail_on_errors_and_warnings() -> None:
    settings = Settings()
    assert len(settings.rules()) > 20
    assert settings.fail_on == {"error", "warning"} and settings.output_format is None


def test_load_settings_isolated_reads_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(tmp_path, "not toml at all = =")
    monkeypatch.chdir(tmp_path)
    assert load_settings(isolated=True).selections == ()
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_settings()
