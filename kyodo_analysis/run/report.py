"""One command builds the whole review: ``kyodo-report`` (``make report``).

1. Validate every option and the raw table; bad input stops here, before
   any notebook runs, with one line naming the file, line and value, and
   exit code 2. The output folder must be new, empty, or one that
   kyodo-report made (see :mod:`kyodo_analysis.run.outputs`).
2. Take the output folder's lock (a second run into the same folder stops
   with a message), and execute every notebook with papermill in worker
   processes (``--jobs``, see :mod:`kyodo_analysis.run.runner`), in a marked
   build folder beside ``--out``.
3. Export a reader-facing HTML page per notebook (no code, no prompts, no
   scripts: readable offline), an ``index.html`` and ``kyodo_review.xlsx``.
4. Swap the finished folder into ``--out``. On failure the previous ``--out``
   is left as it was, and the failed build is kept in ``<out>.failed/``.
   Ctrl-C or SIGTERM stops every notebook and kernel, removes the build
   folder and exits with 130 or 143; the previous ``--out`` is left as it was.
   A signal during the swap is held until both renames are done (``--out``
   is never left missing); the run then says that the new report is in
   place, and the next run removes what is left of the old one.
   A full disk (or quota) stops the run with one line naming the file that
   could not be written, and the build is removed.

Only the default review (the bundled table, default options) in the
checkout also updates the tracked ``figures/``, and only once its build has
succeeded; any other run, and any run of the package installed from the
wheel, keeps its figures in its own output folder only.

Every file but the generation date in ``index.html`` is byte-identical
from run to run on unchanged inputs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

# Only light modules at the top: `kyodo-report --help` and an input error answer at once. pandas,
# papermill and nbformat (whose jsonschema import alone takes a second) load where they are used.
from kyodo_analysis import config
from kyodo_analysis.era import japanese_date
from kyodo_analysis.file_writes import DISK_FULL
from kyodo_analysis.run.outputs import (
    check_output_folder,
    new_build_folder,
    output_lock,
    remove_marked,
    remove_stale_builds,
    replace_file,
    swap_in,
)
from kyodo_analysis.run.parameters import NotebookParameters
from kyodo_analysis.run.runner import Interrupted, SignalGuard, run_tasks, signals_raise
from kyodo_analysis.validation import ArgumentError, check_one_line
from kyodo_analysis.words import INDEX_TEXT, NOTEBOOK_TITLES, REVIEW_NAMES
from kyodo_analysis.writers.html import index_html, reader_html

if TYPE_CHECKING:
    from kyodo_analysis.analysis.review import PlanReview
    from kyodo_analysis.writers.pdf import PrintCopies

__all__ = ["build_report", "default_out", "ReportError",
           "MAX_REPORT_MEASURES"]

WORKBOOK_NAME = "kyodo_review.xlsx"


def document_names(kind: str) -> tuple[str, str]:
    """The Word and PDF files of a review of ``kind``: 中間評価報告書.docx/.pdf, or 最終評価報告書.docx/.pdf.

    Examples
    --------
    >>> document_names("final")
    ('最終評価報告書.docx', '最終評価報告書.pdf')
    """
    name = REVIEW_NAMES["ja"][kind]
    return f"{name}報告書.docx", f"{name}報告書.pdf"


#: The midterm review's Word and PDF files (a final review's: document_names("final")).
WORD_NAME, PDF_NAME = document_names("midterm")

#: The most measures one report takes: a 総合計画's action plan has 300-1,000.
MAX_REPORT_MEASURES = 2_000


#: How a notebook cell's OSError reads: ``[Errno 28] No space left on device: '/path'``.
_OS_ERROR_TEXT = re.compile(r"\[Errno (\d+)\] ([^:]+)(?:: '(.+)')?")


class ReportError(RuntimeError):
    """A notebook failed; the message names the notebook, the cell and the error."""


def execute_task(path: str, output: str, parameters: dict, page: str, title: str, progress) -> dict:
    """Run one notebook and export its reader page (in a worker process); report a failing cell, don't raise.

    Returns ``{"name", "seconds", "error", "disk_full"}``: ``error`` is None on
    success; ``disk_full`` is None, or, when a write failed because the disk
    (or quota) is full, ``{"errno", "strerror", "filename"}`` of that write,
    for the main process to raise as the :class:`OSError` it was.
    """
    from papermill.exceptions import PapermillExecutionError

    from kyodo_analysis.run.notebooks import execute_notebook

    start = time.perf_counter()
    progress({"event": "started"})
    error = disk_full = None
    writing = output
    try:
        # stored naming the report's own figures/ beside notebooks/, not the build folder that is renamed
        notebook = execute_notebook(path, output, parameters,
                                    shown_parameters={**parameters, "figures_dir": "../figures"})
        text = reader_html(notebook, title)
        writing = page
        Path(page).write_text(text, encoding="utf-8")
    except PapermillExecutionError as failure:
        error = f"cell {failure.exec_count} raised {failure.ename}: {failure.evalue}"
        written = _OS_ERROR_TEXT.fullmatch(failure.evalue or "")
        if failure.ename == "OSError" and written and int(written[1]) in DISK_FULL:  # a write in the notebook
            disk_full = {"errno": int(written[1]), "strerror": written[2], "filename": written[3]}
    except Exception as failure:  # the kernel died, papermill could not start it, or a write failed
        error = f"{type(failure).__name__}: {failure}"
        if isinstance(failure, OSError) and failure.errno in DISK_FULL:  # a write error names no file: name it
            disk_full = {"errno": failure.errno, "strerror": failure.strerror, "filename": failure.filename or writing}
    return {"name": Path(path).stem, "seconds": time.perf_counter() - start, "error": error, "disk_full": disk_full}


def default_out(raw: str | os.PathLike | None) -> Path:
    """``reports/`` for the bundled table; ``reports_<name>/`` beside it for another, so Kitamoto's is never overwritten.

    In the checkout they are in the project folder; installed from the wheel, in the current folder
    (:data:`~kyodo_analysis.config.REPORTS`).
    """
    return config.REPORTS if raw is None else config.REPORTS.with_name(f"reports_{Path(raw).stem}")


def _check_options(title: str | None, jobs: int | None, author: str | None = None) -> None:
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise ArgumentError(f"--jobs は1以上の整数で指定してください（{jobs!r}）")
    if title is not None:
        check_one_line(title, "--title")
    if author is not None:
        check_one_line(author, "--author")


def review_date(dated: str | dt.date | None) -> dt.date:
    """The date the review is dated: ``dated`` (a date, or text such as 2011-03-31), else today.

    Examples
    --------
    >>> review_date("2011-03-31")
    datetime.date(2011, 3, 31)
    """
    if dated is None:
        return dt.date.today()
    if isinstance(dated, dt.date):
        return dated
    try:
        return dt.date.fromisoformat(str(dated))
    except ValueError:
        raise ArgumentError(f"--dated は 2011-03-31 のように年-月-日で指定してください（{dated!r}）") from None


def build_report(out: str | os.PathLike | None = None, *, raw: str | os.PathLike | None = None,
                 era: str | None = None, sheet: str | None = None, title: str | None = None,
                 as_of: int | None = None, structure: str | os.PathLike | None = None,
                 previous: str | os.PathLike | Sequence[str | os.PathLike] | None = None,
                 errata: str | os.PathLike | None = None, indicators: str | os.PathLike | None = None,
                 indicator_scheme: str = "level", jobs: int | None = None,
                 author: str | None = None, dated: str | dt.date | None = None,
                 notebooks: list[Path] | None = None, log=print) -> Path:
    """Build the whole review into ``out``; return it.

    ``previous`` is the previous round's table, or the earlier rounds' tables, oldest first (see
    :func:`~kyodo_analysis.analysis.review.review_plan`).

    Raises
    ------
    ValueError
        Bad input or options (:class:`~kyodo_analysis.source.parsing.StatusTableError`,
        :class:`~kyodo_analysis.run.outputs.OutputFolderError`, ...), found before
        any notebook runs; ``out`` is untouched.
    ReportError
        A notebook failed; ``out`` is untouched and the build is kept in ``<out>.failed``.
    Interrupted
        SIGINT or SIGTERM; every worker and kernel has stopped, the build
        folder is removed and ``out`` is untouched; or, if the signal came
        during or after the swap, the new report is in place and
        ``outcome`` says so.
    OSError
        A write failed, such as on a full disk (``errno`` in :data:`DISK_FULL`;
        ``filename`` names the file, or the folder of ``out``); the build is removed.
    """
    from kyodo_analysis.analysis.review import review_plan

    out = Path(os.path.abspath(default_out(raw) if out is None else out))
    raw = None if raw is None else Path(os.path.abspath(raw))
    _check_options(title, jobs, author)
    dated = review_date(dated)
    structure = None if structure is None else Path(os.path.abspath(structure))
    previous = _previous_rounds(previous)
    errata = None if errata is None else Path(os.path.abspath(errata))
    indicators = None if indicators is None else Path(os.path.abspath(indicators))
    check_output_folder(out, inputs=[path for path in (raw, structure, *(previous or ()), errata, indicators)
                                     if path is not None])
    plan_review = review_plan(raw, era=era, sheet=sheet, title=title, as_of=as_of, structure=structure,
                              previous=previous, errata=errata, indicators=indicators,
                              indicator_scheme=indicator_scheme)
    if len(plan_review.measures) > MAX_REPORT_MEASURES:
        raise ArgumentError(f"{raw}: {len(plan_review.measures):,} measures is more than the "
                            f"{MAX_REPORT_MEASURES:,} one report takes; split the plan")
    if notebooks is None:
        from kyodo_analysis.run.notebooks import notebook_paths  # nbformat: imported only once the input has passed

        notebooks = notebook_paths()
    # Only the checkout has tracked figures: an installed wheel keeps them in the report alone.
    default_review = (config.CHECKOUT and raw is None and era in (None, config.KITAMOTO_ERA) and sheet is None
                      and title is None and as_of is None and structure is None and previous is None
                      and errata is None and indicators is None)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with output_lock(out), signals_raise() as signals:
            for stale in remove_stale_builds(out):
                log(f"kyodo-report: 中断された実行が残した {stale.name} を削除しました")
            _build_and_swap(out, signals, default_review,
                            partial(_build, plan_review=plan_review, notebooks=notebooks, raw=raw, era=era, sheet=sheet,
                                    title=title, as_of=as_of, structure=structure, previous=previous, errata=errata,
                                    indicators=indicators, indicator_scheme=indicator_scheme,
                                    jobs=jobs, author=author, dated=dated, log=log))
    except OSError as error:
        if error.errno in DISK_FULL and not error.filename:  # a write error names no file: name the folder
            error.filename = str(out.parent)
        raise
    log(f"kyodo-report: {out}/index.html を書きました")
    return out


def _build_and_swap(out: Path, signals: SignalGuard, default_review: bool, build: Callable[[Path], None]) -> None:
    """Make a build folder, fill it with ``build(folder)``, and swap it in for ``out``; call holding the lock.

    A failed build (:class:`ReportError`) is kept in ``<out>.failed``; on any
    other error or a signal before the swap the build is removed. The swap
    (with the copy of the default review's figures to the tracked
    ``figures/``) is done whole, a signal meanwhile held until it is; a signal
    after the swap leaves the new report in place, and the :class:`Interrupted`
    says so (its ``outcome``).
    """
    folder = previous = None
    swapped = False
    try:
        with signals.deferred():  # a build folder exists only with its mark
            folder = new_build_folder(out)
        build(folder)
        with signals.deferred():  # --out is never left missing, and figures/ changes with it
            if default_review:  # the tracked figures change only with a successful default review
                for figure in sorted((folder / "figures").iterdir()):
                    replace_file(figure, config.FIGURES / figure.name)
            previous = swap_in(folder, out)
            swapped = True
        if previous is not None:
            remove_marked(previous)
    except ReportError as error:
        with contextlib.suppress(Interrupted), signals.deferred():  # the run ends with the failure at once
            kept = _keep_failed_build(folder, out)
        raise ReportError(f"{error} (executed notebooks kept in {kept}/notebooks)") from None
    except BaseException as stop:
        if not swapped and folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        if swapped and isinstance(stop, Interrupted):
            stop.outcome = f"{stop.signal_name} で中断しました。新しいレポートは {out} にできています"
            if previous is not None and previous.exists():
                stop.outcome += f"。以前のレポートは {previous} に残っていて、次の実行で削除されます"
        raise


def _keep_failed_build(build: Path, out: Path) -> Path:
    """Move a failed ``build`` to ``<out>.failed`` (replacing a marked one); return where it is."""
    failed = out.with_name(out.name + ".failed")
    if os.path.lexists(failed) and not remove_marked(failed):
        return build  # a folder, file or link of the user's by that name: keep the build where it is
    try:
        build.rename(failed)
    except OSError:  # something took the name meanwhile
        return build
    return failed


def _previous_rounds(previous) -> list[Path] | None:
    """The earlier rounds' tables as absolute paths, oldest first (one path, or a sequence of them); None for none."""
    if previous is None:
        return None
    paths = [previous] if isinstance(previous, (str, os.PathLike)) else list(previous)
    return [Path(os.path.abspath(path)) for path in paths] or None


