"""A script with a syntax error: skip the top-level statement that holds it, lint the rest.

Top-level statements are found with the tokenizer (a line that starts a logical line at column 0),
so strings and brackets spanning lines are never cut; when an unclosed bracket or string at the
error stops the tokenizer, the statements after the error line are found by tokenizing from there. The region's lines are
blanked (the numbering of the rest is kept) and the file parsed again, a few times at most; a file
that still fails, or parses only with half of it skipped, is unreadable, as before.
"""

from __future__ import annotations

import ast
import io
import tokenize
from typing import Callable

from ...head import Unparsed

MAX_REGIONS = 10  # more broken statements than this: not a script with a slip, but not Python


def statement_starts(text: str, offset: int = 0) -> tuple[list[int], bool]:
    """1-based lines where a top-level statement starts, and whether the tokenizer got to the end
    (an unclosed bracket or string stops it)."""
    starts: list[int] = []
    at_line_start = True
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type in (tokenize.NEWLINE, tokenize.NL):
                at_line_start = token.type == tokenize.NEWLINE or at_line_start
                continue
            if token.type in (tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT):
                continue
            if at_line_start and token.start[1] == 0 and token.string not in ")]}":
                starts.append(token.start[0] + offset)
            at_line_start = False
    except (tokenize.TokenError, SyntaxError):
        return starts, False
    return starts, True


def parse_skipping(
    text: str, filename: str, parse: Callable[[str], ast.Module]
) -> tuple[ast.Module, tuple[Unparsed, ...]]:
    """`text` parsed with the broken top-level statements blanked; raises the first SyntaxError
    when that does not make it parse."""
    lines = text.splitlines(keepends=True)
    skipped: list[Unparsed] = []
    first_error = None
    for _ in range(MAX_REGIONS + 1):
        try:
            tree = parse("".join(lines))
        except SyntaxError as exc:
            first_error = first_error or exc
            if len(skipped) == MAX_REGIONS or not exc.lineno:
                break
            starts, complete = statement_starts("".join(lines))
            if not complete:  # an unclosed bracket at the error: the statements after it
                starts = [s for s in starts if s <= exc.lineno]
                starts += statement_starts("".join(lines[exc.lineno :]), exc.lineno)[0]
            decorators = {s: lines[s - 1].startswith("@") for s in starts if s <= len(lines)}
            start, end = _region(starts, exc.lineno, len(lines), decorators)
            if not any(line.strip() for line in lines[start - 1 : end]):
                break  # nothing left to blank there: the error is elsewhere
            for index in range(start - 1, end):
                lines[index] = "\n" if lines[index].endswith(("\n", "\r")) else ""
            reason = f"line {exc.lineno}: {exc.msg}"
            skipped.append(Unparsed(filename, start, None, reason, last_line=end))
        else:
            if not _mostly_skipped(text, lines):
                return tree, tuple(skipped)
            break
    assert first_error is not None
    raise first_error


def _mostly_skipped(text: str, lines: list[str]) -> bool:
    """Half the file or more skipped: not a script with a slip, but not Python (or not a script)."""
    total = sum(1 for line in text.splitlines() if line.strip())
    left = sum(1 for line in lines if line.strip())
    return (total - left) * 2 >= total > 0 and left < total


def _region(
    starts: list[int], line: int, last: int, decorators: dict[int, bool]
) -> tuple[int, int]:
    """The lines (first, last) of the top-level statement holding `line`."""
    before = [s for s in starts if s <= line]
    while len(before) > 1 and decorators.get(before[-2], False):
        before.pop()  # a decorated function or class: its decorators go with it
    after = [s for s in starts if s > line]
    return (before[-1] if before else 1), (after[0] - 1 if after else last)
