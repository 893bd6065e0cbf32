"""How close real sources come to the source bounds (not run in CI):

    python benchmarks/source_bounds.py /work/devset/keras-io/examples /work/devset/keras-io/guides \\
        /work/devset/tfdocs/site/en /work/devset/dlwp

For every `.py` and `.ipynb` under the directories (skipping keras-io's generated `ipynb/` copies),
prints the largest file, the most code bytes, the most syntax-tree nodes and JSON values (limits.py),
and the largest value and most values built by the source interpreter (its budget, budget.py),
each with the file it comes from: the limits must stay far above these.
"""

from __future__ import annotations

import ast
import os
import sys
import warnings
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from keras_headcheck.readers import source  # noqa: E402
from keras_headcheck.readers.limits import json_values  # noqa: E402
from keras_headcheck.readers.source import budget  # noqa: E402
from keras_headcheck.readers.ipynb import code_cells  # noqa: E402
from keras_headcheck.readers.source.notebook import parse_notebook  # noqa: E402


def _files(roots: list[str]) -> list[str]:
    found = []
    for root in roots:
        for directory, _, names in os.walk(root):
            if "keras-io" in directory and os.path.basename(directory) == "ipynb":
                continue
            found += [os.path.join(directory, n) for n in names if n.endswith((".py", ".ipynb"))]
    return sorted(found)


def main() -> None:
    maxima: dict[str, tuple[int, str]] = {}

    def note(what: str, value: int, path: str) -> None:
        if value > maxima.get(what, (-1, ""))[0]:
            maxima[what] = (value, path)

    current = [""]
    admit = budget.Budget.admit

    def measured_admit(self: Any, value: Any) -> Any:
        size = budget.size_of(value, 10**9)
        if size is not None:
            note("largest value built", size, current[0])
        result = admit(self, value)
        note("values built for one file", budget.MAX_BUILT - self.left, current[0])
        return result

    budget.Budget.admit = measured_admit  # type: ignore[method-assign]
    warnings.simplefilter("ignore")
    files = _files(sys.argv[1:])
    unreadable = 0
    for path in files:
        current[0] = path
        raw = Path(path).read_bytes()
        note("file bytes", len(raw), path)
        try:
            if path.endswith(".ipynb"):
                note("notebook JSON values", json_values(raw), path)
                cells = code_cells(raw)  # the cells' bytes, as the reader's limit counts them
                code = sum(len(cell.original.encode("utf-8", "surrogatepass")) for cell in cells)
                tree = parse_notebook(path, cells).tree  # IPython syntax read as the reader does
            else:
                code, tree = len(raw), ast.parse(raw.decode("utf-8"))
            note("code bytes", code, path)
            note("syntax-tree nodes", sum(1 for _ in ast.walk(tree)), path)
            source.read_heads(path)
        except Exception:  # noqa: BLE001 - not valid Python: the linter reports those itself
            unreadable += 1
    print(f"{len(files)} files ({unreadable} not parsed)")
    for what, (value, path) in maxima.items():
        print(f"  {what:28s} {value:>10,d}  {path}")


if __name__ == "__main__":
    main()
