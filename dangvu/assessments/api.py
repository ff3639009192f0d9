"""The JSON API of the quick assessment (OpenAPI document at /api/v1/openapi.json).

A member's attempt is addressed by its token: the personal link, or what joining with the
short code on a signed-in phone returns. Holding the token is holding that one attempt and
nothing else, so these endpoints need no session and no CSRF token, and cost one indexed
read before their single write."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from dangvu.assessments import selectors, services
from dangvu.assessments.models import Attempt
from dangvu.assessments.openapi import OPENAPI
from dangvu.core.errors import DomainError
from dangvu.core.http import json_object

UNKNOWN_TOKEN = "Không tìm thấy bài làm (đường dẫn không đúng hoặc đã hết hiệu lực)."
UNKNOWN_CODE = "Mã tham gia không đúng."
NOT_EXPECTED = "Bạn không có trong danh sách dự kiến làm bài kiểm tra này."
NOT_A_MEMBER = "Tài khoản này không gắn với đảng viên nào."
NOT_SIGNED_IN = "Bạn cần đăng nhập trước."
BAD_BODY = "Dữ liệu gửi lên không hợp lệ."


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"error": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def _attempt(token: str, *, to_answer: bool = False) -> Attempt | None:
    return selectors.attempt_by_token(token, to_answer=to_answer)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def attempt_state(attempt: Attempt) -> dict[str, Any]:
    assessment = attempt.assessment
    state: dict[str, Any] = {
        "started_at": _iso(attempt.started_at),
        "deadline": _iso(attempt.deadline),
        "submitted_at": _iso(attempt.submitted_at),
        "server_time": timezone.now().isoformat(),
    }
    if attempt.submitted_at and assessment.show_score:
        state.update(
            score=attempt.score,
            correct=attempt.correct,
            passed=attempt.passed,
            questions=len(attempt.questions),
        )
    return state


def question_payload(attempt: Attempt) -> list[dict[str, Any]]:
    return [
        {
            "id": q.id,
            "number": q.number,
            "kind": q.kind,
            "text": q.text,
            "section": q.section,
            "options": [{"id": o.id, "letter": o.letter, "text": o.text} for o in q.options],
        }
        for q in selectors.question_set(attempt)
    ]


def _assessment_payload(attempt: Attempt) -> dict[str, Any]:
    assessment = attempt.assessment
    return {
        "id": assessment.pk,
        "title": assessment.title,
        "time_limit_minutes": assessment.time_limit_minutes,
        "closes_at": assessment.closes_at.isoformat(),
        "question_count": len(attempt.questions),
    }


def set_payload(attempt: Attempt) -> dict[str, Any]:
    """The member's own question set, and the clock started (by the first call): for the
    member's explicit start (a POST). Raises DomainError when the assessment is not open."""
    now, fresh = timezone.now(), attempt.started_at is None
    attempt = services.attempt_start(attempt=attempt, now=now)
    # Started by this very call: nothing can have been answered yet (one read saved in a
    # burst of a whole hall starting at once).
    answers = {} if fresh and attempt.started_at == now else selectors.chosen_options(attempt)
    return {
        "assessment": _assessment_payload(attempt),
        "attempt": attempt_state(attempt),
        "questions": question_payload(attempt),
        "answers": {str(k): v for k, v in answers.items()},
    }


def read_payload(attempt: Attempt) -> dict[str, Any]:
    """What a GET shows and changes nothing: before the start, the assessment and an empty
    set (the questions come with the start, so the time limit holds); after it, the set
    and the answers saved. Raises DomainError when the assessment is not open."""
    if attempt.submitted_at is None:
        services.check_open(attempt.assessment)
    begun = attempt.started_at is not None
    answers = selectors.chosen_options(attempt) if begun else {}
    return {
        "assessment": _assessment_payload(attempt),
        "attempt": attempt_state(attempt),
        "questions": question_payload(attempt) if begun else [],
        "answers": {str(k): v for k, v in answers.items()},
    }


@csrf_exempt
@login_not_required
@require_safe
def attempt_view(request: HttpRequest, token: str) -> HttpResponse:
    """The attempt as it stands, changing nothing (a link preview reads it too): before the
    start, no questions; after it, the member's set and answers (a phone that lost its page
    reads them again here)."""
    attempt = _attempt(token)
    if attempt is None:
        return _error(UNKNOWN_TOKEN, 404)
    try:
        payload = read_payload(attempt)
    except DomainError as error:
        return _error(error.message, 409)
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@login_not_required
@require_POST
def start_view(request: HttpRequest, token: str) -> HttpResponse:
    """The member starts: the clock starts (once; again is harmless) and the set comes."""
    attempt = _attempt(token)
    if attempt is None:
        return _error(UNKNOWN_TOKEN, 404)
    try:
        payload = set_payload(attempt)
    except DomainError as error:
        return _error(error.message, 409)
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@login_not_required
@require_http_methods(["PUT", "POST"])
def answer_view(request: HttpRequest, token: str, question_id: int) -> HttpResponse:
    """Autosave one answer: {"options": [option ids]}. The reply acknowledges it is kept."""
    attempt = _attempt(token, to_answer=True)  # the credential first, then the body
    if attempt is None:
        return _error(UNKNOWN_TOKEN, 404)
    try:
        options = json_object(request.body).get("options", [])
    except ValueError:
        return _error(BAD_BODY, 400)
    # A list of option ids, as the schema says: not a string of digits, nor true/false.
    if not isinstance(options, list) or not all(
        isinstance(o, int) and not isinstance(o, bool) for o in options
    ):
        return _error(BAD_BODY, 400)
    try:
        answer = services.answer_save(attempt=attempt, question_id=question_id, options=options)
    except DomainError as error:
        return _error(error.message, 409)
    return JsonResponse(
        {
            "saved": True,
            "question": question_id,
            "options": answer.options,
            "answered_at": answer.answered_at.isoformat(),
        }
    )


