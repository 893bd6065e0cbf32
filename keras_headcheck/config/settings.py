"""What a run is configured with, and how it applies: the rules chosen, the findings kept and
their severities, the exit status, the directory walk.

Rule selection is layered like ruff's: one `Selection` for the file, then one for the command
line; in each, `select` starts over, `extend-select` adds, `ignore` removes. Severity overrides and
the per-file and per-output ignores are applied to findings here, in one place, before any
reporter sees them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from typing import Iterable, Optional, Sequence

from ..discovery import DEFAULT_EXCLUDE, WalkOptions
from ..findings import Finding
from ..rules import RULES, Rule
from ..rules.registry import matches

DEFAULT_FAIL_ON = frozenset({"error", "warning"})


@dataclass(frozen=True)
class Selection:
    """One layer of rule selection: the file's, or the command line's."""

    select: Optional[tuple[str, ...]] = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    """One run's settings: the config file's (`parse_table`), the command line's on top
    (`override`)."""

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
            exclude=self.exclude if exclude is None else rooted(exclude, os.getcwd()),
            extend_exclude=self.extend_exclude + rooted(extend_exclude, os.getcwd()),
            respect_gitignore=(
                self.respect_gitignore if respect_gitignore is None else respect_gitignore
            ),
            fix=self.fix if fix is None else fix,
            unsafe_fixes=self.unsafe_fixes if unsafe_fixes is None else unsafe_fixes,
            show_fixes=self.show_fixes if show_fixes is None else show_fixes,
        )

    def walk_options(self) -> WalkOptions:
        """What a directory search skips: DEFAULT_EXCLUDE unless `exclude` replaces it."""
        exclude = self.exclude if self.exclude is not None else rooted(DEFAULT_EXCLUDE, self.root)
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


def rooted(globs: Iterable[str], root: str) -> tuple[tuple[str, str], ...]:
    """Each glob with the directory it is relative to."""
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
