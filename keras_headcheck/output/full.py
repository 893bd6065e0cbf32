"""`--output-format full` (the default): each finding as ruff and rustc show theirs.

    train.py:12:5: HC101 Softmax over a single unit always outputs 1.0
       |
    12 |     layers.Dense(1, activation="softmax"),
       |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error: softmax-on-single-unit
       |
    help: Use a sigmoid output (for a probability; a regression target needs linear)
    note: This is an unsafe fix and may change what the program means (--unsafe-fixes applies it)

A saved file has no source: the gutter shows where in the model the finding is instead. The
model is named when a file holds more than one. `help:` says what the fix does when the finding
has one (as ruff prints the fix's title; an unsafe one gets the note), else the rule's advice. Text wraps at words to the terminal's width.
"""

from __future__ import annotations

import os
import re
import shutil
import textwrap
from typing import Optional, TextIO

from ..findings import Finding, printable
from . import Context
from .location import fix_marker, location
from .snippet import MAX_LINES, Snippet, snippet
from .style import SEVERITY_STYLE, Painter, use_color


MIN_TEXT_WIDTH = 40
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def report(findings: list[Finding], stream: TextIO, context: Optional[Context] = None) -> None:
    context = context or Context()
    paint = Painter(use_color(context.color, stream))
    width = context.width or _terminal_width(stream)
    several = _files_with_several_models(findings)
    for finding in findings:
        stream.write(render(finding, context, paint, width, finding.filename in several))


def render(
    finding: Finding, context: Context, paint: Painter, width: Optional[int], name_model: bool
) -> str:
    shown = snippet(finding, context.sources)
    column = shown.span.column if shown else None
    header = (
        f"{paint(location(finding, column), 'bold')}: "
        f"{paint(finding.code, SEVERITY_STYLE[finding.severity])} "
        f"{fix_marker(finding, context.unsafe_fixes)}"
    )
    out = [_wrap(header, finding.message, width)]
    colour = SEVERITY_STYLE[finding.severity]
    label = paint(f"{finding.severity}: {finding.name}", colour)
    if shown is not None:
        body = _source_lines(shown, paint, label, colour)
    else:
        body = _model_lines(finding, paint, label, colour)
    gutter = " " * _gutter_width(shown)
    out.append(paint(f"{gutter} |", "blue"))
    out.extend(body)
    out.append(paint(f"{gutter} |", "blue"))
    if name_model and finding.model:
        out.append(_wrap(paint("note", "bold") + ": ", f"model `{finding.model}`", width))
    out.extend(_help(finding, context, paint, width))
    return "\n".join(out) + "\n\n"


UNSAFE_NOTE = "This is an unsafe fix and may change what the program means"


def _help(finding: Finding, context: Context, paint: Painter, width: Optional[int]) -> list[str]:
    """What the fix does (the rule's one-sentence advice when there is none); an unsafe fix
    says so, and how to apply it when this run would not."""
    fix = finding.applicable_fix
    lines = [_wrap(paint("help", "green") + ": ", fix.message if fix else finding.fix, width)]
    if fix is not None and fix.applicability != "safe":
        hint = context.unsafe_hint and not context.unsafe_fixes
        note = UNSAFE_NOTE + (" (--unsafe-fixes applies it)" if hint else "")
        lines.append(_wrap(paint("note", "bold") + ": ", note, width))
    return lines


def _source_lines(shown: Snippet, paint: Painter, label: str, colour: str) -> list[str]:
    """The construct's lines (up to MAX_LINES), its first line underlined and labelled."""
    span = shown.span
    width = _gutter_width(shown)
    bar = paint(" " * width + " |", "blue")
    last = min(span.end_line, span.line + MAX_LINES - 1)
    out = []
    for number in range(span.line, last + 1):
        # tabs as one space keep the carets under their columns; control characters in a
        # hostile source (a raw ESC in a string) are escaped, never sent to the terminal
        text = printable(shown.lines[number - 1].rstrip().replace("\t", " "))
        out.append(f"{paint(str(number).rjust(width) + ' |', 'blue')} {text}")
        if number == span.line:
            end = span.end_column if span.end_line == span.line else len(text) + 1
            carets = paint("^" * max(1, end - span.column), colour)
            out.append(f"{bar} {' ' * (span.column - 1)}{carets} {label}")
    if span.end_line > last:
        out.append(f"{bar} ...")
    return out


def _model_lines(finding: Finding, paint: Painter, label: str, colour: str) -> list[str]:
    where = f"output '{finding.output}'"
    layer = f"layer '{finding.layer}'" if finding.layer and finding.layer != finding.output else ""
    text = f"{where} › {layer}" if layer else where
    start = len(text) - len(layer or where)
    bar = paint("  |", "blue")
    carets = paint("^" * len(layer or where), colour)
    return [f"{bar} {text}", f"{bar} {' ' * start}{carets} {label}"]


def _gutter_width(shown: Optional[Snippet]) -> int:
    if shown is None:
        return 1
    return len(str(min(shown.span.end_line, shown.span.line + MAX_LINES - 1)))


def _wrap(lead: str, text: str, width: Optional[int]) -> str:
    """`lead` then `text`, wrapped at words to `width` (if any), continued under `text` (or
    indented 4 when that leaves too little room)."""
    if width is None:
        return lead + text
    visible = len(_ANSI.sub("", lead))
    indent = visible if width - visible >= MIN_TEXT_WIDTH else 4
    lines = textwrap.wrap(
        text,
        max(MIN_TEXT_WIDTH, width - indent),
        initial_indent=" " * (visible - indent) if visible > indent else "",
        break_long_words=False,
        break_on_hyphens=False,
    )
    if not lines:
        return lead
    first = lines[0][visible - indent :] if visible > indent else lines[0]
    return "\n".join([lead + first] + [" " * indent + line for line in lines[1:]])


def _terminal_width(stream: TextIO) -> Optional[int]:
    """Wrap on a terminal (or to COLUMNS when set); never in a pipe read by a program."""
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    isatty = getattr(stream, "isatty", None)
    if isatty and isatty():
        return shutil.get_terminal_size().columns
    return None


def _files_with_several_models(findings: list[Finding]) -> set[str]:
    models: dict[str, set[str]] = {}
    for f in findings:
        if f.model:
            models.setdefault(f.filename, set()).add(f.model)
    return {name for name, seen in models.items() if len(seen) > 1}
