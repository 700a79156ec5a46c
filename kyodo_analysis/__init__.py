"""kyodo_analysis: the midterm review of a municipal plan from its extracted status table.

>>> import kyodo_analysis as ka
>>> ka.load_measures()["no"].tolist()[:3]
[1, 2, 3]
"""

from .era import find_fiscal_years, fiscal_year_label, to_fiscal_year
from .loaders import load_departments, load_measures, load_plan, load_schedule, load_status_table
from .parsing import StatusTableError, parse_status_table, read_status_table
from .labels import to_japanese
from .quality import normalization_notes, summarize_notes
from .ratings import FIVE_LEVEL_SCALE, KYODO_SCALE, LETTER_SCALE, SENDAI_SCALE, RatingError, RatingScale
from .review import (
    DEFAULT_MARKERS,
    AuditMarkers,
    audit_consistency,
    compare_rounds,
    rating_counts,
    schedule_vs_status,
    summarize,
    transition_matrix,
)

__all__ = [
    "load_measures",
    "load_schedule",
    "load_departments",
    "load_plan",
    "load_status_table",
    "parse_status_table",
    "read_status_table",
    "StatusTableError",
    "RatingScale",
    "RatingError",
    "KYODO_SCALE",
    "SENDAI_SCALE",
    "LETTER_SCALE",
    "FIVE_LEVEL_SCALE",
    "rating_counts",
    "summarize",
    "schedule_vs_status",
    "audit_consistency",
    "AuditMarkers",
    "DEFAULT_MARKERS",
    "compare_rounds",
    "transition_matrix",
    "to_japanese",
    "normalization_notes",
    "summarize_notes",
    "to_fiscal_year",
    "fiscal_year_label",
    "find_fiscal_years",
]
