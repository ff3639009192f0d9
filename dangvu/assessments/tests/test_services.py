"""Writes of the quick assessment: the question bank, opening (every member's question set
drawn at once), answering against the clock, submitting once, closing, the paper path.

The hall of Ea T'Ling takes it at 08:00 on 15/03/2024: Hoà, Y Bhiông, Bình and An of Tổ
dân phố 1 and Ánh of Tổ dân phố 2 are expected."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction

from dangvu.assessments import selectors, services
from dangvu.assessments.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Attempt,
    AttemptSource,
    Option,
    Question,
    QuestionKind,
)
from dangvu.assessments.tests.helpers import (
    EATLING,
    EATLING_MEMBERS,
    HCM,
    MOMENT,
    PARTS,
    TDP1,
    TDP1_MEMBERS,
    attempt_of,
    create,
    document_with_bank,
    opened,
    right_options,
    section,
    take,
    wrong_options,
)
from dangvu.core.errors import DomainError
from dangvu.study.services import session_create
from dangvu.units.models import UnitKind
from dangvu.units.services import unit_create

MINUTE = timedelta(minutes=1)


@pytest.fixture
def document(world):
    return document_with_bank()


def section_of(question_ids):
    return dict(Question.objects.filter(pk__in=question_ids).values_list("pk", "section__title"))


def bank_options(question_id):
    return list(Option.objects.filter(question_id=question_id).values_list("pk", flat=True))


# -- the question bank ----------------------------------------------------------------------
def test_it_keeps_a_question_with_its_options_in_order(world, document):
    question = services.question_save(
        document=document,
        section=section(document, PARTS[1]),
        kind=QuestionKind.MULTIPLE,
        text="  Những thách thức nào được nêu?  ",
        options=[(" Cạnh tranh nước lớn ", True), ("Dân số giảm", False), ("Dịch bệnh", True)],
        actor=world.users["hoa"],
    )

    question.refresh_from_db()
    assert question.text == "Những thách thức nào được nêu?"
    assert question.section.title == PARTS[1]
    assert question.created_by == world.users["hoa"]
    assert list(question.options.values_list("order", "text", "correct")) == [
        (0, "Cạnh tranh nước lớn", True),
        (1, "Dân số giảm", False),
        (2, "Dịch bệnh", True),
    ]


def test_it_replaces_the_options_when_a_question_is_edited(world, document):
    question = Question.objects.filter(document=document).first()

    services.question_save(
        document=document,
        section=None,
        kind=QuestionKind.TRUE_FALSE,
        text="Sửa lại: đúng hay sai?",
        options=[("Đúng", False), ("Sai", True)],
        question=question,
    )

    question.refresh_from_db()
    assert (question.kind, question.text, question.section) == (
        QuestionKind.TRUE_FALSE,
        "Sửa lại: đúng hay sai?",
        None,
    )
    assert list(question.options.values_list("text", "correct")) == [
        ("Đúng", False),
        ("Sai", True),
    ]
    assert Question.objects.filter(document=document).count() == 12


@pytest.mark.parametrize(
    ("kind", "text", "options", "message"),
    [
        ("single", "   ", [("A", True), ("B", False)], services.QUESTION_TEXT),
        ("single", "Câu hỏi", [("A", True)], services.OPTIONS_COUNT),
        ("single", "Câu hỏi", [(str(i), i == 0) for i in range(9)], services.OPTIONS_COUNT),
        ("single", "Câu hỏi", [("A", True), ("  ", False)], services.OPTIONS_COUNT),
        ("single", "Câu hỏi", [("A", True), ("B", True)], services.ONE_CORRECT),
        ("single", "Câu hỏi", [("A", False), ("B", False)], services.ONE_CORRECT),
        ("multiple", "Câu hỏi", [("A", False), ("B", False)], services.SOME_CORRECT),
        (
            "true_false",
            "Câu hỏi",
            [("Đúng", True), ("Sai", False), ("?", False)],
            services.TRUE_FALSE,
        ),
        ("true_false", "Câu hỏi", [("Đúng", True), ("Sai", True)], services.TRUE_FALSE),
    ],
)
def test_it_refuses_a_malformed_question(world, document, kind, text, options, message):
    before = (Question.objects.count(), Option.objects.count())

    with pytest.raises(DomainError) as error:
        services.question_save(
            document=document, section=None, kind=kind, text=text, options=options
        )

    assert error.value.message == message
    assert (Question.objects.count(), Option.objects.count()) == before


def test_it_refuses_a_section_of_another_document(world, document):
    other = document_with_bank(per_part=0, number=6)

    with pytest.raises(DomainError) as error:
        services.question_save(
            document=document,
            section=other.sections.first(),
            kind="single",
            text="Câu hỏi",
            options=[("A", True), ("B", False)],
        )

    assert error.value.message == "Phần, mục không thuộc văn bản này."
    assert not Question.objects.filter(text="Câu hỏi").exists()


# -- assessments ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"closes_at": MOMENT}, services.TIMES),
        ({"closes_at": MOMENT - MINUTE}, services.TIMES),
        ({"question_count": 0}, services.COUNT),
        ({"question_count": 101}, services.COUNT),
        ({"pass_mark": 101}, services.PASS_MARK),
        ({"pass_mark": -1}, services.PASS_MARK),
        ({"time_limit_minutes": 0}, services.LIMIT),
        ({"time_limit_minutes": 601}, services.LIMIT),
    ],
)
def test_it_refuses_an_assessment_that_cannot_be_taken(world, document, change, message):
    spec = {
        "title": "Kiểm tra",
        "document": document,
        "unit": world.units[EATLING],
        "opens_at": MOMENT,
        "closes_at": MOMENT + timedelta(hours=2),
        **change,
    }

    with pytest.raises(DomainError) as error:
        services.assessment_save(spec=services.AssessmentSpec(**spec))

    assert error.value.message == message
    assert not Assessment.objects.exists()


def test_it_edits_a_draft_but_not_an_open_assessment(world, document):
    assessment = create(world, document)
    spec = services.AssessmentSpec(
        title="Tên mới",
        document=document,
        unit=world.units[TDP1],
        opens_at=MOMENT,
        closes_at=MOMENT + timedelta(hours=1),
        question_count=5,
    )

    services.assessment_save(spec=spec, assessment=assessment)
    assessment.refresh_from_db()
    assert (assessment.title, assessment.unit.code, assessment.question_count) == (
        "Tên mới",
        TDP1,
        5,
    )
    assert assessment.created_by == world.users["hoa"]
    assert len(assessment.code) == 6

    services.assessment_open(assessment=assessment, seed=1)
    with pytest.raises(DomainError) as error:
        services.assessment_save(
            spec=services.AssessmentSpec(**{**vars(spec), "title": "Lại đổi tên"}),
            assessment=assessment,
        )
    assert error.value.message == services.NOT_DRAFT
    assessment.refresh_from_db()
    assert assessment.title == "Tên mới"


# -- opening: every member's set drawn at once ---------------------------------------------
def test_it_draws_a_set_for_every_expected_member_when_it_opens(world, document):
    assessment = create(world, document, EATLING, question_count=6)

    drawn = services.assessment_open(assessment=assessment, seed=1)

    assert drawn == 5
    attempts = list(Attempt.objects.filter(assessment=assessment))
    assert sorted(a.member_id for a in attempts) == sorted(
        world.members[key].pk for key in EATLING_MEMBERS
    )
    for attempt in attempts:
        assert len(attempt.questions) == 6
        assert len({q for q, _ in attempt.questions}) == 6
        assert attempt.started_at is None and attempt.submitted_at is None
        assert attempt.source == AttemptSource.WEB
    assert len({a.token for a in attempts}) == 5
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.OPEN
    assert sorted(int(q) for q in assessment.snapshot) == sorted(
        Question.objects.filter(document=document).values_list("pk", flat=True)
    )


def test_it_expects_the_members_of_the_session_when_there_is_one(world, document):
    session = session_create(
        title="Hội nghị học tập Nghị quyết",
        unit=world.units[TDP1],
        held_on=MOMENT.date(),
        form="in_person",
        documents=[document],
    )
    assessment = create(world, document, EATLING, session=session)

    assert services.assessment_open(assessment=assessment, seed=1) == 4
    assert sorted(
        Attempt.objects.filter(assessment=assessment).values_list("member_id", flat=True)
    ) == sorted(world.members[key].pk for key in TDP1_MEMBERS)


def test_it_expects_only_the_members_active_on_the_day_it_opens(world, document):
    """Trần Văn An joined Tổ dân phố 1 on 01/06/2019."""
    assessment = create(world, document, TDP1, opens_at=datetime(2019, 1, 10, 8, 0, tzinfo=HCM))

    assert services.assessment_open(assessment=assessment, seed=1) == 3
    assert not Attempt.objects.filter(assessment=assessment, member=world.members["an"]).exists()


def test_it_spreads_each_set_evenly_over_the_parts(world, document):
    six = opened(world, document, question_count=6, seed=3)
    seven = opened(world, document, question_count=7, seed=3)

    for attempt in Attempt.objects.filter(assessment=six):
        parts = Counter(section_of([q for q, _ in attempt.questions]).values())
        assert parts == {PARTS[0]: 2, PARTS[1]: 2, PARTS[2]: 2}
    for attempt in Attempt.objects.filter(assessment=seven):
        parts = Counter(section_of([q for q, _ in attempt.questions]).values())
        assert sorted(parts.values()) == [2, 2, 3]
        assert set(parts) == set(PARTS)


def test_it_shuffles_the_questions_and_options_of_each_member(world, document):
    assessment = opened(world, document, question_count=12, seed=5)
    bank_order = list(Question.objects.filter(document=document).values_list("pk", flat=True))

    orders = set()
    options_shuffled = False
    for attempt in Attempt.objects.filter(assessment=assessment):
        question_ids = [q for q, _ in attempt.questions]
        assert sorted(question_ids) == sorted(bank_order)
        orders.add(tuple(question_ids))
        for question_id, option_ids in attempt.questions:
            assert sorted(option_ids) == sorted(bank_options(question_id))
            options_shuffled |= option_ids != bank_options(question_id)
    assert len(orders) == 5  # everyone's order is their own
    assert tuple(bank_order) not in orders
    assert options_shuffled


def test_it_draws_the_same_sets_for_the_same_seed(world, document):
    first = opened(world, document, seed=11)
    again = opened(world, document, seed=11)
    other = opened(world, document, seed=12)

    def sets(assessment):
        return {a.member_id: a.questions for a in Attempt.objects.filter(assessment=assessment)}

    assert sets(first) == sets(again)
    assert sets(first) != sets(other)
    assert len({str(s) for s in sets(first).values()}) == 5


def test_it_draws_only_active_questions(world, document):
    retired = list(
        Question.objects.filter(section__title=PARTS[2]).values_list("pk", flat=True)[:3]
    )
    Question.objects.filter(pk__in=retired).update(active=False)

    assessment = opened(world, document, question_count=9)

    assert not set(retired) & {int(q) for q in assessment.snapshot}
    for attempt in Attempt.objects.filter(assessment=assessment):
        assert len(attempt.questions) == 9
        assert not set(retired) & {q for q, _ in attempt.questions}


def test_it_refuses_to_open_with_too_small_a_bank(world, document):
    Question.objects.filter(section__title=PARTS[2]).update(active=False)
    assessment = create(world, document, question_count=9)

    with pytest.raises(DomainError) as error:
        services.assessment_open(assessment=assessment)

    assert error.value.message == "Ngân hàng câu hỏi của văn bản mới có 8 câu, cần ít nhất 9 câu."
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT and assessment.snapshot == {}
    assert not Attempt.objects.exists()


def test_it_refuses_to_open_when_no_member_is_expected(world, document):
    world.units["empty"] = unit_create(
        code=f"{EATLING}.TDP9",
        name="Chi bộ Tổ dân phố 9",
        kind=UnitKind.CELL,
        parent=world.units[EATLING],
        valid_from=date(2004, 1, 1),
    )
    assessment = create(world, document, "empty")

    with pytest.raises(DomainError) as error:
        services.assessment_open(assessment=assessment)

    assert error.value.message == services.NO_MEMBERS
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    assert not Attempt.objects.exists()


def test_it_opens_an_assessment_once(world, document):
    assessment = opened(world, document)
    drawn = dict(Attempt.objects.values_list("member_id", "token"))

    with pytest.raises(DomainError) as error:
        services.assessment_open(assessment=assessment)

    assert error.value.message == "Bài kiểm tra đã được mở; không mở lại được."
    assert dict(Attempt.objects.values_list("member_id", "token")) == drawn


def test_it_gives_a_member_one_attempt_only(world, document):
    assessment = opened(world, document)

    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(assessment=assessment, member=world.members["hoa"])

    assert Attempt.objects.filter(assessment=assessment, member=world.members["hoa"]).count() == 1


def test_it_gives_the_right_options_of_the_frozen_questions(world, document):
    assessment = opened(world, document)

    assert services.correct_of(assessment) == {
        q.pk: {q.options.get(order=0).pk} for q in Question.objects.filter(document=document)
    }


# -- starting: the sets were drawn at opening ------------------------------------------------
def test_it_starts_the_clock_without_drawing_anything(world, document, django_assert_num_queries):
    assessment = opened(world, document)
    attempt = attempt_of(world, assessment, "ybhiong")
    drawn = attempt.questions
    attempts = Attempt.objects.count()

    with django_assert_num_queries(1):  # the one UPDATE of the member's own row
        services.attempt_start(attempt=attempt, now=MOMENT + 5 * MINUTE)

    attempt.refresh_from_db()
    assert attempt.questions == drawn
    assert attempt.started_at == MOMENT + 5 * MINUTE
    assert attempt.deadline == MOMENT + 20 * MINUTE
    assert Attempt.objects.count() == attempts


def test_it_starts_the_clock_once(world, document):
    assessment = opened(world, document)
    attempt = attempt_of(world, assessment, "ybhiong")
    stale = attempt_of(world, assessment, "ybhiong")  # a second phone, loaded before the start
    services.attempt_start(attempt=attempt, now=MOMENT + MINUTE)

    services.attempt_start(attempt=stale, now=MOMENT + 9 * MINUTE)
    assert (stale.started_at, stale.deadline) == (MOMENT + MINUTE, MOMENT + 16 * MINUTE)
    services.attempt_start(
        attempt=attempt_of(world, assessment, "ybhiong"), now=MOMENT + 9 * MINUTE
    )

    attempt.refresh_from_db()
    assert (attempt.started_at, attempt.deadline) == (MOMENT + MINUTE, MOMENT + 16 * MINUTE)


def test_it_ends_the_time_limit_when_the_assessment_closes(world, document):
    assessment = opened(world, document, minutes_open=30)
    attempt = services.attempt_start(
        attempt=attempt_of(world, assessment, "hoa"), now=MOMENT + 25 * MINUTE
    )

    assert attempt.deadline == MOMENT + 30 * MINUTE


def test_it_refuses_to_start_before_it_opens_and_after_it_closes(world, document):
    assessment = opened(world, document)
    attempt = attempt_of(world, assessment, "hoa")

    with pytest.raises(DomainError) as early:
        services.attempt_start(attempt=attempt, now=MOMENT - MINUTE)
    with pytest.raises(DomainError) as late:
        services.attempt_start(attempt=attempt, now=MOMENT + 2 * 60 * MINUTE + services.GRACE)

    assert early.value.message == "Bài kiểm tra mở từ 08:00 15/03/2024."
    assert late.value.message == "Bài kiểm tra đã đóng lúc 10:00 15/03/2024."
    attempt.refresh_from_db()
    assert attempt.started_at is None and attempt.deadline is None


def test_it_freezes_the_questions_when_it_opens(world, document):
    assessment = opened(world, document, question_count=12)
    frozen = assessment.snapshot
    attempt = attempt_of(world, assessment, "ybhiong")
    edited_id, shown_options = attempt.questions[0]
    edited = Question.objects.get(pk=edited_id)
    original_text = edited.text
    original_options = dict(edited.options.values_list("pk", "text"))
    originally_right = right_options(assessment, edited_id)

    # The bank is edited while the hall is answering: new text, new options (the right one
    # changes), a question retired, a question added.
    services.question_save(
        document=document,
        section=edited.section,
        kind=QuestionKind.SINGLE,
        text="Câu hỏi đã sửa",
        options=[("Phương án mới sai", False), ("Phương án mới đúng", True)],
        question=edited,
    )
    Question.objects.exclude(pk=edited_id).filter(document=document).update(active=False)
    added = services.question_save(
        document=document,
        section=None,
        kind=QuestionKind.TRUE_FALSE,
        text="Câu hỏi thêm sau khi mở",
        options=[("Đúng", True), ("Sai", False)],
    )

    assessment.refresh_from_db()
    assert assessment.snapshot == frozen
    shown = selectors.question_set(attempt_of(world, assessment, "ybhiong"))
    assert len(shown) == 12
    assert shown[0].text == original_text
    assert [(o.id, o.text) for o in shown[0].options] == [
        (o, original_options[o]) for o in shown_options
    ]
    with pytest.raises(DomainError) as error:
        services.answer_save(attempt=attempt, question_id=added.pk, options=[], now=MOMENT)
    assert error.value.message == services.NOT_IN_SET

    services.answer_save(
        attempt=attempt, question_id=edited_id, options=originally_right, now=MOMENT
    )
    result = services.attempt_submit(attempt=attempt, now=MOMENT + MINUTE).attempt
    assert result.correct == 1


# -- answering ---------------------------------------------------------------------------------
def test_it_keeps_the_last_choice_for_a_question(world, document):
    assessment = opened(world, document)
    attempt = attempt_of(world, assessment, "ybhiong")
    question_id = attempt.questions[0][0]

    services.answer_save(
        attempt=attempt,
        question_id=question_id,
        options=wrong_options(assessment, question_id),
        now=MOMENT + MINUTE,
    )
    services.answer_save(
        attempt=attempt,
        question_id=question_id,
        options=right_options(assessment, question_id),
        now=MOMENT + 2 * MINUTE,
    )

    answer = Answer.objects.get(attempt=attempt)
    assert answer.question_id == question_id
    assert answer.options == right_options(assessment, question_id)
    assert answer.answered_at == MOMENT + 2 * MINUTE
    attempt.refresh_from_db()
    assert attempt.started_at == MOMENT + MINUTE  # the first answer started the clock


def test_it_refuses_an_answer_after_the_deadline_and_its_grace(world, document):
    assessment = opened(world, document, time_limit_minutes=15)
    attempt = services.attempt_start(attempt=attempt_of(world, assessment, "ybhiong"), now=MOMENT)
    first, second = attempt.questions[0][0], attempt.questions[1][0]
    services.answer_save(
        attempt=attempt,
        question_id=first,
        options=wrong_options(assessment, first),
        now=MOMENT + 14 * MINUTE,
    )

    # The network was slow: 20 seconds after the deadline still count.
    services.answer_save(
        attempt=attempt,
        question_id=second,
        options=right_options(assessment, second),
        now=MOMENT + 15 * MINUTE + services.GRACE,
    )
    with pytest.raises(DomainError) as error:
        services.answer_save(
            attempt=attempt,
            question_id=first,
            options=right_options(assessment, first),
            now=MOMENT + 15 * MINUTE + services.GRACE + timedelta(seconds=1),
        )

    assert error.value.message == (
        "Đã hết thời gian làm bài lúc 08:15 15/03/2024; câu trả lời này không được ghi nhận."
    )
    kept = Answer.objects.get(attempt=attempt, question_id=first)
    assert kept.options == wrong_options(assessment, first)
    assert kept.answered_at == MOMENT + 14 * MINUTE
    assert Answer.objects.filter(attempt=attempt).count() == 2


def test_it_refuses_a_question_not_in_the_members_set(world, document):
    assessment = opened(world, document, question_count=6)
    attempt = attempt_of(world, assessment, "ybhiong")
    mine = {q for q, _ in attempt.questions}
    other = Question.objects.filter(document=document).exclude(pk__in=mine).first()

    with pytest.raises(DomainError) as error:
        services.answer_save(
            attempt=attempt,
            question_id=other.pk,
            options=right_options(assessment, other.pk),
            now=MOMENT,
        )

    assert error.value.message == "Câu hỏi không có trong bộ câu hỏi của bạn."
    assert not Answer.objects.exists()


def test_it_refuses_options_of_another_question(world, document):
    assessment = opened(world, document)
    attempt = attempt_of(world, assessment, "ybhiong")
    (first, _), (_, second_options) = attempt.questions[:2]

    with pytest.raises(DomainError) as error:
        services.answer_save(
            attempt=attempt, question_id=first, options=second_options[:1], now=MOMENT
        )

    assert error.value.message == services.BAD_OPTIONS
    assert not Answer.objects.exists()


def test_it_scores_a_multiple_choice_question_only_when_exactly_right(world):
    document = document_with_bank(per_part=0, parts=["Phần I"])
    question = services.question_save(
        document=document,
        section=None,
        kind=QuestionKind.MULTIPLE,
        text="Những thách thức nào được nêu?",
        options=[("Cạnh tranh nước lớn", True), ("Dịch bệnh", True), ("Dân số giảm", False)],
    )
    a, b, c = question.options.values_list("pk", flat=True)
    assessment = opened(world, document, TDP1, question_count=1)
    chosen = {"hoa": [b, a], "ybhiong": [a], "binh": [a, b, c], "an": None}

    for key, options in chosen.items():
        attempt = attempt_of(world, assessment, key)
        if options is not None:
            services.answer_save(
                attempt=attempt, question_id=question.pk, options=options, now=MOMENT
            )
        services.attempt_submit(attempt=attempt, now=MOMENT + MINUTE)

    results = {key: attempt_of(world, assessment, key) for key in ("hoa", "ybhiong", "binh", "an")}
    assert {k: (r.correct, r.score, r.passed) for k, r in results.items()} == {
        "hoa": (1, 100.0, True),
        "ybhiong": (0, 0.0, False),
        "binh": (0, 0.0, False),
        "an": (0, 0.0, False),
    }
    assert Answer.objects.get(attempt=results["hoa"]).options == sorted([a, b])


def test_it_scores_against_the_pass_mark(world, document):
    assessment = opened(world, document, question_count=6, pass_mark=50)

    half = take(attempt_of(world, assessment, "hoa"), [True, True, True, False, None, False])
    third = take(attempt_of(world, assessment, "ybhiong"), [True, False, True])
    full = take(attempt_of(world, assessment, "binh"), [True] * 6)

    assert (half.correct, half.score, half.passed) == (3, 50.0, True)
    assert (third.correct, third.score, third.passed) == (2, 33.3, False)
    assert (full.correct, full.score, full.passed) == (6, 100.0, True)
    assert half.submitted_at == MOMENT + MINUTE
    assert half.submitted_on == date(2024, 3, 15)


def test_it_dates_a_submission_by_the_day_in_vietnam(world, document):
    """00:10 on 16/03 in Hồ Chí Minh City is still 15/03 in UTC."""
    opens = datetime(2024, 3, 16, 0, 5, tzinfo=HCM)
    assessment = opened(world, document, opens_at=opens)

    attempt = take(attempt_of(world, assessment, "hoa"), [True], at=opens + 4 * MINUTE)

    assert attempt.submitted_at.astimezone(HCM).date() == date(2024, 3, 16)
    assert attempt.submitted_on == date(2024, 3, 16)


# -- submitting ----------------------------------------------------------------------------------
def test_it_counts_a_repeated_submission_once(world, document):
    assessment = opened(world, document, question_count=6)
    attempt = attempt_of(world, assessment, "ybhiong")
    take(attempt, [True, True, False, None, None, None], submit=False)

    first = services.attempt_submit(attempt=attempt, now=MOMENT + 3 * MINUTE)
    again = services.attempt_submit(attempt=attempt, now=MOMENT + 4 * MINUTE)
    stale = services.attempt_submit(
        attempt=Attempt.objects.select_related("assessment").get(pk=attempt.pk),
        now=MOMENT + 5 * MINUTE,
    )

    assert first.already is False
    assert again.already is True and stale.already is True
    for result in (first, again, stale):
        assert result.attempt.submitted_at == MOMENT + 3 * MINUTE
        assert (result.attempt.correct, result.attempt.score) == (2, 33.3)
    attempt.refresh_from_db()
    assert (attempt.submitted_at, attempt.correct, attempt.score, attempt.passed) == (
        MOMENT + 3 * MINUTE,
        2,
        33.3,
        False,
    )
    assert Answer.objects.filter(attempt=attempt).count() == 3
    assert selectors.live(assessment).submitted == 1


def test_it_refuses_a_late_submission_and_changes_nothing(world, document):
    assessment = opened(world, document, time_limit_minutes=10)
    attempt = attempt_of(world, assessment, "ybhiong")
    take(attempt, [True, True], submit=False)  # started at 08:00, deadline 08:10

    with pytest.raises(DomainError) as error:
        services.attempt_submit(
            attempt=attempt, now=MOMENT + 10 * MINUTE + services.GRACE + timedelta(seconds=1)
        )

    assert error.value.message == (
        "Đã hết thời gian làm bài lúc 08:10 15/03/2024; bài nộp muộn không được ghi nhận. "
        "Các câu đã lưu trước thời hạn vẫn được tính."
    )
    attempt.refresh_from_db()
    assert (attempt.submitted_at, attempt.correct, attempt.score, attempt.passed) == (
        None,
        None,
        None,
        None,
    )
    assert Answer.objects.filter(attempt=attempt).count() == 2


def test_it_accepts_a_submission_within_the_grace_period(world, document):
    assessment = opened(world, document, time_limit_minutes=10)
    attempt = attempt_of(world, assessment, "ybhiong")
    take(attempt, [True], submit=False)

    result = services.attempt_submit(attempt=attempt, now=MOMENT + 10 * MINUTE + services.GRACE)

    assert result.already is False
    assert result.attempt.correct == 1


def test_it_refuses_answers_after_submission(world, document):
    assessment = opened(world, document)
    attempt = take(attempt_of(world, assessment, "hoa"), [False])
    question_id = attempt.questions[0][0]

    with pytest.raises(DomainError) as error:
        services.answer_save(
            attempt=attempt,
            question_id=question_id,
            options=right_options(assessment, question_id),
            now=MOMENT + 2 * MINUTE,
        )

    assert error.value.message == (
        "Bài làm đã được nộp lúc 08:01 15/03/2024; không thay đổi được nữa."
    )
    assert Answer.objects.get(attempt=attempt).options == wrong_options(assessment, question_id)


def test_it_refuses_an_answer_that_arrives_as_the_submission_is_made(world, document):
    """The phone read its attempt before the submission and writes after it: the write
    itself checks the row, so the answer is refused, not kept and ignored."""
    assessment = opened(world, document)
    stale = attempt_of(world, assessment, "hoa")
    take(stale, [False], submit=False)
    services.attempt_submit(attempt=attempt_of(world, assessment, "hoa"), now=MOMENT + MINUTE)
    question_id = stale.questions[1][0]

    with pytest.raises(DomainError) as error:
        services.answer_save(
            attempt=stale,
            question_id=question_id,
            options=right_options(assessment, question_id),
            now=MOMENT + 2 * MINUTE,
        )

    assert error.value.message == (
        "Bài làm đã được nộp lúc 08:01 15/03/2024; không thay đổi được nữa."
    )
    assert Answer.objects.filter(attempt=stale).count() == 1


def test_it_refuses_an_answer_that_arrives_after_the_close_scored_the_attempt(world, document):
    assessment = opened(world, document)
    stale = attempt_of(world, assessment, "hoa")
    take(stale, [True], submit=False)
    services.assessment_close(assessment=assessment, now=MOMENT + 3 * MINUTE)
    question_id = stale.questions[1][0]

    with pytest.raises(DomainError):
        services.answer_save(
            attempt=stale,
            question_id=question_id,
            options=right_options(assessment, question_id),
            now=MOMENT + 4 * MINUTE,
        )

    closed = attempt_of(world, assessment, "hoa")
    assert (closed.correct, Answer.objects.filter(attempt=closed).count()) == (1, 1)


# -- closing -----------------------------------------------------------------------------------------
def test_it_scores_what_was_saved_in_time_when_it_closes(world, document):
    assessment = opened(world, document, question_count=6)
    take(attempt_of(world, assessment, "hoa"), [True, True, False], submit=False)
    take(attempt_of(world, assessment, "ybhiong"), [True] * 6)
    close_at = MOMENT + 30 * MINUTE

    pending = services.assessment_close(assessment=assessment, now=close_at)

    assert pending == 1
    hoa = attempt_of(world, assessment, "hoa")
    assert (hoa.submitted_at, hoa.correct, hoa.score) == (MOMENT + 15 * MINUTE, 2, 33.3)
    assert attempt_of(world, assessment, "ybhiong").score == 100.0
    binh = attempt_of(world, assessment, "binh")
    assert (binh.started_at, binh.submitted_at, binh.score) == (None, None, None)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.CLOSED
    assert assessment.closes_at == close_at


def test_it_refuses_everything_once_closed(world, document):
    assessment = opened(world, document)
    hoa = attempt_of(world, assessment, "hoa")
    take(hoa, [True], submit=False)
    services.assessment_close(assessment=assessment, now=MOMENT + 30 * MINUTE)
    hoa = attempt_of(world, assessment, "hoa")
    binh = attempt_of(world, assessment, "binh")
    question_id = binh.questions[0][0]
    closed = "Bài kiểm tra đã đóng lúc 08:30 15/03/2024."

    for write in (
        lambda: services.attempt_start(attempt=binh, now=MOMENT + 31 * MINUTE),
        lambda: services.answer_save(
            attempt=binh, question_id=question_id, options=[], now=MOMENT + 31 * MINUTE
        ),
        lambda: services.attempt_submit(attempt=binh, now=MOMENT + 31 * MINUTE),
    ):
        with pytest.raises(DomainError) as error:
            write()
        assert error.value.message == closed
    with pytest.raises(DomainError) as error:
        services.answer_save(
            attempt=hoa, question_id=hoa.questions[1][0], options=[], now=MOMENT + 31 * MINUTE
        )
    assert error.value.message.startswith("Bài làm đã được nộp lúc")
    with pytest.raises(DomainError) as error:
        services.assessment_close(assessment=assessment)
    assert error.value.message == services.NOT_OPEN
    binh.refresh_from_db()
    assert (binh.started_at, binh.submitted_at) == (None, None)
    assert Answer.objects.count() == 1


def test_it_never_dates_a_submission_after_the_close(world, document):
    assessment = opened(world, document, time_limit_minutes=15)
    take(attempt_of(world, assessment, "hoa"), [True], submit=False)  # deadline 08:15

    services.assessment_close(assessment=assessment, now=MOMENT + 5 * MINUTE)

    assert attempt_of(world, assessment, "hoa").submitted_at <= MOMENT + 5 * MINUTE


# -- the paper path ----------------------------------------------------------------------------------
def paper(assessment, attempt, pattern):
    """A sheet: {question id: options} for the member's questions, right or wrong."""
    return {
        q: right_options(assessment, q) if right else wrong_options(assessment, q)
        for (q, _), right in zip(attempt.questions, pattern, strict=False)
        if right is not None
    }


