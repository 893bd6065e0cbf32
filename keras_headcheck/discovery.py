"""Which paths a run lints: the paths named, and what a directory holds minus what it skips.

A directory search skips (and `--show-files` lists, with the reason) the names of DEFAULT_EXCLUDE
(replaced by `--exclude`, extended by `--extend-exclude`), virtualenvs (a `pyvenv.cfg`), symbolic
links to directories, FIFOs/devices/sockets, and what `.gitignore` ignores unless
`--no-respect-gitignore`. A path named on the command line is always linted, like ruff without
`--force-exclude`.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Iterator, Optional, Sequence

from .gitignore import GitIgnore

MODEL_SUFFIXES = (".keras", ".h5", ".hdf5")
SOURCE_SUFFIXES = (".py", ".ipynb")
LINTABLE_SUFFIXES = MODEL_SUFFIXES + SOURCE_SUFFIXES

# Like ruff's default `exclude`: tool and build directories, caches, environments.
DEFAULT_EXCLUDE = (
    ".bzr", ".direnv", ".eggs", ".git", ".hg", ".ipynb_checkpoints", ".mypy_cache", ".nox",
    ".pytest_cache", ".ruff_cache", ".svn", ".tox", ".venv", "__pycache__", "__pypackages__",
    "_build", "build", "dist", "node_modules", "site-packages", "venv",
)  # fmt: skip


Globs = tuple[tuple[str, str], ...]  # (glob, the directory a glob with a `/` is relative to)


@dataclass(frozen=True)
class WalkOptions:
    exclude: Globs = tuple((name, ".") for name in DEFAULT_EXCLUDE)
    extend_exclude: Globs = ()
    respect_gitignore: bool = True


@dataclass
class Discovery:
    paths: list[str] = field(default_factory=list)  # to lint, in order, each once
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why)


def is_savedmodel(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "saved_model.pb")) or os.path.isfile(
        os.path.join(path, "keras_metadata.pb")
    )


def _is_virtualenv(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "pyvenv.cfg"))


def walk(paths: Sequence[str], options: Optional[WalkOptions] = None) -> Discovery:
    options = options or WalkOptions()
    excluded = Excluder(options)
    found = Discovery()
    for path in paths:
        if not os.path.isdir(path) or is_savedmodel(path):
            found.paths.append(path)  # named on the command line: always linted
            continue
        ignore = GitIgnore.for_root(path) if options.respect_gitignore else None
        skipped: list[tuple[str, str]] = []
        inside = sorted(_search(path, excluded, ignore, skipped))
        if path == os.curdir:  # `check` or `check .`: `train.py`, as ruff shows it, not `./train.py`
            inside = [_below_cwd(p) for p in inside]
            skipped = [(_below_cwd(p), why) for p, why in skipped]
        found.paths.extend(inside)
        found.skipped.extend(skipped)
    found.paths = list(dict.fromkeys(found.paths))
    return found


def _below_cwd(path: str) -> str:
    return path[len(os.curdir + os.sep) :]


def discover(paths: Sequence[str], options: Optional[WalkOptions] = None) -> Iterator[str]:
    """Expand directories (recursively) into the model files, SavedModels and sources inside."""
    yield from walk(paths, options).paths


def _search(
    top: str, excluded: "Excluder", ignore: Optional[GitIgnore], skipped: list[tuple[str, str]]
) -> Iterator[str]:
    ignores = {os.path.abspath(top): ignore}
    for root, dirs, files in os.walk(top):
        here = ignores.pop(os.path.abspath(root), None)
        if here is not None:
            here = here.entering(root)
        keep = []
        for d in sorted(dirs):
            full = os.path.join(root, d)
            why = excluded.why(full) or _why_ignored(here, full, True)
            if why is None and os.path.islink(full):
                why = "a symbolic link"
            if why is None and _is_virtualenv(full):
                why = "a virtualenv"
            if why is not None:
                skipped.append((full + os.sep, why))
            elif is_savedmodel(full):
                yield full
            else:
                keep.append(d)
                ignores[os.path.abspath(full)] = here
        dirs[:] = keep
        for name in sorted(files):
            if not name.endswith(LINTABLE_SUFFIXES):
                continue
            full = os.path.join(root, name)
            why = excluded.why(full) or _why_ignored(here, full, False) or _special(full)
            if why is None:
                yield full
            else:
                skipped.append((full, why))


def _special(path: str) -> Optional[str]:
    """A FIFO, device or socket found in a walk is skipped: opening one could block forever. (A
    path named on the command line is kept, and refused by its reader.)"""
    try:
        regular = stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return None  # a dangling link or a race: the reader reports why it cannot be read
    return None if regular else "not a regular file"


def _why_ignored(ignore: Optional[GitIgnore], path: str, is_dir: bool) -> Optional[str]:
    pattern = ignore.match(path, is_dir) if ignore is not None else None
    if pattern is None:
        return None
    return f"ignored by {_shown(pattern.origin)}: {pattern.text}"


class Excluder:
    """`exclude` / `extend-exclude` globs: a bare name matches that name anywhere in the tree; a
    glob with a `/` matches the path relative to the root (the config's directory or the cwd)."""

    def __init__(self, options: WalkOptions) -> None:
        self.names: list[tuple[str, str]] = []
        self.paths: list[tuple[str, str]] = []
        for flag, globs in (("exclude", options.exclude),
                            ("extend-exclude", options.extend_exclude)):  # fmt: skip
            for pattern, root in globs:
                why = f"{flag}: {pattern}"
                if "/" in pattern.rstrip("/"):
                    absolute = os.path.join(_escape(os.path.abspath(root)), pattern)
                    self.paths.append((absolute.rstrip("/"), why))
                else:
                    self.names.append((pattern.rstrip("/"), why))

    def why(self, path: str) -> Optional[str]:
        name = os.path.basename(path)
        for pattern, why in self.names:
            if fnmatchcase(name, pattern):
                return why
        absolute = os.path.abspath(path)
        for pattern, why in self.paths:
            if fnmatchcase(absolute, pattern):
                return why
        return None


def _escape(path: str) -> str:
    """`path` with fnmatch's special characters made literal (glob.escape, without glob)."""
    return re.sub(r"([*?[])", r"[\1]", path)


def _shown(path: str) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path
    return path if relative.startswith("..") else relative
