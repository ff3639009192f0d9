"""Marking who attended a study session, site by site."""

from __future__ import annotations

from typing import Any

import pytest

from dangvu.study import services
from dangvu.study.models import Attendance
from dangvu.study.tests.helpers import (
    EATLING,
    TDP1,
    TDP2,
    documents,
    present_cards,
    session,
    site_of,
)


@pytest.fixture
def district_session(world: Any) -> Any:
    """Ea T'Ling's session with a site at Tổ dân phố 1: four members there, Ánh at the main site."""
    return session(world, EATLING, [documents()["nq-dh-xiii"]], sites=[TDP1])


def _ids(world: Any, *keys: str) -> set[int]:
    return {world.members[k].pk for k in keys}


def test_it_marks_the_members_present_at_a_site(world, district_session):
    site = site_of(district_session, TDP1)

    count = services.attendance_mark(
        session=district_session, site=site, present=_ids(world, "hoa", "binh")
    )

    assert count == 2
    assert present_cards(district_session) == ["67000001", "67000003"]


def test_it_marks_the_others_at_that_site_absent(world, district_session):
    site = site_of(district_session, TDP1)
    services.attendance_mark(session=district_session, site=site, present=_ids(world, "hoa", "an"))

    count = services.attendance_mark(
        session=district_session, site=site, present=_ids(world, "ybhiong")
    )

    assert count == 1
    assert present_cards(district_session) == ["67000002"]


def test_it_gives_the_same_result_when_marked_twice(world, district_session):
    site = site_of(district_session, TDP1)
    present = _ids(world, "hoa", "ybhiong", "an")

    first = services.attendance_mark(session=district_session, site=site, present=present)
    rows = list(Attendance.objects.order_by("pk").values_list("pk", "member_id", "attended"))
    second = services.attendance_mark(session=district_session, site=site, present=present)

    assert first == second == 3
    assert (
        list(Attendance.objects.order_by("pk").values_list("pk", "member_id", "attended")) == rows
    )


def test_it_leaves_the_other_sites_alone(world, district_session):
    main = site_of(district_session, EATLING)
    services.attendance_mark(session=district_session, site=main, present=_ids(world, "anh"))

    count = services.attendance_mark(
        session=district_session, site=site_of(district_session, TDP1), present=set()
    )

    assert count == 0
    assert present_cards(district_session) == ["67000005"]


def test_it_ignores_members_expected_at_another_site_or_not_at_all(world, district_session):
    site = site_of(district_session, TDP1)

    count = services.attendance_mark(
        session=district_session,
        site=site,
        present=_ids(world, "hoa", "anh", "kbinh"),  # Ánh is at the main site; K'Bình not invited
    )

    assert count == 1
    assert present_cards(district_session) == ["67000001"]
    assert not Attendance.objects.filter(member=world.members["kbinh"]).exists()


def test_it_leaves_other_sessions_alone(world, district_session):
    other = session(world, TDP1, [district_session.documents.get()])
    services.attendance_mark(
        session=other, site=site_of(other, TDP1), present=_ids(world, "hoa", "ybhiong")
    )

    services.attendance_mark(
        session=district_session, site=site_of(district_session, TDP1), present=set()
    )

    assert present_cards(other) == ["67000001", "67000002"]
    assert present_cards(district_session) == []


def test_it_marks_the_whole_session_when_no_site_is_given(world, district_session):
    services.attendance_mark(
        session=district_session, site=site_of(district_session, TDP1), present=_ids(world, "an")
    )

    count = services.attendance_mark(session=district_session, present=_ids(world, "hoa", "anh"))

    assert count == 2
    assert present_cards(district_session) == ["67000001", "67000005"]


def test_it_counts_a_cell_outside_the_sites_at_the_main_site(world, district_session):
    """Tổ dân phố 2 has no site of its own: Ánh follows at Ea T'Ling."""
    assert site_of(district_session, EATLING).attendances.get().member == world.members["anh"]
    assert not district_session.sites.filter(unit__code=TDP2).exists()
