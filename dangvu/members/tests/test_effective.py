"""The effective-dating questions, asked of memberships (half-open [valid_from, valid_to))."""

from __future__ import annotations

from datetime import date

import pytest

from dangvu.core.effective import END_OF_TIME, year_bounds
from dangvu.members.models import Member, Membership
from dangvu.units.models import Unit, UnitVersion

# Rows made by hand (a path of codes, not ids) to ask the date questions: no tallies.
pytestmark = pytest.mark.no_tallies


@pytest.fixture
def spans(db):
    unit = Unit.objects.create(code="C1")
    UnitVersion.objects.create(unit=unit, name="Chi bộ 1", kind="cell", path="C1/")
    member = Member.objects.create(
        card_number="A1",
        full_name="Nguyễn Văn A",
        birth_date=date(1970, 1, 1),
        joined_on=date(1995, 1, 1),
        gender="M",
    )
    made = {}
    for key, start, end in [
        ("2019", date(2019, 3, 1), date(2020, 1, 1)),  # ends on 1 January: not in 2020
        ("2020-21", date(2020, 12, 31), date(2021, 2, 1)),
        ("open", date(2022, 5, 1), END_OF_TIME),
    ]:
        made[key] = Membership.objects.create(
            member=member, unit=unit, valid_from=start, valid_to=end
        ).pk
    return made


def _keys(spans, qs) -> set[str]:
    ids = set(qs.values_list("pk", flat=True))
    return {k for k, pk in spans.items() if pk in ids}


def test_the_questions_people_ask(spans) -> None:
    rows = Membership.objects
    assert year_bounds(2020) == (date(2020, 1, 1), date(2021, 1, 1))
    assert _keys(spans, rows.in_year(2019)) == {"2019"}
    assert _keys(spans, rows.in_year(2020)) == {"2020-21"}
    assert _keys(spans, rows.in_year(2021)) == {"2020-21"}
    assert _keys(spans, rows.as_of(date(2020, 1, 1))) == set()
    assert _keys(spans, rows.as_of(date(2022, 5, 1))) == {"open"}
    assert _keys(spans, rows.valid_after(date(2021, 1, 31))) == {"2020-21", "open"}
    assert _keys(spans, rows.starting_after(date(2020, 12, 31))) == {"open"}
    assert _keys(spans, rows.begun_by(date(2020, 12, 31))) == {"2019", "2020-21"}
