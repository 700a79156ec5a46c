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
    "load_measures": "loaders",
    "load_schedule": "loaders",
    "load_departments": "loaders",
    "load_plan": "loaders",
    "load_status_table": "loaders",
    "read_processed": "loaders",
    "parse_status_table": "parsing",
    "read_status_table": "parsing",
    "StatusTableError": "parsing",
    "KyodoError": "validation",
    "RatingScale": "ratings",
    "RatingError": "ratings",
    "KYODO_SCALE": "ratings",
    "SENDAI_SCALE": "ratings",
    "LETTER_SCALE": "ratings",
    "FIVE_LEVEL_SCALE": "ratings",
    "rating_counts": "summaries",
    "summarize": "summaries",
    "department_matrix": "summaries",
    "shared_measures": "summaries",
    "schedule_vs_status": "progress",
    "priorities": "second_half",
    "late_but_done": "second_half",
    "schedule_matrix": "progress",
    "audit_consistency": "audit",
    "AuditMarkers": "audit",
    "DEFAULT_MARKERS": "audit",
    "compare_rounds": "rounds",
    "transition_matrix": "rounds",
    "PlanReview": "review",
    "review_plan": "review",
    "localize": "words",
    "present": "words",
    "table": "words",
    "show": "plots",
    "review_contents": "catalog",
    "normalization_notes": "quality",
    "summarize_notes": "quality",
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
