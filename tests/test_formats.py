"""Every output format: what it writes, and that CI tools can read it (SARIF against the official
2.1.0 schema plus what GitHub code scanning requires; GitHub's escaping; JUnit XML that parses)."""

from __future__ import annotations

import io
import json
import os
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

import headfiles
from keras_headcheck.cli import main
from keras_headcheck.findings import Finding
from keras_headcheck.output import FORMATS, get_reporter
from keras_headcheck.output.github import escape_data, escape_property
from keras_headcheck.rules import RULES

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())


def finding(code: str = "HC201", **changes: Any) -> Finding:
    rule = RULES[code]
    base = Finding(
        code=code,
        name=rule.name,
        severity=rule.severity,
        filename="models/clf.keras",
        output="head",
        layer="head",
        line=None,
        message="something is off",
        fix=rule.fix,
        url=rule.url,
    )
    return replace(base, **changes)


FINDINGS = [
    finding("HC101", filename="models/a.keras"),
    finding("HC203", filename="models/a.keras"),
    finding("HC201", filename="train.py", line=12, output="out", layer="dense_3"),
    finding("HC303", severity="info", filename="train.py", line=30),
]


def render(fmt: str, findings: list[Finding]) -> str:
    stream = io.StringIO()
    get_reporter(fmt)(findings, stream)
    return stream.getvalue()


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("formats")
    headfiles.write_keras(str(root / "models" / "logits.keras"), headfiles.softmax_from_logits())
    headfiles.write_keras(str(root / "models" / "one unit.keras"), headfiles.softmax_one_unit_mse())
    headfiles.write_keras(str(root / "models" / "clean.keras"), headfiles.clean_multilabel())
    return root


def run(root: Path, *args: str) -> Any:
    """The CLI in this process, from `root` (so paths in reports are relative), no config."""
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(main, ["check", *args, "--isolated"])
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_writes_findings_and_an_empty_run(fmt: str) -> None:
    assert render(fmt, FINDINGS)
    render(fmt, [])  # must not fail


# -- json-lines ---------------------------------------------------------------------------------


def test_json_lines_is_one_json_finding_per_line_with_the_json_fields() -> None:
    lines = render("json-lines", FINDINGS).splitlines()
    assert [json.loads(line) for line in lines] == json.loads(render("json", FINDINGS))
    assert render("json-lines", []) == ""


# -- sarif --------------------------------------------------------------------------------------


def sarif(findings: list[Finding]) -> dict[str, Any]:
    return json.loads(render("sarif", findings))


@pytest.mark.parametrize("findings", [FINDINGS, []], ids=["findings", "empty"])
def test_sarif_validates_against_the_sarif_2_1_0_schema(findings: list[Finding]) -> None:
    jsonschema.Draft4Validator(SCHEMA).validate(sarif(findings))


def test_sarif_has_what_github_code_scanning_needs() -> None:
    log = sarif(FINDINGS)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "keras-headcheck" and driver["version"]
    # Links only to pages on the web: the rule docs ship inside the package, and the help is inline.
    assert driver.get("informationUri", "https://").startswith("https://")
    rules = driver["rules"]
    assert [r["id"] for r in rules] == ["HC101", "HC201", "HC203", "HC303"]  # only those that fired
    for rule in rules:
        source = RULES[rule["id"]]
        assert rule["name"] == source.name
        assert rule["shortDescription"]["text"] == source.summary
        assert rule["fullDescription"]["text"].startswith(source.summary)
        assert "## What it does" in rule["help"]["text"] and rule["help"]["markdown"]
        assert rule.get("helpUri", source.url) == source.url and source.url.startswith(("https://", "file://"))
        assert rule["defaultConfiguration"]["level"] == {"info": "note"}.get(
            source.severity, source.severity
        )
    assert len(log["runs"][0]["results"]) == len(FINDINGS)
    for result, f in zip(log["runs"][0]["results"], FINDINGS):  # noqa: B905 (3.9)
        assert result["ruleId"] == f.code
        assert rules[result["ruleIndex"]]["id"] == f.code
        assert (
            result["level"] == {"error": "error", "warning": "warning", "info": "note"}[f.severity]
        )
        assert f.message in result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == f.filename
        # GitHub shows only results with a region: a model file (no lines) points at line 1.
        assert location["region"]["startLine"] == (f.line or 1)
        assert result["partialFingerprints"]


def test_sarif_fingerprints_are_stable_and_tell_findings_apart() -> None:
    first = [r["partialFingerprints"] for r in sarif(FINDINGS)["runs"][0]["results"]]
    again = [r["partialFingerprints"] for r in sarif(FINDINGS)["runs"][0]["results"]]
    assert first == again
    assert len({json.dumps(p) for p in first}) == len(FINDINGS)


