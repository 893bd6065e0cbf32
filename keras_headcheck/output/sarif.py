"""`--output-format sarif`: SARIF 2.1.0, as GitHub code scanning accepts it.

Rules come from the registry (only those that fired). Every result has a region: GitHub shows
only results with `region.startLine`, so a model-file finding (a file without lines) points at
line 1. It also carries its own fingerprint, because the one GitHub's upload action computes
hashes the file's first line, which for a binary model file changes on every save.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any, Optional, TextIO

from .. import __version__
from ..findings import Finding
from . import Context, Unreadable
from ..rules import RULES, Rule
from ..rules.registry import DOCS_URL
from .paths import annotation_line, artifact_uri, cell_prefix

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT = "kerasHeadcheckFinding/v1"


def report(findings: list[Finding], stream: TextIO, context: Optional[Context] = None) -> None:
    json.dump(sarif_log(findings, context.unreadable if context else ()), stream, indent=2)
    stream.write("\n")


def sarif_log(findings: list[Finding], unreadable: tuple[Unreadable, ...] = ()) -> dict[str, Any]:
    codes = sorted({f.code for f in findings})
    index = {code: i for i, code in enumerate(codes)}
    driver = {
        "name": "keras-headcheck",
        "version": __version__,
        "semanticVersion": __version__,
        **({"informationUri": DOCS_URL} if _on_the_web(DOCS_URL) else {}),
        "rules": [_rule(RULES[code]) for code in codes],
    }
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "results": [_result(f, index[f.code]) for f in findings],
                "invocations": [_invocation(unreadable)],
                "columnKind": "unicodeCodePoints",
            }
        ],
    }


def _on_the_web(url: str) -> bool:
    # A link into this machine's site-packages means nothing to code scanning's readers.
    return url.startswith("https://")


def _invocation(unreadable: tuple[Unreadable, ...]) -> dict[str, Any]:
    """A path that could not be read makes the run unsuccessful: code scanning shows why."""
    return {
        "executionSuccessful": not unreadable,
        "toolExecutionNotifications": [
            {
                "level": "error",
                "message": {"text": f"{entry.path}: {entry.reason}"},
                "locations": [
                    {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(entry.path)}}}
                ],
                "descriptor": {"id": "unreadable-path"},
            }
            for entry in unreadable
        ],
    }


def _rule(rule: Rule) -> dict[str, Any]:
    what, why = _section(rule.doc, "What it does"), _section(rule.doc, "Why is this bad?")
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": f"{what} {why}".strip() or rule.summary},
        "help": {
            "text": f"{rule.doc}\n\nFix: {rule.fix}",
            "markdown": f"{rule.doc}\n\n**Fix:** {rule.fix}",
        },
        **({"helpUri": rule.url} if _on_the_web(rule.url) else {}),  # the help text is above
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": ["keras", "machine-learning", "correctness"], "precision": "high"},
    }


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    return {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {
            "text": f"{cell_prefix(finding)}{finding.message} "
            f"(output '{finding.output}', layer '{finding.layer}'). "
            f"Fix: {finding.fix}"
        },
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(finding.filename)},
                    "region": {"startLine": annotation_line(finding)},
                },
                "logicalLocations": [
                    {
                        "name": finding.layer,
                        "fullyQualifiedName": f"{finding.output}/{finding.layer}",
                    }
                ],
            }
        ],
        "partialFingerprints": {FINGERPRINT: _fingerprint(finding)},
        "properties": {
            "output": finding.output,
            "layer": finding.layer,
            "severity": finding.severity,
        },
        **_fixes(finding),
    }


def _fixes(finding: Finding) -> dict[str, Any]:
    """`fixes[]`: the edits of `check --fix`, as replacements of regions of the file (columns in
    code points, the end column exclusive, as SARIF counts them). A notebook's edits count lines
    in a cell, not in the file's JSON, which SARIF cannot say: none there."""
    fix = finding.applicable_fix
    if fix is None or any(edit.cell is not None for edit in fix.edits):
        return {}
    replacements = [
        {
            "deletedRegion": {
                "startLine": edit.line,
                "startColumn": edit.column,
                "endLine": edit.end_line,
                "endColumn": edit.end_column,
            },
            "insertedContent": {"text": edit.content},
        }
        for edit in fix.edits
    ]
    change = {"artifactLocation": {"uri": artifact_uri(finding.filename)}, "replacements": replacements}
    return {
        "fixes": [
            {
                "description": {"text": fix.message},
                "artifactChanges": [change],
                "properties": {"applicability": fix.applicability},
            }
        ]
    }


def _fingerprint(finding: Finding) -> str:
    """Stable across runs and re-saves of the same model: what fired, and where in the model."""
    key = "\0".join((finding.code, finding.output, finding.layer))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _section(doc: str, title: str) -> str:
    match = re.search(rf"## {re.escape(title)}\s+(.+?)(?:\n## |\Z)", doc, re.S)
    return " ".join(match.group(1).split()) if match else ""
