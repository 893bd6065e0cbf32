"""`--output-format json-lines`: one JSON object per finding per line, the fields of `json`."""

from __future__ import annotations

import json
from typing import Optional, TextIO

from ..findings import Finding
from . import Context


def report(findings: list[Finding], stream: TextIO, context: Optional[Context] = None) -> None:
    # Unreadable paths go to stderr only: stdout holds exactly the findings (CONTRACT.md).
    for finding in findings:
        stream.write(json.dumps(finding.to_dict()) + "\n")
