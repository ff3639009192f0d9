"""The pages' middleware for signing in and for the audit trail's address."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from auditlog.middleware import AuditlogMiddleware as _AuditlogMiddleware
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from dangvu.accounts import signin
from dangvu.accounts.addresses import client_address

STEP_URLS = {
    signin.CODE: "accounts:signin_code",
    signin.PASSWORD: "accounts:signin_password",
    signin.ENROL: "accounts:signin_enrol",
}


class AuditlogMiddleware(_AuditlogMiddleware):
    """auditlog's middleware, recording the trusted client address (`client_address`)
    instead of the leftmost X-Forwarded-For entry, which any client may write."""

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        if settings.AUDITLOG_DISABLE_REMOTE_ADDR:
            return None
        return client_address(request) or None

    @staticmethod
    def _get_remote_port(request: HttpRequest) -> int | None:
        return None  # X-Forwarded-Port is written by whoever sends the request


class SignInMiddleware:
    """Tells the session where it is used from, records when (`SessionStore.touch`), and
    sends a signed-in session that misses a step of signing in (a one-time password, the
    second factor) to that step before any page (see dangvu.accounts.signin)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session: Any = request.session
        session.client = (
            request.headers.get("User-Agent", "")[:300],
            client_address(request) or None,
        )
        response = self.get_response(request)
        if hasattr(session, "touch"):
            session.touch()
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        user: Any = request.user
        if not user.is_authenticated or not getattr(view_func, "login_required", True):
            return None  # the sign-in pages themselves, the token pages, logging out
        if not user.must_change_password and (
            not settings.TWO_FACTOR_REQUIRED or signin.session_verified(request)
        ):
            return None
        step = signin.resume(request, user)
        return redirect(STEP_URLS[step]) if step else None
