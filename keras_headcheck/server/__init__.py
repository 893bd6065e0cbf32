"""`keras-headcheck server`: the findings in the editor, through the Language Server Protocol.

Needs the `server` extra (pygls); nothing here is imported by `check`, so its start-up is
unchanged.
"""

from __future__ import annotations


def serve() -> None:
    from .app import serve as run

    run()
