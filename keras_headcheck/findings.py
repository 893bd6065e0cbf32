"""The Finding: what a rule reports, with the fields of the JSON contract."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Optional, Tuple

SEVERITIES = ("error", "warning", "info")
FROM_THE_MODEL = ("output", "layer", "message")  # fields quoting names read from a (hostile) file


def printable(text: str) -> str:
    """`text` with control characters escaped (\\n, \\x1b...): a name read from a model file
    must not forge report lines or send escape sequences to the user's terminal."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


APPLICABILITIES = ("safe", "unsafe")


@dataclass(frozen=True)
class Edit:
    """Replace the text from (line, column) up to (end_line, end_column), end exclusive, with
    `content`. Lines and columns are 1-based and count characters (code points) in the text the
    finding's `line` counts: the file for a script, the cell `cell` for a notebook."""

    content: str
    line: int
    column: int
    end_line: int
    end_column: int
    cell: Optional[int] = None


@dataclass(frozen=True)
class Fix:
    """Edits that resolve a finding. `safe`: the program keeps its meaning on every backend, or
    gains the one the user evidently wanted; `unsafe`: the right edit depends on what the tool
    cannot see (the targets, the user's intent)."""

    message: str  # what applying it does, one short sentence
    applicability: str  # one of APPLICABILITIES
    edits: Tuple[Edit, ...]


def fix_dict(fix: Optional[Fix]) -> Optional[dict[str, Any]]:
    """A fix as JSON, shaped like ruff's `fix` (rows and columns 1-based, end exclusive); a
    notebook edit also names its `cell`, the text its rows count."""
    if fix is None:
        return None
    return {
        "applicability": fix.applicability,
        "message": fix.message,
        "edits": [_edit_dict(edit) for edit in fix.edits],
    }


def _edit_dict(edit: Edit) -> dict[str, Any]:
    data: dict[str, Any] = {
        "content": edit.content,
        "location": {"row": edit.line, "column": edit.column},
        "end_location": {"row": edit.end_line, "column": edit.end_column},
    }
    if edit.cell is not None:
        data["cell"] = edit.cell
    return data


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    severity: str
    filename: str
    output: str
    layer: str
    line: Optional[int]
    message: str
    fix: str
    url: str
    cell: Optional[int] = None  # notebooks: the cell's position among all cells; `line` is within it
    model: Optional[str] = None  # sources: the model's variable name, to tell several apart
    applicable_fix: Optional[Fix] = None  # edits the tool can apply (`check --fix`), sources only

    def __post_init__(self) -> None:
        for name in FROM_THE_MODEL:
            value = getattr(self, name)
            if isinstance(value, str) and not value.isprintable():
                object.__setattr__(self, name, printable(value))

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["applicable_fix"] = fix_dict(self.applicable_fix)
        return data

    @property
    def sort_key(self) -> tuple[str, int, bool, int, str, str]:
        """CONTRACT.md's order: filename, then line (a notebook's cell first; no line last),
        then output, then code."""
        return (
            self.filename, self.cell or 0, self.line is None, self.line or 0, self.output, self.code,
        )

    @property
    def location(self) -> str:
        """`path:line`, `path:cell N:line` for a notebook, or `path` for a saved file."""
        if self.line is None:
            return self.filename
        cell = f"cell {self.cell}:" if self.cell is not None else ""
        return f"{self.filename}:{cell}{self.line}"

    @property
    def is_failure(self) -> bool:
        """Errors and warnings make a model "not clean" (exit status 1)."""
        return self.severity in ("error", "warning")

    def __str__(self) -> str:
        return f"{self.location}: {self.code} [{self.severity}] {self.message} (output {self.output!r})"

    def __rich__(self) -> str:
        colour = {"error": "red", "warning": "yellow", "info": "cyan"}[self.severity]
        return (
            f"[bold {colour}]{self.code}[/] [{colour}]{self.severity}[/] "
            f"{self.message}\n  [dim]help:[/] {self.fix}"
        )
