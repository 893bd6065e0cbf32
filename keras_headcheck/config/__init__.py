"""Settings from `[tool.keras-headcheck]` in pyproject.toml, merged with the command line.

The file is read first, then the flags: a flag replaces the file's value for its key, except that
rule selection is layered like ruff's. One job a module:
  - settings.py: `Settings`, what a run is configured with, and how it applies to findings;
  - pyproject.py: finding and reading the config file;
  - table.py: validating its table (and the flags' codes), `ConfigError`;
  - flags.py: the command line's values on top of the config's (`settings_for_flags`).
"""

from .flags import settings_for_flags
from .pyproject import find_pyproject, load_settings
from .settings import Selection, Settings
from .table import ConfigError, check_codes, parse_fail_on, parse_table

__all__ = [
    "ConfigError", "Selection", "Settings", "check_codes", "find_pyproject", "load_settings",
    "parse_fail_on", "parse_table", "settings_for_flags",
]  # fmt: skip
