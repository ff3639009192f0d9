"""Every write of the quick assessment: the question bank, opening an assessment (which
draws every member's question set at once), saving answers, submitting, paper entry."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from dangvu.accounts.models import User
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
from dangvu.core import rawsql
from dangvu.core.bulk import insert_rows, next_ids, update_rows
from dangvu.core.effective import active_on
from dangvu.core.errors import DomainError
from dangvu.documents.models import Document, Section
from dangvu.members.models import Membership
from dangvu.study.models import Attendance, StudySession
from dangvu.units.models import Unit

#: Answers arriving this long after the deadline still count (the network was slower).
GRACE = timedelta(seconds=20)

QUESTION_TEXT = "Nội dung câu hỏi không được để trống."
OPTIONS_COUNT = "Câu hỏi cần từ 2 đến 8 phương án trả lời."
ONE_CORRECT = "Câu hỏi chọn một đáp án phải có đúng một phương án đúng."
SOME_CORRECT = "Câu hỏi chọn nhiều đáp án phải có ít nhất một phương án đúng."
TRUE_FALSE = "Câu hỏi Đúng/Sai có đúng hai phương án: Đúng và Sai, một phương án đúng."
WRONG_SECTION = "Phần, mục không thuộc văn bản này."
TIMES = "Thời điểm đóng phải sau thời điểm mở."
COUNT = "Số câu hỏi mỗi người phải từ 1 đến 100."
PASS_MARK = "Điểm đạt phải từ 0 đến 100 (%)."
LIMIT = "Thời gian làm bài phải từ 1 đến 600 phút."
BANK_TOO_SMALL = "Ngân hàng câu hỏi của văn bản mới có {have} câu, cần ít nhất {need} câu."
NO_MEMBERS = "Không có đảng viên nào dự kiến tham gia bài kiểm tra này."
NOT_DRAFT = "Bài kiểm tra đã được mở; không mở lại được."
NOT_OPEN = "Bài kiểm tra chưa mở hoặc đã đóng."
NOT_YET = "Bài kiểm tra mở từ {at}."
CLOSED = "Bài kiểm tra đã đóng lúc {at}."
ALREADY_SUBMITTED = "Bài làm đã được nộp lúc {at}; không thay đổi được nữa."
TIME_UP = "Đã hết thời gian làm bài lúc {at}; câu trả lời này không được ghi nhận."
LATE = "Đã hết thời gian làm bài lúc {at}; bài nộp muộn không được ghi nhận. Các câu đã lưu trước thời hạn vẫn được tính."
NOT_IN_SET = "Câu hỏi không có trong bộ câu hỏi của bạn."
BAD_OPTIONS = "Phương án trả lời không hợp lệ cho câu hỏi này."
NOT_AN_ATTEMPT = "Bài làm #{id} không thuộc bài kiểm tra này."


def local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


# -- question bank ----------------------------------------------------------------------
def _check_options(kind: str, options: Sequence[tuple[str, bool]]) -> None:
    texts = [t.strip() for t, _ in options]
    if not 2 <= len(options) <= 8 or any(not t for t in texts):
        raise DomainError(OPTIONS_COUNT)
    correct = sum(1 for _, c in options if c)
    if kind == QuestionKind.TRUE_FALSE and (len(options) != 2 or correct != 1):
        raise DomainError(TRUE_FALSE)
    if kind == QuestionKind.SINGLE and correct != 1:
        raise DomainError(ONE_CORRECT)
    if kind == QuestionKind.MULTIPLE and correct < 1:
        raise DomainError(SOME_CORRECT)


@transaction.atomic
def question_save(
    *,
    document: Document,
    section: Section | None,
    kind: str,
    text: str,
    options: Sequence[tuple[str, bool]],
    question: Question | None = None,
    active: bool = True,
    actor: User | None = None,
) -> Question:
    """Create or replace a question of the bank with its options. An assessment already
    open keeps the question as it was frozen; an inactive question is not drawn again."""
    if not text.strip():
        raise DomainError(QUESTION_TEXT)
    if section is not None and section.document_id != document.pk:
        raise DomainError(WRONG_SECTION)
    _check_options(kind, options)
    question = question or Question(document=document, created_by=actor)
    if question.pk and question.document_id != document.pk:
        raise DomainError(WRONG_SECTION)
    question.section, question.kind, question.text = section, kind, text.strip()
    question.active = active
    question.save()
    question.options.all().delete()
    Option.objects.bulk_create(
        [
            Option(question=question, order=i, text=t.strip(), correct=c)
            for i, (t, c) in enumerate(options)
        ]
    )
    return question


class ImportRefused(DomainError):
    """A question file with problems: nothing was imported; `problems` lists every one."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            f"Tệp có {len(problems)} lỗi; chưa câu hỏi nào được nhập. Sửa các ô dưới đây rồi nhập lại."
        )
        self.problems = problems


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def questions_import(*, document: Document, raw: bytes, actor: User | None = None) -> ImportResult:
    """Import questions from the XLSX template, all or nothing. A question whose text is
    already in the bank (ignoring case, diacritics and spacing) is updated, not doubled."""
    from dangvu.assessments import xlsx
    from dangvu.lib.vietnamese import fold

    parsed, problems = xlsx.parse(raw, document)
    if problems:
        raise ImportRefused(problems)
    existing = {
        fold(q.text).strip(): q
        for q in Question.objects.filter(document=document).prefetch_related("options")
    }
    seen: dict[str, int] = {}
    created = updated = unchanged = 0
    for item in parsed:
        key = fold(item.text).strip()
        if key in seen:
            problems.append(f"Dòng {item.row}, cột Câu hỏi: trùng câu hỏi ở dòng {seen[key]}.")
            continue
        seen[key] = item.row
        current = existing.get(key)
        if current is not None and (
            current.kind == item.kind
            and current.section_id == (item.section.pk if item.section else None)
            and current.active
            and [(o.text, o.correct) for o in current.options.all()] == item.options
        ):
            unchanged += 1
            continue
        try:
            question_save(
                document=document,
                section=item.section,
                kind=item.kind,
                text=item.text,
                options=item.options,
                question=current,
                actor=actor,
            )
        except DomainError as error:
            problems.append(f"Dòng {item.row}: {error.message}")
            continue
        if current is None:
            created += 1
        else:
            updated += 1
    if problems:
        raise ImportRefused(problems)  # the transaction rolls back what was saved above
    return ImportResult(created, updated, unchanged)


