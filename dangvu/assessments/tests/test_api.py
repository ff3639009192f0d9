"""The JSON API under /api/v1/: every answer is checked against the OpenAPI document the
server itself serves at /api/v1/openapi.json (jsonschema is not a dependency: the small
validator below knows the keywords the document uses and refuses any other)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver, resolve
from django.utils import timezone

from dangvu.assessments import api, services
from dangvu.assessments.models import Answer, Attempt
from dangvu.assessments.openapi import OPENAPI
from dangvu.assessments.tests.helpers import (
    TDP1,
    attempt_of,
    document_with_bank,
    opened,
    right_options,
    wrong_options,
)

# -- a small validator for the schemas of the document ------------------------------------------
KEYWORDS = {
    "type",
    "format",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "enum",
    "const",
    "allOf",
    "description",
}
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def _is(value: Any, kind: str) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(
        value,
        {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}[kind],
    )


def _properties(schema: dict[str, Any]) -> dict[str, Any] | None:
    """The properties a schema names, through allOf; None when it names none (free form)."""
    named = dict(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        named.update(_properties(part) or {})
    return named if named or "properties" in schema else None


def problems(value: Any, schema: dict[str, Any], where: str = "$", part: bool = False) -> list[str]:
    """What is wrong with value against schema (JSON Schema 2020-12, the keywords above).
    Properties the schema does not name are reported too: the document must say it all."""
    unknown = set(schema) - KEYWORDS
    assert not unknown, f"the test's validator does not know {unknown}"
    found: list[str] = []
    for sub in schema.get("allOf", []):
        found += problems(value, sub, where, part=True)
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_is(value, k) for k in kinds):
            return [*found, f"{where}: {value!r} is not {schema['type']}"]
    if "const" in schema and not (
        type(value) is type(schema["const"]) and value == schema["const"]
    ):
        found.append(f"{where}: {value!r} is not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} not in {schema['enum']}")
    date_time = schema.get("format") == "date-time" and isinstance(value, str)
    if date_time and not DATE_TIME.match(value):
        found.append(f"{where}: {value!r} is not a date-time")
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                found.append(f"{where}: {name} is missing")
        named = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for name, item in value.items():
            if name in named:
                found += problems(item, named[name], f"{where}.{name}")
            elif isinstance(extra, dict):
                found += problems(item, extra, f"{where}.{name}")
        documented = _properties(schema)
        if not part and extra is None and documented is not None:
            found += [f"{where}: {n} is not documented" for n in value if n not in documented]
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            found += problems(item, schema["items"], f"{where}[{i}]")
    return found


def test_it_has_a_validator_that_fails_what_it_should():
    schema = OPENAPI["paths"]["/api/v1/attempts/{token}/answers/{question_id}"]["put"]
    saved = schema["responses"]["200"]["content"]["application/json"]["schema"]
    good = {
        "saved": True,
        "question": 1,
        "options": [2],
        "answered_at": "2024-03-15T01:00:00+00:00",
    }

    assert problems(good, saved) == []
    assert problems({**good, "saved": 1}, saved) == ["$.saved: 1 is not True"]
    assert problems({**good, "options": [True]}, saved) == ["$.options[0]: True is not integer"]
    assert problems({**good, "answered_at": "15/03/2024"}, saved) == [
        "$.answered_at: '15/03/2024' is not a date-time"
    ]
    assert problems({**good, "more": 1}, saved) == ["$: more is not documented"]
    assert problems({"saved": True}, saved) == [
        "$: question is missing",
        "$: options is missing",
        "$: answered_at is missing",
    ]


# -- the document and the requests ------------------------------------------------------------------
@pytest.fixture
def spec(db) -> dict[str, Any]:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def check(spec: dict[str, Any], response: Any, method: str, template: str) -> Any:
    """The response is documented for its status, is JSON, and matches its schema."""
    operation = spec["paths"][template][method.lower()]
    status = str(response.status_code)
    assert status in operation["responses"], f"{method} {template}: {status} is not documented"
    assert response["Content-Type"].startswith("application/json")
    schema = operation["responses"][status]["content"]["application/json"]["schema"]
    body = response.json()
    assert problems(body, schema) == []
    return body


ATTEMPT = "/api/v1/attempts/{token}"
START = "/api/v1/attempts/{token}/start"
ANSWER = "/api/v1/attempts/{token}/answers/{question_id}"
SUBMIT = "/api/v1/attempts/{token}/submit"
RESULTS = "/api/v1/assessments/{assessment_id}/results"
JOIN = "/api/v1/join"


def url(template: str, **kw: object) -> str:
    return template.format(**kw)


def put(client: Client, token: str, question_id: int, body: Any, method: str = "put") -> Any:
    raw = body if isinstance(body, str) else json.dumps(body)
    send = client.put if method == "put" else client.post
    return send(
        url(ANSWER, token=token, question_id=question_id), raw, content_type="application/json"
    )


@pytest.fixture
def document(world):
    return document_with_bank()


@pytest.fixture
def assessment(world, document):
    """Open since a minute ago at Tổ dân phố 1: four questions each, 15 minutes."""
    return opened(world, document, TDP1, opens_at=None, question_count=4)


@pytest.fixture
def phone() -> Client:
    """No session: the token in the address is the credential."""
    return Client()


def test_it_serves_its_openapi_document_to_anyone(spec):
    assert spec == json.loads(json.dumps(OPENAPI))
    assert spec["openapi"] == "3.1.0"


def test_it_documents_every_route_and_answers_every_documented_call(world, spec, assessment):
    attempt = attempt_of(world, assessment, "hoa")
    values = {
        "token": attempt.token,
        "question_id": attempt.questions[0][0],
        "assessment_id": assessment.pk,
    }
    (included,) = [p for p in get_resolver().url_patterns if str(p.pattern) == "api/v1/"]
    routes = {"/api/v1/" + str(route.pattern) for route in included.url_patterns}
    documented = {
        re.sub(r"\{(\w+)\}", lambda m: f"<{'int' if m[1].endswith('id') else 'str'}:{m[1]}>", t)
        for t in spec["paths"]
    }
    assert documented == routes - {"/api/v1/openapi.json"}

    client = world.client("hoa")
    bodies = {JOIN: {"code": assessment.code}, ANSWER: {"options": []}}
    for template, operations in spec["paths"].items():
        path = url(template, **values)
        assert resolve(path).func.__module__ == "dangvu.assessments.api"
        for method in operations:
            body = json.dumps(bodies.get(template, {}))
            response = (
                client.get(path)
                if method == "get"
                else getattr(client, method)(path, body, content_type="application/json")
            )
            assert response.status_code == 200, (method, template, response.content)
            check(spec, response, method, template)


# -- joining ---------------------------------------------------------------------------------------
def test_it_lets_a_member_join_by_the_code(world, spec, assessment):
    client = world.client("ybhiong")
    token = attempt_of(world, assessment, "ybhiong").token

    first = client.post(
        JOIN, {"code": f" {assessment.code.lower()} "}, content_type="application/json"
    )
    again = client.post(JOIN, {"code": assessment.code}, content_type="application/json")

    body = check(spec, first, "POST", JOIN)
    assert body["token"] == token
    assert [q["id"] for q in body["questions"]] == [
        q for q, _ in attempt_of(world, assessment, "ybhiong").questions
    ]
    assert body["attempt"]["started_at"] is not None  # the clock started on joining
    assert check(spec, again, "POST", JOIN)["token"] == token
    assert (
        Attempt.objects.filter(assessment=assessment, member=world.members["ybhiong"]).count() == 1
    )


@pytest.mark.parametrize(
    ("username", "body", "status", "message"),
    [
        ("ybhiong", {"code": "ZZZZZZ"}, 404, api.UNKNOWN_CODE),
        ("kbinh", None, 404, api.NOT_EXPECTED),  # a member of Bon Bu Prăng in Tuy Đức
        ("tochuc", None, 404, api.NOT_A_MEMBER),  # an officer without a member record
        ("ybhiong", "[1]", 400, api.BAD_BODY),
        ("ybhiong", "{", 400, api.BAD_BODY),
    ],
)
def test_it_refuses_to_join_when_it_cannot(
    world, spec, assessment, username, body, status, message
):
    raw = json.dumps({"code": assessment.code}) if body is None else body
    raw = raw if isinstance(raw, str) else json.dumps(raw)

    response = world.client(username).post(JOIN, raw, content_type="application/json")

    assert response.status_code == status
    assert check(spec, response, "POST", JOIN) == {"error": message}


def test_it_tells_an_anonymous_joiner_to_sign_in(spec, assessment):
    response = Client().post(JOIN, {"code": assessment.code}, content_type="application/json")

    assert response.status_code == 401
    assert check(spec, response, "POST", JOIN) == {"error": "Bạn cần đăng nhập trước."}


# -- the member's set ---------------------------------------------------------------------------------
def test_it_shows_an_attempt_before_the_start_without_starting_the_clock(
    world, spec, assessment, phone
):
    """A link preview (or a curious member) reads the attempt: no clock, no questions."""
    attempt = attempt_of(world, assessment, "ybhiong")

    body = check(spec, phone.get(url(ATTEMPT, token=attempt.token)), "GET", ATTEMPT)
    head = phone.head(url(ATTEMPT, token=attempt.token))

    assert head.status_code == 200
    attempt.refresh_from_db()
    assert (attempt.started_at, attempt.deadline) == (None, None)
    assert body["assessment"]["question_count"] == 4
    assert body["attempt"]["started_at"] is None
    assert (body["questions"], body["answers"]) == ([], {})


def test_it_gives_the_member_their_set_and_starts_the_clock(world, spec, assessment, phone):
    attempt = attempt_of(world, assessment, "ybhiong")
    before = timezone.now()

    body = check(spec, phone.post(url(START, token=attempt.token)), "POST", START)

    attempt.refresh_from_db()
    assert before <= attempt.started_at <= timezone.now()
    assert attempt.deadline == attempt.started_at + timedelta(minutes=15)
    assert body["assessment"] == {
        "id": assessment.pk,
        "title": assessment.title,
        "time_limit_minutes": 15,
        "closes_at": assessment.closes_at.isoformat(),
        "question_count": 4,
    }
    assert body["attempt"]["started_at"] == attempt.started_at.isoformat()
    assert body["attempt"]["deadline"] == attempt.deadline.isoformat()
    assert body["attempt"]["submitted_at"] is None
    assert "score" not in body["attempt"]
    assert [(q["id"], [o["id"] for o in q["options"]]) for q in body["questions"]] == [
        (q, o) for q, o in attempt.questions
    ]
    assert [q["number"] for q in body["questions"]] == [1, 2, 3, 4]
    assert [o["letter"] for o in body["questions"][0]["options"]] == ["A", "B", "C", "D"]
    assert body["answers"] == {}

    question_id = attempt.questions[0][0]
    put(phone, attempt.token, question_id, {"options": right_options(assessment, question_id)})
    again = check(spec, phone.get(url(ATTEMPT, token=attempt.token)), "GET", ATTEMPT)
    assert again["attempt"]["started_at"] == body["attempt"]["started_at"]  # the clock runs once
    assert again["questions"] == body["questions"]
    assert again["answers"] == {str(question_id): right_options(assessment, question_id)}
    restart = check(spec, phone.post(url(START, token=attempt.token)), "POST", START)
    assert restart["attempt"]["started_at"] == body["attempt"]["started_at"]
    assert restart["answers"] == again["answers"]


def test_it_answers_not_found_for_an_unknown_token(spec, assessment, phone):
    responses = [
        (phone.get(url(ATTEMPT, token="khong-co-that")), "GET", ATTEMPT),
        (phone.post(url(START, token="khong-co-that")), "POST", START),
        (put(phone, "khong-co-that", 1, {"options": [1]}), "PUT", ANSWER),
        (put(phone, "khong-co-that", 1, {"options": [1]}, "post"), "POST", ANSWER),
        (phone.post(url(SUBMIT, token="khong-co-that")), "POST", SUBMIT),
    ]

    for response, method, template in responses:
        assert response.status_code == 404
        assert check(spec, response, method, template) == {"error": api.UNKNOWN_TOKEN}
    assert not Answer.objects.exists()
    assert not Attempt.objects.exclude(started_at=None).exists()


def test_it_gives_a_joiner_of_a_closed_assessment_the_reason_and_the_token(world, spec, assessment):
    services.assessment_close(assessment=assessment)
    attempt = attempt_of(world, assessment, "ybhiong")
    client = world.client("ybhiong")

    response = client.post(JOIN, {"code": assessment.code}, content_type="application/json")

    assessment.refresh_from_db()
    assert response.status_code == 409
    assert check(spec, response, "POST", JOIN) == {
        "error": services.CLOSED.format(at=services.local(assessment.closes_at)),
        "token": attempt.token,
    }
    attempt.refresh_from_db()
    assert attempt.started_at is None


def test_it_refuses_the_set_of_a_closed_assessment(world, spec, assessment, phone):
    services.assessment_close(assessment=assessment)
    attempt = attempt_of(world, assessment, "binh")

    got = phone.get(url(ATTEMPT, token=attempt.token))
    started = phone.post(url(START, token=attempt.token))
    submitted = phone.post(url(SUBMIT, token=attempt.token))

    assessment.refresh_from_db()
    closed = {"error": services.CLOSED.format(at=services.local(assessment.closes_at))}
    assert got.status_code == 409 and check(spec, got, "GET", ATTEMPT) == closed
    assert started.status_code == 409 and check(spec, started, "POST", START) == closed
    assert submitted.status_code == 409 and check(spec, submitted, "POST", SUBMIT) == closed
    attempt.refresh_from_db()
    assert (attempt.started_at, attempt.submitted_at) == (None, None)


# -- answers ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["put", "post"])
def test_it_keeps_the_last_answer_sent(world, spec, assessment, phone, method):
    attempt = attempt_of(world, assessment, "ybhiong")
    question_id = attempt.questions[1][0]
    wrong, right = wrong_options(assessment, question_id), right_options(assessment, question_id)

    first = put(phone, attempt.token, question_id, {"options": wrong}, method)
    second = put(phone, attempt.token, question_id, {"options": right}, method)

    for response, options in ((first, wrong), (second, right)):
        assert response.status_code == 200
        body = check(spec, response, method.upper(), ANSWER)
        assert (body["saved"], body["question"], body["options"]) == (True, question_id, options)
    answer = Answer.objects.get(attempt=attempt)
    assert (answer.question_id, answer.options) == (question_id, right)
    assert body["answered_at"] == answer.answered_at.isoformat()


def test_it_refuses_an_answer_it_cannot_keep(world, spec, assessment, document, phone):
    attempt = attempt_of(world, assessment, "ybhiong")
    (first, _), (_, second_options) = attempt.questions[:2]
    outside = document.questions.exclude(pk__in=[q for q, _ in attempt.questions]).first().pk
    refused = [
        (outside, {"options": right_options(assessment, outside)}, 409, services.NOT_IN_SET),
        (first, {"options": second_options[:1]}, 409, services.BAD_OPTIONS),
        (first, "không phải JSON", 400, api.BAD_BODY),
        (first, '{"options": "12"}', 400, api.BAD_BODY),
        (first, '{"options": [true]}', 400, api.BAD_BODY),
        (first, '{"options": 5}', 400, api.BAD_BODY),
        (first, "[1]", 400, api.BAD_BODY),
    ]

    for question_id, body, status, message in refused:
        response = put(phone, attempt.token, question_id, body)
        assert response.status_code == status, body
        assert check(spec, response, "PUT", ANSWER) == {"error": message}

    assert not Answer.objects.exists()


# -- submitting --------------------------------------------------------------------------------------------
def test_it_counts_a_repeated_submission_once(world, spec, assessment, phone):
    attempt = attempt_of(world, assessment, "ybhiong")
    for question_id, _ in attempt.questions[:2]:
        put(phone, attempt.token, question_id, {"options": right_options(assessment, question_id)})

    first = check(spec, phone.post(url(SUBMIT, token=attempt.token)), "POST", SUBMIT)
    again = check(spec, phone.post(url(SUBMIT, token=attempt.token)), "POST", SUBMIT)

    attempt.refresh_from_db()
    assert first["already"] is False and again["already"] is True
    for body in (first, again):
        assert (body["score"], body["correct"], body["passed"], body["questions"]) == (
            50.0,
            2,
            True,
            4,
        )
        assert body["submitted_at"] == attempt.submitted_at.isoformat()
        assert "correct_options" not in body
    assert (attempt.correct, attempt.score) == (2, 50.0)
    assert Answer.objects.filter(attempt=attempt).count() == 2
    assert Attempt.objects.exclude(submitted_at=None).count() == 1


def test_it_shows_the_right_answers_but_not_the_score_when_so_set(world, spec, document, phone):
    assessment = opened(
        world, document, TDP1, opens_at=None, question_count=4, show_score=False, show_answers=True
    )
    attempt = attempt_of(world, assessment, "ybhiong")

    body = check(spec, phone.post(url(SUBMIT, token=attempt.token)), "POST", SUBMIT)

    assert body["correct_options"] == {
        str(q): right_options(assessment, q) for q, _ in attempt.questions
    }
    assert not {"score", "correct", "passed"} & set(body)
    attempt.refresh_from_db()
    assert attempt.score == 0.0  # scored all the same, for the staff


def test_it_refuses_a_late_submission_and_changes_nothing(world, spec, assessment, phone):
    attempt = attempt_of(world, assessment, "ybhiong")
    question_id = attempt.questions[0][0]
    put(phone, attempt.token, question_id, {"options": wrong_options(assessment, question_id)})
    ended = timezone.now() - timedelta(minutes=1)
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=ended - timedelta(minutes=15), deadline=ended
    )

    answered = put(
        phone, attempt.token, question_id, {"options": right_options(assessment, question_id)}
    )
    submitted = phone.post(url(SUBMIT, token=attempt.token))

    at = services.local(ended)
    assert answered.status_code == 409
    assert check(spec, answered, "PUT", ANSWER) == {"error": services.TIME_UP.format(at=at)}
    assert submitted.status_code == 409
    assert check(spec, submitted, "POST", SUBMIT) == {"error": services.LATE.format(at=at)}
    assert "bài nộp muộn không được ghi nhận" in submitted.json()["error"]
    attempt.refresh_from_db()
    assert (attempt.submitted_at, attempt.score) == (None, None)
    assert Answer.objects.get(attempt=attempt).options == wrong_options(assessment, question_id)


def test_it_keeps_a_token_to_its_own_attempt(world, spec, assessment, phone):
    other = opened(world, document_with_bank(number=8), TDP1, opens_at=None, question_count=4)
    mine = attempt_of(world, assessment, "ybhiong")
    theirs = attempt_of(world, other, "ybhiong")
    question_id = theirs.questions[0][0]

    response = put(phone, mine.token, question_id, {"options": right_options(other, question_id)})
    submitted = phone.post(url(SUBMIT, token=mine.token))

    assert response.status_code == 409
    assert check(spec, response, "PUT", ANSWER) == {"error": services.NOT_IN_SET}
    assert submitted.status_code == 200
    theirs.refresh_from_db()
    assert (theirs.started_at, theirs.submitted_at) == (None, None)
    assert not Answer.objects.exists()
    assert attempt_of(world, assessment, "hoa").submitted_at is None


# -- results ------------------------------------------------------------------------------------------------
def test_it_gives_the_results_to_staff_of_the_unit(world, spec, assessment, phone):
    for key, right in (("ybhiong", 4), ("hoa", 1)):
        attempt = attempt_of(world, assessment, key)
        for question_id, _ in attempt.questions[:right]:
            put(
                phone,
                attempt.token,
                question_id,
                {"options": right_options(assessment, question_id)},
            )
        phone.post(url(SUBMIT, token=attempt.token))
    phone.post(url(START, token=attempt_of(world, assessment, "binh").token))
    path = url(RESULTS, assessment_id=assessment.pk)

    for username in ("hoa", "tochuc", "quantri"):
        response = world.client(username).get(path)
        assert response.status_code == 200
        body = check(spec, response, "GET", RESULTS)
        assert {
            k: body[k] for k in ("assessment", "expected", "joined", "submitted", "mean", "passed")
        } == {
            "assessment": assessment.pk,
            "expected": 4,
            "joined": 3,
            "submitted": 2,
            "mean": 62.5,
            "passed": 1,
        }
        assert [
            (a["card_number"], a["score"], a["passed"], a["source"]) for a in body["attempts"]
        ] == [
            ("67000001", 25.0, False, "web"),
            ("67000002", 100.0, True, "web"),
            ("67000003", None, None, "web"),
            ("67000004", None, None, "web"),
        ]
        assert body["attempts"][0]["name"] == "Nguyễn Thị Hoà"
        assert sum(i["answered"] for i in body["items"]) == 8
        assert body["cells"] == [
            {
                "name": "Chi bộ Tổ dân phố 1",
                "expected": 4,
                "submitted": 2,
                "mean": 62.5,
                "pass_rate": 50.0,
            }
        ]


def test_it_gives_the_front_the_results_as_figures_only(world, spec, assessment, phone):
    """The Fatherland Front reads the tree's reports, never member records: the same
    figures, no names, no card numbers, no one's score."""
    attempt = attempt_of(world, assessment, "ybhiong")
    for question_id, _ in attempt.questions:
        put(phone, attempt.token, question_id, {"options": right_options(assessment, question_id)})
    phone.post(url(SUBMIT, token=attempt.token))

    response = world.client("mattran").get(url(RESULTS, assessment_id=assessment.pk))

    body = check(spec, response, "GET", RESULTS)
    assert body["attempts"] is None
    assert (body["expected"], body["submitted"], body["mean"]) == (4, 1, 100.0)
    assert body["cells"][0]["submitted"] == 1
    text = response.content.decode()
    for member in world.members.values():
        assert member.card_number not in text and member.full_name not in text


@pytest.mark.parametrize(
    ("username", "unknown"),
    [("kbinh", False), ("huong", False), ("ybhiong", False), ("tochuc", True)],
)
def test_it_hides_the_results_outside_the_subtree(world, spec, document, username, unknown):
    """Bon Bu Prăng's secretary, Đắk Mil's inspector and a plain member see nothing of
    Tổ dân phố 1; the province's organisation officer finds no assessment that is not."""
    assessment = opened(world, document, TDP1, opens_at=None)
    path = url(RESULTS, assessment_id=assessment.pk + 1000 if unknown else assessment.pk)

    response = world.client(username).get(path)

    assert response.status_code == 404
    assert check(spec, response, "GET", RESULTS) == {"error": "Không tìm thấy bài kiểm tra."}


def test_it_tells_an_anonymous_caller_of_the_results_to_sign_in(spec, assessment):
    response = Client().get(url(RESULTS, assessment_id=assessment.pk))

    assert response.status_code == 401
    assert check(spec, response, "GET", RESULTS) == {"error": "Bạn cần đăng nhập trước."}


def test_it_does_nothing_on_the_yardstick(spec):
    response = Client().get("/api/v1/noop")

    assert check(spec, response, "GET", "/api/v1/noop") == {}
