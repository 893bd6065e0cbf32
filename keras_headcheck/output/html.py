"""Findings as HTML, for notebooks (`Findings._repr_html_`, the IPython extension).

Inline styles only: Jupyter, VS Code and Colab keep `style` attributes of an output but may drop
`<style>` elements. Every text comes through `html.escape` (names are read from models and files).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from typing import Sequence

from ..findings import SEVERITIES, Finding

COLOURS = {"error": "#c62828", "warning": "#b26a00", "info": "#0277bd"}
FIX_COLOUR = "#2e7d32"
BOX = "font-family: var(--jp-code-font-family, monospace); font-size: 13px; line-height: 1.4;"
CELL = "text-align: left; vertical-align: top; padding: 2px 8px;"


def counts(findings: Sequence[Finding]) -> str:
    """ "2 errors, 1 warning" """
    by_severity = Counter(f.severity for f in findings)
    return ", ".join(
        f"{by_severity[s]} {s}{'s' if by_severity[s] > 1 else ''}" for s in SEVERITIES if by_severity[s]
    )


def render(findings: Sequence[Finding], title: str = "") -> str:
    heading = f"keras-headcheck{': ' + title if title else ''}"
    if not findings:
        return (
            f'<div class="keras-headcheck" style="{BOX}">'
            f'<span style="color: {FIX_COLOUR}">&#10003;</span> '
            f"{html.escape(heading)}: no findings, the head looks right</div>"
        )
    rows = "".join(_row(f) for f in findings)
    return (
        f'<div class="keras-headcheck" style="{BOX}">'
        f"<div><b>{html.escape(heading)}</b>: {counts(findings)}</div>"
        f"<table>{rows}</table></div>"
    )


def _row(f: Finding) -> str:
    colour = COLOURS.get(f.severity, "inherit")
    rule = (
        f'<a href="{html.escape(f.url, quote=True)}" target="_blank" rel="noopener" '
        f'title="the rule\'s documentation"><b>{html.escape(f.code)}</b> {html.escape(f.name)}</a>'
    )
    where = [f"output <code>{html.escape(f.output)}</code>"] if f.output else []
    if f.layer and f.layer != f.output:
        where.append(f"layer <code>{html.escape(f.layer)}</code>")
    if f.line is not None:  # a source finding: where in the file (or the notebook's cell)
        where.append(html.escape(f.location))
    return (
        f'<tr style="border-left: 3px solid {colour}">'
        f'<td style="{CELL} color: {colour}; font-weight: bold">{html.escape(f.severity)}</td>'
        f'<td style="{CELL}">{rule} <span style="opacity: 0.7">{", ".join(where)}</span><br>'
        f"{_text(f.message)}<br>"
        f'<span style="color: {FIX_COLOUR}">help:</span> {_text(f.fix)}</td></tr>'
    )


def _text(text: str) -> str:
    """Escaped, with the `names` of messages shown as code, as Markdown would."""
    return re.sub(r"`([^`<>]+)`", r"<code>\1</code>", html.escape(text, quote=False))
