"""Reporters: one small module per output format behind one interface; the CLI only picks one.

A reporter is `report(findings, stream)`: it writes the (sorted, already filtered) findings to a
text stream. Only `full` uses rich; machine formats write plain text.
"""

from __future__ import annotations

from typing import Callable, TextIO

from ..findings import Finding
from . import concise, full, github, json_format, json_lines, junit, sarif

Reporter = Callable[[list[Finding], TextIO], None]

REPORTERS: dict[str, Reporter] = {
    "full": full.report,
    "concise": concise.report,
    "json": json_format.report,
    "json-lines": json_lines.report,
    "sarif": sarif.report,
    "github": github.report,
    "junit": junit.report,
}

__all__ = ["REPORTERS", "Reporter"]
