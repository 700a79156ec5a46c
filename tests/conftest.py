import subprocess
import sys
import threading
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


# --- the session's kyodo-report runs: each once a session, asserted on by many tests ----------------


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


class _Reports:
    """The session's two reports, run one after the other, one notebook at a time, by a thread beside the tests;
    the tests that need them run last and wait for them.

    Why not side by side, or niced: every kernel and report worker starts a session of its own, and Linux
    shares the CPU evenly among sessions (autogroups), whatever their nice value. Two reports of two notebooks
    at a time took four shares of the two cores, and slowed the other tests threefold; one notebook at a time
    leaves a core to the tests.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.finished: dict[str, threading.Event] = {}
        self.results: dict[str, subprocess.CompletedProcess] = {}
        self.failure = "the session stopped first"
        self.running: subprocess.Popen | None = None
        self.stopping = False
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def start(self, options: dict[str, list[str]]) -> None:
        self.finished = {name: threading.Event() for name in options}
        self.thread = threading.Thread(target=self._run_all, args=(options,), name="session-reports", daemon=True)
        self.thread.start()

    def _run_all(self, options: dict[str, list[str]]) -> None:
        try:
            for name, arguments in options.items():
                out = self.folder / name / "out"
                command = [sys.executable, "-m", "kyodo_analysis.report", *arguments, "--out", str(out),
                           "--jobs", "1"]
                with self.lock:
                    if self.stopping:
                        return
                    self.running = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                                    text=True)
                stdout, stderr = self.running.communicate()
                self.results[name] = subprocess.CompletedProcess(command, self.running.returncode, stdout, stderr)
                self.finished[name].set()
        except Exception as error:  # reported to the test that waits, not lost in the thread
            self.failure = repr(error)
        finally:
            for event in self.finished.values():  # a waiting test never hangs
                event.set()

    def result(self, name: str) -> tuple[Path, str]:
        assert name in self.finished, (f"the {name} report was not started: name its fixture, or mark the test "
                                       f"session_report({name!r})")
        self.finished[name].wait()
        assert name in self.results, f"kyodo-report on the {name} plan did not run: {self.failure}"
        run = self.results[name]
        assert run.returncode == 0, f"kyodo-report on the {name} plan failed: {run.stderr}"
        return self.folder / name / "out", run.stdout

    def stop(self) -> None:
        with self.lock:
            self.stopping = True
            if self.running is not None and self.running.poll() is None:
                self.running.kill()
        if self.thread is not None:
            self.thread.join()


_REPORT_ORDER = ("reiwa", "big")  # the order the reports run in, and the tests that need them


def _reports_needed(item) -> set[str]:
    """The session's reports a test waits for: those whose fixture it names (``reiwa_report``), and, as a test
    that gets one through ``request.getfixturevalue`` does not show it in its fixture names, those of its
    ``session_report`` marks."""
    fixtures = {f"{name}_report": name for name in _REPORT_ORDER}
    named = {fixtures[fixture] for fixture in getattr(item, "fixturenames", ()) if fixture in fixtures}
    return named | {mark.args[0] for mark in item.iter_markers("session_report")}


def _report_rank(item) -> int:
    return max((_REPORT_ORDER.index(name) + 1 for name in _reports_needed(item)), default=0)


_NEEDED: set[str] = set()


def pytest_collection_modifyitems(session, config, items):
    items.sort(key=_report_rank)  # the tests that need a report run last, in the order the reports finish


def pytest_collection_finish(session):
    _NEEDED.update(*map(_reports_needed, session.items))  # once -k and -m have deselected theirs


@pytest.fixture(scope="session", autouse=True)
def _start_reports_first(request):
    """Start the reports that the collected tests need before the first test: they run beside the other tests,
    and are done (or nearly) when the tests that need them come."""
    if _NEEDED:
        request.getfixturevalue("_reports")


@pytest.fixture(scope="session")
def _reports(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("reports")
    options = {}
    if "reiwa" in _NEEDED:
        (folder / "reiwa").mkdir()
        options["reiwa"] = _reiwa_inputs(folder / "reiwa")
    if "big" in _NEEDED:
        (folder / "big").mkdir()
        raw, structure = request.getfixturevalue("big_plan")
        options["big"] = ["--raw", str(raw), "--structure", str(structure)]
    reports = _Reports(folder)
    reports.start(options)
    yield reports
    reports.stop()


@pytest.fixture(scope="session")
def reiwa_report(_reports):
    """``kyodo-report`` on the hand-made 令和 plan and its structure file, with markup in a title, a status and a
    department; the output folder and the command's output. Every notebook runs once here for test_report,
    test_notebooks and test_documents."""
    return _reports.result("reiwa")


@pytest.fixture(scope="session")
def big_plan(tmp_path_factory):
    """A generated 300-measure plan in 8 基本目標 (one 基本方針 each), headed 平成30 令和元 2 3 4, and its structure."""
    from kyodo_analysis.synthetic import Messiness, generate_measures, render_status_table, render_structure

    folder = tmp_path_factory.mktemp("big_plan")
    measures = generate_measures(300, n_blocks=7, era="平成", first_year=30, n_years=5, seed=300)
    raw, structure = folder / "plan.txt", folder / "structure.csv"
    raw.write_text(render_status_table(measures, era="平成", first_year=30, n_years=5, messy=Messiness(),
                                       header="era", seed=300), encoding="utf-8")
    structure.write_text(render_structure(measures, n_goals=8, policies_per_goal=1), encoding="utf-8")
    return raw, structure


@pytest.fixture(scope="session")
def big_report(_reports):
    """``kyodo-report`` on the 300-measure plan and its structure."""
    return _reports.result("big")[0]


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
    from kyodo_analysis.word import write_word_report
    from kyodo_analysis.words import NOTEBOOK_TITLES
    from kyodo_analysis.workbook import write_workbook

    build = tmp_path_factory.mktemp("kitamoto_documents")
    shutil.copytree(FIGURES, build / "figures")
    plan_review = review_plan()
    document = review_document(plan_review, figures=sorted((build / "figures").glob("*.png")),
                               generated=datetime.date(2026, 11, 27))
    write_word_report(document, build / WORD_NAME)
    write_pdf_report(document, build / PDF_NAME, root=build)
    write_workbook(plan_review, build / WORKBOOK_NAME)
    for path in notebook_paths():
        page = reader_html(path, f"{plan_review.title}：{NOTEBOOK_TITLES['ja'][path.stem]}")
        (build / f"{path.stem}.html").write_text(page, encoding="utf-8")
    return build

