"""`keras-headcheck server` driven through the protocol by a real client (pytest-lsp), over stdio:
open, change, save, diagnostics, code actions and their edits, the project's config, notebooks
(as JSON text and as LSP notebook documents), saved model files, documents that cannot be
checked, and shutdown. One server serves the module; each test uses documents of its own."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any, Optional, Sequence

import pytest


import pytest_lsp  # noqa: E402
from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

from headfiles import softmax_one_unit_mse, write_keras  # noqa: E402
from keras_headcheck import check  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.asyncio(loop_scope="module")

HC201_SCRIPT = """import keras
from keras import layers

inputs = keras.Input(shape=(20,))
x = layers.Dense(64, activation="relu")(inputs)
outputs = layers.Dense(10, activation="softmax", name="probs")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam",
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
"""
HC101_LINE = 'model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="softmax")])'
HC101_SCRIPT = f"import keras\n\n{HC101_LINE}\nmodel.compile(loss='binary_crossentropy')\n"


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(
        server_command=[sys.executable, "-m", "keras_headcheck", "server"],
        server_env={**os.environ, "PYTHONPATH": str(REPO)},
    ),
)
async def client(lsp_client: LanguageClient, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("workspace")
    registered: list[types.Registration] = []

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(client: LanguageClient, params: types.RegistrationParams) -> None:
        registered.extend(params.registrations)  # the pyproject.toml watcher

    lsp_client.registered = registered  # type: ignore[attr-defined]
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), root_uri=root.as_uri(),
    ))  # fmt: skip
    lsp_client.root = root  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


# -- helpers: a document, its diagnostics, an edit applied -----------------------------------


def _write(client: LanguageClient, name: str, text: str) -> tuple[Path, str]:
    path = client.root / name  # type: ignore[attr-defined]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path, path.as_uri()


async def _published(client: LanguageClient, uri: str, send: Any) -> Sequence[types.Diagnostic]:
    """Send a notification (a callable), then wait for the diagnostics of `uri` it causes."""
    client.diagnostics.pop(uri, None)
    send()

    async def arrived() -> Sequence[types.Diagnostic]:
        while uri not in client.diagnostics:
            await asyncio.sleep(0.01)
        return client.diagnostics[uri]

    return await asyncio.wait_for(arrived(), timeout=120)


async def _open(client: LanguageClient, uri: str, text: str, language: str = "python"):
    item = types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
    return await _published(client, uri, lambda: client.text_document_did_open(
        types.DidOpenTextDocumentParams(text_document=item)))


async def _change(client: LanguageClient, uri: str, version: int, text: str, where=None):
    """Replace the whole text (where=None) or the range `where`, as an editor sends an edit."""
    change: Any = (types.TextDocumentContentChangeWholeDocument(text=text) if where is None
                   else types.TextDocumentContentChangePartial(range=where, text=text))
    params = types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[change],
    )
    return await _published(client, uri, lambda: client.text_document_did_change(params))


def _apply(text: str, edits: Sequence[types.TextEdit]) -> str:
    """Apply LSP text edits (UTF-16 positions) to `text`, last first, as an editor does."""
    lines = text.splitlines(keepends=True)

    def offset(position: types.Position) -> int:
        before = sum(len(line) for line in lines[: position.line])
        line = lines[position.line] if position.line < len(lines) else ""
        units, index = 0, 0
        while units < position.character and index < len(line):
            units += 2 if ord(line[index]) > 0xFFFF else 1
            index += 1
        return before + index

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character),
                       reverse=True):
        start, end = offset(edit.range.start), offset(edit.range.end)
        text = text[:start] + edit.new_text + text[end:]
    return text


def _codes(diagnostics: Sequence[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diagnostics if d.code)


async def _actions(client: LanguageClient, uri: str, where: types.Range,
                   diagnostics: Sequence[types.Diagnostic], only: Optional[list[str]] = None):
    return await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=where,
        context=types.CodeActionContext(diagnostics=list(diagnostics), only=only),
    ))  # fmt: skip


# -- scripts -------------------------------------------------------------------------------


async def test_open_publishes_the_findings_of_the_buffer(client: LanguageClient) -> None:
    path, uri = _write(client, "scripts/hc101.py", "print('what is on disk is not linted')\n")
    diagnostics = await _open(client, uri, HC101_SCRIPT)
    (found,) = diagnostics
    assert found.code == "HC101" and found.source == "keras-headcheck"
    assert found.severity == types.DiagnosticSeverity.Error
    assert found.code_description.href.endswith("#softmax-on-single-unit-hc101")
    assert "softmax over a single unit" in found.message
    column = HC101_LINE.index("keras.layers.Dense")  # the span the text formats underline
    assert (found.range.start.line, found.range.start.character) == (2, column)
    assert (found.range.end.line, found.range.end.character) == (2, len(HC101_LINE) - 2)
    assert [f.code for f in check(_disk(path, HC101_SCRIPT))] == ["HC101"]  # as the CLI finds


def _disk(path: Path, text: str) -> str:
    twin = path.with_name("twin_" + path.name)
    twin.write_text(text, encoding="utf-8")
    return str(twin)


async def test_change_relints_the_new_text_and_save_publishes_again(client: LanguageClient) -> None:
    _, uri = _write(client, "scripts/change.py", "")
    assert _codes(await _open(client, uri, HC201_SCRIPT)) == ["HC201"]
    line = HC201_SCRIPT.splitlines().index(
        "              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))")
    flag = HC201_SCRIPT.splitlines()[line].index("True")
    where = types.Range(types.Position(line, flag), types.Position(line, flag + 4))
    assert not await _change(client, uri, 2, "False", where)  # fixed in the buffer
    assert _codes(await _change(client, uri, 3, HC101_SCRIPT)) == ["HC101"]
    saved = await _published(client, uri, lambda: client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))))
    assert _codes(saved) == ["HC101"]


async def test_typing_fast_publishes_the_last_text(client: LanguageClient) -> None:
    """Edits inside the debounce supersede each other; what is published is the last text."""
    _, uri = _write(client, "scripts/burst.py", "")
    await _open(client, uri, "x = 1\n")
    client.diagnostics.pop(uri, None)
    for version in range(2, 12):
        text = HC101_SCRIPT if version == 11 else f"x = {version}\n"
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))

    async def last_text_published() -> None:
        while _codes(client.diagnostics.get(uri, [])) != ["HC101"]:
            await asyncio.sleep(0.02)  # (an empty publish for an earlier text may come first)

    await asyncio.wait_for(last_text_published(), timeout=120)


async def test_columns_are_utf16_code_units(client: LanguageClient) -> None:
    """A character outside the BMP before the span takes two UTF-16 units (LSP's default)."""
    line = 'emoji = "\U0001F600"; ' + HC101_LINE
    _, uri = _write(client, "scripts/emoji.py", "")
    (found,) = await _open(client, uri, f"import keras\n\n{line}\nmodel.compile(loss='binary_crossentropy')\n")
    assert found.range.start.character == line.index("keras.layers.Dense") + 1


async def test_pyproject_config_is_honoured_and_reloaded(client: LanguageClient) -> None:
    (watcher,) = client.registered  # type: ignore[attr-defined]
    assert watcher.method == "workspace/didChangeWatchedFiles"
    project, uri = _write(client, "project/src/train.py", "")
    config = project.parent.parent / "pyproject.toml"
    config.write_text('[tool.keras-headcheck]\nignore = ["HC101"]\n', encoding="utf-8")
    assert _codes(await _open(client, uri, HC101_SCRIPT + HC201_SCRIPT)) == ["HC201"]
    config.write_text('[tool.keras-headcheck]\nselect = ["HC101"]\n[tool.keras-headcheck.severity]'
                      '\nHC101 = "warning"\n', encoding="utf-8")
    changed = await _published(client, uri, lambda: client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(
            uri=config.as_uri(), type=types.FileChangeType.Changed)])))
    assert _codes(changed) == ["HC101"]
    assert changed[0].severity == types.DiagnosticSeverity.Warning
    config.write_text("[tool.keras-headcheck]\nselect = [\"HC9\"]\n", encoding="utf-8")
    assert not await _change(client, uri, 2, HC101_SCRIPT)  # re-read on a lint, unwatched too
    config.write_text('[tool.keras-headcheck.per-file-ignores]\n"src/*.py" = ["HC101"]\n',
                      encoding="utf-8")  # globs relative to the config's folder, as for check
    assert _codes(await _change(client, uri, 3, HC101_SCRIPT + HC201_SCRIPT)) == ["HC201"]
    config.write_text("[tool.keras-headcheck]\nselect = 3\n", encoding="utf-8")
    (broken,) = await _change(client, uri, 4, HC101_SCRIPT)
    assert broken.message.startswith("cannot be checked: configuration error:")