# -- assessments -------------------------------------------------------------------------
@dataclass(frozen=True)
class AssessmentSpec:
    title: str
    document: Document
    unit: Unit
    opens_at: datetime
    closes_at: datetime
    session: StudySession | None = None
    question_count: int = 10
    time_limit_minutes: int = 15
    pass_mark: int = 50
    show_score: bool = True
    show_answers: bool = False


def _check_spec(spec: AssessmentSpec) -> None:
    if spec.closes_at <= spec.opens_at:
        raise DomainError(TIMES)
    if not 1 <= spec.question_count <= 100:
        raise DomainError(COUNT)
    if not 0 <= spec.pass_mark <= 100:
        raise DomainError(PASS_MARK)
    if not 1 <= spec.time_limit_minutes <= 600:
        raise DomainError(LIMIT)


@transaction.atomic
def assessment_save(
    *, spec: AssessmentSpec, assessment: Assessment | None = None, actor: User | None = None
) -> Assessment:
    """Create an assessment (or edit one still being prepared)."""
    _check_spec(spec)
    if assessment is not None and assessment.status != AssessmentStatus.DRAFT:
        raise DomainError(NOT_DRAFT)
    assessment = assessment or Assessment(created_by=actor)
    for name in (
        "title",
        "document",
        "unit",
        "opens_at",
        "closes_at",
        "session",
        "question_count",
        "time_limit_minutes",
        "pass_mark",
        "show_score",
        "show_answers",
    ):
        setattr(assessment, name, getattr(spec, name))
    while True:
        try:
            with transaction.atomic():
                assessment.save()
            return assessment
        except IntegrityError:  # the random join code was taken: draw another
            from dangvu.assessments.models import new_code

            assessment.code = new_code()


def expected_members(assessment: Assessment) -> list[int]:
    """Members expected to take it: those expected at the session, else the members of
    the organising unit's subtree on the day it opens."""
    if assessment.session_id:
        return sorted(
            Attendance.objects.filter(session_id=assessment.session_id).values_list(
                "member_id", flat=True
            )
        )
    day = timezone.localtime(assessment.opens_at).date()
    version = assessment.unit.version_on(day)
    if version is None:
        return []
    return sorted(
        Membership.objects.filter(
            active_on(day),
            active_on(day, "unit__versions__"),
            unit__versions__path__startswith=version.path,
        )
        .values_list("member_id", flat=True)
        .distinct()
    )


