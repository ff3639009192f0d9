"""Reads of implementation surveys: the rounds of the units in the user's reach."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.surveys.models import ImplementationSurvey

VIEW, WRITE = Capability.VIEW_REPORTS, Capability.WRITE_REPORTS


def surveys_visible(*, user: User) -> QuerySet[ImplementationSurvey]:
    """The rounds held by units the user reaches (at some time), newest first, each with
    its number of surveyed units (`n`)."""
    return (
        ImplementationSurvey.objects.filter(unit__in=scope_for(user).units(VIEW))
        .select_related("unit", "conclusion")
        .prefetch_related("unit__versions")
        .annotate(n=Count("targets"))
        .order_by("-started_on")
    )
