"""The saved-file linter on the model zoo: every case, in every format, gives exactly its findings.

The CLI runs once over the whole saved zoo (as a user would run it on a directory); each
(case, library, format) is then one test, so a missing and an extra finding both fail by name.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pytest
from zoo import CASES, FORMATS, Case

from keras_headcheck.readers import read_heads
from keras_headcheck.rules import RULES

SAVED = [
    pytest.param(case, lib, fmt, id=f"{case.name}-{lib}-{fmt}")
    for case in CASES
    for lib in case.libs
    for fmt in FORMATS[lib]
]


@dataclass(frozen=True)
class ZooReport:
    returncode: int
    by_file: dict[str, list[dict[str, Any]]]
    stderr_lines: list[str]

    def unreadable(self, path: str) -> list[str]:
        return [line for line in self.stderr_lines if f"{path}:" in line]


@pytest.fixture(scope="module")
def report(zoo_models: Any, cli: Any) -> ZooReport:
    result = cli("check", "--output-format", "json", zoo_models.dir)
    by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for finding in result.findings:
        by_file[finding["filename"]].append(finding)
    return ZooReport(result.returncode, dict(by_file), result.stderr_lines)


def _findings(case: Case, lib: str, fmt: str, zoo_models: Any, report: ZooReport) -> list[dict[str, Any]]:
    problem = zoo_models.problem(case.name, lib, fmt)
    assert problem is None, f"{lib} could not build or save this model:\n{problem}"
    path = zoo_models.path(case.name, lib, fmt)
    assert not report.unreadable(path), report.unreadable(path)
    return report.by_file.get(path, [])


@pytest.mark.parametrize("case, lib, fmt", SAVED)
def test_saved_model_gives_exactly_the_expected_findings(
    case: Case, lib: str, fmt: str, zoo_models: Any, report: ZooReport
) -> None:
    found = _findings(case, lib, fmt, zoo_models, report)
    assert sorted({f["code"] for f in found}) == sorted(case.expect), [f["message"] for f in found]
    assert {(f["code"], f["severity"]) for f in found} == set(case.expect.items())
    for code, output in case.where.items():
        assert {f["output"] for f in found if f["code"] == code} == {output}, code


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in CASES])
def test_every_format_of_a_case_agrees(case: Case, zoo_models: Any, report: ZooReport) -> None:
    """Same findings (code, output, severity) from every file of a case whose outputs are named
    alike; and within one library, every format names the outputs alike."""
    groups: dict[tuple[str, ...], dict[str, set[tuple[str, str, str]]]] = defaultdict(dict)
    for lib in case.libs:
        names = set()
        for fmt in FORMATS[lib]:
            found = _findings(case, lib, fmt, zoo_models, report)
            outputs = tuple(sorted(head.output for head in read_heads(zoo_models.path(case.name, lib, fmt))))
            names.add(outputs)
            groups[outputs][f"{lib}.{fmt}"] = {(f["code"], f["output"], f["severity"]) for f in found}
        assert len(names) == 1, f"{lib} formats name the outputs differently: {names}"
    for outputs, by_format in groups.items():
        assert len({frozenset(found) for found in by_format.values()}) == 1, (outputs, by_format)


def test_the_whole_zoo_is_read_without_errors(report: ZooReport, zoo_models: Any) -> None:
    assert report.returncode == 1  # the zoo has errors and warnings, and no unreadable file
    assert not [line for line in report.stderr_lines if zoo_models.dir in line]


@pytest.mark.parametrize("case, cap", [("softmax_after_softmax", "0.23"), ("softmax_layer_after_tanh", "0.45")])
def test_squashed_softmax_says_how_far_it_caps_confidence(
    case: str, cap: str, zoo_models: Any, report: ZooReport
) -> None:
    """10 classes confined to a range of width w: at most e^w / (e^w + 9)."""
    (finding,) = report.by_file[zoo_models.path(case, "keras3", "keras")]
    assert finding["code"] == "HC102" and cap in finding["message"], finding["message"]


@pytest.mark.parametrize("lib, fmt", [(lib, fmt) for lib in FORMATS for fmt in FORMATS[lib]])
def test_seed_000_softmax_on_one_unit_with_mse(lib: str, fmt: str, zoo_models: Any, cli: Any) -> None:
    """The question that started it: Dense(W, relu), Dense(1, softmax), Adam(), loss='mse'."""
    result = cli("check", "--output-format", "json", zoo_models.path("seed000_softmax_one_unit_mse", lib, fmt))
    assert result.returncode == 1
    assert [f["code"] for f in result.findings] == ["HC101", "HC203"]
    for finding in result.findings:
        assert finding["severity"] == "error"
        assert finding["fix"].strip()


@pytest.mark.parametrize("lib, fmt", [(lib, fmt) for lib in FORMATS for fmt in FORMATS[lib]])
def test_tensorflow_tutorial_classifier_is_clean(lib: str, fmt: str, zoo_models: Any, cli: Any) -> None:
    """Dense(10) logits + SparseCategoricalCrossentropy(from_logits=True): nothing to say."""
    result = cli("check", "--output-format", "json", zoo_models.path("tutorial_logits", lib, fmt))
    assert (result.returncode, result.findings) == (0, [])


def test_zoo_has_a_failing_and_a_passing_model_for_every_rule() -> None:
    for code, rule in RULES.items():
        if rule.needs_targets or code == "HC903":  # HC4xx need targets; HC903 is about sources
            continue  # (test_notebook.py, test_regions.py)
        assert any(code in case.expect for case in CASES), f"no zoo model fails {code}"
        assert any(code in case.passes for case in CASES), f"no zoo model is {code}'s passing twin"


def test_zoo_table_is_consistent() -> None:
    assert len({case.name for case in CASES}) == len(CASES)
    for case in CASES:
        assert set(case.expect) <= set(RULES), case.name
        assert not set(case.expect) & case.passes, case.name
        assert set(case.where) <= set(case.expect), case.name
        assert set(case.expect.values()) <= {"error", "warning", "info"}, case.name
