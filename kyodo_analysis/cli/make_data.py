"""Build ``data/processed/`` and the codebook from the raw table: ``python -m kyodo_analysis.cli.make_data``."""

from __future__ import annotations

import argparse
import sys

from kyodo_analysis import config
from kyodo_analysis.cli.common import add_table_options, run_command
from kyodo_analysis.console import terminal_safe
from kyodo_analysis.source.loaders import write_processed
from kyodo_analysis.writers.codebook import write_codebook


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="元の表から整理済みデータ（data/processed/）とコードブックをつくります。")
    add_table_options(parser, raw="元の表：抽出したテキスト、PDF、Excel ブック、CSV（既定：同梱の北本市の表）",
                      structure=None)
    parser.add_argument("--out", default=str(config.DATA_PROCESSED), help="CSV を書くフォルダ")
    parser.add_argument("--codebook", default=str(config.CODEBOOK), help="コードブックを書くファイル")
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
