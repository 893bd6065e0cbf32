"""Rule documentation rendered from the registry: `rule CODE`, `rule --all`, README and docs/."""

from __future__ import annotations

from pathlib import Path

from .rules import RULES, Rule
from .rules.registry import DOCS_FILE


def rule_markdown(r: Rule) -> str:
    return (
        f"# {r.name} ({r.code})\n\n"
        f"Severity: {r.severity_text}\n\n"
        f"Fix: {r.fix}\n\n"
        f"{r.doc}\n"
    )


def all_rules_markdown() -> str:
    return "\n".join(rule_markdown(r) for r in RULES.values())


def rule_table() -> str:
    """The README's rule table (kept in sync by a test)."""
    lines = ["| code | name | severity | what it catches |", "|---|---|---|---|"]
    for r in RULES.values():
        lines.append(f"| {r.code} | `{r.name}` | {r.severity_text} | {r.summary} |")
    return "\n".join(lines)


def write_docs() -> list[Path]:
    """Write the rule docs shipped in the package and, in a checkout, docs/rules.md."""
    text = all_rules_markdown() + "\n"
    targets = [DOCS_FILE]
    checkout = DOCS_FILE.parent.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "docs").is_dir():
        targets.append(checkout / "docs" / "rules.md")
    for target in targets:
        target.write_text(text, encoding="utf-8")
    return targets


if __name__ == "__main__":
    # python -m keras_headcheck.docs --write ; python -m keras_headcheck.docs --table
    import sys

    if "--write" in sys.argv:
        print("\n".join(str(path) for path in write_docs()))
    else:
        print(rule_table() if "--table" in sys.argv else all_rules_markdown())
