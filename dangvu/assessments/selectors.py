"""Reads of the quick assessment: the live view, results, item analysis."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.assessments.models import Answer, Assessment, Attempt, Question
from dangvu.core import rawsql
from dangvu.core.effective import active_on
from dangvu.core.errors import DomainError
from dangvu.documents.models import Document, Section
from dangvu.members.models import Member, Membership
from dangvu.study.models import StudySession
from dangvu.units.models import Unit, UnitVersion


def assessments_visible(
    *, user: User, cap: Capability = Capability.VIEW_REPORTS
) -> QuerySet[Assessment]:
    """Assessments the user may read: organised in a unit reached at some time."""
    return Assessment.objects.filter(unit__in=scope_for(user).units(cap)).select_related(
        "document", "unit"
    )


def assessment_or_404(
    *, user: User, assessment_id: int, cap: Capability = Capability.VIEW_REPORTS
) -> Assessment:
    found = assessments_visible(user=user, cap=cap).filter(pk=assessment_id).first()
    if found is None:
        raise Http404("Không tìm thấy bài kiểm tra.")
    return found


def assessments_writable(*, user: User) -> QuerySet[Assessment]:
    """Assessments the user runs: organised in a unit reached by a study role in force
    today (`Scope.writable_units`). Running one means opening and closing it, handing out
    its personal links and paper sheets, entering those sheets: a role that has ended does
    none of it, even over the history it may still read."""
    return Assessment.objects.filter(
        unit__in=scope_for(user).writable_units(Capability.RUN_STUDY)
    ).select_related("document", "unit")


def assessment_for_writing(*, user: User, assessment_id: int) -> Assessment:
    """The assessment the user is about to run or change, or 404 (never 403)."""
    found = assessments_writable(user=user).filter(pk=assessment_id).first()
    if found is None:
        raise Http404("Không tìm thấy bài kiểm tra.")
    return found


def runs(*, user: User, assessment: Assessment) -> bool:
    """Whether `assessment_for_writing` would let the user through (to show the buttons)."""
    return assessments_writable(user=user).filter(pk=assessment.pk).exists()


def sees_persons(*, user: User, assessment: Assessment) -> bool:
    """Whether the reader sees who took it (names, card numbers, each member's score), or
    only figures: member records are open through VIEW_MEMBERS over the organising unit.
    The Fatherland Front reads reports of the whole tree, never member records."""
    return scope_for(user).units(Capability.VIEW_MEMBERS).filter(pk=assessment.unit_id).exists()


@dataclass(frozen=True)
class ShownOption:
    id: int
    letter: str
    text: str


@dataclass(frozen=True)
class ShownQuestion:
    id: int
    number: int
    kind: str
    text: str
    section: str
    options: tuple[ShownOption, ...]


@lru_cache(maxsize=32)
def _frozen(
    assessment_id: int, code: str
) -> dict[int, tuple[str, str, str, dict[int, str], frozenset[int]]]:
    """An open assessment's frozen questions, kept in the process: a hall of members
    reads them all at once and they never change once it is open. The (random, unique)
    join code is part of the key, so a reused id never meets a stale entry."""
    snapshot = Assessment.objects.values_list("snapshot", flat=True).get(pk=assessment_id)
    return {
        int(q): (
            v["kind"],
            v["text"],
            v["section"],
            {int(o): t for o, t in v["options"].items()},
            frozenset(v["correct"]),
        )
        for q, v in snapshot.items()
    }


def frozen(
    assessment: Assessment,
) -> dict[int, tuple[str, str, str, dict[int, str], frozenset[int]]]:
    if assessment.status == "draft":  # not frozen yet: never cache (it changes on opening)
        return _frozen.__wrapped__(assessment.pk, assessment.code)
    return _frozen(assessment.pk, assessment.code)


def question_set(attempt: Attempt) -> list[ShownQuestion]:
    """The member's own questions, in their order, options in their order, lettered A, B..."""
    texts = frozen(attempt.assessment)
    shown = []
    for number, (question_id, option_ids) in enumerate(attempt.questions, start=1):
        kind, text, section, options, _ = texts[question_id]
        shown.append(
            ShownQuestion(
                question_id,
                number,
                kind,
                text,
                section,
                tuple(ShownOption(o, chr(65 + i), options[o]) for i, o in enumerate(option_ids)),
            )
        )
    return shown


# -- the token API's reads: hand-written SQL (see dangvu.core.rawsql) ------------------------
_BY_TOKEN = rawsql.Columns(
    (Attempt, "t", [f.attname for f in Attempt._meta.concrete_fields]),
    (
        Assessment,
        "a",
        [f.attname for f in Assessment._meta.concrete_fields if f.name != "snapshot"],
    ),
)
# What saving an answer needs to know, and no more (it is the call made most often).
_FOR_ANSWER = rawsql.Columns(
    (Attempt, "t", ["id", "assessment_id", "questions", "started_at", "deadline", "submitted_at"]),
    (Assessment, "a", ["id", "status", "opens_at", "closes_at", "time_limit_minutes", "code"]),
)
_CHOSEN = rawsql.Columns((Answer, "x", ["question_id", "options"]))


def attempt_by_token(token: str, *, to_answer: bool = False) -> Attempt | None:
    """The attempt a token addresses, with its assessment (less the snapshot, which
    `frozen` keeps per process): one indexed read. `to_answer` reads only what saving an
    answer needs (the rest is deferred)."""
    return _attempt_where(
        f"t.{rawsql.column(Attempt, 'token')} = %s",
        [token],
        _FOR_ANSWER if to_answer else _BY_TOKEN,
    )


def attempt_by_code(*, code: str, member_id: int) -> Attempt | None:
    """The member's attempt in the assessment with that join code (if expected), read
    like `attempt_by_token`."""
    # Through the (assessment, member) unique index: a member has an attempt in every
    # assessment they were expected at, over the years.
    return _attempt_where(
        f"t.{rawsql.column(Attempt, 'assessment')} = (SELECT id FROM {rawsql.table(Assessment)} "
        f"WHERE {rawsql.column(Assessment, 'code')} = %s) "
        f"AND t.{rawsql.column(Attempt, 'member')} = %s",
        [code, member_id],
        _BY_TOKEN,
    )


def _attempt_where(where: str, params: list[Any], columns: rawsql.Columns) -> Attempt | None:
    with rawsql.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns.sql()} FROM {rawsql.table(Attempt)} t "
            f"JOIN {rawsql.table(Assessment)} a ON a.id = t.{rawsql.column(Attempt, 'assessment')} "
            f"WHERE {where}",
            params,
        )
        row = cursor.fetchone()
    if row is None:
        return None
    attempt, assessment = columns.instances(row)
    assert isinstance(attempt, Attempt) and isinstance(assessment, Assessment)
    attempt.assessment = assessment
    return attempt


