"""What the command lines print on standard output, and what they do when nobody reads it any more.

``kyodo-report | head -1`` closes the pipe after one line. Python then
raises ``BrokenPipeError`` at the next line, which would stop the work, or
be reported as a failure to write the report. :func:`line_printer` prints
until the reader goes, then stays silent: the work goes on and the command
exits as it would have.

Examples
--------
>>> say = line_printer()
>>> say("kyodo-report: 5 notebooks")
kyodo-report: 5 notebooks
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

__all__ = ["line_printer"]


def line_printer() -> Callable[[str], None]:
    """A function that prints a line to standard output, until its reader has gone; then nothing."""
    reader_gone = False

    def say(line: str) -> None:
        nonlocal reader_gone
        if reader_gone:
            return
        try:
            print(line, flush=True)
        except BrokenPipeError:
            reader_gone = True
            # Python flushes standard output once more at exit: let that go nowhere instead of failing
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)

    return say
