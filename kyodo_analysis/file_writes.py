"""Writing a file whole, never through a link: the one way the tools put a file in place.

Every file that the tools write outside a report's own build folder (round 2's
table, the survey workbooks, the tracked ``figures/``, ``data/processed/`` and
the codebook) goes through :func:`replace_files`:

- each file is staged under a fresh name that :func:`tempfile.mkstemp` makes
  with ``O_EXCL`` beside its target (never a link followed, never a name that
  another process can guess and prepare), written through that descriptor,
  and renamed over the target;
- a target that is a symbolic link, a folder, a device or a FIFO is refused
  (:class:`~kyodo_analysis.validation.ArgumentError`), never replaced or
  written through;
- on a failure (a full disk, Ctrl-C) the staged files are removed, and the
  targets not yet renamed over are as they were. A write error always names
  the target (``os.write`` on a descriptor names no file), and
  :func:`disk_full_message` says a full disk once, in Japanese.

Examples
--------
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> write_file(folder / "a.txt", "北本".encode())
>>> (folder / "a.txt").read_text(encoding="utf-8"), sorted(p.name for p in folder.iterdir())
('北本', ['a.txt'])
>>> (folder / "link.txt").symlink_to(folder / "a.txt")
>>> write_file(folder / "link.txt", b"x")
Traceback (most recent call last):
...
kyodo_analysis.validation.ArgumentError: ...link.txt: シンボリックリンクです（リンク先 ...）。リンクの先を書き換えたり、リンクを置き換えたりしないよう、書き込みません。リンクを取り除くか、別の場所を指定してください
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path

from kyodo_analysis.validation import ArgumentError, quote_value

__all__ = ["DISK_FULL", "disk_full_message", "git_folder", "refuse_git_folder", "named_write_error", "replaceable", "file_mode", "replace_files",
           "write_file"]

#: The errors of a full disk (or a full quota): said once, in Japanese, naming the file.
DISK_FULL = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})


def disk_full_message(error: OSError, *, left: str = "書きかけのファイルは残していません") -> str:
    """The one line that says a disk is full, naming the file that could not be written."""
    return (f"ディスクの空きがないため {error.filename} を書けませんでした（{error.strerror}）。{left}。"
            "空きを作ってから、もう一度実行してください")


def git_folder(path: Path) -> Path | None:
    """The Git repository folder that ``path`` is in or is: a ``.git`` (any letter case), or a bare repository.

    Writing there corrupts the repository (a file in ``.git/refs`` is read as a branch or tag).

    Examples
    --------
    >>> git_folder(Path("/home/me/plan/.git/refs/tags"))
    PosixPath('/home/me/plan/.git')
    >>> git_folder(Path("/nonexistent/plan/reports")) is None
    True
    """
    path = Path(os.path.abspath(path))
    for candidate in (path, Path(os.path.realpath(path))):
        for ancestor in (candidate, *candidate.parents):
            if ancestor.name.casefold() == ".git" or (
                    (ancestor / "HEAD").is_file() and (ancestor / "objects").is_dir() and (ancestor / "refs").is_dir()):
                return ancestor
    return None


def refuse_git_folder(path: Path, option: str) -> None:
    """Stop (:class:`ArgumentError`, in Japanese) when ``path`` lies in a Git repository's own folder."""
    git = git_folder(path)
    if git is not None:
        raise ArgumentError(f"{option} {path} は Git リポジトリの管理フォルダ {git} の中にあります。ここに書き込むと"
                            f"リポジトリが壊れるため、何も書き込みません。別の場所を指定してください")


def named_write_error(failure: OSError, path: Path) -> OSError:
    """The same error, naming the target ``path`` (``os.write`` on a descriptor names no file at all)."""
    return OSError(failure.errno, failure.strerror or str(failure), str(path))


def replaceable(path: Path, *, replace_link: bool = False) -> os.stat_result | None:
    """The status of the regular file ``path`` (None if there is none); an :class:`ArgumentError` for anything else.

    The link itself is looked at (``lstat``): a symbolic link is refused even when it points to a regular file,
    because replacing it would leave a link where a file was asked for; with ``replace_link`` it counts as no file
    (the link is replaced, never followed).
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode) and replace_link:
        return None
    if stat.S_ISLNK(info.st_mode):
        raise ArgumentError(f"{path}: シンボリックリンクです（リンク先 {quote_value(os.path.realpath(path))}）。"
                            "リンクの先を書き換えたり、リンクを置き換えたりしないよう、書き込みません。リンクを取り除くか、"
                            "別の場所を指定してください")
    if not stat.S_ISREG(info.st_mode):
        kind = "フォルダ" if stat.S_ISDIR(info.st_mode) else "通常のファイルではないもの（デバイス・FIFOなど）"
        raise ArgumentError(f"{path}: {kind}です。ファイルで置き換えることはしません。別の名前を指定してください")
    return info


def file_mode(existing: os.stat_result | None) -> int:
    """The permissions of a new file: those of the file it replaces, else what the umask leaves of rw-rw-rw-."""
    if existing is not None:
        return stat.S_IMODE(existing.st_mode)
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _stage(data: bytes, path: Path, existing: os.stat_result | None) -> Path:
    """Write ``data`` to a new file beside ``path`` and return its name; nothing is left behind on failure."""
    try:
        descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    except OSError as failure:
        raise named_write_error(failure, path) from None
    staged = Path(name)
    try:
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(descriptor, file_mode(existing))
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view):]
        finally:
            os.close(descriptor)
    except OSError as failure:
        staged.unlink(missing_ok=True)
        raise named_write_error(failure, path) from None
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    return staged


def replace_files(files: Sequence[tuple[Path, bytes]], *, replace_links: bool = False) -> None:
    """Write every file whole: stage each beside its target, then rename each over its target.

    A target that is a link (unless ``replace_links``: then the link itself is replaced) or not a regular
    file is refused (:class:`ArgumentError`) before anything is written. On a failure (a full disk, Ctrl-C)
    the staged files are removed, and the targets not yet renamed over are as they were.
    """
    files = [(Path(path), data) for path, data in files]
    existing = [replaceable(path, replace_link=replace_links) for path, _ in files]
    staged: list[tuple[Path, Path]] = []
    try:
        for (path, data), info in zip(files, existing):
            staged.append((_stage(data, path, info), path))
        while staged:
            temporary, path = staged[0]
            try:
                os.replace(temporary, path)
            except OSError as failure:
                raise named_write_error(failure, path) from None
            staged.pop(0)
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)


def write_file(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` whole, never through a link (:func:`replace_files` of one file)."""
    replace_files([(Path(path), data)])
