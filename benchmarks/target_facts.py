"""How many `fit` calls of real training code get target facts from the source reader (issue 11).

    python benchmarks/target_facts.py PATH... [--list]

For every `.py` and notebook under the paths (the generated `ipynb/` copies of keras-io skipped),
counts the `model.fit(...)` calls of compiled models the interpreter found, and how many of them
got target facts (labels followed back to a loader, an encoder or a dataset) for at least one
output. `--list` prints each fit with facts and what its labels are. A diagnostic, not a test.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Iterator

from keras_headcheck.readers.errors import ReadError
from keras_headcheck.readers.ipynb import code_cells
from keras_headcheck.readers.source import _decode, _parse_source, read_heads
from keras_headcheck.readers.source.interpreter import Interpreter
from keras_headcheck.readers.source.notebook import parse_notebook


def fit_lines(path: str) -> set[int]:
    """The lines of the `fit` calls of compiled models in a file (read errors: none)."""
    with open(path, "rb") as handle:
        raw = handle.read()
    try:
        if path.endswith(".ipynb"):
            tree = parse_notebook(path, code_cells(raw)).tree
        else:
            tree = _parse_source(_decode(raw), path)[0]
    except ReadError:
        return set()
    return {fit.span.first for model in Interpreter(path).run(tree) for fit in model.fits}


def sources(paths: list[str]) -> Iterator[str]:
    for root in paths:
        if os.path.isfile(root):
            yield root
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "ipynb")
            yield from (os.path.join(folder, f) for f in sorted(files) if f.endswith((".py", ".ipynb")))


def count(paths: list[str]) -> tuple[set[tuple[str, int]], dict[tuple[str, int], list[str]]]:
    """The `fit` calls of compiled models under `paths`, and what is known of the labels of each
    that got target facts."""
    fits: set[tuple[str, int]] = set()
    with_facts: dict[tuple[str, int], list[str]] = {}
    for path in sources(paths):
        try:
            heads = read_heads(path)
        except ReadError:
            continue
        except Exception:  # an internal error: the lint pass lists the file as unreadable
            continue
        fits |= {(path, line) for line in fit_lines(path)}
        for head in heads:
            for t in head.targets:
                with_facts.setdefault((path, t.line), []).append(
                    f"{head.output}: {t.format or '?'} ({t.describe()}) from {t.source}"
                )
    return fits, with_facts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--list", action="store_true")
    options = parser.parse_args()
    fits, with_facts = count(options.paths)
    if options.list:
        for (path, line), facts in sorted(with_facts.items()):
            print(f"{path}:{line}: " + "; ".join(dict.fromkeys(facts)))
    print(f"{len(fits)} fit calls of compiled models, {len(with_facts)} with target facts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
