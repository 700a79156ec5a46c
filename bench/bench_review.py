"""Time summarize() and schedule_vs_status() on 100k and 1M synthetic measures.

Prints the median of several runs, the scaling from 100k to 1M, and checks the
issue's target: ``summarize(by="block")`` at 1M measures in at most 1 s.
Run: ``make bench`` or ``python bench/bench_review.py``.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from timing import median_seconds

from kyodo_analysis import KYODO_SCALE, schedule_vs_status, summarize
from kyodo_analysis.testing.synthetic import generate_measures


def synthetic_frame(n: int, seed: int = 0) -> pd.DataFrame:
    """A measures table of ``n`` rows, statuses drawn from a realistic generated pool."""
    rng = np.random.default_rng(seed)
    pool = [m.status for m in generate_measures(500, seed=seed)]
    return pd.DataFrame({
        "no": np.arange(1, n + 1),
        "block": rng.integers(1, 11, n),
        "target_fy": rng.integers(2007, 2013, n),
        "status": pd.array(np.asarray(pool, dtype=object)[rng.integers(0, len(pool), n)], dtype="str"),
        "rating": pd.Categorical.from_codes(rng.integers(0, 4, n), dtype=KYODO_SCALE.dtype),
    })



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    timings: dict[str, dict[int, float]] = {"summarize(by='block')": {}, "schedule_vs_status": {}}
    for size in args.sizes:
        frame = synthetic_frame(size)
        timings["summarize(by='block')"][size] = median_seconds(lambda: summarize(frame, by="block"), args.repeat)
        timings["schedule_vs_status"][size] = median_seconds(lambda: schedule_vs_status(frame), max(1, args.repeat // 2))
    for name, by_size in timings.items():
        cells = "  ".join(f"{size:>9,}: {seconds:7.3f} s" for size, seconds in by_size.items())
        sizes = sorted(by_size)
        scaling = by_size[sizes[-1]] / by_size[sizes[0]] if len(sizes) > 1 else float("nan")
        print(f"{name:<22} {cells}  scaling {scaling:.1f}x for {sizes[-1] / sizes[0]:.0f}x rows")
    at_million = timings["summarize(by='block')"].get(1_000_000)
    if at_million is not None:
        print(f"target summarize(by='block') at 1M <= 1 s: {'met' if at_million <= 1 else 'MISSED'} ({at_million:.3f} s)")


if __name__ == "__main__":
    main()
