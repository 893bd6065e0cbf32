"""Rule documentation rendered from the registry: `rule CODE`, `rule --all`, README and docs/."""

from __future__ import annotations

from .rules import RULES, Rule


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


if __name__ == "__main__":
    # python -m keras_headcheck.docs > docs/rules.md ; python -m keras_headcheck.docs --table
    import sys

    print(rule_table() if "--table" in sys.argv else all_rules_markdown())
