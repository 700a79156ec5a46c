"""The review as a print PDF: a :class:`~kyodo_analysis.content.document.ReviewDocument` laid out by Typst.

:func:`write_pdf_report` compiles the template ``review.typ`` (next to this module)
with the ``typst`` wheel: no TeX, no browser, no system font. The document goes
to the template as JSON in ``sys.inputs`` and the template shows every value as
text, so no plan's title or status is ever read as Typst markup. Typst reads
files only under ``root``, the build folder that holds the figures.

Typst runs in a child process (a fresh interpreter that imports Typst alone)
with a memory limit (:data:`PDF_MEMORY_LIMIT`, as ``RLIMIT_AS`` where the
platform has it) and a time limit (:data:`PDF_TIMEOUT`): a document that would
take more, such as a status of millions of characters, stops with one line
(:class:`PdfError`) instead of taking the report's process, or the machine,
down. The child makes the same call as before, so the bytes are the same.

The PDF is A4, in IPAexGothic (the font japanize-matplotlib ships, embedded),
with a title page, a table of contents, the sections, the figures, the tables
(their header rows repeat on every page) and the appendix. It carries no
creation date: the same document gives the same bytes.

Examples
--------
What the template receives: strings as they are, and a width and an alignment for each column.

>>> appendix = TableItem("付表", ("No", "評価", "状況"), (("1", "◎", "*済* " * 30), ("12", "×", "未実施")))
>>> payload = _payload(ReviewDocument("計画#1", "中間評価報告書", "", "", "", (), (), (), appendix), Path("."))
>>> payload["title"], payload["appendix"]["widths"], payload["appendix"]["align"]
('計画#1', ['auto', 'auto', 3], ['right', 'center', 'left'])
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import itertools
import json
import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import warnings
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import typst

from kyodo_analysis.config import font_folder
from kyodo_analysis.content.document import ReviewDocument, TableItem
from kyodo_analysis.file_writes import write_file
from kyodo_analysis.png import png_bytes

if TYPE_CHECKING:
    from collections.abc import Iterable
    from concurrent.futures import Future

__all__ = ["TEMPLATE", "PDF_MEMORY_LIMIT", "PDF_TIMEOUT", "PdfError", "PrintCopies", "write_pdf_report"]

#: The Typst template (package data); it reads everything from ``sys.inputs.data``.
TEMPLATE = Path(resources.files(__package__) / "review.typ")

#: Typst's clock while compiling. The template sets no document date, so this only pins ``datetime.today()``.
_TIMESTAMP = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)

#: The most memory (address space, bytes) the Typst step may take. Kitamoto's review takes about 300 MB.
PDF_MEMORY_LIMIT = 2 * 1024**3
#: The most seconds the Typst step may take. Kitamoto's review takes about 1.5 s.
PDF_TIMEOUT = 120
#: The widest a figure goes into the PDF, in pixels: 200 dpi (the figures' own) across the 16 cm text width.
#: Typst holds every image decoded (4 bytes a pixel), so a wider figure is scaled down for the PDF alone (its
#: file stays as it is): at their saved size, the pages of a 1,000-measure plan took 1.3 of Typst's 1.76 GB.
PRINT_MAX_WIDTH = 1260

# What the child process runs (python -I: no user site, no current folder on the path): the limits first,
# then Typst on the pickled request from stdin; the answer, pickled, to stdout. The CPU limit (4 times the
# time limit) ends the child even if the report's process is killed outright and cannot stop it.
_CHILD = """
import pickle, sys
memory, seconds = int(sys.argv[1]), float(sys.argv[2])
try:
    import resource
    for kind, limit in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CPU, int(4 * seconds) + 1)):
        hard = resource.getrlimit(kind)[1]
        limit = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        resource.setrlimit(kind, (limit, limit))
except (ImportError, AttributeError, ValueError, OSError):
    pass  # a platform without these limits: the parent's timeout still holds
