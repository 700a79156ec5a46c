import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kyodo_analysis.config import KITAMOTO_STATUS_TABLE

FIXTURES = Path(__file__).parent / "fixtures"
REIWA = FIXTURES / "reiwa_plan.txt"  # 8 measures in 4 blocks, 令和3-7年度, read by hand in the tests
#: Its previous round, by hand: No.1 was ○ (now ◎, ↑), No.5 △ (now ×, ↓), No.7 × (now △, ↑); the rest as now.
REIWA_PREVIOUS = FIXTURES / "reiwa_previous.txt"

#: Markup put into measure 8 of the 令和 plan for the report run: the sentence of its status that the
#: audit quotes (今後, 予定), and a department.
MARKUP_STATUS = ("令和4年度に制度を創設した。今後は<script>alert(1)</script>対象を[こちら](javascript:alert(1))と"
                 "http://evil.example/で、費用$x$と$y$に広げる予定。")
MARKUP_DEPARTMENT = "<i>市民課"
#: A hand-made structure of the 令和 plan: 基本目標 A 交流 = No.1-3 (◎ ○ ○), B 支援 = No.4-8 (△ × × △ ○).
REIWA_STRUCTURE = "No,基本目標\n" + "".join(f"{no},{'A 交流' if no <= 3 else 'B 支援'}\n" for no in range(1, 9))


@pytest.fixture
def seed_text() -> str:
    """The bundled Kitamoto table, as text."""
    return KITAMOTO_STATUS_TABLE.read_text(encoding="utf-8")


# --- the session's expensive things: each made once a run, asserted on by many tests ------------------------
#
# make test runs the tests on two workers (pytest-xdist, --dist loadscope: each file, and each notebook's
# cells, on one worker). The builds below are made once for both workers: the first worker that needs one
# makes it under a file lock in the run's shared temporary folder, and a worker that needs it meanwhile waits
# for the lock. The tests that use them, and nbval's notebook cells, are end to end (e2e): make check runs
# the others.

#: The session fixtures that cost seconds: a test that uses one is end to end.
SESSION_BUILDS = ("reiwa_report", "big_report", "kitamoto_documents")


def pytest_collection_modifyitems(config, items):
    """Mark the tests that use a session build or run a notebook (nbval) as e2e."""
    for item in items:
        if item.path.suffix == ".ipynb" or set(SESSION_BUILDS) & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.e2e)


def _built_once(tmp_path_factory, name: str, build) -> Path:
    """``build(folder)`` run once for all the run's workers; the folder it filled.

    A failed build is not retried: each worker that needs it fails with the same error."""
    if "PYTEST_XDIST_WORKER" not in os.environ:  # a plain pytest run: one process
        folder = tmp_path_factory.mktemp(name)
        build(folder)
        return folder
    shared = tmp_path_factory.getbasetemp().parent  # this run's, shared by its workers
    folder, failure = shared / name, shared / f"{name}.failed"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # waits for the worker that builds it
        if not folder.exists() and not failure.exists():
            folder.mkdir()
            try:
                build(folder)
            except BaseException as error:
                failure.write_text(f"{type(error).__name__}: {error}", encoding="utf-8")
                raise
    if failure.exists():
        pytest.fail(f"the session build {name} failed in another worker: {failure.read_text(encoding='utf-8')}")
    return folder


def _reiwa_inputs(folder: Path) -> list[str]:
    """The 令和 plan with markup in measure 8, its structure file; the report's options."""
    text = REIWA.read_text(encoding="utf-8")
    row = "福祉部 まちづくり推進課\t令和4年度に制度を創設した。今後は対象を広げる予定。"
    assert text.count(row) == 1
    raw, structure = folder / "reiwa_plan.txt", folder / "structure.csv"
    raw.write_text(text.replace(row, f"福祉部 まちづくり推進課 {MARKUP_DEPARTMENT}\t{MARKUP_STATUS}"), encoding="utf-8")
    structure.write_text(REIWA_STRUCTURE, encoding="utf-8")
    return ["--raw", str(raw), "--era", "令和", "--structure", str(structure), "--title", "架空市<b>協働</b>計画",
            "--previous", str(REIWA_PREVIOUS)]


def _run_report(folder: Path, arguments: list[str]) -> None:
    """Run kyodo-report into ``folder/out``, one notebook at a time (the other worker has the other core), and
    keep its output in ``folder/stdout.txt``."""
    run = subprocess.run([sys.executable, "-m", "kyodo_analysis.report", *arguments, "--out", str(folder / "out"),
                          "--jobs", "1"], capture_output=True, text=True, check=False, timeout=600)
    assert run.returncode == 0, f"kyodo-report {' '.join(arguments)} failed:\n{run.stderr}"
    (folder / "stdout.txt").write_text(run.stdout, encoding="utf-8")


@pytest.fixture(scope="session")
def reiwa_report(tmp_path_factory):
    """``kyodo-report`` on the hand-made 令和 plan and its structure file, with markup in a title, a status and a
    department; the output folder and the command's output. Every notebook runs once here for test_report,
    test_notebooks and test_documents."""
    def build(folder):
        _run_report(folder, _reiwa_inputs(folder))

    folder = _built_once(tmp_path_factory, "reiwa_report", build)
    return folder / "out", (folder / "stdout.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def big_report(tmp_path_factory, big_plan):
    """``kyodo-report`` on the big generated plan and its structure: the output folder."""
    raw, structure = big_plan

    def build(folder):
        _run_report(folder, ["--raw", str(raw), "--structure", str(structure)])

    return _built_once(tmp_path_factory, "big_report", build) / "out"


@pytest.fixture(scope="session")
def big_plan(tmp_path_factory):
    """A generated 130-measure plan in 3 基本目標 (one 基本方針 each), headed 平成30 令和元 2 3 4, and its structure.

    Each 基本目標 holds more measures than a page (40): its figures go on two pages."""
    from kyodo_analysis.synthetic import Messiness, generate_measures, render_status_table, render_structure

    folder = tmp_path_factory.mktemp("big_plan")
    measures = generate_measures(130, n_blocks=2, era="平成", first_year=30, n_years=5, seed=300)
    raw, structure = folder / "plan.txt", folder / "structure.csv"
    raw.write_text(render_status_table(measures, era="平成", first_year=30, n_years=5, messy=Messiness(),
                                       header="era", seed=300), encoding="utf-8")
    structure.write_text(render_structure(measures, n_goals=3, policies_per_goal=1), encoding="utf-8")
    return raw, structure


@pytest.fixture(scope="session")
def kitamoto_documents(tmp_path_factory):
    """Kitamoto's review written as the report writes it, from the tracked figures: the Word draft, the PDF, the
    workbook, and the reader pages of the stored notebooks (which nbval re-executes: no second execution here)."""
    import datetime
    import shutil

    from kyodo_analysis import review_plan
    from kyodo_analysis.config import FIGURES
    from kyodo_analysis.document import review_document
    from kyodo_analysis.notebooks import notebook_paths
    from kyodo_analysis.pdf import write_pdf_report
    from kyodo_analysis.report import PDF_NAME, WORD_NAME, WORKBOOK_NAME, reader_html
    from kyodo_analysis.docx_writer import write_word_report
    from kyodo_analysis.words import NOTEBOOK_TITLES
    from kyodo_analysis.workbook import write_workbook

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

