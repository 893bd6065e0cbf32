"""Lint one editor document through the CLI's own paths: `check -` for a buffer (lint.py's
lint_source_bytes, which reads a notebook too when the name ends in .ipynb) and `check PATH` for
a saved model file, then the config's per-file ignores and severities, as the CLI applies them."""

from __future__ import annotations

import io
import json
import os
import tokenize
from dataclasses import dataclass
from typing import Any, Optional, Sequence, Union
from urllib.parse import unquote, urlparse

from ..config import ConfigError, Settings
from ..findings import Finding
from ..lint import MODEL_SUFFIXES, Result, lint_path, lint_source_bytes, sort_findings

SCRIPT, NOTEBOOK, MODEL = "script", "notebook", "model"


@dataclass(frozen=True)
class Outcome:
    findings: tuple[Finding, ...] = ()
    problem: Optional[str] = None  # why the document could not be checked, one line


def kind_of(uri: str, language_id: Optional[str] = None) -> Optional[str]:
    """What a document is, from its name (as the CLI decides), else from the editor's language."""
    name = unquote(urlparse(uri).path).lower()
    if name.endswith(".ipynb"):
        return NOTEBOOK
    if name.endswith(MODEL_SUFFIXES):
        return MODEL
    if name.endswith((".py", ".pyw")) or language_id == "python":
        return SCRIPT
    return None


def lint_text(kind: str, name: str, text: str, settings: Union[Settings, ConfigError]) -> Outcome:
    """A script or notebook held by the editor (never the file on disk)."""
    if isinstance(settings, ConfigError):
        return Outcome(problem=f"configuration error: {settings}")
    raw = text.encode("utf-8") if kind == NOTEBOOK else source_bytes(text)
    if kind == NOTEBOOK and not name.endswith(".ipynb"):
        name += ".ipynb"  # the reader takes a notebook by its name, as `--stdin-filename`
    # follow_loads: a `load_model("x.keras")` next to the script is read from disk, as `check FILE`
    return _outcome(lint_source_bytes(raw, name, settings.rules(), follow_loads=True), settings)


def lint_model_file(path: str, settings: Union[Settings, ConfigError]) -> Outcome:
    """A saved model file: binary, so read from disk by path, as `check PATH` does."""
    if isinstance(settings, ConfigError):
        return Outcome(problem=f"configuration error: {settings}")
    return _outcome(lint_path(path, settings.rules()), settings)


def _outcome(result: Result, settings: Settings) -> Outcome:
    if result.error:
        return Outcome(problem=result.error)
    return Outcome(tuple(sort_findings(settings.apply(result.findings))))


def source_bytes(text: str) -> bytes:
    """The buffer as the bytes the file would hold: its coding cookie's encoding, else UTF-8
    (the reader decodes by the cookie, as Python does)."""
    raw = text.encode("utf-8", "surrogatepass")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    except SyntaxError:
        return raw
    if encoding in ("utf-8", "utf-8-sig"):
        return raw
    try:
        return text.encode(encoding)
    except (LookupError, UnicodeEncodeError):
        return raw


def notebook_json(cells: Sequence[tuple[bool, str]], metadata: Optional[dict[str, Any]]) -> str:
    """A notebook synced cell by cell (LSP notebook documents) as the JSON its file would hold:
    (is a code cell, text) per cell, every cell kept so that finding's cell numbers count all."""
    return json.dumps({
        "cells": [
            {"cell_type": "code" if code else "markdown", "metadata": {}, "source": text,
             **({"outputs": [], "execution_count": None} if code else {})}
            for code, text in cells
        ],
        "metadata": metadata or {}, "nbformat": 4, "nbformat_minor": 5,
    })  # fmt: skip


def fs_path(uri: str) -> Optional[str]:
    """The file a `file:` URI names; None for untitled buffers and other schemes."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if os.name == "nt" and path[:1] == "/" and path[2:3] == ":":
        path = path[1:]
    return path