def draw(
    bank: dict[int | None, list[tuple[int, list[int]]]], count: int, rng: random.Random
) -> list[list]:
    """A personal question set: `count` questions spread evenly over the sections (round
    robin over shuffled pools), questions and options in a random order."""
    pools = {section: rng.sample(items, len(items)) for section, items in bank.items()}
    order = rng.sample(sorted(pools, key=lambda s: (s is None, s or 0)), len(pools))
    chosen: list[tuple[int, list[int]]] = []
    while len(chosen) < count and any(pools.values()):
        for section in order:
            if pools[section] and len(chosen) < count:
                chosen.append(pools[section].pop())
    rng.shuffle(chosen)
    return [[question_id, rng.sample(options, len(options))] for question_id, options in chosen]


def _bank(document: Document) -> dict[int | None, list[tuple[int, list[int]]]]:
    bank: dict[int | None, list[tuple[int, list[int]]]] = {}
    options: dict[int, list[int]] = {}
    for question_id, option_id in Option.objects.filter(
        question__document=document, question__active=True
    ).values_list("question_id", "pk"):
        options.setdefault(question_id, []).append(option_id)
    for question_id, section_id in Question.objects.filter(
        document=document, active=True
    ).values_list("pk", "section_id"):
        bank.setdefault(section_id, []).append((question_id, options.get(question_id, [])))
    return bank


@transaction.atomic
def assessment_open(
    *, assessment: Assessment, actor: User | None = None, seed: int | None = None
) -> int:
    """Open the assessment: every expected member's question set is drawn now, in one
    bulk write, so thousands starting at the same second only read their own row."""
    given = assessment
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != AssessmentStatus.DRAFT:
        raise DomainError(NOT_DRAFT)
    bank = _bank(assessment.document)
    have = sum(len(items) for items in bank.values())
    if have < assessment.question_count:
        raise DomainError(BANK_TOO_SMALL.format(have=have, need=assessment.question_count))
    members = expected_members(assessment)
    if not members:
        raise DomainError(NO_MEMBERS)
    assessment.snapshot = _snapshot(assessment.document)
    rng = random.Random(seed if seed is not None else random.SystemRandom().random())
    from dangvu.assessments.models import new_token

    ids = next_ids(Attempt, len(members))
    insert_rows(
        Attempt,
        ["id", "assessment", "member", "token", "questions", "source"],
        (
            (
                attempt_id,
                assessment.pk,
                member_id,
                new_token(),
                draw(bank, assessment.question_count, rng),
                AttemptSource.WEB,
            )
            for attempt_id, member_id in zip(ids, members, strict=True)
        ),
    )
    assessment.status = AssessmentStatus.OPEN
    assessment.save(update_fields=["status", "snapshot"])
    given.status, given.snapshot = assessment.status, assessment.snapshot
    return len(members)


def _snapshot(document: Document) -> dict[str, dict[str, object]]:
    options: dict[int, list[Option]] = {}
    for option in Option.objects.filter(question__document=document).order_by(
        "question_id", "order"
    ):
        options.setdefault(option.question_id, []).append(option)
    return {
        str(q.pk): {
            "kind": q.kind,
            "text": q.text,
            "section": q.section.title if q.section else "",
            "options": {str(o.pk): o.text for o in options.get(q.pk, [])},
            "correct": [o.pk for o in options.get(q.pk, []) if o.correct],
        }
        for q in Question.objects.filter(document=document, active=True).select_related("section")
    }


@transaction.atomic
def assessment_close(
    *, assessment: Assessment, now: datetime | None = None, actor: User | None = None
) -> int:
    """Close it: attempts begun but not submitted are marked with what was saved in time."""
    now = now or timezone.now()
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != AssessmentStatus.OPEN:
        raise DomainError(NOT_OPEN)
    pending = list(
        Attempt.objects.filter(assessment=assessment, submitted_at=None).exclude(started_at=None)
    )
    for attempt in pending:  # dated when time ran out, or now if that is earlier
        _score(attempt, assessment, min(attempt.deadline or now, now))
    assessment.status = AssessmentStatus.CLOSED
    assessment.closes_at = min(assessment.closes_at, now)
    assessment.save(update_fields=["status", "closes_at"])
    return len(pending)


# -- taking it ----------------------------------------------------------------------------
def check_open(assessment: Assessment, now: datetime | None = None) -> None:
    """DomainError unless the assessment takes answers now (what the start page says)."""
    _check_open(assessment, now or timezone.now())


