"""Build ``data/processed/`` and the codebook from the raw table: ``python -m kyodo_analysis.cli.make_data``."""

from __future__ import annotations

import argparse
import sys

from kyodo_analysis import config
from kyodo_analysis.cli.common import run_command
from kyodo_analysis.console import terminal_safe
from kyodo_analysis.source.loaders import write_processed
from kyodo_analysis.writers.codebook import write_codebook


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", default=None, help="raw extracted table (default: the bundled Kitamoto table)")
    parser.add_argument("--era", default=None, help="era of bare header years (default: the bundled table's, 平成; "
                        "not needed when the header names its eras or is in Western years)")
    parser.add_argument("--sheet", default=None, metavar="NAME",
                        help="with an Excel --raw (.xlsx): the sheet that holds the table "
                        "(default: the first that matches)")
    parser.add_argument("--out", default=str(config.DATA_PROCESSED), help="folder for the CSVs")
    parser.add_argument("--codebook", default=str(config.CODEBOOK), help="where to write the codebook")
    args = parser.parse_args(argv)

    def write() -> int:
        written = write_processed(args.out, args.raw, era=args.era, sheet=args.sheet)
        written.append(write_codebook(args.codebook, args.raw, era=args.era, sheet=args.sheet))
        for path in written:
            print(terminal_safe(f"{path} を書きました"))
        return 0

    return run_command("make_data", write)


if __name__ == "__main__":
    sys.exit(main())
