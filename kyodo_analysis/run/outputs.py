"""Output folders that the report may replace: only its own, and one run at a time.

``kyodo-report --out FOLDER`` builds beside ``FOLDER`` and swaps the finished
build in. These rules keep it from destroying anything it did not write:

- Every folder the tool builds carries a mark, the file ``.kyodo-report``
  naming the generator and its version.
- A folder is replaced or removed only if it carries the mark. A folder that
  does not exist, or an empty one, may be used. Anything else stops the run
  before any work (:class:`OutputFolderError`).
- The filesystem root, the home folder, the project, any folder holding
  the raw input or the project, and any folder inside a Git repository's own
  folder (``.git``, or a bare repository) are refused outright. Installed
  from the wheel, so is any folder in or holding the folder of the installed
  packages (site-packages): the tool never writes into a package.
- One run at a time per output folder: a run takes an exclusive lock on the
  file ``.<name>.kyodo-lock`` beside the folder, and a second run into the
  same folder stops at once with a message (it does not wait). The lock file
  is left in place (removing it would let two runs lock two different files).
  It is opened without following a link, and the run writes its process id
  into it only if it is a regular file of the user's, with no other name
  (hard link): a link, a device, a FIFO or another's file there stops the run.
- Build folders are named ``.<name>.building-<random>``, and the previous
  report, while it is swapped out, ``.<name>.previous-<random>``; both carry
  the mark. A run holding the lock removes the marked folders of exactly
  these names (its own ``<name>``, never a pattern) that an earlier, killed
  run of the same output left behind: holding the lock proves that no other
  run is still writing them. A marked folder loses its mark last, so a
  removal that is cut short is finished by the next run.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     out = Path(folder) / "reports"
...     check_output_folder(out, inputs=[])
...     build = new_build_folder(out)
...     _ = (build / "index.html").write_text("new", encoding="utf-8")
...     swap_in(build, out) is None  # there was no previous report to put aside
...     sorted(p.name for p in out.iterdir())
True
['.kyodo-report', 'index.html']
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from kyodo_analysis import config
from kyodo_analysis.file_writes import git_folder, replace_files
from kyodo_analysis.portable import (
    NOFOLLOW,
    NONBLOCK,
    folder_calls_by_descriptor,
    lock_nonblocking,
    read_start,
    write_start,
)
from kyodo_analysis.validation import KyodoError

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
    "leftover_name",
    "replace_file",
    "remove_marked",
    "swap_in",
]

#: The file that marks a folder as written by this tool.
MARK_NAME = ".kyodo-report"
_BUILDING = ".building-"
_PREVIOUS = ".previous-"
#: What :func:`tempfile.mkdtemp` appends to a prefix: 8 characters of ``[a-z0-9_]``.
_RANDOM_SUFFIX = "[a-z0-9_]{8}"
#: Not following a link where the platform can (everywhere but Windows).


class OutputFolderError(KyodoError):
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
    """Whether ``folder`` is a real folder (not a link) that carries the mark (a regular file, not a link)."""
    try:
        return (stat.S_ISDIR(os.lstat(folder).st_mode)
                and stat.S_ISREG(os.lstat(folder / MARK_NAME).st_mode))
    except (FileNotFoundError, NotADirectoryError):
        return False


def _contains(folder: Path, path: Path) -> bool:
    return path == folder or folder in path.parents


def check_output_folder(out: Path, *, inputs: Iterable[Path]) -> None:
    """Stop unless the tool may build ``out`` (an absolute path) from ``inputs``.

    Raises
    ------
    OutputFolderError
        For the root, the home folder, the project, a folder holding an input
        or the project, a folder in a Git repository's own folder, a file, and
        an existing, non-empty folder without the mark; installed from the
        wheel, for a folder in the installed packages' folder.
    """
    out = Path(os.path.abspath(out))
    resolved = out.resolve()
    if not config.CHECKOUT and (_contains(config.PROJECT_ROOT, out) or _contains(config.PROJECT_ROOT, resolved)):
        raise OutputFolderError(
            f"--out {out} はインストールされたパッケージのフォルダ {config.PROJECT_ROOT} の中にあります。"
            f"パッケージの中には書き込まないため、何も変更していません。作業用のフォルダの中を指定してください")
    refused = {Path(os.path.abspath(os.sep)): "the filesystem root", Path.home().resolve(): "the home folder",
               config.PROJECT_ROOT: "the project folder"}
    for folder in (out, resolved):
        if folder in refused:
            raise OutputFolderError(f"--out {out} is {refused[folder]}; choose a new folder, such as {out / 'reports'}")
    for path in [config.PROJECT_ROOT, *inputs]:
        path = Path(path).resolve()
        if _contains(resolved, path):
            project = "the project" if config.CHECKOUT else f"the installed packages' folder {path}"
            what = project if path == config.PROJECT_ROOT else f"the input {path}"
            raise OutputFolderError(f"--out {out} holds {what}; choose a new folder, such as {out / 'reports'}")
    git = git_folder(out)  # the path as given and as resolved
    if git is not None:
        raise OutputFolderError(
            f"--out {out} は Git リポジトリの管理フォルダ {git} の中にあります。ここに書き込むとリポジトリが"
            f"壊れるため、何も変更していません。別のフォルダを指定してください（例: {git.parent / 'reports'}）")
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise OutputFolderError(f"--out {out} is a file, not a folder; choose a new folder")
    if out.is_dir() and not is_marked(out) and any(out.iterdir()):
        raise OutputFolderError(
            f"--out {out} is a folder that kyodo-report did not make (it has no {MARK_NAME} file), and it is "
            f"not empty; nothing was changed. Choose a new or empty folder, such as {out.with_name(out.name + '_review')}"
        )


def _refuse_lock(lock: Path, what: str) -> OutputFolderError:
    return OutputFolderError(
        f"ロックファイル {lock} が{what}ため、使いません（リンクの先や他人のファイルには書き込みません）。"
        f"何も変更していません。{lock.name} を削除するか、別の --out を指定してください")


def _open_lock(lock: Path) -> int:
    """Open (or create) the lock file for writing: never through a link, never a file that is not the user's own.

    The path is looked at before it is opened (a device or FIFO is never
    opened), opened without following a link, and the open file is checked
    again: a regular file, the one at the path, with no other name, owned by
    this user.
    """
    try:
        before = os.lstat(lock)
    except FileNotFoundError:
        before = None
    if before is not None and stat.S_ISLNK(before.st_mode):
        raise _refuse_lock(lock, "シンボリックリンクである")
    if before is not None and not stat.S_ISREG(before.st_mode):
        raise _refuse_lock(lock, "通常のファイルではない（フォルダ・FIFO・デバイスなど）")
    try:
        descriptor = os.open(lock, os.O_RDWR | os.O_CREAT | NONBLOCK | NOFOLLOW, 0o644)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.EMLINK):  # what O_NOFOLLOW gives on a link (Linux, BSD)
            raise _refuse_lock(lock, "シンボリックリンクである") from None
        if error.errno == errno.EISDIR:
            raise _refuse_lock(lock, "フォルダである") from None
        raise
    try:
        opened = os.fstat(descriptor)
        now = os.lstat(lock)
        if not stat.S_ISREG(opened.st_mode) or (now.st_dev, now.st_ino) != (opened.st_dev, opened.st_ino):
            raise _refuse_lock(lock, "開いている間に別のものに置き換えられた")
        if opened.st_nlink != 1:
            raise _refuse_lock(lock, f"ほかにも名前を持つ（ハードリンクが {opened.st_nlink} 個ある）")
        if hasattr(os, "geteuid") and opened.st_uid != os.geteuid():
            raise _refuse_lock(lock, f"別のユーザー（uid {opened.st_uid}）のファイルである")
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


@contextlib.contextmanager
def output_lock(out: Path) -> Iterator[Path]:
    """Hold the lock of output folder ``out`` for the duration; yield the lock file.

    Raises
    ------
    OutputFolderBusy
        When another run holds it.
    OutputFolderError
        When the lock file is a link, not a regular file, has another name
        (a hard link) or is another user's: it is neither written nor truncated.
    """
    lock = out.with_name(f".{out.name}.kyodo-lock")
    descriptor = _open_lock(lock)
    try:
        if not lock_nonblocking(descriptor):
            holder = read_start(descriptor, 32).decode("ascii", "replace").strip() or "another process"
            raise OutputFolderBusy(
                f"another kyodo-report (process {holder}) is writing {out}; wait for it to finish, "
                f"or choose another --out"
            ) from None
        try:
            write_start(descriptor, f"{os.getpid()}\n".encode())
        except OSError as error:  # a full disk: name the file (a write error has no file name of its own)
            raise OSError(error.errno, error.strerror, str(lock)) from None
        yield lock
    finally:
        os.close(descriptor)  # releases the lock


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def new_build_folder(out: Path) -> Path:
    """Create a marked, empty build folder beside ``out``."""
    build = Path(tempfile.mkdtemp(prefix=f".{out.name}{_BUILDING}", dir=out.parent))
    build.chmod(0o777 & ~_umask())  # mkdtemp makes it private; the report is an ordinary folder
    mark_folder(build)
    return build


def replace_file(source: Path, target: Path) -> None:
    """Put a copy of ``source`` at ``target`` whole (:func:`~kyodo_analysis.file_writes.replace_files`).

    A link at ``target`` is replaced, not followed (the tracked figures are the
    project's own files), and a full disk leaves the old file as it was.
    """
    replace_files([(target, source.read_bytes())], replace_links=True)


def remove_marked(folder: Path) -> bool:
    """Remove ``folder`` if it is a real folder (not a link) that carries the mark; return whether it did.

    The folder is opened without following a link and emptied through that
    open folder, so a link swapped in meanwhile leads nowhere; the mark goes
    last, so that a removal cut short (a signal, a kill) leaves a marked
    folder, which the next run removes.
    """
    if not folder_calls_by_descriptor():  # Windows: by path, after the same checks
        return _remove_marked_by_path(folder)
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | NOFOLLOW)
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP, errno.EMLINK):
            return False  # absent, a file, or a link
        raise
    try:
        try:
            if not stat.S_ISREG(os.stat(MARK_NAME, dir_fd=descriptor, follow_symlinks=False).st_mode):
                return False
        except FileNotFoundError:
            return False
        for name in sorted(entry.name for entry in os.scandir(descriptor)):
            if name == MARK_NAME:
                continue
            if stat.S_ISDIR(os.stat(name, dir_fd=descriptor, follow_symlinks=False).st_mode):
                shutil.rmtree(name, dir_fd=descriptor)
            else:
                os.unlink(name, dir_fd=descriptor)
        os.unlink(MARK_NAME, dir_fd=descriptor)
    finally:
        os.close(descriptor)
    os.rmdir(folder)
    return True


def _remove_marked_by_path(folder: Path) -> bool:
    """:func:`remove_marked` where a folder cannot be emptied through its descriptor: the mark still goes last."""
    if not is_marked(folder):
        return False
    for entry in sorted(folder.iterdir()):
        if entry.name == MARK_NAME:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    (folder / MARK_NAME).unlink()
    folder.rmdir()
    return True


def leftover_name(out: Path) -> re.Pattern:
    """The names of the build and swapped-out folders of ``out`` exactly, as :func:`new_build_folder` and
    :func:`swap_in` make them.

    Examples
    --------
    >>> pattern = leftover_name(Path("x*"))
    >>> names = [".x*.building-a1b2c3d_", ".x*.previous-a1b2c3d_", ".xyz.building-a1b2c3d_",
    ...          ".x*.building-a1b2c3d_.building-a1b2c3d_"]
    >>> [bool(pattern.fullmatch(name)) for name in names]
    [True, True, False, False]
    """
    return re.compile(rf"\.{re.escape(out.name)}(?:{re.escape(_BUILDING)}|{re.escape(_PREVIOUS)}){_RANDOM_SUFFIX}")


def remove_stale_builds(out: Path) -> list[Path]:
    """Remove the marked build and swapped-out folders that killed runs of ``out`` left; call holding its lock.

    Only folders of exactly the names :func:`leftover_name` gives, and only
    those that carry the mark, are removed: never the folders of another
    output, whatever characters its name holds.
    """
    pattern = leftover_name(out)
    removed = []
    for name in sorted(entry.name for entry in os.scandir(out.parent) if pattern.fullmatch(entry.name)):
        if remove_marked(out.parent / name):
            removed.append(out.parent / name)
    return removed


def swap_in(build: Path, out: Path) -> Path | None:
    """Put the finished ``build`` in place of ``out`` (absent, empty, or marked); return the old one, or None.

    The old folder is renamed to a fresh hidden name ``.<name>.previous-<random>``
    and returned: the caller removes it (:func:`remove_marked`), or, if the
    run is stopped first, the next run does (:func:`remove_stale_builds`).
    ``out`` is missing only between the two renames; if the second fails, the
    old folder is put back.
    """
    previous = None
    if out.is_dir() and is_marked(out):
        previous = Path(tempfile.mkdtemp(prefix=f".{out.name}{_PREVIOUS}", dir=out.parent))
        os.rmdir(previous)  # a free, unique name to rename onto
        os.rename(out, previous)
    elif out.is_dir():
        out.rmdir()  # fails, and changes nothing, unless the folder is empty
    try:
        os.rename(build, out)
    except OSError:
        if previous is not None:
            with contextlib.suppress(OSError):
                os.rename(previous, out)
        raise
    return previous
