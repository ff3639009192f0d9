"""Reads of award decisions within the user's reach."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.awards.models import COLLECTIVE_KINDS, INDIVIDUAL_KINDS, AwardDecision

VIEW, WRITE = Capability.VIEW_REPORTS, Capability.WRITE_REPORTS


def decisions_visible(user: User) -> QuerySet[AwardDecision]:
    """Decisions issued inside the user's reach or giving an award to someone inside it."""
    units = scope_for(user).units(VIEW)
    inside = AwardDecision.objects.filter(Q(unit__in=units) | Q(recipients__unit__in=units)).values(
        "pk"
    )
    return (
        AwardDecision.objects.filter(pk__in=inside)
        .select_related("unit", "programme")
        .annotate(
            collectives=Count("recipients", filter=Q(recipients__kind__in=COLLECTIVE_KINDS)),
            individuals=Count("recipients", filter=Q(recipients__kind__in=INDIVIDUAL_KINDS)),
        )
    )


def decisions_writable(user: User) -> QuerySet[AwardDecision]:
    return AwardDecision.objects.filter(unit__in=scope_for(user).writable_units(WRITE))
