"""Registering a member: the service's checks and the page Hoà uses for her cell."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.messages import get_messages

from dangvu.core.effective import END_OF_TIME
from dangvu.core.errors import DomainError
from dangvu.members import services, views
from dangvu.members.models import Gender, Member, Membership, MembershipReason
from dangvu.units.services import unit_merge, unit_move

TDP1 = "DN.CUJUT.EATLING.TDP1"
TDP2 = "DN.CUJUT.EATLING.TDP2"
BP = "DN.TUYDUC.QUANGTRUC.BP"


def _create(world: Any, **overrides: Any) -> Member:
    fields: dict[str, Any] = {
        "card_number": "67000100",
        "full_name": "Nguyễn Văn Mới",
        "birth_date": date(1990, 1, 15),
        "gender": Gender.MALE,
        "joined_on": date(2020, 5, 19),
        "full_member_on": date(2021, 5, 19),
        "cell": world.units[TDP1],
    }
    fields.update(overrides)
    return services.member_create(**fields)


def _refused(world: Any, **overrides: Any) -> str:
    before = Member.objects.count(), Membership.objects.count()
    with pytest.raises(DomainError) as error:
        _create(world, **overrides)
    assert (Member.objects.count(), Membership.objects.count()) == before
    return error.value.message


def test_it_registers_a_member_active_in_the_cell_from_joining(world):
    member = _create(world, card_number=" 67000100 ", full_name="  Nguyễn   Văn  Mới ")

    member.refresh_from_db()
    assert member.card_number == "67000100"
    assert member.full_name == "Nguyễn Văn Mới"
    assert member.name_search == " nguyen van moi "
    membership = member.memberships.get()
    assert membership.unit == world.units[TDP1]
    assert (membership.valid_from, membership.valid_to) == (date(2020, 5, 19), END_OF_TIME)
    assert membership.reason_in == MembershipReason.JOINED
    assert membership.reason_out == ""


def test_it_starts_the_membership_on_active_from_when_given(world):
    member = _create(world, active_from=date(2022, 1, 1))

    assert member.memberships.get().valid_from == date(2022, 1, 1)


@pytest.mark.parametrize(
    "card",
    ["", "   ", "67-000100", "67 000100", "Đ6700010", "670001000000000000001"],
)
def test_it_refuses_a_malformed_card_number(world, card):
    assert _refused(world, card_number=card) == services.CARD_INVALID


def test_it_accepts_a_card_number_of_ascii_letters_and_digits(world):
    member = _create(world, card_number="DN2020AB01")

    assert Member.objects.get(pk=member.pk).card_number == "DN2020AB01"


def test_it_refuses_a_blank_name(world):
    assert _refused(world, full_name="   ") == services.NAME_REQUIRED


def test_it_refuses_a_card_number_already_registered(world):
    message = _refused(world, card_number="67000001", full_name="Người Khác")

    assert message == services.CARD_TAKEN.format(card="67000001")
    assert Member.objects.get(card_number="67000001").full_name == "Nguyễn Thị Hoà"


@pytest.mark.parametrize(
    ("birth", "joined", "full"),
    [
        (date(1990, 1, 15), date(1990, 1, 15), None),  # joined the day they were born
        (date(1990, 1, 15), date(1989, 12, 31), None),  # joined before birth
        (date(1990, 1, 15), date(2020, 5, 19), date(2020, 5, 18)),  # full before joining
    ],
)
def test_it_refuses_dates_out_of_order(world, birth, joined, full):
    message = _refused(world, birth_date=birth, joined_on=joined, full_member_on=full)

    assert message == services.DATES_ORDER


def test_it_accepts_a_probationary_member_and_full_membership_on_the_joining_day(world):
    probationary = _create(world, full_member_on=None)
    same_day = _create(world, card_number="67000101", full_member_on=date(2020, 5, 19))

    assert Member.objects.get(pk=probationary.pk).is_probationary
    assert not Member.objects.get(pk=same_day.pk).is_probationary


def test_it_refuses_a_unit_that_is_not_a_cell(world):
    message = _refused(world, cell=world.units["DN.CUJUT.EATLING"])

    assert message == services.NOT_A_CELL.format(
        name="Đảng bộ thị trấn Ea T'Ling", day="19/05/2020"
    )


def test_it_accepts_a_grassroots_cell(world):
    member = _create(world, cell=world.units["DN.DAKMIL.UBKT"])

    assert member.memberships.get().unit == world.units["DN.DAKMIL.UBKT"]


def test_it_refuses_a_cell_that_did_not_exist_yet_on_the_start_date(world):
    message = _refused(world, joined_on=date(2002, 5, 19), full_member_on=None)

    assert message == services.UNIT_NOT_ACTIVE.format(code=TDP1, day="19/05/2002")


def test_it_refuses_a_cell_merged_away_before_the_start_date(world):
    unit_merge(sources=[world.units[TDP2]], target=world.units[TDP1], effective_on=date(2021, 1, 1))

    message = _refused(
        world, cell=world.units[TDP2], joined_on=date(2022, 5, 19), full_member_on=None
    )

    assert message == services.UNIT_NOT_ACTIVE.format(code=TDP2, day="19/05/2022")


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "card_number": "67000100",
        "full_name": "Nguyễn Văn Mới",
        "birth_date": "15/01/1990",
        "gender": "M",
        "joined_on": "19/05/2020",
        "full_member_on": "19/05/2021",
        "management_level": "",
        "active_from": "",
    }
    data.update(overrides)
    return data


def test_it_lets_the_secretary_register_a_member_in_her_cell(world):
    response = world.client("hoa").post(f"/dang-vien/them/{TDP1}/", _form())

    assert response.status_code == 302
    assert response["Location"] == "/dang-vien/67000100/"
    member = Member.objects.get(card_number="67000100")
    assert member.full_name == "Nguyễn Văn Mới"
    assert member.birth_date == date(1990, 1, 15)
    assert member.memberships.get().unit == world.units[TDP1]
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Đã thêm đảng viên."]


def test_it_shows_the_refusal_on_the_form_and_registers_nothing(world):
    response = world.client("hoa").post(f"/dang-vien/them/{TDP1}/", _form(card_number="67000002"))

    assert response.status_code == 200
    assert services.CARD_TAKEN.format(card="67000002") in response.content.decode()
    assert Member.objects.filter(full_name="Nguyễn Văn Mới").count() == 0


def test_it_lets_todays_secretary_register_a_start_before_she_took_office(world):
    # Her role began in 2018; she holds the cell today and keeps its history.
    response = world.client("hoa").post(f"/dang-vien/them/{TDP1}/", _form(active_from="01/01/2017"))

    assert response.status_code == 302
    membership = Member.objects.get(card_number="67000100").memberships.get()
    assert (membership.unit, membership.valid_from) == (world.units[TDP1], date(2017, 1, 1))


def test_it_refuses_a_member_registered_by_a_role_that_has_ended(world):
    # Tuy Đức's organisation officer until 01/07/2025, dating the start in 2024, when
    # her role was in force: a role that has ended writes nothing.
    client = world.client("tuyduc.cu")

    page = client.get(f"/dang-vien/them/{BP}/")
    response = client.post(f"/dang-vien/them/{BP}/", _form(active_from="01/06/2024"))

    assert page.status_code == 404
    assert response.status_code == 404
    assert not Member.objects.filter(card_number="67000100").exists()


def test_it_refuses_a_start_when_the_cell_stood_outside_the_reach(world):
    unit_move(
        unit=world.units[TDP2],
        new_parent=world.units["DN.DAKMIL.DUCMINH"],
        effective_on=date(2023, 1, 1),
    )
    dakmil, cujut = _officer(world, "DN.DAKMIL"), _officer(world, "DN.CUJUT")

    before = dakmil.post(f"/dang-vien/them/{TDP2}/", _form(active_from="01/06/2022"))
    former = cujut.post(f"/dang-vien/them/{TDP2}/", _form(active_from="01/06/2022"))

    assert before.status_code == 200
    assert before.context["form"].non_field_errors() == [views.NOT_MANAGED_ON_START]
    assert former.status_code == 404  # the cell has left Cư Jút: its records went with it
    assert not Member.objects.filter(card_number="67000100").exists()
    response = dakmil.post(f"/dang-vien/them/{TDP2}/", _form(active_from="01/06/2023"))
    assert response.status_code == 302


def _officer(world, code: str):
    from dangvu.accounts.models import Department
    from dangvu.accounts.services import account_create, role_grant
    from dangvu.conftest import PASSWORD, ROLES_FROM

    user = account_create(
        username=f"tochuc.{code.lower()}", password=PASSWORD, check_password=False
    )
    role_grant(
        user=user, unit=world.units[code], department=Department.ORGANISATION, valid_from=ROLES_FROM
    )
    return _logged_in(world, user)


def _logged_in(world, user):
    client = world.client(None)
    client.force_login(user)
    return client


def test_it_hides_the_registration_page_of_another_cell(world):
    assert world.client("hoa").get(f"/dang-vien/them/{TDP2}/").status_code == 404
    assert world.client("kbinh").get(f"/dang-vien/them/{TDP1}/").status_code == 404
    response = world.client("kbinh").post(f"/dang-vien/them/{TDP1}/", _form())
    assert response.status_code == 404
    assert not Member.objects.filter(card_number="67000100").exists()


def test_it_refuses_a_past_start_in_a_cell_merged_away_since(world):
    unit_merge(sources=[world.units[TDP2]], target=world.units[TDP1], effective_on=date(2021, 1, 1))

    message = _refused(world, cell=world.units[TDP2], joined_on=date(2020, 5, 19))

    assert message == services.CELL_ENDED.format(name="Chi bộ Tổ dân phố 2", day="01/01/2021")
