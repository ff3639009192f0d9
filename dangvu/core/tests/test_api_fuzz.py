"""The JSON API fuzzed from its own OpenAPI document (schemathesis): whatever is sent —
valid or not, with a real token, a stranger's session or none — the answer is never a
server error, and always what the document says (status, content type, body schema).

Bounded in time so that it runs in every `make test`, on SQLite and PostgreSQL."""

from __future__ import annotations

import collections
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dangvu.assessments.models import Attempt
from dangvu.assessments.openapi import OPENAPI
from dangvu.assessments.tests.helpers import TDP1, document_with_bank, opened
from dangvu.conftest import World
from dangvu.core.handlers import ApiHandler, TokenHandler, dispatching

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
CSRF = "fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz"  # a 32-character secret: cookie and header agree
FUZZ = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)

schema = schemathesis.openapi.from_dict(OPENAPI)
application = dispatching(WSGIHandler(), ApiHandler(), TokenHandler())


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """The WSGI application is called directly: a request must not close the connection
    that holds the test's transaction (as Django's test client ensures)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def known(world: World) -> dict[str, list[Any]]:
    """Real values to put into the generated requests now and then, so that the fuzzing
    reaches past "unknown token": tokens, question ids, assessment ids and sessions."""
    assessment = opened(world, document_with_bank(), TDP1, opens_at=None)
    attempts = list(Attempt.objects.filter(assessment=assessment))
    sessions = []
    for persona in ("ybhiong", "hoa", "kbinh", "mattran"):
        client = world.client(persona)
        sessions.append(client.cookies["sessionid"].value)
    return {
        "token": [a.token for a in attempts],
        "question_id": [q for a in attempts for q, _ in a.questions],
        "assessment_id": [assessment.pk],
        "code": [assessment.code],
        "session": sessions,
    }


def _fill(case: schemathesis.Case, data: st.DataObject, known: dict[str, list[Any]]) -> None:
    for name in list(case.path_parameters or {}):
        if known.get(name) and data.draw(st.booleans(), label=f"real {name}"):
            case.path_parameters[name] = data.draw(st.sampled_from(known[name]))
    if (
        isinstance(case.body, dict)
        and "code" in case.body
        and data.draw(st.booleans(), label="real code")
    ):
        case.body["code"] = known["code"][0]


@pytest.mark.parametrize(
    "mode", [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
)
def test_it_answers_every_request_as_its_document_says(
    world: World, known: dict[str, list[Any]], mode: schemathesis.GenerationMode
) -> None:
    strategy = schema.as_strategy(generation_mode=mode)
    statuses: list[int] = []

    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        case = data.draw(strategy, label="case")
        _fill(case, data, known)
        headers = {}
        session = data.draw(st.sampled_from([None, *known["session"]]), label="session")
        if session is not None:
            headers = {"Cookie": f"sessionid={session}; csrftoken={CSRF}", "X-CSRFToken": CSRF}
        response = case.call_and_validate(app=application, headers=headers, checks=CHECKS)
        statuses.append(response.status_code)

    run()
    print(mode, sorted(collections.Counter(statuses).items()))
    assert len(statuses) >= 50  # the fuzzing ran, it did not give up on the first cases
