"""The member's side, built for an old phone on a slow connection: one light page per
attempt, answers saved as they are chosen by a 3 kB script, and a plain form that works
without it.

The clock starts on the member's explicit act, never on a GET: a personal link opened by a
link-preview bot (or by the member just to look) shows a start page, and the questions
come with the press of "Bắt đầu làm bài" (a POST). Typing the code and pressing "Vào làm
bài" is such an act too, so it goes straight in; the QR code's address (a GET) leads to
the start page."""

from __future__ import annotations

from contextlib import suppress

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from dangvu.assessments import api, selectors, services
from dangvu.assessments.models import Attempt
from dangvu.core.errors import DomainError
from dangvu.lib.numbers import MAX_ID, int_or_none


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """Type the short code shown on the screen."""
    error = ""
    if request.method == "POST":
        result = api.token_for(request, request.POST.get("ma", ""))
        if isinstance(result, str):
            # Pressing "Vào làm bài" is the member's start (not open yet: the page says so).
            with suppress(DomainError):
                services.attempt_start(attempt=_attempt(result))
            return redirect("assessments:take", token=result)
        error = result[0]
    return render(request, "assessments/join.html", {"error": error})


@require_http_methods(["GET", "POST"])
def join_code(request: HttpRequest, code: str) -> HttpResponse:
    """The QR code's address, and the link on a member's home page: a signed-in member sees
    the start page of their set at once (no redirect: one round trip less on a weak
    signal). A button posting here (one tap on the home page) is the member's start: the
    questions come straight away."""
    result = api.token_for(request, code)
    if isinstance(result, tuple):
        return render(request, "assessments/join.html", {"error": result[0]}, status=result[1])
    if request.method == "POST":
        with suppress(DomainError):  # not open (yet): the page says so
            services.attempt_start(attempt=_attempt(result))
        return redirect("assessments:take", token=result)
    return take(request, result)


def _attempt(token: str) -> Attempt:
    return selectors.attempt_or_404(token, message=api.UNKNOWN_TOKEN)


@login_not_required
@require_safe
def take(request: HttpRequest, token: str) -> HttpResponse:
    """The personal link: the start page until the member starts, then their own
    questions, then their result. Reading it never starts the clock."""
    return _page(request, _attempt(token))


def _page(request: HttpRequest, attempt: Attempt) -> HttpResponse:
    error = ""
    if attempt.submitted_at is None:
        try:
            services.check_open(attempt.assessment)
        except DomainError as exc:
            error = exc.message
    context = {"attempt": attempt, "assessment": attempt.assessment, "error": error}
    if attempt.submitted_at is not None:
        context.update(
            result=True,
            chosen=selectors.chosen_options(attempt),
            right=selectors.correct_options(attempt) if attempt.assessment.show_answers else {},
            questions=selectors.question_set(attempt),
        )
    elif not error and attempt.started_at is None:
        context.update(start=True, count=len(attempt.questions))
    elif not error:
        context.update(
            questions=selectors.question_set(attempt), chosen=selectors.chosen_options(attempt)
        )
    return render(request, "assessments/take.html", context)


@csrf_exempt  # the token in the address is the credential; no session is involved
@login_not_required
@require_POST
def take_start(request: HttpRequest, token: str) -> HttpResponse:
    """The member presses "Bắt đầu làm bài": the clock starts (once), and the questions
    come in the answer itself, not after a redirect: on a weak signal a round trip is
    half a second (the page's script puts the personal link back in the address bar, so
    that reloading reads the page again)."""
    attempt = _attempt(token)
    with suppress(DomainError):  # not open, or closed: the page says so
        attempt = services.attempt_start(attempt=attempt)
    return _page(request, attempt)


@csrf_exempt  # the token in the address is the credential; no session is involved
@login_not_required
@require_POST
def take_submit(request: HttpRequest, token: str) -> HttpResponse:
    """The form without the script: save every answer shown, then submit."""
    attempt = _attempt(token)
    answers = {
        question_id: [
            n
            for v in request.POST.getlist(f"q{question_id}")
            if (n := int_or_none(v, low=1, high=MAX_ID)) is not None
        ]
        for question_id, _ in attempt.questions
    }
    try:
        services.attempt_submit_form(attempt=attempt, answers=answers)
    except DomainError as exc:
        return render(
            request,
            "assessments/take.html",
            {"attempt": attempt, "assessment": attempt.assessment, "error": exc.message},
            status=409,
        )
    return redirect("assessments:take", token=token)
