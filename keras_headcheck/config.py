"""Settings from `[tool.keras-headcheck]` in pyproject.toml, merged with the command line.

The file is read first, then the flags: a flag replaces the file's value for its key, except
that rule selection is layered like ruff's (file, then command line; in each, `select` starts
over, `extend-select` adds, `ignore` removes). Severity overrides and the per-file and per-output
ignores are applied to findings here, in one place, before any reporter sees them.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from typing import Any, Iterable, Optional, Sequence

from .discovery import DEFAULT_EXCLUDE, WalkOptions
from .findings import SEVERITIES, Finding
from .rules import RULES, Rule, validate_patterns
from .rules.registry import matches

TABLE = "keras-headcheck"
KEYS = (
    "select", "ignore", "extend-select", "per-file-ignores", "per-output-ignores",
    "severity", "output-format", "fail-on", "exclude", "extend-exclude", "respect-gitignore",
    "fix", "unsafe-fixes", "show-fixes",
)  # fmt: skip
DEFAULT_FAIL_ON = frozenset({"error", "warning"})


class ConfigError(ValueError):
    """A configuration that cannot be used; the message is one line."""


@dataclass(frozen=True)
class Selection:
    """One layer of rule selection: the file's, or the command line's."""

    select: Optional[tuple[str, ...]] = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    selections: tuple[Selection, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    per_output_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: tuple[tuple[str, str], ...] = ()  # (code or prefix, severity)
    output_format: Optional[str] = None
    fail_on: frozenset[str] = DEFAULT_FAIL_ON
    path: Optional[str] = None  # the config file these came from
    root: str = field(default_factory=os.getcwd)  # per-file globs are relative to this
    # the directory walk, as ruff's: `exclude` replaces the default list, `extend-exclude` adds;
    # each glob with the directory it is relative to (the config's, or the cwd for flags)
    exclude: Optional[tuple[tuple[str, str], ...]] = None
    extend_exclude: tuple[tuple[str, str], ...] = ()
    respect_gitignore: bool = True
    fix: bool = False  # `fix = true`: every check applies the safe fixes, as `--fix`
    # None: unsafe fixes are not applied, and the summary says how many there are; False (set in
    # the file or by --no-unsafe-fixes) also drops that hint, as ruff's `unsafe-fixes = false`
    unsafe_fixes: Optional[bool] = None
    show_fixes: bool = False  # list the fixes per file and code, as `--show-fixes`

    def override(
        self,
        select: Optional[Sequence[str]] = None,
        ignore: Optional[Sequence[str]] = None,
        extend_select: Optional[Sequence[str]] = None,
        output_format: Optional[str] = None,
        fail_on: Optional[Iterable[str]] = None,
        exclude: Optional[Sequence[str]] = None,
        extend_exclude: Sequence[str] = (),
        respect_gitignore: Optional[bool] = None,
        fix: Optional[bool] = None,
        unsafe_fixes: Optional[bool] = None,
        show_fixes: Optional[bool] = None,
    ) -> Settings:
        """These settings with the command line's values on top."""
        layer = Selection(
            tuple(select) if select else None, tuple(extend_select or ()), tuple(ignore or ())
        )
        return replace(
            self,
            selections=self.selections + (layer,),
            output_format=output_format or self.output_format,
            fail_on=self.fail_on if fail_on is None else frozenset(fail_on),
            exclude=self.exclude if exclude is None else _rooted(exclude, os.getcwd()),
            extend_exclude=self.extend_exclude + _rooted(extend_exclude, os.getcwd()),
            respect_gitignore=(
                self.respect_gitignore if respect_gitignore is None else respect_gitignore
            ),
            fix=self.fix if fix is None else fix,
            unsafe_fixes=self.unsafe_fixes if unsafe_fixes is None else unsafe_fixes,
            show_fixes=self.show_fixes if show_fixes is None else show_fixes,
        )

    def walk_options(self) -> WalkOptions:
        """What a directory search skips: DEFAULT_EXCLUDE unless `exclude` replaces it."""
        exclude = self.exclude if self.exclude is not None else _rooted(DEFAULT_EXCLUDE, self.root)
        return WalkOptions(exclude, self.extend_exclude, self.respect_gitignore)

    def rules(self) -> list[Rule]:
        chosen = set(RULES)
        for layer in self.selections:
            if layer.select is not None:
                chosen = {code for code in RULES if matches(code, layer.select)}
            chosen |= {code for code in RULES if matches(code, layer.extend_select)}
            chosen -= {code for code in RULES if matches(code, layer.ignore)}
        return [rule for code, rule in RULES.items() if code in chosen]

    def apply(self, findings: Iterable[Finding]) -> list[Finding]:
        """Drop per-file and per-output ignored findings; apply severity overrides."""
        kept = []
        for finding in findings:
            if self._ignored(finding):
                continue
            severity = self._severity(finding.code)
            kept.append(replace(finding, severity=severity) if severity else finding)
        return kept

    def fails(self, findings: Iterable[Finding]) -> bool:
        return any(f.severity in self.fail_on for f in findings)

    def _ignored(self, finding: Finding) -> bool:
        paths = _path_forms(finding.filename, self.root)
        for pattern, codes in self.per_file_ignores:
            if matches(finding.code, codes) and any(_glob(p, pattern) for p in paths):
                return True
        names = (finding.output, finding.layer)
        for pattern, codes in self.per_output_ignores:
            if matches(finding.code, codes) and any(fnmatchcase(n, pattern) for n in names):
                return True
        return False

    def _severity(self, code: str) -> Optional[str]:
        matching = [
            (len(prefix), severity) for prefix, severity in self.severity if code.startswith(prefix)
        ]
        return max(matching)[1] if matching else None


def _rooted(globs: Iterable[str], root: str) -> tuple[tuple[str, str], ...]:
    return tuple((glob, root) for glob in globs)


def _glob(path: str, pattern: str) -> bool:
    """fnmatch, where `*` also crosses `/`, and a leading `**/` also matches no directory."""
    return fnmatchcase(path, pattern) or (
        pattern.startswith("**/") and fnmatchcase(path, pattern[3:])
    )


def _path_forms(filename: str, root: str) -> tuple[str, ...]:
    """The filename as given, relative to the config's directory, and its base name."""
    given = filename.replace(os.sep, "/")
    while given.startswith("./"):
        given = given[2:]
    relative = os.path.relpath(os.path.abspath(filename), root).replace(os.sep, "/")
    return (given, relative, os.path.basename(filename.rstrip("/" + os.sep)))


# -- finding and reading the file -------------------------------------------------------------


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


# -- validating the table ---------------------------------------------------------------------


def parse_table(table: dict[str, Any], where: str, path: Optional[str] = None) -> Settings:
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
        exclude=_rooted(_globs(get("exclude"), where, "exclude"), root) if "exclude" in table
        else None,
        extend_exclude=_rooted(_globs(get("extend-exclude", []), where, "extend-exclude"), root),
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
    from .output import FORMATS

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
