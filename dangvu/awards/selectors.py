"""Reads of award decisions within the user's reach."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.awards.models import (
    COLLECTIVE_KINDS,
    INDIVIDUAL_KINDS,
    AwardDecision,
    AwardRecipient,
)

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


def recipients_visible(user: User, decision: AwardDecision) -> QuerySet[AwardRecipient]:
    """All of a decision's recipients for those who reach the issuing committee; to the
    others, those inside their reach (a cell sees its own honours, not another district's
    members named on the same decision)."""
    units = scope_for(user).units(VIEW)
    recipients = decision.recipients.select_related("unit", "member")
    if units.filter(pk=decision.unit_id).exists():
        return recipients
    return recipients.filter(unit__in=units)


def decisions_writable(user: User) -> QuerySet[AwardDecision]:
    return AwardDecision.objects.filter(unit__in=scope_for(user).writable_units(WRITE))
