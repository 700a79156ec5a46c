"""kyodo-survey against links, odd names and hostile files (issue 20).

Every file it writes is staged under a fresh mkstemp name and renamed into place; it never writes through
or replaces a link; --collect never overwrites its inputs; every returned workbook is read with bounded
work (devices, FIFOs, far cells and zip bombs are one problem line each); answers that are no status
(error values, invisible text, bidi controls) are named; a full disk is said once, with the file.
"""

import dataclasses
import errno
import os
import re
import shutil
import stat
import subprocess
import sys
import textwrap
import time
import unicodedata
import zipfile
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import kyodo_analysis.survey.send as survey_send
from kyodo_analysis.cli.survey import main
from kyodo_analysis.source.loaders import load_status_table
from kyodo_analysis.source.parsing import StatusTableError
from kyodo_analysis.survey.collect import SurveyError, SurveyResult, load_survey, write_round
from kyodo_analysis.survey.send import write_survey
from kyodo_analysis.testing.synthetic import generate_measures, render_status_table
from kyodo_analysis.validation import ArgumentError

from .test_survey import _edit

VICTIM_TEXT = "大切なファイル\n"


#: The lead of each measure of the test plan: 協働推進課 leads No 1-10 (rows 2-11 of its workbook), and one
#: department each of the others.
LEADS = {no: "協働推進課" for no in range(1, 11)} | {11: "秘書広報課", 12: "福祉課", 13: "産業振興課", 14: "生涯学習課",
                                                   15: "総務課"}
STATUS = "平成23年度も継続して実施した。"


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    """The test plan (see LEADS) and the folder of its workbooks, every measure answered STATUS, ○."""
    folder = tmp_path_factory.mktemp("plan")
    raw = folder / "plan.txt"
    measures = [m._replace(departments=(LEADS[m.no],)) for m in generate_measures(15, n_blocks=2, seed=9)]
    raw.write_text(render_status_table(measures), encoding="utf-8")
    for path in write_survey(raw, out=folder / "answers", era="平成"):
        rows = range(2, 2 + sum(lead == path.stem for lead in LEADS.values()))
        _write_cells(path.parent, path.stem, {f"{column}{row}": value for row in rows
                                              for column, value in (("I", STATUS), ("J", "○"))})
    assert len(load_survey(folder / "answers", round1=raw, era="平成").table.measures) == 15
    return raw, folder / "answers"


@pytest.fixture
def answers(tmp_path, plan):
    """A copy of the answered workbooks, for a test to damage."""
    return shutil.copytree(plan[1], tmp_path / "answers")


@pytest.fixture(scope="module")
def small_plan(tmp_path_factory):
    """A plan of 3 measures led by 協働推進課 alone, and the folder of its workbook, answered."""
    folder = tmp_path_factory.mktemp("small")
    raw = folder / "plan.txt"
    measures = [m._replace(departments=("協働推進課",)) for m in generate_measures(3, n_blocks=1, seed=9)]
    raw.write_text(render_status_table(measures), encoding="utf-8")
    write_survey(raw, out=folder / "answered", era="平成")
    _write_cells(folder / "answered", "協働推進課", {f"{column}{row}": value for row in (2, 3, 4)
                                                  for column, value in (("I", "実施した。"), ("J", "○"))})
    assert len(load_survey(folder / "answered", round1=raw, era="平成").table.measures) == 3
    return raw, folder / "answered"


@pytest.fixture
def victim(tmp_path):
    path = tmp_path / "victim.txt"
    path.write_text(VICTIM_TEXT, encoding="utf-8")
    return path


def _problems(folder, raw):
    with pytest.raises(SurveyError) as caught:
        load_survey(folder, round1=raw, era="平成")
    return caught.value.problems


def _collect(folder, raw, *options):
    """kyodo-survey --collect on the test plan's workbooks."""
    return main(["--collect", str(folder), "--raw", str(raw), "--era", "平成", *options])


def _partials(folder):
    return sorted(path.name for path in Path(folder).iterdir() if path.name.endswith(".partial"))


# --- 1. staging and targets: never through a link -----------------------------------------------


