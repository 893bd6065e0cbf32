"""Findings and fixes as LSP messages: diagnostics, quick fixes and the fix-all source action.

Views give positions in code points; here they become the client's units (UTF-16 unless the
client negotiated another encoding) through pygls's position codec.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Optional, Sequence

from lsprotocol import types

from ..findings import Finding, Fix
from .views import Place

SOURCE = "keras-headcheck"
FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.{SOURCE}"  # source.fixAll.keras-headcheck
SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}


@dataclass(frozen=True)
class Entry:
    """One finding as published: its diagnostic, and where its fix's edits go (if anywhere)."""

    uri: str
    finding: Optional[Finding]  # None: the document could not be checked
    diagnostic: types.Diagnostic
    edits: Optional[dict[str, list[types.TextEdit]]] = None


def to_range(codec: Any, place: Place) -> types.Range:
    start = types.Position(*place.start)
    end = types.Position(*place.end)
    return types.Range(
        codec.position_to_client_units(place.lines, start),
        codec.position_to_client_units(place.lines, end),
    )


def diagnostic(finding: Finding, place: Place, codec: Any) -> types.Diagnostic:
    return types.Diagnostic(
        range=to_range(codec, place),
        message=place.message,
        severity=SEVERITY.get(finding.severity, types.DiagnosticSeverity.Information),
        code=finding.code,
        code_description=types.CodeDescription(href=finding.url) if finding.url else None,
        source=SOURCE,
    )


def problem_diagnostic(problem: str) -> types.Diagnostic:
    """A document the linter could not check, said where the user looks (as the CLI's exit 2)."""
    zero = types.Position(0, 0)
    return types.Diagnostic(
        range=types.Range(zero, zero), message=f"cannot be checked: {problem}",
        severity=types.DiagnosticSeverity.Error, source=SOURCE,
    )


def fix_edits(fix: Fix, view: Any, codec: Any) -> Optional[dict[str, list[types.TextEdit]]]:
    """The fix as text edits per document URI; None when an edit has no place in the editor's
    documents, so that no partial fix is ever offered."""
    located = view.edits(fix)
    if located is None:
        return None
    changes: dict[str, list[types.TextEdit]] = {}
    for edit in located:
        place = Place(edit.uri, edit.lines, edit.start, edit.end, "")
        changes.setdefault(edit.uri, []).append(types.TextEdit(to_range(codec, place), edit.content))
    return changes


def quick_fixes(entries: Iterable[Entry], wanted: types.Range) -> list[types.CodeAction]:
    """One quick fix per fixable finding whose diagnostic, or one of whose edits, meets the
    requested range (HC201 is shown on the layer, and its fix edits the compile's loss)."""
    actions = []
    for entry in entries:
        fix = entry.finding.applicable_fix if entry.finding else None
        if fix is None or entry.edits is None:
            continue
        ranges = [entry.diagnostic.range] + [e.range for e in entry.edits.get(entry.uri, ())]
        if not any(_meets(r, wanted) for r in ranges):
            continue
        actions.append(types.CodeAction(
            title=f"{fix.message} ({entry.finding.code})", kind=types.CodeActionKind.QuickFix,
            diagnostics=[entry.diagnostic], edit=types.WorkspaceEdit(changes=entry.edits),
            is_preferred=fix.applicability == "safe",
        ))  # fmt: skip
    return actions


def fix_all(entries: Sequence[Entry], unsafe: bool = False) -> Optional[types.CodeAction]:
    """Every safe fix of the document in one edit (unsafe ones only as quick fixes, unless the
    config says `unsafe-fixes = true`); a fix whose range meets one already taken is left for
    the next run, as `check --fix` leaves it."""
    changes: dict[str, list[types.TextEdit]] = {}
    taken: list[tuple[str, types.Range]] = []
    for entry in entries:
        fix = entry.finding.applicable_fix if entry.finding else None
        if fix is None or (fix.applicability != "safe" and not unsafe) or entry.edits is None:
            continue
        ranges = [(uri, e.range) for uri, edits in entry.edits.items() for e in edits]
        if any(u == uri and _overlap(r, t) for uri, r in ranges for u, t in taken):
            continue
        taken += ranges
        for uri, edits in entry.edits.items():
            changes.setdefault(uri, []).extend(edits)
    if not changes:
        return None
    return types.CodeAction(
        title=f"Fix all {'' if unsafe else 'safe '}keras-headcheck findings", kind=FIX_ALL,
        edit=types.WorkspaceEdit(changes=changes),
    )


def wants(only: Optional[Sequence[str]], kind: str) -> bool:
    """LSP's `only`: a kind is wanted when it is, or is under, one of the kinds asked for."""
    return not only or any(kind == k or kind.startswith(f"{k}.") or not k for k in only)


def _key(position: types.Position) -> tuple[int, int]:
    return position.line, position.character


def _meets(a: types.Range, b: types.Range) -> bool:
    """Ranges that touch count: a cursor at a diagnostic's end still asks about it."""
    return _key(a.start) <= _key(b.end) and _key(b.start) <= _key(a.end)


def _overlap(a: types.Range, b: types.Range) -> bool:
    return _key(a.start) < _key(b.end) and _key(b.start) < _key(a.end)