@csrf_exempt
@login_not_required
@require_POST
def submit_view(request: HttpRequest, token: str) -> HttpResponse:
    """Submit (idempotent). A repeated submission answers 200 with "already": true."""
    attempt = _attempt(token)
    if attempt is None:
        return _error(UNKNOWN_TOKEN, 404)
    try:
        result = services.attempt_submit(attempt=attempt)
    except DomainError as error:
        return _error(error.message, 409)
    payload = {"already": result.already, **attempt_state(result.attempt)}
    if result.attempt.assessment.show_answers:
        payload["correct_options"] = {
            str(q): sorted(v)
            for q, v in selectors.correct_options(result.attempt).items()
            if q in dict(result.attempt.questions)
        }
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})


@login_not_required  # the API answers 401 itself (dangvu.core.handlers)
@require_POST
def join_view(request: HttpRequest) -> HttpResponse:
    """A signed-in member joins by the short code: {"code": "ABC234"} → their token and,
    in the same answer, their question set (one round trip on a slow connection)."""
    if not request.user.is_authenticated:
        return _error(NOT_SIGNED_IN, 401)
    try:
        code = str(json_object(request.body).get("code", "")).strip().upper()
    except ValueError:
        return _error(BAD_BODY, 400)
    member_id = getattr(request.user, "member_id", None)
    if member_id is None:
        return _error(NOT_A_MEMBER, 404)
    attempt = selectors.attempt_by_code(code=code, member_id=member_id)
    if attempt is None:
        known = selectors.assessment_code_known(code)
        return _error(NOT_EXPECTED if known else UNKNOWN_CODE, 404)
    try:
        payload = set_payload(attempt)
    except DomainError as error:  # not open (yet): the token, to come back with
        return JsonResponse(
            {"error": error.message, "token": attempt.token},
            status=409,
            json_dumps_params={"ensure_ascii": False},
        )
    return JsonResponse(
        {"token": attempt.token, **payload}, json_dumps_params={"ensure_ascii": False}
    )


def token_for(request: HttpRequest, code: str) -> str | tuple[str, int]:
    member_id = getattr(request.user, "member_id", None)
    if member_id is None:
        return (NOT_A_MEMBER, 404)
    token = selectors.token_for(code=code.strip().upper(), member_id=member_id)
    if token is not None:
        return token
    if not selectors.assessment_code_known(code.strip().upper()):
        return (UNKNOWN_CODE, 404)
    return (NOT_EXPECTED, 404)


@login_not_required  # the API answers 401 itself (dangvu.core.handlers)
@require_GET
def results_view(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Results for staff who may see the organising unit's reports: figures for all of
    them, each member's row (`attempts`) only for readers of member records (else null)."""
    if not request.user.is_authenticated:
        return _error(NOT_SIGNED_IN, 401)
    try:
        found = selectors.results(user=request.user, assessment_id=assessment_id, by_card=True)
    except Http404 as error:  # a JSON answer, like every other refusal of the API
        return _error(str(error), 404)
    rows = (
        None
        if found.persons is None
        else [
            {
                "card_number": a.member.card_number,
                "name": a.member.full_name,
                "submitted_at": _iso(a.submitted_at),
                "score": a.score,
                "passed": a.passed,
                "source": a.source,
            }
            for a in found.persons
        ]
    )
    live = found.live
    return JsonResponse(
        {
            "assessment": found.assessment.pk,
            "expected": live.expected,
            "joined": live.joined,
            "submitted": live.submitted,
            "mean": live.mean,
            "passed": live.passed,
            "cells": [vars(c) for c in found.cells],
            "attempts": rows,
            "items": live.questions,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@csrf_exempt
@login_not_required
@require_GET
def noop_view(request: HttpRequest) -> HttpResponse:
    """Does nothing: the benchmark's yardstick for this server's own overhead."""
    return JsonResponse({})


@login_not_required
@require_GET
def openapi_view(request: HttpRequest) -> HttpResponse:
    return JsonResponse(OPENAPI, json_dumps_params={"ensure_ascii": False})
