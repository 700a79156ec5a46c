"""The few calls that differ between POSIX and Windows, in one place, none of them on the import path.

Municipal staff work on Windows PCs. Every module of the package imports
there; what only POSIX has (``fcntl``, ``resource``, ``/proc``, ``O_NOFOLLOW``,
process groups) is looked up when it is used, through this module, with the
Windows equivalent or a safe fallback.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryFile() as file:
...     lock_nonblocking(file.fileno()), lock_nonblocking(file.fileno())  # flock: the same file, the same holder
(True, True)
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys

__all__ = ["NOFOLLOW", "NONBLOCK", "folder_calls_by_descriptor", "lock_nonblocking", "read_start", "write_start",
           "kill_process_tree", "kill_children", "term_on_parent_death"]

#: Linux's prctl option that asks for a signal when the parent process dies.
_PR_SET_PDEATHSIG = 1

#: Open without following a link, where the platform can (everywhere but Windows, which has no such flag).
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
#: Open without waiting (a FIFO), where the platform has it.
NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def folder_calls_by_descriptor() -> bool:
    """Whether a folder can be opened and emptied through its descriptor (``dir_fd``): POSIX, not Windows."""
    return (hasattr(os, "O_DIRECTORY") and {os.stat, os.unlink, os.rmdir} <= os.supports_dir_fd
            and os.scandir in os.supports_fd)


def lock_nonblocking(descriptor: int) -> bool:
    """Take an exclusive lock on the open file ``descriptor`` without waiting; return False when another holds it.

    POSIX: ``flock`` (released when the descriptor is closed). Windows: ``msvcrt.locking`` of the file's first
    byte (released on close too).
    """
    try:
        import fcntl
    except ImportError:
        fcntl = None
    if fcntl is not None:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
    import msvcrt  # Windows

    os.lseek(descriptor, 0, os.SEEK_SET)
    try:
        msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


def read_start(descriptor: int, size: int) -> bytes:
    """The first ``size`` bytes of the open file (empty when another process's lock forbids reading them)."""
    try:
        os.lseek(descriptor, 0, os.SEEK_SET)
        return os.read(descriptor, size)
    except OSError:
        return b""


def write_start(descriptor: int, data: bytes) -> None:
    """Make the open file hold exactly ``data``."""
    os.ftruncate(descriptor, 0)
    os.lseek(descriptor, 0, os.SEEK_SET)
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view):]


def kill_process_tree(pid: int) -> None:
    """Kill the process ``pid`` and every process below it, at once (no chance to clean up).

    The tree is listed with psutil before anything is killed: once a process dies, its children are no longer
    below it. On POSIX the process group that ``pid`` leads (a kernel started in a session of its own) is
    killed too, which also reaches a member that had already left the tree.
    """
    import psutil

    try:
        root = psutil.Process(pid)
        tree = [root, *root.children(recursive=True)]
    except psutil.Error:
        tree = []
    if hasattr(os, "killpg"):
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)
    for process in tree:
        with contextlib.suppress(psutil.Error):
            process.kill()


def kill_children() -> None:
    """Kill every child of this process with everything below it (a kernel and whatever it started), and reap them."""
    import psutil

    children = psutil.Process().children()
    for child in children:
        kill_process_tree(child.pid)
    for child in children:
        with contextlib.suppress(psutil.Error):
            child.wait(timeout=10)


def term_on_parent_death() -> None:
    """Linux: have the system send this process SIGTERM when its parent dies. Elsewhere nothing: the parent's
    exit closes the worker's input, which ends it."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
