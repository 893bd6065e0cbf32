"""What the linter read for each head, for `--show-heads`: one line per head it checked, and one
per `compile` of a source it deliberately did not check (with why: RULES.md, program order).

This is how a user learns why a model got no finding (its loss was not read, its units are
unknown, that compile is replaced before `fit`...), and how benchmarks/realworld.py tells
"analysed and clean" from "not checked" from "silent".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional, TextIO

from .findings import printable
from .head import Head, Unchecked


@dataclass(frozen=True)
class HeadView:
    """One checked head, as plain data (picklable: it crosses process pools)."""

    filename: str
    output: str
    layer: str
    line: Optional[int]  # the head's layer (within its cell, for a notebook)
    cell: Optional[int]  # notebooks: the cell of `line`
    compile_line: Optional[int]  # the `compile` bound to this head (within its cell)
    compile_cell: Optional[int]
    activation: Optional[str]  # None: the final operation cannot be interpreted
    units: Optional[int]  # None: not known statically
    loss: Optional[str]  # as written; None when not compiled with a loss
    loss_name: Optional[str]  # canonical, None when the loss cannot be interpreted
    from_logits: bool
    metrics: tuple[str, ...]
    codes: tuple[str, ...]  # the codes of its findings
    not_checked: Optional[str] = None  # a compile not checked on purpose: why (no head read)
    when: Optional[str] = None  # the outcome of a run-time test the head is built for

    @property
    def where(self) -> str:
        return _where(self.filename, self.cell, self.line)


def _where(filename: str, cell: Optional[int], line: Optional[int]) -> str:
    if cell is not None:
        return f"{filename}:cell {cell}:{line}"
    return f"{filename}:{line}" if line else filename


def _in_cell(head: Head, line: Optional[int]) -> tuple[Optional[int], Optional[int]]:
    found = head.source.cell_of(line) if head.source.cells and line is not None else None
    return (found[0], found[1]) if found else (None, line)


def describe(head: Head, filename: str, codes: Iterable[str]) -> HeadView:
    cell, line = _in_cell(head, head.source.line_of(head.layer))
    compile_cell, compile_line = _in_cell(head, head.source.compile_line)
    loss = head.loss
    return HeadView(
        filename=filename,
        output=head.output,
        layer=head.layer,
        line=line,
        cell=cell,
        compile_line=compile_line,
        compile_cell=compile_cell,
        activation=head.activation,
        units=head.units,
        loss=loss.written if loss else None,
        loss_name=loss.name if loss else None,
        from_logits=bool(loss and loss.from_logits),
        metrics=tuple(m.written or m.name for m in head.metrics),
        codes=tuple(sorted(set(codes))),
        when=head.source.when,
    )


def describe_unchecked(compiled: Unchecked) -> HeadView:
    return HeadView(
        filename=compiled.filename, output=compiled.model, layer=compiled.model,
        line=compiled.line, cell=compiled.cell, compile_line=compiled.line,
        compile_cell=compiled.cell, activation=None, units=None, loss=None, loss_name=None,
        from_logits=False, metrics=(), codes=(), not_checked=compiled.why,
    )


def head_line(view: HeadView) -> str:
    """`train.py:12: head 'dense_1' (layer 'dense_1'): activation softmax, units 10, ...`."""
    if view.not_checked is not None:
        return printable(f"{view.where}: compile of {view.output!r} not checked: {view.not_checked}")
    if view.activation is None:
        activation = f"? (`{view.layer}` cannot be interpreted)"
    else:
        activation = view.activation
    units = "?" if view.units is None else str(view.units)
    if view.loss is None:
        loss = "none"
    elif view.loss_name is None:
        loss = f"{view.loss} (not interpreted)"
    else:
        loss = f"{view.loss_name} (from_logits={view.from_logits})"
    metrics = ", ".join(view.metrics) if view.metrics else "none"
    compiled = ""
    if view.compile_line:
        cell = f"cell {view.compile_cell}, " if view.compile_cell is not None else ""
        compiled = f"; compiled at {cell}line {view.compile_line}"
    if view.when:
        compiled += f"; when {view.when}"
    verdict = ", ".join(view.codes) if view.codes else "clean"
    return printable(
        f"{view.where}: head {view.output!r} (layer {view.layer!r}): activation {activation}, "
        f"units {units}, loss {loss}, metrics {metrics}{compiled} -> {verdict}"
    )


def report_heads(views: Iterable[HeadView], stream: TextIO) -> None:
    for view in views:
        stream.write(head_line(view) + "\n")
