"""Run the review notebooks with papermill and store them reproducibly.

``python -m kyodo_analysis.run.notebooks`` (``make notebooks``) executes every
notebook in ``notebooks/`` with its default parameters and stores it in place,
as the nbval baseline. :func:`normalize_notebook` strips what changes from run
to run (timestamps, durations, papermill's record of paths and parameters,
random cell ids, the interpreter's patch version), so refreshing unchanged
notebooks leaves ``git status`` clean.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat
from jupyter_client import AsyncKernelManager

from kyodo_analysis import config
from kyodo_analysis.console import terminal_safe
from kyodo_analysis.run.parameters import NotebookParameters, parameter_fields
from kyodo_analysis.validation import ArgumentError, KyodoError

__all__ = ["notebook_paths", "execute_notebook", "normalize_notebook", "refresh_stored_notebooks",
           "parameters_cell", "set_parameters_cell", "QuietShutdownKernelManager"]

KERNEL_NAME = "python3"
_KERNEL_FOLDERS: set[str] = set()  # the kernels' socket folders in use, for remove_kernel_folders()


def remove_kernel_folders() -> None:
    """Remove the socket folders of the kernels this process runs (after they were killed)."""
    for folder in list(_KERNEL_FOLDERS):
        shutil.rmtree(folder, ignore_errors=True)
        _KERNEL_FOLDERS.discard(folder)


class QuietShutdownKernelManager(AsyncKernelManager):
    """A kernel manager that does not interrupt a kernel it is shutting down.

    jupyter_client sends SIGINT before every shutdown request. When the signal
    lands while ipykernel is still handling a message, the kernel logs
    ``ERROR | KeyboardInterrupt caught in kernel.`` to the terminal, in the middle
    of a successful report. Papermill shuts kernels down only after the last
    cell has finished, so there is nothing to interrupt: the shutdown request
    alone ends the kernel (and jupyter_client still terminates, then kills, a
    kernel that does not stop in time). Interrupts at any other time, such as
    an execution timeout, are sent as usual.
    """

    async def _async_interrupt_kernel(self) -> None:
        if self.shutting_down:
            return
        await super()._async_interrupt_kernel()


def notebook_paths(folder: str | os.PathLike | None = None) -> list[Path]:
    """The review notebooks, in reading order (``NN_name.ipynb``)."""
    return sorted(Path(config.NOTEBOOKS if folder is None else folder).glob("[0-9][0-9]_*.ipynb"))


# papermill reads the parameters cell with its own annotation parser, which
# cannot read ``str | None`` (it reports "Unable to parse" and then
# "unknown parameter"), nor a comment that holds ``=``. So each optional
# type is written as a quoted ``"Optional[str]"``, and the help texts of
# NotebookParameters hold no ``=`` (checked below).
_ANNOTATIONS = {str: "str", int: "int", "str": "str", "int": "int",  # the annotations as parameters.py spells them
                "str | None": '"Optional[str]"', "int | None": '"Optional[int]"',
                "str | list[str] | None": '"Optional[Union[str, list]]"'}


def parameters_cell() -> str:
    """The source of every notebook's parameters cell, written from :class:`~kyodo_analysis.run.parameters.NotebookParameters`."""
    annotations = NotebookParameters.__annotations__
    lines = ["# パラメータ（papermill が上書きする）。既定値は同梱の北本市の表を読む。"]
    for name, default, help_text in parameter_fields():
        if "=" in help_text:
            raise ValueError(f"the help of parameter {name} holds '=', which papermill cannot parse: {help_text!r}")
        value = json.dumps(default, ensure_ascii=False) if isinstance(default, str) else repr(default)
        lines.append(f"{name}: {_ANNOTATIONS[annotations[name]]} = {value}  # {help_text}")
    return "\n".join(lines)


