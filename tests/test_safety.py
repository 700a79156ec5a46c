"""kyodo-report is safe by construction: it never destroys what it did not write, stops cleanly on a
signal, lets one run at a time into a folder, and never turns data into code.

The report runs here use a one-cell notebook, so that each costs one kernel start, not five
notebooks; the real notebooks run once, in test_report.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import pytest

from kyodo_analysis import config
from kyodo_analysis.analysis.review import review_plan
from kyodo_analysis.cli.report import main
from kyodo_analysis.figures import draw
from kyodo_analysis.run import outputs
from kyodo_analysis.run.notebooks import parameters_cell
from kyodo_analysis.run.report import build_report
from kyodo_analysis.source import parsing
from kyodo_analysis.testing.synthetic import Messiness, generate_measures, render_status_table
from kyodo_analysis.writers.workbook import write_workbook

# A notebook with the report's parameters that writes one figure and, when the test asks it to
# (KYODO_TEST_STARTED), says that it runs and then waits to be stopped.
_PROBE = """\
import os, pathlib, time
pathlib.Path(figures_dir).mkdir(parents=True, exist_ok=True)
(pathlib.Path(figures_dir) / "probe.png").write_bytes(b"probe")
if os.environ.get("KYODO_TEST_STARTED"):
    pathlib.Path(os.environ["KYODO_TEST_STARTED"]).write_text("started")
    time.sleep(600)
"""
_PARAMETERS = parameters_cell()  # the report's parameters, as every review notebook has them
# kyodo-report's main() with config.NOTEBOOKS pointed at the probe notebooks; the runs pass --as-of
# (any option but the defaults), so that the probe's figure never reaches the tracked figures/
_RUN = ("import sys, pathlib; from kyodo_analysis import config; config.NOTEBOOKS = pathlib.Path(sys.argv[1]); "
        "from kyodo_analysis.cli.report import main; sys.exit(main(sys.argv[2:]))")


@pytest.fixture(scope="module")
def probe_notebooks(tmp_path_factory) -> Path:
    """A folder of two probe notebooks, 01 and 02, and a folder ``single/`` of 01 alone."""
    folder = tmp_path_factory.mktemp("probe_notebooks")
    (folder / "single").mkdir()
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(_PARAMETERS, metadata={"tags": ["parameters"]}),
                      nbformat.v4.new_code_cell(_PROBE)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for path in (folder / "01_probe.ipynb", folder / "02_probe.ipynb", folder / "single" / "01_probe.ipynb"):
        nbformat.write(notebook, path)
    return folder


def _own_file(folder: Path) -> tuple[Path, bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    mine = folder / "mine.txt"
    mine.write_bytes(b"the user's own file")
    return mine, mine.read_bytes()


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _previous_report(out: Path) -> dict[str, bytes]:
    out.mkdir(parents=True)
    outputs.mark_folder(out)
    (out / "index.html").write_text("the previous report", encoding="utf-8")
    return _snapshot(out)


def _main(capsys, *argv) -> tuple[int, str]:
    code = main([str(arg) for arg in argv])
    return code, capsys.readouterr().err


# --- 1. --out never destroys a folder that the tool did not make ------------------------------

def test_out_holding_the_raw_input_is_refused(tmp_path, capsys):
    documents = tmp_path / "mydocs"
    mine, before = _own_file(documents)
    table = documents / "my_table.txt"
    table.write_bytes(config.KITAMOTO_STATUS_TABLE.read_bytes())
    code, err = _main(capsys, "--raw", table, "--out", documents)
    assert code == 2 and f"holds the input {table}" in err and "choose a new folder" in err
    assert mine.read_bytes() == before and table.read_bytes() == config.KITAMOTO_STATUS_TABLE.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mydocs"]


def test_out_the_project_or_a_folder_holding_it_is_refused(capsys):
    mine = config.PROJECT_ROOT / f".test-own-file-{uuid.uuid4().hex}"
    mine.write_text("mine", encoding="utf-8")
    try:
        for out, what in [(config.PROJECT_ROOT, "is the project folder"), (config.PROJECT_ROOT.parent, "holds the project")]:
            code, err = _main(capsys, "--out", out)
            assert code == 2 and what in err, err
        assert mine.read_text(encoding="utf-8") == "mine"
    finally:
        mine.unlink()


def test_out_root_and_home_are_refused(tmp_path, monkeypatch, capsys):
    home = tmp_path / "home"
    mine, before = _own_file(home)
    monkeypatch.setenv("HOME", str(home))
    for out, what in [(Path("/"), "is the filesystem root"), (home, "is the home folder")]:
        code, err = _main(capsys, "--out", out)
        assert code == 2 and what in err, err
    assert mine.read_bytes() == before


def test_a_folder_without_the_mark_is_refused_before_any_work(tmp_path, capsys):
    out = tmp_path / "tmp_like"
    mine, before = _own_file(out)
    code, err = _main(capsys, "--out", out)
    assert code == 2 and "did not make" in err and "not empty" in err and "Choose a new or empty folder" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert mine.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["tmp_like"]


def test_out_naming_a_file_is_refused(tmp_path, capsys):
    mine, before = _own_file(tmp_path / "folder")
    code, err = _main(capsys, "--out", mine)
    assert code == 2 and "is a file" in err
    assert mine.read_bytes() == before and sorted(p.name for p in mine.parent.iterdir()) == ["mine.txt"]


@pytest.mark.e2e
def test_an_empty_folder_is_used_users_folders_survive_and_other_parameters_leave_figures_alone(
        tmp_path, probe_notebooks):
    """``kyodo-report --as-of 2010 --out review | head -1`` into an empty folder: the report is built, with no
    traceback and no false "cannot write" although the reader of its output is gone before the first line; the
    user's folders beside it survive, and the tracked figures/ are not touched (other parameters: own figures)."""
    out = tmp_path / "review"
    out.mkdir()
    previous_mine, previous_before = _own_file(tmp_path / "review.previous")
    failed_mine, failed_before = _own_file(tmp_path / "review.failed")
    tracked = _snapshot(config.FIGURES)
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line: every line written meets a broken pipe
    try:
        result = subprocess.run([sys.executable, "-c", _RUN, str(probe_notebooks / "single"), "--out", str(out),
                                 "--as-of", "2010"], stdout=write_end, stderr=subprocess.PIPE, text=True,
                                check=False, timeout=120)
    finally:
        os.close(write_end)
    assert (result.returncode, result.stderr) == (0, "")
    assert outputs.is_marked(out) and (out / "index.html").is_file() and (out / "figures" / "probe.png").is_file()
    assert _snapshot(config.FIGURES) == tracked
    assert previous_mine.read_bytes() == previous_before and failed_mine.read_bytes() == failed_before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".review.kyodo-lock", "review", "review.failed",
                                                         "review.previous"]