def _build(build: Path, plan_review: PlanReview, notebooks: list[Path], *, raw: Path | None, era: str | None,
           sheet: str | None, title: str | None, as_of: int | None, structure: Path | None,
           previous: list[Path] | None,
           errata: Path | None, jobs: int | None, author: str | None = None, dated: dt.date | None = None,
           indicators: Path | None = None, indicator_scheme: str = "level", log) -> None:
    """Execute the notebooks into ``build`` and write the pages, the workbook and the index."""
    parameters = NotebookParameters(raw=None if raw is None else str(raw), era=era, sheet=sheet, title=title,
                                    as_of=None if as_of is None else int(as_of),
                                    structure=None if structure is None else str(structure),
                                    # one earlier round as a path, as before; several as a list, oldest first
                                    previous=None if previous is None else str(previous[0]) if len(previous) == 1
                                    else [str(path) for path in previous],
                                    errata=None if errata is None else str(errata),
                                    indicators=None if indicators is None else str(indicators),
                                    indicator_scheme=indicator_scheme,
                                    figures_dir=str(build / "figures")).to_papermill()
    (build / "notebooks").mkdir()
    (build / "figures").mkdir()
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(notebooks)))
    log(f"kyodo-report: {raw.name if raw else '同梱の北本市の表'} について、ノートブック{len(notebooks)}件を{jobs}件ずつ実行します")
    def page_title(stem: str) -> str:  # the narrative's page is named for the review's time
        if stem == "10_midterm_review":
            return REVIEW_NAMES["ja"][plan_review.kind]
        return NOTEBOOK_TITLES["ja"].get(stem, stem)

    # The notebooks that draw the review's figures run first, and the documents, which print the figures, are
    # written as soon as those are done, while the others still run. Of those, the narrative (the last notebook,
    # whose page leads the index), the longest, which shows every figure again, starts first.
    from kyodo_analysis.content.catalog import review_figures
    from kyodo_analysis.writers.pdf import PrintCopies

    drawing = {figure.notebook for figure in review_figures(plan_review)}
    others = [path for path in notebooks if path.stem not in drawing]
    order = [path for path in notebooks if path.stem in drawing] + others[-1:] + others[:-1]
    tasks = [
        {"path": str(path), "output": str(build / "notebooks" / path.name), "parameters": parameters,
         "page": str(build / f"{path.stem}.html"),
         "title": f"{plan_review.title}：{page_title(path.stem)}"}
        for path in order
    ]
    waiting_for_figures = {task["path"] for task in tasks if Path(task["path"]).stem in drawing}
    failures: list[str] = []
    written: tuple[list[tuple[str, str]], list[tuple[str, str]]] | None = None
    today = dated or dt.date.today()

    def write_documents() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """The workbook, the Word draft and the PDF, from the figures drawn so far (all of them); the links to
        them and to the figures, for the index."""
        from kyodo_analysis.content.document import review_document
        from kyodo_analysis.writers.workbook import write_workbook

        document = review_document(plan_review, figures=drawn_figures(), generated=today, author=author or "")
        # the file's name only: no output names a path of the machine it ran on
        workbook = partial(
            write_workbook, plan_review, build / WORKBOOK_NAME,
            source_name=raw.name if raw is not None else f"data/raw/{config.KITAMOTO_STATUS_TABLE.name}")
        links = [*_write_documents(document, build, plan_review.kind, print_copies, before_word=workbook),
                 (WORKBOOK_NAME, INDEX_TEXT["ja"]["workbook"])]
        return links, [(f"figures/{figure.path.name}", figure.caption) for figure in document.figures]

    def drawn_figures() -> list[Path]:
        return sorted((build / "figures").glob("*.png"))  # the PNGs written whole (a file is staged as .*.partial)

    def started(task: dict, _event: dict) -> None:
        log(f"  実行中 {Path(task['path']).stem}")

    with (PrintCopies(build) as print_copies,
          contextlib.closing(run_tasks("kyodo_analysis.run.report:execute_task", tasks, jobs=jobs,
                                       on_event=started)) as runs):
        for done, (task, run) in enumerate(runs, start=1):
            if run.get("disk_full"):  # said once, for the whole run: the other notebooks are stopped
                full = run["disk_full"]
                raise OSError(full["errno"], full["strerror"], full["filename"])
            name = Path(task["path"]).stem
            status = "完了" if run["error"] is None else f"失敗: {run['error']}"
            log(f"  [{done}/{len(tasks)}] {name}  {run.get('seconds', 0):.1f} s  {status}")
            if run["error"] is not None:
                failures.append(f"{name}.ipynb: {run['error']}")
            elif task["path"] in waiting_for_figures:  # its figures are scaled for the PDF while the others run
                print_copies.add(drawn_figures())
            waiting_for_figures.discard(task["path"])
            if written is None and not waiting_for_figures and not failures and done < len(tasks):
                written = write_documents()
        if failures:
            raise ReportError("; ".join(failures))
        documents, figures = written or write_documents()

    words = INDEX_TEXT["ja"]
    review_pages = [(f"{path.stem}.html", page_title(path.stem)) for path in notebooks]
    review, details = review_pages[-1:], review_pages[:-1]  # the narrative (10) leads, the detail pages follow
    analysts = [(f"notebooks/{path.name}", words["notebook"].format(name=path.name)) for path in notebooks]
    if raw is not None:  # another table's tidy CSVs and codebook, beside its review (Kitamoto's stay in data/)
        from kyodo_analysis.source.loaders import write_processed
        from kyodo_analysis.writers.codebook import write_codebook

        write_processed(build / "data", raw, era=era, sheet=sheet)
        write_codebook(build / "data" / "README.md", raw, era=era, sheet=sheet)
        analysts.append(("data/README.md", words["codebook"]))
    sections = [(words["main"], review), (words["detail"], details), (words["documents"], documents),
                (words["analysts"], analysts)]
    (build / "index.html").write_text(index_html(plan_review, sections, figures, japanese_date(today)),
                                      encoding="utf-8")


