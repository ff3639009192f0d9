"""Reads of the quick assessment: the member's own set, the presenter's live figures, item
analysis (facility and discrimination as Moodle computes them), the parts least
understood, results per cell, and a member's own results."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from django.http import Http404

from dangvu.assessments import selectors, services
from dangvu.assessments.models import Question, QuestionKind
from dangvu.assessments.selectors import Item
from dangvu.assessments.tests.helpers import (
    EATLING,
    MOMENT,
    PARTS,
    TDP1,
    attempt_of,
    create,
    document_with_bank,
    opened,
    take,
)
from dangvu.members.services import member_transfer

MINUTE = timedelta(minutes=1)


@pytest.fixture
def document(world):
    return document_with_bank()


# -- the member's own set ---------------------------------------------------------------------
def test_it_shows_the_members_questions_in_their_order_lettered(world, document):
    assessment = opened(world, document, question_count=6)
    attempt = attempt_of(world, assessment, "ybhiong")

    shown = selectors.question_set(attempt)

    assert [q.id for q in shown] == [q for q, _ in attempt.questions]
    assert [q.number for q in shown] == [1, 2, 3, 4, 5, 6]
    for question, (question_id, option_ids) in zip(shown, attempt.questions, strict=True):
        bank = Question.objects.get(pk=question_id)
        assert (question.text, question.section, question.kind) == (
            bank.text,
            bank.section.title,
            "single",
        )
        assert [o.letter for o in question.options] == ["A", "B", "C", "D"]
        assert [o.id for o in question.options] == option_ids
        assert [o.text for o in question.options] == [
            bank.options.get(pk=o).text for o in option_ids
        ]


def test_it_never_keeps_the_questions_of_an_assessment_not_yet_open(world, document):
    assessment = create(world, document)
    assert selectors.frozen(assessment) == {}

    services.assessment_open(assessment=assessment, seed=1)

    assert set(selectors.frozen(assessment)) == set(
        Question.objects.filter(document=document).values_list("pk", flat=True)
    )


def test_it_gives_each_member_their_chosen_and_the_right_options(world, document):
    assessment = opened(world, document, question_count=2)
    attempt = take(attempt_of(world, assessment, "hoa"), [False, None], submit=False)
    first = attempt.questions[0][0]

    assert list(selectors.chosen_options(attempt)) == [first]
    assert selectors.correct_options(attempt) == services.correct_of(assessment)


# -- the presenter's live figures ---------------------------------------------------------------
def test_it_counts_the_hall_live(world, document):
    assessment = opened(world, document, question_count=4, pass_mark=50)
    take(attempt_of(world, assessment, "hoa"), [True] * 4)  # 100
    take(attempt_of(world, assessment, "ybhiong"), [True, True, False, False])  # 50
    take(attempt_of(world, assessment, "binh"), [])  # 0: started by submitting
    take(attempt_of(world, assessment, "anh"), [True], submit=False)  # still answering

    live = selectors.live(assessment)

    assert (live.expected, live.joined, live.submitted, live.passed) == (5, 4, 3, 2)
    assert live.mean == 50.0
    assert live.distribution == [1, 0, 0, 0, 0, 1, 0, 0, 0, 1]
    assert {q["question_id"] for q in live.questions} <= {int(q) for q in assessment.snapshot}
    assert sum(q["answered"] for q in live.questions) == 12


def test_it_has_no_figures_before_anyone_submits(world, document):
    assessment = opened(world, document)

    live = selectors.live(assessment)

    assert (live.expected, live.joined, live.submitted, live.passed, live.mean) == (
        5,
        0,
        0,
        0,
        None,
    )
    assert live.distribution == [0] * 10
    assert live.questions == []
    assert selectors.item_analysis(assessment) == []


# -- item analysis ------------------------------------------------------------------------------
@pytest.fixture
def three_questions(world):
    """Q1 and Q2 in Phần I, Q3 in Phần II; everyone answers all three."""
    document = document_with_bank(per_part=0, parts=PARTS[:2], number=7)
    first, second = document.sections.order_by("order")
    questions = [
        services.question_save(
            document=document,
            section=part,
            kind=QuestionKind.SINGLE,
            text=text,
            options=[("Đúng", True), ("Sai", False), ("Không rõ", False)],
        )
        for part, text in ((first, "Q1"), (first, "Q2"), (second, "Q3"))
    ]
    return document, [q.pk for q in questions]


# Right (1) or wrong (0) per member and question; Bình skips Q3 (counts as wrong); Ánh
# answers everything right but never submits, so she does not count.
MATRIX = {
    "hoa": (1, 1, 1),  # 3
    "ybhiong": (1, 0, 1),  # 2
    "binh": (1, 0, None),  # 1
    "an": (0, 1, 0),  # 1
}
# By hand, over the four submitted attempts (x the item, y the rest of the test):
#   Q1: x = 1 1 1 0, y = 2 1 0 1 → Σdxdy = 0                           r = 0.0
#   Q2: x = 1 0 0 1, y = 2 2 1 0 → Σdxdy = -0.5, Σdx² = 1, Σdy² = 2.75 → r = -0.30
#   Q3: x = 1 1 0 0, y = 2 1 1 1 → Σdxdy = 0.5, Σdx² = 1, Σdy² = 0.75  → r = 0.58
# (against the whole test instead of the rest, Q1 would be 0.52: the item must not be
# correlated with itself).
EXPECTED = {"Q1": (75.0, 0.0), "Q2": (50.0, -0.3), "Q3": (50.0, 0.58)}


def test_it_computes_facility_and_discrimination_by_hand(world, three_questions):
    document, ids = three_questions
    assessment = opened(world, document, question_count=3, pass_mark=50)
    for key, row in MATRIX.items():
        pattern = {
            q: None if right is None else bool(right) for q, right in zip(ids, row, strict=True)
        }
        take(attempt_of(world, assessment, key), pattern)
    take(attempt_of(world, assessment, "anh"), dict.fromkeys(ids, True), submit=False)

    items = selectors.item_analysis(assessment)

    assert {i.text: (i.facility, i.discrimination) for i in items} == EXPECTED
    assert {i.text: i.answered for i in items} == {"Q1": 4, "Q2": 4, "Q3": 4}
    assert {i.text: i.section for i in items} == {"Q1": PARTS[0], "Q2": PARTS[0], "Q3": PARTS[1]}
    assert [i.text for i in items] == ["Q2", "Q1", "Q3"]  # by part, least understood first
    assert selectors.sections_understood(items) == [(PARTS[1], 50.0, 4), (PARTS[0], 62.5, 8)]


def test_it_agrees_with_the_textbook_pearson_correlation():
    xs, ys = [1.0, 0.0, 0.0, 1.0], [2.0, 2.0, 1.0, 0.0]
    n = len(xs)
    r = (n * sum(x * y for x, y in zip(xs, ys, strict=True)) - sum(xs) * sum(ys)) / math.sqrt(
        (n * sum(x * x for x in xs) - sum(xs) ** 2) * (n * sum(y * y for y in ys) - sum(ys) ** 2)
    )

    assert selectors._pearson(xs, ys) == round(r, 2) == -0.3
    assert selectors._pearson([1.0, 0.0], [1.0, 0.0]) is None  # too few to say
    assert selectors._pearson([1.0, 1.0, 1.0], [2.0, 1.0, 0.0]) is None  # everyone right


def test_it_leaves_discrimination_empty_when_it_cannot_be_told(world, three_questions):
    document, ids = three_questions
    assessment = opened(world, document, question_count=3)
    for key in ("hoa", "ybhiong", "binh"):
        take(
            attempt_of(world, assessment, key),
            dict(zip(ids, (True, key != "hoa", False), strict=True)),
        )

    items = {i.text: i for i in selectors.item_analysis(assessment)}

    assert (items["Q1"].facility, items["Q1"].discrimination) == (100.0, None)  # all right
    assert (items["Q3"].facility, items["Q3"].discrimination) == (0.0, None)  # all wrong
    assert items["Q2"].facility == 66.7
    assert items["Q2"].discrimination is None  # the rest of the test is the same for all


def test_it_counts_each_question_over_those_who_were_given_it(world, document):
    assessment = opened(world, document, question_count=3)
    for key in ("hoa", "ybhiong", "binh", "an", "anh"):
        take(attempt_of(world, assessment, key), [True, False, False])

    items = selectors.item_analysis(assessment)

    given = {}
    for key in ("hoa", "ybhiong", "binh", "an", "anh"):
        for question_id, _ in attempt_of(world, assessment, key).questions:
            given[question_id] = given.get(question_id, 0) + 1
    assert {i.question_id: i.answered for i in items} == given


def test_it_puts_the_parts_least_understood_first():
    items = [
        Item(1, "a", "Phần B", 10, 80.0, None),
        Item(2, "b", "Phần B", 30, 40.0, 0.2),
        Item(3, "c", "Phần A", 5, 60.0, 0.1),
        Item(4, "d", "", 2, 30.0, None),
        Item(5, "e", "Phần C", 0, None, None),
    ]

    assert selectors.sections_understood(items) == [
        ("(không gắn phần)", 30.0, 2),
        ("Phần B", 50.0, 40),  # weighted by answers: (80·10 + 40·30) / 40
        ("Phần A", 60.0, 5),
    ]


# -- results by cell -------------------------------------------------------------------------------
def test_it_sets_participation_score_and_pass_rate_of_each_cell(world, document):
    assessment = opened(world, document, EATLING, question_count=4, pass_mark=50)
    take(attempt_of(world, assessment, "hoa"), [True] * 4)  # 100
    take(attempt_of(world, assessment, "ybhiong"), [True, False, False, False])  # 25
    take(attempt_of(world, assessment, "binh"), [True, True, False, False])  # 50
    # Bình moves to Tổ dân phố 2 afterwards: the result stays with the cell he took it in.
    member_transfer(
        member=world.members["binh"],
        to_cell=world.units["DN.CUJUT.EATLING.TDP2"],
        effective_on=date(2024, 4, 1),
    )

    rows = selectors.results_by_cell(assessment)

    assert [(r.name, r.expected, r.submitted, r.mean, r.pass_rate) for r in rows] == [
        ("Chi bộ Tổ dân phố 1", 4, 3, 58.3, 66.7),
        ("Chi bộ Tổ dân phố 2", 1, 0, None, None),
    ]


# -- scope and the member's own results ------------------------------------------------------------
def test_it_shows_an_assessment_only_within_the_users_subtree(world, document):
    cell = opened(world, document, TDP1)
    commune = opened(world, document, EATLING)

    def visible(username):
        return set(selectors.assessments_visible(user=world.users[username]))

    assert visible("hoa") == {cell}
    assert visible("tochuc") == {cell, commune}
    assert visible("kbinh") == set() and visible("ybhiong") == set()
    assert selectors.assessment_or_404(user=world.users["hoa"], assessment_id=cell.pk) == cell
    for username, assessment in (("hoa", commune), ("kbinh", cell), ("huong", cell)):
        with pytest.raises(Http404):
            selectors.assessment_or_404(user=world.users[username], assessment_id=assessment.pk)


def test_it_lists_a_members_own_results_newest_first(world, document):
    earlier = opened(world, document, title="Lần 1")
    later = opened(world, document, TDP1, title="Lần 2", opens_at=MOMENT + 3 * 60 * MINUTE)
    unsubmitted = opened(world, document, title="Lần 3")
    take(attempt_of(world, earlier, "ybhiong"), [True])
    take(attempt_of(world, later, "ybhiong"), [True] * 6, at=MOMENT + 3 * 60 * MINUTE)
    take(attempt_of(world, unsubmitted, "ybhiong"), [True], submit=False)
    take(attempt_of(world, earlier, "hoa"), [True] * 6)

    results = selectors.member_results(world.members["ybhiong"])

    assert [(a.assessment.title, a.score) for a in results] == [("Lần 2", 100.0), ("Lần 1", 16.7)]
    own = selectors.member_attempts(user=world.users["ybhiong"])
    assert {a.assessment.title for a in own} == {"Lần 1", "Lần 2", "Lần 3"}
    assert not selectors.member_attempts(user=world.users["tochuc"]).exists()