def test_sarif_uris_are_relative_percent_encoded_with_forward_slashes(models: Path) -> None:
    result = run(models, "models", "--output-format", "sarif")
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert uris == {"models/logits.keras", "models/one%20unit.keras"}


def test_sarif_points_at_the_config_file_of_a_savedmodel_directory(tmp_path: Path) -> None:
    savedmodel = tmp_path / "exported"
    savedmodel.mkdir()
    (savedmodel / "keras_metadata.pb").write_bytes(b"")
    log = sarif([finding(filename=str(savedmodel))])
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"][
        "uri"
    ]
    assert uri.endswith("exported/keras_metadata.pb")


def test_sarif_result_level_follows_a_severity_override_and_the_rule_keeps_its_default() -> None:
    log = sarif([finding("HC201", severity="info")])
    assert log["runs"][0]["results"][0]["level"] == "note"
    assert log["runs"][0]["tool"]["driver"]["rules"][0]["defaultConfiguration"]["level"] == "error"


# -- github -------------------------------------------------------------------------------------


def test_github_annotations_one_workflow_command_per_finding() -> None:
    lines = render("github", FINDINGS).splitlines()
    assert lines[0].startswith("::error file=models/a.keras,title=HC101 softmax-on-single-unit::")
    assert lines[2].startswith("::error file=train.py,line=12,title=HC201 ")
    assert lines[3].startswith("::notice file=train.py,line=30,title=HC303 ")
    assert all("\n" not in line for line in lines) and len(lines) == len(FINDINGS)
    assert "%0Ahelp: " in lines[0]


def test_github_escaping_follows_the_runner_rules() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    odd = finding(filename="dir,x/m:1\n.keras", layer="a,b:c", message="50% off, really: yes")
    line = render("github", [odd])
    assert line.startswith("::error file=dir%2Cx/m%3A1%0A.keras,title=")
    assert "50%25 off, really: yes" in line and "layer 'a,b:c'" in line  # data: % CR LF only
    assert line.count("\n") == 1


# -- junit --------------------------------------------------------------------------------------


def test_junit_one_testsuite_per_file_failures_for_errors_and_warnings() -> None:
    root = ET.fromstring(render("junit", FINDINGS))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures")) == ("4", "3")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == ["models/a.keras", "train.py"]
    cases = suites["train.py"].findall("testcase")
    assert cases[0].find("failure") is not None and cases[0].get("line") == "12"
    assert cases[1].find("failure") is None and "HC303" in cases[1].find("system-out").text
    assert suites["models/a.keras"].get("failures") == "2"


def test_junit_survives_characters_xml_cannot_hold() -> None:
    hostile = finding(layer="bad\x00\x1b[31mname", message="é ünïcode ✓ \ud800")
    root = ET.fromstring(render("junit", [hostile]))
    failure = root.find("testsuite/testcase/failure")
    assert "é ünïcode ✓" in failure.get("message")


def test_junit_without_findings_is_an_empty_testsuites() -> None:
    root = ET.fromstring(render("junit", []))
    assert (root.tag, root.get("tests"), list(root)) == ("testsuites", "0", [])


# -- the CLI around the formats -----------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_output_file_gets_the_report_and_stdout_stays_empty(models: Path, fmt: str) -> None:
    result = run(models, "models", "--output-format", fmt, "--output-file", "out/report.txt")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert (models / "out" / "report.txt").read_text(encoding="utf-8")


def test_output_file_that_cannot_be_written_is_exit_2(models: Path) -> None:
    (models / "blocker").write_text("a file, not a directory")
    result = run(models, "models", "--output-file", "blocker/report.json")
    assert result.exit_code == 2
    assert "blocker/report.json" in result.stderr and "Traceback" not in result.stderr


def test_machine_formats_write_nothing_but_the_report_to_stdout(models: Path) -> None:
    result = run(models, "models", "--output-format", "json")
    assert [f["code"] for f in json.loads(result.stdout)] == ["HC201", "HC101", "HC203"]
    sarif_run = run(models, "models", "--output-format", "sarif")
    json.loads(sarif_run.stdout)


def test_statistics_counts_per_code_most_frequent_first(models: Path) -> None:
    headfiles.write_keras(str(models / "more" / "b.keras"), headfiles.softmax_from_logits())
    result = run(models, "models", "more", "--statistics")
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows == [
        ["2", "HC201", "probabilities-passed-as-logits"],
        ["1", "HC101", "softmax-on-single-unit"],
        ["1", "HC203", "softmax-with-regression-loss"],
    ]
    assert result.exit_code == 1
    as_json = json.loads(
        run(models, "models", "more", "--statistics", "--output-format", "json").stdout
    )
    assert as_json[0] == {"code": "HC201", "name": "probabilities-passed-as-logits", "count": 2}
