"""The Japanese narrative says what the table says: Kitamoto's facts, and another plan's own."""

import dataclasses
import datetime
import re

import pytest

from kyodo_analysis import SENDAI_SCALE, PlanReview, config, review_plan
from kyodo_analysis.content import narrative
from kyodo_analysis.content.document import review_document
from kyodo_analysis.testing.synthetic import generate_measures, render_status_table

from .builds import FIXTURES
from .sentences import KITAMOTO_INDUSTRY_WHOLE

REIWA = FIXTURES / "reiwa_plan.txt"  # 8 measures in 4 blocks, 令和3-7年度, read by hand below
KITAMOTO_STRUCTURE = FIXTURES / "kitamoto_structure.csv"  # a hand-made hierarchy of the 19 measures
REIWA_TWO_YEARS = FIXTURES / "reiwa_two_years.txt"  # 4 measures, targets 令和3 and 4 only


@pytest.fixture(scope="module")
def kitamoto():
    return review_plan()


@pytest.fixture(scope="module")
def kitamoto_structured():
    return review_plan(structure=KITAMOTO_STRUCTURE)


@pytest.fixture(scope="module")
def reiwa():
    return review_plan(REIWA, era="令和")


def test_overview(kitamoto):
    text = narrative.section("overview", kitamoto, heading=False)
    assert "施策19件（計画期間：平成19年度〜平成24年度）" in text
    assert "平成22年度時点" in text
    assert "◎（達成）3件、○（概ね達成）8件、△（一部実施）4件、×（未実施）4件" in text
    assert "上位の評価（◎（達成）・○（概ね達成））は11件（57.9%）" in text
    assert "最も低い評価の×（未実施）は4件（21.1%）" in text
    assert "評価点（100点換算）は50.9である。" in text  # how it is built: in the chapter 評価の方法


def test_the_plan_and_the_method_chapters(kitamoto):
    """Chapters 1 and 2 as a city writes them (issue 24 §0), read off the Kitamoto table by hand."""
    plan = narrative.section("plan", kitamoto)
    assert plan.startswith("## 1\u3000計画の概要\n\n本書は、「北本市市民と行政との協働推進計画」（計画期間：平成19年度〜"
                           "平成24年度）に掲げた施策19件について、平成22年度時点の実施状況をまとめた中間評価である。")
    assert "原表は施策を3区分に分けて掲げている。" in plan
    # 秘書広報課, 協働推進課, 産業振興課, 政策推進課, 生涯学習課, 福祉課, 総務課, and 全課 on 8 measures
    assert "施策を推進する課として、7課と「全課」が挙がっている。" in plan
    assert "実施目標年度（原表の○印）は、平成19年度 7件、平成20年度 6件、平成21年度 6件である。" in plan
    method = narrative.section("method", kitamoto)
    assert method.startswith("## 2\u3000評価の方法\n\n")
    assert "原表には評価記号の凡例がないため、記号の意味は本分析での想定である。" in method  # the grades are assumed
    assert "- ◎：達成（3点）\n- ○：概ね達成（2点）\n- △：一部実施（1点）\n- ×：未実施（0点）" in method
    # named for what it is, with all four points and the equal-interval assumption (issue 23 §5b)
    assert ("評価点（100点換算）は、各施策の評価を得点にした平均を、◎を100点、×を0点として換算した値であり、"
            "4段階の評価の間隔を等しいとみなしている。") in method
    assert "記述から着手年度を判断できない施策（4件）" in method  # No.1, 4, 9 and 11
    assert "この方法には限りがある。" in method


def test_table_sections_are_described_as_layout_and_not_ranked(kitamoto):
    text = narrative.section("groups", kitamoto, heading=False)
    assert ("表の区分（3区分）について、評価点は表の区分1（No.1〜7） 61.9（7件）、表の区分2（No.8〜14） 28.6（7件）、"
            "表の区分3（No.15〜19） 66.7（5件）である") in text
    assert "計画の施策体系を表すとは限らない" in text and "結論は引き出さない" in text
    assert "最も" not in text and "ブロック" not in text


