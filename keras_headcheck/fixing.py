"""`check --fix` and `check --diff`: apply the fixes of each source, lint it again, repeat.

A pass applies every fix it may (safe ones; unsafe ones too with `--unsafe-fixes`) that does not
overlap one already taken, lints the new text, and goes on while fixes are left: one fix can make
another safe (HC206's binary crossentropy makes HC101's sigmoid safe). The file is written once,
at the end, and only when its bytes changed; saved model files are never touched.
"""

from __future__ import annotations

import ast
import difflib
import io
import re
import tokenize
import warnings
from dataclasses import replace
from typing import Any, Callable, Iterable, NamedTuple, Optional, Sequence

from .findings import Edit, Finding
from .fixes import EditError, apply, apply_notebook
from .fixes.text import overlaps
from .lint import Result, lint_source_bytes
from .output.summary import FixTally
from .runner import Timeout, time_limit, timed_out

MAX_PASSES = 10
PATCH_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")  # lines as `patch` reads them: ended by \n only
SOURCE_SUFFIXES = (".py", ".ipynb")
Lint = Callable[[bytes], Result]  # a source's bytes -> its findings, as the report keeps them


class Fixed(NamedTuple):
    before: bytes
    after: bytes
    fixed: int  # findings whose fix was applied
    result: Result  # the lint of `after`
    codes: tuple[str, ...] = ()  # the code of each finding fixed, pass after pass (--show-fixes)


def wanted(findings: Iterable[Finding], unsafe: bool) -> list[Finding]:
    """The findings whose fix this run applies."""
    return [f for f in findings if f.applicable_fix is not None
            and (unsafe or f.applicable_fix.applicability == "safe")]  # fmt: skip


def hidden(findings: Iterable[Finding], unsafe: bool) -> int:
    """Fixes left out for want of --unsafe-fixes."""
    return 0 if unsafe else sum(
        f.applicable_fix is not None and f.applicable_fix.applicability != "safe" for f in findings
    )


def fix_tally(
    left: Sequence[Finding], unsafe: bool, hint: bool, fixed: Optional[int] = None
) -> FixTally:
    """What the summary says of fixes: `fixed` applied (None: no fix pass ran), the fixes among
    `left` that --fix would apply, and (when `hint`) the unsafe ones --unsafe-fixes would add."""
    unsafe_left = hidden(left, unsafe) if hint else 0
    return FixTally(fixed is not None, fixed or 0, len(wanted(left, unsafe)), unsafe_left)


def fix_source(raw: bytes, path: str, first: Result, lint: Lint, unsafe: bool) -> Fixed:
    """Fix `raw` (linted as `first`) pass after pass; a pass that would not parse is not taken."""
    result, text = first, raw
    codes: tuple[str, ...] = ()
    for _ in range(MAX_PASSES):
        chosen = wanted(result.findings, unsafe)
        if not chosen or result.error:
            break
        try:
            new, applied = _apply_fixes(text, path, chosen)
        except (EditError, UnicodeError, SyntaxError, ValueError):
            break
        if new == text:
            break
        again = lint(new)
        if again.error:
            break
        text, result, codes = new, again, codes + tuple(f.code for f in applied)
    return Fixed(raw, text, len(codes), result, codes)


def apply_fixes(raw: bytes, path: str, findings: Sequence[Finding]) -> tuple[bytes, int]:
    """The source with the fixes of `findings` that do not overlap an earlier one (those wait
    for the next pass), and how many were applied."""
    text, applied = _apply_fixes(raw, path, findings)
    return text, len(applied)


def _apply_fixes(raw: bytes, path: str, findings: Sequence[Finding]) -> tuple[bytes, list[Finding]]:
    taken: list[Edit] = []
    applied = []
    for finding in findings:
        edits = list(finding.applicable_fix.edits)  # type: ignore[union-attr]
        if overlaps(edits, taken):
            continue
        taken.extend(e for e in edits if e not in taken)
        applied.append(finding)
    if not taken:
        return raw, []
    if path.endswith(".ipynb"):
        return apply_notebook(raw.decode("utf-8"), taken).encode("utf-8"), applied
    encoding = _encoding(raw)
    text = apply(raw.decode(encoding), taken)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ast.parse(text)  # never write a script that no longer parses
    return text.encode(encoding), applied


