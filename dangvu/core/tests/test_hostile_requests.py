"""Each hostile request of issue 13 (item 13), answered cleanly: never a 500, the page's
own message, nothing changed. The fuzz tests (test_page_fuzz.py, test_api_fuzz.py) throw
such values everywhere; these name the ones found by hand."""

from __future__ import annotations

import json

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from dangvu.assessments import selectors as assessment_selectors
from dangvu.assessments.api import BAD_BODY, UNKNOWN_TOKEN
from dangvu.assessments.models import Answer, Attempt
from dangvu.assessments.tests.helpers import TDP1, document_with_bank, opened
from dangvu.conftest import World
from dangvu.core.handlers import BODY_TOO_LARGE, MAX_API_BODY
from dangvu.core.tests.test_handlers import _keep_the_test_connection, call  # noqa: F401
from dangvu.reviews.models import CollectiveReview, MemberReview
from dangvu.reviews.services import POINTS_RANGE

NESTED = b"[" * 30_000 + b"]" * 30_000  # under the size bound, deeper than the parser recurses
CELL = "DN.CUJUT.EATLING.TDP1"


@pytest.fixture
def attempt(world: World) -> Attempt:
    assessment = opened(world, document_with_bank(), TDP1, opens_at=None)
    return Attempt.objects.filter(assessment=assessment).first()


def _answer(token: str, question: int, body: bytes) -> tuple[str, dict[str, object]]:
    status, _, content = call(f"/api/v1/attempts/{token}/answers/{question}", "PUT", body)
    return status, json.loads(content)


@pytest.mark.django_db
def test_it_answers_deeply_nested_json_without_a_token_as_unknown(attempt: Attempt) -> None:
    assert _answer("khong-co", 1, NESTED) == ("404 Not Found", {"error": UNKNOWN_TOKEN})


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [NESTED, b'{"options": [' + b"9" * 5000 + b"]}", b'{"options": [NaN]}', b'{"o": "\\u0000"}'],
)
def test_it_refuses_a_hostile_body_with_a_real_token(attempt: Attempt, body: bytes) -> None:
    question = attempt.questions[0][0]
    assert _answer(attempt.token, question, body) == ("400 Bad Request", {"error": BAD_BODY})
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_large_body_before_anything_reads_it(
    attempt: Attempt, monkeypatch: pytest.MonkeyPatch
) -> None:
    looked_up: list[str] = []
    monkeypatch.setattr(
        assessment_selectors, "attempt_by_token", lambda token, **kw: looked_up.append(token)
    )
    body = b'{"options": [' + b"1, " * (40 * 1024 * 1024 // 3) + b"1]}"  # 40 MB
    status, content = _answer(attempt.token, 1, body)
    assert (status, content) == ("413 Request Entity Too Large", {"error": BODY_TOO_LARGE})
    assert looked_up == []  # refused at the edge: no view, no query
    assert len(body) > MAX_API_BODY


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "method", "status"),
    [
        ("/api/v1/khong-co", "GET", "404"),
        ("/api/v1/attempts/x/answers/-1", "PUT", "404"),
        ("/api/v1/attempts/a%00b", "GET", "404"),
        ("/api/v1/noop", "DELETE", "405"),
    ],
)
def test_the_api_answers_every_error_in_json(path: str, method: str, status: str) -> None:
    got, headers, content = call(path, method)
    assert got.startswith(status)
    assert headers["Content-Type"] == "application/json"
    assert json.loads(content)["error"]


@pytest.mark.parametrize(
    "query",
    [
        {"nguoi": "99999999999999999999"},  # beyond any key
        {"nguoi": "²"},  # "²".isdigit() is True; int("²") raises
        {"nguoi": "9" * 5000},
        {"items": "x"},  # the pager once looped over request.GET.items
        {"tu": "01/01/0001"},
    ],
)
def test_the_audit_trail_takes_any_filter(world: World, query: dict[str, str]) -> None:
    response = world.client("quantri").get(reverse("accounts:audit"), query)
    assert response.status_code == 200


def test_it_refuses_a_period_of_ten_thousand_years(world: World) -> None:
    response = world.client("tochuc").get("/so-lieu/", {"ky": "0001-01-01..9999-12-31"})
    assert response.status_code == 200
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said == [
        "Kỳ '0001-01-01..9999-12-31' không hợp lệ: ghi năm (2019), quý (2019Q3), tháng "
        "(2019-07) hoặc khoảng ngày (2018-07-05..2023-06-30)."
    ]


@pytest.mark.parametrize("points", ["NaN", "sNaN", "Infinity", "1e999", "²"])
def test_it_refuses_points_that_are_not_a_number(world: World, points: str) -> None:
    client = world.client("hoa")
    before = (MemberReview.objects.count(), CollectiveReview.objects.count())
    member = client.post(
        reverse("reviews:member_save", args=[CELL, 2022, "67000002"]),
        {"ket_qua": "reviewed", "diem": points},
        follow=True,
    )
    collective = client.post(
        reverse("reviews:collective", args=[CELL, 2022]),
        {"tap_the": "cell", "diem": points},
        follow=True,
    )
    for response in (member, collective):
        assert response.status_code == 200
        assert POINTS_RANGE in [str(m) for m in response.context["messages"]]
    assert (MemberReview.objects.count(), CollectiveReview.objects.count()) == before


@pytest.mark.parametrize("url", ["/to-chuc/a%00b/", "/to-chuc/?q=a%00b", "/dang-vien/?q=%00"])
def test_it_refuses_a_nul_character_before_any_view(world: World, url: str) -> None:
    response = world.client("tochuc").get(url)
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()