def _check_open(assessment: Assessment, now: datetime) -> None:
    if assessment.status == AssessmentStatus.DRAFT or now < assessment.opens_at:
        raise DomainError(NOT_YET.format(at=local(assessment.opens_at)))
    if assessment.status == AssessmentStatus.CLOSED or now >= assessment.closes_at + GRACE:
        raise DomainError(CLOSED.format(at=local(assessment.closes_at)))


def attempt_start(*, attempt: Attempt, now: datetime | None = None) -> Attempt:
    """The member starts: the clock starts (once). Called only on the member's explicit
    act (a POST: pressing start, joining by code, saving an answer, submitting), never on
    reading the link or the attempt (a GET, which a link-preview bot makes too)."""
    now = now or timezone.now()
    assessment = attempt.assessment
    if attempt.submitted_at is not None:
        return attempt
    _check_open(assessment, now)
    if attempt.started_at is None:
        deadline = deadline_of(assessment, now)
        with rawsql.cursor() as cursor:  # only the first call starts the clock
            cursor.execute(
                f"UPDATE {rawsql.table(Attempt)} SET {rawsql.column(Attempt, 'started_at')} = %s, "
                f"{rawsql.column(Attempt, 'deadline')} = %s WHERE id = %s "
                f"AND {rawsql.column(Attempt, 'started_at')} IS NULL",
                [
                    rawsql.prep(Attempt, "started_at", now),
                    rawsql.prep(Attempt, "deadline", deadline),
                    attempt.pk,
                ],
            )
            updated = cursor.rowcount
        if updated:
            attempt.started_at, attempt.deadline = now, deadline
        else:
            attempt.refresh_from_db(fields=["started_at", "deadline"])
    return attempt


def check_answer(
    shown: Mapping[int, Sequence[int]], question_id: int, options: Sequence[int]
) -> list[int]:
    """The options chosen, sorted, if the question is in the member's set (`shown`:
    question id -> its options as shown) and the options are among its own."""
    if question_id not in shown:
        raise DomainError(NOT_IN_SET)
    chosen = sorted(set(options))
    if not set(chosen) <= set(shown[question_id]):
        raise DomainError(BAD_OPTIONS)
    return chosen


def deadline_of(assessment: Assessment, started_at: datetime) -> datetime:
    """When an attempt begun at `started_at` runs out of time."""
    return min(started_at + timedelta(minutes=assessment.time_limit_minutes), assessment.closes_at)


def answer_save(
    *, attempt: Attempt, question_id: int, options: Sequence[int], now: datetime | None = None
) -> Answer:
    """Keep the options chosen for a question (again and again: the last choice counts).

    One statement writes it, and only while the attempt is begun, not submitted and in
    time: an INSERT ... SELECT from the attempt's row (read FOR SHARE on PostgreSQL, which
    a submission's FOR UPDATE excludes; SQLite writes one at a time), upserting on
    (attempt, question). An answer acknowledged is therefore counted by the submission
    or refused after it, never kept and ignored."""
    now = now or timezone.now()
    chosen = check_answer(dict((q, o) for q, o in attempt.questions), question_id, options)
    if attempt.submitted_at is not None:
        raise DomainError(ALREADY_SUBMITTED.format(at=local(attempt.submitted_at)))
    if attempt.started_at is None:
        attempt = attempt_start(attempt=attempt, now=now)
    elif attempt.assessment.status == AssessmentStatus.CLOSED:
        raise DomainError(CLOSED.format(at=local(attempt.assessment.closes_at)))
    if attempt.deadline is not None and now > attempt.deadline + GRACE:
        raise DomainError(TIME_UP.format(at=local(attempt.deadline)))
    if not _upsert_answer(attempt, question_id, chosen, now):
        # Submitted or closed in the meantime: say which, from the row as it is now.
        attempt.refresh_from_db(fields=["submitted_at", "deadline"])
        if attempt.submitted_at is not None:
            raise DomainError(ALREADY_SUBMITTED.format(at=local(attempt.submitted_at)))
        raise DomainError(TIME_UP.format(at=local(attempt.deadline or now)))
    return Answer(attempt=attempt, question_id=question_id, options=chosen, answered_at=now)


