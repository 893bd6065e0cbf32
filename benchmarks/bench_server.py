"""Benchmark: how soon `keras-headcheck server` answers an edit of a 1,000-line training script.

    python benchmarks/bench_server.py [--runs N] [--lines L]

The server is started over stdio as an editor starts it, the script is opened, then --runs (40)
edits are sent one at a time (`textDocument/didChange`, one line changed, alternately making and
fixing a `from_logits=True` mistake); for each, the time from sending the edit to receiving the
`textDocument/publishDiagnostics` for that version. That time includes the server's debounce
(app.DEBOUNCE_SECONDS) and the protocol's round trip, as an editor sees it. In the same run, two
baselines on the same text: the in-process lint alone (lint.lint_source_bytes, what the server
calls; after each edit's answer, on the edited text, taking turns), and `keras-headcheck check
FILE` as a process. Then a burst: 10 edits 20 ms apart, the
time from the last to its diagnostics and how many lints were published (the debounce at work).

Target (issue 16): the answer to a change of a 1,000-line script within 200 ms. This is a
benchmark, not a test: the numbers depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from lsprotocol import types
from pygls.lsp.client import LanguageClient

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
TARGET_MS = 200.0
MISTAKE = "              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),"
CORRECT = "              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=False),"


def training_script(lines: int) -> str:
    """A realistic long script: a helper block, many named layers, a compile with HC201."""
    head = [
        '"""Train a deep classifier (generated for the benchmark)."""', "import keras",
        "from keras import layers", "", "", "def block(x, units):",
        '    x = layers.Dense(units, activation="relu")(x)',
        "    x = layers.BatchNormalization()(x)", "    return layers.Dropout(0.1)(x)", "", "",
        "inputs = keras.Input(shape=(64,))", "x = inputs",
    ]  # fmt: skip
    tail = [
        'outputs = layers.Dense(10, activation="softmax", name="probs")(x)',
        "model = keras.Model(inputs, outputs)", 'model.compile(optimizer="adam",', MISTAKE,
        '              metrics=["accuracy"])', "model.fit(x_train, y_train, epochs=3)", "",
    ]  # fmt: skip
    body: list[str] = []
    stage = 0
    while len(head) + len(body) + len(tail) < lines:
        stage += 1
        body += [f"# stage {stage}",
                 f'x = layers.Dense({32 + stage % 64}, activation="relu", name="dense_{stage}")(x)',
                 f'x = layers.LayerNormalization(name="norm_{stage}")(x)',
                 f"x = block(x, {16 + stage % 32})"]  # fmt: skip
    return "\n".join(head + body[: lines - len(head) - len(tail)] + tail)


class Client(LanguageClient):
    def __init__(self) -> None:
        super().__init__("bench-server", "1")
        self.arrived: dict[int, float] = {}  # version -> when its diagnostics came
        self.published: list[int] = []
        self.changed = asyncio.Event()

        @self.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(ls: Client, params: types.PublishDiagnosticsParams) -> None:
            ls.arrived[params.version or 0] = time.perf_counter()
            ls.published.append(params.version or 0)
            ls.changed.set()

    async def wait_for(self, version: int) -> float:
        while version not in self.arrived:
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), timeout=60)
        return self.arrived[version]

    def change(self, uri: str, version: int, line: int, old: str, new: str) -> None:
        where = types.Range(types.Position(line, 0), types.Position(line, len(old)))
        self.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangePartial(range=where, text=new)],
        ))  # fmt: skip


async def server_times(
    path: Path, text: str, runs: int, baseline: Callable[[str], float]
) -> tuple[list[float], list[float], float, int]:
    """The server's answer to each edit, and the baseline on the same edited text right after
    it (taking turns, so that load on the machine hits both alike)."""
    client = Client()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    await client.start_io(sys.executable, "-m", "keras_headcheck", "server", env=env)
    await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities()))
    client.initialized(types.InitializedParams())
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)))
    await client.wait_for(1)
    line = text.splitlines().index(MISTAKE)
    current, times, alone = MISTAKE, [], []
    lines = text.splitlines()
    for version in range(2, runs + 2):
        new = CORRECT if current == MISTAKE else MISTAKE
        sent = time.perf_counter()
        client.change(uri, version, line, current, new)
        times.append((await client.wait_for(version) - sent) * 1000)
        current = new
        lines[line] = new
        alone.append(baseline("\n".join(lines)))
    burst_first, before = runs + 2, len(client.published)
    for version in range(burst_first, burst_first + 10):
        new = CORRECT if current == MISTAKE else MISTAKE
        sent = time.perf_counter()
        client.change(uri, version, line, current, new)
        current = new
        await asyncio.sleep(0.02)
    last = burst_first + 9
    burst_ms = (await client.wait_for(last) - sent) * 1000
    lints = len(client.published) - before
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return times, alone, burst_ms, lints


def in_process_lint() -> Callable[[str], float]:
    """The lint of a text alone, as the server calls it: milliseconds for one text."""
    from keras_headcheck.config import Settings
    from keras_headcheck.lint import lint_source_bytes

    rules = Settings().rules()

    def lint_once(text: str) -> float:
        started = time.perf_counter()
        lint_source_bytes(text.encode(), "train.py", rules)
        return (time.perf_counter() - started) * 1000

    lint_once("import keras\n")  # warm-up: imports
    return lint_once


def cli_times(path: Path, runs: int) -> list[float]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "keras_headcheck", "check", "-q", str(path)]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=False)
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--lines", type=int, default=1000)
    args = parser.parse_args()
    text = training_script(args.lines)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "train.py"
        path.write_text(text, encoding="utf-8")
        server, alone, burst_ms, lints = asyncio.run(
            server_times(path, text, args.runs, in_process_lint())
        )
        cli = cli_times(path, max(5, args.runs // 4))
    from keras_headcheck.server.app import DEBOUNCE_SECONDS

    median = statistics.median(server)
    print(f"{len(text.splitlines())}-line script, {args.runs} edits, debounce "
          f"{DEBOUNCE_SECONDS * 1000:.0f} ms")
    print(f"  server: didChange -> publishDiagnostics  median {median:7.1f} ms  "
          f"max {max(server):7.1f} ms")
    print(f"  lint of the text alone (in process)     median {statistics.median(alone):7.1f} ms  "
          f"max {max(alone):7.1f} ms")
    print(f"  keras-headcheck check FILE (a process)  median {statistics.median(cli):7.1f} ms  "
          f"max {max(cli):7.1f} ms")
    print(f"  ratios: server / lint alone {median / statistics.median(alone):.2f}x, "
          f"server / check process {median / statistics.median(cli):.2f}x")
    print(f"  burst of 10 edits 20 ms apart: last edit answered in {burst_ms:.1f} ms, "
          f"{lints} lint(s) published")
    verdict = "met" if median <= TARGET_MS else "NOT met"
    print(f"  target: answer within {TARGET_MS:.0f} ms: median {verdict}"
          f"{'' if max(server) <= TARGET_MS else f' (max {max(server):.0f} ms over it)'}")


if __name__ == "__main__":
    main()
