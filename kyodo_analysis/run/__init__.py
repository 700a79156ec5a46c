"""Building a report: the notebooks and their parameters, the pool of workers that runs them, and the guarded
output folder (its mark, its lock, the swap)."""
