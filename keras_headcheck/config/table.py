"""Validating the config table: each key of `[tool.keras-headcheck]` checked and turned into
`Settings`, with a one-line `ConfigError` (and a "did you mean") for anything that cannot be used.
The command line's codes and severities are checked by the same functions.
"""

from __future__ import annotations

import os
from typing import Any, Optional, Sequence

from ..findings import SEVERITIES
from ..rules import RULES, validate_patterns
from .settings import DEFAULT_FAIL_ON, Selection, Settings, rooted

KEYS = (
    "select", "ignore", "extend-select", "per-file-ignores", "per-output-ignores",
    "severity", "output-format", "fail-on", "exclude", "extend-exclude", "respect-gitignore",
    "fix", "unsafe-fixes", "show-fixes",
)  # fmt: skip


class ConfigError(ValueError):
    """A configuration that cannot be used; the message is one line."""


def parse_table(table: dict[str, Any], where: str, path: Optional[str] = None) -> Settings:
    """Settings from a config table; `where` names it in errors, and its globs are relative to
    the directory of `path` (the working directory when there is none)."""
    for key in table:
        if key not in KEYS:
            raise ConfigError(f"{where}: unknown key {key!r}{_did_you_mean(key, KEYS)}")
    get = table.get
    root = os.path.dirname(os.path.abspath(path)) if path else os.getcwd()
    selection = Selection(
        _codes(get("select"), where, "select") if "select" in table else None,
        _codes(get("extend-select", []), where, "extend-select"),
        _codes(get("ignore", []), where, "ignore"),
    )
    return Settings(
        selections=(selection,),
        per_file_ignores=_code_table(get("per-file-ignores", {}), where, "per-file-ignores"),
        per_output_ignores=_code_table(get("per-output-ignores", {}), where, "per-output-ignores"),
        severity=_severities(get("severity", {}), where),
        output_format=_output_format(get("output-format"), where),
        fail_on=frozenset(
            parse_fail_on(get("fail-on", sorted(DEFAULT_FAIL_ON)), f"{where}: fail-on")
        ),
        path=path,
        root=root,
        exclude=rooted(_globs(get("exclude"), where, "exclude"), root) if "exclude" in table
        else None,
        extend_exclude=rooted(_globs(get("extend-exclude", []), where, "extend-exclude"), root),
        respect_gitignore=_flag(get("respect-gitignore", True), where, "respect-gitignore"),
        fix=_flag(get("fix", False), where, "fix"),
        unsafe_fixes=_flag(get("unsafe-fixes"), where, "unsafe-fixes") if "unsafe-fixes" in table
        else None,
        show_fixes=_flag(get("show-fixes", False), where, "show-fixes"),
    )


def _globs(value: Any, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key} must be a list of globs, got {value!r}")
    return tuple(value)


def _flag(value: Any, where: str, key: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: {key} must be true or false, got {value!r}")
    return value


def check_codes(codes: Sequence[str], where: str) -> tuple[str, ...]:
    """Upper-cased codes/prefixes; a ConfigError naming the first one that selects no rule."""
    upper = tuple(c.strip().upper() for c in codes)
    unknown = validate_patterns(upper)
    if unknown:
        hint = _did_you_mean(unknown[0], list(RULES))
        raise ConfigError(f"{where}: unknown rule code {unknown[0]!r}{hint}")
    return upper


def parse_fail_on(value: Any, where: str) -> tuple[str, ...]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ConfigError(f"{where} must be a list of severities, got {value!r}")
    for v in values:
        if v not in SEVERITIES:
            raise ConfigError(f"{where}: {v!r} is not one of {', '.join(SEVERITIES)}")
    return tuple(values)


def _codes(value: Any, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key} must be a list of rule codes, got {value!r}")
    return check_codes(value, f"{where}: {key}")


def _code_table(value: Any, where: str, key: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: {key} must be a table of glob = [codes]")
    return tuple((glob, _codes(codes, where, f"{key}.{glob!r}")) for glob, codes in value.items())


def _severities(value: Any, where: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f'{where}: severity must be a table of CODE = "severity"')
    result = []
    for code, severity in value.items():
        (upper,) = check_codes([code], f"{where}: severity")
        if severity not in SEVERITIES:
            raise ConfigError(
                f"{where}: severity.{code}: {severity!r} is not one of {', '.join(SEVERITIES)}"
            )
        result.append((upper, severity))
    return tuple(result)


def _output_format(value: Any, where: str) -> Optional[str]:
    from ..output import FORMATS

    if value is None:
        return None
    if value not in FORMATS:
        choices = ", ".join(sorted(FORMATS))
        raise ConfigError(f"{where}: output-format {value!r} is not one of {choices}")
    return str(value)


def _did_you_mean(word: str, choices: Sequence[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
