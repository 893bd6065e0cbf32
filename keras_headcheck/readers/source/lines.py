"""Per-line facts of a source file: `# headcheck: ignore[...]` comments and notebook cells."""

from __future__ import annotations

import io
import re
import tokenize
from typing import Iterable

from .values import Span

IGNORE = re.compile(r"#\s*headcheck\s*:\s*ignore\b(?:\[([^\]]*)\])?", re.IGNORECASE)
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
    """Line -> the codes/prefixes its `# headcheck: ignore[...]` comment silences."""
    found: dict[int, tuple[str, ...]] = {}
    if "headcheck" not in text.lower():
        return found
    for line, comment in _comments(text):
        match = IGNORE.search(comment)
        if match is None:
            continue
        codes = match.group(1)
        if codes is None:
            found[line] = (EVERY_CODE,)
        else:
            found[line] = tuple(c.strip().upper() for c in codes.split(",") if c.strip()) or (
                EVERY_CODE,
            )
    return found


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
