"""Recording a study session: its sites (điểm cầu), the members expected at each, and the
refusals that leave nothing behind."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from dangvu.core.errors import DomainError
from dangvu.members.services import member_leave, member_transfer
from dangvu.study import services
from dangvu.study.models import Attendance, Site, StudySession
from dangvu.study.tests.helpers import (
    BP,
    EATLING,
    HELD_ON,
    T1,
    TDP1,
    TDP2,
    UBKT,
    documents,
    expected_at,
    session,
)
from dangvu.units.services import unit_merge

TDP1_CARDS = ["67000001", "67000002", "67000003", "67000004"]


@pytest.fixture
def docs(world: Any) -> dict[str, Any]:
    return documents()


def _nothing_written() -> None:
    assert StudySession.objects.count() == 0
    assert Site.objects.count() == 0
    assert Attendance.objects.count() == 0
    assert StudySession.documents.through.objects.count() == 0


def _refused(world: Any, unit: str, docs: list[Any], **kwargs: Any) -> str:
    with pytest.raises(DomainError) as error:
        session(world, unit, docs, **kwargs)
    _nothing_written()
    return error.value.message


def test_it_expects_every_member_of_the_cell_at_its_own_site(world, docs):
    created = session(
        world,
        TDP1,
        [docs["nq-dh-xiii"]],
        title="  Hội nghị   học tập\nNghị quyết Đại hội XIII ",
        form="mixed",
        speaker="  Nguyễn Thị Hoà ",
        actor=world.users["hoa"],
    )

    stored = StudySession.objects.get(pk=created.pk)
    assert stored.title == "Hội nghị học tập Nghị quyết Đại hội XIII"
    assert (stored.unit, stored.held_on, stored.form) == (world.units[TDP1], HELD_ON, "mixed")
    assert stored.speaker == "Nguyễn Thị Hoà"
    assert stored.created_by == world.users["hoa"]
    assert list(stored.documents.all()) == [docs["nq-dh-xiii"]]
    [site] = stored.sites.all()
    assert (site.unit, site.name, site.is_main) == (world.units[TDP1], "Chi bộ Tổ dân phố 1", True)
    assert expected_at(stored) == {TDP1: TDP1_CARDS}
    assert not Attendance.objects.filter(attended=True).exists()


def test_it_expects_only_members_active_on_the_day(world, docs):
    """Trần Văn An joined on 01/06/2019; Đặng Văn Bình leaves on 01/01/2021."""
    member_leave(member=world.members["binh"], left_on=date(2021, 1, 1))

    before_an = session(world, TDP1, [docs["da-05"]], held_on=date(2019, 5, 31))
    after_binh = session(world, TDP1, [docs["da-05"]], held_on=date(2021, 1, 1))

    assert expected_at(before_an) == {TDP1: ["67000001", "67000002", "67000003"]}
    assert expected_at(after_binh) == {TDP1: ["67000001", "67000002", "67000004"]}


def test_it_expects_members_in_the_cell_where_they_are_on_the_day(world, docs):
    member_transfer(
        member=world.members["ybhiong"], to_cell=world.units[TDP2], effective_on=date(2021, 1, 1)
    )

    before = session(
        world, EATLING, [docs["da-05"]], sites=[TDP1, TDP2], held_on=date(2020, 12, 31)
    )
    after = session(world, EATLING, [docs["da-05"]], sites=[TDP1, TDP2], held_on=date(2021, 1, 1))

    assert expected_at(before)[TDP2] == ["67000005"]
    assert expected_at(after)[TDP2] == ["67000002", "67000005"]
    assert "67000002" not in expected_at(after)[TDP1]


def test_it_places_each_member_once_at_the_site_nearest_their_cell(world, docs):
    created = session(world, "DN", [docs["nq-dh-xiii"]], sites=["DN.CUJUT", EATLING, TDP1, UBKT])

    assert expected_at(created) == {
        "DN": ["67000007", "67000008", "67000009"],  # Đức Minh and Tuy Đức: no site nearer
        "DN.CUJUT": [],  # everyone beneath it has a nearer site
        EATLING: ["67000005"],  # Tổ dân phố 2
        TDP1: TDP1_CARDS,
        UBKT: ["67000006"],
    }
    assert Attendance.objects.filter(session=created).count() == 9
    main, *others = created.sites.values_list("unit__code", "is_main")
    assert main == ("DN", True)  # the main site comes first
    assert sorted(others) == [("DN.CUJUT", False), (EATLING, False), (TDP1, False), (UBKT, False)]


def test_it_names_each_site_after_its_unit_on_the_day(world, docs):
    created = session(world, "DN.CUJUT", [docs["da-05"]], sites=[EATLING])

    assert sorted(created.sites.values_list("name", flat=True)) == [
        "Huyện ủy Cư Jút",
        "Đảng bộ thị trấn Ea T'Ling",
    ]


def test_it_makes_the_organiser_a_site_once_even_when_listed(world, docs):
    created = session(world, EATLING, [docs["da-05"]], sites=[EATLING, TDP2])

    assert sorted(created.sites.values_list("unit__code", "is_main")) == [
        (EATLING, True),
        (TDP2, False),
    ]
    assert expected_at(created) == {EATLING: TDP1_CARDS, TDP2: ["67000005"]}


def test_it_makes_a_site_listed_twice_one_site(world, docs):
    created = session(world, EATLING, [docs["da-05"]], sites=[TDP1, TDP1])

    assert sorted(created.sites.values_list("unit__code", flat=True)) == [EATLING, TDP1]
    assert expected_at(created) == {EATLING: ["67000005"], TDP1: TDP1_CARDS}


def test_it_records_a_session_on_several_documents(world, docs):
    created = session(world, TDP1, [docs["nq-dh-xiii"], docs["nq-dhdb-tinh-xii"]])

    assert sorted(created.documents.values_list("key", flat=True)) == [
        "nq-dh-xiii",
        "nq-dhdb-tinh-xii",
    ]
    assert Attendance.objects.filter(session=created).count() == 4


def test_it_expects_nobody_twice_across_sessions_but_once_in_each(world, docs):
    first = session(world, TDP1, [docs["da-05"]])
    second = session(world, EATLING, [docs["da-05"]], sites=[TDP1])

    assert Attendance.objects.filter(member=world.members["hoa"]).count() == 2
    assert {a.session for a in Attendance.objects.filter(member=world.members["hoa"])} == {
        first,
        second,
    }


# -- refusals ---------------------------------------------------------------------------
@pytest.mark.parametrize("title", ["", "   ", "\n"])
def test_it_refuses_a_session_without_a_title(world, docs, title):
    message = _refused(world, TDP1, [docs["da-05"]], title=title)

    assert message == services.TITLE == "Tên hội nghị không được để trống."


def test_it_refuses_a_session_without_documents(world, docs):
    message = _refused(world, TDP1, [])

    assert message == services.NO_DOCUMENTS == "Chọn ít nhất một văn bản học tập."


def test_it_refuses_an_organiser_that_did_not_exist_on_the_day(world, docs):
    message = _refused(world, "DN.CUJUT", [docs["da-05"]], held_on=date(2003, 12, 31))

    assert message == "Đơn vị DN.CUJUT không tồn tại vào ngày 31/12/2003."


def test_it_refuses_an_organiser_merged_away_before_the_day(world, docs):
    unit_merge(sources=[world.units[TDP2]], target=world.units[TDP1], effective_on=date(2021, 1, 1))

    message = _refused(world, TDP2, [docs["da-05"]], held_on=date(2021, 1, 1))

    assert message == f"Đơn vị {TDP2} không tồn tại vào ngày 01/01/2021."


def test_it_refuses_a_site_merged_away_before_the_day(world, docs):
    unit_merge(sources=[world.units[TDP2]], target=world.units[TDP1], effective_on=date(2021, 1, 1))

    message = _refused(world, EATLING, [docs["da-05"]], sites=[TDP1, TDP2])

    assert message == f"Đơn vị {TDP2} không tồn tại vào ngày 18/06/2021."


@pytest.mark.parametrize("outside", [BP, "DN.DAKMIL", "DN", T1])
def test_it_refuses_a_site_that_is_not_under_the_organiser(world, docs, outside):
    message = _refused(world, "DN.CUJUT", [docs["da-05"]], sites=[EATLING, outside])

    assert message == services.NOT_UNDER.format(code=outside)
    assert message == f"Điểm cầu {outside} không thuộc đơn vị tổ chức."


def test_it_refuses_a_site_that_was_under_the_organiser_only_on_another_day(world, docs):
    """Tổ dân phố 2 is moved under Đắk Mil on 01/01/2021 (by merging it into Đức Minh's
    cell it would vanish; a move keeps it)."""
    from dangvu.units.services import unit_move

    unit_move(
        unit=world.units[TDP2], new_parent=world.units["DN.DAKMIL"], effective_on=date(2021, 1, 1)
    )

    session(world, "DN.CUJUT", [docs["da-05"]], sites=[TDP2], held_on=date(2020, 12, 31))
    with pytest.raises(DomainError) as error:
        session(world, "DN.CUJUT", [docs["da-05"]], sites=[TDP2], held_on=date(2021, 1, 1))

    assert error.value.message == f"Điểm cầu {TDP2} không thuộc đơn vị tổ chức."
    assert StudySession.objects.count() == 1
