"""Parse-and-load time of the extracted-table parser, against pandas.read_csv.

For 1k, 10k and 100k synthetic measures (messy rendering, like the real
extraction) it prints the median of several runs of ``load_measures(path)``
(parse + DataFrame), rows/s, the peak traced memory, and the ratio to
``pandas.read_csv`` of the same measures written as the tidy measures.csv,
timed in the same run. Run: ``make bench`` or ``python bench/bench_parse.py``.

It also prints a pure-Python floor: only decoding the file and splitting it
into lines and cells (cycle collector paused, as in the parser), with no
normalization or validation. That floor is what any parser written in
Python pays before doing its work. The last column times NFKC alone (the
parser's own fast path, which the table format requires) on the decoded text.
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import tracemalloc
from pathlib import Path

import pandas as pd
from timing import median_seconds

from kyodo_analysis.source.loaders import clear_cache, load_measures, write_processed
from kyodo_analysis.source.parsing import nfkc  # the parser's NFKC step, timed on its own
from kyodo_analysis.testing.synthetic import Messiness, generate_measures, render_status_table


def _peak_mb(function) -> float:
    tracemalloc.start()
    function()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"{'measures':>9} {'parse+load s':>13} {'rows/s':>10} {'read_csv s':>11} {'ratio':>6} {'peak MB':>8} "
          f"{'split-only s':>13} {'ratio':>6} {'NFKC s':>7} {'ratio':>6}")
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        for size in args.sizes:
            raw = folder / f"table_{size}.txt"
            measures = generate_measures(size, n_blocks=max(1, size // 500), seed=size)
            raw.write_text(render_status_table(measures, messy=Messiness(), seed=size), encoding="utf-8")
            processed = folder / f"processed_{size}"
            write_processed(processed, raw)
            csv = processed / "measures.csv"

            def parse_and_load(raw=raw):
                clear_cache()
                return load_measures(raw)

            parse_and_load()  # warm up imports and regex caches
            parse_seconds = median_seconds(parse_and_load, args.repeat)
            csv_seconds = median_seconds(lambda csv=csv: pd.read_csv(csv), args.repeat)
            peak = _peak_mb(parse_and_load)

            def split_only(raw=raw):
                # With the cycle collector paused, as the parser runs: with it
                # on, the million small lists cost 2-3x more at 100k.
                gc.disable()
                try:
                    return [line.split("\t") for line in raw.read_bytes().decode("utf-8").split("\n")]
                finally:
                    gc.enable()

            split_seconds = median_seconds(split_only, args.repeat)
            decoded = raw.read_text(encoding="utf-8")
            nfkc_seconds = median_seconds(lambda decoded=decoded: nfkc(decoded), args.repeat)
            results[size] = parse_seconds
            print(f"{size:>9,} {parse_seconds:>13.3f} {size / parse_seconds:>10,.0f} {csv_seconds:>11.3f} "
                  f"{parse_seconds / csv_seconds:>6.1f} {peak:>8.1f} {split_seconds:>13.3f} {split_seconds / csv_seconds:>6.1f} "
                  f"{nfkc_seconds:>7.3f} {nfkc_seconds / csv_seconds:>6.1f}")
    sizes = sorted(results)
    for small, large in zip(sizes, sizes[1:]):
        print(f"scaling {large:,} / {small:,}: {results[large] / results[small]:.1f}x "
              f"(size ratio {large / small:.0f}x)")


if __name__ == "__main__":
    main()
