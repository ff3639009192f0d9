"""Recording that a member left the Party (ra khỏi Đảng)."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.messages import get_messages

from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import build_scope
from dangvu.core.errors import DomainError
from dangvu.members import selectors, services
from dangvu.members.models import Member, MembershipReason

LEFT = date(2024, 1, 1)


def test_it_closes_the_membership_on_the_day_the_member_left(world):
    services.member_leave(member=world.members["binh"], left_on=LEFT)

    binh = Member.objects.get(card_number="67000003")
    assert binh.left_on == LEFT
    membership = binh.memberships.get()
    assert membership.valid_to == LEFT
    assert membership.reason_out == MembershipReason.LEFT


def test_it_drops_the_member_from_the_roll_after_the_date_but_keeps_them_findable(world):
    services.member_leave(member=world.members["binh"], left_on=LEFT)
    hoa = world.users["hoa"]
    scope = build_scope(hoa)

    on = scope.members_on(Capability.VIEW_MEMBERS, date(2023, 12, 31))
    after = scope.members_on(Capability.VIEW_MEMBERS, LEFT)
    assert on.filter(card_number="67000003").exists()
    assert not after.filter(card_number="67000003").exists()
    assert after.filter(card_number="67000001").exists()

    def found(include_former: bool) -> list[str]:
        results = selectors.member_search(
            user=hoa, query="dang van binh", day=LEFT, include_former=include_former
        )
        return [m.card_number for m in results]

    assert found(include_former=False) == []
    assert found(include_former=True) == ["67000003"]


def test_it_shows_former_members_in_search_only_when_asked(world):
    services.member_leave(member=world.members["binh"], left_on=LEFT)
    client = world.client("hoa")

    current = client.get("/dang-vien/", {"q": "binh", "ngay": "01/06/2024"})
    former = client.get("/dang-vien/", {"q": "binh", "ngay": "01/06/2024", "ca_cu": "1"})

    assert list(current.context["results"]) == []
    assert [m.card_number for m in former.context["results"]] == ["67000003"]
    body = former.content.decode()
    assert "đã ra khỏi Đảng" in body
    assert "Chi bộ Tổ dân phố 1" in body  # the last cell


def test_it_refuses_to_record_leaving_twice(world):
    services.member_leave(member=world.members["binh"], left_on=LEFT)

    with pytest.raises(DomainError) as error:
        services.member_leave(member=world.members["binh"], left_on=date(2024, 6, 1))

    assert error.value.message == services.ALREADY_LEFT.format(
        name="Đặng Văn Bình", day="01/01/2024"
    )
    assert Member.objects.get(card_number="67000003").left_on == LEFT


def test_it_refuses_to_record_leaving_before_a_later_transfer(world):
    services.member_transfer(
        member=world.members["binh"],
        to_cell=world.units["DN.CUJUT.EATLING.TDP2"],
        effective_on=date(2024, 3, 1),
    )

    with pytest.raises(DomainError) as error:
        services.member_leave(member=world.members["binh"], left_on=LEFT)

    assert error.value.message == services.LATER_MEMBERSHIP.format(
        name="Đặng Văn Bình", later="01/03/2024"
    )
    binh = Member.objects.get(card_number="67000003")
    assert binh.left_on is None
    assert binh.memberships.filter(reason_out=MembershipReason.LEFT).count() == 0


def test_it_lets_the_secretary_record_leaving_on_the_web(world):
    response = world.client("hoa").post(
        "/dang-vien/67000003/ra-khoi-dang/", {"left_on": "01/01/2024"}
    )

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Đã ghi nhận ra khỏi Đảng."]
    assert Member.objects.get(card_number="67000003").left_on == LEFT
    page = world.client("hoa").get("/dang-vien/67000003/").content.decode()
    assert "Đã ra khỏi Đảng từ ngày 01/01/2024." in page
    assert "Kết nạp → Ra khỏi Đảng" in page
