"""``kyodo-survey``: write one answer workbook per department, or ``--collect`` the returned ones into the next
round's table (see :mod:`kyodo_analysis.survey.send` and :mod:`kyodo_analysis.survey.collect`).

``--collect`` never writes over one of its inputs, nor anywhere in the collect folder but its ``round2.txt``, and
replaces an existing ``--out`` only when it is a table of the same plan.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kyodo_analysis.cli.common import add_table_options, run_command
from kyodo_analysis.config import KITAMOTO_STATUS_TABLE
from kyodo_analysis.console import line_printer, print_error
from kyodo_analysis.file_writes import refuse_git_folder, replace_files
from kyodo_analysis.validation import ArgumentError, quote_value
from kyodo_analysis.words import ALL_DEPARTMENTS

# The survey's modules (pandas, openpyxl) load once the options are read: --help and a bad option answer at once.

__all__ = ["ROUND2_NAME", "check_collect_output", "check_replaced_round", "main"]

#: The file --collect writes by default, in the collect folder: the one thing it may write there.
ROUND2_NAME = "round2.txt"


def check_collect_output(out: Path, folder: Path, inputs: list[tuple[str, Path]]) -> None:
    """Refuse an output of ``--collect`` that would replace one of its inputs.

    Refused: the same file as an input (``inputs``: ``--raw``, ``--structure``; and every file in the
    collect folder), by its path, through a link, or as a hard link (the same device and inode); and
    any path inside the collect folder but the default output, ``round2.txt``.
    """
    from kyodo_analysis.source.related import related_path
    from kyodo_analysis.survey.actuals import indicators_path

    def identity(path: Path) -> tuple[int, int] | None:
        try:
            info = os.stat(path)
        except OSError:
            return None
        return info.st_dev, info.st_ino

    def real(path: Path) -> Path:  # os.path.realpath, unlike Path.resolve, never raises on a loop of links
        return Path(os.path.realpath(path))

    refuse_git_folder(out, "--out")
    folder = real(folder)
    default = folder / ROUND2_NAME
    location = real(out.absolute().parent) / out.name  # the folder entry that would be replaced
    target = real(out)  # where a link there points to
    try:
        returned = sorted(entry for entry in folder.iterdir()
                          if entry.name not in (ROUND2_NAME, related_path(default).name, indicators_path(default).name))
    except OSError:  # no such folder, or not readable: load_survey says so
        returned = []
    inputs = [*inputs, *((f"{folder} のファイル", entry) for entry in returned)]
    written = identity(out)
    for what, path in inputs:
        if real(path) in (location, target) or (written is not None and identity(path) == written):
            raise ArgumentError(f"--out {out} は入力（{what} {path}）と同じファイルです。入力を上書きしないよう、"
                                "別のファイルを指定してください")
    if location.is_relative_to(folder) and location not in (default, related_path(default), indicators_path(default)):
        raise ArgumentError(f"--out {out} は回収フォルダ {folder} の中です。返送されたブックを上書きしないよう、"
                            f"回収フォルダの外を指定してください（既定の {default} は使えます）")


def _not_ours(out: Path, first_line: str) -> str | None:
    """How an existing ``out`` reads when this command did not write it (its first line is not ``first_line``);
    None when it may be replaced: it is missing, its first line matches, or it is a link (refused, naming it,
    when the file is written)."""
    from kyodo_analysis.source.parsing import StatusTableError, decode_text, read_table_file

    if not os.path.lexists(out) or os.path.islink(out):
        return None
    try:
        found = decode_text(read_table_file(out), str(out), None).removeprefix("\ufeff").split("\n", 1)[0]
    except StatusTableError:  # not a regular, readable text file: not one this command wrote
        return "読めないファイル"
    return None if found.rstrip("\r") == first_line else f"1行目が {quote_value(found)}"


def check_replaced_round(out: Path, text: str) -> None:
    """Refuse to replace an existing ``--out`` that is not a table of this plan (its first line is not the title line).

    Collecting again after a department corrects its workbook replaces the last round's table; any other file
    (a report, a user's notes, a configuration file) is the user's and is never overwritten.
    """
    title_line = text.split("\n", 1)[0]
    shown = _not_ours(out, title_line)
    if shown is not None:
        raise ArgumentError(f"--out {out} はすでにあり、この計画の施策実施状況の表ではありません（{shown}、表なら "
                            f"{quote_value(title_line)}）。上書きしないよう、何も書き込みません。別のファイルを指定してください")


def check_replaced_beside(out: Path, data: bytes, what: str) -> None:
    """Refuse to replace an existing file beside round 2 (``what``: 関係課の記述, 成果指標) that this command did not
    write: its first line is not that of ``data``, the file about to be written (the header it always writes)."""
    header = data.decode("utf-8-sig").split("\n", 1)[0]
    shown = _not_ours(out, header)
    if shown is not None:
        raise ArgumentError(f"{out} はすでにあり、この照会の{what}のファイルではありません（{shown}、このファイルなら "
                            f"{quote_value(header)}）。上書きしないよう、何も書き込みません")


def main(argv: list[str] | None = None) -> int:
    """``kyodo-survey``: write the answer workbooks, or collect them (``--collect``) into round 2's table."""
    parser = argparse.ArgumentParser(
        prog="kyodo-survey",
        description="ある回の施策実施状況の表から推進課ごとの回答用ブックをつくります。--collect で、返ってきた"
                    "ブックを次の回の表にまとめます。")
    add_table_options(parser, raw="今回の表：抽出したテキスト、PDF、Excel ブック、CSV（既定：同梱の北本市の表）",
                      structure="施策体系のファイル（CSV か .xlsx：No、基本目標 など）。最も上の階層をグループの列に"
                      "します（既定：表の区分）")
    parser.add_argument("--out", help="回答用ブックのフォルダ（既定：survey/。--raw のときは survey_<表の名前>/）。"
                        "--collect では次の回の表（既定：フォルダ/round2.txt。フォルダ内のほかのファイルは不可）")
    parser.add_argument("--deadline", default="", help="回答期限。各ブックの「記入方法」シートに記載します")
    parser.add_argument("--contact", default="", help="問い合わせ先。各ブックの「記入方法」シートに記載します")
    parser.add_argument("--all-departments", action="store_true",
                        help=f"{ALL_DEPARTMENTS}（すべての課）の回答用ブックもつくる。--collect ではそれも回収する")
    parser.add_argument("--leads", metavar="ファイル", help="主担当課の一覧（No,主担当課 の列の CSV か .xlsx）。推進課の欄で"
                        "最初に書かれた課でない施策だけ書きます。送付と回収で同じファイルを指定してください")
    parser.add_argument("--indicators", metavar="ファイル", help="成果指標のファイル（CSV か .xlsx）。担当課（なければ関連施策の"
                        "主担当課）のブックに、今回の年度の実績値を記入するシート「成果指標」を加えます。--collect では"
                        "その値を読み、次の回の成果指標のファイル（<次の回の表>_成果指標.csv）を書きます")
    parser.add_argument("--collect", metavar="フォルダ", help="フォルダにある返ってきたブックを読み、次の回の表を書く")
    parser.add_argument("--accept-lead", action="store_true",
                        help="--collect で、課によって評価が違う施策は主担当課（最初に書かれた課か、--leads の課）の回答をとる")
    args = parser.parse_args(argv)
    if args.collect is None and args.accept_lead:
        parser.error("--accept-lead は --collect と一緒に指定します")
    if args.collect is not None and (args.deadline or args.contact):
        parser.error("--deadline と --contact は回答用ブックを書くときの指定です。--collect とは一緒に使えません")

    say = line_printer()

    def write_workbooks() -> int:
        from kyodo_analysis.survey.send import write_survey

        out = args.out or ("survey" if args.raw is None else f"survey_{Path(args.raw).stem}")
        written = write_survey(args.raw, out=out, era=args.era, sheet=args.sheet, structure=args.structure,
                               deadline=args.deadline, contact=args.contact, all_departments=args.all_departments,
                               leads=args.leads, indicators=args.indicators)
        say(f"{out} に回答用ブックを{len(written)}件書きました:")
        for path in written:
            say(f"  {path.name}")
        return 0

    def collect() -> int:
        from kyodo_analysis.source.related import related_csv, related_path
        from kyodo_analysis.survey.actuals import indicators_path
        from kyodo_analysis.survey.collect import load_survey, render_round

        out = Path(args.out) if args.out else Path(args.collect) / ROUND2_NAME
        inputs = [("--raw", Path(KITAMOTO_STATUS_TABLE if args.raw is None else args.raw))]
        if args.structure is not None:
            inputs.append(("--structure", Path(args.structure)))
        if args.leads is not None:
            inputs.append(("--leads", Path(args.leads)))
        if args.indicators is not None:
            inputs.append(("--indicators", Path(args.indicators)))
        check_collect_output(out, Path(args.collect), inputs)
        result = load_survey(args.collect, round1=args.raw, era=args.era, sheet=args.sheet,
                             structure=args.structure, accept_lead=args.accept_lead,
                             all_departments=args.all_departments, leads=args.leads, indicators=args.indicators)
        text, era = render_round(result)
        check_replaced_round(out, text)
        files = [(out, text.encode("utf-8"))]
        related = related_path(out)  # written when there are texts, or emptied when an earlier collection left some
        if result.related or os.path.lexists(related):
            check_collect_output(related, Path(args.collect), inputs)
            kept = related_csv(result.related)
            check_replaced_beside(related, kept, "関係課の記述")
            files.append((related, kept))
        indicators = indicators_path(out)
        if result.indicators is not None:
            check_collect_output(indicators, Path(args.collect), inputs)
            check_replaced_beside(indicators, result.indicators, "成果指標")
            files.append((indicators, result.indicators))
        replace_files(files)
        reading = f"。読むときは --era {era} を指定してください" if era else ""
        say(f"{out} を書きました: 施策{len(result.table.measures)}件{reading}")
        if result.related:
            say(f"{related} に関係課の記述を{len(result.related)}件書きました（主担当課と同じ評価で、記述だけが違う回答）")
        if result.indicators is not None:
            say(f"{indicators} に次の回の成果指標を書きました（{out} と一緒に --indicators で読みます）")
        for line in result.overridden:
            say(f"主担当課の回答をとりました: {line}")
        for line in result.notes:
            say(line)
        return 0

    from kyodo_analysis.survey.collect import SurveyError

    def answers_failed(error: SurveyError) -> int:
        for problem in error.problems:
            print_error("kyodo-survey", problem)
        print_error("kyodo-survey", f"エラー: {args.collect} に問題が{len(error.problems)}件あります。何も書いていません")
        return 1

    return run_command("kyodo-survey", write_workbooks if args.collect is None else collect,
                       handlers={SurveyError: answers_failed})


if __name__ == "__main__":
    sys.exit(main())
