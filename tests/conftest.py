import fcntl
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kyodo_analysis.config import KITAMOTO_STATUS_TABLE

from .builds import REPORTS, build_into, write_big_plan


@pytest.fixture
def seed_text() -> str:
    """The bundled Kitamoto table, as text."""
    return KITAMOTO_STATUS_TABLE.read_text(encoding="utf-8")


# --- the session's expensive things: each made once a run, asserted on by many tests ------------------------
#
# make test runs the tests on two workers (pytest-xdist, --dist loadscope: each file, and each notebook's
# cells, on one worker). The builds below are made once for both workers, in the run's shared temporary folder
# and under a file lock: a worker that needs one waits for the lock, then reads what was built. A full run
# (make test: the default test paths, every mark) starts the whole reports at once, in the background, each
# holding its lock until it is built; a run of a few files builds them in the first worker that needs one. The
# tests that use them, and nbval's notebook cells, are end to end (e2e): make check runs the others.

#: The session fixtures that cost seconds: a test that uses one is end to end.
SESSION_BUILDS = ("reiwa_build", "reiwa_report", "big_documents", "kitamoto_documents")


def pytest_collection_modifyitems(config, items):
    """Mark the tests that use a session build or run a notebook (nbval) as e2e."""
    for item in items:
        if item.path.suffix == ".ipynb" or set(SESSION_BUILDS) & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.e2e)


#: The builds this controller started in the background.
_BACKGROUND_BUILDS: list[subprocess.Popen] = []


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session):
    """In the controller of a full run on workers: start every whole report now, in the background.

    Each build process inherits its lock already taken, so that a worker that needs the report waits for the
    process to finish: there is no moment when the lock is free and the report not yet there."""
    config = session.config
    full_run = config.args_source == pytest.Config.ArgsSource.TESTPATHS and not config.option.markexpr
    if "PYTEST_XDIST_WORKER" in os.environ or not getattr(config.option, "numprocesses", None) or not full_run:
        return
    shared = config._tmp_path_factory.getbasetemp()  # the controller's: each worker's folder is in it
    for name in REPORTS:
        with open(shared / f"{name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            _BACKGROUND_BUILDS.append(subprocess.Popen(
                [sys.executable, "-m", "tests.builds", name, str(shared / name)], cwd=Path(__file__).parent.parent,
                pass_fds=(lock.fileno(),), start_new_session=True, stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        # the lock is the build process's now: its copy of the open file keeps it until the process ends


def pytest_sessionfinish(session):
    """A run stopped early (-x, Ctrl-C) stops the builds it started, with their notebooks' kernels."""
    for process in _BACKGROUND_BUILDS:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _built_once(tmp_path_factory, name: str, build) -> Path:
    """``build(folder)`` run once for all the run's workers; the folder it filled.

    A failed build is not retried: each worker that needs it fails with the same error."""
    if "PYTEST_XDIST_WORKER" not in os.environ:  # a plain pytest run: one process
        folder = tmp_path_factory.mktemp(name)
        build(folder)
        return folder
    shared = tmp_path_factory.getbasetemp().parent  # this run's, shared by its workers
    folder, failure = shared / name, shared / f"{name}.failed"
    with open(shared / f"{name}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # waits for the worker or the process that builds it
        if not folder.exists() and not failure.exists():
            build_into(build, folder)
    if failure.exists():
        pytest.fail(f"the session build {name} failed in another process: {failure.read_text(encoding='utf-8')}")
    return folder


@pytest.fixture(scope="session")
def reiwa_build(tmp_path_factory) -> Path:
    """The folder of the 令和 report's build (see builds.build_reiwa_report): the wheel, its venv, the run."""
    return _built_once(tmp_path_factory, "reiwa_report", REPORTS["reiwa_report"])


@pytest.fixture(scope="session")
def reiwa_report(reiwa_build):
    """``kyodo-report`` on the hand-made 令和 plan and its structure file, with markup in a title, a status and a
    department (see builds.py); the output folder and the command's output. Every notebook runs once here for
    test_report, test_notebooks, test_documents and test_wheel."""
    return reiwa_build / "work" / "reports_reiwa_plan", (reiwa_build / "stdout.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def big_documents(tmp_path_factory):
    """The big generated plan's figures and documents (builds.build_big_documents): the folder that holds them."""
    return _built_once(tmp_path_factory, "big_documents", REPORTS["big_documents"]) / "out"


@pytest.fixture(scope="session")
def big_plan(tmp_path_factory):
    """The big generated plan (builds.write_big_plan), and its structure file."""
    return write_big_plan(tmp_path_factory.mktemp("big_plan"))


@pytest.fixture(scope="session")
def kitamoto_documents(tmp_path_factory):
    """Kitamoto's review written as the report writes it, from the tracked figures: the Word draft, the PDF, the
    workbook, and the reader pages of the stored notebooks (which nbval re-executes: no second execution here)."""
    import datetime
    import shutil

    from kyodo_analysis import review_plan
    from kyodo_analysis.config import FIGURES
    from kyodo_analysis.content.document import review_document
    from kyodo_analysis.run.notebooks import notebook_paths
    from kyodo_analysis.run.report import PDF_NAME, WORD_NAME, WORKBOOK_NAME
    from kyodo_analysis.words import NOTEBOOK_TITLES
    from kyodo_analysis.writers.docx_writer import write_word_report
    from kyodo_analysis.writers.html import reader_html
    from kyodo_analysis.writers.pdf import write_pdf_report
    from kyodo_analysis.writers.workbook import write_workbook

    def build(folder):
        shutil.copytree(FIGURES, folder / "figures")
        plan_review = review_plan()
        document = review_document(plan_review, figures=sorted((folder / "figures").glob("*.png")),
                                   generated=datetime.date(2026, 11, 27))
        write_word_report(document, folder / WORD_NAME)
        write_pdf_report(document, folder / PDF_NAME, root=folder)
        write_workbook(plan_review, folder / WORKBOOK_NAME)
        for path in notebook_paths():
            page = reader_html(path, f"{plan_review.title}：{NOTEBOOK_TITLES['ja'][path.stem]}")
            (folder / f"{path.stem}.html").write_text(page, encoding="utf-8")

    return _built_once(tmp_path_factory, "kitamoto_documents", build)

