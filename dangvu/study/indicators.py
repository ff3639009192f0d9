"""Indicators computed from study sessions and training (catalogue section 2.1)."""

from __future__ import annotations

from dangvu.indicators.catalogue import dimension_keys
from dangvu.indicators.engine import Ctx
from dangvu.indicators.registry import Rows, computes
from dangvu.study.models import Attendance, StudySession, TheoryTraining, TrainingClass


def _doc_keys() -> list[str]:
    """The documents the catalogue reports on (dimension "doc")."""
    return [key for key, _ in dimension_keys("doc") or []]


@computes("study.resolution_classes")
def resolution_classes(ctx: Ctx) -> Rows:
    """Study sessions per document studied, where the organising unit stood."""
    sessions = StudySession.objects.filter(documents__key__in=_doc_keys())
    return ctx.events(sessions, date="held_on", key="documents__key")


@computes("study.resolution_attendees")
def resolution_attendees(ctx: Ctx) -> Rows:
    """Members who attended, per document, counted at the site where they attended."""
    present = Attendance.objects.filter(attended=True, session__documents__key__in=_doc_keys())
    return ctx.events(
        present, date="session__held_on", unit="site__unit", key="session__documents__key"
    )


@computes("study.training_classes")
def training_classes(ctx: Ctx) -> Rows:
    return ctx.events(TrainingClass.objects.all(), date="start_on")


@computes("study.training_attendances")
def training_attendances(ctx: Ctx) -> Rows:
    """Participations (lượt): one per member per class."""
    participations = TrainingClass.participants.through.objects.all()
    return ctx.events(participations, date="trainingclass__start_on", unit="trainingclass__unit")


@computes("study.theory_trained")
def theory_trained(ctx: Ctx) -> Rows:
    return ctx.events(TheoryTraining.objects.all(), date="completed_on")