def attempts_of(assessment: Assessment, *, by_card: bool = False) -> QuerySet[Attempt]:
    """Every member's attempt with the member, in name order (or card-number order)."""
    return (
        Attempt.objects.filter(assessment=assessment)
        .select_related("member")
        .order_by("member__card_number" if by_card else "member__name_sort")
    )


def token_for(*, code: str, member_id: int) -> str | None:
    """The member's attempt token in the assessment with that join code, if expected."""
    with rawsql.cursor() as cursor:
        cursor.execute(
            f"SELECT t.{rawsql.column(Attempt, 'token')} FROM {rawsql.table(Attempt)} t "
            f"WHERE t.{rawsql.column(Attempt, 'assessment')} = (SELECT id FROM "
            f"{rawsql.table(Assessment)} WHERE {rawsql.column(Assessment, 'code')} = %s) "
            f"AND t.{rawsql.column(Attempt, 'member')} = %s",
            [code, member_id],
        )
        row = cursor.fetchone()
    return None if row is None else str(row[0])


def chosen_options(attempt: Attempt) -> dict[int, list[int]]:
    """The options saved so far, by question."""
    with rawsql.cursor() as cursor:
        cursor.execute(
            f"SELECT {_CHOSEN.sql()} FROM {rawsql.table(Answer)} x "
            f"WHERE x.{rawsql.column(Answer, 'attempt')} = %s",
            [attempt.pk],
        )
        rows = cursor.fetchall()
    return {int(q): options for q, options in (_CHOSEN.values(row) for row in rows)}


def correct_options(attempt: Attempt) -> dict[int, set[int]]:
    return {q: set(v[4]) for q, v in frozen(attempt.assessment).items()}


@dataclass
class Live:
    expected: int
    joined: int
    submitted: int
    mean: float | None
    passed: int
    distribution: list[int]  # counts of scores in [0,10), [10,20), ..., [90,100]
    questions: list[dict[str, Any]] = field(default_factory=list)