# -- code actions --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixes(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Code actions come from the fixes findings carry (check --fix's): the script has one."""
    script = tmp_path_factory.mktemp("fixes") / "hc201.py"
    script.write_text(HC201_SCRIPT, encoding="utf-8")
    assert any(f.applicable_fix for f in check(str(script)))


async def test_quick_fix_edits_the_buffer_clean(client: LanguageClient, fixes: None) -> None:
    _, uri = _write(client, "scripts/fixme.py", "")
    diagnostics = await _open(client, uri, HC201_SCRIPT)
    (hc201,) = diagnostics
    actions = await _actions(client, uri, hc201.range, diagnostics)
    (action,) = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]
    assert action.is_preferred and action.diagnostics[0].code == "HC201"
    assert "from_logits" in action.title
    fixed = _apply(HC201_SCRIPT, action.edit.changes[uri])
    compile(fixed, "fixed.py", "exec")  # still parses
    assert "HC201" not in _codes(await _change(client, uri, 2, fixed))
    assert not await _actions(client, uri, hc201.range, [], ["source.fixAll"])  # nothing left
    # the cursor on the loss the fix edits (not on the layer the finding is shown on)
    await _change(client, uri, 3, HC201_SCRIPT)
    lines = HC201_SCRIPT.splitlines()
    line = next(n for n, text in enumerate(lines) if "from_logits=True" in text)
    inside = lines[line].index("from_logits") + 3
    cursor = types.Range(types.Position(line, inside), types.Position(line, inside))
    (again,) = await _actions(client, uri, cursor, [], ["quickfix"])
    assert again.title == action.title


