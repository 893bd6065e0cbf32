"""`--output-format full` (the default): grouped by file and output, colours, the fix under each."""

from __future__ import annotations

from itertools import groupby
from typing import TextIO

from rich.console import Console
from rich.markup import escape

from ..findings import Finding
from .concise import location

COLOURS = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}


def report(findings: list[Finding], stream: TextIO) -> None:
    console = Console(file=stream, highlight=False, soft_wrap=True)
    for filename, in_file in groupby(findings, key=lambda f: f.filename):
        console.print(f"[bold]{escape(filename)}[/]")
        for output, in_output in groupby(in_file, key=lambda f: f.output):
            console.print(f"  output [bold]{escape(output)}[/]")
            for f in in_output:
                colour = COLOURS[f.severity]
                where = f" {escape(location(f))}" if f.line else ""
                # Messages name their layer; say which one only when the message does not.
                layer = "" if f"`{f.layer}`" in f.message else f" [dim](layer {escape(f.layer)})[/]"
                console.print(
                    f"    [{colour}]{f.severity}[/] [bold]{f.code}[/] [dim]{f.name}[/]{where}\n"
                    f"      {escape(f.message)}{layer}\n"
                    f"      [green]help:[/] {escape(f.fix)}"
                )
        console.print()
