"""Colour for the text formats: ANSI SGR codes, only when wanted (no rich: start-up matters).

`auto` colours a terminal unless NO_COLOR is set (https://no-color.org); FORCE_COLOR colours a
pipe; `always` and `never` are the user's word and win over both.
"""

from __future__ import annotations

import os
from typing import TextIO

CODES = {
    "bold": "1", "dim": "2", "red": "1;31", "yellow": "1;33", "cyan": "1;36", "green": "32",
    "blue": "1;34",
}  # fmt: skip
SEVERITY_STYLE = {"error": "red", "warning": "yellow", "info": "cyan"}


def use_color(choice: str, stream: TextIO) -> bool:
    if choice in ("always", "never"):
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


class Painter:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, style: str) -> str:
        if not self.enabled or not text:
            return text
        return f"\x1b[{CODES[style]}m{text}\x1b[0m"
