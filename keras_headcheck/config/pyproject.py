"""Finding and reading the config file: the nearest pyproject.toml with a `[tool.keras-headcheck]`
table (or a TOML file named by `--config`), read into `Settings` by `parse_table`.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Optional

from .settings import Settings
from .table import ConfigError, parse_table

TABLE = "keras-headcheck"


def find_pyproject(start: Optional[str] = None) -> Optional[str]:
    """The nearest pyproject.toml with a [tool.keras-headcheck] table, from `start` upwards."""
    directory = os.path.abspath(start or os.getcwd())
    while True:
        candidate = _shown(os.path.join(directory, "pyproject.toml"))
        if os.path.isfile(candidate) and TABLE in _tool_tables(_read_toml(candidate)):
            return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def load_settings(config: Optional[str] = None, isolated: bool = False) -> Settings:
    """Settings from `config` (a pyproject.toml, or a TOML file holding the table's keys at the
    top level), else from the nearest pyproject.toml; defaults when `isolated` or none is found."""
    if isolated:
        return Settings()
    path = config if config is not None else find_pyproject()
    if path is None:
        return Settings()
    if not os.path.isfile(path):
        raise ConfigError(f"{path}: no such config file")
    document = _read_toml(path)
    if os.path.basename(path) == "pyproject.toml":
        table = _tool_tables(document).get(TABLE, {})
        where = f"{path}: [tool.{TABLE}]"
    else:
        table, where = document, path
    if not isinstance(table, dict):
        raise ConfigError(f"{where} is not a table")
    return parse_table(table, where, path)


def _shown(path: str) -> str:
    """`path` as messages show it: relative when under the working directory."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive, on Windows
        return path
    return path if relative.startswith("..") else relative


def _tool_tables(document: dict[str, Any]) -> dict[str, Any]:
    tool = document.get("tool")
    return tool if isinstance(tool, dict) else {}


def _read_toml(path: str) -> dict[str, Any]:
    # imported here: most runs find no pyproject.toml with our table, and start-up counts
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python < 3.11 only
        import tomli as tomllib
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from None
