"""What the commands share: the options that name the plan's table, and one mapping from errors to exit codes.

Exit codes: 0 done; 1 the work failed (a notebook, the survey's answers), with a message; 2 bad input or an
output that cannot be written (every :class:`~kyodo_analysis.validation.KyodoError`, a full disk); 130 and
143 stopped by Ctrl-C or SIGTERM; 70 (:data:`~kyodo_analysis.console.EXIT_BUG`) a bug, with its traceback and a
line asking for a report. Only :class:`KyodoError` is bad input: any other exception, from pandas too, is a bug.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping

from kyodo_analysis.console import print_error, report_bug
from kyodo_analysis.file_writes import DISK_FULL, disk_full_message
from kyodo_analysis.validation import KyodoError, os_error_reason

__all__ = ["EXIT_INPUT", "add_table_options", "run_command"]

#: The exit code of bad input and of an output that cannot be written.
EXIT_INPUT = 2

#: A command's own errors: each to the code it exits with (after printing its message).
Handlers = Mapping[type[BaseException], Callable[[BaseException], int]]


def add_table_options(parser: argparse.ArgumentParser, *, raw: str, structure: str | None) -> None:
    """``--raw``, ``--era``, ``--sheet`` and ``--structure``: the plan's table, the era of its bare header years,
    the workbook's sheet that holds it, its hierarchy (no ``--structure`` when ``structure`` is None)."""
    parser.add_argument("--raw", help=raw)
    parser.add_argument("--era", help="年度見出しが数字だけ（19 など）のときの元号（平成、令和 など）。見出しに元号"
                        "（平成30 令和元、H30）か西暦（2018）があれば不要")
    parser.add_argument("--sheet", metavar="シート名", help="--raw が Excel ブック（.xlsx）のとき、表のあるシート"
                        "（既定：見出しが列名と合う最初のシート）")
    if structure is not None:
        parser.add_argument("--structure", help=structure)


def run_command(program: str, body: Callable[[], int], *, handlers: Handlers | None = None,
                left: str = "書きかけのファイルは残していません") -> int:
    """``body()``'s exit code, or the code of the error it raised, after one line naming the problem.

    ``handlers`` map a command's own errors to their code first (they print their own message); ``left`` says
    what a full disk left behind."""
    try:
        return body()
    except BaseException as error:
        for kind, handle in (handlers or {}).items():
            if isinstance(error, kind):
                return handle(error)
        if isinstance(error, KyodoError):  # StatusTableError, StructureError, ArgumentError, an unknown era, …
            print_error(program, f"エラー: {error}")
            return EXIT_INPUT
        if isinstance(error, OSError):  # an output that cannot be written, a full disk, …
            if error.errno in DISK_FULL:
                print_error(program, f"エラー: {disk_full_message(error, left=left)}")
            else:
                where = f" {error.filename}" if error.filename else ""
                print_error(program, f"エラー: 書き込めません{where}（{os_error_reason(error)}）")
            return EXIT_INPUT
        if isinstance(error, Exception):  # anything else is a bug, not bad input
            return report_bug(program)
        raise  # KeyboardInterrupt, SystemExit: not handled here
