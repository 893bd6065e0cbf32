"""The command line: `keras-headcheck check PATH...` and `keras-headcheck rule CODE`."""

from __future__ import annotations

import sys
from typing import Any, Optional, Sequence

import click

from . import __version__
from .docs import all_rules_markdown, rule_markdown
from .lint import discover, lint_path, sort_findings
from .output import REPORTERS
from .rules import RULES, selected_rules, validate_patterns

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _codes(values: Sequence[str]) -> Optional[list[str]]:
    """`--select HC1,HC201 --select HC3` -> ["HC1", "HC201", "HC3"]."""
    codes = [c.strip().upper() for v in values for c in v.split(",") if c.strip()]
    return codes or None


def _error(message: str) -> None:
    click.echo(f"keras-headcheck: error: {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="keras-headcheck")
def main() -> None:
    """Catch mistakes in the output layer ("head") of Keras models."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--output-format",
    type=click.Choice(sorted(REPORTERS)),
    default="full",
    show_default=True,
    help="How to print findings.",
)
@click.option("--select", multiple=True, metavar="CODES", help="Only these codes or prefixes (HC2,HC101).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these codes or prefixes.")
@click.option("--targets", "targets_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Training targets for the HC4xx rules (.npy, .npz with one array, .csv); "
                   "applies to the one model PATH given with it.")
def check(paths: tuple[str, ...], output_format: str, select: tuple[str, ...], ignore: tuple[str, ...],
          targets_file: Optional[str]) -> None:
    """Lint saved Keras models (.keras, .h5, SavedModel directories) and directories of them."""
    chosen, skipped = _codes(select), _codes(ignore)
    unknown = validate_patterns((chosen or []) + (skipped or []))
    if unknown:
        _error(f"unknown rule code(s): {', '.join(unknown)} (see `keras-headcheck rule --all`)")
        sys.exit(EXIT_ERROR)
    rules = selected_rules(chosen, skipped)
    targets = _targets(targets_file, paths) if targets_file is not None else None
    findings, failed = [], False
    for path in discover(paths):
        result = lint_path(path, rules, targets)
        if result.error:
            _error(f"{path}: {result.error}")
            failed = True
        findings.extend(result.findings)
    findings = sort_findings(findings)
    REPORTERS[output_format](findings, sys.stdout)
    if output_format == "full":
        _summary(findings)
    if failed:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if any(f.is_failure for f in findings) else EXIT_CLEAN)


def _targets(path: str, paths: tuple[str, ...]) -> Any:
    """The summarised `--targets FILE`; a usage error (exit 2) unless it can be used."""
    from .targets import TargetError, load_targets_file

    if len(paths) != 1:
        _error(f"--targets applies to one model: give exactly one PATH with it (got {len(paths)})")
        sys.exit(EXIT_ERROR)
    try:
        return load_targets_file(path)
    except TargetError as exc:
        _error(f"{path}: cannot read the targets ({exc})")
        sys.exit(EXIT_ERROR)


def _summary(findings: list) -> None:
    counts = {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "info")}
    if not findings:
        click.echo("All checked heads look right.", err=True)
        return
    parts = [f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items() if n]
    click.echo(f"Found {', '.join(parts)}.", err=True)


@main.command()
@click.argument("code", required=False)
@click.option("--all", "show_all", is_flag=True, help="Show every rule.")
def rule(code: Optional[str], show_all: bool) -> None:
    """Print the documentation of a rule (or of all rules)."""
    if show_all:
        click.echo(all_rules_markdown())
        return
    if not code:
        _error("give a rule CODE or --all")
        sys.exit(EXIT_ERROR)
    r = RULES.get(code.upper())
    if r is None:
        _error(f"unknown rule code {code!r} (see `keras-headcheck rule --all`)")
        sys.exit(EXIT_ERROR)
    click.echo(rule_markdown(r))
