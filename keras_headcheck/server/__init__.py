"""`keras-headcheck server`: the findings in the editor, through the Language Server Protocol.

Needs the `server` extra (pygls); nothing here is imported by `check`, so its start-up is
unchanged. app.py holds the server's state and scheduling, handlers.py the LSP methods.
"""

from __future__ import annotations

from typing import Any


def make_server() -> Any:
    """The server with its LSP methods registered (pygls imported only now)."""
    from .app import HeadcheckServer
    from .handlers import register

    server = HeadcheckServer()
    register(server)
    return server


def serve() -> None:
    """`keras-headcheck server`: speak LSP on stdin/stdout until the client says exit."""
    make_server().start_io()
