"""The language server: pygls handlers, the debounced lint of each document, and publishing.

Each document has at most one lint pending: an edit cancels the one before it (still waiting out
the debounce, or still linting, whose result is then dropped), so typing never queues lints. An
edit after a pause is linted at once; one that follows another within DEBOUNCE_SECONDS waits
that long for the next. Lints run on one worker thread, so the event loop keeps reading the
client's messages.
"""

from __future__ import annotations

import asyncio
import os
import traceback
from concurrent.futures import ThreadPoolExecutor
from typing import Optional

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from .. import __version__
from .documents import Linted, Snapshot, lint
from .linting import MODEL, fs_path, kind_of
from .protocol import SOURCE
from .settings import SettingsCache, directory_of

DEBOUNCE_SECONDS = 0.05  # an edit this soon after the last waits: a burst is linted once
NOTEBOOKS = types.NotebookDocumentSyncOptions(
    notebook_selector=[types.NotebookDocumentFilterWithCells(
        cells=[types.NotebookCellLanguage(language="python")], notebook="jupyter-notebook",
    )],
    save=True,
)  # fmt: skip


class HeadcheckServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(SOURCE, __version__, notebook_document_sync=NOTEBOOKS)
        self.settings = SettingsCache()
        self.linted: dict[str, Linted] = {}
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.edited: dict[str, float] = {}  # when each document was last edited (loop time)
        self.lint_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lint")

    # -- scheduling --------------------------------------------------------------------------

    def edited_now(self, uri: str) -> asyncio.Task[None]:
        """An edit: linted at once after a pause, else once the burst of edits pauses."""
        now = asyncio.get_running_loop().time()
        last = self.edited.get(uri)
        self.edited[uri] = now
        in_burst = last is not None and now - last < DEBOUNCE_SECONDS
        return self.schedule(uri, DEBOUNCE_SECONDS if in_burst else 0.0)

    def schedule(self, uri: str, delay: float = 0.0) -> asyncio.Task[None]:
        """Lint `uri` after `delay` seconds, superseding the lint pending for it."""
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()
        task = asyncio.get_running_loop().create_task(self._run(uri, delay))
        self.pending[uri] = task
        return task

    async def _run(self, uri: str, delay: float) -> None:
        task = asyncio.current_task()
        try:
            if delay:
                await asyncio.sleep(delay)
            snapshot = self.snapshot(uri)
            if snapshot is None:
                return
            job = (snapshot, self.settings, self.workspace.position_codec)
            linted = await asyncio.get_running_loop().run_in_executor(self.lint_thread, lint, *job)
            if self.pending.get(uri) is task:  # no newer edit came while it ran
                self.publish(uri, linted)
            if linted.problem and linted.problem.startswith("internal error"):
                self.log(f"keras-headcheck: {uri}: {linted.problem}", types.MessageType.Error)
        except asyncio.CancelledError:
            raise
        except Exception:  # a bug on one document must not stop the server serving the others
            self.log(f"keras-headcheck: internal error linting {uri}; please report it\n"
                     f"{traceback.format_exc()}", types.MessageType.Error)
        finally:
            if self.pending.get(uri) is task:
                del self.pending[uri]

    async def current(self, uri: str) -> Optional[Linted]:
        """The lint of the document as the editor holds it now (linting it if it changed)."""
        linted = self.linted.get(uri)
        snapshot = self.snapshot(uri)
        if snapshot is not None and (linted is None or linted.version != snapshot.version):
            await asyncio.wait({self.schedule(uri)})  # (a newer edit may supersede it: fine)
        return self.linted.get(uri)

    # -- what the editor holds -----------------------------------------------------------------

    def snapshot(self, uri: str) -> Optional[Snapshot]:
        notebook = self.workspace.get_notebook_document(notebook_uri=uri)
        if notebook is not None:
            return self._notebook_snapshot(notebook)
        document = self.workspace.text_documents.get(uri)
        if document is None:
            return None
        kind = kind_of(uri, document.language_id)
        if kind is None:
            return None
        path = fs_path(uri)
        if kind == MODEL and path is None:
            return None
        text = "" if kind == MODEL else document.source  # a model file is read from disk
        return Snapshot(uri, document.version or 0, kind, path or uri,
                        directory_of(path, self._root()), text=text)

    def _notebook_snapshot(self, notebook: types.NotebookDocument) -> Snapshot:
        cells = []
        for cell in notebook.cells:
            document = self.workspace.text_documents.get(cell.document)
            text = document.source if document is not None else ""
            cells.append((cell.document, cell.kind == types.NotebookCellKind.Code, text))
        path = fs_path(notebook.uri)
        return Snapshot(notebook.uri, notebook.version, "notebook", path or notebook.uri,
                        directory_of(path, self._root()), cells=cells,
                        metadata=dict(notebook.metadata or {}))

    def _root(self) -> str:
        return self.workspace.root_path or os.getcwd()

    def key_of(self, uri: str) -> str:
        """The document a lint is kept under: a cell's notebook, else the document itself."""
        notebook = self.workspace.get_notebook_document(cell_uri=uri)
        return notebook.uri if notebook is not None else uri

    # -- telling the client ------------------------------------------------------------------

    def publish(self, uri: str, linted: Linted) -> None:
        previous = self.linted.get(uri)
        self.linted[uri] = linted
        stale = previous.uris - linted.uris if previous is not None else frozenset()
        for target in sorted(linted.uris | stale):
            diagnostics = [e.diagnostic for e in linted.for_uri(target)]
            version = linted.version if target == uri else None
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=target, diagnostics=diagnostics,
                                               version=version))

    def forget(self, uri: str) -> None:
        pending = self.pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        linted = self.linted.pop(uri, None)
        self.edited.pop(uri, None)
        for target in sorted(linted.uris if linted is not None else {uri}):
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=target, diagnostics=[]))

    def log(self, message: str, kind: types.MessageType = types.MessageType.Log) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))


__all__ = ["DEBOUNCE_SECONDS", "HeadcheckServer"]
