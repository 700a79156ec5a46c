"""The Japanese narrative says what the table says: Kitamoto's facts, and another plan's own."""

import dataclasses

import pytest

from kyodo_analysis import SENDAI_SCALE, PlanReview, narrative, review_plan
from kyodo_analysis.words import SECTION_TITLES

from .conftest import FIXTURES

REIWA = FIXTURES / "reiwa_plan.txt"  # 8 measures in 4 blocks, 令和3-7年度, read by hand below


@pytest.fixture(scope="module")
def kitamoto():
    return review_plan()


@pytest.fixture(scope="module")
def reiwa():
    return review_plan(REIWA, era="令和")


def test_overview(kitamoto):
    text = narrative.overview(kitamoto)
    assert "19施策（計画期間：平成19年度〜平成24年度）" in text
    assert "平成22年度時点" in text
    assert "◎（達成）3件、○（概ね達成）8件、△（一部実施）4件、×（未実施）4件" in text
    assert "上位の評価（◎ 達成・○ 概ね達成）は11件（57.9%）" in text
    assert "最も低い評価の×（未実施）は4件（21.1%）" in text
    assert "スコア指数（◎=3点〜×=0点を100点満点に換算）は50.9" in text
    assert "凡例がない" in text


def test_blocks_name_strongest_and_weakest_with_reasons(kitamoto):
    text = narrative.blocks(kitamoto)
    assert "ブロック3 (No.15–19)が66.7で最も高く" in text
    assert "ブロック2 (No.8–14)が28.6で最も低い" in text
    assert "○2件、△2件、×3件で、×はNo.8、No.10、No.13" in text
    assert "7施策のうち5施策の実施目標年度が平成21年度で、計画の中で最も遅い目標年度に集中" in text


def test_cohort_effect(kitamoto):
    text = narrative.cohorts(kitamoto)
    assert "平成19年度目標 71.4（7施策）、平成20年度目標 61.1（6施策）、平成21年度目標 16.7（6施策）" in text
    assert "実施目標年度が遅い施策ほど評価が低い" in text
    assert "×（未実施）の4件は、すべて平成21年度が目標の施策である" in text


def test_plan_vs_actual_lists_late_starts_with_lag_and_evidence(kitamoto):
    text = narrative.plan_vs_actual(kitamoto)
    assert "目標より遅れて着手した施策は6件" in text
    assert "No.5「協働事業提案制度の創設」：目標 平成20年度 → 記述 平成22年度（2年の遅れ）" in text
    assert "No.18「部課の組織を超えた連携体制の構築」：目標 平成19年度 → 記述 平成21年度（2年の遅れ）" in text
    assert "根拠：「平成20年度に特定非営利活動法人設立補助金制度を創設。」" in text
    assert "目標年度どおりに着手の記述がある施策は5件（No.2、No.3、No.12、No.15、No.16）" in text
    assert "最も低い評価の×（未実施）で、着手時期を比べない施策は4件（No.7、No.8、No.10、No.13）" in text


def test_department_view(kitamoto):
    text = narrative.departments(kitamoto)
    assert "協働推進課は全19施策を担当" in text
    assert "産業振興課が担当する4施策のうち3件が×（未実施）で、計画全体の×4件のうち3件を占める（No.7、No.8、No.13）" in text
    assert "複数の推進課が担当する施策は14件" in text


def test_audit_lists_circles_that_admit_a_gap(kitamoto):
    text = narrative.audit(kitamoto)
    assert "食い違う可能性のある施策が4件" in text
    for line in ("No.1「広報・協働推進サイトの設置」（評価 ○）：「未設置」", "No.5「協働事業提案制度の創設」（評価 ○）：「予定」",
                 "No.6「ボランティアセンターとの連携」（評価 ○）：「進んでいない」",
                 "No.14「市民公益活動団体の自立支援」（評価 ○）：「未実施」"):
        assert line in text


def test_priorities_ordered_by_time_left(kitamoto):
    text = narrative.priorities(kitamoto)
    assert text.startswith("後半期（平成23年度〜平成24年度）に重点的に取り組むべき施策は、×（未実施）の4件と着手が遅れた6件")
    items = [line for line in text.splitlines() if line.startswith("- ")]
    assert [item.split("「")[0] for item in items] == [
        "- No.6", "- No.17", "- No.18", "- No.19", "- No.5", "- No.14", "- No.7", "- No.8", "- No.10", "- No.13"]
    assert items[-1].endswith("予定期間 平成22年度まで（最終年度）。推進課：協働推進課・産業振興課")
    assert "（3年超過）" in items[0]


def test_whole_review_has_every_section(kitamoto):
    text = narrative.midterm_review(kitamoto)
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [f"## {title}" for title in SECTION_TITLES["ja"].values()]


def test_another_plan_gets_its_own_text(reiwa):
    text = narrative.midterm_review(reiwa)
    assert "「架空市協働のまちづくり計画進捗状況」の8施策（計画期間：令和3年度〜令和7年度）" in text
    assert "令和6年度時点" in text
    assert "ブロック3 (No.5–6)が0.0で最も低い" in text
    assert "ブロック1 (No.1–2)が83.3で最も高く" in text
    assert "スコア指数（◎=3点〜×=0点を100点満点に換算）は45.8" in text
    assert "目標年度と評価の間に一貫した傾向は見られない" in text
    assert "商工観光課が担当する2施策のうち2件が×（未実施）" in text
    assert "No.8「補助制度の創設」（評価 ○）" in text
    assert "残る計画期間（令和7年度）" in text
    for kitamoto_word in ("北本", "平成", "協働推進課", "産業振興課", "19施策", "No.19"):
        assert kitamoto_word not in text


def test_sendai_scale_gives_each_grade_sendai_s_own_meaning():
    """Sendai's × means 遅れている: the text never calls it 未実施, and names every grade in Sendai's words."""
    text = narrative.midterm_review(review_plan(REIWA, era="令和", scale=SENDAI_SCALE))
    assert "未実施" not in text
    assert "◎（計画以上に進んでいる）1件、○（計画どおり）3件、△（一部遅れている）2件、×（遅れている）2件" in text
    assert "上位の評価（◎ 計画以上に進んでいる・○ 計画どおり）は4件（50.0%）" in text
    assert "商工観光課が担当する2施策のうち2件が×（遅れている）" in text
    assert "凡例" not in text  # Sendai's scale is the city's own legend, not an assumption


def test_kitamoto_statuses_quoted_under_another_scale_keep_their_words_but_grades_take_the_scale_s():
    text = narrative.midterm_review(review_plan(scale=SENDAI_SCALE))
    assert "（未実施）" not in text and "×（遅れている）の4件は、すべて平成21年度が目標の施策である" in text
    assert "「未実施」 ― 個人や企業からの寄附の受け入れ体制については未実施。" in text  # No.14's own status


def test_the_review_holds_data_only_and_the_narrative_writes_japanese():
    names = {field.name for field in dataclasses.fields(PlanReview)}
    assert not any("label" in name or name == "lang" for name in names)
    text = narrative.blocks(review_plan())
    assert "ブロック3 (No.15–19)が66.7" in text and "Block" not in text
