"""`--output-format json`: exactly one JSON array of findings on stdout (CONTRACT.md)."""

from __future__ import annotations

import json
from typing import Optional, TextIO

from ..findings import Finding
from . import Context


def report(findings: list[Finding], stream: TextIO, context: Optional[Context] = None) -> None:
    # Unreadable paths go to stderr only: stdout holds exactly the findings (CONTRACT.md).
    json.dump([f.to_dict() for f in findings], stream, indent=2)
    stream.write("\n")