@pytest.mark.slow
def test_collect_stages_under_a_fresh_name_never_through_a_link_at_the_old_guessable_name(plan, answers, victim,
                                                                                           capsys):
    out = answers.parent / "r2.txt"
    guessable = out.with_name(f".r2.txt.{os.getpid()}.partial")  # the name the staging file used to have
    guessable.symlink_to(victim)
    assert _collect(answers, plan[0], "--out", str(out)) == 0, capsys.readouterr().err
    assert victim.read_text(encoding="utf-8") == VICTIM_TEXT
    assert stat.S_ISREG(os.lstat(out).st_mode) and STATUS in out.read_text(encoding="utf-8")
    assert guessable.is_symlink() and _partials(answers.parent) == [guessable.name]  # no staging file left behind


def test_write_survey_stages_each_workbook_under_a_fresh_name(tmp_path, small_plan, victim):
    raw, _ = small_plan
    out = tmp_path / "survey"
    out.mkdir()
    guessable = out / f".協働推進課.xlsx.{os.getpid()}.partial"  # the name the staging file used to have
    guessable.symlink_to(victim)
    (path,) = write_survey(raw, out=out, era="平成")
    assert victim.read_text(encoding="utf-8") == VICTIM_TEXT
    assert stat.S_ISREG(os.lstat(path).st_mode) and path == out / "協働推進課.xlsx"
    assert openpyxl.load_workbook(path)["記入方法"]["B2"].value == "協働推進課"
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask  # the usual permissions, not mkstemp's 0600
    assert _partials(out) == [guessable.name]


def test_write_round_refuses_a_target_that_is_a_link(plan, answers, victim, capsys):
    result = load_survey(answers, round1=plan[0], era="平成")
    link = answers.parent / "round2.txt"
    link.symlink_to(victim)
    # the link's target as written, shortened with … when the path is long (as under pytest-xdist's folders)
    target = str(victim)[:20]
    refusal = rf"^{re.escape(str(link))}: シンボリックリンクです（リンク先 '{re.escape(target)}.*'.*）。.*書き込みません"
    with pytest.raises(ArgumentError, match=refusal):
        write_round(result, link)
    assert _collect(answers, plan[0], "--out", str(link)) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"kyodo-survey: エラー: {link}: シンボリックリンクです") and err.count("\n") == 1
    assert link.is_symlink() and victim.read_text(encoding="utf-8") == VICTIM_TEXT


@pytest.mark.parametrize("kind", ["link to a copy of itself", "link to /dev/zero", "FIFO", "folder"])
def test_write_survey_never_replaces_a_link_a_device_or_a_fifo(tmp_path, small_plan, kind):
    raw, _ = small_plan
    out = tmp_path / "survey"
    (target,) = write_survey(raw, out=out, era="平成")
    expected = {"link to a copy of itself": "シンボリックリンクです", "link to /dev/zero": "シンボリックリンクです",
                "FIFO": "通常のファイルではないもの（デバイス・FIFOなど）です", "folder": "フォルダです"}[kind]
    if kind == "link to a copy of itself":
        shutil.move(target, tmp_path / "copy.xlsx")  # the same bytes: replacing it was allowed
        target.symlink_to(tmp_path / "copy.xlsx")
    elif kind == "link to /dev/zero":
        target.unlink()
        target.symlink_to("/dev/zero")
    elif kind == "FIFO":
        target.unlink()
        os.mkfifo(target)
    else:
        target.unlink()
        target.mkdir()
    before = _entries(out)
    with pytest.raises(ArgumentError, match=rf"^{re.escape(str(target))}: {expected}"):
        write_survey(raw, out=out, era="平成")
    assert _entries(out) == before  # nothing written, nothing staged


def _entries(folder):
    return {path.name: (os.lstat(path).st_ino, os.lstat(path).st_mtime_ns) for path in folder.iterdir()}


# --- 2. --collect never overwrites its inputs ---------------------------------------------------


OUTPUTS = {  # --out, the input it would replace (relative to the test's folder), the refusal
    "the raw table": ("round1.txt", "round1.txt", "は入力（--raw"),
    "the structure file": ("structure.csv", "structure.csv", "は入力（--structure"),
    "a link to the structure file": ("structure-link.csv", "structure.csv", "は入力（--structure"),
    "a hard link of the raw table": ("hardlink.txt", "round1.txt", "は入力（--raw"),
    "a returned workbook": ("answers/協働推進課.xlsx", "answers/協働推進課.xlsx", "のファイル"),
    "a returned workbook, by another path": ("answers/../answers/./総務課.xlsx", "answers/総務課.xlsx", "のファイル"),
    "a hard link of a returned workbook": ("elsewhere.txt", "answers/福祉課.xlsx", "のファイル"),
    "a new file inside the collect folder": ("answers/round2_new.txt", None, "は回収フォルダ"),
}


