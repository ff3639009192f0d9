"""Sociological surveys' part of the home page's things to do (see home/todo.py)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.urls import reverse

from dangvu.core.effective import active_on
from dangvu.home.todo import FIRST, Ask, Held, Todo, to_do
from dangvu.lib.dates import format_date
from dangvu.sociology.models import Invitation, Questionnaire, Status


@to_do(kind="member", order=30)
def invitations(ask: Ask) -> list[Todo]:
    """Invitations to a sociological survey collecting today. Whether the code was used is
    never read: the home page looks the same before and after the member answers, as the
    survey's own page does (anonymity by construction)."""
    now = ask.now
    rows = (
        Invitation.objects.filter(
            member_id=ask.member_id,
            questionnaire__status=Status.OPEN,
            questionnaire__started_on__lte=now,
            questionnaire__ended_on__gte=now,
        )
        .select_related("questionnaire")
        .order_by("questionnaire__ended_on")[:FIRST]
    )
    items = []
    for invitation in rows:
        q = invitation.questionnaire
        items.append(
            Todo(
                f"Bạn được mời trả lời phiếu điều tra “{q.title}”"
                f" (thu phiếu đến {format_date(q.ended_on)}).",
                reverse("sociology:answer_start"),
                "Mở phiếu",
                detail="Phiếu không ghi tên." if q.anonymous else "",
                fields=(("ma", invitation.code),),
                kind="sociology_invitation",
            )
        )
    return items


@to_do(kind="staff", order=40)
def surveys_collecting(ask: Ask, units: list[Held]) -> Iterable[tuple[int, list[Todo]]]:
    """Sociological surveys collecting today, conducted by the unit or a unit beneath it
    (one query a unit, the first few named)."""
    out = []
    for unit in units:
        under = Q(unit__versions__path__startswith=unit.path) & active_on(
            ask.now, "unit__versions__"
        )
        socio = Questionnaire.objects.filter(under, status=Status.OPEN).distinct()
        todos = [
            Todo(
                f"Điều tra xã hội học “{q.title}” đang thu phiếu, đến {format_date(q.ended_on)}.",
                reverse("sociology:detail", args=[q.pk]),
                "Xem cuộc điều tra",
                kind="sociology_open",
            )
            for q in socio.order_by("ended_on")[:FIRST]
        ]
        if todos:
            out.append((unit.unit_id, todos))
    return out
