"""The consistency audit: ratings whose own status text says otherwise.

Examples
--------
>>> from kyodo_analysis import load_measures
>>> audit_consistency(load_measures())["no"].tolist()
[1, 5, 6, 14]
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from kyodo_analysis.analysis.sentences import split_sentences
from kyodo_analysis.ratings import KYODO_SCALE, RatingScale
from kyodo_analysis.source.parsing import normalize_text
from kyodo_analysis.validation import ArgumentError, check_measures, check_no_missing

__all__ = ["AuditMarkers", "DEFAULT_MARKERS", "audit_consistency"]


@dataclass(frozen=True)
class AuditMarkers:
    """Words that show a status text disagrees with its rating.

    ``negative`` words admit a gap; a measure in the top grades whose status
    holds one is flagged. ``positive`` words report something done; a measure
    in the lowest grade whose status holds one (outside a negative word, so
    that 未実施 does not count as 実施) is flagged. Each maps to its reason.
    """

    negative: Mapping[str, str] = field(default_factory=lambda: {
        "未実施": "not implemented (未実施)",
        "未設置": "not set up (未設置)",
        "未整備": "not established (未整備)",
        "進んでいない": "not progressing (進んでいない)",
        "整備されていない": "not established (整備されていない)",
        "予定": "only planned, not done (予定)",
        "検討する": "still under consideration (検討する); bare 検討 would match 検討委員会",
        "検討中": "still under consideration (検討中)",
        "今後": "left for later (今後)",
    })
    positive: Mapping[str, str] = field(default_factory=lambda: {
        "した": "reports an action taken (した)",
        "実施": "reports implementation (実施)",
        "開催": "reports an event held (開催)",
        "開設": "reports something opened (開設)",
        "設置": "reports something set up (設置)",
        "創設": "reports something created (創設)",
    })


#: The markers :func:`audit_consistency` uses unless told otherwise.
DEFAULT_MARKERS = AuditMarkers()


def audit_consistency(measures: pd.DataFrame, *, markers: AuditMarkers = DEFAULT_MARKERS,
                      scale: RatingScale = KYODO_SCALE) -> pd.DataFrame:
    """Flag measures whose rating and status text disagree.

    - a measure in the top grades (◎ ○) whose status admits a gap
      (a negative marker: 未実施, 未設置, 進んでいない, 予定, …);
    - a measure in the lowest grade (×) whose status reports something done
      (a positive marker: した, 実施, 開催, 開設, …).

    Returns
    -------
    DataFrame
        One row per flagged sentence and marker, sorted by ``no``:

        ========  ====================================================
        column    meaning
        ========  ====================================================
        no        measure number
        rating    its rating (ordered Categorical)
        marker    the word that disagrees with the rating
        sentence  the sentence holding it, as written
        ========  ====================================================

    Examples
    --------
    >>> from kyodo_analysis import load_measures
    >>> audit_consistency(load_measures())[["no", "marker"]].to_numpy().tolist()
    [[1, '未設置'], [5, '予定'], [6, '進んでいない'], [14, '未実施']]
    """
    check_measures(measures, "status", scale=scale)
    check_no_missing(measures, "status", "measures")
    if not isinstance(markers, AuditMarkers):
        raise ArgumentError(f"markers must be AuditMarkers, not {type(markers).__name__}")
    ratings = scale.codes(measures["rating"], measures["no"])
    negative = sorted(markers.negative, key=len, reverse=True)
    negative_pattern = re.compile("|".join(map(re.escape, negative))) if negative else None
    rows = []
    for no, code, status in zip(measures["no"], ratings, measures["status"]):
        if code < len(scale.implemented):
            words, mask_negatives = negative, False
        elif code == len(scale) - 1:
            words, mask_negatives = list(markers.positive), True
        else:
            continue
        for sentence in split_sentences(status):  # matched normalized, quoted as written
            searched = normalize_text(sentence)
            searched = negative_pattern.sub("□", searched) if mask_negatives and negative_pattern else searched
            for word in words:
                if word in searched:
                    rows.append((no, scale.symbols[code], word, sentence))
    return pd.DataFrame({
        "no": pd.array([row[0] for row in rows], dtype="int64"),
        "rating": pd.Categorical([row[1] for row in rows], dtype=scale.dtype),
        "marker": pd.array([row[2] for row in rows], dtype="str"),
        "sentence": pd.array([row[3] for row in rows], dtype="str"),
    })