def _upsert_answer(attempt: Attempt, question_id: int, chosen: list[int], now: datetime) -> bool:
    q, t = connection.ops.quote_name, rawsql.table
    attempt_col, question_col = rawsql.column(Answer, "attempt"), rawsql.column(Answer, "question")
    started, deadline = rawsql.column(Attempt, "started_at"), rawsql.column(Attempt, "deadline")
    submitted = rawsql.column(Attempt, "submitted_at")
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    with rawsql.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {t(Answer)} ({attempt_col}, {question_col}, {q('options')}, "
            f"{q('answered_at')}) SELECT id, %s, %s, %s FROM {t(Attempt)} WHERE id = %s "
            f"AND {started} IS NOT NULL AND {submitted} IS NULL "
            f"AND ({deadline} IS NULL OR {deadline} >= %s){lock} "
            f"ON CONFLICT ({attempt_col}, {question_col}) DO UPDATE SET "
            f"{q('options')} = excluded.{q('options')}, "
            f"{q('answered_at')} = excluded.{q('answered_at')}",
            [
                question_id,
                rawsql.prep(Answer, "options", chosen),
                rawsql.prep(Answer, "answered_at", now),
                attempt.pk,
                rawsql.prep(Attempt, "deadline", now - GRACE),
            ],
        )
        return cursor.rowcount == 1


def correct_of(assessment: Assessment) -> dict[int, set[int]]:
    """The right options of each question of an open (frozen) assessment."""
    from dangvu.assessments.selectors import frozen

    return {q: set(v[4]) for q, v in frozen(assessment).items()}


class Result(NamedTuple):
    correct: int
    score: float
    passed: bool


def result_of(
    attempt: Attempt,
    chosen: Mapping[int, Sequence[int]],
    correct: Mapping[int, set[int]],
    assessment: Assessment,
) -> Result:
    """An attempt's result from the options chosen per question."""
    question_ids = [q for q, _ in attempt.questions]
    right = sum(1 for q in question_ids if q in chosen and set(chosen[q]) == correct[q])
    score = round(100.0 * right / (len(question_ids) or 1), 1)
    return Result(right, score, score >= assessment.pass_mark)


def _score(attempt: Attempt, assessment: Assessment, at: datetime) -> Attempt:
    """Score a locked, unsubmitted attempt from its saved answers, once."""
    from dangvu.assessments.selectors import chosen_options

    result = result_of(attempt, chosen_options(attempt), correct_of(assessment), assessment)
    attempt.submitted_at = at
    attempt.submitted_on = timezone.localdate(at)
    attempt.correct, attempt.score, attempt.passed = result
    names = ("submitted_at", "submitted_on", "correct", "score", "passed")
    with rawsql.cursor() as cursor:
        cursor.execute(
            f"UPDATE {rawsql.table(Attempt)} SET "
            + ", ".join(f"{rawsql.column(Attempt, n)} = %s" for n in names)
            + " WHERE id = %s",
            [rawsql.prep(Attempt, n, getattr(attempt, n)) for n in names] + [attempt.pk],
        )
    attempt.assessment = assessment
    return attempt


@dataclass
class Submission:
    attempt: Attempt
    already: bool  # a duplicate: nothing changed


def attempt_submit(*, attempt: Attempt, now: datetime | None = None) -> Submission:
    """Submit (idempotent): the first submission scores the attempt; a repeated one
    changes nothing; a late one is refused and changes nothing."""
    now = now or timezone.now()
    if attempt.submitted_at is not None:
        return Submission(attempt, already=True)
    if attempt.started_at is None:
        attempt = attempt_start(attempt=attempt, now=now)
    if attempt.deadline is not None and now > attempt.deadline + GRACE:
        raise DomainError(LATE.format(at=local(attempt.deadline)))
    lock = " FOR UPDATE" if connection.vendor == "postgresql" else ""  # SQLite: IMMEDIATE
    with transaction.atomic():
        with rawsql.cursor() as cursor:
            cursor.execute(
                f"SELECT {rawsql.column(Attempt, 'submitted_at')} FROM {rawsql.table(Attempt)} "
                f"WHERE id = %s{lock}",
                [attempt.pk],
            )
            (submitted_at,) = cursor.fetchone()
        if submitted_at is not None:
            attempt.refresh_from_db(
                fields=["submitted_at", "submitted_on", "correct", "score", "passed"]
            )
            return Submission(attempt, already=True)
        return Submission(_score(attempt, attempt.assessment, now), already=False)


@transaction.atomic
def attempt_submit_form(
    *, attempt: Attempt, answers: Mapping[int, Sequence[int]], now: datetime | None = None
) -> Submission:
    """The form without the script: every answer shown saved, then the submission; a
    refused submission keeps nothing of the form. Too late: the submission itself says so
    (its message is about the submission), and none of the answers is written."""
    now = now or timezone.now()
    late = attempt.deadline is not None and now > attempt.deadline + GRACE
    if attempt.submitted_at is None and not late:
        for question_id, chosen in answers.items():
            if chosen:
                answer_save(attempt=attempt, question_id=question_id, options=chosen)
    return attempt_submit(attempt=attempt)


