"""Indicators of section 2.4, from the cases, counted on the day each case opened in the
unit it stands in (the organisation, or the member's cell then)."""

from __future__ import annotations

from django.db.models import QuerySet

from dangvu.indicators.engine import Ctx
from dangvu.indicators.registry import Rows, computes
from dangvu.inspection.models import CaseKind, InspectionCase, SubjectKind


def _cases(kind: str, subject: str) -> QuerySet[InspectionCase]:
    return InspectionCase.objects.filter(kind=kind, subject_kind=subject)


def _count(ctx: Ctx, qs: QuerySet[InspectionCase]) -> Rows:
    return ctx.events(qs, date="opened_on")


SIGNS, ORG, MEMBER = CaseKind.VIOLATION_SIGNS, SubjectKind.ORGANISATION, SubjectKind.MEMBER


@computes("inspection.org_violation_signs")
def org_signs(ctx: Ctx) -> Rows:
    return _count(ctx, _cases(SIGNS, ORG))


@computes("inspection.org_violated")
def org_violated(ctx: Ctx) -> Rows:
    return _count(ctx, _cases(SIGNS, ORG).filter(violation=True))


@computes("inspection.org_disciplined")
def org_disciplined(ctx: Ctx) -> Rows:
    return _count(ctx, _cases(SIGNS, ORG).filter(discipline__isnull=False))


@computes("inspection.org_task_inspected")
def org_task(ctx: Ctx) -> Rows:
    return _count(ctx, _cases(CaseKind.TASK, ORG))


@computes("inspection.org_enforcement_inspected")
def org_enforcement(ctx: Ctx) -> Rows:
    return _count(ctx, _cases(CaseKind.ENFORCEMENT, ORG))


@computes("inspection.member_violation_signs")
def member_signs(ctx: Ctx) -> Rows:
    return _count(ctx, _cases(SIGNS, MEMBER))


@computes("inspection.member_violation_signs_committee")
def member_signs_committee(ctx: Ctx) -> Rows:
    return _count(ctx, _cases(SIGNS, MEMBER).filter(is_committee_member=True))


@computes("inspection.member_violated")
def member_violated(ctx: Ctx) -> Rows:
    return _count(ctx, _cases(SIGNS, MEMBER).filter(violation=True))


@computes("inspection.member_disciplined")
def member_disciplined(ctx: Ctx) -> Rows:
    return _count(ctx, _cases(SIGNS, MEMBER).filter(discipline__isnull=False))


@computes("inspection.complex_cases")
def complex_cases(ctx: Ctx) -> Rows:
    return _count(ctx, InspectionCase.objects.filter(complex=True))
