"""kyodo_analysis: the midterm review of a municipal plan from its extracted status table.

The names below load their module on first use (PEP 562), so that importing a
light submodule, such as the command line of ``kyodo-report``, does not pay
for pandas.

>>> import kyodo_analysis as ka
>>> ka.load_measures()["no"].tolist()[:3]
[1, 2, 3]
"""

import importlib

#: Each public name and the submodule that defines it.
_EXPORTS = {
    "load_measures": "source.loaders",
    "load_schedule": "source.loaders",
    "load_departments": "source.loaders",
    "load_plan": "source.loaders",
    "load_status_table": "source.loaders",
    "read_processed": "source.loaders",
    "parse_status_table": "source.parsing",
    "read_status_table": "source.parsing",
    "StatusTableError": "source.parsing",
    "KyodoError": "validation",
    "RatingScale": "ratings",
    "RatingError": "ratings",
    "KYODO_SCALE": "ratings",
    "SENDAI_SCALE": "ratings",
    "LETTER_SCALE": "ratings",
    "FIVE_LEVEL_SCALE": "ratings",
    "rating_counts": "analysis.summaries",
    "summarize": "analysis.summaries",
    "department_matrix": "analysis.summaries",
    "shared_measures": "analysis.summaries",
    "schedule_vs_status": "analysis.progress",
    "priorities": "analysis.second_half",
    "late_but_done": "analysis.second_half",
    "schedule_matrix": "analysis.progress",
    "audit_consistency": "analysis.audit",
    "AuditMarkers": "analysis.audit",
    "DEFAULT_MARKERS": "analysis.audit",
    "compare_rounds": "analysis.rounds",
    "transition_matrix": "analysis.rounds",
    "PlanReview": "analysis.review",
    "review_plan": "analysis.review",
    "localize": "content.present",
    "present": "content.present",
    "table": "content.present",
    "show": "figures.publish",
    "review_contents": "content.catalog",
    "normalization_notes": "analysis.quality",
    "summarize_notes": "analysis.quality",
    "to_fiscal_year": "era",
    "fiscal_year_label": "era",
    "find_fiscal_years": "era",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    # submodules used as attributes (ka.review, ka.narrative) import on first use too
    try:
        return importlib.import_module(f".{name}", __name__)
    except ModuleNotFoundError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