@transaction.atomic
def paper_entry(
    *,
    assessment: Assessment,
    answers: dict[int, dict[int, list[int]]],
    at: datetime | None = None,
    actor: User | None = None,
) -> int:
    """Staff enter the answer sheets of members who took it on paper: {member id:
    {question id: [option ids]}}. Their results count like any other."""
    at = at or timezone.now()
    attempts = {
        a.member_id: a for a in Attempt.objects.filter(assessment=assessment, member_id__in=answers)
    }
    done = 0
    for member_id, chosen in answers.items():
        attempt = attempts.get(member_id)
        if attempt is None or attempt.submitted_at is not None:
            continue
        shown = dict((q, o) for q, o in attempt.questions)
        for question_id, options in chosen.items():
            if question_id not in shown or not set(options) <= set(shown[question_id]):
                raise DomainError(BAD_OPTIONS)
            Answer.objects.update_or_create(
                attempt=attempt,
                question_id=question_id,
                defaults={"options": sorted(set(options)), "answered_at": at},
            )
        Attempt.objects.filter(pk=attempt.pk).update(
            source=AttemptSource.PAPER, started_at=at, deadline=at
        )
        attempt.refresh_from_db()
        _score(attempt, assessment, at)
        done += 1
    return done


# -- in bulk (the demo; answer sheets from elsewhere) -------------------------------------
class AnswerRow(NamedTuple):
    question_id: int
    options: Sequence[int]
    answered_at: datetime


class TakenAttempt(NamedTuple):
    """An attempt taken and submitted, for `attempts_record`: when it began, its answers,
    when it was submitted and how (on the web, or on paper)."""

    attempt_id: int
    started_at: datetime
    submitted_at: datetime
    answers: Sequence[AnswerRow]
    source: str = AttemptSource.WEB


def _check_taken(assessment: Assessment, attempt: Attempt | None, taken: TakenAttempt) -> datetime:
    """The rules of `attempt_start`, `answer_save` and `attempt_submit` for an attempt
    taken in full; its deadline."""
    if attempt is None:
        raise DomainError(NOT_AN_ATTEMPT.format(id=taken.attempt_id))
    if attempt.submitted_at is not None:
        raise DomainError(ALREADY_SUBMITTED.format(at=local(attempt.submitted_at)))
    _check_open(assessment, taken.started_at)
    deadline = deadline_of(assessment, taken.started_at)
    shown = dict((q, o) for q, o in attempt.questions)
    for answer in taken.answers:
        check_answer(shown, answer.question_id, answer.options)
        if answer.answered_at > deadline + GRACE:
            raise DomainError(TIME_UP.format(at=local(deadline)))
    if taken.submitted_at > deadline + GRACE:
        raise DomainError(LATE.format(at=local(deadline)))
    return deadline


@transaction.atomic
def attempts_record(*, assessment: Assessment, taken: Sequence[TakenAttempt]) -> int:
    """Record many attempts taken and submitted in full (answer sheets kept elsewhere),
    by the rules of answering one question at a time, and score them as a submission
    does; all or nothing. The number recorded."""
    attempts = Attempt.objects.filter(assessment=assessment, pk__in=[t.attempt_id for t in taken])
    by_id = {a.pk: a for a in attempts}
    correct = correct_of(assessment)
    answers, updates = [], []
    for t in taken:
        attempt = by_id.get(t.attempt_id)
        deadline = _check_taken(assessment, attempt, t)
        assert attempt is not None
        chosen = {a.question_id: sorted(set(a.options)) for a in t.answers}
        answers += [
            (t.attempt_id, a.question_id, chosen[a.question_id], a.answered_at) for a in t.answers
        ]
        result = result_of(attempt, chosen, correct, assessment)
        on = timezone.localdate(t.submitted_at)
        updates.append(
            (t.attempt_id, t.started_at, deadline, t.submitted_at, on, *result, t.source)
        )
    insert_rows(Answer, ["attempt", "question", "options", "answered_at"], answers)
    fields = ["started_at", "deadline", "submitted_at", "submitted_on", "correct", "score"]
    update_rows(Attempt, [*fields, "passed", "source"], updates)
    return len(updates)
