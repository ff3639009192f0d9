"""Reads of units' plans: a programme's plans in the user's reach, and the units expected
to have one (the units directly under the unit looking) that have none."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for, today
from dangvu.indicators.models import Programme
from dangvu.plans.models import UnitPlan
from dangvu.units.models import Unit, UnitVersion

VIEW, WRITE = Capability.VIEW_REPORTS, Capability.WRITE_REPORTS


@dataclass
class Expected:
    version: UnitVersion
    plan: UnitPlan | None


def plans_visible(*, user: User, programme: Programme) -> QuerySet[UnitPlan]:
    return (
        UnitPlan.objects.filter(programme=programme, unit__in=scope_for(user).units(VIEW))
        .select_related("unit")
        .prefetch_related("unit__versions")
        .order_by("unit__code")
    )


def expected_units(*, user: User, programme: Programme, unit: Unit) -> list[Expected]:
    """The units directly under `unit` at the end of the programme's reporting period (or
    today, if sooner), each with its plan (None: missing)."""
    day = min(today(), programme.report_to)
    children = (
        UnitVersion.objects.as_of(day).filter(parent=unit).select_related("unit").order_by("name")
    )
    plans = {p.unit_id: p for p in UnitPlan.objects.filter(programme=programme)}
    return [Expected(v, plans.get(v.unit_id)) for v in children]


def plan_or_404(*, user: User, plan_id: int) -> UnitPlan:
    found = (
        UnitPlan.objects.filter(pk=plan_id, unit__in=scope_for(user).units(VIEW))
        .select_related("unit", "programme")
        .first()
    )
    if found is None:
        raise Http404("Không tìm thấy kế hoạch.")
    return found


def decidable(user: User, plans: list[UnitPlan]) -> set[int]:
    """The plans the user decides: those whose unit's parent (today, or when the unit last
    stood) the user writes reports over today — the level above, never the unit itself.
    Two queries for the whole list."""
    parents: dict[int, int | None] = {}
    for unit_id, parent_id in (
        UnitVersion.objects.filter(unit_id__in={p.unit_id for p in plans})
        .begun_by(today())
        .order_by("unit_id", "valid_from")
        .values_list("unit_id", "parent_id")
    ):
        parents[unit_id] = parent_id  # the latest version that has begun
    writable = set(scope_for(user).writable_units(WRITE).values_list("pk", flat=True))
    return {p.pk for p in plans if parents.get(p.unit_id) in writable}


def may_decide(user: User, plan: UnitPlan) -> bool:
    return plan.pk in decidable(user, [plan])
