"""`--output-format json`: exactly one JSON array of findings on stdout (CONTRACT.md)."""

from __future__ import annotations

import json
from typing import TextIO

from ..findings import Finding


def report(findings: list[Finding], stream: TextIO) -> None:
    json.dump([f.to_dict() for f in findings], stream, indent=2)
    stream.write("\n")
