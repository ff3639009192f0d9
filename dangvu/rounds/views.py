"""Reporting rounds: the list, launch, the board, a unit's report (write, submit), review
(return, accept, reopen), the unit's report as DOCX."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dangvu.accounts.decorators import requires
from dangvu.accounts.http import AuthedRequest
from dangvu.accounts.permissions import Capability
from dangvu.rounds import selectors


@require_GET
@requires(Capability.VIEW_REPORTS)
def round_list(request: AuthedRequest) -> HttpResponse:
    rounds = selectors.rounds_visible(user=request.user)[:100]
    mine = selectors.my_reports(user=request.user)[:100]
    return render(request, "rounds/list.html", {"rounds": rounds, "mine": mine})