@pytest.mark.parametrize("out, replaced, refusal", OUTPUTS.values(), ids=OUTPUTS.keys())
def test_collect_refuses_an_output_that_is_one_of_its_inputs(tmp_path, plan, capsys, out, replaced, refusal):
    raw, structure = tmp_path / "round1.txt", tmp_path / "structure.csv"
    shutil.copy(plan[0], raw)
    structure.write_text("No,基本目標\n" + "".join(f"{no},A\n" for no in LEADS), encoding="utf-8")
    answers = shutil.copytree(plan[1], tmp_path / "answers")
    (tmp_path / "structure-link.csv").symlink_to(structure)
    os.link(raw, tmp_path / "hardlink.txt")
    os.link(answers / "福祉課.xlsx", tmp_path / "elsewhere.txt")
    before = {path: path.read_bytes() for path in [raw, structure, *answers.iterdir()]}
    code = _collect(answers, raw, "--structure", str(structure), "--out", str(tmp_path / out))
    err = capsys.readouterr().err
    assert code == 2 and err.startswith(f"kyodo-survey: エラー: --out {tmp_path / out} ") and refusal in err, err
    if replaced is not None:
        assert str((tmp_path / replaced).resolve()) in err
    assert {path: path.read_bytes() for path in [raw, structure, *answers.iterdir()]} == before
    assert sorted(path.name for path in answers.iterdir()) == sorted(path.name for path in plan[1].iterdir())


def test_collect_may_write_and_rewrite_its_default_output_in_the_folder(plan, answers, capsys):
    for _ in range(2):
        assert _collect(answers, plan[0]) == 0
    assert capsys.readouterr().out.count(f"{answers / 'round2.txt'} を書きました: 施策15件") == 2


# --- 3. one name, two spellings -----------------------------------------------------------------


def test_nfc_and_nfd_copies_of_one_workbook_are_an_error_naming_both(tmp_path, small_plan):
    raw, answered = small_plan
    department = "ボランティア推進課"  # ボ composes (NFC) or not (NFD: ホ and U+3099)
    plan = raw.read_text(encoding="utf-8").replace("協働推進課", department)
    (tmp_path / "plan.txt").write_text(plan, encoding="utf-8")
    nfc = f"{department}.xlsx"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    out = tmp_path / "out"
    write_survey(tmp_path / "plan.txt", out=out, era="平成")
    _write_cells(out, department, {"I2": "実施した。", "J2": "×", "I3": "実施した。", "J3": "○", "I4": "実施した。",
                                   "J4": "○"})
    shutil.copy(out / nfc, out / nfd)
    _write_cells(out, department, {"J2": "◎"})  # the two copies disagree: which one counts must not depend on chance
    with pytest.raises(SurveyError) as caught:
        load_survey(out, round1=tmp_path / "plan.txt", era="平成")
    assert caught.value.problems == [
        f"{nfc}: 同じ名前に見えるファイルが2つあります（{nfd!r} と {nfc!r}：文字の合成・分解（NFC・NFD）だけが違います）。"
        f"どちらを読むか決められないため、どちらも読みません。1つだけ残してください（{nfc!r}）"]
    (out / nfd).unlink()
    assert [m.rating for m in load_survey(out, round1=tmp_path / "plan.txt", era="平成").table.measures][0] == "◎"


# --- 4. devices, FIFOs, far cells and zip bombs: bounded, one line each -------------------------

#: Room for Python, pandas and openpyxl (about 220 MB of address space) and a survey; far below what a far cell
#: (gigabytes) or a 60 MB status read whole would take.
ADDRESS_SPACE = 1_000_000_000
BOMB_CHARACTERS = 60_000_000  # unpacks beyond read_workbook's 50 MB


def _far_cell(folder, department, cell):
    _edit(folder, department, {cell: "遠くのセル"})