def test_the_plan_s_own_structure_names_and_ranks_its_groups(kitamoto_structured):
    """tests/fixtures/kitamoto_structure.csv: 基本目標 1 = No.1–10, 2 = No.11–19; 基本方針 1-1 = 1–3, 1-2 = 4–10,
    2-1 = 11–12 (only 2 measures), 2-2 = 13–19. Scores by hand: 1 = 14/30, 2 = 15/27; 1-1 = 6/9, 1-2 = 8/21, 2-2 = 12/21."""
    text = narrative.section("groups", kitamoto_structured, heading=False)
    goals, policies = text.split("\n\n")
    # every group's score; two goals are compared (55.6 − 46.7 = 8.9 points), never called 最も高い
    assert goals.startswith("基本目標別の評価点は、1 市民活動への支援 46.7（10件）、2 協働の仕組みづくり 55.6（9件）"
                            "である（計画全体は50.9）。2 協働の仕組みづくりは1 市民活動への支援より8.9ポイント高い。")
    assert "最も" not in goals
    assert ("1 市民活動への支援の施策10件の評価は ◎（達成）2件、○（概ね達成）3件、△（一部実施）2件、×（未実施）3件で、"
            "×はNo.7、No.8、No.10である。") in goals
    assert "2 協働の仕組みづくりは9件のうち6件が◎・○で" in goals
    assert policies.startswith("基本方針別の評価点は、1-1 情報の発信 66.7（3件）、1-2 人材と資金 38.1（7件）、"
                               "2-1 相談窓口 50.0（2件）、2-2 庁内の体制 57.1（7件）である（計画全体は50.9）。"
                               "3件以上の施策を含む基本方針では、1-1 情報の発信が最も高く、1-2 人材と資金が最も低い。")
    assert "この基本方針は7件のうち4件の実施目標年度が平成21年度で、計画の中で最も遅い目標年度に集中している。" in policies
    assert "施策が3件に満たない基本方針（2-1 相談窓口（2件））は、最も高い・低いの比較から除いた。" in policies
    assert "表の区分" not in text


def test_cohort_effect(kitamoto):
    text = narrative.section("cohorts", kitamoto, heading=False)
    assert "平成19年度目標 71.4（7件）、平成20年度目標 61.1（6件）、平成21年度目標 16.7（6件）" in text
    assert "実施目標年度が遅い施策ほど評価が低い" in text
    assert "×（未実施）の4件は、すべて平成21年度が目標の施策である" in text


def test_two_target_years_are_no_trend():
    two = review_plan(REIWA_TWO_YEARS, era="令和")
    assert sorted(two.by_target_fy["target_fy"]) == [2021, 2022]
    text = narrative.section("cohorts", two, heading=False)
    assert "目標年度は2つのみで" in text and "傾向は判断できない" in text and "ほど評価が" not in text


def test_plan_vs_actual_lists_late_starts_with_lag_and_evidence(kitamoto):
    text = narrative.section("plan_vs_actual", kitamoto, heading=False)
    # by hand: No.6, 14, 17 one year late, No.18 two (issue 23 §2b: late starts summarised by lateness); No.19's
    # years are its committees', and its own マニュアル is still 予定: not started
    assert "目標より遅れて着手した施策は4件ある。遅れの年数別では、1年遅れ3件、2年遅れ1件である。" in text
    assert "No.5「協働事業提案制度の創設」：目標 平成20年度 →" not in text  # its 平成22 is another scheme's
    assert "No.18「部課の組織を超えた連携体制の構築」：目標 平成19年度 → 着手 平成21年度（2年の遅れ）" in text
    assert "根拠：「平成20年度に特定非営利活動法人設立補助金制度を創設。」" in text
    assert "着手していないと読める施策は3件ある。" in text
    assert "No.19「職員協働推進マニュアルの作成」：目標 平成20年度、評価△（一部実施）。" in text
    assert ("No.5「協働事業提案制度の創設」：目標 平成20年度、評価○（概ね達成）。根拠：「協働事業提案制度については、"
            "北本市協働推進条例に規定し、条例施行後に制度を立ち上げる予定。」") in text
    assert ("No.12「相談窓口の開設」：目標 平成20年度、評価△（一部実施）。根拠：「平成20年度から協働推進課を開設したが、"
            "相談窓口を開設する体制は整備されていない。」") in text
    assert "目標年度どおりに着手の記述がある施策は4件（No.2、No.3、No.15、No.16）" in text
    assert "記述からは着手年度を判断できない施策は4件（No.1、No.4、No.9、No.11）" in text
    assert "最も低い評価の×（未実施）で、着手時期を比べない施策は4件（No.7、No.8、No.10、No.13）" in text
    assert "根拠の文を確かめて判断されたい" not in text  # the review reads the text itself (issue 23 §2b)


