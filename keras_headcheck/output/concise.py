"""`--output-format concise`: one line per finding, like a compiler."""

from __future__ import annotations

from typing import TextIO

from ..findings import Finding


def location(finding: Finding) -> str:
    return finding.location


def report(findings: list[Finding], stream: TextIO) -> None:
    for f in findings:
        stream.write(
            f"{location(f)}: {f.code} [{f.severity}] {f.message} "
            f"(output {f.output!r}, layer {f.layer!r})\n"
        )
