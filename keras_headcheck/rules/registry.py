"""The rule registry: one table of codes, the single source for selection, docs and reports.

A rule is a small pure function of a `Head` (plus the targets, for HC4xx) that yields `Hit`s.
Its docstring is its documentation, in ruff's format (What it does / Why is this bad? / Example).
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, NamedTuple, Optional, Sequence

from ..findings import Finding
from ..head import Head, Source, Unparsed

# Every rule link starts here. The rule docs ship inside the package (keras_headcheck/rules.md,
# written by `python -m keras_headcheck.docs --write`; `keras-headcheck rule CODE` prints the same
# text), so the links point at that file: the project has no public web page yet. When it has one,
# this constant becomes its address and every link (JSON, SARIF, JUnit, notebooks) follows.
DOCS_FILE = Path(__file__).resolve().parent.parent / "rules.md"
DOCS_URL = DOCS_FILE.as_uri()
# Findings about the compiled loss or metrics point at the `compile` call of a source file.
COMPILE_LINE_CODES = ("HC3", "HC902")
UNPARSED = "HC903"  # reported by the engine for skipped source parts, not by a rule on a head
SKIPPED_PREFIX = "HC9"  # the limits of the analysis: the head, or part of it, was not checked
REQUIRED_SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "Use instead:")


class Intent(NamedTuple):
    """What a fix changes, in the rule's terms; keras_headcheck/fixes/ finds it in the source
    text, and attaches no fix when it cannot find it exactly."""

    change: str  # one of INTENTS
    value: str = ""  # the new loss (canonical name) or activation
    applicability: str = "safe"  # "safe" | "unsafe" (findings.APPLICABILITIES)
    message: str = ""  # what applying it does, one short sentence


# drop_from_logits: remove `from_logits=True` from the loss's constructor call;
# set_from_logits: the loss computed from logits (`from_logits=True`);
# rename_loss: the same loss call or string, another loss (`value`);
# set_activation: the final layer's written activation becomes `value`;
# set_float32: the final layer computes in float32 (`dtype="float32"`).
INTENTS = ("drop_from_logits", "set_from_logits", "rename_loss", "set_activation", "set_float32")


class Hit(NamedTuple):
    message: str
    severity: Optional[str] = None  # overrides the rule's default severity
    layer: Optional[str] = None  # overrides the head's final layer
    intent: Optional[Intent] = None  # the fix the rule means, when one edit says it
    fix: Optional[str] = None  # overrides the rule's fix text, for a case it does not fit


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    fix: str
    check: Callable[..., Iterable[Hit]]
    needs_targets: bool = False
    severity_note: str = ""  # when the severity depends on the case, e.g. "error when units == 1"
    reads_targets: bool = False  # runs without targets too, and reads them when given

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
    reads_targets: bool = False,
) -> Callable[[Callable[..., Iterable[Hit]]], Callable[..., Iterable[Hit]]]:
    """Register a rule function under `code`."""

    def register(fn: Callable[..., Iterable[Hit]]) -> Callable[..., Iterable[Hit]]:
        if code in RULES:
            raise ValueError(f"duplicate rule code {code}")
        RULES[code] = Rule(
            code, name, severity, fix, fn, needs_targets, severity_note, reads_targets
        )
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
    """Apply `rules` to every head; target rules run only when targets are known.

    `targets` (a `keras_headcheck.targets.Targets`) holds a summary per output: each head gets
    the one for its output name (targets given as a dict) or its position (a list, or one array).
    Without it, target rules run on the facts a reader found (`Head.targets`: a source file's
    `fit` calls), and their findings point at the `fit` line.
    """
    for hit in rule_hits(heads, rules, targets, filename):
        if not hit.repeated:
            yield hit.finding


class RuleHit(NamedTuple):
    """A finding with the head it is about and the fix its rule means (for keras_headcheck.fixes)."""

    finding: Finding
    head: Head
    intent: Optional[Intent]
    repeated: bool  # the same code on the same line, about the same output (_about): said once


def rule_hits(
    heads: Iterable[Head],
    rules: Sequence[Rule],
    targets: Any = None,
    filename: Optional[str] = None,
) -> Iterator[RuleHit]:
    """run_rules' findings with their heads and intents; repeats are kept, marked: a fix may
    change a line only when every head built there asks for the same change. A finding every
    outcome of a run-time test gives does not say "when"."""
    hits = list(_rule_hits(heads, rules, targets, filename))
    outcomes: dict[tuple[str, Optional[int], str], set[str]] = {}
    for hit in hits:
        when = hit.head.source.when
        if when is not None:
            outcomes.setdefault(_unconditional(hit), set()).add(when)
    for hit in hits:
        key = _unconditional(hit) if hit.head.source.when is not None else None
        if key is not None and len(outcomes[key]) > 1:  # both outcomes (one test: all of them)
            hit = hit._replace(finding=replace(hit.finding, message=key[2]))
        yield hit


def _unconditional(hit: RuleHit) -> tuple[str, Optional[int], str]:
    suffix = f" (when {hit.head.source.when})"
    message = hit.finding.message
    return hit.finding.code, hit.finding.line, message[: -len(suffix)] if message.endswith(
        suffix) else message


def _rule_hits(
    heads: Iterable[Head],
    rules: Sequence[Rule],
    targets: Any = None,
    filename: Optional[str] = None,
) -> Iterator[RuleHit]:
    seen: set[tuple[Any, ...]] = set()
    for index, head in enumerate(heads):
        given = targets.for_output(head.output, index) if targets is not None else None
        facts = (given,) if given is not None else (() if targets is not None else head.targets)
        for r in rules:
            if head.source.is_suppressed(r.code):  # `# headcheck: ignore[...]` in a source file
                continue
            for t, hit in _hits(r, head, facts):
                layer = hit.layer or head.layer
                line = _line(head.source, r.code, layer)
                if t is not None and t.line is not None:  # facts the source reader found at `fit`
                    line = t.line
                repeated = False
                if line is not None:  # a model built twice by one function: report it once
                    keys = {(r.code, hit.severity, line, *about) for about in _about(r.code, head)}
                    repeated = not keys.isdisjoint(seen)
                    seen |= keys
                cell, line = _in_cell(head.source, line)
                finding = Finding(
                    code=r.code,
                    name=r.name,
                    severity=hit.severity or r.severity,
                    filename=filename if filename is not None else head.source.filename,
                    output=head.output,
                    layer=layer,
                    line=line,
                    message=_when(hit.message, head.source.when),
                    fix=hit.fix or r.fix,
                    url=r.url,
                    cell=cell,
                    model=head.source.model,
                )
                yield RuleHit(finding, head, hit.intent, repeated)


def _about(code: str, head: Head) -> list[tuple[Any, ...]]:
    """What makes a finding at a line a repeat of an earlier one of the same code: a head at
    the same output position (a model built or compiled again by the same code) or built at the
    same line (a library model's outputs). So two outputs of one compile get one each; a limit
    (HC9xx) is said once per line."""
    if code.startswith(SKIPPED_PREFIX):
        return [()]
    return [("position", head.source.position), ("built at", head.source.line)]


def _when(message: str, when: Optional[str]) -> str:
    """A finding about the head one outcome of a run-time test builds says which outcome."""
    return message if when is None else f"{message} (when {when})"


def _hits(r: Rule, head: Head, facts: Sequence[Any]) -> Iterator[tuple[Any, Hit]]:
    """The hits of a rule on a head: once, or once per set of target facts for target rules."""
    if r.reads_targets:  # runs with or without targets; one set of facts, or none, decides it
        known = facts[0] if len(facts) == 1 else None
        yield from ((None, hit) for hit in r.check(head, known))
        return
    if not r.needs_targets:
        yield from ((None, hit) for hit in r.check(head))
        return
    for t in facts:
        yield from ((t, hit) for hit in r.check(head, t))


def unparsed_findings(
    parts: Iterable[Unparsed], rules: Sequence[Rule], filename: Optional[str] = None
) -> Iterator[Finding]:
    """HC903 for each part of a source that was skipped because it could not be parsed."""
    r = next((r for r in rules if r.code == UNPARSED), None)
    if r is None:
        return
    for part in parts:
        if part.cell is not None:
            message = (
                f"cell {part.cell} skipped: not valid Python, even as IPython reads it "
                f"(line {part.line}: {part.reason})"
            )
        else:
            many = part.last_line is not None and part.last_line > part.line
            lines = f"lines {part.line}-{part.last_line}" if many else f"line {part.line}"
            message = f"{lines} skipped: not valid Python ({part.reason})"
        yield Finding(
            code=r.code,
            name=r.name,
            severity=r.severity,
            filename=filename if filename is not None else part.filename,
            output="",
            layer="",
            line=part.line,
            message=message,
            fix=r.fix,
            url=r.url,
            cell=part.cell,
        )


def _line(source: Source, code: str, layer: str) -> Optional[int]:
    """Source files: loss and metric findings point at `compile`, the others at their layer."""
    if code.startswith(COMPILE_LINE_CODES) and source.compile_line is not None:
        return source.compile_line
    return source.line_of(layer)


def _in_cell(source: Source, line: Optional[int]) -> tuple[Optional[int], Optional[int]]:
    """(cell, line within it) for a notebook line; (None, line) elsewhere."""
    found = source.cell_of(line) if source.cells and line is not None else None
    return found if found else (None, line)