def live(assessment: Assessment) -> Live:
    """What the presenter's screen shows, refreshed every two seconds: three queries."""
    counts = Attempt.objects.filter(assessment=assessment).aggregate(
        expected=Count("pk"),
        joined=Count("pk", filter=Q(started_at__isnull=False)),
        submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
        passed=Count("pk", filter=Q(passed=True)),
        mean=Avg("score"),
    )
    distribution = [0] * 10
    for score in (
        Attempt.objects.filter(assessment=assessment)
        .exclude(score=None)
        .values_list("score", flat=True)
    ):
        distribution[min(9, int((score or 0) // 10))] += 1
    items = item_analysis(assessment)
    return Live(
        counts["expected"],
        counts["joined"],
        counts["submitted"],
        round(counts["mean"], 1) if counts["mean"] is not None else None,
        counts["passed"],
        distribution,
        [vars(i) for i in items],
    )


@dataclass
class Item:
    question_id: int
    text: str
    section: str
    answered: int
    facility: float | None  # % who got it right
    discrimination: float | None  # correlation of the item with the rest of the test


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 3:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return round(sxy / math.sqrt(sxx * syy), 2)


def item_analysis(assessment: Assessment) -> list[Item]:
    """Per question, over submitted attempts: the facility index (share right) and the
    discrimination index as Moodle computes it — the correlation between the score on the
    item and the score on the rest of the test."""
    attempts = list(
        Attempt.objects.filter(assessment=assessment)
        .exclude(submitted_at=None)
        .values_list("pk", "questions", "correct")
    )
    if not attempts:
        return []
    texts = frozen(assessment)
    right_options = {q: set(v[4]) for q, v in texts.items()}
    chosen: dict[tuple[int, int], list[int]] = {
        (a, q): o
        for a, q, o in Answer.objects.filter(
            attempt__assessment=assessment, attempt__submitted_at__isnull=False
        ).values_list("attempt_id", "question_id", "options")
    }
    scores: dict[int, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    for attempt_id, questions, correct in attempts:
        total = len(questions)
        for question_id, _ in questions:
            item = (
                1.0
                if set(chosen.get((attempt_id, question_id), [])) == right_options[question_id]
                else 0.0
            )
            rest = ((correct or 0) - item) / (total - 1) if total > 1 else 0.0
            scores[question_id][0].append(item)
            scores[question_id][1].append(rest)
    items = []
    for question_id, (item_scores, rest_scores) in scores.items():
        _, text, section, _, _ = texts[question_id]
        items.append(
            Item(
                question_id,
                text,
                section,
                len(item_scores),
                round(100.0 * sum(item_scores) / len(item_scores), 1),
                _pearson(item_scores, rest_scores),
            )
        )
    return sorted(items, key=lambda i: (i.section, i.facility if i.facility is not None else 0))


def sections_understood(items: list[Item]) -> list[tuple[str, float, int]]:
    """Per section of the document: mean facility weighted by answers, least understood first."""
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for item in items:
        if item.facility is None:
            continue
        totals[item.section][0] += item.facility * item.answered
        totals[item.section][1] += item.answered
    rows = [
        (section or "(không gắn phần)", round(s / n, 1), int(n))
        for section, (s, n) in totals.items()
        if n
    ]
    return sorted(rows, key=lambda r: r[1])


@dataclass
class CellResult:
    name: str
    expected: int
    submitted: int
    mean: float | None
    pass_rate: float | None


def results_by_cell(assessment: Assessment) -> list[CellResult]:
    """Participation against expected members, mean score and pass rate, per cell."""
    day = timezone.localtime(assessment.opens_at).date()
    cell_of = dict(
        Membership.objects.filter(
            active_on(day), member__attempts__assessment=assessment
        ).values_list("member_id", "unit_id")
    )
    names = dict(
        UnitVersion.objects.as_of(day)
        .filter(unit_id__in=set(cell_of.values()))
        .values_list("unit_id", "name")
    )
    groups: dict[int | None, list[tuple[float | None, bool | None]]] = defaultdict(list)
    for member_id, score, passed in Attempt.objects.filter(assessment=assessment).values_list(
        "member_id", "score", "passed"
    ):
        groups[cell_of.get(member_id)].append((score, passed))
    rows = []
    for cell_id, values in groups.items():
        done = [(s, p) for s, p in values if s is not None]
        rows.append(
            CellResult(
                names.get(cell_id, "(không rõ chi bộ)") if cell_id else "(không rõ chi bộ)",
                len(values),
                len(done),
                round(sum(s for s, _ in done) / len(done), 1) if done else None,
                round(100.0 * sum(1 for _, p in done if p) / len(done), 1) if done else None,
            )
        )
    from dangvu.lib.vietnamese import collation_key

    return sorted(rows, key=lambda r: collation_key(r.name))


def member_attempts(*, user: User) -> QuerySet[Attempt]:
    """The member's own attempts (for their page)."""
    if user.member_id is None:
        return Attempt.objects.none()
    return (
        Attempt.objects.filter(member_id=user.member_id)
        .select_related("assessment")
        .order_by("-assessment__opens_at")
    )


def member_results(member: Member) -> list[Attempt]:
    """A member's quick-assessment results (submitted attempts), newest first: shown on
    the member's page, and as evidence when the annual rating is decided."""
    return list(
        Attempt.objects.filter(member=member)
        .exclude(submitted_at=None)
        .select_related("assessment")
        .order_by("-submitted_at")[:50]
    )


def member_page_results(*, user: User, member: Member) -> list[Attempt]:
    """The member's quick-assessment results on their page: those of the days the member
    stood in a unit the user reaches (and all of the user's own)."""
    readable = set(
        Attempt.objects.filter(
            scope_for(user).member_record_filter(Capability.VIEW_MEMBERS, day="submitted_on"),
            member=member,
        ).values_list("pk", flat=True)
    )
    return [a for a in member_results(member) if a.pk in readable]


@dataclass
class Results:
    """An assessment's results as one reader may see them. `persons` (each member's
    attempt) is None for a reader who sees figures only: the page, the workbook and the
    API all render this, so none of them can show more than the reader may see."""

    assessment: Assessment
    live: Live
    cells: list[CellResult]
    items: list[Item]
    sections: list[tuple[str, float, int]]
    persons: QuerySet[Attempt] | None


def results(*, user: User, assessment_id: int, by_card: bool = False) -> Results:
    """The results of an assessment the user may read (404 otherwise)."""
    assessment = assessment_or_404(user=user, assessment_id=assessment_id)
    items = item_analysis(assessment)
    return Results(
        assessment,
        live(assessment),
        results_by_cell(assessment),
        items,
        sections_understood(items),
        attempts_of(assessment, by_card=by_card)
        if sees_persons(user=user, assessment=assessment)
        else None,
    )


def assessment_code_known(code: str) -> bool:
    """Whether some assessment has this join code (to tell a wrong code from a member
    not expected at it)."""
    return Assessment.objects.filter(code=code).exists()


def attempt_or_404(token: str, *, message: str) -> Attempt:
    """The attempt a personal link addresses, with its assessment and member; else 404."""
    attempt = Attempt.objects.select_related("assessment", "member").filter(token=token).first()
    if attempt is None:
        raise Http404(message)
    return attempt


def bank_questions(*, user: User, document: Document) -> QuerySet[Question]:
    """The document's question bank (every reader who runs study reads every bank)."""
    return (
        Question.objects.filter(document=document)
        .select_related("section")
        .prefetch_related("options")
    )


def question_document_id(*, user: User, question_id: int) -> int:
    """The document whose bank holds the question; 404 for no such question."""
    found = Question.objects.filter(pk=question_id).values_list("document_id", flat=True)
    if not found:
        raise Http404("Không tìm thấy câu hỏi.")
    return found[0]


def question_of(*, document: Document, question_id: int) -> Question:
    return Question.objects.get(pk=question_id, document=document)


def section_of(document: Document, section_id: int | None) -> Section | None:
    return document.sections.filter(pk=section_id).first() if section_id else None


def documents_with_questions(*, user: User) -> QuerySet[Document]:
    """The documents an assessment can be drawn from: those with a question bank."""
    return Document.objects.filter(questions__isnull=False).distinct()


def sessions_to_attach(*, user: User) -> QuerySet[StudySession]:
    """Study sessions of units the user runs study in today, newest first."""
    writable = scope_for(user).writable_units(Capability.RUN_STUDY)
    return StudySession.objects.filter(unit__in=writable).order_by("-held_on")


ORGANISER_OUT_OF_REACH = "Đơn vị tổ chức không có hoặc ngoài phạm vi của bạn."


def organiser(*, user: User, code: str, opens_on: date) -> Unit:
    """The unit typed as an assessment's organiser: one the user runs study in today,
    standing on the day it opens; a DomainError otherwise."""
    try:
        unit = scope_for(user).unit_typed(code, cap=Capability.RUN_STUDY)
    except DomainError:
        unit = None
    if unit is None or unit.version_on(opens_on) is None:
        raise DomainError(ORGANISER_OUT_OF_REACH)
    return unit


def chosen_document(*, user: User, document_id: int) -> Document:
    return Document.objects.get(pk=document_id)


def chosen_session(*, user: User, session_id: int | None) -> StudySession | None:
    """The study session picked on the form (one of `sessions_to_attach`), if any."""
    return StudySession.objects.filter(pk=session_id).first() if session_id else None
