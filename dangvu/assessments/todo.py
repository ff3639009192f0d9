"""Quick assessments' part of the home page's things to do (see home/todo.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from dangvu.assessments.models import AssessmentStatus, Attempt
from dangvu.home.todo import FIRST, Ask, Todo, to_do
from dangvu.lib.dates import format_date


@to_do(kind="member", order=10)
def assessments_open(ask: Ask) -> list[Todo]:
    """Quick assessments open now with the member's question set not yet submitted: the
    button is the member's start (the start page's own POST), so one tap starts it."""
    items: list[Todo] = []
    moment = timezone.now()
    attempts = (
        Attempt.objects.filter(
            member_id=ask.member_id,
            submitted_at__isnull=True,
            assessment__status=AssessmentStatus.OPEN,
            assessment__opens_at__lte=moment,
            assessment__closes_at__gt=moment,
        )
        .select_related("assessment")
        .order_by("assessment__closes_at")[:FIRST]
    )
    for attempt in attempts:
        a = attempt.assessment
        closes = timezone.localtime(a.closes_at)
        when = f"đóng lúc {closes:%H:%M} ngày {format_date(closes.date())}"
        if attempt.started_at is None:
            items.append(
                Todo(
                    f"Bài kiểm tra “{a.title}” đang mở: {len(attempt.questions)} câu, "
                    f"{a.time_limit_minutes} phút.",
                    reverse("assessments:take_start", args=[attempt.token]),
                    "Bắt đầu làm bài",
                    detail=when.capitalize() + ".",
                    fields=(("bat_dau", "1"),),
                    kind="assessment",
                )
            )
        else:
            items.append(
                Todo(
                    f"Bạn đang làm dở bài kiểm tra “{a.title}”.",
                    reverse("assessments:take", args=[attempt.token]),
                    "Làm tiếp",
                    detail=when.capitalize() + ".",
                    kind="assessment",
                )
            )
    return items