def _zip_bomb(folder, department):
    """The workbook with a 60-million-character status in I2, deflated to a few hundred KB."""
    path = folder / f"{department}.xlsx"
    _edit(folder, department, {"I2": "BOMB"})
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info, content in entries:
            if b">BOMB<" not in content:  # the sheet's XML (inline strings) or the shared strings
                target.writestr(info.filename, content)
                continue
            before, after = content.split(b"BOMB")
            with target.open(info.filename, "w") as stream:
                stream.write(before)
                chunk = b"a" * 1_000_000
                for _ in range(BOMB_CHARACTERS // len(chunk)):
                    stream.write(chunk)
                stream.write(after)
    return path


@pytest.mark.slow
def test_devices_fifos_far_cells_and_zip_bombs_are_one_problem_line_each(plan, answers):
    (answers / "秘書広報課.xlsx").unlink()
    (answers / "秘書広報課.xlsx").symlink_to("/dev/zero")
    (answers / "福祉課.xlsx").unlink()
    os.mkfifo(answers / "福祉課.xlsx")
    _far_cell(answers, "産業振興課", "XFD1048576")
    _far_cell(answers, "生涯学習課", "I1048576")
    assert (answers / "産業振興課.xlsx").stat().st_size < 10_000
    bomb = _zip_bomb(answers, "総務課")
    assert bomb.stat().st_size < 400_000
    script = textwrap.dedent(f"""
        import resource, sys, time
        resource.setrlimit(resource.RLIMIT_AS, ({ADDRESS_SPACE}, {ADDRESS_SPACE}))
        from kyodo_analysis.cli.survey import main
        import kyodo_analysis.survey.collect  # the command loads it when it runs: timed here is the reading alone
        started = time.perf_counter()
        code = main(["--collect", {str(answers)!r}, "--raw", {str(plan[0])!r}, "--era", "平成"])
        print(f"{{code}} {{time.perf_counter() - started:.2f}}")
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert "Traceback" not in run.stderr and "MemoryError" not in run.stderr, run.stderr[-2000:]
    code, seconds = run.stdout.split()
    assert code == "1" and float(seconds) < 1.0, (code, seconds)  # each hostile file refused at once (0.24 s here)
    lines = run.stderr.splitlines()
    bomb_line = lines.pop(4)
    assert lines == [
        "kyodo-survey: 秘書広報課.xlsx: 表のファイルを指定してください。これは通常のファイルではありません"
        "（デバイス、FIFO、ソケット）（'秘書広報課.xlsx'）",
        "kyodo-survey: 福祉課.xlsx: 表のファイルを指定してください。これは通常のファイルではありません"
        "（デバイス、FIFO、ソケット）（'福祉課.xlsx'）",
        "kyodo-survey: 産業振興課.xlsx:回答!XFD1048576: シートの範囲が上限（5,000行×60列）を超えるセルに値があります。"
        "表の外の値を消してから保存し直してください（'遠くのセル'）",
        "kyodo-survey: 生涯学習課.xlsx:回答!I1048576: シートの範囲が上限（5,000行×60列）を超えるセルに値があります。"
        "表の外の値を消してから保存し直してください（'遠くのセル'）",
        f"kyodo-survey: エラー: {answers} に問題が5件あります。何も書いていません",
    ]
    assert re.fullmatch(r"kyodo-survey: 総務課.xlsx: 展開すると 60,0[0-9]{2},[0-9]{3} バイトになり、読み込む上限 "
                        r"50,000,000 バイトを超えます（zip爆弾の恐れ）。読み込みません（'総務課.xlsx'）", bomb_line), bomb_line


def test_a_stray_cell_far_down_within_the_bounds_is_one_problem_line_found_at_once(plan, answers):
    _edit(answers, "協働推進課", {"J5000": "○", "BH4999": "メモ"})  # the last row and column read (5,000 x 60)
    started = time.perf_counter()
    problems = _problems(answers, plan[0])
    assert time.perf_counter() - started < 1.0  # the empty rows between are never walked (0.8 s before, per sheet)
    assert problems == [  # not one line per empty row in between: they hold nothing
        "協働推進課.xlsx:回答!J5000: 協働推進課の施策10件に行が追加されています。行は追加できません（この行は読みません）（'○'）",
        "協働推進課.xlsx:回答!BH4999: 回答の列（A〜J）の外の文字は読みません。今回の状況に書いてください（'メモ'）",
    ]


# --- 5 and 6. answers that are no status, and invisible characters ------------------------------

#: Answers that are no status, each in a row of its own of 協働推進課's workbook (No 3 is row 4, No 4 row 5 …):
#: the cell, the value written (and its type, where not openpyxl's guess), the problem.
NON_STATUSES = [
    ("I4", "#N/A", "今回の状況が表計算のエラー値"),
    ("J5", "#REF!", "今回の評価が表計算のエラー値"),
    ("I6", ("#DIV/0!", "s"), "今回の状況が表計算のエラー値"),  # typed as text
    ("I7", ("  #VALUE! ", "s"), "今回の状況が表計算のエラー値"),
    ("I8", "\u200b\u200d", "今回の状況は見えない文字（ゼロ幅文字など）だけ"),
    ("J9", " \ufeff ", "今回の評価は見えない文字（ゼロ幅文字など）だけ"),
    ("I10", "平成23年度に\u202e施策を実施した。", "今回の状況に文字の向きを変える制御文字 U+202E があり"),
    ("J11", "\u2066○", "今回の評価に文字の向きを変える制御文字 U+2066 があり"),
]


def _write_cells(folder, department, cells):
    """Write ``{cell: value or (value, data_type)}`` into the department's answer sheet."""
    path = folder / f"{department}.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["回答"]
    for where, value in cells.items():
        value, data_type = value if isinstance(value, tuple) else (value, None)
        sheet[where] = value
        if data_type is not None:
            sheet[where].data_type = data_type
    book.save(path)


def test_error_values_invisible_text_and_bidi_controls_are_no_answer(plan, answers):
    _write_cells(answers, "協働推進課", {where: value for where, value, _ in NON_STATUSES})
    problems = _problems(answers, plan[0])
    assert len(problems) == len(NON_STATUSES), problems  # one each, nothing in their wake
    for found, (where, value, problem) in zip(problems, NON_STATUSES):
        written = value[0] if isinstance(value, tuple) else value
        assert found.startswith(f"協働推進課.xlsx:回答!{where}: {problem}") and found.endswith(f"（{written!r}）"), found


def test_zero_width_characters_are_removed_from_answers_and_noted(plan, answers, capsys):
    _write_cells(answers, "協働推進課", {"I4": "平成23年度も施策3を\u200b継続して\ufeff実施した。", "J5": "◎\u2060"})
    result = load_survey(answers, round1=plan[0], era="平成")
    measures = {m.no: m for m in result.table.measures}
    assert (measures[3].status, measures[4].rating) == ("平成23年度も施策3を継続して実施した。", "◎")
    assert result.notes == (
        "協働推進課.xlsx:回答!I4: 今回の状況から見えない文字（ゼロ幅文字など）を 2 個取り除きました（'平成23年度も施策3を\\u200b継続して\\ufeff実施した。'）",
        "協働推進課.xlsx:回答!J5: 今回の評価から見えない文字（ゼロ幅文字など）を 1 個取り除きました（'◎\\u2060'）",
    )
    assert _collect(answers, plan[0]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == list(result.notes)  # printed after the 'wrote' line


# --- 7. a cell longer than a workbook holds -----------------------------------------------------


def test_write_survey_refuses_a_status_longer_than_a_workbook_cell(tmp_path, plan, monkeypatch):
    long_status = "あ" * 40_000  # Excel holds 32,767 characters in a cell; openpyxl would cut it silently
    table = load_status_table(plan[0], era="平成")  # (the parser is to refuse such a cell itself: not relied on here)
    table = dataclasses.replace(table, measures=tuple(
        m._replace(status=long_status) if m.no == 12 else m for m in table.measures))
    monkeypatch.setattr(survey_send, "load_status_table", lambda *args, **kwargs: table)
    out = tmp_path / "survey"
    with pytest.raises(ArgumentError, match=r"No 12 の前回の状況は 40,000 文字あり、Excelの1つのセルに入る 32,767 文字を超えます"):
        write_survey(plan[0], out=out, era="平成")
    assert not out.exists()
    with pytest.raises(ArgumentError, match=r"^--deadline は 201 文字あります。200 文字以内にしてください"):
        write_survey(plan[0], out=out, era="平成", deadline="期" * 201)  # one line, never cut in a cell


@pytest.mark.parametrize("written", ["令和8年\u202e12月25日", "協働\u00ad推進課", "内線\n123"])
def test_deadline_and_contact_are_one_line_of_visible_text(plan, tmp_path, written):
    out = tmp_path / "survey"
    for option in ("deadline", "contact"):
        with pytest.raises(ArgumentError, match=rf"^--{option} は1行の文字列にしてください"):
            write_survey(plan[0], out=out, era="平成", **{option: written})
    assert not out.exists()


def test_the_survey_never_writes_into_a_git_folder(plan, answers, tmp_path, capsys):
    git = tmp_path / "repo" / ".git"
    (git / "refs" / "tags").mkdir(parents=True)
    with pytest.raises(ArgumentError, match=r"は Git リポジトリの管理フォルダ .*\.git の中にあります"):
        write_survey(plan[0], out=git / "refs" / "tags", era="平成")
    assert _collect(answers, plan[0], "--out", str(git / "config")) == 2
    assert "は Git リポジトリの管理フォルダ" in capsys.readouterr().err
    assert sorted(path.name for path in git.rglob("*")) == ["refs", "tags"]


@pytest.mark.slow
def test_collect_never_replaces_a_file_that_is_not_a_table_of_the_plan(plan, answers, tmp_path, capsys):
    notes = tmp_path / "notes.txt"
    notes.write_text("大切なメモ\n", encoding="utf-8")
    assert _collect(answers, plan[0], "--out", str(notes)) == 2
    assert "はすでにあり、この計画の施策実施状況の表ではありません（1行目が '大切なメモ'" in capsys.readouterr().err
    assert notes.read_text(encoding="utf-8") == "大切なメモ\n"
    notes.unlink()
    assert _collect(answers, plan[0], "--out", str(notes)) == 0  # a new file, then the same plan's table again
    assert _collect(answers, plan[0], "--out", str(notes)) == 0


# --- 8. a full disk -----------------------------------------------------------------------------


@pytest.fixture
def full_disk(monkeypatch):
    """os.write fails as on a full disk (ENOSPC, no file name) for the staging files."""
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc/self/fd to tell the staging file's descriptor")
    real_write = os.write

    def write(descriptor, data):
        if os.readlink(f"/proc/self/fd/{descriptor}").endswith(".partial"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(descriptor, data)

    monkeypatch.setattr(os, "write", write)


def _disk_full_line(path):
    return (f"kyodo-survey: エラー: ディスクの空きがないため {path} を書けませんでした（No space left on device）。"
            "書きかけのファイルは残していません。空きを作ってから、もう一度実行してください\n")


def test_a_full_disk_is_said_once_naming_the_file(small_plan, tmp_path, full_disk, capsys):
    raw, answered = small_plan
    out = tmp_path / "round2.txt"
    assert main(["--collect", str(answered), "--raw", str(raw), "--era", "平成", "--out", str(out)]) == 2
    assert capsys.readouterr() == ("", _disk_full_line(out))
    assert not out.exists() and _partials(tmp_path) == []
    assert main(["--raw", str(raw), "--era", "平成", "--out", str(tmp_path / "survey")]) == 2
    assert capsys.readouterr() == ("", _disk_full_line(tmp_path / "survey" / "協働推進課.xlsx"))
    assert list((tmp_path / "survey").iterdir()) == []


def test_a_full_tmpfs_is_said_once_naming_the_file(small_plan, tmp_path, capsys):
    raw, answered = small_plan
    small = tmp_path / "small"
    small.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", str(small)], capture_output=True,
                             text=True) if shutil.which("mount") else None
    if mounted is None or mounted.returncode != 0:
        why = mounted.stderr.strip() if mounted else "no mount command"
        pytest.skip(f"mounting a small tmpfs is not permitted here ({why})")
    try:
        (small / "filler").write_bytes(b"x" * 4096)  # the one page it holds
        out = small / "round2.txt"
        assert main(["--collect", str(answered), "--raw", str(raw), "--era", "平成", "--out", str(out)]) == 2
        assert capsys.readouterr() == ("", _disk_full_line(out))
        assert [path.name for path in small.iterdir()] == ["filler"]
    finally:
        subprocess.run(["umount", str(small)], check=True)


# --- 9. any small workbook: a result or the package's input error, in bounded time --------------

#: What openpyxl cannot write into a cell (IllegalCharacterError): controls below U+0020 but tab and line ends.
UNWRITABLE = "".join(chr(code) for code in range(0x20) if chr(code) not in "\t\n\r")
CELL_VALUE = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=UNWRITABLE), max_size=12),
    st.sampled_from(["◎", "○", "△", "×", "〇", "A", "▲", "=F5", "=1+1", "+cmd|' /C calc'!A0", "#N/A", "#REF!",
                     "#VALUE!", "#DIV/0!", "\u200b", " \u200b ", "○\u200b", "\u202e○", "\x85", "平成23年度に実施した。", " "]),
    st.builds(lambda n: "長" * n, st.sampled_from([100, 32_767, 32_768])),
    st.integers(-5, 30),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
)
#: Rows and columns within the answer sheet, just past it, and at and beyond the reader's bounds (5,000 x 60).
#: The far cells (XFD1048576) are tried in a subprocess under a memory limit (above): a regression there would
#: take gigabytes, here in the test run.
POSITION = st.tuples(st.one_of(st.integers(1, 8), st.integers(4_999, 5_001)),
                     st.one_of(st.integers(1, 12), st.integers(59, 61)))


