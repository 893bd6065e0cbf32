"""The settings for a document: its nearest pyproject.toml, re-read only when that changed.

The CLI reads one config for a run; an editor session lasts for hours while the user edits
pyproject.toml, so the config is looked up for each lint. Looking it up means one `stat` per
directory above the document: the parsed settings are kept while those stats are unchanged.
"""

from __future__ import annotations

import os
from typing import Optional, Union

from ..config import ConfigError, Settings, find_pyproject, load_settings

Signature = tuple[tuple[int, int], ...]  # (mtime_ns, size) of each pyproject.toml above
Loaded = Union[Settings, ConfigError]


class SettingsCache:
    def __init__(self) -> None:
        self._cache: dict[str, tuple[Signature, Loaded]] = {}

    def for_directory(self, directory: str) -> Loaded:
        """The settings for a document in `directory`, or the ConfigError that stops them."""
        directory = os.path.abspath(directory)
        signature = _signature(directory)
        cached = self._cache.get(directory)
        if cached is not None and cached[0] == signature:
            return cached[1]
        loaded = _load(directory)
        self._cache[directory] = (signature, loaded)
        return loaded

    def clear(self) -> None:
        self._cache.clear()


def _load(directory: str) -> Loaded:
    try:
        path = find_pyproject(directory)
        return Settings(root=directory) if path is None else load_settings(path)
    except ConfigError as exc:
        return exc


def _signature(directory: str) -> Signature:
    """What a change to any pyproject.toml from `directory` upwards changes."""
    found = []
    while True:
        try:
            stat = os.stat(os.path.join(directory, "pyproject.toml"))
            found.append((stat.st_mtime_ns, stat.st_size))
        except OSError:
            found.append((0, -1))
        parent = os.path.dirname(directory)
        if parent == directory:
            return tuple(found)
        directory = parent


def directory_of(path: Optional[str], fallback: str) -> str:
    """Where to look for the config of a document at `path` (None: not a file, e.g. untitled)."""
    return os.path.dirname(os.path.abspath(path)) if path else fallback