def test_it_counts_paper_sheets_like_answers_on_a_phone(world, document):
    assessment = opened(world, document, question_count=6)
    take(attempt_of(world, assessment, "hoa"), [True] * 6)
    binh, an = attempt_of(world, assessment, "binh"), attempt_of(world, assessment, "an")
    at = MOMENT + 40 * MINUTE

    done = services.paper_entry(
        assessment=assessment,
        answers={
            binh.member_id: paper(assessment, binh, [True] * 6),
            an.member_id: paper(assessment, an, [True, True, True, False, False]),
        },
        at=at,
        actor=world.users["hoa"],
    )

    assert done == 2
    binh, an = attempt_of(world, assessment, "binh"), attempt_of(world, assessment, "an")
    assert (binh.source, binh.submitted_at, binh.correct, binh.score, binh.passed) == (
        AttemptSource.PAPER,
        at,
        6,
        100.0,
        True,
    )
    assert (an.source, an.correct, an.score, an.passed) == (AttemptSource.PAPER, 3, 50.0, True)
    assert Answer.objects.filter(attempt=an).count() == 5
    live = selectors.live(assessment)
    assert (live.submitted, live.passed, live.mean) == (3, 3, 83.3)
    assert sum(i.answered for i in selectors.item_analysis(assessment)) == 18


