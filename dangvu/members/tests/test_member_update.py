"""Correcting a member's personal data, by the service and on Hoà's edit page."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.messages import get_messages

from dangvu.core.errors import DomainError
from dangvu.members import services
from dangvu.members.models import Gender, ManagementLevel, Member


def _update(member: Member, **overrides: Any) -> Member:
    fields: dict[str, Any] = {
        "full_name": member.full_name,
        "birth_date": member.birth_date,
        "gender": member.gender,
        "joined_on": member.joined_on,
        "full_member_on": member.full_member_on,
        "management_level": member.management_level,
        "is_committee_member": member.is_committee_member,
        "is_exempt": member.is_exempt,
    }
    fields.update(overrides)
    return services.member_update(member=member, **fields)


def test_it_corrects_personal_data_and_the_search_columns(world):
    member = world.members["binh"]

    _update(
        member,
        full_name=" Đặng  Văn   Bính ",
        birth_date=date(1981, 2, 3),
        full_member_on=None,
        management_level=ManagementLevel.GRASSROOTS,
        is_committee_member=True,
        is_exempt=True,
    )

    member.refresh_from_db()
    assert member.full_name == "Đặng Văn Bính"
    assert member.name_search == " dang van binh "
    assert member.birth_date == date(1981, 2, 3)
    assert member.is_probationary
    assert member.management_level == ManagementLevel.GRASSROOTS
    assert member.is_committee_member and member.is_exempt
    assert member.card_number == "67000003"
    assert member.memberships.count() == 1


def test_it_refuses_a_blank_name_and_keeps_the_record(world):
    member = world.members["binh"]

    with pytest.raises(DomainError) as error:
        _update(member, full_name="  ")

    assert error.value.message == services.NAME_REQUIRED
    assert Member.objects.get(pk=member.pk).full_name == "Đặng Văn Bình"


def test_it_refuses_dates_out_of_order_and_keeps_the_record(world):
    member = world.members["binh"]

    with pytest.raises(DomainError) as error:
        _update(member, joined_on=date(2006, 3, 4))  # after the full membership date

    assert error.value.message == services.DATES_ORDER
    assert Member.objects.get(pk=member.pk).joined_on == date(2005, 3, 3)


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "full_name": "Y Bhiông Niê",
        "birth_date": "02/04/1988",
        "gender": Gender.MALE,
        "joined_on": "03/03/2005",
        "full_member_on": "03/03/2006",
        "management_level": "",
    }
    data.update(overrides)
    return data


def test_it_shows_the_edit_form_filled_in(world):
    response = world.client("hoa").get("/dang-vien/67000002/sua/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Sửa thông tin đảng viên" in body
    assert 'value="Y Bhiông Niê"' in body
    assert 'type="date" name="birth_date" value="1988-04-02"' in body  # the phone's date picker


def test_it_lets_the_secretary_edit_a_member_of_her_cell(world):
    response = world.client("hoa").post(
        "/dang-vien/67000002/sua/",
        _form(full_name="Y Bhiông Êban", is_committee_member="on", full_member_on=""),
    )

    assert response.status_code == 302
    assert response["Location"] == "/dang-vien/67000002/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Đã cập nhật thông tin đảng viên."
    ]
    member = Member.objects.get(card_number="67000002")
    assert member.full_name == "Y Bhiông Êban"
    assert member.is_committee_member
    assert member.full_member_on is None


def test_it_shows_the_refusal_on_the_edit_form(world):
    response = world.client("hoa").post("/dang-vien/67000002/sua/", _form(joined_on="01/01/1980"))

    assert response.status_code == 200
    assert services.DATES_ORDER in response.content.decode()
    assert Member.objects.get(card_number="67000002").joined_on == date(2005, 3, 3)
