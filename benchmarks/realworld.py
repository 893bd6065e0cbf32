"""Real-world harness: lint trees of training scripts and notebooks, and say what was analysed.

    python benchmarks/realworld.py DIR... [--show-silent] [--show-not-checked] [--causes] [--json FILE]

For each DIR it finds every `.py` and `.ipynb` file (a folder named `ipynb` next to `.py` files is
skipped: keras-io generates those notebooks from the scripts), lints each one through the Python
API (`lint_path(..., show_heads=True)`, what `check --show-heads` prints), and, independently of
the linter, finds every `compile(...)` call site with the standard-library `ast` (notebook code
cells parsed one by one, their `!`/`%` lines blanked). Then, per DIR:

- compile sites: calls `X.compile(...)` (not `re.compile`, `tf.function`...);
- analysed: the linter attributed a head to that site that got a finding other than HC9xx, or no
  finding at all (a clean verdict);
- HC9xx only: every head attributed to the site got only HC9xx findings (what could not be read);
  of them, *loss only*: every such head got only HC902 (its head rules ran and passed, its loss is
  a custom one the rules cannot read); `--causes` groups these sites by what their HC9xx names;
- not checked: no head was attributed to the site, and the linter says why it deliberately did not
  check that compile (`--show-heads`: "compile of 'model' not checked: ..."): RULES.md reads a
  source in program order, so a compile replaced by another before the model is trained, the
  compile of a model only used inside another model and never trained by itself, or of a model
  only used to predict, is not checked;
- silent: no head was attributed to the site and the linter gave no reason (a defect);
- in unread files: the site is in a file the linter refused as a whole, with its reason (too
  large, not valid Python...): that reason is what it said about the site;
- files the linter could not read, with its reason;
- every error/warning as `file:line CODE message`, ready to triage.

See benchmarks/README.md for the dev set and the latest numbers.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from keras_headcheck.lint import Result, lint_path  # noqa: E402
from keras_headcheck.rules import RULES  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from target_facts import count as count_fits  # noqa: E402  (the fit sites that get label facts)

NOT_MODELS = frozenset({"re", "regex", "torch", "jax", "tf", "tensorflow", "xla", "numba"})
MAGIC = re.compile(r"^\s*[!%]")

Site = tuple[Optional[int], int]  # (notebook cell or None, line in it)


@dataclass
class FileReport:
    path: str
    sites: list[Site] = field(default_factory=list)
    unparsed_cells: list[int] = field(default_factory=list)  # cells plain `ast` cannot parse
    result: Optional[Result] = None


# --- compile sites, found without the linter ------------------------------------------------------
def _cells(path: str) -> Iterator[tuple[Optional[int], str]]:
    """(cell number counting every cell from 1, code) of a notebook; (None, text) of a script."""
    with open(path, "rb") as handle:
        raw = handle.read()
    if not path.endswith(".ipynb"):
        yield None, raw.decode("utf-8", errors="replace")
        return
    try:
        cells = json.loads(raw).get("cells", [])
    except (ValueError, AttributeError):
        return
    for number, cell in enumerate(cells, 1):
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            text = "".join(source) if isinstance(source, list) else str(source)
            if text.lstrip().startswith("%%") and not re.match(r"\s*%%(time|capture)\b", text):
                continue  # another interpreter's cell (%%bash, %%writefile...)
            yield number, "\n".join("" if MAGIC.match(l) else l for l in text.splitlines())


def _is_model_compile(call: ast.Call) -> bool:
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "compile"):
        return False
    receiver = func.value
    if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name):
        if receiver.func.id == "super":  # `super().compile()` inside a model's own compile
            return False
    if isinstance(receiver, ast.Call) and isinstance(receiver.func, (ast.Name, ast.Attribute)):
        callee = receiver.func.attr if isinstance(receiver.func, ast.Attribute) else receiver.func.id
        if callee == "Compiler":  # kfp's `compiler.Compiler().compile(pipeline_func, path)`
            return False
    while isinstance(receiver, ast.Attribute):
        receiver = receiver.value
    return not (isinstance(receiver, ast.Name) and receiver.id in NOT_MODELS)


def compile_sites(path: str, report: FileReport) -> None:
    for cell, code in _cells(path):
        try:
            tree = ast.parse(code)
        except (SyntaxError, ValueError):
            if cell is not None:
                report.unparsed_cells.append(cell)
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _is_model_compile(node):
                report.sites.append((cell, node.lineno))


# --- the linter's view ---------------------------------------------------------------------------
def lint(path: str) -> Result:
    return lint_path(path, list(RULES.values()), None, show_heads=True)


def site_verdicts(report: FileReport) -> dict[Site, str]:
    """"analysed" | "hc9" | "not_checked" | "unread" | "silent" per compile site."""
    if report.result is not None and report.result.error:  # the whole file refused, and why
        return {site: "unread" for site in report.sites}
    codes: dict[Site, list[tuple[str, ...]]] = {}
    not_checked: set[Site] = set()
    for view in report.result.views if report.result else ():
        if view.compile_line is None:
            continue
        site = (view.compile_cell, view.compile_line)
        if view.not_checked is not None:  # a compile the linter says it did not check, and why
            not_checked.add(site)
        else:
            codes.setdefault(site, []).append(view.codes)
    verdicts = {}
    for site in report.sites:
        heads = codes.get(site)
        if not heads:
            verdicts[site] = "not_checked" if site in not_checked else "silent"
        elif any(not c or any(not code.startswith("HC9") for code in c) for c in heads):
            verdicts[site] = "analysed"
        else:
            verdicts[site] = "hc9"
    return verdicts


def site_causes(report: FileReport, verdicts: dict[Site, str]) -> dict[Site, tuple[str, ...]]:
    """What the HC9xx findings of each "HC9xx only" site (`verdicts`: site_verdicts' of the
    report) name: the construct an HC901 says it could not interpret (`subclassed model `VAE`
    ...`), or "custom loss" for an HC902."""
    causes: dict[Site, tuple[str, ...]] = {}
    for site in (s for s, v in verdicts.items() if v == "hc9"):
        views = [v for v in report.result.views
                 if (v.compile_cell, v.compile_line) == site and v.not_checked is None]
        outputs = {v.output for v in views}
        spots = {(v.cell, v.line) for v in views}  # a construct built twice is reported once
        found = {_cause(f.code, f.message) for f in report.result.findings
                 if f.code.startswith("HC9") and (f.output in outputs or (f.cell, f.line) in spots)}
        causes[site] = tuple(sorted(found)) or ("(no HC9xx matched by output)",)
    return causes


CAUSE = re.compile(r"comes from `[^`]*` \((.*)\), which cannot be interpreted")


def _cause(code: str, message: str) -> str:
    if code == "HC902":
        return "custom loss (HC902)"
    match = CAUSE.search(message)
    text = match.group(1) if match else message
    text = re.sub(r"`[^`]*`", "`X`", text)  # class and layer names differ; the construct is alike
    return f"{code} {re.sub(r' [(:].*', '', text)[:70]}"


def _location(path: str, finding: Any) -> str:
    cell = getattr(finding, "cell", None)
    if cell is not None:
        return f"{path}:cell {cell}:{finding.line}"
    return f"{path}:{finding.line}" if finding.line else path


# --- walking and printing ------------------------------------------------------------------------
def files_in(root: str) -> list[str]:
    found = []
    for folder, dirs, files in os.walk(root):
        has_scripts = any(f.endswith(".py") for f in files)
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and not (d == "ipynb" and has_scripts)
        )
        found.extend(os.path.join(folder, f) for f in files if f.endswith((".py", ".ipynb")))
    return sorted(found)


def run_directory(root: str) -> dict[str, Any]:
    reports = []
    for path in files_in(root):
        report = FileReport(path)
        compile_sites(path, report)
        report.result = lint(path)
        reports.append(report)
    judged = [(r, site_verdicts(r)) for r in reports]  # once per file: read below thrice
    verdicts = Counter(v for _, by_site in judged for v in by_site.values())
    causes = [(r, s, c) for r, by_site in judged if r.result
              for s, c in site_causes(r, by_site).items()]

    def where(report: FileReport, site: Site) -> str:
        cell = f"cell {site[0]}:" if site[0] else ""
        return f"{os.path.relpath(report.path, root)}:{cell}{site[1]}"

    def sites(verdict: str) -> list[str]:
        return [where(r, s) for r, by_site in judged for s, v in by_site.items() if v == verdict]

    fits, with_facts = count_fits([root])
    alarms = [
        f"{_location(os.path.relpath(r.path, root), f)} {f.code} [{f.severity}] {f.message}"
        for r in reports
        if r.result
        for f in r.result.findings
        if f.is_failure
    ]
    return {
        "directory": root,
        "files": len(reports),
        "compile_sites": sum(len(r.sites) for r in reports),
        "analysed": verdicts["analysed"],
        "hc9_only": verdicts["hc9"],
        "loss_only": sum(1 for _, _, c in causes if c == ("custom loss (HC902)",)),
        "causes": dict(Counter(" + ".join(c) for _, _, c in causes).most_common()),
        "not_checked": verdicts["not_checked"],
        "silent": verdicts["silent"],
        "unread_sites": verdicts["unread"],
        "silent_sites": sites("silent"),
        "not_checked_sites": sites("not_checked"),
        "hc9_sites": [f"{where(r, s)} {' + '.join(c)}" for r, s, c in causes],
        "unreadable": [
            f"{os.path.relpath(r.path, root)}: {r.result.error}"
            for r in reports
            if r.result and r.result.error
        ],
        "cells_not_parsed_by_ast": sum(len(r.unparsed_cells) for r in reports),
        "codes": dict(
            Counter(f.code for r in reports if r.result for f in r.result.findings).most_common()
        ),
        "alarms": alarms,
        "fit_sites": len(fits),
        "fit_sites_with_targets": len(with_facts),
    }


def print_summary(
    summary: dict[str, Any], show_silent: bool, show_not_checked: bool, show_causes: bool = False,
    show_hc9: bool = False,
) -> None:
    print(f"== {summary['directory']}: {summary['files']} files")
    print(
        f"   compile sites {summary['compile_sites']}: analysed {summary['analysed']}, "
        f"HC9xx only {summary['hc9_only']} (loss only {summary['loss_only']}), not checked (replaced before fit / never trained) "
        f"{summary['not_checked']}, silent {summary['silent']}, "
        f"in unread files {summary['unread_sites']}"
    )
    print(f"   findings by code: {summary['codes']}")
    print(f"   fit sites {summary['fit_sites']}: with target facts {summary['fit_sites_with_targets']}")
    if show_silent:
        for site in summary["silent_sites"]:
            print(f"   silent: {site}")
    if show_not_checked:
        for site in summary["not_checked_sites"]:
            print(f"   not checked: {site}")
    if show_hc9:
        for site in summary["hc9_sites"]:
            print(f"   HC9xx only: {site}")
    if show_causes:
        for cause, count in summary["causes"].items():
            print(f"   HC9xx only, {count:3d} sites: {cause}")
    print(f"   could not be read: {len(summary['unreadable'])}")
    for line in summary["unreadable"]:
        print(f"     {line}")
    print(f"   errors and warnings: {len(summary['alarms'])}")
    for line in summary["alarms"]:
        print(f"     {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dirs", nargs="+", metavar="DIR")
    parser.add_argument("--json", metavar="FILE", help="also write the summaries as JSON")
    parser.add_argument("--show-silent", action="store_true", help="list the silent sites")
    parser.add_argument(
        "--show-not-checked", action="store_true", help="list the sites not checked on purpose"
    )
    parser.add_argument(
        "--causes", action="store_true", help="group the HC9xx-only sites by what they name"
    )
    parser.add_argument(
        "--show-hc9", action="store_true", help="list the HC9xx-only sites with their causes"
    )
    args = parser.parse_args()
    summaries = [run_directory(d) for d in args.dirs]
    for summary in summaries:
        print_summary(
            summary, args.show_silent, args.show_not_checked, args.causes, args.show_hc9
        )
    keys = ("files", "compile_sites", "analysed", "hc9_only", "loss_only", "not_checked", "silent",
            "unread_sites", "fit_sites", "fit_sites_with_targets")
    total = {k: sum(s[k] for s in summaries) for k in keys}
    unreadable = sum(len(s["unreadable"]) for s in summaries)
    alarms = sum(len(s["alarms"]) for s in summaries)
    print(
        f"== total: {total['files']} files, {total['compile_sites']} compile sites: analysed "
        f"{total['analysed']}, HC9xx only {total['hc9_only']} (loss only {total['loss_only']}), "
        f"not checked "
        f"{total['not_checked']}, silent {total['silent']}, in unread files {total['unread_sites']}; "
        f"{unreadable} files could not be read; {alarms} errors and warnings; "
        f"{total['fit_sites_with_targets']} of {total['fit_sites']} fit sites with target facts"
    )
    if args.causes:
        merged: Counter[str] = Counter()
        for summary in summaries:
            merged.update(summary["causes"])
        print("== HC9xx-only sites by cause, all directories:")
        for cause, count in merged.most_common():
            print(f"   {count:3d}  {cause}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(summaries, handle, indent=1)


if __name__ == "__main__":
    main()
