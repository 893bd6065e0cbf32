"""Read string attributes of an HDF5 file's root group (a legacy Keras `.h5`): with our own bounded
reader, and with libhdf5, at arm's length, only for layouts that reader does not parse.

`hdf5_attrs.read_root_attributes` parses exactly the structures Keras (through h5py) writes, in
pure Python: every legacy Keras file is read without libhdf5. A valid file laid out otherwise
(attributes in dense storage, shared messages...) raises `UnsupportedLayout`, and only then is the
file handed to h5py, that is to libhdf5: C code that parses every structure the file declares. Fed
files with a few flipped bytes it can crash (SIGSEGV) or loop forever, and a crafted file can
declare attributes of any size. So, where the OS can fork, libhdf5 reads the attributes in a child
process that:
  - may add at most `Limits.hdf5_memory` bytes of address space (RLIMIT_AS),
  - may not write to any file (RLIMIT_FSIZE = 0; its stdio goes to /dev/null) nor dump core,
  - is killed after `Limits.hdf5_timeout` seconds,
and sends back only the attribute strings, over a pipe, bounded in size. A crash, a hang or an
oversized answer becomes a one-line `HDF5Error`. Without fork (Windows) the same checks run in
this process, minus the crash and hang protection. h5py is imported only for that fallback.
"""

from __future__ import annotations

import os
import select
import signal
import struct
import time
from typing import Any, Optional, Sequence

from .errors import reason
from .files import open_regular
from .hdf5_attrs import read_root_attributes
from .hdf5_format import HDF5Error, UnsupportedLayout
from .limits import Limits, env_name

__all__ = ["HDF5Error", "UnsupportedLayout", "read_attributes", "read_with_libhdf5"]

_LENGTH = struct.Struct("<q")  # -1: attribute absent


def _text(value: Any, key: str) -> str:
    if hasattr(value, "shape") and value.shape == (1,):  # a one-element array of strings
        value = value[0]
    if isinstance(value, bytes):  # numpy.bytes_ is a bytes
        return value.decode("utf-8", "replace")
    if isinstance(value, str):
        return value
    raise HDF5Error(f"HDF5 attribute {key!r} is not a string")


def _check_declared(attr: Any, key: str, cap: int) -> None:
    """Refuse on what the attribute's header declares, before reading it: a JSON string is one
    scalar string, and a fixed-length one declares its size. (A variable-length string is read,
    under the child's memory cap, and measured after.)"""
    if attr.shape not in ((), (1,)) or attr.dtype.kind not in "SUO":
        raise HDF5Error(f"HDF5 attribute {key!r} is not a string (shape {attr.shape}, "
                        f"type {attr.dtype})")
    declared = max(attr.dtype.itemsize, attr.get_storage_size())
    if declared > cap:
        raise HDF5Error(f"HDF5 attribute {key!r} is {declared} bytes, over the {cap}-byte limit "
                        f"({env_name('max_config_bytes')})")


def _read_in_process(path: str, keys: Sequence[str], limits: Limits) -> dict[str, Optional[str]]:
    import h5py

    result: dict[str, Optional[str]] = {}
    cap = limits.max_config_bytes
    try:
        with h5py.File(path, "r") as handle:
            for key in keys:
                if key not in handle.attrs:
                    result[key] = None
                    continue
                _check_declared(handle.attrs.get_id(key), key, cap)
                text = _text(handle.attrs[key], key)
                if len(text) > cap:
                    raise HDF5Error(f"HDF5 attribute {key!r} is {len(text)} characters, over the "
                                    f"{cap}-byte limit ({env_name('max_config_bytes')})")
                result[key] = text
    except HDF5Error:
        raise
    except MemoryError:
        raise HDF5Error(f"reading the HDF5 attributes needs more than the memory limit "
                        f"(from {env_name('max_config_bytes')})") from None
    except Exception as exc:  # h5py raises OSError, KeyError, TypeError... on broken files
        raise HDF5Error(f"not a readable HDF5 file ({reason(exc)})") from None
    return result


# -- the child process ---------------------------------------------------------------------------
def _lower(which: int, value: int) -> None:
    import resource

    _, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, value))


def _restrict_child(limits: Limits) -> None:
    import faulthandler
    import resource

    faulthandler.disable()  # a crash here is expected and reported by the parent, not dumped
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    _lower(resource.RLIMIT_CORE, 0)
    _lower(resource.RLIMIT_FSIZE, 0)
    _lower(resource.RLIMIT_CPU, int(limits.hdf5_timeout) + 2)
    try:
        with open("/proc/self/statm") as statm:
            in_use = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return  # not Linux: no reliable address-space limit
    _lower(resource.RLIMIT_AS, in_use + limits.hdf5_memory)


