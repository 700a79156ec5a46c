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
    parser = argparse.ArgumentParser(prog="kyodo-report", description="Build the midterm review of a plan table.")
    add_table_options(parser, raw="raw extracted status table (default: the bundled Kitamoto table)",
                      structure="the plan's hierarchy: CSV or .xlsx with No and level columns such as 基本目標 "
                      "(default: group by the table's sections)")
    parser.add_argument("--title", help="plan title for the text (default: the table's title line)")
    parser.add_argument("--as-of", type=int, help="review fiscal year, Western (default: latest year in statuses)")
    parser.add_argument("--previous", help="the previous round's status table of the same plan: the review then "
                        "compares the rounds (前回からの変化)")
    parser.add_argument("--out", help="output folder (default: reports/, or reports_<raw name>/ for --raw)")
    parser.add_argument("--jobs", type=int, default=None, help="notebooks run at once, 1 or more (default: the cores)")
    args = parser.parse_args(argv)

    def build() -> int:
        build_report(args.out, raw=args.raw, era=args.era, sheet=args.sheet, title=args.title, as_of=args.as_of,
                     structure=args.structure, previous=args.previous, jobs=args.jobs, log=line_printer())
        return 0

    def notebook_failed(error: ReportError) -> int:
        print_error("kyodo-report", f"error: {error}")
        return 1

    def stopped(stop: BaseException) -> int:  # KeyboardInterrupt: Ctrl-C before the handlers were set
        stop = stop if isinstance(stop, Interrupted) else Interrupted(2)
        if stop.outcome is not None:  # stopped after the new report was in place
            print_error("kyodo-report", stop.outcome)
        else:
            print_error("kyodo-report", f"{stop}: stopped every notebook, removed the unfinished build; "
                                        "the previous report is as it was")
        return stop.exit_code

    return run_command("kyodo-report", build, left="作りかけのレポートは残していません",
                       handlers={ReportError: notebook_failed, Interrupted: stopped, KeyboardInterrupt: stopped})


if __name__ == "__main__":
    sys.exit(main())
