"""Properties of the request helpers every view parses with (core/http.py): whatever a
request carries, a value within bounds or the page's own refusal — never a server error."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangvu.accounts.http import requested_day
from dangvu.conftest import World
from dangvu.core.errors import DomainError
from dangvu.core.http import MAX_PAGE, form_day, json_object, page_number
from dangvu.lib.dates import FIRST_YEAR, LAST_YEAR

TRAPS = ["²", "١٢", "9" * 5000, "99999999999999999999", "-1", "NaN", "31/12/9999", "\x00"]
TEXT = st.one_of(st.text(), st.sampled_from(TRAPS), st.integers().map(str))
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)


@settings(deadline=None)  # a loaded CI machine: no per-example deadline
@given(raw=TEXT)
def test_a_page_number_is_within_bounds(raw: str) -> None:
    number = page_number(RequestFactory().get("/", {"trang": raw}))
    assert 1 <= number <= MAX_PAGE


@settings(deadline=None)  # a loaded CI machine: no per-example deadline
@given(raw=TEXT)
def test_a_form_day_is_within_the_years_or_names_the_field(raw: str) -> None:
    try:
        day = form_day(raw, "Ngày họp")
    except DomainError as error:
        assert error.message.startswith("Ngày họp không hợp lệ")
        return
    assert FIRST_YEAR <= day.year <= LAST_YEAR


@settings(deadline=None)  # a loaded CI machine: no per-example deadline
@given(body=st.one_of(st.binary(max_size=200), JSON.map(lambda v: json.dumps(v).encode())))
def test_a_json_body_is_an_object_or_refused(body: bytes) -> None:
    try:
        data = json_object(body)
    except ValueError:
        return
    assert isinstance(data, dict)


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,  # deeper than the parser recurses
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        b'{"options": [' + b"9" * 5000 + b"]}",  # more digits than int() reads
        b'{"code": "A\\u0000B"}',  # NUL, which PostgreSQL refuses
        b"\xff\xfe\x00",
        b"[1, 2]",
        b"NaN",
    ],
)
def test_it_refuses_a_hostile_json_body(body: bytes) -> None:
    with pytest.raises(ValueError, match="không phải một đối tượng JSON"):
        json_object(body)


def test_the_day_a_page_looks_at_is_within_the_years(world: World) -> None:
    user = world.users["hoa"]

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(raw=TEXT)
    def run(raw: str) -> None:
        request = RequestFactory().get("/", {"ngay": raw})
        request.user = user
        request.session = {}  # type: ignore[assignment]
        request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
        day = requested_day(request)  # type: ignore[arg-type]
        assert date(FIRST_YEAR, 1, 1) <= day <= date(LAST_YEAR, 12, 31)

    run()