def _encode(result: dict[str, Optional[str]], keys: Sequence[str]) -> bytes:
    parts = [b"OK"]
    for key in keys:
        text = result[key]
        data = b"" if text is None else text.encode("utf-8", "surrogatepass")
        parts += [_LENGTH.pack(-1 if text is None else len(data)), data]
    return b"".join(parts)


def _child(write_fd: int, path: str, keys: Sequence[str], limits: Limits) -> None:
    """Runs in the forked child; never returns."""
    status = 1
    try:
        _restrict_child(limits)
        try:
            payload = _encode(_read_in_process(path, keys, limits), keys)
        except HDF5Error as exc:
            payload = b"ER" + str(exc).encode("utf-8", "replace")
        except Exception as exc:  # MemoryError past RLIMIT_AS, OSError (EFBIG) past RLIMIT_FSIZE...
            message = f"the HDF5 reader failed ({reason(exc)})"
            payload = b"ER" + message.encode("utf-8", "replace")
        view = memoryview(payload)
        while view:
            view = view[os.write(write_fd, view):]
        status = 0
    finally:
        os._exit(status)


def _collect(read_fd: int, pid: int, limits: Limits) -> bytes:
    """Everything the child writes, until it closes the pipe; bounded in time and size."""
    deadline = time.monotonic() + limits.hdf5_timeout
    most = 2 * limits.max_config_bytes * 4 + 4096  # UTF-8 of a str of max_config_bytes characters
    chunks: list[bytes] = []
    size = 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([read_fd], [], [], left)[0]:
            raise HDF5Error(f"the HDF5 library took more than {limits.hdf5_timeout:g} s to read "
                            f"the file ({env_name('hdf5_timeout')})")
        chunk = os.read(read_fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > most:
            raise HDF5Error("the HDF5 attributes are over the size limit")


def _decode(payload: bytes, keys: Sequence[str]) -> dict[str, Optional[str]]:
    if payload[:2] == b"ER":
        raise HDF5Error(payload[2:].decode("utf-8", "replace"))
    if payload[:2] != b"OK":
        raise HDF5Error("the HDF5 reader sent no answer")
    result: dict[str, Optional[str]] = {}
    pos = 2
    for key in keys:
        (length,) = _LENGTH.unpack_from(payload, pos)
        pos += _LENGTH.size
        text = payload[pos : pos + max(length, 0)].decode("utf-8", "surrogatepass")
        result[key] = None if length < 0 else text
        pos += max(length, 0)
    return result


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        return f"the HDF5 library crashed reading the file ({name})"
    return f"the HDF5 reader failed (exit status {os.waitstatus_to_exitcode(status)})"


def read_attributes(path: str, keys: Sequence[str], limits: Limits) -> dict[str, Optional[str]]:
    """{key: attribute text, or None if absent} for the root group of the HDF5 file at `path`:
    read by our own parser; by libhdf5, in a child process, only if the layout is one it does not
    parse. Raises HDF5Error (or ReadError if the path is not a regular file)."""
    with open_regular(path) as handle:
        try:
            return read_root_attributes(handle, keys, limits)
        except UnsupportedLayout as exc:
            layout = str(exc)
    return read_with_libhdf5(path, keys, limits, layout)


def _no_uname_process() -> None:
    """Importing h5py reads `platform.uname()[...]`, which computes `processor` by running
    `uname -p` through PATH: a child process started, from whatever directory PATH names, on the
    way to reading a file. Fill that cached field first (with the machine name, what `uname -p`
    says on Linux) so no process is ever started."""
    import platform

    result = platform.uname()
    if "processor" not in vars(result):  # functools.cached_property keeps it in the instance dict
        vars(result)["processor"] = result.machine


def read_with_libhdf5(path: str, keys: Sequence[str], limits: Limits,
                      why: str = "") -> dict[str, Optional[str]]:
    """The same, read by libhdf5 through h5py: in a child process where the OS can fork."""
    _no_uname_process()
    try:
        import h5py  # noqa: F401  (imported here, before the fork, so the child need not)
    except ImportError:
        what = f"{why}, which" if why else "reading it"
        raise HDF5Error(f"{what} needs the h5py package (pip install h5py)") from None
    if not hasattr(os, "fork"):
        return _read_in_process(path, keys, limits)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        _child(write_fd, path, keys, limits)
    os.close(write_fd)
    try:
        payload = _collect(read_fd, pid, limits)
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        os.close(read_fd)
        _, status = os.waitpid(pid, 0)
    if status != 0:
        raise HDF5Error(_describe(status))
    try:
        return _decode(payload, keys)
    except struct.error:
        raise HDF5Error("the HDF5 reader sent a truncated answer") from None
