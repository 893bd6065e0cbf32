"""The Python API: `check(model_or_path, y=None, *, select=None, ignore=None)`."""

from __future__ import annotations

import os
from typing import Any, Optional, Sequence

from .lint import lint_path, sort_findings
from .readers import ReadError
from .rules import selected_rules, validate_patterns


class Findings(list):  # type: ignore[type-arg]
    """A list of findings that renders readably in a terminal and in notebooks.

    `title` (e.g. "model `clf`") heads the report; in Jupyter the report is HTML with the
    severity in colour, each rule linked to its documentation and the fix under it.
    """

    title: str = ""

    def __repr__(self) -> str:
        heading = f"keras-headcheck: {self.title}: " if self.title else ""
        if not self:
            return f"<{heading}no findings: the head looks right>"
        lines = [heading.rstrip(" :")] if heading else []
        for f in self:
            lines += [str(f), f"  help: {f.fix}"]
        return "\n".join(lines)

    def __rich__(self) -> Any:
        from rich.console import Group

        if not self:
            return "[green]no findings: the head looks right[/]"
        return Group(*(f.__rich__() for f in self))

    def _repr_html_(self) -> str:
        from .output.html import render

        return render(self, self.title)


def check(
    model_or_path: Any,
    y: Any = None,
    *,
    select: Optional[Sequence[str]] = None,
    ignore: Optional[Sequence[str]] = None,
    x: Any = None,
) -> Findings:
    """Check the head(s) of a live `keras.Model` or a saved model / source path.

    Args:
        model_or_path: a `keras.Model` (Keras 3 on any backend, or `tf_keras`), or a path to a
            `.keras`/`.h5` file, a SavedModel directory, a Python source or a notebook.
        y: optional training targets, for the target rules (HC4xx): an array-like (NumPy,
            pandas, tensors, lists), a dict of them by output name or a list in output order,
            or a re-iterable dataset (`tf.data.Dataset`, `keras.utils.PyDataset`, a PyTorch
            `DataLoader`) of which only the first batches are read. Generators are refused.
        select: rule codes or prefixes to run (default: all).
        ignore: rule codes or prefixes to skip.
        x: optional sample input batch (live models only): a subclassed model's `call()` is
            traced on inputs shaped like it, and when tracing fails its outputs on `x` are read.

    Returns:
        The findings, sorted by output then code. A live model whose config cannot be read gives
        one HC901 finding saying why (checking a live model does not raise for that).

    Raises:
        ValueError: if a path cannot be read as a model (`ReadError`), `y` cannot be read as
            targets (`keras_headcheck.targets.TargetError`), or a code in `select`/`ignore`
            names no rule.
        TypeError: if `model_or_path` is neither a Keras model nor a path.
    """
    select, ignore = _patterns("select", select), _patterns("ignore", ignore)
    rules = selected_rules(select, ignore)
    targets = None
    if y is not None:
        from .targets import summarize_targets

        targets = summarize_targets(y)
    if isinstance(model_or_path, (str, os.PathLike)):
        path = os.fspath(model_or_path)
        result = lint_path(path, rules, targets)
        if result.error:
            raise ReadError(f"{path}: {result.error}")
        return Findings(sort_findings(result.findings))
    from .readers.live import read_live_heads
    from .rules import run_rules

    heads = read_live_heads(model_or_path, x)
    if targets is not None and targets.names is not None:
        outputs = [head.output for head in heads]
        unknown = [name for name in targets.names if name not in outputs]
        if unknown:  # a misspelt key would silently skip the target rules
            from .targets import TargetError

            raise TargetError(f"`y` has targets for {unknown}, but the model's outputs are {outputs}")
    return Findings(sort_findings(list(run_rules(heads, rules, targets))))


def _patterns(name: str, value: Optional[Sequence[str]]) -> Optional[list[str]]:
    """`select="HC1"` means ["HC1"]; a code that selects no rule is a mistake, as in the CLI."""
    if value is None:
        return None
    patterns = [value] if isinstance(value, str) else list(value)
    unknown = validate_patterns(patterns)
    if unknown:
        raise ValueError(f"unknown rule code(s) in `{name}`: {', '.join(unknown)}")
    return patterns
