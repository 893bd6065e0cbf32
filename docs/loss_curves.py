"""The README's second picture: the seed question's flat loss curve beside the fixed model's.

    python docs/loss_curves.py [--epochs 30] [--out docs/loss_curves.svg]

Trains two tiny models on the same synthetic binary problem (1,000 samples, 20 features, labels
from a random linear rule), with the same seed and optimizer:

    broken: Dense(1, activation="softmax") + mse   (HC101, HC203: softmax of one unit is 1.0)
    fixed:  Dense(1, activation="sigmoid") + binary_crossentropy

and draws both loss curves into an SVG by hand (no plotting library). The broken model's loss
does not move at all: its output is 1.0 whatever the weights, so the gradient is zero.
"""

from __future__ import annotations

import argparse
import os
from typing import Any, Sequence

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

HERE = os.path.dirname(os.path.abspath(__file__))
W, H, PAD = 640, 300, 48


def data(seed: int = 0) -> tuple[Any, Any]:
    import numpy as np

    rng = np.random.default_rng(seed)
    x = rng.normal(size=(1000, 20)).astype("float32")
    y = (x @ rng.normal(size=20) > 0).astype("float32")
    return x, y


def histories(epochs: int) -> dict[str, list[float]]:
    import keras

    x, y = data()
    curves = {}
    for name, activation, loss in (("broken: softmax + mse", "softmax", "mse"),
                                   ("fixed: sigmoid + binary_crossentropy", "sigmoid",
                                    "binary_crossentropy")):  # fmt: skip
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(16, activation="relu"),
                                  keras.layers.Dense(1, activation=activation)])
        model.compile(optimizer=keras.optimizers.Adam(1e-2), loss=loss)
        fit = model.fit(x, y, epochs=epochs, batch_size=64, verbose=0)
        curves[name] = [float(v) for v in fit.history["loss"]]
    return curves


def svg(curves: dict[str, Sequence[float]]) -> str:
    top = max(max(c) for c in curves.values()) * 1.1
    epochs = max(len(c) for c in curves.values())
    sx = lambda i: PAD + i * (W - 2 * PAD) / max(1, epochs - 1)  # noqa: E731
    sy = lambda v: H - PAD - v * (H - 2 * PAD) / top  # noqa: E731
    colours = ["#d62728", "#2ca02c"]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" '
             f'font-family="sans-serif" font-size="12">',
             f'<rect width="{W}" height="{H}" fill="white"/>',
             f'<line x1="{PAD}" y1="{H - PAD}" x2="{W - PAD}" y2="{H - PAD}" stroke="black"/>',
             f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{H - PAD}" stroke="black"/>',
             f'<text x="{W / 2}" y="{H - 12}" text-anchor="middle">epoch (1 to {epochs})</text>',
             f'<text x="14" y="{H / 2}" transform="rotate(-90 14 {H / 2})" '
             f'text-anchor="middle">training loss</text>']
    for k in range(5):
        value = top * k / 4
        parts.append(f'<text x="{PAD - 6}" y="{sy(value) + 4:.1f}" text-anchor="end">'
                     f'{value:.2f}</text>')
    for (name, curve), colour, row in zip(curves.items(), colours, range(len(curves))):
        points = " ".join(f"{sx(i):.1f},{sy(v):.1f}" for i, v in enumerate(curve))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" '
                     f'stroke-width="2.5"/>')
        parts.append(f'<text x="{W - PAD}" y="{PAD + 16 * row}" text-anchor="end" '
                     f'fill="{colour}">{name}: {curve[0]:.3f} → {curve[-1]:.3f}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--out", default=os.path.join(HERE, "loss_curves.svg"))
    args = parser.parse_args()
    curves = histories(args.epochs)
    with open(args.out, "w", encoding="utf-8") as handle:
        handle.write(svg(curves))
    for name, curve in curves.items():
        print(f"{name}: loss {curve[0]:.4f} -> {curve[-1]:.4f} over {len(curve)} epochs")
    print(f"wrote {os.path.relpath(args.out)}")


if __name__ == "__main__":
    main()
