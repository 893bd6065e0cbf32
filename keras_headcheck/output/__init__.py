"""Reporters: one small module per output format behind one interface; the CLI only picks one.

A reporter is `report(findings, stream)`: it writes the (sorted, already filtered) findings to a
text stream. Only `full` uses rich; machine formats write plain text.
"""

from __future__ import annotations

import importlib
from typing import Callable, TextIO

from ..findings import Finding

Reporter = Callable[[list[Finding], TextIO], None]

# format name -> module (imported only when chosen: rich and xml stay out of other runs)
FORMATS: dict[str, str] = {
    "full": "full",
    "concise": "concise",
    "json": "json_format",
    "json-lines": "json_lines",
    "sarif": "sarif",
    "github": "github",
    "junit": "junit",
}


def get_reporter(name: str) -> Reporter:
    module = importlib.import_module(f"{__name__}.{FORMATS[name]}")
    return module.report  # type: ignore[no-any-return]


__all__ = ["FORMATS", "Reporter", "get_reporter"]
