"""Reads of models (mô hình): those of the units in the user's reach."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.practices.models import Field, Practice

VIEW, WRITE = Capability.VIEW_REPORTS, Capability.RUN_STUDY


def practices_visible(*, user: User, field: str = "") -> QuerySet[Practice]:
    """The models of units the user reaches (at some time), newest first; of one field
    when `field` names one."""
    items = Practice.objects.filter(unit__in=scope_for(user).units(VIEW))
    items = items.select_related("unit").prefetch_related("unit__versions")
    if field in Field.values:
        items = items.filter(field=field)
    return items.order_by("-started_on", "pk")


def practice_to_edit(*, user: User, practice_id: int) -> Practice:
    """A model of a unit the user writes today, else 404."""
    found = Practice.objects.filter(
        pk=practice_id, unit__in=scope_for(user).writable_units(WRITE)
    ).first()
    if found is None:
        raise Http404("Không tìm thấy mô hình.")
    return found
