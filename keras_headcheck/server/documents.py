"""One lint of one editor document, from a snapshot of what the editor holds to what is published.

A snapshot is taken on the server's event loop (the buffer as it is now); `lint` runs on the
lint thread and touches nothing shared: the result is published only if no newer edit came.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Sequence, Union

from ..config import ConfigError
from .linting import MODEL, NOTEBOOK, Outcome, lint_model_file, lint_text, notebook_json
from .protocol import Entry, diagnostic, fix_edits, problem_diagnostic
from .settings import SettingsCache
from .views import CellsView, ModelFileView, NotebookJsonView, TextView

View = Union[TextView, CellsView, NotebookJsonView, ModelFileView]


@dataclass(frozen=True)
class Snapshot:
    uri: str  # the text document, or the notebook document for cells
    version: int
    kind: str  # linting.SCRIPT, NOTEBOOK or MODEL
    name: str  # the filename findings carry: the file's path, else the URI
    directory: str  # where to look for the config
    text: str = ""
    cells: Optional[Sequence[tuple[str, bool, str]]] = None  # notebook sync: (URI, code?, text)
    metadata: Optional[dict[str, Any]] = None


@dataclass(frozen=True)
class Linted:
    version: int
    entries: tuple[Entry, ...]
    uris: frozenset[str] = field(default_factory=frozenset)  # every document to publish to
    problem: Optional[str] = None  # why the document could not be checked
    unsafe_fixes: bool = False  # the config's `unsafe-fixes = true`: fix-all applies them too

    def for_uri(self, uri: str) -> list[Entry]:
        return [e for e in self.entries if e.uri == uri]


def lint(snapshot: Snapshot, settings: SettingsCache, codec: Any) -> Linted:
    loaded = settings.for_directory(snapshot.directory)
    view = _view(snapshot)
    if snapshot.kind == MODEL:
        outcome = lint_model_file(snapshot.name, loaded)
    elif snapshot.cells is not None:
        text = notebook_json([(code, text) for _, code, text in snapshot.cells], snapshot.metadata)
        outcome = lint_text(NOTEBOOK, snapshot.name, text, loaded)
    else:
        outcome = lint_text(snapshot.kind, snapshot.name, snapshot.text, loaded)
    uris = frozenset(uri for uri, _, _ in snapshot.cells or ()) | {_first_uri(snapshot)}
    entries = _entries(outcome, view, snapshot, codec)
    unsafe = not isinstance(loaded, ConfigError) and loaded.unsafe_fixes is True
    return Linted(snapshot.version, entries, uris, outcome.problem, unsafe)


def _entries(outcome: Outcome, view: View, snapshot: Snapshot, codec: Any) -> tuple[Entry, ...]:
    if outcome.problem is not None:
        return (Entry(_first_uri(snapshot), None, problem_diagnostic(outcome.problem)),)
    entries = []
    for finding in outcome.findings:
        place = view.place(finding)
        fix = finding.applicable_fix
        edits = fix_edits(fix, view, codec) if fix is not None else None
        entries.append(Entry(place.uri, finding, diagnostic(finding, place, codec), edits))
    return tuple(entries)


def _view(snapshot: Snapshot) -> View:
    if snapshot.kind == MODEL:
        return ModelFileView(snapshot.uri)
    if snapshot.cells is not None:
        return CellsView([(uri, text) for uri, _, text in snapshot.cells], snapshot.uri)
    if snapshot.kind == NOTEBOOK:
        return NotebookJsonView(snapshot.uri, snapshot.text)
    return TextView(snapshot.uri, snapshot.text)


def _first_uri(snapshot: Snapshot) -> str:
    """Where a problem with the whole document is shown: the document, or a notebook's first cell."""
    return snapshot.cells[0][0] if snapshot.cells else snapshot.uri
