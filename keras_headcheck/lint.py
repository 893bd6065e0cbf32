"""Lint one path: the engine shared by the CLI and the Python API (discovery.py finds paths)."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator, Optional, Sequence

from .discovery import LINTABLE_SUFFIXES, MODEL_SUFFIXES, discover, is_savedmodel, walk
from .findings import Finding, printable
from .readers import ReadError, read_heads
from .rules import Rule, run_rules


@dataclass(frozen=True)
class Result:
    path: str
    findings: tuple[Finding, ...] = ()
    error: Optional[str] = None  # why the path could not be read (one line)
    heads: int = 0  # how many heads were checked (for the summary)


def lint_path(path: str, rules: Sequence[Rule], targets: Any = None) -> Result:
    try:
        with _no_gc_pauses():
            heads = read_heads(path)
        findings = tuple(run_rules(heads, rules, targets, filename=path))
    except ReadError as exc:
        return Result(path, error=one_line(str(exc)))
    except (OSError, MemoryError, RecursionError) as exc:
        return Result(path, error=one_line(f"{type(exc).__name__}: {exc}"))
    return Result(path, findings, heads=len(heads))


def lint_source_bytes(raw: bytes, filename: str, rules: Sequence[Rule], targets: Any = None) -> Result:
    """Lint a Python source held in memory (`check -` with `--stdin-filename`)."""
    from .readers.source import heads_from_bytes

    try:
        heads = heads_from_bytes(raw, filename)
        findings = tuple(run_rules(heads, rules, targets, filename=filename))
    except ReadError as exc:
        return Result(filename, error=one_line(str(exc)))
    except (MemoryError, RecursionError) as exc:
        return Result(filename, error=one_line(f"{type(exc).__name__}: {exc}"))
    return Result(filename, findings, heads=len(heads))


@contextmanager
def _no_gc_pauses() -> Iterator[None]:
    """Reading a config allocates one object per JSON value and frees them together; the cyclic
    collector's passes over that young, acyclic heap make big configs superlinear, so it waits."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def one_line(text: str) -> str:
    """An error message as one printable line: messages quote text from hostile files."""
    return printable(text)


def sort_findings(findings: Sequence[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: f.sort_key)


__all__ = [
    "LINTABLE_SUFFIXES", "MODEL_SUFFIXES", "Result", "discover", "is_savedmodel", "lint_path",
    "lint_source_bytes", "sort_findings", "walk",
]  # fmt: skip
