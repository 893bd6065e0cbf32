"""Reporters: one small module per output format behind one interface; the CLI only picks one."""

from __future__ import annotations

from typing import Callable, TextIO

from ..findings import Finding
from . import concise, full, json_format

Reporter = Callable[[list[Finding], TextIO], None]

REPORTERS: dict[str, Reporter] = {
    "full": full.report,
    "concise": concise.report,
    "json": json_format.report,
}

__all__ = ["REPORTERS", "Reporter"]
