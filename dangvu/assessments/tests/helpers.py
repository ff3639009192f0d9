"""Helpers of the quick-assessment tests: a document with a question bank in three parts,
assessments created and opened through the services as staff would, and members answering
right or wrong as they take it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from dangvu.assessments import services
from dangvu.assessments.models import Assessment, Attempt, QuestionKind
from dangvu.conftest import World
from dangvu.documents.models import Document, Section
from dangvu.documents.services import document_register
from dangvu.study.models import StudySession

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
EATLING = "DN.CUJUT.EATLING"
TDP1 = "DN.CUJUT.EATLING.TDP1"
TDP2 = "DN.CUJUT.EATLING.TDP2"
BP = "DN.TUYDUC.QUANGTRUC.BP"
#: Members expected when Ea T'Ling organises: four in Tổ dân phố 1, one in Tổ dân phố 2.
EATLING_MEMBERS = ["hoa", "ybhiong", "binh", "an", "anh"]
TDP1_MEMBERS = ["hoa", "ybhiong", "binh", "an"]

#: A study session ends at 08:00 on 15/03/2024 (Hồ Chí Minh time); the hall takes it then.
MOMENT = datetime(2024, 3, 15, 8, 0, tzinfo=HCM)
PARTS = ("Phần I. Đánh giá tình hình", "Phần II. Dự báo", "Phần III. Mục tiêu")


def document_with_bank(
    *, per_part: int = 4, parts: Sequence[str] = PARTS, number: int = 5
) -> Document:
    """A resolution in parts, with `per_part` single-answer questions of four options in
    each part (the first option is the right one)."""
    document = document_register(
        symbol=f"{number:02d}-NQ/TU",
        issued_on=date(2023, 1, 10),
        issuer="Ban Chấp hành Đảng bộ tỉnh",
        title=f"Nghị quyết số {number} về học tập và làm theo",
        sections=[(title, "") for title in parts],
    )
    for section in document.sections.all():
        for j in range(per_part):
            services.question_save(
                document=document,
                section=section,
                kind=QuestionKind.SINGLE,
                text=f"{section.title}: câu hỏi {j + 1}",
                options=[
                    (f"Đúng {j + 1}", True),
                    ("Sai A", False),
                    ("Sai B", False),
                    ("Sai C", False),
                ],
            )
    return document


def section(document: Document, title: str) -> Section:
    return document.sections.get(title=title)


def create(
    world: World,
    document: Document,
    unit: str = EATLING,
    *,
    opens_at: datetime | None = MOMENT,
    minutes_open: int = 120,
    question_count: int = 6,
    time_limit_minutes: int = 15,
    pass_mark: int = 50,
    session: StudySession | None = None,
    show_score: bool = True,
    show_answers: bool = False,
    title: str = "Kiểm tra nhanh sau học tập Nghị quyết",
) -> Assessment:
    """A draft assessment; `opens_at=None` means a minute ago (for the HTTP tests, where
    the server reads the clock itself)."""
    start = opens_at or timezone.now() - timedelta(minutes=1)
    return services.assessment_save(
        spec=services.AssessmentSpec(
            title=title,
            document=document,
            unit=world.units[unit],
            opens_at=start,
            closes_at=start + timedelta(minutes=minutes_open),
            session=session,
            question_count=question_count,
            time_limit_minutes=time_limit_minutes,
            pass_mark=pass_mark,
            show_score=show_score,
            show_answers=show_answers,
        ),
        actor=world.users["hoa"],
    )


def opened(world: World, document: Document, unit: str = EATLING, **kw: object) -> Assessment:
    seed = kw.pop("seed", 7)
    assessment = create(world, document, unit, **kw)  # type: ignore[arg-type]
    services.assessment_open(assessment=assessment, seed=seed)  # type: ignore[arg-type]
    assessment.refresh_from_db()
    return assessment


def attempt_of(world: World, assessment: Assessment, key: str) -> Attempt:
    return Attempt.objects.select_related("assessment").get(
        assessment=assessment, member=world.members[key]
    )


def right_options(assessment: Assessment, question_id: int) -> list[int]:
    return sorted(assessment.snapshot[str(question_id)]["correct"])


def wrong_options(assessment: Assessment, question_id: int) -> list[int]:
    correct = set(assessment.snapshot[str(question_id)]["correct"])
    wrong = [
        int(o) for o in assessment.snapshot[str(question_id)]["options"] if int(o) not in correct
    ]
    return wrong[:1]


def take(
    attempt: Attempt,
    pattern: Sequence[bool | None] | dict[int, bool | None],
    *,
    at: datetime = MOMENT,
    submit: bool = True,
) -> Attempt:
    """The member answers: True right, False wrong, None skipped, given in the order of
    their set or by question id; then submits a minute later."""
    assessment = attempt.assessment
    ids = [q for q, _ in attempt.questions]
    rights = pattern if isinstance(pattern, dict) else dict(zip(ids, pattern, strict=False))
    for question_id in ids:
        right = rights.get(question_id)
        if right is None:
            continue
        services.answer_save(
            attempt=attempt,
            question_id=question_id,
            options=right_options(assessment, question_id)
            if right
            else wrong_options(assessment, question_id),
            now=at,
        )
    if not submit:
        return attempt
    return services.attempt_submit(attempt=attempt, now=at + timedelta(minutes=1)).attempt
