"""The test session's whole reports, each built once a run (see conftest).

The 令和 report is built by the project's wheel: built offline, installed into a fresh venv, and run there from
an empty folder (test_wheel asserts on that run). To stay cheap the wheel is built with uv from the sdist (the
checkout gets no ``build/`` folder), and the fresh venv gets no dependencies of its own: a ``.pth`` file puts the
checkout's site-packages after the venv's own. A folder named by a ``.pth`` line is not scanned for ``.pth``
files, so the checkout's editable install (a finder loaded by a ``.pth`` file) stays out: the venv imports the
wheel's copy. Without uv the 令和 report runs from the checkout, and the wheel's tests are skipped.

``python -m tests.builds NAME FOLDER`` builds one into ``FOLDER``: conftest starts the reports this way in the
background when a full ``make test`` begins, so that they run beside the fast tests instead of keeping a worker
waiting later. A run of a few test files builds them in the worker that first needs one, through the same
functions.
"""

import hashlib
import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
UV = Path(sys.executable).parent / "uv"

FIXTURES = Path(__file__).parent / "fixtures"
REIWA = FIXTURES / "reiwa_plan.txt"  # 8 measures in 4 blocks, 令和3-7年度, read by hand in the tests
#: Its previous round, by hand: No.1 was ○ (now ◎, ↑), No.5 △ (now ×, ↓), No.7 × (now △, ↑); the rest as now.
REIWA_PREVIOUS = FIXTURES / "reiwa_previous.txt"
#: Its outcome indicators, graded by hand in test_indicators.
REIWA_INDICATORS = FIXTURES / "reiwa_indicators.csv"

#: Markup put into measure 8 of the 令和 plan for the report run: the sentence of its status that the
#: audit quotes (今後, 予定), and a department.
MARKUP_STATUS = ("令和4年度に制度を創設した。今後は<script>alert(1)</script>対象を[こちら](javascript:alert(1))と"
                 "http://evil.example/で、費用$x$と$y$に広げる予定。")
MARKUP_DEPARTMENT = "<i>市民課"
#: A hand-made structure of the 令和 plan: 基本目標 A 交流 = No.1-3 (◎ ○ ○), B 支援 = No.4-8 (△ × × △ ○).
REIWA_STRUCTURE = "No,基本目標\n" + "".join(f"{no},{'A 交流' if no <= 3 else 'B 支援'}\n" for no in range(1, 9))

#: The big generated plan: 84 measures in 2 基本目標 of 42 (one 基本方針 each), headed 平成30 令和元 2 3 4.
#: Each 基本目標 holds more measures than a page (40), so its per-measure figures take two pages.
BIG_MEASURES, BIG_GOALS = 84, 2


def write_big_plan(folder: Path) -> tuple[Path, Path]:
    """The big generated plan and its structure file, written into ``folder``; their paths."""
    from kyodo_analysis.testing.synthetic import Messiness, generate_measures, render_status_table, render_structure

    measures = generate_measures(BIG_MEASURES, n_blocks=2, era="平成", first_year=30, n_years=5, seed=300)
    raw, structure = folder / "plan.txt", folder / "structure.csv"
    raw.write_text(render_status_table(measures, era="平成", first_year=30, n_years=5, messy=Messiness(),
                                       header="era", seed=300), encoding="utf-8")
    structure.write_text(render_structure(measures, n_goals=BIG_GOALS, policies_per_goal=1), encoding="utf-8")
    return raw, structure


def _reiwa_inputs(folder: Path) -> list[str]:
    """The 令和 plan with markup in measure 8, its structure file; the report's options."""
    text = REIWA.read_text(encoding="utf-8")
    row = "福祉部 まちづくり推進課\t令和4年度に制度を創設した。今後は対象を広げる予定。"
    assert text.count(row) == 1
    raw, structure = folder / "reiwa_plan.txt", folder / "structure.csv"
    raw.write_text(text.replace(row, f"福祉部 まちづくり推進課 {MARKUP_DEPARTMENT}\t{MARKUP_STATUS}"), encoding="utf-8")
    structure.write_text(REIWA_STRUCTURE, encoding="utf-8")
    return ["--raw", str(raw), "--era", "令和", "--structure", str(structure), "--title", "架空市<b>協働</b>計画",
            "--previous", str(REIWA_PREVIOUS), "--indicators", str(REIWA_INDICATORS)]


