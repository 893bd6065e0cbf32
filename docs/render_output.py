"""Render the README's picture of real output: docs/output.svg, from an actual run.

    python docs/render_output.py            # rewrite docs/output.svg
    python docs/render_output.py --check    # exit 1 if docs/output.svg is not what a run gives

Runs `keras-headcheck check docs/demo/train.py` (colour forced, 100 columns), and turns its
terminal output (stdout, then the summary from stderr) into an SVG with rich's
`Console(record=True).save_svg`. tests/test_docs_pictures.py runs the check, so the picture cannot drift
from what the tool prints.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SVG = os.path.join(HERE, "output.svg")
COMMAND = ["check", "--isolated", "--color", "always", "docs/demo/train.py"]
WIDTH = 100
COLOR_FLAGS = ("--isolated", "--color", "always")  # left out of the command the picture shows


def terminal_output() -> str:
    env = {**os.environ, "COLUMNS": str(WIDTH), "PYTHONPATH": ROOT}
    env.pop("NO_COLOR", None)
    proc = subprocess.run(
        [sys.executable, "-m", "keras_headcheck", *COMMAND],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    return f"$ keras-headcheck {' '.join(c for c in COMMAND if c not in COLOR_FLAGS)}\n" + (
        proc.stdout + proc.stderr
    )


def render(path: str) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(record=True, width=WIDTH, file=open(os.devnull, "w"), force_terminal=True)
    console.print(Text.from_ansi(terminal_output()), soft_wrap=True)
    console.save_svg(path, title="keras-headcheck")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    if not args.check:
        render(SVG)
        print(f"wrote {os.path.relpath(SVG)}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        fresh = os.path.join(tmp, "output.svg")
        render(fresh)
        with open(fresh, encoding="utf-8") as a, open(SVG, encoding="utf-8") as b:
            same = a.read() == b.read()
    if not same:
        print("docs/output.svg is out of date: run `python docs/render_output.py`", file=sys.stderr)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
