"""Reads of study sessions and training, through the user's scope.

Reading follows the reports' reach (VIEW_REPORTS over the organising unit); who attended,
and who completed which training, are member records: named only to readers of member
records there (VIEW_MEMBERS), counted for the others (the Fatherland Front reads the tree,
not member records). Writing follows the study roles in force today
(`Scope.writable_units`), through `session_for_writing` and `unit_for_writing`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.core.errors import DomainError
from dangvu.study.models import Attendance, Site, StudySession, TheoryTraining, TrainingClass
from dangvu.units.models import Unit

WRITE = Capability.RUN_STUDY
UNIT_OUT_OF_REACH = "Đơn vị {code} không có hoặc ngoài phạm vi của bạn vào ngày đó."


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


def sessions_writable(*, user: User) -> QuerySet[StudySession]:
    """Sessions whose attendance the user records: organised in a unit reached by a study
    role in force today. A role that has ended reads its history, and writes none of it."""
    return StudySession.objects.filter(unit__in=scope_for(user).writable_units(WRITE))


def session_for_writing(*, user: User, session_id: int) -> StudySession:
    """The session the user is about to change, or 404 (never 403)."""
    found = sessions_writable(user=user).filter(pk=session_id).first()
    if found is None:
        raise Http404("Không tìm thấy hội nghị.")
    return found


def runs_session(*, user: User, session: StudySession) -> bool:
    return sessions_writable(user=user).filter(pk=session.pk).exists()


def unit_for_writing(*, user: User, code: str, day: date) -> Unit:
    """A unit typed into a form (an organiser, a site): one the user runs study in today,
    standing on `day`. DomainError otherwise (the same words whether it exists or not)."""
    code = (code or "").strip()
    unit = scope_for(user).writable_units(WRITE).filter(code=code).first()
    if unit is None or unit.version_on(day) is None:
        raise DomainError(UNIT_OUT_OF_REACH.format(code=code))
    return unit


def writable_units(*, user: User) -> QuerySet[Unit]:
    """The units whose members the user may enrol or record today (study roles in force)."""
    return scope_for(user).writable_units(WRITE)


def sees_persons(*, user: User, unit: Unit) -> bool:
    """Whether the reader sees who is recorded under `unit` (names, card numbers), or only
    figures: member records are open through VIEW_MEMBERS over the unit."""
    return scope_for(user).units(Capability.VIEW_MEMBERS).filter(pk=unit.pk).exists()


@dataclass(frozen=True)
class SiteCount:
    site: Site
    expected: int
    present: int


@dataclass(frozen=True)
class SessionAttendance:
    """A session's attendance as one reader may see it: counts per site for all, and the
    members expected at the chosen site (`persons`) only for readers of member records."""

    sites: list[SiteCount]
    persons: QuerySet[Attendance] | None


def attendance(*, user: User, session: StudySession, site: Site) -> SessionAttendance:
    counts = session.sites.annotate(
        n=Count("attendances"), present=Count("attendances", filter=Q(attendances__attended=True))
    ).order_by("-is_main", "name", "pk")  # the same order on every database
    persons = (
        session.attendances.filter(site=site).select_related("member").order_by("member__name_sort")
        if sees_persons(user=user, unit=session.unit)
        else None
    )
    return SessionAttendance([SiteCount(s, s.n, s.present) for s in counts], persons)


def trainings_visible(*, user: User) -> QuerySet[TrainingClass]:
    units = scope_for(user).units(Capability.VIEW_REPORTS)
    return (
        TrainingClass.objects.filter(unit__in=units)
        .annotate(n=Count("participants"))
        .select_related("unit")
    )


def theory_visible(*, user: User) -> QuerySet[TheoryTraining]:
    """Members who completed theory training, named: for readers of member records only."""
    units = scope_for(user).units(Capability.VIEW_MEMBERS)
    return TheoryTraining.objects.filter(unit__in=units).select_related("member", "unit")


def theory_counts(*, user: User) -> list[tuple[str, int]]:
    """How many completed each level of theory training in the units the user reads
    reports of (figures, for every reader)."""
    units = scope_for(user).units(Capability.VIEW_REPORTS)
    labels = dict(TheoryTraining._meta.get_field("level").choices or [])
    rows = (
        TheoryTraining.objects.filter(unit__in=units)
        .values_list("level")
        .annotate(n=Count("pk"))
        .order_by("level")
    )
    return [(str(labels.get(level, level)), n) for level, n in rows]
