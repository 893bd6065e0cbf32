"""Where a finding is, as the text formats print it (CONTRACT.md):

    train.py:12:5            a script: line and column
    nb.ipynb:cell 3:2:5      a notebook: the cell (1-based, every cell counted) and its line
    clf.keras: output 'probs' (layer 'dense_1')     a saved file: no lines
"""

from __future__ import annotations

from typing import Optional

from ..findings import Finding


def cell_of(finding: Finding) -> Optional[int]:
    """The notebook cell of a finding (a field only notebook findings carry)."""
    return getattr(finding, "cell", None)


def location(finding: Finding, column: Optional[int] = None) -> str:
    if finding.line is None:
        return f"{finding.filename}: {model_path(finding)}"
    cell = cell_of(finding)
    where = f"{finding.filename}:cell {cell}:" if cell is not None else f"{finding.filename}:"
    return f"{where}{finding.line}:{column or 1}"


def model_path(finding: Finding) -> str:
    """`output 'probs' (layer 'dense_1')`: how a saved-file finding is found in the model."""
    if finding.layer and finding.layer != finding.output:
        return f"output '{finding.output}' (layer '{finding.layer}')"
    return f"output '{finding.output}'"


def fix_marker(finding: Finding, unsafe: bool = False) -> str:
    """`[*] ` when `check --fix` applies the finding's fix (an unsafe one only with
    `--unsafe-fixes`), as ruff marks it."""
    fix = getattr(finding, "applicable_fix", None)
    return "[*] " if fix is not None and (unsafe or fix.applicability == "safe") else ""
