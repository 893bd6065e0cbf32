"""The command line: `keras-headcheck check PATH...` and `keras-headcheck rule CODE`."""

from __future__ import annotations

import sys
from typing import NoReturn, Optional, Sequence

import click

from . import __version__
from .config import ConfigError, settings_for_flags
from .lint import MODEL_SUFFIXES, Result, lint_source_bytes, sort_findings, walk
from .output import (
    FORMATS, TEXT_FORMATS, Context, Reporter, Unreadable, get_reporter, write_report,
)
from .fixing import Outcome, fix_results, fix_tally, unified_diff, wanted
from .output.fixes_shown import by_file, listing
from .output.summary import FixTally, Tally, diff_line, summary_line
from .progress import ProgressBar
from .rules import RULES
from .runner import DEFAULT_TIMEOUT, lint_planned
from .shown import report_heads
from .targets import TargetError
from .targets.files import targets_plan

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
STATISTICS_FORMATS = ("full", "concise", "json", "json-lines")  # formats with a place for counts


def _error(message: str) -> None:
    click.echo(f"keras-headcheck: error: {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="keras-headcheck")
def main() -> None:
    """Catch mistakes in the output layer ("head") of Keras models."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
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
              help="Give up on a file that takes longer, with an error for it (with --fix, "
                   "also on its fix passes: the file is then left unchanged).")
@click.option("--statistics", is_flag=True,
              help="Print how many findings of each code instead of the findings "
                   "(full, concise, json and json-lines formats).")
@click.option("--targets", "targets_options", multiple=True, metavar="[MODEL=]FILE",
              help="Training targets for the HC4xx rules (.npy, .npz with one array, .csv): "
                   "FILE for the one model checked, or MODEL=FILE for each of several.")
# -- ruff's options, where they mean the same ------------------------------------------------
@click.option("--stdin-filename", metavar="NAME",
              help="The name of the source read from stdin (PATH `-`), used in findings.")
@click.option("--exit-zero", is_flag=True,
              help="Exit 0 even with findings (unreadable paths still exit 2).")
@click.option("--quiet", "-q", is_flag=True, help="Print findings only: no summary.")
@click.option("--show-files", is_flag=True,
              help="List the files that would be checked (and, on stderr, what is skipped).")
@click.option("--exclude", multiple=True, metavar="GLOBS",
              help="Skip these in directory searches, instead of the default list.")
@click.option("--extend-exclude", multiple=True, metavar="GLOBS",
              help="Skip these in directory searches, beside the default list.")
@click.option("--respect-gitignore/--no-respect-gitignore", default=None,
              help="Skip what .gitignore ignores.  [default: respect]")
@click.option("--show-heads", is_flag=True,
              help="Print each head checked: where, output, final activation, units, loss, "
                   "metrics (stdout in text formats, stderr in machine formats).")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              help="Colour in text output.  [default: auto: on a terminal, unless NO_COLOR]")
@click.option("--fix/--no-fix", default=None,
              help="Apply the safe fixes to the sources (never to model files), then report what "
                   "remains. With `-`, print the fixed source. --no-fix overrides `fix = true` "
                   "in the config.")
@click.option("--unsafe-fixes/--no-unsafe-fixes", default=None,
              help="Apply (or show as fixable) the unsafe fixes too: edits whose rightness depends "
                   "on what the tool cannot see, such as the targets. --no-unsafe-fixes "
                   "overrides `unsafe-fixes = true` in the config and hides the hint about them.")
@click.option("--show-fixes/--no-show-fixes", default=None,
              help="List the fixes applied per file and code (with --fix), or those --diff "
                   "would apply, or those --fix could apply.")
@click.option("--diff", is_flag=True,
              help="Print the changes --fix would make as a unified diff and change nothing "
                   "(exit 1 when there are changes, 0 when none).")
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
    targets_options: tuple[str, ...],
    stdin_filename: Optional[str],
    exit_zero: bool,
    quiet: bool,
    show_files: bool,
    exclude: tuple[str, ...],
    extend_exclude: tuple[str, ...],
    respect_gitignore: Optional[bool],
    color: str,
    show_heads: bool,
    fix: Optional[bool],
    unsafe_fixes: Optional[bool],
    show_fixes: Optional[bool],
    diff: bool,
) -> None:
    """Lint saved Keras models (.keras, .h5, SavedModel directories), sources and directories.

    With no PATH, the current directory is checked; `-` reads a Python source from stdin."""
    try:
        settings = settings_for_flags(
            config_file, isolated, select, ignore, extend_select, fail_on, exclude,
            extend_exclude, output_format=output_format, respect_gitignore=respect_gitignore,
            fix=fix, unsafe_fixes=unsafe_fixes, show_fixes=show_fixes,
        )
    except ConfigError as exc:
        _error_exit(str(exc))
    fix, unsafe_fixes, show_fixes = settings.fix, settings.unsafe_fixes is True, settings.show_fixes
    hint_unsafe = settings.unsafe_fixes is None  # false, as ruff's: no hint about unsafe fixes
    fmt = settings.output_format or "full"
    if statistics and fmt not in STATISTICS_FORMATS:  # statistics.py holds the same list
        _error_exit(f"--statistics cannot be used with --output-format {fmt} "
                    f"(use one of {', '.join(STATISTICS_FORMATS)})")
    stdin = "-" in paths or (stdin_filename is not None and not paths)
    named = tuple(p for p in paths if p != "-")
    found = walk(named or (() if stdin else (".",)), settings.walk_options())
    if show_files:
        _show_files(found.paths, found.skipped, stdin_filename if stdin else None)
        sys.exit(EXIT_CLEAN)
    stdin_name = stdin_filename or "-"
    if stdin and stdin_name.endswith(MODEL_SUFFIXES):
        _error_exit(f"--stdin-filename {stdin_name}: stdin holds a Python source, not a model")
    checked = found.paths + ([stdin_name] if stdin else [])
    try:
        plan = targets_plan(targets_options, checked, len(paths))
    except TargetError as exc:
        _error_exit(str(exc))
    with ProgressBar(len(found.paths)) as progress:
        results = lint_planned(found.paths, settings.rules(), plan, jobs, progress, timeout,
                               show_heads)
    sources: dict[str, bytes] = {}  # the source read from stdin, by name: quoted, fixed
    if stdin:
        sources[stdin_name] = sys.stdin.buffer.read()
        results.append(lint_source_bytes(sources[stdin_name], stdin_name, settings.rules(),
                                         plan.get(stdin_name), show_heads=show_heads))
    outcome = Outcome(results, [])
    if fix or diff:  # a source from stdin is fixed in `sources`, never written
        outcome = fix_results(results, settings.rules(), settings.apply, plan.get, unsafe_fixes,
                              write_back=not diff, sources=sources, timeout=timeout)
        results = outcome.results
    sources.update((path, fixed.after) for path, fixed in outcome.changed if path in sources)
    stdin_text = {path: raw.decode("utf-8", "replace") for path, raw in sources.items()}
    if diff:
        _exit_after_diff(outcome, outcome.tally(unsafe_fixes, hint_unsafe), quiet, show_fixes)
    unreadable = _unreadable(results)
    findings = sort_findings(settings.apply(f for r in results for f in r.findings))
    tally_fixes = (outcome.tally(unsafe_fixes, hint_unsafe) if fix
                   else fix_tally(findings, unsafe_fixes, hint_unsafe))
    # `[*]` marks only what --fix would apply; `help:` names every fix, an unsafe one with a note
    context = Context(unreadable, color, stdin_text, unsafe_fixes=unsafe_fixes,
                      unsafe_hint=hint_unsafe)
    reporter = _statistics_reporter(fmt) if statistics else get_reporter(fmt)
    if show_heads:  # machine formats keep stdout one document: the heads go to stderr there
        stream = sys.stdout if fmt in TEXT_FORMATS else sys.stderr
        report_heads((h for r in results for h in r.views), stream)
    if fix and stdin:  # like ruff: the fixed source on stdout, the report beside the summary
        click.echo(stdin_text[stdin_name], nl=False)
    problem = write_report(reporter, findings, output_file, context,
                           sys.stderr if fix and stdin else sys.stdout)
    if problem:
        _error_exit(problem)
    if show_fixes:  # after the findings, as ruff's; machine formats keep stdout one document
        shown = listing("fixed", outcome.applied) if fix else listing("fixable", by_file(
            wanted(findings, unsafe_fixes)))
        click.echo(shown, nl=False, err=fmt not in TEXT_FORMATS or (fix and stdin))
    if fmt in TEXT_FORMATS and not quiet:
        tally = Tally(len(results) - len(unreadable), sum(r.heads for r in results), len(unreadable),
                      {(r.path, *key): outputs for r in results for key, outputs in r.shared},
                      sum(r.unchecked for r in results))
        click.echo(summary_line(tally, findings, tally_fixes), err=True)
    _exit(unreadable, settings.fails(findings) and not exit_zero)


def _statistics_reporter(fmt: str) -> Reporter:
    from .output.statistics import reporter_for  # imported only when asked for

    return reporter_for(fmt)


def _error_exit(message: str) -> NoReturn:
    _error(message)
    sys.exit(EXIT_ERROR)


def _show_files(paths: list[str], skipped: list[tuple[str, str]], stdin: Optional[str]) -> None:
    for path in paths + ([stdin or "-"] if stdin is not None else []):
        click.echo(path)
    for path, why in skipped:
        click.echo(f"skipped {path} ({why})", err=True)


def _exit_after_diff(outcome: Outcome, fixes: FixTally, quiet: bool, show_fixes: bool) -> NoReturn:
    """--diff: print the diff, say what it holds (and, with --show-fixes, which fixes); exit 1
    when it changes anything."""
    for path, fixed in outcome.changed:
        click.echo(unified_diff(path, fixed.before, fixed.after), nl=False)
    unreadable = _unreadable(outcome.results)
    if show_fixes:
        click.echo(listing("would", outcome.applied), nl=False, err=True)
    if not quiet:
        click.echo(diff_line(fixes), err=True)
    _exit(unreadable, fixes.fixed > 0)


def _unreadable(results: list[Result]) -> tuple[Unreadable, ...]:
    """The paths that could not be read (or fixed), each named on stderr."""
    unreadable = tuple(Unreadable(r.path, r.error) for r in results if r.error)
    for entry in unreadable:
        _error(f"{entry.path}: {entry.reason}")
    return unreadable


def _exit(unreadable: Sequence[Unreadable], failed: bool) -> NoReturn:
    """2 whenever a path could not be read (never hidden, not even by --exit-zero), else 1 when
    `failed`, else 0."""
    sys.exit(EXIT_ERROR if unreadable else EXIT_FINDINGS if failed else EXIT_CLEAN)


@main.command()
def server() -> None:
    """Run the language server (LSP over stdin/stdout) for editors: findings as diagnostics."""
    try:  # imported here: `check` never pays for pygls
        import pygls  # noqa: F401
    except ImportError:
        _error_exit('the language server needs pygls: pip install "keras-headcheck[server]"')
    from .server import serve

    serve()


@main.command()
@click.argument("code", required=False)
@click.option("--all", "show_all", is_flag=True, help="Show every rule.")
def rule(code: Optional[str], show_all: bool) -> None:
    """Print the documentation of a rule (or of all rules)."""
    from .docs import all_rules_markdown, rule_markdown

    if show_all:
        click.echo(all_rules_markdown())
        return
    if not code:
        _error_exit("give a rule CODE or --all")
    r = RULES.get(code.upper())
    if r is None:
        _error_exit(f"unknown rule code {code!r} (see `keras-headcheck rule --all`)")
    click.echo(rule_markdown(r))
