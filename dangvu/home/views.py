"""The home page: the user's roles and the units in reach."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dangvu.accounts.http import AuthedRequest, requested_day
from dangvu.accounts.selectors import role_summaries
from dangvu.units.selectors import member_counts, tree_roots


@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    day = requested_day(request)
    roots = tree_roots(user=request.user, day=day)
    for root in roots:
        root.member_count = member_counts([root], day, within=root.path)[root.unit_id]  # type: ignore[attr-defined]
    return render(
        request,
        "home/home.html",
        {"day": day, "roots": roots, "roles": role_summaries(user=request.user)},
    )