@pytest.mark.e2e
def test_the_default_review_updates_figures_only_after_its_build_succeeded(tmp_path, probe_notebooks, monkeypatch):
    out = tmp_path / "reports"
    stand_in = tmp_path / "figures"  # figures/, which only the default review updates
    stand_in.mkdir()
    monkeypatch.setattr(config, "FIGURES", stand_in)
    build_report(out, notebooks=[probe_notebooks / "single" / "01_probe.ipynb"], log=lambda *_: None)
    assert sorted(p.name for p in stand_in.iterdir()) == ["probe.png"] and (out / "index.html").is_file()


# --- 2. interrupted, killed and concurrent runs ----------------------------------------------

def _tagged_processes(tag: str) -> list[int]:
    """Live processes (not zombies) whose environment holds ``tag``: the run and all it started."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if tag.encode() in environ.read_bytes() and "\nState:\tZ" not in (environ.parent / "status").read_text():
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return found


def _wait_for(condition, what: str, timeout: float = 60) -> None:
    """Wait for an event (a file appears, processes end), failing after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _start_run(tmp_path: Path, probe_notebooks: Path, out: Path, tag: str) -> tuple[subprocess.Popen, Path]:
    started = tmp_path / f"started-{tag}"
    env = dict(os.environ, KYODO_TEST_STARTED=str(started), KYODO_TEST_TAG=tag)
    process = subprocess.Popen(
        [sys.executable, "-c", _RUN, str(probe_notebooks), "--out", str(out), "--jobs", "1", "--as-of", "2010"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True,
    )
    _wait_for(started.exists, "the notebook to start")
    return process, started


@pytest.mark.e2e
@pytest.mark.parametrize(("how", "code"), [("SIGINT to the group", 130), ("SIGTERM", 143)])
def test_a_signal_stops_everything_and_keeps_the_previous_report(tmp_path, probe_notebooks, how, code):
    out = tmp_path / "reports"
    previous = _previous_report(out)
    tag = uuid.uuid4().hex
    process, _ = _start_run(tmp_path, probe_notebooks, out, tag)
    if how.startswith("SIGINT"):
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C at a terminal
    else:
        process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == code
    assert len(stderr.strip().splitlines()) == 1 and "で中断しました" in stderr and "Traceback" not in stderr
    assert stdout.count("実行中") == 1  # the queued notebook never started
    assert _snapshot(out) == previous
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".reports")) == [".reports.kyodo-lock"]
    assert _tagged_processes(tag) == []  # the workers and kernels ended before the run did


