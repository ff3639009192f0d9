"""The home page: what waits for the user today (việc cần làm), then their roles and the
units in reach."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dangvu.accounts.http import AuthedRequest, requested_day
from dangvu.accounts.selectors import role_summaries
from dangvu.core.replica import reads_from_replica
from dangvu.home.selectors import things_to_do
from dangvu.units.selectors import tree_roots


@require_GET
@reads_from_replica()
def home(request: AuthedRequest) -> HttpResponse:
    day = requested_day(request)
    return render(
        request,
        "home/home.html",
        {
            "day": day,
            "todos": things_to_do(user=request.user),
            "roots": tree_roots(user=request.user, day=day),
            "roles": role_summaries(user=request.user),
        },
    )
