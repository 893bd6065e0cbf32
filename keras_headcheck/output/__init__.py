"""Reporters: one small module per output format behind one interface; the CLI only picks one.

A reporter is `report(findings, stream, context)`: it writes the (sorted, already filtered)
findings to a text stream. The context carries what a format may need beyond the findings: the
paths that could not be read (machine formats report them too), colour, and the text of sources
not on disk (stdin). Only `full` uses rich; machine formats write plain text.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from typing import Callable, Mapping, Optional, TextIO

from ..findings import Finding


@dataclass(frozen=True)
class Unreadable:
    path: str
    reason: str  # one line


@dataclass(frozen=True)
class Context:
    unreadable: tuple[Unreadable, ...] = ()
    color: str = "auto"  # auto (a terminal, unless NO_COLOR) | always | never
    sources: Mapping[str, str] = field(default_factory=dict)  # filename -> text (stdin)
    width: Optional[int] = None  # wrap at this width (default: the terminal's; none in a pipe)
    unsafe_fixes: bool = False  # --unsafe-fixes: unsafe fixes count as applicable (`[*]`)
    unsafe_hint: bool = True  # say that --unsafe-fixes applies them (not with `unsafe-fixes = false`)


Reporter = Callable[[list[Finding], TextIO, Optional[Context]], None]

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
TEXT_FORMATS = ("full", "concise")  # for people: a summary follows on stderr


def get_reporter(name: str) -> Reporter:
    module = importlib.import_module(f"{__name__}.{FORMATS[name]}")
    return module.report  # type: ignore[no-any-return]


def write_report(
    reporter: Reporter, findings: list[Finding], output_file: Optional[str], context: Context,
    stream: TextIO,
) -> Optional[str]:
    """The report to `output_file` (its directory made if need be), else to `stream`; the
    one-line reason when the file cannot be written."""
    if output_file is None:
        reporter(findings, stream, context)
        return None
    try:
        parent = os.path.dirname(output_file)
        if parent:
            os.makedirs(parent, exist_ok=True)
        with open(output_file, "w", encoding="utf-8") as handle:
            reporter(findings, handle, context)
    except OSError as exc:
        return f"{output_file}: cannot write the report ({exc.strerror or exc})"
    return None


__all__ = [
    "FORMATS", "TEXT_FORMATS", "Context", "Reporter", "Unreadable", "get_reporter", "write_report",
]