@pytest.fixture(scope="module")
def answered_values(small_plan):
    """The answered workbook of the small plan, as the values of its two sheets."""
    raw, folder = small_plan
    book = openpyxl.load_workbook(folder / "協働推進課.xlsx")
    return raw, {name: [list(row) for row in book[name].iter_rows(values_only=True)] for name in book.sheetnames}


@pytest.mark.slow
@settings(max_examples=30, deadline=timedelta(seconds=2), database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(cells=st.lists(st.tuples(POSITION, CELL_VALUE), max_size=6), answered=st.booleans())
@example(cells=[], answered=True)  # the answered workbook as it is: a result
def test_any_small_workbook_gives_a_result_or_an_input_error(answered_values, tmp_path, cells, answered):
    raw, sheets = answered_values
    folder = tmp_path / f"answers-{time.monotonic_ns()}"
    folder.mkdir()
    book = openpyxl.Workbook()
    book.active.title = "記入方法"
    book.create_sheet("回答")
    if answered:  # the answered workbook's values: every check beyond the headers is reached
        for name, rows in sheets.items():
            for row in rows:
                book[name].append(row)
    else:  # any workbook with the two sheets
        book["記入方法"]["B2"] = "協働推進課"
    for (row, column), value in cells:
        book["回答"].cell(row=row, column=column).value = value
    book.save(folder / "協働推進課.xlsx")
    started = time.perf_counter()
    try:
        result = load_survey(folder, round1=raw, era="平成")
    except (SurveyError, StatusTableError, ArgumentError):
        pass
    else:
        assert isinstance(result, SurveyResult) and len(result.table.measures) == 3
    assert time.perf_counter() - started < 1.0


def test_a_file_name_cannot_drive_the_terminal(plan, answers, capsys):
    """A returned file named with escape sequences and a line break prints as one line, its controls escaped."""
    (answers / "x\x1b[2J\x1b]0;pwned\x07\nkyodo-survey: wrote round2.xlsx").write_bytes(b"not a workbook")
    assert _collect(answers, plan[0]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "\\x1b[2J\\x1b]0;pwned\\x07\\nkyodo-survey: wrote" in err
    assert all(line.startswith("kyodo-survey: ") for line in err.splitlines())


def test_a_long_department_name_gives_a_file_name_the_disk_accepts(tmp_path):
    """90 kanji are 270 UTF-8 bytes, more than a file name may have: the name is cut at 200 bytes, whole kanji."""
    department = "協働" * 44 + "推進課"  # 91 kanji
    measures = [m._replace(departments=(department,)) for m in generate_measures(3, n_blocks=1, seed=4)]
    raw = tmp_path / "plan.txt"
    raw.write_text(render_status_table(measures), encoding="utf-8")
    [path] = write_survey(raw, out=tmp_path / "survey", era="平成")
    assert path.name == "協働" * 33 + ".xlsx"  # 66 kanji are 198 bytes; a 67th would make 201


def test_a_bug_in_collect_is_shown_as_a_bug_not_as_bad_input(plan, answers, monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise KeyError("協働推進課")

    monkeypatch.setattr("kyodo_analysis.survey.collect.load_survey", broken)  # the command imports it when it runs
    assert _collect(answers, plan[0]) == 70
    err = capsys.readouterr().err
    assert "KeyError: '協働推進課'" in err and "kyodo-survey: 内部エラーです。" in err
    assert not (answers / "round2.txt").exists()
