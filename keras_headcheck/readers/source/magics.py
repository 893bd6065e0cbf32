"""A notebook cell as IPython turns it into Python before running it, line for line.

IPython rewrites its own syntax (`!cmd`, `%magic`, `x = !cmd`, `obj?`, `%%cell` magics, a cell
indented as a whole) into Python calls on `get_ipython()`. We use its own transformer when IPython
is importable (it is wherever notebooks run) and a small line-based equivalent when it is not; both
give the same Python. Unlike IPython, the result keeps one line per line of the cell (a `\\`
continuation joined into one call leaves blank lines behind), so findings point at the right line.
Two liberties serve the reading: `%time stmt` keeps `stmt` (IPython runs it; we must see a
`model.fit` timed that way), and an automagic line (`pip install x`, `ls data/`), which IPython
accepts only in a one-line cell, is read as an unknown call wherever the line is not Python.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from typing import Any, Callable, Optional

from ..ipynb import split_lines

# Cell magics whose body is Python that IPython runs (the others run another interpreter).
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "memit"})
# Line magics and shell aliases that automagic runs without a `%` (IPython's defaults).
AUTOMAGICS = frozenset(
    {
        "pip", "conda", "mamba", "micromamba", "ls", "cd", "pwd", "cat", "cp", "mv", "rm",
        "mkdir", "rmdir", "env", "set_env", "load_ext", "reload_ext", "matplotlib", "pylab",
        "time", "timeit", "run", "who", "whos", "reset", "history", "store", "alias", "unalias",
        "pushd", "popd", "dirs", "dhist", "bookmark", "sx", "sc", "system", "config", "pdb",
        "autoreload", "aimport", "tensorflow_version", "ll", "lf", "lk", "lx", "ldir", "clear",
        "less", "more", "man", "rehashx", "xmode", "precision", "load", "save", "writefile",
    }
)
UNKNOWN_CALL = "get_ipython()"  # what an automagic line becomes: a call we cannot follow
TIMED = re.compile(
    r"^(\s*(?:[^=]*[^=!<>]=\s*)?)get_ipython\(\)\.run_line_magic\('(?:time|timeit)', (.+)\)$"
)
ESCAPE_SINGLES = ("!", "?", "%", ",", ";", "/")
ASSIGNED = re.compile(r"^(\s*[\w.,\s\[\]()*]+?\s*=\s*)([!%])(?=[\w!])")
INDENT = re.compile(r"^[ \t]+")
# IPython re-tokenises the whole cell after each rewrite (about 6 us per character each time):
# when (lines to rewrite) x (characters) passes this, our own transformer, linear, does the job.
IPYTHON_BUDGET = 100_000
IPYTHON_MAX_LINE = 2_000  # its `obj?` pattern is searched, quadratic in the line's length
HELP_TARGET = re.compile(r"%{0,2}(?!\d)[\w*]+(?:\.(?!\d)[\w*]+|\[-?[0-9]+\])*")
HELP_TARGET_CHARS = frozenset("_*.[]-%")
HELP_TARGET_MAX = 200


def python_code(text: str, use_ipython: bool = True) -> str:
    """The cell as Python, one line per line of `text` (all blank when it is not Python)."""
    lines = split_lines(text)
    top = 0  # lines blanked at the top: leading blank lines and Python cell magics
    while True:  # `%%time` runs its body as a cell, which may start with another cell magic
        while top < len(lines) and not lines[top].strip():
            top += 1
        if top == len(lines) or not lines[top].startswith("%%"):
            break
        match = re.match(r"%%(\w+)(\s|$)", lines[top])
        if match is None or match.group(1) not in PYTHON_CELL_MAGICS:
            return "\n" * len(lines)  # %%bash, %%writefile, %%html...: not Python; skipped
        top += 1
    rest = lines[top:]
    converted = (_ipython(rest) if use_ipython else None) or _own(rest)
    return "\n" * top + "".join(_untimed(line) + "\n" for line in converted)


def without_automagic(code: str, line: int) -> Optional[str]:
    """`code` with its 1-based `line` read as an automagic command, or None if it is not one."""
    lines = code.split("\n")
    if not 0 < line <= len(lines):
        return None
    match = re.match(r"^(\s*)([A-Za-z_]\w*)(\s+\S.*)?$", lines[line - 1])
    if match is None or match.group(2) not in AUTOMAGICS or match.group(3) is None:
        return None
    if match.group(3).lstrip()[:1] in "=([,":  # `pip = ...`, `ls (x`: Python, wrong elsewhere
        return None
    lines[line - 1] = match.group(1) + UNKNOWN_CALL
    return "\n".join(lines)


def _untimed(line: str) -> str:
    """`%time stmt` runs stmt: keep it, when it is one Python statement."""
    match = TIMED.match(line)
    if match is None:
        return line
    try:
        statement = ast.literal_eval(match.group(2))
        if not isinstance(statement, str) or statement.startswith("-") or "\n" in statement:
            return line
        ast.parse(statement)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return line
    return match.group(1) + statement


# --- IPython's own transformer -------------------------------------------------------------------


def _ipython(lines: list[str]) -> Optional[list[str]]:
    manager = _manager()
    if manager is None or not lines or max(len(line) for line in lines) > IPYTHON_MAX_LINE:
        return None
    if _rewrites(lines) * sum(len(line) + 1 for line in lines) > IPYTHON_BUDGET:
        return None
    try:
        out = manager.transform_cell("".join(line + "\n" for line in lines))
    except Exception:  # IPython's transformer failed on it: ours has a go
        return None
    converted = out.split("\n")[:-1]
    return converted if len(converted) == len(lines) else None


def _rewrites(lines: list[str]) -> int:
    """How many lines look like IPython syntax (an upper bound on IPython's rewrites)."""
    return sum(
        1
        for line in lines
        if line.lstrip().startswith(ESCAPE_SINGLES) or line.rstrip().endswith("?") or ASSIGNED.match(line)
    )


@lru_cache(maxsize=1)
def _manager() -> Any:
    try:
        from IPython.core import inputtransformer2 as it2
    except Exception:  # not installed, or broken: our own transformer does the job
        return None

    class LinePreserving(it2.TransformerManager):  # type: ignore[misc, name-defined]
        """A continued `!cmd \\` joined into one line leaves blank lines in its place."""

        def __init__(self) -> None:
            super().__init__()
            self.cleanup_transforms = [
                t for t in self.cleanup_transforms if t is not it2.leading_empty_lines
            ]
            self.line_transforms = []  # cell magics: handled above, their body read as Python

        def do_one_token_transform(self, lines: list[str]) -> tuple[bool, list[str]]:
            changed, new = super().do_one_token_transform(lines)
            missing = len(lines) - len(new)
            if changed and missing > 0:
                at = next((i for i, (a, b) in enumerate(zip(lines, new)) if a != b), len(new) - 1)
                new = new[: at + 1] + ["\n"] * missing + new[at + 1 :]
            return changed, new

    return LinePreserving()


# --- our own equivalent, for when IPython is not importable ----------------------------------------


def _own(lines: list[str]) -> list[str]:
    match = INDENT.match(lines[0]) if lines else None
    if match:  # a cell indented as a whole runs dedented
        indent = match.group(0)
        lines = [line[len(indent) :] if line.startswith(indent) else line for line in lines]
    out: list[str] = []
    index = 0
    while index < len(lines):
        converted = _own_line(lines, index)
        if converted is None:
            out.append(lines[index])
            index += 1
            continue
        line, end = converted
        out.append(line)
        out.extend([""] * (end - index))
        index = end + 1
    return out


def _end_of_continued(lines: list[str], start: int) -> int:
    end = start
    while lines[end].endswith("\\") and end + 1 < len(lines):
        end += 1
    return end


def _joined(lines: list[str], start: int, column: int, end: int) -> str:
    """IPython's `assemble_continued_line`: the pieces of a `\\`-continued line, joined."""
    parts = [lines[start][column:], *lines[start + 1 : end + 1]]
    return " ".join([p.rstrip()[:-1] for p in parts[:-1]] + [parts[-1].rstrip()])


def _own_line(lines: list[str], start: int) -> Optional[tuple[str, int]]:
    """The Python for the IPython line at `start`, and the last line it continues onto."""
    line = lines[start]
    stripped = line.lstrip()
    indent = line[: len(line) - len(stripped)]
    assigned = ASSIGNED.match(line)
    if assigned:
        target, end = assigned.group(1), _end_of_continued(lines, start)
        command = _joined(lines, start, len(target) + 1, end)
        if assigned.group(2) == "!":
            return f"{target}get_ipython().getoutput({command!r})", end
        name, _, args = command.partition(" ")
        return f"{target}get_ipython().run_line_magic({name!r}, {args!r})", end
    if stripped.startswith(ESCAPE_SINGLES):
        end = _end_of_continued(lines, start)
        return indent + _escaped(_joined(lines, start, len(indent), end)), end
    help_end = _help_end(stripped.rstrip())
    if help_end and not any(c in line for c in "#'\""):  # not a `?` in a comment or a string
        return indent + _help(*help_end), start
    return None


def _help_end(line: str) -> Optional[tuple[str, str]]:
    """(target, escape) of a line ending in `obj?` / `obj??`: IPython's pattern, found from the
    end of the line (a regex search from every position is quadratic in the line)."""
    if not line.endswith("?"):
        return None
    escape = "??" if line.endswith("??") else "?"
    body = line[: -len(escape)]
    begin = len(body)
    while begin > 0 and len(body) - begin < HELP_TARGET_MAX:
        if not (body[begin - 1].isalnum() or body[begin - 1] in HELP_TARGET_CHARS):
            break
        begin -= 1
    for start in range(begin, len(body)):  # the leftmost start that matches, as re.search
        if HELP_TARGET.fullmatch(body, start):
            return body[start:], escape
    return None


def _escaped(line: str) -> str:
    for escape, translate in ESCAPES:
        if line.startswith(escape):
            return translate(line[len(escape) :])
    return ""


def _help(target: str, escape: str) -> str:
    method = "pinfo2" if escape == "??" else "psearch" if "*" in target else "pinfo"
    name, _, args = f"{method} {target}".partition(" ")
    return f"get_ipython().run_line_magic({name.lstrip('%')!r}, {args!r})"


def _magic(content: str) -> str:
    name, _, args = content.partition(" ")
    return f"get_ipython().run_line_magic({name!r}, {args!r})"


def _call(template: str) -> Callable[[str], str]:
    def translate(content: str) -> str:
        name, _, args = content.partition(" ")
        if template == "quote":
            return '%s("%s")' % (name, '", "'.join(args.split()))
        if template == "quote2":
            return '%s("%s")' % (name, args)
        return "%s(%s)" % (name, ", ".join(args.split()))

    return translate


ESCAPES: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("!!", lambda c: f"get_ipython().getoutput({c!r})"),
    ("??", lambda c: _help(c, "??") if c else "get_ipython().show_usage()"),
    ("!", lambda c: f"get_ipython().system({c!r})"),
    ("?", lambda c: _help(c, "?") if c else "get_ipython().show_usage()"),
    ("%", _magic),
    (",", _call("quote")),
    (";", _call("quote2")),
    ("/", _call("paren")),
)