import typst
request = pickle.load(sys.stdin.buffer)
try:
    pdf, diagnostics = typst.compile_with_warnings(**request)
    answer = ("pdf", pdf, [diagnostic.args for diagnostic in diagnostics])
except typst.TypstError as error:
    answer = ("error", error.args)
pickle.dump(answer, sys.stdout.buffer)
"""


#: What the child says when the memory limit stops it: Rust's allocator, Python's, the loader of Typst's library.
_OUT_OF_MEMORY = ("memory allocation of", "MemoryError", "failed to map segment", "Cannot allocate memory")


class PdfError(RuntimeError):
    """The Typst step failed outside Typst's own diagnostics: out of memory or time, or its process died."""


_NUMBER = re.compile(r"[-−]?[\d,]+(\.\d+)?%?|—|-|")
#: A column whose longest text is at most this many characters is as wide as its text (auto).
_SHORT = 10
#: The other columns share the rest of the width: a column whose longest text is over 60 characters
#: (a status) gets 2 shares, over 100 characters 3 shares, others 1.
_SHARES = ((100, 3), (60, 2))


def _layout(table: TableItem) -> dict:
    """A table as the template takes it, with a width ("auto" or a weight in fr) and an alignment per column."""
    widths, align = [], []
    for index, column in enumerate(table.columns):
        cells = [row[index] for row in table.rows]
        longest = max(len(text) for text in (column, *cells))
        widths.append("auto" if longest <= _SHORT else next((n for limit, n in _SHARES if longest > limit), 1))
        if cells and all(_NUMBER.fullmatch(cell) for cell in cells):
            align.append("right")
        elif cells and all(len(cell) <= 2 for cell in cells):
            align.append("center")
        else:
            align.append("left")
    return {"caption": table.caption, "columns": list(table.columns), "rows": [list(row) for row in table.rows],
            "widths": widths, "align": align, "note": table.note}


def _typst_path(figure: Path, root: Path) -> str:
    """The figure's path for Typst: relative to ``root``, starting with "/"; a figure outside ``root`` is refused.

    The path is resolved first, so neither ``..`` nor a symbolic link leads out of ``root``.
    """
    resolved = figure.resolve()
    if not resolved.is_relative_to(root):
        raise ValueError(f"figure {figure} is outside the PDF's root folder {root}: Typst may read only under it")
    if not resolved.is_file():
        raise FileNotFoundError(f"figure {figure} does not exist")
    return "/" + resolved.relative_to(root).as_posix()


def _payload(document: ReviewDocument, root: Path) -> dict:
    """The document as the JSON the template reads; consecutive list items become one list, and a quotation
    after an item belongs to that item."""
    root = root.resolve()
    sections = []
    for section in document.sections:
        if section.draft_only:  # 総括: the committee's words, printed once written
            continue
        blocks: list[dict] = []
        for block in section.blocks:
            listing = blocks[-1] if blocks and blocks[-1]["kind"] == "list" else None
            if block.kind == "item":
                if listing is None:
                    blocks.append(listing := {"kind": "list", "items": []})
                listing["items"].append({"text": block.text, "quotes": []})
            elif block.kind == "quote" and listing is not None:
                listing["items"][-1]["quotes"].append(block.text)
            else:  # a paragraph, a heading, a quotation on its own
                blocks.append({"kind": block.kind, "text": block.text})
        # the figures and tables the section cites stand after its text
        sections.append({"title": section.title, "level": section.level, "blocks": blocks,
                         "appendix": section.key == document.appendix.section,
                         "figures": [{"path": _typst_path(figure.path, root), "caption": figure.caption}
                                     for figure in document.figures if figure.section == section.key],
                         "tables": [_layout(table) for table in document.tables if table.section == section.key]})
    return {
        "title": document.title,
        "heading": document.heading,
        "period": document.period,
        "as_of": document.as_of,
        "date": document.date,
        "title_page": [list(line) for line in document.title_page()],
        "sections": sections,
        "appendix": _layout(document.appendix),
        # a document without the chapter 施策別の評価 prints the appendix at its end, under 付表
        "appendix_at_end": not any(section["appendix"] for section in sections),
    }