def test_it_refuses_a_batch_of_sheets_with_a_bad_answer_and_enters_none(world, document):
    assessment = opened(world, document, question_count=6)
    binh, an = attempt_of(world, assessment, "binh"), attempt_of(world, assessment, "an")
    not_in_set = (
        Question.objects.filter(document=document)
        .exclude(pk__in=[q for q, _ in an.questions])
        .first()
        .pk
    )
    (first, _), (_, second_options) = an.questions[:2]

    for bad in ({not_in_set: right_options(assessment, not_in_set)}, {first: second_options}):
        with pytest.raises(DomainError) as error:
            services.paper_entry(
                assessment=assessment,
                answers={
                    binh.member_id: paper(assessment, binh, [True] * 6),
                    an.member_id: {**paper(assessment, an, [True]), **bad},
                },
                at=MOMENT + 40 * MINUTE,
            )
        assert error.value.message == services.BAD_OPTIONS

    assert not Answer.objects.exists()
    assert not Attempt.objects.exclude(submitted_at=None).exists()
    assert set(Attempt.objects.values_list("source", flat=True)) == {AttemptSource.WEB}


def test_it_keeps_a_submitted_result_when_a_sheet_comes_for_it(world, document):
    assessment = opened(world, document, question_count=6)
    web = take(attempt_of(world, assessment, "ybhiong"), [True, False])

    done = services.paper_entry(
        assessment=assessment,
        answers={web.member_id: paper(assessment, web, [True] * 6)},
        at=MOMENT + 40 * MINUTE,
    )

    assert done == 0
    after = attempt_of(world, assessment, "ybhiong")
    assert (after.source, after.correct, after.submitted_at) == (
        AttemptSource.WEB,
        1,
        web.submitted_at,
    )