def _run_report(folder: Path, arguments: list[str], command: list[str] | None = None, *,
                cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    """Run kyodo-report (``command``, or the checkout's) one notebook at a time, and keep its output in
    ``folder/stdout.txt``."""
    command = command or [sys.executable, "-m", "kyodo_analysis.cli.report"]
    run = subprocess.run([*command, *arguments, "--jobs", "1"], cwd=cwd, env=env, capture_output=True, text=True,
                         check=False, timeout=600)
    if run.returncode != 0:
        raise RuntimeError(f"kyodo-report {' '.join(arguments)} failed:\n{run.stderr}")
    (folder / "stdout.txt").write_text(run.stdout, encoding="utf-8")


def snapshot(folder: Path) -> dict[str, list[int]]:
    """Every file and folder under ``folder``: its size and modification time."""
    return {str(path.relative_to(folder)): [path.lstat().st_size, path.lstat().st_mtime_ns]
            for path in sorted(folder.rglob("*"))}


def contents(folder: Path) -> dict[str, str]:
    """Every file under ``folder``: the SHA-256 of its bytes (other tests may rewrite the same bytes meanwhile)."""
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def build_wheel(folder: Path) -> Path:
    """The project's wheel, built offline from its sdist into ``folder``."""
    build = subprocess.run([str(UV), "build", "--offline", "--quiet", "--out-dir", str(folder), "--python",
                            sys.executable, str(PROJECT_ROOT)], capture_output=True, text=True, timeout=300,
                           env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"})
    if build.returncode != 0:
        raise RuntimeError(f"uv build failed:\n{build.stderr}")
    [built] = folder.glob("*.whl")
    return built


def install_wheel(wheel: Path, folder: Path) -> None:
    """A fresh venv in ``folder`` with the wheel installed, and the checkout venv's packages as its dependencies."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True, timeout=120)
    python = folder / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    ours = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    (site / "checkout_dependencies.pth").write_text("".join(f"{path}\n" for path in ours), encoding="utf-8")
    install = subprocess.run([str(UV), "pip", "install", "--offline", "--no-deps", "--compile-bytecode", "--quiet",
                              "--python", str(python), str(wheel)], capture_output=True, text=True, timeout=120,
                             env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"})
    if install.returncode != 0:
        raise RuntimeError(f"uv pip install failed:\n{install.stderr}")


def venv_environment(folder: Path) -> dict[str, str]:
    """The environment that runs the venv in ``folder`` as an installed tool: its bin/ first on the PATH."""
    env = {name: value for name, value in os.environ.items() if name not in ("PYTHONPATH", "VIRTUAL_ENV")}
    # The dependencies' data files (nbconvert's templates, the kernel spec) are in the checkout venv's share/jupyter;
    # installed normally they would be in the new venv's, where Jupyter looks by itself.
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    env["PATH"] = f"{folder / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


def build_reiwa_report(folder: Path) -> None:
    """``kyodo-report`` on the hand-made 令和 plan and its structure file, with markup in a title, a status and a
    department, into ``folder/work/reports_reiwa_plan`` (its default): the wheel's, run from the empty folder
    ``folder/work``.

    Beside it: ``dist/`` (the wheel), ``venv/``, and ``snapshots.json`` (the venv, and the checkout's figures'
    contents, before the run), or the checkout's kyodo-report when there is no uv."""
    options = _reiwa_inputs(folder)
    (folder / "work").mkdir()
    if not UV.exists():
        _run_report(folder, options, cwd=folder / "work")
        return
    from kyodo_analysis.config import FIGURES

    wheel = build_wheel(folder / "dist")
    install_wheel(wheel, folder / "venv")
    before = {"venv": snapshot(folder / "venv"), "figures": contents(FIGURES)}
    (folder / "snapshots.json").write_text(json.dumps(before), encoding="utf-8")
    _run_report(folder, options, ["kyodo-report"], cwd=folder / "work", env=venv_environment(folder / "venv"))


def build_big_documents(folder: Path) -> None:
    """The big generated plan's review, made in this process as the report makes it but without its notebooks:
    its figures (drawn by the library, as the notebooks draw them; PNG only, as the documents print them) in
    ``folder/out/figures``, the Word draft, the PDF and the workbook in ``folder/out``. The whole chain
    (kyodo-report, papermill, the reader pages) runs on the 令和 plan; this build checks what size changes: pages
    of figures, long documents, every row."""
    import datetime

    import matplotlib

    matplotlib.use("Agg")
    from kyodo_analysis import review_plan
    from kyodo_analysis.content.document import review_document
    from kyodo_analysis.figures.publish import save_review_figures
    from kyodo_analysis.run.report import WORKBOOK_NAME, document_names
    from kyodo_analysis.writers.docx_writer import write_word_report
    from kyodo_analysis.writers.pdf import write_pdf_report
    from kyodo_analysis.writers.workbook import write_workbook

    raw, structure = write_big_plan(folder)
    out = folder / "out"
    plan_review = review_plan(raw, structure=structure)
    figures = save_review_figures(plan_review, out / "figures", formats=("png",))  # the documents print PNGs
    document = review_document(plan_review, figures=figures, generated=datetime.date(2026, 11, 27))
    word, pdf = document_names(plan_review.kind)
    write_word_report(document, out / word)
    write_pdf_report(document, out / pdf, root=out)
    write_workbook(plan_review, out / WORKBOOK_NAME)


#: The builds a full test session starts at once, in the background, by fixture name.
REPORTS = {"reiwa_report": build_reiwa_report, "big_documents": build_big_documents}


def build_into(build, folder: Path) -> None:
    """``build(folder)`` into ``folder`` (made here); on failure leave ``<folder>.failed`` saying why, for the
    other processes of the run that wait for it."""
    folder.mkdir()
    try:
        build(folder)
    except BaseException as error:
        folder.with_name(f"{folder.name}.failed").write_text(f"{type(error).__name__}: {error}", encoding="utf-8")
        raise


if __name__ == "__main__":  # a full run's background build: python -m tests.builds NAME FOLDER
    build_into(REPORTS[sys.argv[1]], Path(sys.argv[2]))
