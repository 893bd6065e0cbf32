"""The README's pictures are made from real runs by scripts in docs/: they must match what the
scripts make now, so a change of the output cannot leave a stale picture behind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_output_svg_is_what_a_run_prints() -> None:
    proc = subprocess.run([sys.executable, "docs/render_output.py", "--check"], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_output_svg_shows_the_findings() -> None:
    svg = (ROOT / "docs" / "output.svg").read_text()
    for text in ("HC101", "HC203", "softmax-on-single-unit", "help", "Checked&#160;1&#160;head"):
        assert text in svg, text


def test_the_seed_model_loss_is_flat_and_the_fixed_one_learns() -> None:
    """What docs/loss_curves.svg shows, from a real (short) training run."""
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        import loss_curves
    finally:
        sys.path.remove(str(ROOT / "docs"))
    broken, fixed = loss_curves.histories(epochs=3).values()
    assert broken[0] == broken[-1]  # softmax over one unit is 1.0: no gradient, no change
    assert fixed[-1] < fixed[0]
    assert "polyline" in loss_curves.svg({"a": broken, "b": fixed})