# -- attempts taken elsewhere, in bulk (the demo's path) -------------------------------------
def test_attempts_in_bulk_are_checked_and_scored_as_one_submission(world, document):
    assessment = opened(world, document)
    hoa, an = attempt_of(world, assessment, "hoa"), attempt_of(world, assessment, "an")
    begun = MOMENT + MINUTE

    def sheet(attempt, right, at=begun + MINUTE):
        return [
            services.AnswerRow(
                q, right_options(assessment, q) if right else wrong_options(assessment, q), at
            )
            for q, _ in attempt.questions
        ]

    taken = services.TakenAttempt(hoa.pk, begun, begun + 10 * MINUTE, sheet(hoa, True))
    late = services.TakenAttempt(an.pk, begun, begun + 20 * MINUTE, sheet(an, False))
    with pytest.raises(DomainError) as refused:
        services.attempts_record(assessment=assessment, taken=[taken, late])
    assert str(refused.value) == services.LATE.format(at=services.local(begun + 15 * MINUTE))
    foreign = late._replace(submitted_at=begun + 5 * MINUTE, answers=sheet(hoa, True))
    with pytest.raises(DomainError) as refused:
        services.attempts_record(assessment=assessment, taken=[foreign])
    assert str(refused.value) in (services.NOT_IN_SET, services.BAD_OPTIONS)
    assert not Answer.objects.exists()
    on_time = late._replace(submitted_at=begun + 5 * MINUTE)
    assert services.attempts_record(assessment=assessment, taken=[taken, on_time]) == 2
    hoa.refresh_from_db()
    an.refresh_from_db()
    assert (hoa.correct, hoa.score, hoa.passed) == (6, 100.0, True)
    assert (an.correct, an.score, an.passed) == (0, 0.0, False)
    assert hoa.deadline == begun + 15 * MINUTE
    with pytest.raises(DomainError, match="Bài làm đã được nộp"):
        services.attempts_record(assessment=assessment, taken=[taken])
