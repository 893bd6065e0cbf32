"""Lint one path: the engine shared by the CLI and the Python API (discovery.py finds paths)."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Optional, Sequence

from .discovery import LINTABLE_SUFFIXES, MODEL_SUFFIXES, discover, is_savedmodel, walk
from .findings import Finding, printable
from .fixes import attach_fixes
from .readers import ReadError, read_heads
from .rules import Rule, rule_hits, run_rules, unparsed_findings
from .rules.registry import SKIPPED_PREFIX, UNPARSED
from .shown import HeadView, describe as describe_head, describe_unchecked



@dataclass(frozen=True)
class Result:
    path: str
    findings: tuple[Finding, ...] = ()
    error: Optional[str] = None  # why the path could not be read (one line)
    heads: int = 0  # how many heads were checked (for the summary)
    unchecked: int = 0  # compiles not checked on purpose (program order: `--show-heads` says why)
    views: tuple[HeadView, ...] = ()  # what was read, for `--show-heads`
    # HC9xx findings reported once for several heads (one construct built twice): the finding's
    # (code, cell, line) and the other heads' (model, output), so the summary counts every head
    shared: tuple[tuple[tuple[str, Optional[int], Optional[int]], tuple[Any, ...]], ...] = ()


def _views(
    heads: Sequence[Any], rules: Sequence[Rule], targets: Any, path: str
) -> tuple[HeadView, ...]:
    """Each head with the codes of its own findings (rules are cheap: run once more per head),
    then each compile of a source not checked on purpose."""
    views = tuple(
        describe_head(head, path, (f.code for f in run_rules([head], rules, targets, filename=path)))
        for head in heads
    )
    return views + tuple(describe_unchecked(c) for c in getattr(heads, "unchecked", ()))


def lint_path(
    path: str, rules: Sequence[Rule], targets: Any = None, show_heads: bool = False
) -> Result:
    return _lint(path, lambda: read_heads(path), rules, targets, show_heads, lambda: _bytes(path))


def lint_source_bytes(
    raw: bytes, filename: str, rules: Sequence[Rule], targets: Any = None,
    show_heads: bool = False, follow_loads: bool = False,
) -> Result:
    """Lint a Python source held in memory (`check -` with `--stdin-filename`; `check --fix`
    between passes, with `follow_loads` so saved models the script loads are read as on disk)."""
    from .readers.source import heads_from_bytes

    load = read_heads if follow_loads else None
    return _lint(filename, lambda: heads_from_bytes(raw, filename, load=load), rules, targets,
                 show_heads, lambda: raw)


def _bytes(path: str) -> Optional[bytes]:
    """A source's bytes again, for its fixes (read only when a finding has one to locate)."""
    with open(path, "rb") as handle:
        return handle.read()


def _lint(
    path: str, read: Callable[[], Sequence[Any]], rules: Sequence[Rule], targets: Any,
    show_heads: bool, raw: Callable[[], Optional[bytes]],
) -> Result:
    """Read the heads and run the rules; whatever goes wrong is one line for this path."""
    try:
        with _no_gc_pauses():
            heads = read()
        hits = list(rule_hits(heads, rules, targets, filename=path))
        findings = tuple(attach_fixes(hits, heads, path, raw))
        findings += tuple(unparsed_findings(getattr(heads, "unparsed", ()), rules, path))
        views = _views(heads, rules, targets, path) if show_heads else ()
    except ReadError as exc:
        return Result(path, error=one_line(str(exc)))
    except (OSError, MemoryError, RecursionError) as exc:
        return Result(path, error=one_line(describe(exc)))
    except Exception as exc:  # a bug on one file must not hide the findings of the others
        return Result(path, error=one_line(f"internal error ({describe(exc)}); please report it"))
    return Result(path, findings, heads=len(heads), unchecked=len(getattr(heads, "unchecked", ())),
                  views=views, shared=_shared_limits(hits))


def _shared_limits(hits: Sequence[Any]) -> tuple[Any, ...]:
    """The heads whose HC9xx finding is another head's, not reported again (RuleHit.repeated)."""
    shared: dict[tuple[str, Optional[int], Optional[int]], list[tuple[Optional[str], str]]] = {}
    for hit in hits:
        found = hit.finding
        if hit.repeated and found.code.startswith(SKIPPED_PREFIX) and found.code != UNPARSED:
            shared.setdefault((found.code, found.cell, found.line), []).append(
                (found.model, found.output)
            )
    return tuple((key, tuple(outputs)) for key, outputs in shared.items())


def describe(exc: BaseException) -> str:
    """An exception as a reason: its type and message, never an empty message."""
    if isinstance(exc, MemoryError):
        return "out of memory reading the file (MemoryError)"
    if isinstance(exc, RecursionError):
        return "nested too deeply to follow (RecursionError)"
    if isinstance(exc, OSError) and exc.strerror:
        return f"cannot read the file ({exc.strerror})"
    return f"{type(exc).__name__}: {str(exc) or 'no message'}"


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
    "describe", "lint_source_bytes", "one_line", "sort_findings", "walk",
]  # fmt: skip
