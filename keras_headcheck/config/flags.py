"""The command line on top of the config: what `check` runs with, from its flags as click gives
them (the config file first, then each flag replaces the file's value for its key).
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

from .pyproject import load_settings
from .settings import Settings
from .table import ConfigError, check_codes, parse_fail_on


def settings_for_flags(
    config: Optional[str], isolated: bool, select: Sequence[str], ignore: Sequence[str],
    extend_select: Sequence[str], fail_on: Optional[str], exclude: Sequence[str],
    extend_exclude: Sequence[str], **flags: Any,
) -> Settings:
    """What `check` runs with: the config's settings under the command line's. The code and glob
    options come as click gives them (repeatable, each comma-separated, as ruff's), `fail_on` as
    "error,warning" or "none"; the other flags go to `Settings.override` as they are."""
    if isolated and config:
        raise ConfigError("--config and --isolated cannot be used together")
    return load_settings(config, isolated).override(
        select=check_codes(_split(select), "--select"),
        ignore=check_codes(_split(ignore), "--ignore"),
        extend_select=check_codes(_split(extend_select), "--extend-select"),
        fail_on=None if fail_on is None else _fail_on_flag(fail_on),
        exclude=_split(exclude) or None,
        extend_exclude=_split(extend_exclude),
        **flags,
    )


def _split(values: Sequence[str]) -> list[str]:
    """`--select HC1,HC201 --select HC3` -> ["HC1", "HC201", "HC3"]."""
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _fail_on_flag(value: str) -> tuple[str, ...]:
    names = [v.strip().lower() for v in value.split(",") if v.strip()]
    return () if names == ["none"] else parse_fail_on(names, "--fail-on")
