"""`--show-fixes`: the fixes `--fix` applied (or `--diff` would, or `--fix` could), per file and
code, as ruff lists them:

    Fixed 3 findings:
    - train.py:
        2 × HC201 (probabilities-passed-as-logits)
        1 × HC101 (softmax-on-single-unit)

A fix's place is not listed: after several passes the lines have moved (ruff's reason too).
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

from ..findings import Finding
from ..rules import RULES
from .summary import plural

HEADERS = {
    "fixed": "Fixed {}:",  # --fix
    "would": "Would fix {}:",  # --diff
    "fixable": "{} fixable with --fix:",  # neither: what --fix would apply
}


def listing(kind: str, codes_by_file: Iterable[tuple[str, Sequence[str]]]) -> str:
    """The list, or "" when nothing was (or would be) fixed."""
    files = [(path, Counter(codes)) for path, codes in codes_by_file if codes]
    if not files:
        return ""
    total = sum(sum(counts.values()) for _, counts in files)
    lines = [HEADERS[kind].format(plural(total, "finding"))]
    for path, counts in files:
        lines.append(f"- {path}:")
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            rule = RULES.get(code)
            lines.append(f"    {count} × {code}" + (f" ({rule.name})" if rule else ""))
    return "\n".join(lines) + "\n"


def by_file(findings: Iterable[Finding]) -> list[tuple[str, list[str]]]:
    """(filename, codes) in the order the files first appear."""
    grouped: dict[str, list[str]] = {}
    for finding in findings:
        grouped.setdefault(finding.filename, []).append(finding.code)
    return list(grouped.items())