def test_department_view_sets_the_lead_and_all_departments_apart_and_skips_small_ones(kitamoto):
    text = narrative.section("departments", kitamoto, heading=False)
    assert text.startswith("協働推進課は全19件の施策を担当する主管課であり、その評価は計画全体と同じため、推進課の比較には含めない。")
    assert ("全課（すべての課）が担当する施策は8件（No.2、No.4、No.5、No.10、No.16、No.17、No.18、No.19）で、"
            "評価は ◎（達成）2件、○（概ね達成）4件、△（一部実施）1件、×（未実施）1件である。") in text
    assert "3件以上の施策を担当する推進課は産業振興課のみである。" in text
    assert KITAMOTO_INDUSTRY_WHOLE in text
    assert "担当する施策が3件に満たない5課（" in text and "秘書広報課（1件）" in text and "比較しない" in text
    assert "最も高く" not in text  # one department of 3 or more measures: nothing to rank
    assert "複数の推進課が担当する施策は14件" in text


def test_audit_lists_circles_that_admit_a_gap(kitamoto):
    text = narrative.section("audit", kitamoto, heading=False)
    assert text.startswith("状況欄に未実施の事項を示す語がある施策は4件ある。")
    assert "これは語による目安で、語を含まない未実施の事項は見落とし、すでに行った事項を誤って挙げることもある。" in text
    for line in ("No.1「広報・協働推進サイトの設置」：評価 ○（概ね達成）、該当語 「未設置」",
                 "No.5「協働事業提案制度の創設」：評価 ○（概ね達成）、該当語 「予定」",
                 "No.6「ボランティアセンターとの連携」：評価 ○（概ね達成）、該当語 「進んでいない」",
                 "No.14「市民公益活動団体の自立支援」：評価 ○（概ね達成）、該当語 「未実施」"):
        assert f"- {line}\n" in text
    # each measure's sentence is a quotation, set apart under its item
    blocks = narrative.section_blocks("audit", kitamoto)
    quotes = [(before.text.split("「")[0], block.text) for before, block in zip(blocks, blocks[1:])
              if block.kind == "quote"]
    assert quotes[0] == ("No.1", "市民活動広報紙と協働推進サイトについては、未設置。")
    assert [no for no, _ in quotes] == ["No.1", "No.5", "No.6", "No.14"]
    assert "\n\n  > 市民活動広報紙と協働推進サイトについては、未設置。\n" in text


