"""The rule registry: one table of codes, the single source for selection, docs and reports.

A rule is a small pure function of a `Head` (plus the targets, for HC4xx) that yields `Hit`s.
Its docstring is its documentation, in ruff's format (What it does / Why is this bad? / Example).
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, NamedTuple, Optional, Sequence

from ..findings import Finding
from ..head import Head, Source

DOCS_URL = "https://github.com/keras-headcheck/keras-headcheck/blob/main/docs/rules.md"
# Findings about the compiled loss or metrics point at the `compile` call of a source file.
COMPILE_LINE_CODES = ("HC3", "HC902")
REQUIRED_SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "Use instead:")


class Hit(NamedTuple):
    message: str
    severity: Optional[str] = None  # overrides the rule's default severity
    layer: Optional[str] = None  # overrides the head's final layer


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    fix: str
    check: Callable[..., Iterable[Hit]]
    needs_targets: bool = False
    severity_note: str = ""  # when the severity depends on the case, e.g. "error when units == 1"

    @property
    def severity_text(self) -> str:
        return f"{self.severity} ({self.severity_note})" if self.severity_note else self.severity

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def summary(self) -> str:
        """The first sentence of "What it does", for tables and SARIF short descriptions."""
        match = re.search(r"## What it does\s+(.+?)(?:\n\n|$)", self.doc, re.S)
        text = " ".join(match.group(1).split()) if match else self.name
        return re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]

    @property
    def url(self) -> str:
        # GitHub's anchor for the rule's heading "# name (CODE)" in docs/rules.md.
        return f"{DOCS_URL}#{self.name}-{self.code.lower()}"


RULES: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    severity: str,
    fix: str,
    *,
    needs_targets: bool = False,
    severity_note: str = "",
) -> Callable[[Callable[..., Iterable[Hit]]], Callable[..., Iterable[Hit]]]:
    """Register a rule function under `code`."""

    def register(fn: Callable[..., Iterable[Hit]]) -> Callable[..., Iterable[Hit]]:
        if code in RULES:
            raise ValueError(f"duplicate rule code {code}")
        RULES[code] = Rule(code, name, severity, fix, fn, needs_targets, severity_note)
        return fn

    return register


def matches(code: str, patterns: Iterable[str]) -> bool:
    return any(code.startswith(p.upper()) for p in patterns)


def validate_patterns(patterns: Iterable[str]) -> list[str]:
    """Return the patterns that select no rule at all (typos), like ruff does."""
    known = list(RULES)
    return [p for p in patterns if not any(c.startswith(p.upper()) for c in known)]


def selected_rules(
    select: Optional[Sequence[str]] = None, ignore: Optional[Sequence[str]] = None
) -> list[Rule]:
    chosen = [r for r in RULES.values() if select is None or matches(r.code, select)]
    return [r for r in chosen if not (ignore and matches(r.code, ignore))]


def run_rules(
    heads: Iterable[Head],
    rules: Sequence[Rule],
    targets: Any = None,
    filename: Optional[str] = None,
) -> Iterator[Finding]:
    """Apply `rules` to every head; target rules run only when targets are given.

    `targets` (a `keras_headcheck.targets.Targets`) holds a summary per output: each head gets
    the one for its output name (targets given as a dict) or its position (a list, or one array).
    """
    seen: set[tuple[str, Optional[str], int]] = set()
    for index, head in enumerate(heads):
        head_targets = targets.for_output(head.output, index) if targets is not None else None
        for r in rules:
            if head.source.is_suppressed(r.code):  # `# headcheck: ignore[...]` in a source file
                continue
            if r.needs_targets:
                if head_targets is None:
                    continue
                hits = r.check(head, head_targets)
            else:
                hits = r.check(head)
            for hit in hits:
                layer = hit.layer or head.layer
                line = _line(head.source, r.code, layer)
                if line is not None:  # a model built twice by one function: report it once
                    if (r.code, hit.severity, line) in seen:
                        continue
                    seen.add((r.code, hit.severity, line))
                yield Finding(
                    code=r.code,
                    name=r.name,
                    severity=hit.severity or r.severity,
                    filename=filename if filename is not None else head.source.filename,
                    output=head.output,
                    layer=layer,
                    line=line,
                    message=hit.message + _cell_note(head.source, line),
                    fix=r.fix,
                    url=r.url,
                    model=head.source.model,
                )


def _line(source: Source, code: str, layer: str) -> Optional[int]:
    """Source files: loss and metric findings point at `compile`, the others at their layer."""
    if code.startswith(COMPILE_LINE_CODES) and source.compile_line is not None:
        return source.compile_line
    return source.line_of(layer)


def _cell_note(source: Source, line: Optional[int]) -> str:
    cell = source.cell_of(line) if source.cells and line is not None else None
    return f" (cell {cell[0]}, line {cell[1]})" if cell else ""
