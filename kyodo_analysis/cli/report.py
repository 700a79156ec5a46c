"""``kyodo-report``: build the midterm review of a plan table (see :mod:`kyodo_analysis.run.report`)."""

from __future__ import annotations

import argparse
import sys

# Only light modules at the top: `kyodo-report --help` and an input error answer at once.
from kyodo_analysis.cli.common import add_table_options, run_command
from kyodo_analysis.console import line_printer, print_error
from kyodo_analysis.run.report import ReportError, build_report
from kyodo_analysis.run.runner import Interrupted

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kyodo-report", description="計画の施策実施状況の表から評価報告書をつくります。")
    add_table_options(parser, raw="評価する表：抽出したテキスト、PDF、Excel ブック（.xlsx）、CSV（既定：同梱の北本市の表）",
                      structure="施策体系のファイル：No と 基本目標 などの列のある CSV か .xlsx（既定：表の区分で分ける）")
    parser.add_argument("--title", help="文中で使う計画名（既定：表題から表の語を除いたもの）")
    parser.add_argument("--as-of", type=int, help="評価時点の年度（西暦。既定：状況欄に記された最新の年度）")
    parser.add_argument("--previous", action="append", help="同じ計画の前回の表。前回からの変化を示します。前の回が複数"
                        "あれば古い順に繰り返し指定すると、すべての回の推移も示します")
    parser.add_argument("--indicators", help="成果指標のファイル（指標・単位・方向・基準年度・基準値・目標年度・目標値と年度ごとの"
                        "実績値の列の CSV か .xlsx）。判定して本文・表・集計表に加えます")
    parser.add_argument("--indicator-scheme", choices=("level", "pace"), default="level",
                        help="成果指標の判定の基準：level（水準：S A B C −、既定）か pace（ペース：a b c −）")
    parser.add_argument("--errata", help="表の誤記の一覧（No・欄・原文の列の CSV）。引用した誤記に（原文ママ）を付けます"
                        "（既定：同梱の北本市の表にはその一覧、ほかの表にはなし）")
    parser.add_argument("--out", help="出力先のフォルダ（既定：reports/。--raw のときは reports_<表の名前>/）")
    parser.add_argument("--author", help="報告書の作成者（例：北本市協働推進課、○○評価委員会）。表紙に記載します")
    parser.add_argument("--dated", metavar="年-月-日", help="報告書の日付（例：2011-03-31。既定：実行した日）")
    parser.add_argument("--jobs", type=int, default=None, help="同時に実行するノートブックの数、1 以上（既定：CPU のコア数）")
    args = parser.parse_args(argv)

    def build() -> int:
        build_report(args.out, raw=args.raw, era=args.era, sheet=args.sheet, title=args.title, as_of=args.as_of,
                     structure=args.structure, previous=args.previous, errata=args.errata,
                     indicators=args.indicators, indicator_scheme=args.indicator_scheme, jobs=args.jobs,
                     author=args.author, dated=args.dated, log=line_printer())
        return 0

    def notebook_failed(error: ReportError) -> int:
        print_error("kyodo-report", f"エラー: {error}")
        return 1

    def stopped(stop: BaseException) -> int:  # KeyboardInterrupt: Ctrl-C before the handlers were set
        stop = stop if isinstance(stop, Interrupted) else Interrupted(2)
        if stop.outcome is not None:  # stopped after the new report was in place
            print_error("kyodo-report", stop.outcome)
        else:
            print_error("kyodo-report", f"{stop}: すべてのノートブックを止め、作りかけのレポートを削除しました。"
                                        "前のレポートはそのままです")
        return stop.exit_code

    return run_command("kyodo-report", build, left="作りかけのレポートは残していません",
                       handlers={ReportError: notebook_failed, Interrupted: stopped, KeyboardInterrupt: stopped})


if __name__ == "__main__":
    sys.exit(main())
