"""Reads of supervisions through the user's scope: the Front's staff (SUPERVISION) and the
party's staff who read the reports (VIEW_REPORTS) see those recorded in their subtree."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.supervision.models import Supervision


def supervisions_visible(
    *, user: User, query: str = "", level: str = "", pending: bool = False
) -> QuerySet[Supervision]:
    scope = scope_for(user)
    units = scope.units(Capability.SUPERVISION) | scope.units(Capability.VIEW_REPORTS)
    qs = Supervision.objects.filter(unit__in=units).select_related("unit")
    qs = qs.prefetch_related("unit__versions")
    if query:
        qs = qs.filter(Q(code__icontains=query) | Q(subject__icontains=query))
    if level:
        qs = qs.filter(level=level)
    if pending:
        qs = qs.exclude(recommendations="").filter(followed_up_on__isnull=True)
    return qs.order_by("-held_on", "-pk")


def supervision_or_404(*, user: User, supervision_id: int, cap: Capability) -> Supervision:
    found = (
        Supervision.objects.filter(pk=supervision_id, unit__in=scope_for(user).writable_units(cap))
        .select_related("unit")
        .first()
    )
    if found is None:
        raise Http404("Không tìm thấy cuộc giám sát.")
    return found
