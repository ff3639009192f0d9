"""What each persona sees of study sessions and training: the organising unit's subtree."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.http import Http404

from dangvu.accounts.permissions import Capability
from dangvu.study import selectors, services
from dangvu.study.tests.helpers import (
    BP,
    EATLING,
    TDP1,
    UBKT,
    documents,
    session,
    site_of,
)


@pytest.fixture
def sessions(world: Any) -> dict[str, Any]:
    """A session at the province, at Ea T'Ling, at Tổ dân phố 1, in Đắk Mil and in Tuy Đức."""
    doc = documents()["nq-dh-xiii"]
    return {
        "DN": session(world, "DN", [doc], held_on=date(2021, 6, 1)),
        EATLING: session(world, EATLING, [doc], sites=[TDP1], held_on=date(2021, 6, 2)),
        TDP1: session(world, TDP1, [doc], held_on=date(2021, 6, 3)),
        UBKT: session(world, UBKT, [doc], held_on=date(2021, 6, 4)),
        BP: session(world, BP, [doc], held_on=date(2021, 6, 5)),
    }


def _seen(world: Any, persona: str, cap: Capability = Capability.VIEW_REPORTS) -> list[str]:
    return [s.unit.code for s in selectors.sessions_visible(user=world.users[persona], cap=cap)]


def test_it_shows_the_province_every_session_newest_first(world, sessions):
    for persona in ["tochuc", "tuyengiao", "mattran", "quantri"]:
        assert _seen(world, persona) == [BP, UBKT, TDP1, EATLING, "DN"]


def test_it_shows_a_secretary_only_the_sessions_of_her_cell(world, sessions):
    assert _seen(world, "hoa") == [TDP1]
    assert _seen(world, "kbinh") == [BP]


def test_it_shows_the_inspector_the_sessions_of_her_district(world, sessions):
    assert _seen(world, "huong") == [UBKT]


def test_it_shows_a_member_without_staff_rights_no_session(world, sessions):
    assert _seen(world, "ybhiong") == []


def test_it_narrows_to_the_sessions_one_may_run(world, sessions):
    assert _seen(world, "mattran", Capability.RUN_STUDY) == []
    assert _seen(world, "huong", Capability.RUN_STUDY) == []
    assert _seen(world, "hoa", Capability.RUN_STUDY) == [TDP1]


def test_it_counts_the_expected_and_the_present(world, sessions):
    district = sessions[EATLING]
    services.attendance_mark(
        session=district,
        site=site_of(district, TDP1),
        present={world.members["hoa"].pk, world.members["an"].pk},
    )

    found = selectors.sessions_visible(user=world.users["tochuc"]).get(pk=district.pk)

    assert (found.expected, found.present) == (5, 2)
    assert [d.key for d in found.documents.all()] == ["nq-dh-xiii"]


def test_it_keeps_the_counts_right_for_a_session_on_several_documents(world):
    docs = documents()
    created = session(world, TDP1, [docs["nq-dh-xiii"], docs["da-05"]])
    services.attendance_mark(session=created, present={world.members["hoa"].pk})

    found = selectors.sessions_visible(user=world.users["hoa"]).get()

    assert (found.expected, found.present) == (4, 1)


def test_it_finds_a_session_within_reach(world, sessions):
    found = selectors.session_or_404(user=world.users["huong"], session_id=sessions[UBKT].pk)

    assert found == sessions[UBKT]


@pytest.mark.parametrize(
    ("persona", "unit"),
    [("hoa", EATLING), ("hoa", BP), ("kbinh", TDP1), ("huong", TDP1), ("ybhiong", TDP1)],
)
def test_it_answers_not_found_for_a_session_out_of_reach(world, sessions, persona, unit):
    with pytest.raises(Http404):
        selectors.session_or_404(user=world.users[persona], session_id=sessions[unit].pk)


def test_it_answers_not_found_to_one_who_may_see_but_not_run_the_session(world, sessions):
    with pytest.raises(Http404):
        selectors.session_or_404(
            user=world.users["mattran"], session_id=sessions[TDP1].pk, cap=Capability.RUN_STUDY
        )


def test_it_shows_training_of_the_units_within_reach(world):
    services.training_class_create(
        title="Lớp ở Cư Jút",
        unit=world.units["DN.CUJUT"],
        kind="refresher",
        start_on=date(2021, 3, 1),
        end_on=date(2021, 3, 5),
        participant_cards=["67000001", "67000005"],
    )
    services.training_class_create(
        title="Lớp ở Tuy Đức",
        unit=world.units["DN.TUYDUC"],
        kind="refresher",
        start_on=date(2021, 4, 1),
        end_on=date(2021, 4, 5),
        participant_cards=["67000008"],
    )
    services.theory_training_add(
        card_number="67000002", level="advanced", completed_on=date(2021, 1, 1)
    )
    services.theory_training_add(
        card_number="67000009", level="advanced", completed_on=date(2021, 1, 1)
    )

    province = world.users["tochuc"]
    assert sorted((c.title, c.n) for c in selectors.trainings_visible(user=province)) == [
        ("Lớp ở Cư Jút", 2),
        ("Lớp ở Tuy Đức", 1),
    ]
    assert sorted(t.member.card_number for t in selectors.theory_visible(user=province)) == [
        "67000002",
        "67000009",
    ]
    kbinh = world.users["kbinh"]
    assert [c.title for c in selectors.trainings_visible(user=kbinh)] == []  # at the district
    assert [t.member.card_number for t in selectors.theory_visible(user=kbinh)] == ["67000009"]
    hoa = world.users["hoa"]
    assert [t.member.card_number for t in selectors.theory_visible(user=hoa)] == ["67000002"]
    assert list(selectors.trainings_visible(user=world.users["ybhiong"])) == []
