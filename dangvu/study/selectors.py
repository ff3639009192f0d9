"""Reads of study sessions and training, through the user's scope."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.study.models import StudySession, TheoryTraining, TrainingClass


def sessions_visible(
    *, user: User, cap: Capability = Capability.VIEW_REPORTS
) -> QuerySet[StudySession]:
    return (
        StudySession.objects.filter(unit__in=scope_for(user).units(cap))
        .annotate(
            expected=Count("attendances"),
            present=Count("attendances", filter=Q(attendances__attended=True)),
        )
        .select_related("unit")
        .prefetch_related("documents")
        .order_by("-held_on", "-pk")
    )


def session_or_404(
    *, user: User, session_id: int, cap: Capability = Capability.VIEW_REPORTS
) -> StudySession:
    found = StudySession.objects.filter(pk=session_id, unit__in=scope_for(user).units(cap)).first()
    if found is None:
        raise Http404("Không tìm thấy hội nghị.")
    return found


def trainings_visible(*, user: User) -> QuerySet[TrainingClass]:
    units = scope_for(user).units(Capability.VIEW_REPORTS)
    return (
        TrainingClass.objects.filter(unit__in=units)
        .annotate(n=Count("participants"))
        .select_related("unit")
    )


def theory_visible(*, user: User) -> QuerySet[TheoryTraining]:
    units = scope_for(user).units(Capability.VIEW_REPORTS)
    return TheoryTraining.objects.filter(unit__in=units).select_related("member", "unit")
