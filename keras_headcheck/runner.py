"""Lint many paths: serially while that is quick, then across processes; results in path order.

A small model lints in well under a millisecond, so for a few hundred of them a process pool
costs more than it saves; a big Functional config can take a second. Rather than guess from the
file count, a run starts serially and hands the paths left to a pool of `jobs` processes once it
has taken PARALLEL_AFTER_SECONDS.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from contextlib import contextmanager
from itertools import repeat
from typing import Any, Callable, Iterator, Optional, Sequence

from .lint import Result, describe, lint_path, one_line
from .rules import RULES, Rule

PARALLEL_AFTER_SECONDS = 0.25
DEFAULT_TIMEOUT = 60.0  # seconds per file (`--timeout`): above the HDF5 child's own 30 s


class Timeout(BaseException):
    """Raised by the alarm in the process linting a file. A BaseException, so that no reader's
    `except Exception` can swallow it."""


def default_jobs() -> int:
    """The CPUs this process may run on (the container's share, not the host's count)."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13+
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def lint_paths(
    paths: Sequence[str],
    rules: Sequence[Rule],
    targets: Any = None,
    jobs: Optional[int] = None,
    on_result: Optional[Callable[[Result], None]] = None,
    timeout: Optional[float] = DEFAULT_TIMEOUT,
    show_heads: bool = False,
) -> list[Result]:
    """One Result per path, in the order of `paths`, whether linted serially or in parallel. A
    path that takes more than `timeout` seconds (None: no limit) is an error for that path."""
    jobs = jobs or default_jobs()
    results = []
    for result in _results(paths, rules, (targets, show_heads), jobs, timeout):
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results


def lint_planned(
    paths: Sequence[str], rules: Sequence[Rule], plan: dict[str, Any], jobs: Optional[int],
    on_result: Optional[Callable[[Result], None]], timeout: Optional[float], show_heads: bool,
) -> list[Result]:
    """`lint_paths`, each path of `plan` with its own targets (`--targets`), the rest together;
    results in path order."""
    options: dict[str, Any] = {"timeout": timeout, "show_heads": show_heads, "on_result": on_result}
    if not plan:
        return lint_paths(paths, rules, None, jobs=jobs, **options)
    by_path = {}
    for path in paths:
        if path in plan:
            by_path[path] = lint_paths([path], rules, plan[path], jobs=1, **options)[0]
    rest = [p for p in paths if p not in plan]
    for result in lint_paths(rest, rules, None, jobs=jobs, **options):
        by_path[result.path] = result
    return [by_path[p] for p in paths]


def _results(
    paths: Sequence[str], rules: Sequence[Rule], options: Any, jobs: int, timeout: Optional[float]
) -> Iterator[Result]:
    started = time.monotonic()
    for index, path in enumerate(paths):
        left = len(paths) - index
        if jobs > 1 and left > 1 and time.monotonic() - started >= PARALLEL_AFTER_SECONDS:
            yield from _in_pool(paths[index:], rules, options, min(jobs, left), timeout)
            return
        yield _lint_one(path, rules, options, timeout)


def _in_pool(
    paths: Sequence[str], rules: Sequence[Rule], options: Any, jobs: int, timeout: Optional[float]
) -> Iterator[Result]:
    codes = [rule.code for rule in rules]  # send codes, not functions, to the workers
    chunksize = max(1, min(32, len(paths) // (jobs * 8)))
    with make_pool(jobs) as pool:
        yield from pool.map(
            _lint_in_worker, paths, repeat(codes), repeat(options), repeat(timeout),
            chunksize=chunksize,
        )


def make_pool(jobs: int) -> Any:
    """A pool of `jobs` worker processes (imported here: only runs that last need one)."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=jobs)


def _lint_in_worker(
    path: str, codes: Sequence[str], options: Any, timeout: Optional[float]
) -> Result:
    return _lint_one(path, [RULES[code] for code in codes], options, timeout)


def _lint_one(
    path: str, rules: Sequence[Rule], options: Any, timeout: Optional[float] = None
) -> Result:
    """`options`: (the targets, whether to describe the heads), one picklable value."""
    targets, show_heads = options
    previous = _arm(timeout)
    try:
        # lint_path turns a reader's exception into an error
        if show_heads:
            return lint_path(path, rules, targets, show_heads=True)
        return lint_path(path, rules, targets)
    except Timeout:
        return Result(path, error=timed_out(timeout, "check"))
    except Exception as exc:  # a bug on one file must not hide the findings of the others
        return Result(path, error=one_line(f"internal error ({describe(exc)}); please report it"))
    finally:
        _disarm(previous)


def timed_out(timeout: Optional[float], doing: str) -> str:
    return f"took more than {timeout or 0:g} s to {doing} (--timeout)"


@contextmanager
def time_limit(timeout: Optional[float]) -> Iterator[None]:
    """Raise Timeout in the `with` body after `timeout` s (where an alarm can: see _arm)."""
    previous = _arm(timeout)
    try:
        yield
    finally:
        _disarm(previous)


def _on_alarm(signum: int, frame: Any) -> None:
    raise Timeout()


_NOT_ARMED = object()


def _arm(timeout: Optional[float]) -> Any:
    """Interrupt this process's linting after `timeout` s, where it can: an alarm signal (POSIX,
    main thread). Python runs the handler between bytecodes and in any blocking system call, so
    a loop or a wait of the linter's own becomes a Timeout; the previous handler is returned."""
    if not timeout or not hasattr(signal, "setitimer"):
        return _NOT_ARMED
    if threading.current_thread() is not threading.main_thread():
        return _NOT_ARMED
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    return previous


def _disarm(previous: Any) -> None:
    if previous is not _NOT_ARMED:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
