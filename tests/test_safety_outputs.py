"""kyodo-report writes only its own files, through no link, under no guessable name, and says what it did:
the lock file, the leftovers of killed runs, a signal during the swap, an --out inside Git, the Typst step
under a memory and a time limit, and a full disk.

Most runs here replace the notebooks step (``report._build``) by a stand-in, so they cost no kernel; the full
disk runs one probe notebook (tests/test_safety.py) in a worker, as the report does.
"""

import datetime
import errno
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kyodo_analysis import config
from kyodo_analysis.analysis.review import review_plan
from kyodo_analysis.cli.report import main
from kyodo_analysis.content.document import ReviewDocument, TableItem
from kyodo_analysis.run import outputs, report
from kyodo_analysis.writers.workbook import write_workbook
from tests.test_safety import _previous_report, _snapshot, probe_notebooks  # noqa: F401 (a fixture)

VICTIM = b"the user's own file\n"


def _victim(folder: Path) -> Path:
    victim = folder / "victim.txt"
    victim.write_bytes(VICTIM)
    return victim


def _main(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _stand_in_build(folder: Path, *_arguments, **_options) -> None:
    """What ``report._build`` leaves, without running a notebook."""
    (folder / "index.html").write_text("the new report", encoding="utf-8")


# --- 1. the lock file is never written through a link, nor when it is not the user's own file -----

def test_a_lock_file_that_is_a_link_is_refused_and_its_target_untouched(tmp_path):
    out = tmp_path / "rep"
    lock = tmp_path / ".rep.kyodo-lock"
    victim = _victim(tmp_path)
    lock.symlink_to(victim)
    with pytest.raises(outputs.OutputFolderError) as refused, outputs.output_lock(out):
        pass
    assert str(refused.value).startswith(f"ロックファイル {lock} がシンボリックリンクであるため、使いません")
    assert victim.read_bytes() == VICTIM and lock.is_symlink()
    # a link to nowhere: the lock is not created at its target either
    lock.unlink()
    lock.symlink_to(tmp_path / "created_through_the_link.txt")
    with pytest.raises(outputs.OutputFolderError, match="シンボリックリンク"), outputs.output_lock(out):
        pass
    assert not (tmp_path / "created_through_the_link.txt").exists()


def test_a_lock_file_that_is_a_hard_link_a_fifo_or_a_folder_is_refused(tmp_path):
    out = tmp_path / "rep"
    lock = tmp_path / ".rep.kyodo-lock"
    victim = _victim(tmp_path)
    os.link(victim, lock)  # the same file under two names: writing the lock would empty the victim
    with pytest.raises(outputs.OutputFolderError, match="ハードリンクが 2 個ある"), outputs.output_lock(out):
        pass
    assert victim.read_bytes() == VICTIM
    lock.unlink()
    os.mkfifo(lock)  # opened, it would not be read: refused before it is opened
    with pytest.raises(outputs.OutputFolderError, match="通常のファイルではない"), outputs.output_lock(out):
        pass
    lock.unlink()
    lock.mkdir()
    with pytest.raises(outputs.OutputFolderError, match="通常のファイルではない"), outputs.output_lock(out):
        pass
    lock.rmdir()
    with outputs.output_lock(out):  # its own lock file, made now, is used
        assert lock.read_text(encoding="ascii") == f"{os.getpid()}\n"
    assert stat.S_ISREG(os.lstat(lock).st_mode)


# --- 2. leftovers of killed runs are found by their exact names -----------------------------------

def test_leftovers_of_another_output_are_never_removed(tmp_path):
    """``--out 'x*'`` once removed the build of a run writing to ``xyz``; ``x`` that of ``x.building-abc``."""
    others = [outputs.new_build_folder(tmp_path / name) for name in ("xyz", "x.building-abc", "x?", "[x]", "x.")]
    for out in ("x*", "x?", "x", "[x]", "x[", "*"):
        with outputs.output_lock(tmp_path / out):
            removed = outputs.remove_stale_builds(tmp_path / out)
        mine = [folder for folder in others if folder.name[:-8] == f".{out}.building-"]  # its own build
        assert removed == mine, out
        others = [folder for folder in others if folder not in mine]
        assert all(outputs.is_marked(folder) for folder in others)
    assert [folder.name[:-8] for folder in others] == [".xyz.building-", ".x.building-abc.building-", ".x..building-"]


def test_only_marked_leftovers_of_exact_names_are_removed(tmp_path):
    out = tmp_path / "rep"
    build = outputs.new_build_folder(out)
    previous = tmp_path / ".rep.previous-abcd_123"
    previous.mkdir()
    outputs.mark_folder(previous)
    unmarked = tmp_path / ".rep.previous-users_01"
    unmarked.mkdir()
    (unmarked / "mine.txt").write_bytes(VICTIM)
    longer = tmp_path / ".rep.previous-abcd_1234"  # not a name mkdtemp gives
    longer.mkdir()
    outputs.mark_folder(longer)
    link = tmp_path / ".rep.building-linkto12"  # a link to a marked folder is not removed, nor what it leads to
    link.symlink_to(longer)
    with outputs.output_lock(out):
        assert outputs.remove_stale_builds(out) == [build, previous]
    assert (unmarked / "mine.txt").read_bytes() == VICTIM and outputs.is_marked(longer) and link.is_symlink()


def test_a_marked_folder_loses_its_mark_last(tmp_path, monkeypatch):
    """So that a removal cut short (a signal, a kill) leaves a folder that the next run recognizes and removes."""
    out = tmp_path / "rep"
    build = outputs.new_build_folder(out)
    pages = [f"{number:02d}.html" for number in range(30)]  # the mark is not last in the folder's order
    for name in pages:
        (build / name).write_text(name, encoding="utf-8")
    (build / "figures").mkdir()
    (build / "figures" / "f.png").write_bytes(b"png")
    removed = []
    unlink = os.unlink

    def recorded_unlink(path, *args, **kwargs):
        removed.append(Path(path).name)
        unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", recorded_unlink)
    assert outputs.remove_marked(build) and not build.exists()
    assert sorted(removed) == sorted([outputs.MARK_NAME, *pages, "f.png"])
    assert removed[-1] == outputs.MARK_NAME


# --- 3. a signal during the swap: --out is never missing, and the message says what is where -------

def test_a_signal_during_the_swap_leaves_the_new_report_says_so_and_the_next_run_cleans_up(
        tmp_path, capsys, monkeypatch):
    out = tmp_path / "rep"
    _previous_report(out)
    monkeypatch.setattr(report, "_build", _stand_in_build)
    rename = os.rename

    def rename_then_signal(source, target, *args, **kwargs):
        rename(source, target, *args, **kwargs)
        if Path(target).name.startswith(".rep.previous-"):  # between the two renames of the swap
            os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(os, "rename", rename_then_signal)
    code, _, err = _main(capsys, "--out", out, "--as-of", "2010")
    monkeypatch.setattr(os, "rename", rename)
    assert code == 143 and len(err.strip().splitlines()) == 1, err
    assert (out / "index.html").read_text(encoding="utf-8") == "the new report" and outputs.is_marked(out)
    [leftover] = tmp_path.glob(".rep.previous-*")
    assert outputs.is_marked(leftover)
    assert (leftover / "index.html").read_text(encoding="utf-8") == "the previous report"
    assert err == (f"kyodo-report: SIGTERM で中断しました。新しいレポートは {out} にできています。"
                   f"以前のレポートは {leftover} に残っていて、次の実行で削除されます\n")
    assert not list(tmp_path.glob(".rep.building-*"))
    code, said, err = _main(capsys, "--out", out, "--as-of", "2010")
    assert (code, err) == (0, "") and f"kyodo-report: 中断された実行が残した {leftover.name} を削除しました" in said
    assert not leftover.exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == [".rep.kyodo-lock", "rep"]


def test_a_signal_while_the_build_runs_still_removes_it_and_keeps_the_previous_report(tmp_path, capsys, monkeypatch):
    out = tmp_path / "rep"
    before = _previous_report(out)

    def interrupted_build(folder: Path, *_arguments, **_options) -> None:
        (folder / "half.html").write_text("half", encoding="utf-8")
        os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(report, "_build", interrupted_build)
    code, _, err = _main(capsys, "--out", out, "--as-of", "2010")
    assert code == 130 and "前のレポートはそのままです" in err and _snapshot(out) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == [".rep.kyodo-lock", "rep"]


def test_the_tracked_figures_are_replaced_never_written_through_a_link(tmp_path):
    figures, build = tmp_path / "figures", tmp_path / "build"
    figures.mkdir()
    build.mkdir()
    victim = _victim(tmp_path)
    (figures / "rating_distribution.png").symlink_to(victim)
    (build / "rating_distribution.png").write_bytes(b"new figure")
    outputs.replace_file(build / "rating_distribution.png", figures / "rating_distribution.png")
    assert victim.read_bytes() == VICTIM
    assert not (figures / "rating_distribution.png").is_symlink()
    assert (figures / "rating_distribution.png").read_bytes() == b"new figure"
    assert sorted(path.name for path in figures.iterdir()) == ["rating_distribution.png"]


# --- 4. never inside a Git repository's own folder ------------------------------------------------

def test_out_inside_a_git_folder_is_refused(tmp_path):
    repository = tmp_path / "project"
    (repository / ".git" / "refs" / "tags").mkdir(parents=True)
    bare = tmp_path / "srv" / "plan.git"
    (bare / "refs" / "tags").mkdir(parents=True)
    (bare / "objects").mkdir()
    (bare / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (tmp_path / "link").symlink_to(repository / ".git" / "refs")
    cases = {repository / ".git" / "refs" / "tags": repository / ".git",
             repository / ".GIT" / "new": repository / ".GIT",  # the same folder on a case-insensitive disk
             bare / "refs" / "tags": bare,
             tmp_path / "link" / "tags": repository / ".git"}  # through a link
    for out, git in cases.items():
        with pytest.raises(outputs.OutputFolderError) as refused:
            outputs.check_output_folder(out, inputs=[])
        assert str(refused.value).startswith(f"--out {out} は Git リポジトリの管理フォルダ {git} の中にあります"), out
    assert sorted(path.name for path in (repository / ".git" / "refs" / "tags").iterdir()) == []
    outputs.check_output_folder(repository / "reports", inputs=[])  # beside .git is fine


# --- 5. Typst runs in a child process, under a memory and a time limit ----------------------------

def _small_document(status: str = "令和4年度に開設した。") -> ReviewDocument:
    return ReviewDocument("計画", "中間評価報告書", "", "", "", (), (), (),
                          TableItem("付表", ("No", "施策実施状況"), (("1", status),)))


@pytest.mark.e2e
def test_typst_beyond_its_memory_limit_is_one_error_naming_the_pdf(tmp_path):
    """A status of a million characters takes Typst past 256 MiB: the child stops, the report's process goes
    on. The test runs in a process of its own under a 1.5 GiB limit, so that a Typst in-process fails the
    test, not the machine."""
    script = textwrap.dedent("""
        import resource, sys
        from pathlib import Path
        resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))
        from kyodo_analysis.writers import pdf
        from kyodo_analysis.content.document import ReviewDocument, TableItem
        pdf.PDF_MEMORY_LIMIT = 256 * 2**20
        appendix = TableItem("付表", ("No", "施策実施状況"), (("1", "済" * 1_000_000),))
        document = ReviewDocument("計画", "中間評価報告書", "", "", "", (), (), (), appendix)
        try:
            pdf.write_pdf_report(document, Path(sys.argv[1]), root=Path(sys.argv[1]).parent)
        except pdf.PdfError as error:
            print(error)
    """)
    target = tmp_path / "review.pdf"
    run = subprocess.run([sys.executable, "-c", script, str(target)], capture_output=True, text=True,
                         cwd=config.PROJECT_ROOT, timeout=120, check=False)
    assert (run.returncode, run.stderr) == (0, "")
    assert run.stdout == (f"{target}: PDF の組版がメモリの上限（256 MiB）を超えたため、中止しました。"
                          f"表に極端に長い記述がないか確かめてください\n")
    assert not target.exists()


@pytest.mark.e2e
def test_typst_beyond_its_time_limit_stops_the_report_with_one_line(tmp_path, monkeypatch):
    from kyodo_analysis.writers import pdf
    monkeypatch.setattr(pdf, "PDF_TIMEOUT", 0.01)
    document = _small_document()
    with pytest.raises(report.ReportError) as failed:
        report._write_documents(document, tmp_path, "midterm")
    assert str(failed.value) == (f"{tmp_path / report.PDF_NAME}: PDF の組版が上限の 0.01 秒で終わらないため、中止しました。"
                                 f"表に極端に長い記述がないか確かめてください")
    assert not (tmp_path / report.PDF_NAME).exists()
    monkeypatch.setattr(pdf, "PDF_TIMEOUT", 120)
    written = pdf.write_pdf_report(document, tmp_path / "ok.pdf", root=tmp_path)  # within the limits: written
    assert written.read_bytes().startswith(b"%PDF-")


# --- 6. a full disk is said once, naming the path --------------------------------------------------

@pytest.fixture
def tiny_disk(tmp_path):
    """A 1 MiB tmpfs, mounted for the test (as root), or a skip where mounting is not permitted."""
    disk = tmp_path / "disk"
    disk.mkdir()
    try:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)],
                                 capture_output=True, text=True, check=False, timeout=30)
    except FileNotFoundError:
        pytest.skip("no mount command: cannot make a small disk to fill")
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (it needs root): {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", str(disk)], check=True, timeout=30)


def _fill(disk: Path) -> None:
    descriptor = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(descriptor, b"\0" * 65536)
    except OSError as error:
        assert error.errno == errno.ENOSPC
    finally:
        os.close(descriptor)


@pytest.mark.e2e
def test_a_full_disk_is_said_once_naming_the_path_and_the_build_is_removed(
        tiny_disk, probe_notebooks, capsys, monkeypatch):
    """The disk fills once the build folder is made: the notebooks cannot be written."""
    out = tiny_disk / "rep"
    monkeypatch.setattr(config, "NOTEBOOKS", probe_notebooks)  # two probe notebooks, two workers
    new_build_folder = report.new_build_folder

    def build_then_fill(folder: Path) -> Path:
        build = new_build_folder(folder)
        _fill(tiny_disk)
        return build

    monkeypatch.setattr(report, "new_build_folder", build_then_fill)
    code, said, err = _main(capsys, "--out", out, "--as-of", "2010", "--jobs", "2")
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert err.startswith(f"kyodo-report: エラー: ディスクの空きがないため {tiny_disk}/.rep.building-")
    assert "/notebooks/0" in err and ".ipynb を書けませんでした（No space left on device）" in err
    assert "作りかけのレポートは残していません。空きを作ってから" in err
    assert "FAILED" not in said and "NotJSONError" not in said + err
    assert sorted(path.name for path in tiny_disk.iterdir()) == [".rep.kyodo-lock", "filler"]


@pytest.mark.parametrize(("failure", "disk_full"), [
    ("papermill", {"errno": errno.ENOSPC, "strerror": "No space left on device", "filename": "OUTPUT"}),
    ("cell", {"errno": errno.ENOSPC, "strerror": "No space left on device", "filename": "/r/figures/a.png"}),
    ("cell without a file", {"errno": errno.EDQUOT, "strerror": "Disk quota exceeded", "filename": None}),
    ("other cell error", None),
])
def test_a_worker_carries_a_full_disk_to_the_report(tmp_path, monkeypatch, failure, disk_full):
    """Papermill's own write (it names no file), and a write in a notebook cell (as its text tells)."""
    from papermill.exceptions import PapermillExecutionError

    from kyodo_analysis.run import notebooks
    def execute_notebook(path, output, parameters, **_options):  # as the report calls it
        if failure == "papermill":
            raise OSError(errno.ENOSPC, "No space left on device")
        evalue = {"cell": "[Errno 28] No space left on device: '/r/figures/a.png'",
                  "cell without a file": f"[Errno {errno.EDQUOT}] Disk quota exceeded",
                  "other cell error": "[Errno 2] No such file or directory: 'x.csv'"}[failure]
        raise PapermillExecutionError(0, 3, "plt.savefig(path)", "OSError", evalue, [])

    monkeypatch.setattr(notebooks, "execute_notebook", execute_notebook)
    output = str(tmp_path / "01_probe.ipynb")
    result = report.execute_task("01_probe.ipynb", output, {}, str(tmp_path / "01_probe.html"), "題",
                                 progress=lambda event: None)
    expected = None if disk_full is None else {**disk_full, "filename": output if disk_full["filename"] == "OUTPUT"
                                               else disk_full["filename"]}
    assert result["disk_full"] == expected and result["error"]


def test_a_notebook_that_papermill_could_not_write_raises_the_write_error(tmp_path, monkeypatch):
    """The half-written notebook is unreadable: reading it must not hide the OSError (it said NotJSONError)."""
    import papermill

    from kyodo_analysis.run.notebooks import execute_notebook

    def write_half_and_fail(source, output, **_options):
        Path(output).write_text('{\n "cells": [\n  {\n   "cell_type": "c', encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(papermill, "execute_notebook", write_half_and_fail)
    with pytest.raises(OSError) as failed:
        execute_notebook(config.NOTEBOOKS / "01_data_overview.ipynb", tmp_path / "01.ipynb")
    assert failed.value.errno == errno.ENOSPC


def test_no_task_starts_no_worker():
    from kyodo_analysis.run.runner import run_tasks

    assert list(run_tasks("kyodo_analysis.run.report:execute_task", [], jobs=2)) == []


def answer_at_once(name: str, progress) -> dict:
    """A task for the runner's workers (imported by them): it answers at once."""
    return {"name": name}


@pytest.mark.slow
def test_workers_end_once_every_task_is_handed_out_though_the_caller_is_busy():
    """With nothing left to hand out, each worker exits after its task, though the caller, busy with the first
    result (the report writes its documents then), has not asked for the next: their memory is freed meanwhile.
    Before, a worker waited for the caller to close its input, holding 230 MB at a thousand measures."""
    import contextlib

    import psutil

    from kyodo_analysis.run.runner import run_tasks

    tasks = [{"name": "a"}, {"name": "b"}]
    with contextlib.closing(run_tasks("tests.test_safety_outputs:answer_at_once", tasks, jobs=2)) as runs:
        first = next(runs)
        workers = [child for child in psutil.Process().children()
                   if "kyodo_analysis.run.runner" in " ".join(child.cmdline())]
        assert len(workers) == 2
        _, alive = psutil.wait_procs(workers, timeout=60)  # until they exit
        assert alive == []
        assert sorted(result["name"] for _, result in [first, *runs]) == ["a", "b"]


# --- every writer outside a build folder replaces files whole and never writes through a link -------------


def _write_figure(folder: Path) -> None:
    import matplotlib.pyplot as plt

    from kyodo_analysis.figures import publish
    fig, ax = plt.subplots()
    try:
        publish.save_figure(fig, "probe", formats=("png",), directory=folder)
    finally:
        plt.close(fig)


def _write_processed(folder: Path) -> None:
    from kyodo_analysis.source.loaders import write_processed

    write_processed(folder)


def _write_codebook(folder: Path) -> None:
    from kyodo_analysis.writers.codebook import write_codebook

    write_codebook(folder / "README.md")


@pytest.mark.parametrize(("write", "name"), [(_write_figure, "probe.png"), (_write_processed, "measures.csv"),
                                             (_write_codebook, "README.md")])
def test_tracked_outputs_are_never_written_through_a_link(tmp_path, write, name):
    victim = tmp_path / "victim.txt"
    victim.write_text("the user's own file", encoding="utf-8")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / name).symlink_to(victim)
    with pytest.raises(ValueError, match=f"{name}: シンボリックリンクです"):
        write(folder)
    assert victim.read_text(encoding="utf-8") == "the user's own file"
    assert (folder / name).is_symlink() and not list(folder.glob(".*.partial"))


@pytest.mark.e2e
def test_the_library_writers_never_write_through_a_link(tmp_path):
    """write_workbook, the Word draft and the PDF, called from a notebook or a script, refuse a link as their file."""
    from kyodo_analysis.content.document import review_document
    from kyodo_analysis.writers.docx_writer import write_word_report
    from kyodo_analysis.writers.pdf import write_pdf_report

    plan_review = review_plan(None, as_of=2010)
    document = review_document(plan_review, figures=[], generated=datetime.date(2026, 11, 27))
    victim = tmp_path / "victim.txt"
    victim.write_text("the user's own file", encoding="utf-8")
    writers = {"book.xlsx": lambda path: write_workbook(plan_review, path, source_name="x"),
               "draft.docx": lambda path: write_word_report(document, path),
               "print.pdf": lambda path: write_pdf_report(document, path, root=tmp_path)}
    for name, write in writers.items():
        (tmp_path / name).symlink_to(victim)
        with pytest.raises(ValueError, match=f"{name}: シンボリックリンクです"):
            write(tmp_path / name)
    assert victim.read_text(encoding="utf-8") == "the user's own file"


# --- one base class for input errors: anything else is a bug, never "bad input" ----------------------------


def test_every_input_error_is_a_kyodo_error():
    import kyodo_analysis as ka
    from kyodo_analysis.analysis.rounds import RoundMismatchError
    from kyodo_analysis.ratings import RatingError
    from kyodo_analysis.run.outputs import OutputFolderError
    from kyodo_analysis.source.structure import StructureError
    from kyodo_analysis.survey.collect import SurveyError
    from kyodo_analysis.validation import ArgumentError

    for error in (ka.StatusTableError, StructureError, RoundMismatchError, OutputFolderError, RatingError,
                  SurveyError, ArgumentError):
        assert issubclass(error, ka.KyodoError) and issubclass(error, ValueError)
    with pytest.raises(ka.KyodoError, match="元号 '大化' は使えません"):
        review_plan(None, era="大化")


def test_a_bug_is_shown_as_a_bug_not_as_bad_input(monkeypatch, capsys):
    """A ValueError from inside pandas used to read as 'error: …' and exit 2, as if the input were at fault."""
    def broken(*args, **kwargs):
        raise ValueError("cannot reindex on an axis with duplicate labels")

    monkeypatch.setattr("kyodo_analysis.cli.report.build_report", broken)  # the name the command calls
    assert main(["--as-of", "2010"]) == 70
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "ValueError: cannot reindex" in err
    assert err.rstrip().splitlines()[-1].startswith("kyodo-report: 内部エラーです。入力の誤りではなく、ツールの不具合")
