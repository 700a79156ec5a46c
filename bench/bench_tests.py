"""Time ``make setup`` and ``make test`` in fresh clones: this checkout's commit against a baseline commit.

Each of the two commits is cloned into a temporary folder and set up once
(``make setup``, timed: the issue's goal is at most 20 s); then ``make test``
runs ``--repeat`` times in each clone, interleaved so that both see the same
machine. Prints the median of each and the ratio of this commit to the
baseline (the goal: ``make test`` at most 90 s, set-up excluded).

The default baseline, 3a8288e, is the last commit before the session's two
reports ran one after the other in the tests (issue 11). Run it on an idle
machine: ``python bench/bench_tests.py`` (about 8 minutes), or
``--baseline REV`` for another one. Needs the repository's history (a full clone).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed_make(target: str, folder: Path, python: str | None) -> float:
    """Run ``make target`` in ``folder``; return its wall time, failing with make's output if it fails."""
    command = ["make", target, *([f"PYTHON={python}"] if python else [])]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"make {target} failed in {folder}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return seconds


def clone(revision: str, folder: Path) -> Path:
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(folder)], check=True)
    subprocess.run(["git", "checkout", "--quiet", revision], cwd=folder, check=True)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--baseline", default="3a8288e", help="the commit to compare with (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--python", help="the interpreter make uses (default: the Makefile's python3)")
    args = parser.parse_args()

    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="bench-tests-") as scratch:
        clones = {name: clone(revision, Path(scratch) / name)
                  for name, revision in (("baseline", args.baseline), ("this", head))}
        setup = {name: timed_make("setup", folder, args.python) for name, folder in clones.items()}
        tests: dict[str, list[float]] = {name: [] for name in clones}
        for run in range(args.repeat):
            for name, folder in clones.items():
                tests[name].append(timed_make("test", folder, args.python))
                print(f"run {run + 1}: {name} make test {tests[name][-1]:.1f} s", flush=True)

    medians = {name: statistics.median(times) for name, times in tests.items()}
    print(f"\nmake setup (fresh clone): baseline {setup['baseline']:.1f} s, this {setup['this']:.1f} s")
    print(f"make test, median of {args.repeat}: baseline ({args.baseline}) {medians['baseline']:.1f} s, "
          f"this ({head}) {medians['this']:.1f} s, ratio {medians['this'] / medians['baseline']:.2f}")


if __name__ == "__main__":
    main()
