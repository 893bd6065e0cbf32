"""The README's rule table and docs/rules.md are generated from the rule registry: keep them true."""

from __future__ import annotations

import re
from pathlib import Path

from keras_headcheck.docs import all_rules_markdown, rule_table
from keras_headcheck.rules import RULES

ROOT = Path(__file__).resolve().parent.parent
SPEC_CODES = {
    "HC101", "HC102", "HC103", "HC104",
    "HC201", "HC202", "HC203", "HC204", "HC205", "HC206", "HC207", "HC208", "HC209", "HC210",
    "HC211", "HC301", "HC302", "HC303", "HC501", "HC901", "HC902",
}  # fmt: skip


def test_readme_rule_table_is_generated_from_the_registry() -> None:
    readme = (ROOT / "README.md").read_text()
    match = re.search(r"<!-- rules:start -->\n(.*?)\n<!-- rules:end -->", readme, re.S)
    assert match, "README.md lost its <!-- rules:start/end --> markers"
    assert match.group(1) == rule_table(), "regenerate: python -m keras_headcheck.docs --table"


def test_docs_rules_md_is_generated_from_the_registry() -> None:
    assert (ROOT / "docs" / "rules.md").read_text() == all_rules_markdown() + "\n", (
        "regenerate: python -m keras_headcheck.docs > docs/rules.md"
    )


def test_every_spec_rule_is_implemented_with_a_kebab_case_name() -> None:
    assert SPEC_CODES <= set(RULES)
    for rule in RULES.values():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", rule.name), rule.name
        assert rule.fix.endswith(".") and "\n" not in rule.fix, rule.code


def test_rule_urls_point_at_their_docs_heading() -> None:
    docs = (ROOT / "docs" / "rules.md").read_text()
    for rule in RULES.values():
        assert f"# {rule.name} ({rule.code})" in docs
        assert rule.url.endswith(f"#{rule.name}-{rule.code.lower()}")
