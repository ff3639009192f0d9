"""Meetings written through the roles in force today, attendance read of the days the member
stood in reach, and nothing told of members outside it."""

from __future__ import annotations

from datetime import date

from django.contrib.messages import get_messages

from dangvu.accounts.models import Department
from dangvu.accounts.services import account_create, role_grant
from dangvu.conftest import PASSWORD, ROLES_FROM, World
from dangvu.meetings import views
from dangvu.meetings.models import Meeting
from dangvu.meetings.services import MeetingSpec, meeting_save
from dangvu.members.services import member_transfer
from dangvu.reviews.selectors import evidence

TDP1 = "DN.CUJUT.EATLING.TDP1"
TDP2 = "DN.CUJUT.EATLING.TDP2"
BP = "DN.TUYDUC.QUANGTRUC.BP"


def _form(**extra: str) -> dict[str, str]:
    return {
        "loai": "regular",
        "thang": "2022-05",
        "noi_dung": "Kiểm điểm nhiệm vụ tháng.",
        "ngay": "12/05/2022",
        "thoi_luong": "100",
        **extra,
    }


def test_it_lets_no_role_that_has_ended_record_a_meeting(world: World) -> None:
    client = world.client("tuyduc.cu")

    page = client.get(f"/sinh-hoat/{BP}/ghi/")
    response = client.post(f"/sinh-hoat/{BP}/ghi/", _form())

    assert (page.status_code, response.status_code) == (404, 404)
    assert not Meeting.objects.exists()


def test_it_names_only_a_committee_member_above_the_cell_as_the_upper_attendee(
    world: World,
) -> None:
    cuong, kbinh, binh = (world.members[k] for k in ("cuong", "kbinh", "binh"))
    for member in (cuong, kbinh, binh):
        member.is_committee_member = True
        member.save()

    def refusal(card: str) -> list[str]:
        response = world.client("hoa").post(f"/sinh-hoat/{TDP1}/ghi/", _form(cap_tren=card))
        return [str(m) for m in get_messages(response.wsgi_request)]

    # A card in another district, and one that exists nowhere: the same answer.
    for card in ("67000008", "67000007", "67009999"):
        assert refusal(card) == [views.NO_UPPER_MEMBER.format(card=card)]
    assert not Meeting.objects.exists()
    # A committee member under Ea T'Ling, the level above the cell, is named.
    world.client("hoa").post(f"/sinh-hoat/{TDP1}/ghi/", _form(cap_tren="67000003"))
    assert Meeting.objects.get().upper_member == binh


def test_it_counts_a_members_attendance_only_of_the_days_in_reach(world: World) -> None:
    an = world.members["an"]
    meeting_save(
        spec=MeetingSpec(
            unit=world.units[TDP1],
            kind="regular",
            month=date(2022, 3, 1),
            topics="Tháng 3.",
            held_on=date(2022, 3, 10),
            duration_minutes=120,
            attendance={an.pk: (True, "")},
        )
    )
    member_transfer(member=an, to_cell=world.units[TDP2], effective_on=date(2022, 7, 1))
    meeting_save(
        spec=MeetingSpec(
            unit=world.units[TDP2],
            kind="regular",
            month=date(2022, 9, 1),
            topics="Tháng 9.",
            held_on=date(2022, 9, 10),
            duration_minutes=120,
            attendance={an.pk: (True, "")},
        )
    )
    tdp2 = account_create(username="bithu.tdp2", password=PASSWORD, check_password=False)
    role_grant(
        user=tdp2, unit=world.units[TDP2], department=Department.SECRETARY, valid_from=ROLES_FROM
    )

    def attended(user) -> int:
        return evidence(user=user, member=an, year=2022).meetings_attended

    assert attended(world.users["hoa"]) == 1  # March, in her cell
    assert attended(tdp2) == 1  # September, in Tổ dân phố 2
    assert attended(world.users["tochuc"]) == 2