def test_priorities_ranked_by_need(kitamoto):
    text = narrative.section("priorities", kitamoto, heading=False)
    assert text.startswith("後半期（平成23年度〜平成24年度）に向けて取り組みを強めるべき施策として、次の12件を挙げる。"
                           "まず、評価が△・×の8件を")
    items = [line for line in text.splitlines() if line.startswith("- ")]
    # read by hand: within a grade, the planned period (○ to the last →) that ended longest ago first. No.7's
    # period (平成21) has ended; Nos.8, 10, 13 run to 平成22, the review year. No.3 ended 平成19, No.19 平成20,
    # No.12 平成21 (○ 平成20 → 平成21), No.9 runs to 平成22.
    assert [item.split("「")[0] for item in items] == [
        "- No.7", "- No.8", "- No.10", "- No.13", "- No.3", "- No.19", "- No.12", "- No.9",
        "- No.1", "- No.5", "- No.6", "- No.14"]
    assert items[0] == "- No.7「企業との連携」：評価 ×（未実施）、目標 平成21年度（1年経過）。推進課：協働推進課・産業振興課"
    assert "評価 ×（未実施）、予定期間 平成21年度〜平成22年度（評価時点は予定期間内）" in items[1]
    assert "評価 △（一部実施）、目標 平成19年度（3年経過）" in items[4]
    assert "予定期間 平成20年度〜平成21年度（予定期間の終了から1年経過）" in items[6]
    assert items[10].startswith("- No.6「ボランティアセンターとの連携」：評価 ○（概ね達成）。「市民公益活動の情報を一元化")
    # late starts rated ◎ ○: which ones, and why two are not priorities (issue 23 §2b)
    assert ("着手が目標より遅れたが、評価が◎・○の施策は4件（No.6、No.14、No.17、No.18）ある。このうちNo.6、No.14は、"
            "状況欄に未実施の事項を示す語があるため上に挙げた。No.17、No.18は、遅れて着手したものの評価が○（概ね達成）で、"
            "状況欄にも未実施の事項を示す語がないため、重点施策には含めない。") in text
    assert "実施済み" not in text and "超過" not in text


def test_whole_review_has_every_section(kitamoto):
    text = narrative.midterm_review(kitamoto)
    # the chapters as a city writes them (issue 24 §0); no previous round given; no structure file, so no
    # chapter on the table's own sections (issue 23 §5b)
    assert [line for line in text.splitlines() if line.startswith("## ")] == [
        "## 1\u3000計画の概要", "## 2\u3000評価の方法", "## 3\u3000全体の評価", "## 4\u3000施策別の評価",
        "## 5\u3000今後の課題と方向性"]
    assert [line for line in text.splitlines() if line.startswith("### ")] == [
        "### （1）全体の進捗", "### （2）実施目標年度による違い", "### （3）計画と実績（着手時期）", "### （4）推進課別の状況",
        "### （5）評価と記述の整合性"]
    assert "総括" not in text  # the committee's own words: a place for them in the Word draft only


def test_another_plan_gets_its_own_text(reiwa):
    text = narrative.midterm_review(reiwa)
    assert "「架空市協働のまちづくり計画」の施策8件（計画期間：令和3年度〜令和7年度）" in text
    assert "令和6年度時点" in text
    assert "表の区分" not in text  # without a structure file the table's sections are layout, not a section
    assert "評価点（100点換算）は45.8である。" in text
    assert "目標年度と評価の間に一貫した傾向は見られない" in text
    assert "まちづくり推進課は全8件の施策を担当する主管課" in text and "商工観光課（2件）" in text
    assert "No.8「補助制度の創設」：評価 ○（概ね達成）、" in text
    assert "残る計画期間（令和7年度）" in text
    for kitamoto_word in ("北本", "平成", "協働推進課", "産業振興課", "施策19件", "No.19"):
        assert kitamoto_word not in text


def test_sendai_scale_gives_each_grade_sendai_s_own_meaning():
    """Sendai's × means 遅れている: the text never calls it 未実施, and names every grade in Sendai's words."""
    text = narrative.midterm_review(review_plan(REIWA, era="令和", scale=SENDAI_SCALE))
    assert "（未実施）" not in text  # 未実施 stays only as a word the audit looks for
    assert "◎（計画以上に進んでいる）1件、○（計画どおり）3件、△（一部遅れている）2件、×（遅れている）2件" in text
    assert "上位の評価（◎（計画以上に進んでいる）・○（計画どおり））は4件（50.0%）" in text
    assert "×（遅れている）の2件は、すべて令和5年度が目標の施策である" in text
    assert "凡例がない" not in text and "評価記号の意味は原表の凡例による。" in text  # the city's own legend