MULTI = """import keras
from keras import layers

a = keras.Sequential([keras.Input((8,)), layers.Dense(10, activation="softmax")])
a.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))

b = keras.Sequential([keras.Input((8,)), layers.Dense(1, activation="softmax")])
b.compile(optimizer="adam", loss="binary_crossentropy")

c = keras.Sequential([keras.Input((8,)), layers.Dense(3, activation="softmax")])
c.compile(optimizer="adam", loss="mse")
"""


async def test_fix_all_applies_the_safe_fixes_only(client: LanguageClient, fixes: None) -> None:
    _, uri = _write(client, "scripts/several.py", "")
    diagnostics = await _open(client, uri, MULTI)
    assert _codes(diagnostics) == ["HC101", "HC201", "HC203"]
    everything = types.Range(types.Position(0, 0), types.Position(len(MULTI.splitlines()), 0))
    actions = await _actions(client, uri, everything, diagnostics)
    quick = {a.diagnostics[0].code: a for a in actions if a.kind == "quickfix"}
    assert sorted(quick) == ["HC101", "HC201", "HC203"]
    assert quick["HC101"].is_preferred and not quick["HC203"].is_preferred  # HC203 is unsafe
    (every,) = [a for a in actions if a.kind == "source.fixAll.keras-headcheck"]
    fixed = _apply(MULTI, every.edit.changes[uri])
    assert _codes(await _change(client, uri, 2, fixed)) == ["HC203"]  # left for the user
    unsafe = _apply(MULTI, quick["HC203"].edit.changes[uri])
    assert "HC203" not in _codes(await _change(client, uri, 3, unsafe))


async def test_fix_all_applies_unsafe_fixes_when_the_config_says_so(
    client: LanguageClient, fixes: None
) -> None:
    path, uri = _write(client, "unsafe/several.py", "")
    (path.parent / "pyproject.toml").write_text("[tool.keras-headcheck]\nunsafe-fixes = true\n",
                                                encoding="utf-8")
    diagnostics = await _open(client, uri, MULTI)
    everything = types.Range(types.Position(0, 0), types.Position(len(MULTI.splitlines()), 0))
    (every,) = await _actions(client, uri, everything, diagnostics, ["source.fixAll"])
    assert every.title == "Fix all keras-headcheck findings"
    assert _codes(await _change(client, uri, 2, _apply(MULTI, every.edit.changes[uri]))) == []


async def test_no_action_outside_a_finding(client: LanguageClient) -> None:
    _, uri = _write(client, "scripts/elsewhere.py", "")
    diagnostics = await _open(client, uri, HC201_SCRIPT)
    first_line = types.Range(types.Position(0, 0), types.Position(0, 3))
    actions = await _actions(client, uri, first_line, [], [types.CodeActionKind.QuickFix])
    assert not actions and _codes(diagnostics) == ["HC201"]


