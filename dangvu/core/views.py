"""Home page and health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dangvu.accounts.selectors import role_summaries
from dangvu.core.http import AuthedRequest, requested_day
from dangvu.units.selectors import member_counts, tree_roots


@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    day = requested_day(request)
    roots = tree_roots(user=request.user, day=day)
    for root in roots:
        root.member_count = member_counts([root], day, within=root.path)[root.unit_id]  # type: ignore[attr-defined]
    return render(
        request,
        "core/home.html",
        {"day": day, "roots": roots, "roles": role_summaries(user=request.user)},
    )


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