def set_parameters_cell(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Write :func:`parameters_cell` into the notebook's cell tagged ``parameters``, in place; return it."""
    cells = [cell for cell in notebook.cells if "parameters" in cell.metadata.get("tags", [])]
    if len(cells) != 1:
        raise ValueError(f"a review notebook has one cell tagged 'parameters', this one has {len(cells)}")
    cells[0].source = parameters_cell()
    return notebook


def normalize_notebook(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove run-to-run noise from an executed notebook, in place; return it."""
    notebook.metadata.pop("papermill", None)
    notebook.metadata.pop("widgets", None)
    notebook.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                       "name": KERNEL_NAME}
    language = notebook.metadata.get("language_info", {})
    language.pop("version", None)
    for index, cell in enumerate(notebook.cells):
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        tags = cell.metadata.get("tags")
        if tags == []:
            del cell.metadata["tags"]
        cell["id"] = "injected-parameters" if "injected-parameters" in (tags or []) else f"cell-{index:02d}"
    return notebook


def _normalize_stored(path: Path, shown_parameters: dict | None = None) -> nbformat.NotebookNode:
    """Normalize the executed notebook stored at ``path``, in place, and return it; with ``shown_parameters``,
    its injected parameters cell says those, written as papermill writes it."""
    notebook = normalize_notebook(nbformat.read(path, as_version=4))
    if shown_parameters is not None:
        from papermill.translators import translate_parameters

        for cell in notebook.cells:
            if cell.id == "injected-parameters":
                cell.source = translate_parameters(KERNEL_NAME, "python", shown_parameters, "Parameters")
    nbformat.write(notebook, path)
    return notebook


def execute_notebook(input_path: str | os.PathLike, output_path: str | os.PathLike,
                     parameters: dict | None = None, *, progress: bool = False,
                     shown_parameters: dict | None = None) -> nbformat.NotebookNode:
    """Execute a notebook with papermill and write it normalized.

    The kernel starts in the notebooks folder of the checkout; installed from
    the wheel, in the folder of ``output_path``, never in the installed package.
    ``shown_parameters``, when given, are what the stored notebook's parameters
    cell says instead of ``parameters``: the report runs a notebook with its
    figures going into a build folder, which is renamed once the report is
    complete, and stores it naming the figures' place beside it.

    On a failing cell, papermill's ``PapermillExecutionError`` propagates
    (naming the cell and the error) after the partly executed notebook is
    written to ``output_path`` for inspection. Any failure propagates as it
    was raised: if papermill could not write the notebook (a full disk), the
    half-written file is left as it is, and its unreadable text does not hide
    the ``OSError`` that cut it short.
    """
    import papermill
    from traitlets.config import Config

    output_path = Path(output_path)
    cwd = config.NOTEBOOKS if config.CHECKOUT else output_path.absolute().parent
    try:
        # IPC sockets in a private folder keep the kernel's traffic on this machine (and ipykernel's
        # warning about unencrypted TCP out of the log); nbclient still owns and shuts down the kernel.
        with tempfile.TemporaryDirectory(prefix="kyodo-kernel-") as sockets:
            _KERNEL_FOLDERS.add(sockets)
            kernel_config = Config({"KernelManager": {"transport": "ipc", "ip": str(Path(sockets) / "kernel")}})
            try:
                papermill.execute_notebook(
                    str(input_path), str(output_path), parameters=parameters or None, kernel_name=KERNEL_NAME,
                    cwd=str(cwd), progress_bar=progress, log_output=False, config=kernel_config,
                    kernel_manager_class=QuietShutdownKernelManager,
                    # written once, when the run ends (after a failing cell too), not at every cell's start and
                    # end: a notebook that shows the pages of a 1,000-measure plan is 17 MB of JSON
                    request_save_on_cell_execute=False,
                )
            finally:
                _KERNEL_FOLDERS.discard(sockets)
    except BaseException:
        if output_path.exists():
            with contextlib.suppress(Exception):  # the failure is what is reported, not an unreadable notebook
                _normalize_stored(output_path, shown_parameters)
        raise
    return _normalize_stored(output_path, shown_parameters)


def refresh_stored_notebooks(paths: list[Path] | None = None) -> list[Path]:
    """Execute each notebook with its default parameters and store it in place (the nbval baseline).

    Raises
    ------
    ArgumentError
        Installed from the wheel, for a notebook in the installed packages'
        folder (the bundled ones by default): a package is never rewritten.
    """
    paths = notebook_paths() if paths is None else paths
    if not config.CHECKOUT:
        for path in paths:
            if config.PROJECT_ROOT in Path(path).resolve().parents:
                raise ArgumentError(f"{path} はインストールされたパッケージの中のノートブックのため、書き換えません。"
                                    f"保存版の更新はチェックアウトの中で make notebooks で行ってください")
    for path in paths:
        print(f"executing {path.name}", flush=True)
        nbformat.write(set_parameters_cell(nbformat.read(path, as_version=4)), path)
        execute_notebook(path, path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to refresh (default: all)")
    args = parser.parse_args(argv)
    try:
        refresh_stored_notebooks(args.notebooks or None)
    except KyodoError as error:
        print(terminal_safe(f"エラー: {error}"), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
