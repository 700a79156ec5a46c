import subprocess
import sys
from pathlib import Path

import pytest

from kyodo_analysis.config import KITAMOTO_STATUS_TABLE

FIXTURES = Path(__file__).parent / "fixtures"
REIWA = FIXTURES / "reiwa_plan.txt"  # 8 measures in 4 blocks, 令和3-7年度, read by hand in the tests

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


@pytest.fixture(scope="session")
def reiwa_report(tmp_path_factory):
    """``kyodo-report`` run once per session on the hand-made 令和 plan and its structure file, with markup in a
    title, a status and a department.

    Every notebook runs once here; test_report and test_notebooks assert on the
    executed notebooks, the pages, the workbook and the figures it leaves.
    Returns the output folder and the command's result.
    """
    folder = tmp_path_factory.mktemp("reiwa_report")
    text = REIWA.read_text(encoding="utf-8")
    row = "福祉部 まちづくり推進課\t令和4年度に制度を創設した。今後は対象を広げる予定。"
    assert text.count(row) == 1
    raw = folder / "reiwa_plan.txt"
    raw.write_text(text.replace(row, f"福祉部 まちづくり推進課 {MARKUP_DEPARTMENT}\t{MARKUP_STATUS}"), encoding="utf-8")
    structure = folder / "structure.csv"
    structure.write_text(REIWA_STRUCTURE, encoding="utf-8")
    out = folder / "out"
    result = subprocess.run(
        [sys.executable, "-m", "kyodo_analysis.report", "--raw", str(raw), "--era", "令和", "--structure", str(structure),
         "--title", "架空市<b>協働</b>計画", "--out", str(out), "--jobs", "2"],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    return out, result


@pytest.fixture(scope="session")
def big_plan(tmp_path_factory):
    """A generated 300-measure plan in 8 基本目標 (2 基本方針 each), headed 平成30 令和元 2 3 4; made once a session."""
    from kyodo_analysis.synthetic import Messiness, generate_measures, render_status_table, render_structure

    folder = tmp_path_factory.mktemp("big_plan")
    measures = generate_measures(300, n_blocks=7, era="平成", first_year=30, n_years=5, seed=300)
    raw, structure = folder / "plan.txt", folder / "structure.csv"
    raw.write_text(render_status_table(measures, era="平成", first_year=30, n_years=5, messy=Messiness(),
                                       header="era", seed=300), encoding="utf-8")
    structure.write_text(render_structure(measures, n_goals=8), encoding="utf-8")
    return raw, structure


@pytest.fixture(scope="session")
def big_report(big_plan, tmp_path_factory):
    """``kyodo-report`` run once a session on the 300-measure plan and its structure."""
    raw, structure = big_plan
    out = tmp_path_factory.mktemp("big_report") / "out"
    result = subprocess.run([sys.executable, "-m", "kyodo_analysis.report", "--raw", str(raw), "--structure",
                             str(structure), "--out", str(out), "--jobs", "2"], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def kitamoto_report(tmp_path_factory):
    """``kyodo-report`` on the bundled table, once a session (``--as-of 2010``, its own default, so that the
    tracked figures/ are left alone: only a run with no options writes them)."""
    out = tmp_path_factory.mktemp("kitamoto_report") / "out"
    result = subprocess.run([sys.executable, "-m", "kyodo_analysis.report", "--as-of", "2010", "--out", str(out)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return out
