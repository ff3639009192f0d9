"""Two middleware stacks in one process: the JSON API's and the pages'.

The JSON API (`/api/v1/...`) is what a whole province calls in one burst during a quick
assessment. Its token-path endpoints are addressed by an unguessable token and joining by
code needs only the session's user, so it goes through `API_MIDDLEWARE`: security headers,
Content-Length, session, CSRF and user; the token path itself (`TOKEN_PREFIXES`) needs
none of the last three and goes through `TOKEN_MIDDLEWARE`. It skips locale negotiation, messages, the audit
actor, the login lockout (no sign-in happens there) and the login redirect (the API answers
401 in JSON itself). Every other path goes through the full `settings.MIDDLEWARE`.

`dangvu.wsgi.application` dispatches by path; the test client and the live test server do
the same (see `dangvu/conftest.py`), so tests see exactly what production serves.

Both API stacks begin with `api_edge`: a body larger than `MAX_API_BODY` is refused
(413) before anything reads it — a token endpoint needs no valid token to be sent 40 MB —
and every error of the API answers in JSON with a Vietnamese message, whatever raised it
(an unknown path, a CSRF refusal, a method not allowed, a server error), as the OpenAPI
document says.

The pages' stack begins with `reject_nul` (settings.MIDDLEWARE): no one types a NUL
character, PostgreSQL stores none and refuses a query holding one, so a request carrying
one in its path, query, form fields or file names is a 400 before any view reads it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import BadRequest, MiddlewareNotUsed
from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.module_loading import import_string

from dangvu.lib.numbers import int_or_none

API_PREFIX = "/api/v1/"
API_MIDDLEWARE: tuple[str, ...] = (
    "django.middleware.security.SecurityMiddleware",
    "dangvu.core.handlers.api_edge",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
)
# The token path (and the benchmark's yardstick): no session, no user, no CSRF at all.
TOKEN_PREFIXES = (API_PREFIX + "attempts/", API_PREFIX + "noop")
TOKEN_MIDDLEWARE: tuple[str, ...] = API_MIDDLEWARE[:3]

#: The API's requests are a code or a list of option ids: a few hundred bytes.
MAX_API_BODY = 64 * 1024
BODY_TOO_LARGE = "Dữ liệu gửi lên quá lớn."
API_ERRORS = {
    400: "Yêu cầu không hợp lệ.",
    403: "Yêu cầu bị từ chối: phiên làm việc hoặc mã bảo vệ (CSRF) không hợp lệ.",
    404: "Không tìm thấy.",
    405: "Phương thức không được hỗ trợ.",
    413: BODY_TOO_LARGE,
}
SERVER_ERROR = "Lỗi máy chủ; vui lòng thử lại sau."


def api_error(message: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"error": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def api_edge(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[..., HttpResponse]:
    """The API's edge: bounded bodies, and errors in JSON (see the module's docstring)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        length = request.META.get("CONTENT_LENGTH") or "0"
        if int_or_none(length, low=0, high=MAX_API_BODY) is None:
            return api_error(BODY_TOO_LARGE, 413)
        if "\x00" in request.path:  # no token, code or id holds one
            return api_error(API_ERRORS[404], 404)
        response = get_response(request)
        if response.status_code >= 400 and not str(response.get("Content-Type", "")).startswith(
            "application/json"
        ):
            json_response = api_error(
                API_ERRORS.get(response.status_code, SERVER_ERROR), response.status_code
            )
            if response.has_header("Allow"):
                json_response["Allow"] = response["Allow"]
            return json_response
        return response

    return middleware


def is_api(environ: dict[str, Any]) -> bool:
    return str(environ.get("PATH_INFO", "")).startswith(API_PREFIX)


def is_token(environ: dict[str, Any]) -> bool:
    return str(environ.get("PATH_INFO", "")).startswith(TOKEN_PREFIXES)


class ApiMiddlewareMixin(BaseHandler):
    """Loads `stack` instead of settings.MIDDLEWARE (synchronous handlers only)."""

    stack: tuple[str, ...] = API_MIDDLEWARE

    def load_middleware(self, is_async: bool = False) -> None:
        self._view_middleware: list[Any] = []
        self._template_response_middleware: list[Any] = []
        self._exception_middleware: list[Any] = []
        handler = convert_exception_to_response(self._get_response)  # type: ignore[attr-defined]
        for path in reversed(self.stack):
            try:
                middleware = import_string(path)(handler)
            except MiddlewareNotUsed:
                continue
            if hasattr(middleware, "process_view"):
                self._view_middleware.insert(0, middleware.process_view)
            if hasattr(middleware, "process_template_response"):
                self._template_response_middleware.append(middleware.process_template_response)
            if hasattr(middleware, "process_exception"):
                self._exception_middleware.append(middleware.process_exception)
            handler = convert_exception_to_response(middleware)
        self._middleware_chain = handler


class ApiHandler(ApiMiddlewareMixin, WSGIHandler):
    pass


class TokenHandler(ApiMiddlewareMixin, WSGIHandler):
    stack = TOKEN_MIDDLEWARE


WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def stack_of(environ: dict[str, Any]) -> str:
    """Which stack serves a request: "token", "api" or "pages"."""
    return "token" if is_token(environ) else "api" if is_api(environ) else "pages"


def dispatching(pages: WSGIApp, api: WSGIApp, token: WSGIApp) -> WSGIApp:
    handlers = {"pages": pages, "api": api, "token": token}

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        return handlers[stack_of(environ)](environ, start_response)

    return application


NUL = "\x00"
NUL_REFUSED = "Dữ liệu gửi lên chứa ký tự không hợp lệ (NUL)."
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def carries_nul(request: HttpRequest) -> bool:
    """A NUL character anywhere a view reads text from (see the module's docstring)."""
    if NUL in request.path:
        return True
    sources = [request.GET]
    if request.content_type in FORMS:
        sources.append(request.POST)
    for source in sources:
        for key, values in source.lists():
            if NUL in key or any(NUL in value for value in values):
                return True
    return request.content_type == FORMS[1] and any(
        NUL in (upload.name or "") for _, uploads in request.FILES.lists() for upload in uploads
    )


def reject_nul(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[..., HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        if carries_nul(request):
            raise BadRequest(NUL_REFUSED)
        return get_response(request)

    return middleware
