"""Output folders that the report may replace: only its own, and one run at a time.

``kyodo-report --out FOLDER`` builds beside ``FOLDER`` and swaps the finished
build in. These rules keep it from destroying anything it did not write:

- Every folder the tool builds carries a mark, the file ``.kyodo-report``
  naming the generator and its version.
- A folder is replaced or removed only if it carries the mark. A folder that
  does not exist, or an empty one, may be used. Anything else stops the run
  before any work (:class:`OutputFolderError`).
- The filesystem root, the home folder, the project and any folder holding
  the raw input or the project are refused outright.
- One run at a time per output folder: a run takes an exclusive lock on the
  file ``.<name>.kyodo-lock`` beside the folder, and a second run into the
  same folder stops at once with a message (it does not wait). The lock file
  is left in place (removing it would let two runs lock two different files).
- Build folders are named ``.<name>.building-<random>`` and carry the mark.
  A run holding the lock removes the marked build folders that an earlier,
  killed run of the same output left behind: holding the lock proves that
  no other run is still writing them.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     out = Path(folder) / "reports"
...     check_output_folder(out, inputs=[])
...     build = new_build_folder(out)
...     _ = (build / "index.html").write_text("new", encoding="utf-8")
...     swap_in(build, out)
...     sorted(p.name for p in out.iterdir())
['.kyodo-report', 'index.html']
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from . import config

__all__ = [
    "MARK_NAME",
    "OutputFolderError",
    "OutputFolderBusy",
    "check_output_folder",
    "is_marked",
    "mark_folder",
    "output_lock",
    "new_build_folder",
    "remove_stale_builds",
    "remove_marked",
    "swap_in",
]

#: The file that marks a folder as written by this tool.
MARK_NAME = ".kyodo-report"
_BUILDING = ".building-"


class OutputFolderError(ValueError):
    """An output folder that the tool must not write into or replace."""


class OutputFolderBusy(OutputFolderError):
    """Another run holds the lock of the output folder."""


def _mark_text() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("kyodo-analysis")
    except PackageNotFoundError:
        release = "unknown"
    return f"kyodo-report {release}\nWritten by kyodo-report (kyodo-analysis); it may replace or remove this folder.\n"


def mark_folder(folder: Path) -> None:
    """Put the mark in ``folder``."""
    (folder / MARK_NAME).write_text(_mark_text(), encoding="utf-8")


def is_marked(folder: Path) -> bool:
    """Whether ``folder`` is a real folder (not a link) that carries the mark."""
    return folder.is_dir() and not folder.is_symlink() and (folder / MARK_NAME).is_file()


def _contains(folder: Path, path: Path) -> bool:
    return path == folder or folder in path.parents


def check_output_folder(out: Path, *, inputs: Iterable[Path]) -> None:
    """Stop unless the tool may build ``out`` (an absolute path) from ``inputs``.

    Raises
    ------
    OutputFolderError
        For the root, the home folder, the project, a folder holding an input
        or the project, a file, and an existing, non-empty folder without the mark.
    """
    out = Path(os.path.abspath(out))
    resolved = out.resolve()
    refused = {Path(os.path.abspath(os.sep)): "the filesystem root", Path.home().resolve(): "the home folder",
               config.PROJECT_ROOT: "the project folder"}
    for folder in (out, resolved):
        if folder in refused:
            raise OutputFolderError(f"--out {out} is {refused[folder]}; choose a new folder, such as {out / 'reports'}")
    for path in [config.PROJECT_ROOT, *inputs]:
        path = Path(path).resolve()
        if _contains(resolved, path):
            what = "the project" if path == config.PROJECT_ROOT else f"the input {path}"
            raise OutputFolderError(f"--out {out} holds {what}; choose a new folder, such as {out / 'reports'}")
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise OutputFolderError(f"--out {out} is a file, not a folder; choose a new folder")
    if out.is_dir() and not is_marked(out) and any(out.iterdir()):
        raise OutputFolderError(
            f"--out {out} is a folder that kyodo-report did not make (it has no {MARK_NAME} file), and it is "
            f"not empty; nothing was changed. Choose a new or empty folder, such as {out.with_name(out.name + '_review')}"
        )


@contextlib.contextmanager
def output_lock(out: Path) -> Iterator[Path]:
    """Hold the lock of output folder ``out`` for the duration; yield the lock file.

    Raises
    ------
    OutputFolderBusy
        When another run holds it.
    """
    lock = out.with_name(f".{out.name}.kyodo-lock")
    descriptor = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip() or "another process"
            raise OutputFolderBusy(
                f"another kyodo-report (process {holder}) is writing {out}; wait for it to finish, "
                f"or choose another --out"
            ) from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
        yield lock
    finally:
        os.close(descriptor)  # releases the lock


def new_build_folder(out: Path) -> Path:
    """Create a marked, empty build folder beside ``out``."""
    build = Path(tempfile.mkdtemp(prefix=f".{out.name}{_BUILDING}", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    build.chmod(0o777 & ~umask)  # mkdtemp makes it private; the report is an ordinary folder
    mark_folder(build)
    return build


def remove_marked(folder: Path) -> bool:
    """Remove ``folder`` if it carries the mark; return whether it did."""
    if not is_marked(folder):
        return False
    shutil.rmtree(folder)
    return True


def remove_stale_builds(out: Path) -> list[Path]:
    """Remove the marked build folders of ``out`` that killed runs left; call only while holding the lock."""
    removed = []
    for folder in sorted(out.parent.glob(f".{out.name}{_BUILDING}*")):
        if remove_marked(folder):
            removed.append(folder)
    return removed


def swap_in(build: Path, out: Path) -> None:
    """Replace ``out`` (absent, empty, or marked) with the finished ``build``; remove the old one.

    The old folder is first renamed to a fresh hidden name, so that ``out``
    is never missing for long and no user folder is touched.
    """
    previous = None
    if out.is_dir() and is_marked(out):
        previous = Path(tempfile.mkdtemp(prefix=f".{out.name}.previous-", dir=out.parent))
        os.rmdir(previous)  # a free, unique name to rename onto
        out.rename(previous)
    elif out.is_dir():
        out.rmdir()  # fails, and changes nothing, unless the folder is empty
    build.rename(out)
    if previous is not None:
        shutil.rmtree(previous)