@pytest.mark.e2e
def test_after_sigkill_the_next_run_removes_the_stale_build_and_succeeds(tmp_path, probe_notebooks):
    out = tmp_path / "reports"
    previous = _previous_report(out)
    tag = uuid.uuid4().hex
    process, _ = _start_run(tmp_path, probe_notebooks, out, tag)
    process.kill()
    process.communicate(timeout=60)
    _wait_for(lambda: not _tagged_processes(tag), "the orphaned workers and kernels to end", timeout=30)
    stale = list(tmp_path.glob(".reports.building-*"))
    assert len(stale) == 1 and _snapshot(out) == previous
    result = subprocess.run([sys.executable, "-c", _RUN, str(probe_notebooks / "single"), "--out", str(out),
                             "--as-of", "2010"],
                            capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    assert f"中断された実行が残した {stale[0].name} を削除しました" in result.stdout
    assert not list(tmp_path.glob(".reports.building-*")) and (out / "figures" / "probe.png").is_file()


def test_a_second_run_into_the_same_folder_stops_with_a_message(tmp_path, capsys):
    out = tmp_path / "reports"
    previous = _previous_report(out)
    with outputs.output_lock(out):
        code, err = _main(capsys, "--out", out)
    assert code == 2 and f"another kyodo-report (process {os.getpid()}) is writing {out}" in err
    assert _snapshot(out) == previous


def test_only_marked_build_folders_count_as_stale(tmp_path):
    out = tmp_path / "reports"
    marked = outputs.new_build_folder(out)
    users = tmp_path / ".reports.building-mine"
    mine, before = _own_file(users)
    with outputs.output_lock(out):
        assert outputs.remove_stale_builds(out) == [marked]
    assert not marked.exists() and mine.read_bytes() == before


# --- 3. data never becomes code or markup -----------------------------------------------------

_FORMULAS = ["=1+1", '=HYPERLINK("http://example.invalid","詳細")', "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3"]


def _plan_with_texts(folder: Path, texts: list[str], **changes) -> Path:
    measures = generate_measures(len(texts), n_blocks=1, era="令和", first_year=2, n_years=6, seed=3)
    measures = [m._replace(status=f"{text}令和3年度", **{k: v(text) for k, v in changes.items()})
                for m, text in zip(measures, texts)]
    raw = folder / "formulas.txt"
    raw.write_text(render_status_table(measures, era="令和", first_year=2, n_years=6, messy=Messiness(), seed=3),
                   encoding="utf-8")
    return raw


def test_workbook_stores_formula_like_text_as_text(tmp_path):
    raw = _plan_with_texts(tmp_path, _FORMULAS, direction=lambda text: text,
                           departments=lambda text: (text.replace(" ", "") + "課",))
    plan_review = review_plan(raw, era="令和")
    path = write_workbook(plan_review, tmp_path / "review.xlsx")
    book = openpyxl.load_workbook(path)
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    values = {cell.value for cell in cells}
    for text in _FORMULAS:
        assert text in values and f"{text}令和3年度" in values, text
    assert '=HYPERLINK("http://example.invalid","詳細")課' in values


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x07"])
def test_control_characters_are_refused_naming_the_line(character):
    text = config.KITAMOTO_STATUS_TABLE.read_text(encoding="utf-8").split("\n")
    text[9] = text[9].replace("。", f"{character}。", 1)
    with pytest.raises(parsing.StatusTableError, match=rf"<text>:10: 制御文字 U\+{ord(character):04X} があります"):
        parsing.parse_status_table("\n".join(text))


# --- 4. errors quote the value as written ---------------------------------------------------

def _table_with_rating(rating: str) -> str:
    return ("No\t方向\t内容\t年度\t\t推進課\t状況\t評価\n\t\t\t平成19\t20\n"
            f"1\t相談窓口\t窓口を開設\t○\t→\t協働推進課\t平成19年度に開設した。\t{rating}\n")


def test_an_error_quotes_the_cell_as_written_and_as_read():
    with pytest.raises(parsing.StatusTableError) as caught:
        parsing.parse_status_table(_table_with_rating("Ａ"))
    assert str(caught.value).startswith("<text>:3: 評価 'A'（No.1）は評価の尺度にありません")
    assert str(caught.value).endswith("（書かれた値 'Ａ'、読み取り 'A'）")
    with pytest.raises(parsing.StatusTableError) as caught:
        parsing.parse_status_table(_table_with_rating("B"))
    assert str(caught.value).endswith("（'B'）")  # read as written: nothing more to say


def test_an_error_quotes_at_most_about_80_characters():
    with pytest.raises(parsing.StatusTableError) as caught:
        parsing.parse_status_table(_table_with_rating("Ｂ" * 100_000))
    message = str(caught.value)
    assert len(message) < 400 and "'" + "Ｂ" * 80 + "'…" in message


# --- 5. hostile sizes, shapes and options ----------------------------------------------------

def _hostile_table(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


@pytest.mark.parametrize(("options", "message"), [
    (["--as-of", "99999"], "評価時点 as_of=99999 が計画期間（2007〜2012年度）の前後5年の外です"),
    (["--as-of", "1800"], "指定できるのは 2002〜2017"),
    (["--jobs", "-1"], "--jobs は1以上の整数で指定してください（-1）"),
    (["--jobs", "0"], "--jobs は1以上の整数で指定してください（0）"),
    (["--dated", "2011-13-01"], "--dated は 2011-03-31 のように年-月-日で指定してください（'2011-13-01'）"),
    (["--author", "協働推進課\n評価委員会"], "--author は1行の文字列にしてください"),
    (["--era", "令和"], "年度見出しを令和として読みましたが、施策実施状況には平成の年度しかありません。表の元号を指定してください"
                       "（--era 平成。Python やノートブックでは era=\"平成\"）"),
    (["--raw", "/dev/zero"], "/dev/zero: 表のファイルを指定してください。これは通常のファイルではありません"),
    (["--title", "計画\x1b[31m"], "--title は1行の文字列にしてください"),
])
def test_bad_options_stop_at_once_with_one_line(tmp_path, capsys, options, message):
    start = time.perf_counter()
    code, err = _main(capsys, *options, "--out", tmp_path / "out")
    assert code == 2 and message in err, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert time.perf_counter() - start < 5 and not (tmp_path / "out").exists()


def test_hostile_files_stop_at_once_with_one_line(tmp_path, capsys, monkeypatch):
    text = config.KITAMOTO_STATUS_TABLE.read_text(encoding="utf-8")
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    cases = {
        _hostile_table(tmp_path, "nul.txt", text.replace("協働", "協\x00働", 1)): ":3: 制御文字 U+0000 があります",
        _hostile_table(tmp_path, "utf16.txt", text.encode("utf-16")): ":1: ファイルが UTF-16 です。UTF-8 で保存し直してください",
        _hostile_table(tmp_path, "wrap.txt", text.replace("\n1\t", f"\n{2**64 - 1}\t", 1)):
            f"施策番号（No）が範囲（1〜99999）の外です（'{2**64 - 1}'）",
        _hostile_table(tmp_path, "huge.txt", text.replace("\n1\t", f"\n{2**70}\t", 1)): "が範囲（1〜99999）の外です",
        _hostile_table(tmp_path, "zero.txt", text.replace("\n1\t", "\n0\t", 1)): "が範囲（1〜99999）の外です（'0'）",
        fifo: "通常のファイルではありません（デバイス、FIFO、ソケット）",
        tmp_path: "フォルダです。抽出した表のファイルを指定してください",
    }
    for raw, message in cases.items():
        code, err = _main(capsys, "--raw", raw, "--era", "平成", "--out", tmp_path / "out")
        assert code == 2 and message in err and "Traceback" not in err, (raw, err)
    monkeypatch.setattr(parsing, "MAX_TABLE_BYTES", 1000)
    code, err = _main(capsys, "--raw", _hostile_table(tmp_path, "big.txt", text), "--out", tmp_path / "out")
    assert code == 2 and "読み込む上限の 1,000 バイトを超えます" in err


def test_an_unwritable_output_folder_is_one_line(tmp_path, capsys):
    blocker = tmp_path / "a_file"
    blocker.write_text("mine", encoding="utf-8")
    code, err = _main(capsys, "--out", blocker / "reports")
    assert code == 2 and err.startswith(f"kyodo-report: エラー: 書き込めません {blocker}") and "Traceback" not in err
    # the reason in Japanese, not the system's "File exists": the folder to make is a file
    assert err.rstrip().endswith(f"{blocker}（同じ名前のファイルかフォルダがすでにあります）")
    assert blocker.read_text(encoding="utf-8") == "mine"


# --- 6. library errors name the argument and what it accepts -----------------------------------

def _library_calls():
    import kyodo_analysis as ka

    measures = ka.load_measures()
    no_status = measures.assign(status=measures["status"].where(measures["no"] != 5, None))
    return {name: (call, error, message) for name, call, error, message in [
        ("summarize", lambda: ka.summarize(pd.DataFrame()), ValueError, r"measures lacks the columns \['no', 'rating'\]"),
        ("summarize by", lambda: ka.summarize(measures, by="nonexistent"), ValueError,
         r"by='nonexistent' is not accepted; accepted: 'block', .*'department'"),
        ("rating_counts", lambda: ka.rating_counts(measures.iloc[:0]), ValueError, "measures is empty"),
        ("schedule_vs_status", lambda: ka.schedule_vs_status(no_status), ValueError, "no status in measure 5"),
        ("audit_consistency", lambda: ka.audit_consistency(no_status), ValueError, "no status in measure 5"),
        ("audit_consistency rating", lambda: ka.audit_consistency(measures.assign(rating="A")), ValueError,
         r"評価 'A'（No.1）は評価の尺度にありません（使える記号: ◎ ○ △ ×）"),
        ("compare_rounds", lambda: ka.compare_rounds(measures, "round 2"), TypeError, "after must be a pandas DataFrame"),
        ("transition_matrix", lambda: ka.transition_matrix(measures, measures, scale="kyodo"), TypeError,
         "scale must be a RatingScale"),
        ("localize", lambda: ka.localize([1, 2]), TypeError, "frame must be a pandas DataFrame"),
        ("localize lang", lambda: ka.localize(measures, "fr"), ValueError, r"lang='fr' is not accepted; accepted: 'ja', 'en'"),
        ("summarize_notes", lambda: ka.summarize_notes(pd.DataFrame({"x": [1]})), ValueError,
         r"notes lacks the columns \['kind'\]"),
        ("normalization_notes", lambda: ka.normalization_notes(scale=None), TypeError, "scale must be a RatingScale"),
        ("parse_status_table", lambda: ka.parse_status_table(None), TypeError, "text must be str or bytes"),
        ("read_status_table", lambda: ka.read_status_table(42), TypeError, "path must be a file path"),
        ("load_status_table", lambda: ka.load_status_table(era=19), TypeError, "era must be an era name"),
        ("load_measures", lambda: ka.load_measures(scale="x"), TypeError, "scale must be a RatingScale"),
        ("load_schedule", lambda: ka.load_schedule(3.5), TypeError, "raw must be a path"),
        ("load_departments", lambda: ka.load_departments(era="天保"), ValueError, "元号 '天保' は使えません"),
        ("load_plan", lambda: ka.load_plan(scale=[]), TypeError, "scale must be a RatingScale"),
        ("to_fiscal_year", lambda: ka.to_fiscal_year(2007), TypeError, r"label must be text \(str\)"),
        ("fiscal_year_label", lambda: ka.fiscal_year_label("平成19"), TypeError, "fiscal_year must be a Western year"),
        ("find_fiscal_years", lambda: ka.find_fiscal_years(None), TypeError, r"text must be text \(str\)"),
        ("plot lang", lambda: draw.rating_distribution(review_plan(), lang="fr"), ValueError,
         r"lang='fr' is not accepted; accepted: 'ja', 'en'"),
        ("review_plan as_of", lambda: review_plan(as_of="2010"), TypeError, "as_of must be a Western fiscal year"),
    ]}


_LIBRARY_CALLS = _library_calls()


@pytest.mark.parametrize("name", _LIBRARY_CALLS)
def test_public_functions_reject_wrong_arguments_by_name(name):
    call, error, message = _LIBRARY_CALLS[name]
    with pytest.raises(error, match=message):
        call()
