"""`--output-format github`: GitHub Actions workflow commands, shown as annotations on the files.

    ::error file=models/clf.keras,title=HC201 probabilities-passed-as-logits::message

Escaping follows the runner's rules: in the message, % CR LF become %25 %0D %0A; in property
values, also : and , become %3A and %2C.
"""

from __future__ import annotations

from typing import Optional, TextIO

from ..findings import Finding
from . import Context, Unreadable
from .paths import cell_prefix, relative_path

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    fields = [("file", relative_path(finding.filename))]
    if finding.line and finding.cell is None:  # a model file, a notebook: on the whole file
        fields.append(("line", str(finding.line)))
    fields.append(("title", f"{finding.code} {finding.name}"))
    properties = ",".join(f"{key}={escape_property(value)}" for key, value in fields)
    message = (
        f"{cell_prefix(finding)}{finding.message} (output '{finding.output}', layer '{finding.layer}')\n"
        f"help: {finding.fix}"
    )
    return f"::{COMMANDS[finding.severity]} {properties}::{escape_data(message)}"


def unreadable_annotation(entry: Unreadable) -> str:
    properties = f"file={escape_property(relative_path(entry.path))},title=cannot read"
    return f"::error {properties}::{escape_data(f'{entry.path}: {entry.reason}')}"


def report(findings: list[Finding], stream: TextIO, context: Optional[Context] = None) -> None:
    for entry in context.unreadable if context else ():  # a path not checked fails the run
        stream.write(unreadable_annotation(entry) + "\n")
    for finding in findings:
        stream.write(annotation(finding) + "\n")