def _write_documents(document, build: Path, kind: str, print_copies: PrintCopies | None = None,
                     before_word: Callable[[], object] = lambda: None) -> list[tuple[str, str]]:
    """Write the Word draft and the print PDF into ``build``; return their links for the index.

    The PDF is made first, in a thread that mostly waits (for the figures' ``print_copies``, made there if not
    given, then for Typst, which sets the pages in its own process): at a thousand measures it takes several
    seconds. Meanwhile this thread calls ``before_word`` (the workbook) and writes the Word draft. Whatever
    stops them waits for the PDF's thread before it goes on."""
    from concurrent.futures import ThreadPoolExecutor

    from kyodo_analysis.writers.docx_writer import write_word_report
    from kyodo_analysis.writers.pdf import PdfError, write_pdf_report

    words = INDEX_TEXT["ja"]
    word_name, pdf_name = document_names(kind)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kyodo-pdf") as pool:
        printing = pool.submit(write_pdf_report, document, build / pdf_name, root=build, print_copies=print_copies)
        if print_copies is not None:  # the PDF's figures first: then Typst, the longest step, runs beside the rest
            print_copies.wait()
        before_word()
        write_word_report(document, build / word_name)
        try:
            printing.result()
        except PdfError as error:
            raise ReportError(str(error)) from None
    return [(word_name, words["word"]), (pdf_name, words["pdf"])]
