"""`--output-format concise`: one line per finding, like ruff's.

    train.py:12:5: HC101 Softmax over a single unit always outputs 1.0
    train.py:30:1: HC201 [*] softmax output of `dense_1` goes into ... with from_logits=True
    clf.keras: output 'probs' (layer 'dense_1'): HC203 ...
"""

from __future__ import annotations

from typing import Optional, TextIO

from ..findings import Finding
from . import Context
from .location import fix_marker, location
from .snippet import snippet


def line(finding: Finding, context: Context) -> str:
    shown = snippet(finding, context.sources)
    where = location(finding, shown.span.column if shown else None)
    return f"{where}: {finding.code} {fix_marker(finding, context.unsafe_fixes)}{finding.message}"


def report(findings: list[Finding], stream: TextIO, context: Optional[Context] = None) -> None:
    context = context or Context()
    for finding in findings:
        stream.write(line(finding, context) + "\n")