def _compile(request: dict, path: Path) -> tuple[bytes, list[tuple]]:
    """Run ``typst.compile_with_warnings(**request)`` in a child process under the limits; the PDF and the
    warnings' arguments. Typst's errors raise :class:`typst.TypstError`; a child out of memory or time, or
    dead, raises :class:`PdfError` naming ``path``."""
    advice = "表に極端に長い記述がないか確かめてください"
    try:
        child = subprocess.run(
            [sys.executable, "-I", "-c", _CHILD, str(PDF_MEMORY_LIMIT), str(PDF_TIMEOUT)],
            input=pickle.dumps(request), capture_output=True, timeout=PDF_TIMEOUT, check=False,
            env=dict(os.environ, MALLOC_ARENA_MAX="2"),  # few malloc arenas: threads don't reserve the limit away
            start_new_session=True,  # a Ctrl-C reaches the report, which stops the child
        )
    except subprocess.TimeoutExpired:
        raise PdfError(f"{path}: PDF の組版が上限の {PDF_TIMEOUT} 秒で終わらないため、中止しました。{advice}") from None
    if child.returncode != 0:
        said = child.stderr.decode("utf-8", "replace").strip().splitlines()
        if any(sign in line for line in said for sign in _OUT_OF_MEMORY):
            raise PdfError(f"{path}: PDF の組版がメモリの上限（{PDF_MEMORY_LIMIT / 2**20:,.0f} MiB）を超えたため、"
                           f"中止しました。{advice}")
        how = (f"シグナル {signal.Signals(-child.returncode).name}" if child.returncode < 0
               else f"終了コード {child.returncode}")
        last = f": {said[-1][:200]}" if said else ""
        raise PdfError(f"{path}: PDF の組版の処理が異常終了しました（{how}{last}）")
    answer = pickle.loads(child.stdout)
    if answer[0] == "error":
        raise typst.TypstError(*answer[1])
    return answer[1], answer[2]


def write_pdf_report(document: ReviewDocument, path: Path, *, root: Path,
                     print_copies: PrintCopies | None = None) -> Path:
    """Write ``document`` as a PDF to ``path`` and return ``path``.

    ``root`` is the build folder: every figure must be under it (a figure
    elsewhere is a ``ValueError``, a missing one ``FileNotFoundError``), and
    Typst reads no file outside it. The figures wider than
    :data:`PRINT_MAX_WIDTH` are printed from scaled copies: ``print_copies``,
    made under ``root`` while the figures were drawn, or made here. Typst's
    warnings are passed on as :class:`typst.TypstWarning`; its errors raise
    :class:`typst.TypstError`. Typst runs in a child process, under
    :data:`PDF_MEMORY_LIMIT` and :data:`PDF_TIMEOUT`: beyond them, or if the
    child dies, :class:`PdfError` says so in one line naming ``path``, and
    nothing is written.
    """
    root = Path(root).resolve()
    path = Path(path)
    if not root.is_dir():
        raise ValueError(f"the PDF's root folder {root} is not a folder")
    for figure in document.figures:  # every figure under root, before any copy of it is made there
        _typst_path(figure.path, root)
    with contextlib.ExitStack() as stack:
        if print_copies is None:
            print_copies = stack.enter_context(PrintCopies(root))
        elif print_copies.root != root:
            raise ValueError(f"the print copies are made under {print_copies.root}, not the PDF's root {root}")
        printed = print_copies.document(document)
        pdf, diagnostics = _compile({
            "input": TEMPLATE.read_bytes(),
            "root": str(root),
            "font_paths": [str(font_folder())],
            "ignore_system_fonts": True,  # the same fonts, hence the same PDF, on every machine
            "format": "pdf",
            "sys_inputs": {"data": json.dumps(_payload(printed, root), ensure_ascii=False)},
            "timestamp": _TIMESTAMP,
            "pdf_standards": ["ua-1"],  # PDF/UA-1, as a public body publishes: tagged, titled, every figure described
        }, path)
    for diagnostic in diagnostics:
        warnings.warn(typst.TypstWarning(*diagnostic), stacklevel=2)
    write_file(path, pdf)  # whole, never through a link
    return path


