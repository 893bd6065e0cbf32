"""Per-line facts of a source file: `# headcheck: ignore[...]` / `# noqa` comments, notebook cells."""

from __future__ import annotations

import io
import re
import tokenize
from typing import Iterable

from .values import Span

IGNORE = re.compile(r"#\s*headcheck\s*:\s*ignore\b(?:\[([^\]]*)\])?", re.IGNORECASE)
# ruff's and flake8's form: `# noqa: HC203, HC101`; a bare `# noqa` silences every code.
NOQA = re.compile(r"#\s*noqa(?::\s*([A-Z]+[0-9]*(?:[,\s]+[A-Z]+[0-9]*)*))?", re.IGNORECASE)
EVERY_CODE = ""  # a bare `# headcheck: ignore`: the empty prefix matches every code


def _comments(text: str) -> Iterable[tuple[int, str]]:
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                yield token.start[0], token.string
    except (tokenize.TokenError, SyntaxError):  # fall back to a plain search, line by line
        for number, line in enumerate(text.splitlines(), 1):
            if "#" in line:
                yield number, line[line.index("#") :]


def ignore_comments(text: str) -> dict[int, tuple[str, ...]]:
    """Line -> the codes/prefixes its `# headcheck: ignore[...]` or `# noqa` comment silences."""
    found: dict[int, tuple[str, ...]] = {}
    lowered = text.lower()
    if "headcheck" not in lowered and "noqa" not in lowered:
        return found
    for line, comment in _comments(text):
        codes = _silenced(comment)
        if codes:
            found[line] = tuple(dict.fromkeys(found.get(line, ()) + codes))
    return found


def _silenced(comment: str) -> tuple[str, ...]:
    codes: tuple[str, ...] = ()
    ignore, noqa = IGNORE.search(comment), NOQA.search(comment)
    if ignore is not None:
        codes += _code_list(ignore.group(1), ",")
    if noqa is not None:
        codes += _code_list(noqa.group(1), ", \t")
    return codes


def _code_list(written: "str | None", separators: str) -> tuple[str, ...]:
    """The codes named (upper-cased); every code when none is named."""
    if written is None:
        return (EVERY_CODE,)
    codes = re.split(f"[{separators}]+", written)
    return tuple(c.strip().upper() for c in codes if c.strip()) or (EVERY_CODE,)


class SourceLines:
    def __init__(self, text: str, cells: tuple[tuple[int, int], ...] = ()) -> None:
        self.ignores = ignore_comments(text)
        self.cells = cells  # notebooks: (first line in the concatenated code, cell number)

    def suppressed(self, spans: Iterable[Span]) -> tuple[str, ...]:
        """The codes silenced by comments on any line of these calls."""
        codes: list[str] = []
        for span in spans:
            for line in range(span.first, span.last + 1):
                codes.extend(self.ignores.get(line, ()))
        return tuple(dict.fromkeys(codes))
