"""Every word a reader sees, in Japanese and English: column headers, category names, figure text, titles.

The analysis modules compute data and hold no language; the figures, the
narrative, the notebooks and the report take their words from here, in the
language they are asked for (``lang="ja"`` or ``"en"``). What a grade means
belongs to its :class:`~kyodo_analysis.ratings.RatingScale`, not to this module.

Examples
--------
>>> words_for(CATEGORY_LABELS, "ja")["late"], words_for(CATEGORY_LABELS, "en")["late"]
('着手の遅れ', 'late start')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from kyodo_analysis.validation import check_choice

if TYPE_CHECKING:
    from kyodo_analysis.ratings import RatingScale

__all__ = [
    "ALL_DEPARTMENTS",
    "PLAN_FACTS",
    "LANGUAGES",
    "COLUMN_LABELS",
    "CATEGORY_LABELS",
    "REASON_LABELS",
    "NOTE_KIND_LABELS",
    "FIGURE_TEXT",
    "SECTION_TITLES",
    "CHAPTERS",
    "CHAPTER_TITLES",
    "REVIEW_NAMES",
    "YEAR_COUNT_COLUMNS",
    "CHANGE_LABELS",
    "AS_OF_SOURCE",
    "FINAL_SECTION_TITLES",
    "section_titles",
    "NOTEBOOK_TITLES",
    "WORKBOOK_SHEETS",
    "INDEX_TEXT",
    "SCALE_LEGEND",
    "TITLE_SOURCE",
    "BOOLEAN_WORDS",
    "FIGURE_CAPTIONS",
    "CODEBOOK_MEANINGS",
    "words_for",
    "ROLE_LABELS",
    "FISCAL_YEAR_COLUMNS",
    "SHARE_COLUMNS",
    "SCORE_COLUMNS",
    "grade_labels",
    "level_name",
    "level_sheet_name",
]

#: The languages every table of words here is given in.
LANGUAGES = ("ja", "en")

#: The 推進課 entry that means every department: not a department of its own.
ALL_DEPARTMENTS = "全課"

#: The header of every column the package returns.
COLUMN_LABELS: dict[str, dict[str, str]] = {
    "ja": {
        "no": "No", "block": "表の区分", "direction": "施策の方向性", "content": "内容", "target_fy": "実施目標年度",
        "continuing": "継続年度あり", "status": "施策実施状況", "rating": "評価", "score": "得点", "fy": "年度",
        "mark": "記号", "department": "推進課", "position": "記載順", "title": "表題", "era": "元号",
        "first_fy": "計画開始年度", "last_fy": "計画終了年度", "n_measures": "施策数", "n_blocks": "表の区分の数",
        "n": "施策数", "mean_score": "平均得点", "score_index": "評価点", "implemented_share": "上位評価の割合",
        "not_implemented_share": "最低評価の割合", "label": "意味", "count": "件数", "share": "割合",
        "start_fy": "着手年度（記載上）", "lag_years": "遅れ（年）", "category": "判定",
        "evidence": "根拠の文", "marker": "該当語", "sentence": "該当記述", "n_departments": "推進課の数",
        "related_text": "関係課の記述", "name": "指標", "unit": "単位", "direction_of_better": "方向",
        "baseline_fy": "基準年度", "baseline": "基準値", "goal_fy": "目標年度", "target": "目標値", "actual_fy": "実績の年度",
        "actual": "実績値", "progress": "進捗率", "grade": "判定", "note": "備考", "measure_nos": "関連施策", "expected": "期待される進捗率",
        "n_indicators": "指標数",
        "departments": "推進課", "scheduled_until_fy": "予定の最終年度", "years_left": "残り年数",
        "rating_before": "前回の評価", "rating_after": "今回の評価", "change": "変化", "line": "行", "field": "欄",
        "kind": "種類", "description": "内容", "before": "元の値", "after": "読み取った値", "reason": "選定理由",
        "role": "役割", "n_before": "前回の施策数", "n_after": "今回の施策数", "score_index_before": "前回の評価点",
        "score_index_after": "今回の評価点", "score_index_change": "評価点の変化",
        "years_since_target": "目標年度からの経過年数", "years_past_period": "予定期間の終了からの経過年数",
    },
    "en": {
        "no": "No.", "block": "Table section", "direction": "Direction", "content": "Content", "target_fy": "Target FY",
        "continuing": "Continues", "status": "Status", "rating": "Rating", "score": "Score", "fy": "FY",
        "mark": "Mark", "department": "Department", "position": "Position", "title": "Title", "era": "Era",
        "first_fy": "First FY", "last_fy": "Last FY", "n_measures": "Measures", "n_blocks": "Table sections",
        "n": "Measures", "mean_score": "Mean score", "score_index": "Score index",
        "implemented_share": "Share in top grades", "not_implemented_share": "Share in lowest grade",
        "label": "Meaning", "count": "Count", "share": "Share", "start_fy": "Start FY (as stated)",
        "lag_years": "Lag (years)", "category": "Finding", "evidence": "Evidence", "marker": "Marker",
        "related_text": "Co-department's wording", "name": "Indicator", "unit": "Unit",
        "direction_of_better": "Better when", "baseline_fy": "Baseline FY", "baseline": "Baseline",
        "goal_fy": "Target FY (indicator)", "target": "Target", "actual_fy": "Actual's FY", "actual": "Actual",
        "progress": "Progress", "measure_nos": "Related measures", "expected": "Expected progress",
        "n_indicators": "Indicators",
        "grade": "Grade", "note": "Note",
        "sentence": "Sentence", "n_departments": "Departments", "departments": "Departments",
        "scheduled_until_fy": "Scheduled until FY", "years_left": "Years left", "rating_before": "Rating before",
        "rating_after": "Rating after", "change": "Change", "line": "Line", "field": "Field", "kind": "Kind",
        "description": "Description", "before": "Before", "after": "After", "reason": "Reason", "role": "Role",
        "n_before": "Measures before", "n_after": "Measures after", "score_index_before": "Score index before",
        "score_index_after": "Score index after", "score_index_change": "Change in score index",
        "years_since_target": "Years since target", "years_past_period": "Years past the planned period",
    },
}

#: The names of the findings of :func:`~kyodo_analysis.analysis.progress.schedule_vs_status`.
CATEGORY_LABELS: dict[str, dict[str, str]] = {
    "ja": {"on_schedule": "予定どおり", "early": "前倒し", "late": "着手の遅れ", "not_started": "記述では未着手",
           "undetermined": "着手年度を判断できない", "not_implemented": "最低評価"},
    "en": {"on_schedule": "on schedule", "early": "early start", "late": "late start",
           "not_started": "not started (per status)", "undetermined": "start not stated",
           "not_implemented": "lowest grade"},
}

#: The changes between rounds that are codes, not arrows (:data:`~kyodo_analysis.analysis.rounds.CHANGES`).
CHANGE_LABELS: dict[str, dict[str, str]] = {
    "ja": {"new": "新規", "dropped": "削除"},
    "en": {"new": "new", "dropped": "dropped"},
}

#: Columns that count years: shown with their unit (1年).
YEAR_COUNT_COLUMNS = ("lag_years", "years_since_target", "years_past_period", "years_left")

#: Why a measure is a priority (:data:`~kyodo_analysis.analysis.second_half.PRIORITY_REASONS`).
REASON_LABELS: dict[str, dict[str, str]] = {
    "ja": {"low_grade": "評価が低い", "audit": "記述が課題を認める"},
    "en": {"low_grade": "low grade", "audit": "status admits a gap"},
}

#: The roles of the departments (:func:`~kyodo_analysis.analysis.summaries.department_roles`).
ROLE_LABELS: dict[str, dict[str, str]] = {
    "ja": {"department": "推進課", "coordinator": "主管課（全施策）", "all": "全課（すべての課）", "others": "その他"},
    "en": {"department": "department", "coordinator": "coordinator (every measure)", "all": "all departments", "others": "others"},
}

#: Columns that hold a Western fiscal year, a share (0-1), or a score, for :func:`present`.
FISCAL_YEAR_COLUMNS = ("target_fy", "start_fy", "fy", "first_fy", "last_fy", "scheduled_until_fy", "baseline_fy",
                       "goal_fy", "actual_fy")
SHARE_COLUMNS = ("share", "implemented_share", "not_implemented_share")
SCORE_COLUMNS = ("mean_score", "score_index", "score_index_before", "score_index_after", "score_index_change")

#: How a yes/no value reads.
BOOLEAN_WORDS = {"ja": ("あり", "なし"), "en": ("yes", "no")}

#: What each kind of :attr:`~kyodo_analysis.source.parsing.StatusTable.notes` means.
NOTE_KIND_LABELS: dict[str, dict[str, str]] = {
    "ja": {
        "header_year_misplaced": "年度見出しのセルがずれていた（年度の値の順に読み直した）",
        "width_folded": "全角英数字・括弧などを半角に統一した（NFKC）",
        "spaces_removed": "日本語の間に入った抽出由来の空白を除いた",
        "department_rejoined": "分割された推進課名をつなぎ直した（例：全 課 → 全課）",
        "lookalike_mark": "似た記号を正規の記号に読み替えた（例：〇 → ○）",
        "department_in_year_cell": "推進課が年度欄の最後のセルにずれていた",
        "invisible_removed": "見えない文字（ゼロ幅スペース U+200B、ソフトハイフン U+00ADなど）を除いた",
        "era_inferred": "年度見出しの元号を施策実施状況の記述から推定した",
        "column_set_aside": "表の列ではない列（備考など）を読まずに除いた",
        "radical_mapped": "PDFの部首の文字（⽅ ⺠など）を漢字（方 民）に読み替えた",
        "middle_dot": "PDFの中点に似た記号（‧ · ･）を「・」に読み替えた",
        "row_joined": "PDFの改ページで分かれた行をつなぎ直した",
        "page_sections": "表の区分はPDFのページである（各ページの表を1つの区分とした）",
    },
    "en": {
        "header_year_misplaced": "header years stood in the wrong cells (read in order of value)",
        "width_folded": "full-width letters, digits and brackets made half-width (NFKC)",
        "spaces_removed": "spaces that extraction put inside Japanese removed",
        "department_rejoined": "a department name split by extraction joined again (全 課 -> 全課)",
        "lookalike_mark": "a look-alike read as the mark it stands for (〇 -> ○)",
        "department_in_year_cell": "推進課 had slid into the last year cell",
        "invisible_removed": "invisible characters (zero-width space U+200B, soft hyphen U+00AD etc.) removed",
        "era_inferred": "the era of the bare header years inferred from the statuses",
        "column_set_aside": "a column that is none of the table's (備考, …) set aside unread",
        "radical_mapped": "a PDF's radical code point (⽅ ⺠) read as its ideograph (方 民)",
        "middle_dot": "a PDF's middle-dot look-alike (‧ · ･) read as ・",
        "row_joined": "a row that a PDF's page break split joined again",
        "page_sections": "the table sections are the PDF's pages (each page's table is one section)",
    },
}

#: Every fixed word the figures print.
FIGURE_TEXT: dict[str, dict[str, str]] = {
    "ja": {
        "distribution": "評価の分布", "measures": "施策数", "count": "{count}件", "share_axis": "割合（%）",
        "ratings_by": "{what}別の評価", "score_index_by": "{what}別の評価点", "score_index": "評価点（100点換算）",
        "overall": "計画全体 {value:.1f}", "timeline": "実施目標年度と着手年度（記載上）の比較",
        "target_mark": "表中の○印（実施目標年度）", "continuing_mark": "継続年度", "first_mentioned": "着手年度（記載上）",
        "plan_period": "計画期間", "as_of": "評価時点（{label}）", "rating": "評価", "matrix": "推進課別・施策別の評価",
        "history": "施策ごとの評価の推移", "indicators": "成果指標の進捗", "indicator_actual": "実績値（評価時点まで）",
        "indicator_pace": "期待される進捗（経過した年数の割合）", "indicator_axis": "進捗率（基準値 0 → 目標値 1）",
        "indicator_pages": "成果指標 {first}〜{last}", "indicator_count": "指標数",
        "indicator_grades": "{what}別の成果指標の判定",
        "measure_no": "施策番号", "department": "推進課", "fiscal_year": "年度", "block": "表の区分",
        "target_fy": "実施目標年度", "n": "n={n}", "coordinator_department": "{name}（主管課・全施策）",
        "all_department": "{name}（すべての課）", "other_departments": "その他（{n}課）",
        "page": "{group}（{page}/{pages}）", "bracket": "（{text}）",
        "pages_elsewhere": "図「{title}」は{pages}ページあり、「{where}」にすべてのページを順に示す。",
        "transitions": "前回と今回の評価", "previous_rating": "前回の評価", "current_rating": "今回の評価",
    },
    "en": {
        "distribution": "Distribution of ratings", "measures": "Measures", "count": "{count}",
        "share_axis": "Share (%)", "ratings_by": "Ratings by {what}", "score_index_by": "Score index by {what}",
        "score_index": "Score index (0-100)", "overall": "Whole plan {value:.1f}",
        "timeline": "Target year against the start stated in the status",
        "target_mark": "target (start) year", "continuing_mark": "continuing year",
        "first_mentioned": "start stated in the status", "plan_period": "plan period", "as_of": "as of {label}",
        "rating": "Rating", "matrix": "Departments × measures, by rating", "measure_no": "Measure",
        "history": "Each measure's rating, round by round", "indicators": "Progress of the outcome indicators",
        "indicator_actual": "Actual (up to the review year)",
        "indicator_pace": "Expected pace (share of years elapsed)",
        "indicator_axis": "Progress (baseline 0 → target 1)", "indicator_pages": "Indicators {first}–{last}",
        "indicator_count": "Indicators", "indicator_grades": "Outcome indicators' grades by {what}",
        "department": "Department", "fiscal_year": "Fiscal year", "block": "table section", "target_fy": "target year",
        "n": "n={n}", "coordinator_department": "{name} (coordinator, every measure)", "all_department": "{name} (all departments)",
        "other_departments": "{n} other departments", "page": "{group} ({page}/{pages})", "bracket": " ({text})",
        "pages_elsewhere": "The figure \"{title}\" has {pages} pages, all shown in order in \"{where}\".",
        "transitions": "Ratings before and after", "previous_rating": "Before", "current_rating": "After",
    },
}

#: The headings of the review's sections, in order (the narrative itself is written in Japanese).
SECTION_TITLES: dict[str, dict[str, str]] = {
    "ja": {"plan": "計画の概要", "method": "評価の方法", "overview": "全体の進捗", "groups": "施策の区分別の状況",
           "cohorts": "実施目標年度による違い", "plan_vs_actual": "計画と実績（着手時期）", "departments": "推進課別の状況",
           "audit": "評価と記述の整合性", "priorities": "後半期の重点施策", "changes": "前回からの変化",
           "history": "評価の推移", "indicators": "成果指標", "measures": "施策別の評価"},
    "en": {"plan": "The plan", "method": "How the review was made", "overview": "Overall progress",
           "groups": "By group of measures", "cohorts": "By target year",
           "plan_vs_actual": "Plan against actual (start year)", "departments": "By department",
           "audit": "Ratings against status texts", "priorities": "Priorities for the second half",
           "changes": "Changes since the previous round", "history": "Ratings over the rounds",
           "indicators": "Outcome indicators", "measures": "Every measure"},
}

#: The chapters of a review as a city writes one, in order, each with the sections (keys of SECTION_TITLES)
#: it holds. A chapter without any of its sections is left out (分野別の評価 without the plan's structure), and
#: the rest are numbered in order; 総括 holds the committee's own words, written into the Word draft only.
CHAPTERS: dict[str, tuple[str, ...]] = {
    "plan": ("plan",), "method": ("method",),
    "overall": ("overview", "cohorts", "plan_vs_actual", "departments", "audit", "changes", "history", "indicators"),
    "groups": ("groups",), "measures": ("measures",), "priorities": ("priorities",), "summary": (),
}

#: The chapters' headings (numbered where they are shown: 1　計画の概要).
CHAPTER_TITLES: dict[str, dict[str, str]] = {
    "ja": {"plan": "計画の概要", "method": "評価の方法", "overall": "全体の評価", "groups": "分野別の評価",
           "measures": "施策別の評価", "priorities": "今後の課題と方向性", "summary": "総括"},
    "en": {"plan": "The plan", "method": "How the review was made", "overall": "The plan as a whole",
           "groups": "By field", "measures": "Every measure", "priorities": "Issues and directions",
           "summary": "Conclusion"},
}

#: The review's name by its time: a midterm review, or a final one (計画期間の総括) as of the plan's last year
#: or later (:attr:`~kyodo_analysis.analysis.review.PlanReview.kind`).
REVIEW_NAMES: dict[str, dict[str, str]] = {
    "ja": {"midterm": "中間評価", "final": "最終評価"},
    "en": {"midterm": "midterm review", "final": "final review"},
}

#: The headings that a final review words for its time: the plan has no second half left.
FINAL_SECTION_TITLES: dict[str, dict[str, str]] = {
    "ja": {"priorities": "次期計画に向けた課題"},
    "en": {"priorities": "Issues for the next plan"},
}


def section_titles(lang: str, kind: str = "midterm") -> dict[str, str]:
    """The headings of a review of ``kind`` (midterm or final), by section key.

    Examples
    --------
    >>> section_titles("ja")["priorities"], section_titles("ja", "final")["priorities"]
    ('後半期の重点施策', '次期計画に向けた課題')
    """
    return {**words_for(SECTION_TITLES, lang), **(FINAL_SECTION_TITLES[lang] if kind == "final" else {})}


#: The labels of the plan's facts, wherever they are listed: the documents' title page, the workbook's 説明
#: sheet and the review's summary in JupyterLab (:func:`~kyodo_analysis.content.narrative.summary_html`).
PLAN_FACTS: dict[str, str] = {
    "plan": "計画", "title_source": "計画名の出典", "source": "原表のファイル", "period": "計画期間",
    "as_of": "評価時点", "measures": "施策数", "grades": "評価の内訳", "score_index": "評価点（100点換算）",
    "author": "作成者", "dated": "作成日",
}

#: Where the review year comes from, when it was not given (:attr:`PlanReview.as_of_source`).
AS_OF_SOURCE: dict[str, str] = {
    "statuses": "原表には評価の時点が記されていないため、評価時点は状況欄に記された最新の年度とした",
    "first_year": "原表には評価の時点が記されておらず、状況欄にも年度の記述がないため、評価時点は計画期間の最初の年度とした",
}


#: The title of each report page, by notebook name.
NOTEBOOK_TITLES: dict[str, dict[str, str]] = {
    "ja": {"01_data_overview": "データの概要", "02_ratings": "評価の分布と内訳", "03_plan_vs_actual": "計画と実績",
           "04_departments": "推進課から見た進捗", "10_midterm_review": "中間評価"},
    "en": {"01_data_overview": "The data", "02_ratings": "Ratings and their breakdown",
           "03_plan_vs_actual": "Plan against actual", "04_departments": "Progress by department",
           "10_midterm_review": "Midterm review"},
}

#: Where the plan's name in the review comes from (the workbook's 説明 sheet).
TITLE_SOURCE: dict[str, str] = {
    "given": "指定された計画名（--title）",
    "heading": "原表の表題のまま",
    "derived": "原表の表題「{heading}」から表の語「{removed}」を除いた名称",
    "file": "原表に表題がないため、ファイル名",
}

#: Where the meanings of the rating marks come from, in the plain style of the review (である) and in the
#: polite style of the survey's forms (です): the table's own legend, or, without one, the analysis's assumption.
SCALE_LEGEND: dict[str, str] = {
    "assumed": "原表には評価記号の凡例がないため、記号の意味は本分析での想定である",
    "given": "評価記号の意味は原表の凡例による",
    "assumed_polite": "原表には評価記号の凡例がないため、記号の意味は本分析での想定です",
    "given_polite": "評価記号の意味は原表の凡例によります",
}

#: The sheet name of each table of the report's workbook, in sheet order.
WORKBOOK_SHEETS: dict[str, dict[str, str]] = {
    "ja": {"measures": "施策", "schedule": "実施目標年度", "departments": "推進課",
           "by_target_fy": "目標年度別", "by_department": "推進課別", "progress": "計画と実績",
           "audit": "整合性チェック", "priorities": "重点施策", "changes": "前回からの変化",
           "rounds_by_department": "前回比（推進課別）", "history": "推移", "history_scores": "推移（評価点）",
           "related": "関係課の記述", "indicators": "指標"},
    "en": {"measures": "Measures", "schedule": "Target years", "departments": "Departments",
           "by_target_fy": "By target year", "by_department": "By department", "progress": "Plan vs actual",
           "audit": "Consistency", "priorities": "Priorities", "changes": "Changes",
           "rounds_by_department": "Rounds by department", "history": "Over the rounds",
           "history_scores": "Score index over the rounds", "related": "Co-departments' wording",
           "indicators": "Indicators"},
}

#: The caption of each saved figure, by the start of its file name; ``{level}`` is a level's name.
FIGURE_CAPTIONS: dict[str, dict[str, str]] = {
    "ja": {"rating_distribution": "評価の分布", "ratings_by_level": "{level}別の評価",
           "score_index_by_level": "{level}別の評価点", "ratings_by_target_year": "実施目標年度別の評価",
           "score_index_by_target_year": "実施目標年度別の評価点", "ratings_by_department": "推進課別の評価",
           "plan_vs_actual_timeline": "実施目標年度と着手年度（記載上）の比較",
           "department_measure_matrix": "推進課別・施策別の評価", "rating_transitions": "前回と今回の評価（施策数）",
           "rating_history": "施策ごとの評価の推移", "indicator_progress": "成果指標の進捗",
           "indicator_grades_by_group": "{level}別の成果指標の判定", "page": "{caption}（{page}/{pages}）"},
    "en": {"rating_distribution": "Distribution of ratings", "ratings_by_level": "Ratings by {level}",
           "score_index_by_level": "Score index by {level}", "ratings_by_target_year": "Ratings by target year",
           "score_index_by_target_year": "Score index by target year", "ratings_by_department": "Ratings by department",
           "plan_vs_actual_timeline": "Target year against the start stated in the status",
           "department_measure_matrix": "Departments × measures",
           "rating_transitions": "Ratings before and after (measures)",
           "rating_history": "Each measure's rating, round by round",
           "indicator_progress": "Progress of the outcome indicators",
           "indicator_grades_by_group": "Outcome indicators' grades by {level}", "page": "{caption} ({page}/{pages})"},
}

#: The words of the report's index page (index.html).
INDEX_TEXT: dict[str, dict[str, str]] = {
    "ja": {"pages": "報告書", "figures": "図", "period": "計画期間", "as_of": "{label}時点",
           "measures": "施策{n}件", "generated": "作成日 {date}", "workbook": "集計表（Excel）",
           "notebook": "実行済みノートブック {name}（分析者向け）", "codebook": "整然データ（CSV）の説明",
           "back": "← 目次に戻る", "main": "本編", "detail": "詳細", "documents": "文書", "word": "報告書（Word 編集用）",
           "pdf": "報告書（PDF 印刷用）", "analysts": "分析者向け"},
    "en": {"pages": "Report", "figures": "Figures", "period": "plan period",
           "as_of": "as of {label}", "measures": "{n} measures", "generated": "made on {date}",
           "workbook": "Tables (Excel)", "notebook": "executed notebook {name} (for analysts)",
           "codebook": "Tidy data (CSV) codebook", "back": "← back to the contents", "main": "The review",
           "detail": "Details",
           "documents": "Documents", "word": "Report (Word, to edit)", "pdf": "Report (PDF, to print)",
           "analysts": "For analysts"},
}

#: What each column of the tidy tables means, for the codebook (data/README.md, in Japanese).
CODEBOOK_MEANINGS: dict[str, dict[str, str]] = {
    "measures": {
        "no": "施策番号（重複なし）",
        "block": "表の区分（見出し行ごとのまとまり）。1 が最初の区分",
        "direction": "施策の方向性。原表の表記のまま（抽出で入った空白だけを除く）",
        "content": "内容。原表の表記のまま",
        "target_fy": "実施目標年度：表中の○印の年度（西暦の年度）",
        "continuing": "○印の後に→（継続年度）があれば True",
        "status": "施策実施状況。原表の表記のまま（引用・表示に使う）",
        "rating": "評価。順序付きカテゴリ ['×','△','○','◎']（低い順）",
        "score": "評価の点数：× 0、△ 1、○ 2、◎ 3",
        "direction_normalized": "施策の方向性を照合用に正規化したもの（NFKC：全角英数・括弧を半角に）",
        "content_normalized": "内容を照合用に正規化したもの（NFKC）",
        "status_normalized": "施策実施状況を照合用に正規化したもの（NFKC）。年度や語の検索に使い、読み手には見せない",
    },
    "schedule": {
        "no": "施策番号",
        "fy": "実施目標年度の欄に印のある年度（西暦の年度）",
        "mark": "○ 目標年度（着手または完了の年度）、→ 継続年度",
    },
    "departments": {
        "no": "施策番号",
        "department": "推進課：担当する課。全課はすべての課",
        "position": "推進課の欄での順番。1 が最初に書かれた課",
    },
    "plan": {
        "title": "表の表題行（原表の表記のまま）",
        "era": "年度見出しの元号（平成、令和、…）または 西暦",
        "first_fy": "計画期間の最初の年度（最初の年度見出し、西暦）",
        "last_fy": "計画期間の最後の年度（最後の年度見出し、西暦）",
        "n_measures": "施策の数",
        "n_blocks": "表の区分の数（見出し行の繰り返しで区切られたまとまり）",
    },
}


def words_for(table: Mapping[str, Mapping[str, str]], lang: str) -> Mapping[str, str]:
    """One language's words of a table above, e.g. ``words_for(FIGURE_TEXT, "en")``.

    Raises
    ------
    ArgumentError
        For a language other than those of :data:`LANGUAGES`.

    Examples
    --------
    >>> words_for(SECTION_TITLES, "en")["audit"]
    'Ratings against status texts'
    """
    check_choice(lang, "lang", LANGUAGES)
    return table[lang]


def grade_labels(scale: RatingScale, lang: str = "ja") -> list[str]:
    """Each grade as its symbol and its meaning on the scale, best first.

    Examples
    --------
    >>> from kyodo_analysis.ratings import KYODO_SCALE
    >>> grade_labels(KYODO_SCALE, "en")[-1]
    '× not implemented'
    """
    check_choice(lang, "lang", LANGUAGES)
    labels = scale.labels_ja if lang == "ja" else scale.labels_en
    return [f"{symbol} {label}" for symbol, label in zip(scale.symbols, labels)]


#: The name of the table's own grouping, its header blocks, which is layout, not the plan's structure.
_BLOCK_LEVEL = {"ja": "表の区分", "en": "Table section"}

#: Characters a workbook sheet name cannot hold, and its longest length.
_SHEET_FORBIDDEN = str.maketrans({character: "_" for character in "[]:*?/\\"})
_SHEET_MAX = 31


def level_name(level: str, lang: str = "ja") -> str:
    """The display name of a grouping level: a structure level's own name, or 表の区分 for ``block``.

    Examples
    --------
    >>> level_name("block"), level_name("基本目標"), level_name("block", "en")
    ('表の区分', '基本目標', 'Table section')
    """
    check_choice(lang, "lang", LANGUAGES)
    return _BLOCK_LEVEL[lang] if level == "block" else level


def level_sheet_name(level: str, lang: str = "ja") -> str:
    """The workbook sheet of a level's summary: ``基本目標別`` (no ``[]:*?/\\``, at most 31 characters).

    Examples
    --------
    >>> level_sheet_name("block"), level_sheet_name("施策/事業", "en")
    ('表の区分別', 'By 施策_事業')
    """
    name = f"{level_name(level, lang)}別" if lang == "ja" else f"By {level_name(level, lang)}"
    return name.translate(_SHEET_FORBIDDEN)[:_SHEET_MAX]
