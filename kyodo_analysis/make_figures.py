"""Draw the standard review figures of a plan into ``figures/``: ``python -m kyodo_analysis.make_figures``."""

from __future__ import annotations

import argparse
import sys

import matplotlib

from . import config
from .era import short_fiscal_year_label
from .loaders import load_departments, load_measures, load_plan, load_schedule
from .parsing import StatusTableError


def draw_all(raw=None, *, era: str = "平成", lang: str = "ja", directory=None) -> list:
    """Draw and save every standard figure; return the written paths."""
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from . import plots, review

    measures = load_measures(raw, era=era)
    schedule = load_schedule(raw, era=era)
    departments = load_departments(raw, era=era)
    plan = load_plan(raw, era=era).iloc[0]
    blocks = review.block_labels(measures, lang)
    years = {fy: f"{short_fiscal_year_label(fy)} ({fy})" for fy in measures["target_fy"].unique()}
    overall = review.summarize(measures)["score_index"].item()
    by_block = review.summarize(measures, "block")
    by_year = review.summarize(measures, "target_fy")
    figures = {
        "rating_distribution": plots.plot_rating_distribution(review.rating_counts(measures), lang=lang),
        "ratings_by_block": plots.plot_rating_bars(by_block, "block", labels=blocks, lang=lang),
        "ratings_by_target_year": plots.plot_rating_bars(by_year, "target_fy", labels=years, lang=lang),
        "ratings_by_department": plots.plot_rating_bars(
            review.summarize(measures, "department", departments), "department", lang=lang),
        "plan_vs_actual_timeline": plots.plot_plan_vs_actual(
            measures, schedule, review.schedule_vs_status(measures), first_fy=int(plan["first_fy"]),
            last_fy=int(plan["last_fy"]), as_of_fy=review.latest_fiscal_year_mentioned(measures),
            block_labels=blocks, lang=lang),
        "department_measure_matrix": plots.plot_department_matrix(
            review.department_matrix(measures, departments), lang=lang),
        "score_index_by_block": plots.plot_score_index(by_block, "block", overall=overall, labels=blocks, lang=lang),
        "score_index_by_target_year": plots.plot_score_index(by_year, "target_fy", overall=overall, labels=years,
                                                             lang=lang),
    }
    paths = []
    for name, ax in figures.items():
        paths += plots.save_figure(ax.figure, name, directory=directory)
        plt.close(ax.figure)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", default=None, help="raw extracted table (default: the bundled Kitamoto table)")
    parser.add_argument("--era", default="平成")
    parser.add_argument("--lang", default="ja", choices=["ja", "en"])
    parser.add_argument("--out", default=str(config.FIGURES))
    args = parser.parse_args(argv)
    try:
        paths = draw_all(args.raw, era=args.era, lang=args.lang, directory=args.out)
    except StatusTableError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for path in paths:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