def _encoding(raw: bytes) -> str:
    return tokenize.detect_encoding(io.BytesIO(raw).readline)[0]


def decoded(raw: bytes, path: str) -> str:
    return raw.decode("utf-8" if path.endswith(".ipynb") else _encoding(raw), "replace")


def unified_diff(path: str, before: bytes, after: bytes) -> str:
    """What `patch` applies to turn `before` into `after` (`--- path` / `+++ path`)."""
    old = PATCH_LINE.findall(decoded(before, path))
    new = PATCH_LINE.findall(decoded(after, path))
    lines = difflib.unified_diff(old, new, fromfile=path, tofile=path)
    return "".join(_terminated(line) for line in lines)


def _terminated(line: str) -> str:
    if line.endswith("\n"):
        return line
    return line + "\n\\ No newline at end of file\n"


def is_source(path: str) -> bool:
    return path.endswith(SOURCE_SUFFIXES)


def read(path: str) -> Optional[bytes]:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def write(path: str, data: bytes) -> Optional[str]:
    """Write `data` over `path` (same file, same mode); the reason when it cannot."""
    try:
        with open(path, "r+b") as handle:
            handle.write(data)
            handle.truncate()
    except OSError as exc:
        return f"cannot write the fixed file ({exc.strerror or exc})"
    return None


class Outcome(NamedTuple):
    results: list[Result]  # each path's findings after fixing (a file not written: an error)
    changed: list[tuple[str, Fixed]]  # the sources whose text the fixes change

    @property
    def applied(self) -> list[tuple[str, tuple[str, ...]]]:
        """(path, the code of each fix applied) per source changed, for --show-fixes."""
        return [(path, fixed.codes) for path, fixed in self.changed]

    def tally(self, unsafe: bool, hint: bool) -> FixTally:
        left = [f for r in self.results for f in r.findings]
        return fix_tally(left, unsafe, hint, sum(fixed.fixed for _, fixed in self.changed))


def fix_results(
    results: Sequence[Result], rules: Sequence[Any], keep: Callable[[Iterable[Finding]], list[Finding]],
    targets_of: Callable[[str], Any], unsafe: bool, write_back: bool,
    sources: Optional[dict[str, bytes]] = None, timeout: Optional[float] = None,
) -> Outcome:
    """Fix every source among `results`, its findings filtered by `keep` (the configuration's
    ignores) before and after each pass; `sources` holds the text of those not on disk (stdin),
    which are never written. A file's passes together get `timeout` seconds (`--timeout`, as its
    check had): one that runs out is an error for that file, left as it was."""
    sources = sources or {}

    def lint_for(path: str) -> Lint:
        def lint(raw: bytes) -> Result:
            found = lint_source_bytes(raw, path, rules, targets_of(path), follow_loads=True)
            return replace(found, findings=tuple(keep(found.findings)))
        return lint

    out, changed = [], []
    for result in results:
        result = replace(result, findings=tuple(keep(result.findings)))
        if result.error or not is_source(result.path) or not wanted(result.findings, unsafe):
            out.append(result)
            continue
        raw = sources[result.path] if result.path in sources else read(result.path)
        if raw is None:
            out.append(result)
            continue
        try:
            with time_limit(timeout):  # the file is written only after its passes finish
                fixed = fix_source(raw, result.path, result, lint_for(result.path), unsafe)
        except Timeout:
            out.append(Result(result.path, error=f"{timed_out(timeout, 'fix')}; left unchanged"))
            continue
        if fixed.after != raw:
            problem = write(result.path, fixed.after) if write_back and result.path not in sources else None
            if problem:
                out.append(Result(result.path, error=problem))
                continue
            changed.append((result.path, fixed))
        out.append(fixed.result)
    return Outcome(out, changed)
