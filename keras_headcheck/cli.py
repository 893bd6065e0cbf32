"""The command line: `keras-headcheck check PATH...` and `keras-headcheck rule CODE`."""

from __future__ import annotations

import os
import sys
from typing import Any, Optional, Sequence

import click

from . import __version__
from .config import ConfigError, check_codes, load_settings, parse_fail_on
from .docs import all_rules_markdown, rule_markdown
from .findings import SEVERITIES, Finding
from .lint import discover, sort_findings
from .output import FORMATS, Reporter, get_reporter
from .output import statistics as stats
from .progress import ProgressBar
from .rules import RULES
from .runner import DEFAULT_TIMEOUT, lint_paths
from .shown import report_heads

TEXT = ("full", "concise")  # formats whose stdout is for people, not parsers

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _codes(values: Sequence[str]) -> list[str]:
    """`--select HC1,HC201 --select HC3` -> ["HC1", "HC201", "HC3"]."""
    return [c.strip().upper() for v in values for c in v.split(",") if c.strip()]


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
    type=click.Choice(sorted(FORMATS)),
    default=None,
    help="How to print findings.  [default: full, or output-format from the config]",
)
@click.option("--output-file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write the report to FILE instead of stdout.")
@click.option("--select", multiple=True, metavar="CODES",
              help="Only these codes or prefixes (HC2,HC101).")
@click.option("--extend-select", multiple=True, metavar="CODES",
              help="Add these codes to the selection.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these codes or prefixes.")
@click.option("--fail-on", metavar="SEVERITIES",
              help="Severities that make the exit status 1 (error,warning,info or none).  "
                   "[default: error,warning]")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Read settings from FILE instead of the nearest pyproject.toml.")
@click.option("--isolated", is_flag=True, help="Ignore all configuration files.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Lint many files in N processes.  [default: the number of CPUs]")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_TIMEOUT,
              metavar="SECONDS", show_default=True,
              help="Give up on a file that takes longer, with an error for it.")
@click.option("--statistics", is_flag=True,
              help="Print how many findings of each code instead of the findings.")
@click.option("--targets", "targets_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Training targets for the HC4xx rules (.npy, .npz with one array, .csv); "
                   "applies to the one model PATH given with it.")
@click.option("--show-heads", is_flag=True,
              help="Print each head checked: where, output, final activation, units, loss, "
                   "metrics (stdout in text formats, stderr in machine formats).")
def check(
    paths: tuple[str, ...],
    output_format: Optional[str],
    output_file: Optional[str],
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: Optional[str],
    config_file: Optional[str],
    isolated: bool,
    jobs: Optional[int],
    timeout: float,
    statistics: bool,
    targets_file: Optional[str],
    show_heads: bool,
) -> None:
    """Lint saved Keras models (.keras, .h5, SavedModel directories), sources and directories."""
    try:
        if isolated and config_file:
            raise ConfigError("--config and --isolated cannot be used together")
        settings = load_settings(config_file, isolated).override(
            select=check_codes(_codes(select), "--select"),
            ignore=check_codes(_codes(ignore), "--ignore"),
            extend_select=check_codes(_codes(extend_select), "--extend-select"),
            output_format=output_format,
            fail_on=None if fail_on is None else _fail_on(fail_on),
        )
    except ConfigError as exc:
        _error(str(exc))
        sys.exit(EXIT_ERROR)
    targets = _targets(targets_file, paths) if targets_file is not None else None
    found = list(dict.fromkeys(discover(paths)))  # in order, each path once
    if not found:
        click.echo("keras-headcheck: warning: no model files or sources found", err=True)
    with ProgressBar(len(found)) as progress:
        results = lint_paths(
            found, settings.rules(), targets, jobs=jobs, on_result=progress, timeout=timeout,
            show_heads=show_heads,
        )
    unreadable = [result for result in results if result.error]
    for result in unreadable:
        _error(f"{result.path}: {result.error}")
    findings = sort_findings(settings.apply(f for r in results for f in r.findings))
    fmt = settings.output_format or "full"
    reporter = stats.reporter_for(fmt) if statistics else get_reporter(fmt)
    if show_heads:  # machine formats keep stdout one document: the heads go to stderr there
        stream = sys.stdout if fmt in TEXT else sys.stderr
        report_heads((h for r in results for h in r.heads), stream)
    if not _write_report(reporter, findings, output_file):
        sys.exit(EXIT_ERROR)
    if fmt == "full" and not statistics:
        _summary(findings, len(unreadable))
    if unreadable:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if settings.fails(findings) else EXIT_CLEAN)


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


def _fail_on(value: str) -> tuple[str, ...]:
    names = [v.strip().lower() for v in value.split(",") if v.strip()]
    return () if names == ["none"] else parse_fail_on(names, "--fail-on")


def _write_report(reporter: Reporter, findings: list[Finding], output_file: Optional[str]) -> bool:
    if output_file is None:
        reporter(findings, sys.stdout)
        return True
    try:
        parent = os.path.dirname(output_file)
        if parent:
            os.makedirs(parent, exist_ok=True)
        with open(output_file, "w", encoding="utf-8") as stream:
            reporter(findings, stream)
    except OSError as exc:
        _error(f"{output_file}: cannot write the report ({exc.strerror or exc})")
        return False
    return True


def _summary(findings: list[Finding], unreadable: int) -> None:
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITIES}
    parts = [f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items() if n]
    line = f"Found {', '.join(parts)}." if findings else "All checked heads look right."
    if unreadable:  # never let a clean-sounding summary hide the paths that were not checked
        line += f" {unreadable} path{'s' if unreadable != 1 else ''} could not be read (see above)."
    click.echo(line, err=True)


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
