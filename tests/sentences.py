"""The narrative's sentences that the tests look for, pinned here once, each read by hand from its table.

A test of the narrative, the notebooks, the Word draft or the PDF looks for these; a change of wording is
made here, in one place.
"""

#: Kitamoto: 産業振興課 carries No.7, 8, 13 (×) and one ○ measure; the plan has 4 ×, 3 of them its.
KITAMOTO_INDUSTRY = "産業振興課が担当する施策4件のうち3件が×（未実施）"
KITAMOTO_INDUSTRY_WHOLE = f"{KITAMOTO_INDUSTRY}で、計画全体の×4件のうち3件を占める（No.7、No.8、No.13）"
#: The 令和 plan with its structure: A 交流 = No.1-3 (◎ ○ ○: 7 of 9 points), B 支援 = No.4-8 (△ × × △ ○: 4 of 15).
REIWA_GOALS = "基本目標別の評価点は、A 交流 77.8（3件）、B 支援 26.7（5件）である"
#: Two groups are compared, never ranked 最も (issue 23 §2b): 77.8 − 26.7 = 51.1 points.
REIWA_GOALS_COMPARED = "A 交流はB 支援より51.1ポイント高い"
REIWA_BEST_GOAL = "A 交流は全3件が◎・○で"  # not 「3件のうち3件」
#: Kitamoto against its second round (tests/fixtures/kitamoto_round2.txt): 50.9 → 57.9.
KITAMOTO_ROUNDS_INDEX = "評価点は50.9から57.9に上がった"


def without_spaces(sentence: str) -> str:
    """The sentence as the PDF's extracted text reads it (every space gone)."""
    return "".join(sentence.split())

#: Phrasings the review must never print again (issue 23): a judgement handed back to the reader, 今年度 for the
#: review year, ○ (概ね達成) called 実施済み, the first year named taken for the start, the table's full-width
#: brackets folded by NFKC, the previous round named by the plan's title, 現在 for the review year.
NEVER = ("判断されたい", "目標年度は今年度", "実施済み", "状況に記された最初の年度", "記述上の最初の年度",
         "(社会福祉協議会)", "(案)", "前回（「", "現在 ", "重点的に取り組むべき施策は")
#: Measures are counted in 件 (施策19件, 全8件の施策, （7件）), never with 施策 as the counter (19施策).
NEVER_PATTERNS = (r"\d施策",)
