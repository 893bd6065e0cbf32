"""Where a finding lives, for formats that point CI tools at a file in the repository."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from ..findings import Finding

SAVEDMODEL_CONFIG = "keras_metadata.pb"


def artifact_path(filename: str) -> str:
    """The file to point at: a SavedModel directory is represented by the file holding its
    config (code scanning and annotations attach to files, not directories)."""
    inside = os.path.join(filename, SAVEDMODEL_CONFIG)
    return inside if os.path.isdir(filename) and os.path.isfile(inside) else filename


def relative_path(filename: str) -> str:
    """`filename` relative to the working directory (the repository root in CI), with forward
    slashes; absolute when it lies outside."""
    path = os.path.abspath(artifact_path(filename))
    relative = os.path.relpath(path, os.getcwd()) if _same_drive(path) else path
    if relative == ".." or relative.startswith(".." + os.sep) or os.path.isabs(relative):
        return path.replace(os.sep, "/")
    return relative.replace(os.sep, "/")


def artifact_uri(filename: str) -> str:
    """A URI reference for SARIF: relative (percent-encoded) inside the working directory,
    else a file:// URI."""
    relative = relative_path(filename)
    if os.path.isabs(relative) or relative.startswith("/"):
        return Path(relative).as_uri()
    return quote(relative, safe="/")


def annotation_line(finding: Finding) -> int:
    """The line a finding is shown on: its source line, or 1 for a model file (no lines) and for
    a notebook (its lines count within a cell, not in the file's JSON)."""
    return 1 if finding.cell is not None else finding.line or 1


def cell_prefix(finding: Finding) -> str:
    """ "cell 9, line 3: " for a notebook finding (annotations cannot point into a cell)."""
    return f"cell {finding.cell}, line {finding.line}: " if finding.cell is not None else ""


def _same_drive(path: str) -> bool:
    # os.path.relpath raises on Windows for paths on another drive.
    return os.path.splitdrive(path)[0] == os.path.splitdrive(os.getcwd())[0]
