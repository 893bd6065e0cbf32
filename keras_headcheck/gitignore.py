"""`.gitignore` matching, as git does it, for the directory walk (no dependency, no git process).

Each `.gitignore` applies to the paths below its directory; the last matching pattern wins, with
deeper files read after shallower ones. A directory that is ignored is not entered, so (as in git)
a file inside it cannot be re-included. Also read: `.git/info/exclude` of the repository.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class Pattern:
    base: str  # absolute directory the pattern is relative to
    regex: "re.Pattern[str]"
    negate: bool
    dir_only: bool
    text: str  # as written, for --show-files
    origin: str  # the file it came from


def parse(text: str, base: str, origin: str) -> list[Pattern]:
    patterns = []
    for raw in text.splitlines():
        line = _strip_trailing_spaces(raw)
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        body = line[1:] if negate else line
        if body.startswith(("\\!", "\\#")):
            body = body[1:]
        dir_only = body.endswith("/")
        body = body.rstrip("/")
        if not body:
            continue
        anchored = "/" in body  # a slash at the start or in the middle anchors it to `base`
        body = body.lstrip("/")
        regex = _translate(body) if anchored else "(?:.*/)?" + _translate(body)
        patterns.append(
            Pattern(base, re.compile(regex + r"\Z", re.S), negate, dir_only, line, origin)
        )
    return patterns


def _strip_trailing_spaces(line: str) -> str:
    stripped = line.rstrip(" ")
    if stripped.endswith("\\") and len(stripped) < len(line):
        return stripped + " "  # "foo\ " keeps its escaped space
    return stripped


def _translate(pattern: str) -> str:
    """A gitignore glob as a regex over `/`-separated relative paths."""
    out, i, n = [], 0, len(pattern)
    while i < n:
        if pattern.startswith("**/", i) and (i == 0 or pattern[i - 1] == "/"):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i) and (i == 0 or pattern[i - 1] == "/") and i + 2 == n:
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            inside = pattern[i + 1 : end]
            if inside.startswith("!"):
                inside = "^" + inside[1:]
            out.append("[" + inside.replace("\\", "\\\\") + "]")
            i = end + 1
        elif pattern[i] == "\\" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out)


class GitIgnore:
    """The patterns that apply while walking down from a root directory."""

    def __init__(self, patterns: Optional[list[Pattern]] = None) -> None:
        self.patterns = patterns or []

    @classmethod
    def for_root(cls, root: str) -> "GitIgnore":
        """The patterns of the `.gitignore` files above `root`, up to its repository's top."""
        root = os.path.abspath(root)
        chain, directory = [], root
        while True:
            chain.append(directory)
            if os.path.exists(os.path.join(directory, ".git")):
                break
            parent = os.path.dirname(directory)
            if parent == directory:
                chain = [root]  # not in a repository: only the walk's own .gitignore files
                break
            directory = parent
        top = chain[-1]
        ignore = cls(_read(os.path.join(top, ".git", "info", "exclude"), top))
        for directory in reversed(chain[1:]):
            ignore = ignore.entering(directory)
        return ignore

    def entering(self, directory: str) -> "GitIgnore":
        """These patterns plus those of `directory`'s own `.gitignore`."""
        own = _read(os.path.join(directory, ".gitignore"), os.path.abspath(directory))
        return GitIgnore(self.patterns + own) if own else self

    def match(self, path: str, is_dir: bool) -> Optional[Pattern]:
        """The pattern that ignores `path`, or None when it is not ignored."""
        path = os.path.abspath(path)
        decided: Optional[Pattern] = None
        for pattern in self.patterns:
            if pattern.dir_only and not is_dir:
                continue
            relative = _relative(path, pattern.base)
            if relative is not None and pattern.regex.match(relative):
                decided = None if pattern.negate else pattern
        return decided


def _relative(path: str, base: str) -> Optional[str]:
    prefix = base.rstrip(os.sep) + os.sep
    if not path.startswith(prefix):
        return None
    return path[len(prefix) :].replace(os.sep, "/")


def _read(path: str, base: str) -> list[Pattern]:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return parse(handle.read(), base, path)
    except OSError:  # absent or unreadable: ignores nothing
        return []
