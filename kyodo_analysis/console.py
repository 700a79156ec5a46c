r"""What the command lines print on standard output, and what they do when nobody reads it any more.

``kyodo-report | head -1`` closes the pipe after one line. Python then
raises ``BrokenPipeError`` at the next line, which would stop the work, or
be reported as a failure to write the report. :func:`line_printer` prints
until the reader goes, then stays silent: the work goes on and the command
exits as it would have.

Every line is printed through :func:`terminal_safe`: a file name or a value
quoted in a message can hold escape sequences that clear the screen or set
the window title, or a line break that fakes a line of output.

Examples
--------
>>> say = line_printer()
>>> say("kyodo-report: 5 notebooks")
kyodo-report: 5 notebooks
>>> say("x\x1b[2J\nkyodo-report: wrote everything.xlsx")
x\x1b[2J\nkyodo-report: wrote everything.xlsx
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable

__all__ = ["line_printer", "terminal_safe", "print_error", "report_bug", "EXIT_BUG"]

#: The exit status of a bug (BSD's EX_SOFTWARE): not an input problem (2), not a failed notebook (1).
EXIT_BUG = 70

# Control characters (line breaks included, tab excepted) and the bidi controls that reorder what a terminal shows.
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def terminal_safe(line: str) -> str:
    r"""``line`` with every control character written as an escape (``\x1b``, ``\n``, ``\u202e``): one line, as typed.

    Examples
    --------
    >>> print(terminal_safe("回収\u202eフォルダ\r"))
    回収\u202eフォルダ\r
    """
    return _UNPRINTABLE.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), line)


def print_error(program: str, message: str) -> None:
    """Print ``program: message`` on standard error, as one safe line."""
    print(terminal_safe(f"{program}: {message}"), file=sys.stderr)


def report_bug(program: str) -> int:
    """Show the exception being handled with its traceback, ask for a report, and return :data:`EXIT_BUG`.

    Any exception but the package's input error (:class:`~kyodo_analysis.validation.KyodoError`) is a bug:
    it is never reported as bad input.
    """
    import traceback

    traceback.print_exc()
    print_error(program, "内部エラーです。入力の誤りではなく、ツールの不具合と思われます。上に表示された内容をそのまま"
                         "添えて、開発者に報告してください")
    return EXIT_BUG


def line_printer() -> Callable[[str], None]:
    """A function that prints a line to standard output, until its reader has gone; then nothing."""
    reader_gone = False

    def say(line: str) -> None:
        nonlocal reader_gone
        if reader_gone:
            return
        try:
            print(terminal_safe(line), flush=True)
        except BrokenPipeError:
            reader_gone = True
            # Python flushes standard output once more at exit: let that go nowhere instead of failing
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)

    return say
