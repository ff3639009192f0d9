"""Indicators of section 2.1 from the sociological surveys: those the province's committee
(its propaganda department) conducted, and those of the district-level committees, on the
day they began. Drafts never carried out do not count."""

from __future__ import annotations

from dangvu.indicators.engine import Ctx
from dangvu.indicators.registry import Rows, computes
from dangvu.members.models import ManagementLevel
from dangvu.sociology.models import Questionnaire, Status


@computes("survey.sociological_province")
def sociological_province(ctx: Ctx) -> Rows:
    qs = Questionnaire.objects.exclude(status=Status.DRAFT).filter(level=ManagementLevel.PROVINCE)
    return ctx.events(qs, date="started_on")


@computes("survey.sociological_district")
def sociological_district(ctx: Ctx) -> Rows:
    qs = Questionnaire.objects.exclude(status=Status.DRAFT).filter(level=ManagementLevel.DISTRICT)
    return ctx.events(qs, date="started_on")