# -- notebooks -----------------------------------------------------------------------------


def _notebook(*cells: tuple[str, str]) -> str:
    return json.dumps({
        "cells": [{"cell_type": kind, "metadata": {}, "source": text.splitlines(keepends=True),
                   **({"outputs": [], "execution_count": None} if kind == "code" else {})}
                  for kind, text in cells],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }, indent=1)  # fmt: skip


async def test_notebook_as_json_text_places_findings_on_their_source_line(
    client: LanguageClient,
) -> None:
    text = _notebook(("markdown", "# A model\n"), ("code", "import keras\n"),
                     ("code", f"x = 1\n{HC101_LINE}\nmodel.compile(loss='binary_crossentropy')\n"))
    path, uri = _write(client, "nb/json.ipynb", text)
    (found,) = await _open(client, uri, text, language="json")
    assert [(f.code, f.cell, f.line) for f in check(str(path))] == [("HC101", 3, 2)]
    json_line = text.splitlines()[found.range.start.line]
    assert json.loads(json_line.strip().rstrip(",")) == HC101_LINE + "\n"
    assert "(cell 3, line 2)" in found.message


async def test_notebook_as_json_text_quick_fix_edits_its_json(
    client: LanguageClient, fixes: None,
) -> None:
    text = _notebook(("code", "import keras\n"), ("code", HC201_SCRIPT.replace("import keras\n", "")))
    _, uri = _write(client, "nb/fix_json.ipynb", text)
    diagnostics = await _open(client, uri, text, language="json")
    (hc201,) = diagnostics
    (action,) = await _actions(client, uri, hc201.range, diagnostics, ["quickfix"])
    fixed = _apply(text, action.edit.changes[uri])
    changed = [(a, b) for a, b in zip(text.splitlines(), fixed.splitlines()) if a != b]
    assert len(changed) == 1 and len(fixed.splitlines()) == len(text.splitlines())  # one line
    assert "from_logits=True" in changed[0][0] and "from_logits" not in changed[0][1]
    assert json.loads(fixed)["cells"][1]["source"]  # still a notebook
    assert "HC201" not in _codes(await _change(client, uri, 2, fixed))


async def _open_notebook(client: LanguageClient, name: str, cells: list[tuple[str, str]],
                         wait_for: int) -> tuple[str, list[str], Sequence[types.Diagnostic]]:
    """Open a notebook as LSP notebook documents (one text document per cell, as VS Code
    sends it); the diagnostics of cell `wait_for` (0-based)."""
    path, uri = _write(client, name, "{}")
    cell_uris = [f"vscode-notebook-cell:{path}#cell{n}" for n in range(len(cells))]
    params = types.DidOpenNotebookDocumentParams(
        notebook_document=types.NotebookDocument(
            uri=uri, notebook_type="jupyter-notebook", version=1,
            cells=[types.NotebookCell(kind=types.NotebookCellKind.Code if kind == "code"
                                      else types.NotebookCellKind.Markup, document=cell_uri)
                   for (kind, _), cell_uri in zip(cells, cell_uris)]),
        cell_text_documents=[types.TextDocumentItem(
            uri=cell_uri, language_id="python" if kind == "code" else "markdown", version=1,
            text=text) for (kind, text), cell_uri in zip(cells, cell_uris)],
    )  # fmt: skip
    found = await _published(client, cell_uris[wait_for],
                             lambda: client.notebook_document_did_open(params))
    return uri, cell_uris, found


async def _change_cell(client: LanguageClient, uri: str, cell_uri: str, version: int, text: str):
    change = types.DidChangeNotebookDocumentParams(
        notebook_document=types.VersionedNotebookDocumentIdentifier(uri=uri, version=version),
        change=types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(
            text_content=[types.NotebookDocumentCellContentChanges(
                document=types.VersionedTextDocumentIdentifier(uri=cell_uri, version=version),
                changes=[types.TextDocumentContentChangeWholeDocument(text=text)])])),
    )  # fmt: skip
    return await _published(client, cell_uri, lambda: client.notebook_document_did_change(change))


