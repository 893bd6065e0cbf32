"""The LSP methods the server answers, each a few lines over HeadcheckServer's scheduling."""

from __future__ import annotations

from lsprotocol import types

from .app import HeadcheckServer
from .protocol import FIX_ALL, fix_all, quick_fixes, wants

WATCH_ID = "keras-headcheck-pyproject"
CODE_ACTIONS = types.CodeActionOptions(
    code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=False,
)


def register(server: HeadcheckServer) -> None:
    @server.feature(types.INITIALIZED)
    async def initialized(ls: HeadcheckServer, params: types.InitializedParams) -> None:
        watched = ls.client_capabilities.workspace
        watched = watched.did_change_watched_files if watched is not None else None
        if watched is None or not watched.dynamic_registration:
            return  # the config is still re-read on each lint when it changed on disk
        options = types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[types.FileSystemWatcher(glob_pattern="**/pyproject.toml")]
        )
        registration = types.Registration(
            id=WATCH_ID, method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options
        )
        try:
            await ls.client_register_capability_async(
                types.RegistrationParams(registrations=[registration])
            )
        except Exception as exc:  # a client that said it could and cannot: lint on regardless
            ls.log(f"keras-headcheck: could not watch pyproject.toml files ({exc})")

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: HeadcheckServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: HeadcheckServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.edited_now(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: HeadcheckServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(ls: HeadcheckServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    async def notebook_open(ls: HeadcheckServer, params: types.DidOpenNotebookDocumentParams) -> None:
        ls.schedule(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    async def notebook_change(
        ls: HeadcheckServer, params: types.DidChangeNotebookDocumentParams
    ) -> None:
        ls.edited_now(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
    async def notebook_save(ls: HeadcheckServer, params: types.DidSaveNotebookDocumentParams) -> None:
        ls.schedule(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    async def notebook_close(
        ls: HeadcheckServer, params: types.DidCloseNotebookDocumentParams
    ) -> None:
        ls.forget(params.notebook_document.uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def files_changed(ls: HeadcheckServer, params: types.DidChangeWatchedFilesParams) -> None:
        ls.settings.clear()
        for uri in list(ls.linted):
            ls.schedule(uri)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, CODE_ACTIONS)
    async def code_action(
        ls: HeadcheckServer, params: types.CodeActionParams
    ) -> list[types.CodeAction]:
        uri = params.text_document.uri
        linted = await ls.current(ls.key_of(uri))
        if linted is None:
            return []
        entries = linted.for_uri(uri)
        only = params.context.only
        actions = quick_fixes(entries, params.range) if wants(only, "quickfix") else []
        every = fix_all(entries, linted.unsafe_fixes) if wants(only, FIX_ALL) else None
        return actions + ([every] if every is not None else [])
