"""`--output-format json-lines`: one JSON object per finding per line, the fields of `json`."""

from __future__ import annotations

import json
from typing import TextIO

from ..findings import Finding


def report(findings: list[Finding], stream: TextIO) -> None:
    for finding in findings:
        stream.write(json.dumps(finding.to_dict()) + "\n")