def test_kitamoto_statuses_quoted_under_another_scale_keep_their_words_but_grades_take_the_scale_s():
    text = narrative.midterm_review(review_plan(scale=SENDAI_SCALE))
    assert "（未実施）" not in text and "×（遅れている）の4件は、すべて平成21年度が目標の施策である" in text
    assert "該当語 「未実施」\n\n  > 個人や企業からの寄附の受け入れ体制については未実施。" in text  # No.14's own status


def test_the_review_holds_data_only_and_the_narrative_writes_japanese():
    names = {field.name for field in dataclasses.fields(PlanReview)}
    assert not any("label" in name or name == "lang" for name in names)
    text = narrative.section("groups", review_plan(), heading=False)
    assert "表の区分3（No.15〜19） 66.7" in text and "Table section" not in text


@pytest.mark.slow
@pytest.mark.parametrize("size", [8, 500])
def test_every_list_names_at_most_ten_measures_at_any_size(tmp_path, size):
    measures = generate_measures(size, n_blocks=max(1, size // 50), era="令和", first_year=2, n_years=6, seed=size)
    raw = tmp_path / "plan.txt"
    raw.write_text(render_status_table(measures, era="令和", first_year=2, n_years=6, seed=size), encoding="utf-8")
    text = narrative.midterm_review(review_plan(raw, era="令和"))
    runs, run = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("- "):
            run.append(line)
        elif run:
            runs.append(run)
            run = []
    for run in runs:
        named = [line for line in run if not line.startswith("- ほか")]
        assert len(named) <= 10 and len(run) <= 11, run[0]
    for inline in re.findall(r"No\.\d+(?:、No\.\d+)+", text):
        assert inline.count("No.") <= 10, inline
    assert "それ以外では" not in text
    if size == 500:
        assert "件は、集計表（Excel）の「重点施策」シートに一覧がある。" in text
        assert "ほか" in text and "（全件は集計表（Excel）の「計画と実績」シート）" in text
    else:
        assert "ほか" not in text and "シート" not in text


def test_sections_are_blocks_of_plain_text_each_medium_escapes_its_own(tmp_path):
    """A quoted status reaches the blocks as typed; Markdown escapes it there, and the documents take the blocks."""
    text = REIWA.read_text(encoding="utf-8").replace("今後は対象を広げる予定。", "今後は*<b>対象</b>*を広げる予定。")
    raw = tmp_path / "plan.txt"
    raw.write_text(text, encoding="utf-8")
    plan_review = review_plan(raw, era="令和")
    blocks = narrative.section_blocks("audit", plan_review)
    quoted = [index for index, block in enumerate(blocks) if block.kind == "quote" and "*<b>対象</b>*" in block.text]
    assert len(quoted) == 1 and blocks[quoted[0] - 1].text.startswith("No.8「")  # measure 8's status, under its item
    markdown = narrative.section("audit", plan_review)
    assert "\\*&lt;b&gt;対象&lt;/b&gt;\\*" in markdown and "<b>" not in markdown
    document = review_document(plan_review, figures=[], generated=datetime.date(2026, 11, 27))
    audit = next(section for section in document.sections if section.title == "（5）評価と記述の整合性")
    # the document takes the blocks as they are; its first paragraph cites the table that stands after it
    assert list(audit.blocks[1:]) == blocks[1:] and audit.blocks[0].text == blocks[0].text[:-1] + "（表2）。"


@pytest.mark.slow
def test_phrasings_that_must_never_appear():
    """The Kitamoto review, its final round against the midterm, and another plan's review (issue 23 §6)."""
    from .sentences import NEVER, NEVER_PATTERNS

    final = review_plan(FIXTURES / "kitamoto_round2.txt", era="平成", previous=config.KITAMOTO_STATUS_TABLE)
    for plan_review in (review_plan(), final, review_plan(REIWA, era="令和")):
        text = narrative.midterm_review(plan_review) + narrative.headline(plan_review)
        assert [phrase for phrase in NEVER if phrase in text] == [], plan_review.title
        assert [match for pattern in NEVER_PATTERNS for match in re.findall(pattern, text)] == [], plan_review.title
    assert "北本市ボランティアセンター（社会福祉協議会）" in narrative.midterm_review(review_plan())
