"""The narrative's sentences that the tests look for, pinned here once, each read by hand from its table.

A test of the narrative, the notebooks, the Word draft or the PDF looks for these; a change of wording is
made here, in one place.
"""

#: Kitamoto: 産業振興課 carries No.7, 8, 13 (×) and one ○ measure; the plan has 4 ×, 3 of them its.
KITAMOTO_INDUSTRY = "産業振興課が担当する4施策のうち3件が×（未実施）"
KITAMOTO_INDUSTRY_WHOLE = f"{KITAMOTO_INDUSTRY}で、計画全体の×4件のうち3件を占める（No.7、No.8、No.13）"
#: The 令和 plan with its structure: A 交流 = No.1-3 (◎ ○ ○: 7 of 9 points), B 支援 = No.4-8 (△ × × △ ○: 4 of 15).
REIWA_GOALS = "基本目標別のスコア指数は、A 交流が77.8で最も高く、B 支援が26.7で最も低い"
REIWA_BEST_GOAL = "A 交流は全3施策が◎・○で"  # not 「3施策のうち3件」
#: Kitamoto against its second round (tests/fixtures/kitamoto_round2.txt): 50.9 → 57.9.
KITAMOTO_ROUNDS_INDEX = "スコア指数は50.9から57.9に上がった"


def without_spaces(sentence: str) -> str:
    """The sentence as the PDF's extracted text reads it (every space gone)."""
    return "".join(sentence.split())