class PrintCopies:
    """The figures wider than :data:`PRINT_MAX_WIDTH`, scaled down for the PDF, in a temporary folder under
    ``root`` that is removed on leaving the ``with`` block (the figures' own files stay as they are).

    :meth:`add` starts scaling figures in threads (Pillow lets go of the interpreter while it decodes and
    scales, NumPy and zlib while :func:`~kyodo_analysis.png.png_bytes` filters and packs), so that a report can
    have the pages of a large plan scaled as each notebook finishes, while the others still run; :meth:`wait`
    waits for them, and :meth:`document` gives the document to print.
    """

    def __init__(self, root: str | os.PathLike):
        from concurrent.futures import ThreadPoolExecutor

        self.root = Path(root).resolve()
        self._folder = Path(tempfile.mkdtemp(prefix=".kyodo-pdf-figures-", dir=self.root))
        self._pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="kyodo-print")
        self._copies: dict[Path, tuple[tuple[int, int], Future]] = {}  # each figure's size and time, its copy
        self._numbers = itertools.count()  # the copies' names

    def __enter__(self) -> PrintCopies:
        return self

    def __exit__(self, *_exc) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self._folder)

    def add(self, figures: Iterable[str | os.PathLike]) -> None:
        """Start scaling each figure not added before, or rewritten since; a figure outside ``root`` is refused,
        as in the PDF."""
        for figure in map(Path, figures):
            _typst_path(figure, self.root)  # read nothing outside root
            written = figure.stat()
            stamp = (written.st_size, written.st_mtime_ns)
            if figure not in self._copies or self._copies[figure][0] != stamp:
                copy = self._folder / f"{next(self._numbers):03d}.png"
                self._copies[figure] = (stamp, self._pool.submit(_print_copy, figure, copy))

    def wait(self) -> None:
        """Wait until every figure added so far is scaled (a scaling error is raised by :meth:`document`)."""
        from concurrent.futures import wait

        # a snapshot, taken at once: the PDF's thread may be adding its figures meanwhile (document)
        wait([copy for _stamp, copy in list(self._copies.values())])

    def document(self, document: ReviewDocument) -> ReviewDocument:
        """``document`` with each figure wider than :data:`PRINT_MAX_WIDTH` replaced by its scaled copy."""
        self.add(figure.path for figure in document.figures)
        return dataclasses.replace(document, figures=tuple(
            figure if (copy := self._copies[figure.path][1].result()) is None
            else dataclasses.replace(figure, path=copy)
            for figure in document.figures))


def _print_copy(figure: Path, copy: Path) -> Path | None:
    """Write ``figure`` scaled to :data:`PRINT_MAX_WIDTH` wide as ``copy`` and return it; None if it is narrower."""
    import numpy as np
    from PIL import Image

    with Image.open(figure) as image:
        if image.width <= PRINT_MAX_WIDTH:
            return None
        height = round(image.height * PRINT_MAX_WIDTH / image.width)
        pixels = image if image.mode == "RGB" else image.convert("RGB")  # the figures are RGB: no copy of them
        scaled = pixels.resize((PRINT_MAX_WIDTH, height), Image.Resampling.LANCZOS)
    copy.write_bytes(png_bytes(np.asarray(scaled), level=1))  # a temporary file, read once by Typst
    return copy
