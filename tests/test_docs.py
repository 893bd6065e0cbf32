"""The README's rule table and docs/rules.md are generated from the rule registry: keep them true."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from keras_headcheck.docs import all_rules_markdown, rule_table
from keras_headcheck.rules import RULES
from keras_headcheck.rules.registry import DOCS_FILE, DOCS_URL

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


@pytest.mark.parametrize("path", ["docs/rules.md", "keras_headcheck/rules.md"])
def test_rule_docs_are_generated_from_the_registry(path: str) -> None:
    assert (ROOT / path).read_text() == all_rules_markdown() + "\n", (
        "regenerate: python -m keras_headcheck.docs --write"
    )


def test_every_spec_rule_is_implemented_with_a_kebab_case_name() -> None:
    assert SPEC_CODES <= set(RULES)
    for rule in RULES.values():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", rule.name), rule.name
        assert rule.fix.endswith(".") and "\n" not in rule.fix, rule.code


def test_rule_urls_point_at_their_docs_heading_in_a_file_that_exists() -> None:
    docs = DOCS_FILE.read_text()
    for rule in RULES.values():
        assert f"# {rule.name} ({rule.code})" in docs
        assert rule.url == f"{DOCS_URL}#{rule.name}-{rule.code.lower()}"
    if DOCS_URL.startswith("file://"):  # no public page yet: the shipped file is the page
        assert DOCS_URL == DOCS_FILE.as_uri() and DOCS_FILE.is_file()


def test_no_link_in_the_package_points_at_a_repository_that_does_not_exist() -> None:
    # The rule links start at one constant (DOCS_URL); nothing else names a project home.
    for path in (ROOT / "keras_headcheck").rglob("*.py"):
        assert "github.com/keras-headcheck" not in path.read_text(), path


def test_every_check_option_is_in_the_readme_options_table() -> None:
    from keras_headcheck.cli import check

    readme = (ROOT / "README.md").read_text()
    start = readme.index("| option | meaning |")
    table = readme[start : readme.index("\n\n", start)]
    for param in check.params:
        spellings = [o for o in (*param.opts, *getattr(param, "secondary_opts", ())) if o.startswith("--")]
        if spellings and "--help" not in spellings:
            assert any(f"`{o}" in table for o in spellings), spellings


def test_the_examples_summary_quoted_in_the_readmes_is_what_check_prints() -> None:
    """The README's first command (`keras-headcheck check examples/`): the summary line it quotes
    is the one the command prints today, in the README and in examples/README.md."""
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "keras_headcheck", "check", "examples/", "--output-format", "concise"],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )
    assert proc.returncode == 1
    printed = proc.stderr.strip().splitlines()[-1] if "Checked" in proc.stderr else proc.stdout.strip().splitlines()[-1]
    assert printed.startswith("Checked ")
    for name in ("README.md", "examples/README.md"):
        text = " ".join((ROOT / name).read_text().split())  # the quote may wrap over lines
        assert f"`{printed}`" in text, f"{name} does not quote {printed!r}"