async def test_notebook_document_sync_publishes_per_cell(client: LanguageClient) -> None:
    cells = [("markdown", "# A model"), ("code", "import keras"),
             ("code", f"x = 1\n{HC101_LINE}\nmodel.compile(loss='binary_crossentropy')\n")]
    uri, cell_uris, (found,) = await _open_notebook(client, "nb/synced.ipynb", cells, 2)
    assert found.code == "HC101" and found.range.start.line == 1  # the line within the cell
    assert found.range.start.character == HC101_LINE.index("keras.layers.Dense")
    assert not client.diagnostics[cell_uris[1]]
    after = await _change_cell(client, uri, cell_uris[2], 2, HC201_SCRIPT.replace("import keras\n", ""))
    assert _codes(after) == ["HC201"]
    closed = await _published(client, cell_uris[2], lambda: client.notebook_document_did_close(
        types.DidCloseNotebookDocumentParams(
            notebook_document=types.NotebookDocumentIdentifier(uri=uri),
            cell_text_documents=[types.TextDocumentIdentifier(uri=u) for u in cell_uris])))
    assert not closed


async def test_notebook_cell_quick_fix(client: LanguageClient, fixes: None) -> None:
    cell = HC201_SCRIPT.replace("import keras\n", "")
    uri, cell_uris, after = await _open_notebook(
        client, "nb/fix_cell.ipynb", [("code", "import keras\n"), ("code", cell)], 1)
    (hc201,) = after
    (action,) = await _actions(client, cell_uris[1], hc201.range, after, ["quickfix"])
    assert list(action.edit.changes) == [cell_uris[1]]  # the edit goes to the cell's document
    fixed = _apply(cell, action.edit.changes[cell_uris[1]])
    assert not await _change_cell(client, uri, cell_uris[1], 2, fixed)


# -- saved files and documents that cannot be checked -----------------------------------


async def test_saved_model_file_is_read_from_disk(client: LanguageClient) -> None:
    path = client.root / "models" / "one_unit.keras"  # type: ignore[attr-defined]
    write_keras(str(path), softmax_one_unit_mse())
    diagnostics = await _open(client, path.as_uri(), "", language="plaintext")
    assert _codes(diagnostics) == ["HC101", "HC203"]
    assert all(d.range.start.line == 0 for d in diagnostics)
    assert all("(output '" in d.message for d in diagnostics)


async def test_unparsable_and_too_large_documents_are_findings_not_crashes(
    client: LanguageClient,
) -> None:
    _, uri = _write(client, "bad/syntax.py", "")
    diagnostics = await _open(client, uri, HC101_SCRIPT + "def broken(:\n")
    assert _codes(diagnostics) == ["HC101", "HC903"]  # as `check` reports it
    _, big = _write(client, "bad/big.py", "")
    (too_large,) = await _open(client, big, "x = 1\n" * 60_000)
    assert too_large.message.startswith("cannot be checked: too large")
    assert too_large.severity == types.DiagnosticSeverity.Error
    _, bad_nb = _write(client, "bad/broken.ipynb", "")
    (not_json,) = await _open(client, bad_nb, '{"cells": [', language="json")
    assert "not a notebook" in not_json.message
    _, after = _write(client, "bad/after.py", "")
    assert _codes(await _open(client, after, HC101_SCRIPT)) == ["HC101"]  # still serving


async def test_close_clears_the_diagnostics(client: LanguageClient) -> None:
    _, uri = _write(client, "scripts/closed.py", "")
    assert _codes(await _open(client, uri, HC101_SCRIPT)) == ["HC101"]
    closed = await _published(client, uri, lambda: client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))))
    assert not closed


async def test_utf8_positions_when_negotiated_then_shutdown_and_exit() -> None:
    """A client that prefers UTF-8 gets byte columns; shutdown and exit end the process."""
    config = ClientServerConfig(
        server_command=[sys.executable, "-m", "keras_headcheck", "server"],
        server_env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    own = await config.start()
    capabilities = types.ClientCapabilities(general=types.GeneralClientCapabilities(
        position_encodings=[types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf16]))
    result = await own.initialize_session(types.InitializeParams(capabilities=capabilities))
    assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf8
    assert result.capabilities.code_action_provider is not None
    assert result.server_info.name == "keras-headcheck"
    line = 'emoji = "\U0001F600"; ' + HC101_LINE
    uri = "untitled:Untitled-1"  # no file: linted by its language, config looked up from cwd
    text = f"import keras\n\n{line}\nmodel.compile(loss='binary_crossentropy')\n"
    (found,) = await _open(own, uri, text)
    assert found.range.start.character == len(line[: line.index("keras.layers.Dense")].encode())
    await own.shutdown_session()
    assert own._server.returncode == 0  # the process ended, cleanly
    await own.stop()
