"""The production entry point serves the JSON API through its own middleware stack and
every other path through the full one (dangvu.core.handlers)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from io import BytesIO
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

from dangvu.conftest import World
from dangvu.core.handlers import API_MIDDLEWARE, TOKEN_MIDDLEWARE


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """As Django's test client does: a request must not close the connection that holds
    the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def call(
    path: str, method: str = "GET", body: bytes = b"", **headers: str
) -> tuple[str, dict[str, str], bytes]:
    from dangvu.wsgi import application

    environ: dict[str, Any] = {
        "PATH_INFO": path,
        "REQUEST_METHOD": method,
        "wsgi.input": BytesIO(body),
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/json",
        **headers,
    }
    setup_testing_defaults(environ)
    seen: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], *_: Any) -> None:
        seen["status"], seen["headers"] = status, dict(response_headers)

    chunks = application(environ, start_response)
    try:
        content = b"".join(chunks)
    finally:
        getattr(chunks, "close", lambda: None)()
    return seen["status"], seen["headers"], content


@pytest.mark.django_db
def test_it_serves_the_api_without_the_pages_middleware() -> None:
    status, headers, content = call("/api/v1/noop")

    assert status == "200 OK"
    assert json.loads(content) == {}
    assert headers["Content-Length"] == "2"  # keeps the connection open
    assert headers["X-Content-Type-Options"] == "nosniff"  # security headers still on
    assert "Content-Language" not in headers  # no locale negotiation
    assert "X-Frame-Options" not in headers
    assert "Cookie" not in headers.get("Vary", "")  # no session on the token path


@pytest.mark.django_db
def test_it_serves_the_pages_through_the_full_stack() -> None:
    status, headers, _ = call("/")

    assert status.startswith("302")
    assert "/dang-nhap/" in headers["Location"]
    assert headers["Content-Language"] == "vi"
    assert headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_it_answers_an_unknown_token_in_json() -> None:
    status, _, content = call("/api/v1/attempts/khong-co/answers/1", "PUT", b'{"options": [1]}')

    assert status.startswith("404")
    assert "Không tìm thấy bài làm" in json.loads(content)["error"]


def test_it_checks_csrf_on_joining_by_code(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["ybhiong"])

    response = client.post("/api/v1/join", {"code": "ABC234"}, content_type="application/json")

    assert response.status_code == 403


def test_it_keeps_the_api_stacks_small() -> None:
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" not in API_MIDDLEWARE
    assert "django.middleware.csrf.CsrfViewMiddleware" in API_MIDDLEWARE
    assert TOKEN_MIDDLEWARE == (
        "django.middleware.security.SecurityMiddleware",
        "dangvu.core.handlers.api_edge",
        "django.middleware.common.CommonMiddleware",
    )


@pytest.mark.django_db
def test_it_serves_joining_by_code_through_the_session_stack() -> None:
    status, headers, _ = call("/api/v1/join", "POST", b'{"code": "ABC234"}')

    assert status.startswith("403")  # the session stack checks CSRF before anything else
    assert "Content-Language" not in headers
