"""Find lintable paths and lint them: the engine shared by the CLI and the Python API."""

from __future__ import annotations

import gc
import os
import stat
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator, Optional, Sequence

from .findings import Finding, printable
from .readers import ReadError, read_heads
from .rules import Rule, run_rules, unparsed_findings
from .shown import HeadView, describe as describe_head

MODEL_SUFFIXES = (".keras", ".h5", ".hdf5")
SOURCE_SUFFIXES = (".py", ".ipynb")
SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", "__pycache__", ".venv", "venv", ".tox", ".nox", "node_modules",
     "site-packages", ".mypy_cache", ".pytest_cache", ".ruff_cache", "build", "dist"}
)


LINTABLE_SUFFIXES = MODEL_SUFFIXES + SOURCE_SUFFIXES


def is_savedmodel(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "saved_model.pb")) or os.path.isfile(
        os.path.join(path, "keras_metadata.pb")
    )


def _is_virtualenv(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "pyvenv.cfg"))


def discover(paths: Sequence[str]) -> Iterator[str]:
    """Expand directories (recursively) into the model files, SavedModels and sources inside."""
    suffixes = LINTABLE_SUFFIXES
    for path in paths:
        if not os.path.isdir(path) or is_savedmodel(path):
            yield path
            continue
        found = []
        for root, dirs, files in os.walk(path):
            keep = []
            for d in sorted(dirs):
                full = os.path.join(root, d)
                if d in SKIP_DIRS or _is_virtualenv(full) or os.path.islink(full):
                    continue
                if is_savedmodel(full):
                    found.append(full)
                else:
                    keep.append(d)
            dirs[:] = keep
            found.extend(
                os.path.join(root, f) for f in files
                if f.endswith(suffixes) and _not_special(os.path.join(root, f))
            )
        yield from sorted(found)


def _not_special(path: str) -> bool:
    """False for a FIFO, device or socket found in a directory walk: skipped, as opening one could
    block forever. (A path named on the command line is kept, and refused by its reader.)"""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True  # a dangling link or a race: the reader reports why it cannot be read


@dataclass(frozen=True)
class Result:
    path: str
    findings: tuple[Finding, ...] = ()
    error: Optional[str] = None  # why the path could not be read (one line)
    heads: tuple[HeadView, ...] = ()  # what was read, for `--show-heads`


def _views(
    heads: Sequence[Any], rules: Sequence[Rule], targets: Any, path: str
) -> tuple[HeadView, ...]:
    """Each head with the codes of its own findings (rules are cheap: run once more per head)."""
    return tuple(
        describe_head(head, path, (f.code for f in run_rules([head], rules, targets, filename=path)))
        for head in heads
    )


def lint_path(
    path: str, rules: Sequence[Rule], targets: Any = None, show_heads: bool = False
) -> Result:
    try:
        with _no_gc_pauses():
            heads = read_heads(path)
        findings = tuple(run_rules(heads, rules, targets, filename=path))
        findings += tuple(unparsed_findings(getattr(heads, "unparsed", ()), rules, path))
        views = _views(heads, rules, targets, path) if show_heads else ()
    except ReadError as exc:
        return Result(path, error=one_line(str(exc)))
    except (OSError, MemoryError, RecursionError) as exc:
        return Result(path, error=one_line(describe(exc)))
    except Exception as exc:  # a bug on one file must not hide the findings of the others
        return Result(path, error=one_line(f"internal error ({describe(exc)}); please report it"))
    return Result(path, findings, heads=views)


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
