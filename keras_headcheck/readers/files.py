"""Opening a path the linter was given, safely: only a regular file, read-only, never blocking.

Every reader that opens a file goes through here (containers.py for `.keras`/`.h5`/SavedModel,
hdf5.py for the attribute reader, the source reader, and `--targets` files), so a hostile path is
refused the same way everywhere. It imports nothing of the package but ReadError: every module
may depend on it, and it on none of them.
"""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

from .errors import ReadError

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(
    os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def open_regular(path: str, follow_links: bool = True) -> BinaryIO:
    """Open a regular file read-only. FIFOs, devices and sockets are refused without blocking:
    stat before opening (opening a device may have effects), then open with O_NONBLOCK and check
    again on the open file (it may have been swapped in between), so a `model.keras` that is a
    named pipe cannot hang the linter."""
    flags = _OPEN_FLAGS | (0 if follow_links else getattr(os, "O_NOFOLLOW", 0))
    try:
        if not stat.S_ISREG((os.stat if follow_links else os.lstat)(path).st_mode):
            raise ReadError("not a regular file")
        fd = os.open(path, flags)
    except OSError as exc:
        raise ReadError(exc.strerror or str(exc)) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ReadError("not a regular file")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
