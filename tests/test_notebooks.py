"""The notebooks: stored as a reproducible nbval baseline, and correct on another plan."""

import asyncio
import json
import re
import signal

import nbformat
import pytest
from jupyter_client import AsyncKernelManager

from kyodo_analysis import config
from kyodo_analysis.run.notebooks import QuietShutdownKernelManager, execute_notebook, notebook_paths, parameters_cell
from kyodo_analysis.run.parameters import NotebookParameters

from .sentences import REIWA_BEST_GOAL, REIWA_GOALS, REIWA_GOALS_COMPARED

NOTEBOOKS = notebook_paths()
NAMES = [path.stem for path in NOTEBOOKS]


def _code_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def _output_text(notebook) -> str:
    parts = []
    for cell in _code_cells(notebook):
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            for mime, value in output.get("data", {}).items():
                if mime.startswith("text/"):
                    parts.append(value if isinstance(value, str) else "".join(value))
            parts.append(" ".join(output.get("traceback", [])))
    return "\n".join(parts)


def test_the_five_notebooks_exist_in_reading_order():
    assert NAMES == ["01_data_overview", "02_ratings", "03_plan_vs_actual", "04_departments", "10_midterm_review"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_stored_notebook_is_an_executed_clean_baseline(path):
    notebook = nbformat.read(path, as_version=4)
    code = _code_cells(notebook)
    first = code[0]
    assert first.metadata.get("tags") == ["parameters"]
    assert first.source == parameters_cell()  # defined once, in kyodo_analysis.run.parameters
    assert all(cell.execution_count is not None for cell in code)
    text = _output_text(notebook)
    for noise in ("Warning", "warn(", "/tmp/", str(config.PROJECT_ROOT), " at 0x", "Traceback"):
        assert noise not in text
    assert not any(o.get("name") == "stderr" for cell in code for o in cell.get("outputs", []))
    assert "papermill" not in notebook.metadata and "version" not in notebook.metadata["language_info"]
    assert [cell.id for cell in notebook.cells] == [f"cell-{i:02d}" for i in range(len(notebook.cells))]
    for cell in code:
        assert "execution" not in cell.metadata and "papermill" not in cell.metadata
    source = "\n".join(cell.source for cell in code)
    assert "def " not in source  # the library computes
    assert not re.search(r"^\s*review\s*=", source, re.MULTILINE)  # ka.review is the module


@pytest.mark.e2e
def test_refresh_is_byte_identical_from_any_working_directory(tmp_path, monkeypatch):
    """`make notebooks` on unchanged code leaves git clean: re-executing reproduces the stored bytes. The kernel
    starts in another folder (as installed from the wheel: the output's), so that paths come from
    kyodo_analysis.config, not the working directory; one execution checks both."""
    stored = config.NOTEBOOKS / "04_departments.ipynb"
    out = tmp_path / "elsewhere" / "04_departments.ipynb"
    out.parent.mkdir()
    monkeypatch.setattr(config, "CHECKOUT", False)  # this process only: the kernel starts in out's folder
    execute_notebook(stored, out, parameters={"figures_dir": str(tmp_path / "figures")})
    assert (tmp_path / "figures" / "department_measure_matrix.png").is_file()
    assert sorted(path.name for path in out.parent.iterdir()) == ["04_departments.ipynb"]
    fresh = json.loads(out.read_text(encoding="utf-8"))
    baseline = json.loads(stored.read_text(encoding="utf-8"))
    injected = [cell for cell in fresh["cells"] if "injected-parameters" in cell["metadata"].get("tags", [])]
    assert len(injected) == 1 and injected[0]["id"] == "injected-parameters"
    fresh["cells"] = [cell for cell in fresh["cells"] if cell not in injected]
    for index, cell in enumerate(fresh["cells"]):  # cells after the injected one were renumbered
        cell["id"] = f"cell-{index:02d}"
        cell.pop("execution_count", None)
        for output in cell.get("outputs", []):
            output.pop("execution_count", None)
    for cell in baseline["cells"]:
        cell.pop("execution_count", None)
        for output in cell.get("outputs", []):
            output.pop("execution_count", None)
    assert fresh == baseline


def test_the_parameters_cell_is_written_from_the_library():
    source = parameters_cell()
    defaults = dict(re.findall(r"^(\w+): [^=]+ = (.+?)  #", source, re.MULTILINE))
    assert defaults == {"raw": "None", "era": "None", "sheet": "None", "title": "None", "as_of": "None",
                        "structure": "None", "previous": "None", "errata": "None", "indicators": "None",
                        "indicator_scheme": '"level"', "figures_dir": "None", "lang": '"ja"'}
    assert '"Optional[str]"' in source  # papermill cannot parse `str | None`
    assert set(NotebookParameters(raw="x.txt").to_papermill()) == set(defaults)


def test_notebooks_on_another_plan_say_that_plans_things(reiwa_report):
    out, _ = reiwa_report
    runs = {path.stem: nbformat.read(path, as_version=4) for path in sorted((out / "notebooks").glob("*.ipynb"))}
    assert list(runs) == NAMES
    texts = {name: _output_text(notebook) for name, notebook in runs.items()}
    for name, text in texts.items():
        assert "架空市<b>協働</b>計画" in text or "架空市&lt;b&gt;協働&lt;/b&gt;計画" in text, name
        assert "令和3年度〜令和7年度" in text and "施策8件" in text, name
        for kitamoto_word in ("北本", "協働推進課", "平成", "産業振興課"):
            assert kitamoto_word not in text, (name, kitamoto_word)
    review = texts["10_midterm_review"]
    assert REIWA_GOALS in review and REIWA_GOALS_COMPARED in review  # the structure file
    assert REIWA_BEST_GOAL in review and "表の区分" not in review
    # --previous: No.1 ○ → ◎ and No.7 × → △ rose, No.5 △ → × fell (tests/fixtures/reiwa_previous.txt)
    assert "評価が上がった施策は2件、下がった施策は1件、変わらない施策は5件" in review
    assert "まちづくり推進課は全8件の施策を担当する主管課" in review and "商工観光課（2件）" in review
    # × 5 and 6, △ 4 and 7, and No.8 (○, its status admits 今後 … 予定); No.2 started late but is done
    assert "取り組みを強めるべき施策として、次の5件を挙げる" in review and "No.2は、遅れて着手したものの評価が" in review

    assert "No.2「情報紙の発行」：目標 令和3年度 → 着手 令和4年度（1年の遅れ）" in review
    assert "R3 (2021)" in texts["01_data_overview"]  # the schedule grid has the plan's own years
    assert "年度見出しのセルがずれていた" in texts["01_data_overview"]
    saved = sorted(path.name for path in (out / "figures").iterdir())
    assert saved == sorted(f"{name}.{ext}" for name in (
        "rating_distribution", "ratings_by_level1", "score_index_by_level1", "ratings_by_target_year",
        "score_index_by_target_year", "ratings_by_department", "plan_vs_actual_timeline",
        "department_measure_matrix", "rating_transitions", "indicator_progress", "indicator_grades_by_level1")
        for ext in ("png", "svg"))


async def _start_recording_signals(manager_class, tmp_path):
    """Start a kernel; return its manager and the list of signals the manager sends it from then on."""
    manager = manager_class(kernel_name="python3", transport="ipc", ip=str(tmp_path / "kernel"))
    await manager.start_kernel()
    sent = []
    send_signal = manager._async_signal_kernel

    async def record(signum):
        sent.append(signum)
        await send_signal(signum)

    manager._async_signal_kernel = record
    return manager, sent


@pytest.mark.e2e
def test_kernels_are_shut_down_without_an_interrupt_and_interrupts_still_reach_them(tmp_path):
    # jupyter_client's own manager sends SIGINT before the shutdown request, which
    # makes ipykernel log "KeyboardInterrupt caught in kernel" when it lands mid-message.
    async def signals_sent(manager_class, *, interrupt_first):
        # a short folder: an IPC socket's path has at most 107 characters
        manager, sent = await _start_recording_signals(manager_class, tmp_path / manager_class.__name__[0])
        try:
            if interrupt_first:
                await manager._async_interrupt_kernel()
                sent.append("interrupted")
            await manager.shutdown_kernel()
        finally:
            if await manager.is_alive():  # a failed check leaves no kernel behind
                await manager.shutdown_kernel(now=True)
        return sent

    # ours: an interrupt still reaches the kernel, and the shutdown that follows sends nothing
    assert asyncio.run(signals_sent(QuietShutdownKernelManager, interrupt_first=True)) == [signal.SIGINT, "interrupted"]
    # jupyter_client's (the reason for ours): the shutdown itself interrupts
    assert asyncio.run(signals_sent(AsyncKernelManager, interrupt_first=False)) == [signal.SIGINT]
