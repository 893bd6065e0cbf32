"""The one-line summary under a text report (stderr): what was checked, and what was not.

    Checked 3 heads in 2 files: no problems.
    Checked 3 heads in 2 files: 1 error, 1 warning; 1 head skipped (HC9xx).
    Checked 1 head in 1 file: no problems found in it; 1 path could not be read (see above).
    No model files or sources found.
    Checked 2 heads in 1 file: 1 error; 1 fixable with --fix (1 more with --unsafe-fixes).
    Checked 2 heads in 1 file: 1 error (2 fixed, 1 remaining).        (after --fix)

It never reads as clean beside a failure: a skipped head or an unreadable path is always named.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional

from ..findings import SEVERITIES, Finding
from ..rules.registry import SKIPPED_PREFIX, UNPARSED  # UNPARSED: a part of a source not parsed


@dataclass(frozen=True)
class Tally:
    files: int  # paths read
    heads: int  # heads checked in them
    unreadable: int  # paths that could not be read
    # (filename, code, cell, line) of an HC9xx finding -> the other heads' (model, output) it
    # stands for
    shared: Mapping[tuple[str, str, Optional[int], Optional[int]], tuple[Any, ...]] = field(
        default_factory=dict
    )
    unchecked: int = 0  # compiles not checked on purpose (a model compiled only to predict...)


@dataclass(frozen=True)
class FixTally:
    fixing: bool = False  # --fix ran: `fixed` were applied, the findings are what remains
    fixed: int = 0
    fixable: int = 0  # fixes --fix would apply (with the options given)
    hidden: int = 0  # unsafe fixes left out for want of --unsafe-fixes


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(tally: Tally, findings: Iterable[Finding], fixes: FixTally = FixTally()) -> str:
    line = _checked(tally, list(findings), fixes)
    return line[:-1] + _fix_note(fixes) + "." if line.endswith(".") else line


def _fix_note(fixes: FixTally) -> str:
    """What --fix did or could do, as ruff says it ("2 fixed, 1 remaining"; "1 fixable")."""
    if fixes.fixing:
        return f"; {fixes.hidden} more {_fixes(fixes.hidden)} available with --unsafe-fixes" if fixes.hidden else ""
    if fixes.fixable:
        hidden = f" ({fixes.hidden} more with --unsafe-fixes)" if fixes.hidden else ""
        return f"; {fixes.fixable} fixable with --fix{hidden}"
    if fixes.hidden:
        return f"; {fixes.hidden} {_fixes(fixes.hidden)} available with --unsafe-fixes"
    return ""


def diff_line(fixes: FixTally) -> str:
    """What `--diff` printed: `Would fix 2 findings (1 more with --unsafe-fixes).`"""
    more = f" ({fixes.hidden} more with --unsafe-fixes)" if fixes.hidden else ""
    if not fixes.fixed:
        return f"No fixes to apply{more}."
    return f"Would fix {plural(fixes.fixed, 'finding')}{more}."


def _fixes(count: int) -> str:
    return "fix" if count == 1 else "fixes"


def _checked(tally: Tally, findings: list[Finding], fixes: FixTally) -> str:
    if tally.files == 0 and tally.unreadable == 0:
        return "No model files or sources found."
    limits = [f for f in findings if f.code.startswith(SKIPPED_PREFIX)]
    heads = [f for f in limits if f.code != UNPARSED]
    skipped = len({(f.filename, f.model, f.output) for f in heads} | {
        (f.filename, *head) for f in heads
        for head in tally.shared.get((f.filename, f.code, f.cell, f.line), ())
    })  # a construct built for several heads is reported once: count each of them
    unparsed = sum(f.code == UNPARSED for f in limits)  # a cell or region, not a head
    problems = [f for f in findings if not f.code.startswith(SKIPPED_PREFIX)]
    counts = [(s, sum(f.severity == s for f in problems)) for s in SEVERITIES]
    parts = [", ".join(plural(n, s) for s, n in counts if n)] if problems else []
    if fixes.fixing and fixes.fixed:
        fixed = f"{fixes.fixed} fixed, {len(problems)} remaining"
        parts = [f"{parts[0]} ({fixed})"] if parts else [f"no problems left ({fixes.fixed} fixed)"]
    if skipped:
        parts.append(f"{plural(skipped, 'head')} skipped (HC9xx, see above)")
    if unparsed:
        parts.append(f"{plural(unparsed, 'source part')} not parsed (HC903, see above)")
    if tally.unreadable:
        parts.append(f"{plural(tally.unreadable, 'path')} could not be read (see above)")
    if tally.files == 0:
        return f"Nothing was checked: {'; '.join(parts)}."
    checked = f"Checked {plural(tally.heads, 'head')} in {plural(tally.files, 'file')}"
    if tally.heads == 0:
        them = _them(tally.files)
        found = (f"no head to check in {them}; {plural(tally.unchecked, 'compile')} not checked "
                 "on purpose (--show-heads says why)" if tally.unchecked  # models all left out
                 else f"no Keras models in {them}")
        checked = f"Checked {plural(tally.files, 'file')}: {found}"
        return checked + (f"; {'; '.join(parts)}." if parts else ".")
    if not parts:
        return f"{checked}: no problems."
    if not problems and not (fixes.fixing and fixes.fixed):
        parts.insert(0, f"no problems found in {_them(tally.files)}")
    return f"{checked}: {'; '.join(parts)}."


def _them(files: int) -> str:
    return "it" if files == 1 else "them"
