"""`--statistics`: how many findings of each code, most frequent first (like ruff's)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, Optional, TextIO

from ..findings import Finding
from . import Context, Reporter

# The formats statistics can be printed in; a machine format of findings (SARIF, JUnit, GitHub
# annotations) has no place for counts, so `--statistics` with one is a usage error. (cli.py
# holds the same tuple, to refuse the options before importing this module.)
STATISTICS_FORMATS = ("full", "concise", "json", "json-lines")


def statistics(findings: list[Finding]) -> list[dict[str, Any]]:
    counts = Counter(f.code for f in findings)
    names = {f.code: f.name for f in findings}
    order = sorted(counts, key=lambda code: (-counts[code], code))
    return [{"code": code, "name": names[code], "count": counts[code]} for code in order]


def report_text(
    findings: list[Finding], stream: TextIO, context: Optional[Context] = None
) -> None:
    rows = statistics(findings)
    width = max((len(str(row["count"])) for row in rows), default=1)
    for row in rows:
        stream.write(f"{row['count']:>{width}}\t{row['code']}\t{row['name']}\n")


def report_json(
    findings: list[Finding], stream: TextIO, context: Optional[Context] = None
) -> None:
    json.dump(statistics(findings), stream, indent=2)
    stream.write("\n")


def report_json_lines(
    findings: list[Finding], stream: TextIO, context: Optional[Context] = None
) -> None:
    for row in statistics(findings):
        stream.write(json.dumps(row) + "\n")


def reporter_for(output_format: str) -> Reporter:
    """JSON statistics for the JSON formats, a text table for the text formats."""
    if output_format not in STATISTICS_FORMATS:
        raise ValueError(f"no statistics in the {output_format} format")
    return {"json": report_json, "json-lines": report_json_lines}.get(output_format, report_text)
