"""Japanese names for the columns and categories that readers see (notebooks, Excel).

Examples
--------
>>> import pandas as pd
>>> to_japanese(pd.DataFrame({"no": [5], "category": ["late"]})).to_dict("records")
[{'No': 5, '判定': '着手の遅れ'}]
"""

from __future__ import annotations

import pandas as pd

from .validation import check_frame

__all__ = ["COLUMN_LABELS_JA", "CATEGORY_LABELS_JA", "to_japanese"]

#: Japanese header of every column the package returns.
COLUMN_LABELS_JA: dict[str, str] = {
    "no": "No",
    "block": "ブロック",
    "direction": "施策の方向性",
    "content": "内容",
    "target_fy": "実施目標年度",
    "continuing": "継続年度あり",
    "status": "施策実施状況",
    "rating": "評価",
    "score": "得点",
    "fy": "年度",
    "mark": "記号",
    "department": "推進課",
    "position": "記載順",
    "title": "表題",
    "era": "元号",
    "first_fy": "計画開始年度",
    "last_fy": "計画終了年度",
    "n_measures": "施策数",
    "n_blocks": "ブロック数",
    "n": "施策数",
    "mean_score": "平均得点",
    "score_index": "スコア指数",
    "implemented_share": "実施済みの割合",
    "not_implemented_share": "未実施の割合",
    "label": "意味",
    "count": "件数",
    "share": "割合",
    "first_fy_mentioned": "記述上の最初の年度",
    "lag_years": "遅れ(年)",
    "category": "判定",
    "evidence": "根拠の文",
    "marker": "該当語",
    "sentence": "該当文",
    "n_departments": "推進課の数",
    "departments": "推進課",
    "scheduled_until_fy": "予定の最終年度",
    "years_left": "残り年数",
    "rating_before": "前回の評価",
    "rating_after": "今回の評価",
    "change": "変化",
    "line": "行",
    "field": "欄",
    "kind": "種類",
    "description": "内容",
    "before": "元の値",
    "after": "読み取った値",
}

#: Japanese names of the categories of :func:`~kyodo_analysis.review.schedule_vs_status`.
CATEGORY_LABELS_JA: dict[str, str] = {
    "on_schedule": "予定どおり",
    "early": "前倒し",
    "late": "着手の遅れ",
    "no_year_in_status": "年度の記述なし",
    "not_implemented": "未実施",
}


def to_japanese(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy with Japanese column headers and category names, for display."""
    check_frame(frame, "frame", (), loader="a kyodo_analysis function", allow_empty=True)
    frame = frame.copy()
    if "category" in frame.columns:
        frame["category"] = frame["category"].map(CATEGORY_LABELS_JA).fillna(frame["category"]).astype("str")
    return frame.rename(columns=COLUMN_LABELS_JA)
