"""Indicators of section 1 from units' plans (for the catalogue's programme)."""

from __future__ import annotations

from django.db.models import QuerySet

from dangvu.indicators.catalogue import raw
from dangvu.indicators.engine import Ctx
from dangvu.indicators.registry import Rows, computes
from dangvu.plans.models import PlanStatus, UnitPlan


def _plans() -> QuerySet[UnitPlan]:
    return UnitPlan.objects.filter(programme__code=raw()["programme"]["code"])


@computes("plan.units_with_plan")
def units_with_plan(ctx: Ctx) -> Rows:
    return ctx.events(_plans(), date="submitted_on")


@computes("plan.units_plan_approved")
def units_plan_approved(ctx: Ctx) -> Rows:
    return ctx.events(_plans().filter(status=PlanStatus.APPROVED), date="approved_on")
