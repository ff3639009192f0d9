"""Moving a member's activity between cells (chuyển sinh hoạt), and the history it leaves."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.messages import get_messages

from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import build_scope
from dangvu.core.effective import END_OF_TIME
from dangvu.core.errors import DomainError
from dangvu.members import selectors, services
from dangvu.members.models import Membership, MembershipReason
from dangvu.units.services import unit_merge

TDP1 = "DN.CUJUT.EATLING.TDP1"
TDP2 = "DN.CUJUT.EATLING.TDP2"
MOVED = date(2024, 3, 1)
BEFORE = date(2024, 2, 29)


def _transfer(world, key="binh", to=TDP2, on=MOVED) -> Membership:
    return services.member_transfer(
        member=world.members[key], to_cell=world.units[to], effective_on=on
    )


def _history(member) -> list[tuple[str, date, date, str, str]]:
    return [
        (m.unit.code, m.valid_from, m.valid_to, m.reason_in, m.reason_out)
        for m in member.memberships.select_related("unit").order_by("valid_from")
    ]


def test_it_closes_the_old_membership_and_opens_the_new_one(world):
    _transfer(world)

    assert _history(world.members["binh"]) == [
        (TDP1, date(2005, 3, 3), MOVED, MembershipReason.JOINED, MembershipReason.TRANSFER),
        (TDP2, MOVED, END_OF_TIME, MembershipReason.TRANSFER, ""),
    ]


def test_it_answers_as_of_questions_before_and_after_the_transfer(world):
    _transfer(world)
    binh = world.members["binh"]
    tochuc = world.users["tochuc"]

    def cell_on(day: date) -> str:
        found = selectors.current_cell(binh, day)
        assert found is not None
        return found[1].name

    def roll(code: str, day: date) -> set[str]:
        page = selectors.unit_members(user=tochuc, unit=world.units[code], day=day)
        return {m.card_number for m in page}

    assert cell_on(BEFORE) == "Chi bộ Tổ dân phố 1"
    assert cell_on(MOVED) == "Chi bộ Tổ dân phố 2"
    assert "67000003" in roll(TDP1, BEFORE)
    assert "67000003" not in roll(TDP2, BEFORE)
    assert "67000003" not in roll(TDP1, MOVED)
    assert "67000003" in roll(TDP2, MOVED)


def test_it_moves_the_member_out_of_the_secretarys_current_scope_but_not_her_history(world):
    _transfer(world)
    hoa = build_scope(world.users["hoa"])

    assert hoa.members_on(Capability.VIEW_MEMBERS, BEFORE).filter(card_number="67000003").exists()
    assert (
        not hoa.members_on(Capability.VIEW_MEMBERS, MOVED).filter(card_number="67000003").exists()
    )
    assert hoa.get_member(Capability.VIEW_MEMBERS, "67000003") == world.members["binh"]


def _refused(world, **kwargs) -> str:
    before = _history(world.members[kwargs.get("key", "binh")])
    with pytest.raises(DomainError) as error:
        _transfer(world, **kwargs)
    assert _history(world.members[kwargs.get("key", "binh")]) == before
    return error.value.message


def test_it_refuses_a_transfer_into_the_same_cell(world):
    assert _refused(world, to=TDP1) == services.SAME_CELL.format(name="Đặng Văn Bình")


def test_it_refuses_a_transfer_dated_before_a_later_change(world):
    _transfer(world)

    earlier = _refused(world, to="DN.DAKMIL.DUCMINH.T1", on=date(2023, 6, 1))
    same_day = _refused(world, to="DN.DAKMIL.DUCMINH.T1", on=MOVED)

    assert earlier == services.LATER_MEMBERSHIP.format(name="Đặng Văn Bình", later="01/03/2024")
    assert same_day == services.LATER_MEMBERSHIP.format(name="Đặng Văn Bình", later="01/03/2024")


def test_it_refuses_a_transfer_before_the_member_was_active(world):
    message = _refused(world, on=date(2004, 6, 1))

    assert message == services.NOT_ACTIVE_MEMBER.format(name="Đặng Văn Bình", day="01/06/2004")


def test_it_refuses_a_transfer_after_the_member_left(world):
    services.member_leave(member=world.members["binh"], left_on=date(2024, 1, 1))

    after = _refused(world, on=MOVED)
    before = _refused(world, on=date(2023, 6, 1))

    assert after == services.ALREADY_LEFT.format(name="Đặng Văn Bình", day="01/01/2024")
    assert before == services.LATER_MEMBERSHIP.format(name="Đặng Văn Bình", later="01/01/2024")


def test_it_refuses_a_transfer_to_a_unit_that_is_not_a_cell(world):
    message = _refused(world, to="DN.CUJUT.EATLING")

    assert message == services.NOT_A_CELL.format(
        name="Đảng bộ thị trấn Ea T'Ling", day="01/03/2024"
    )


def test_it_refuses_a_transfer_to_a_cell_merged_away_by_then(world):
    unit_merge(sources=[world.units[TDP2]], target=world.units[TDP1], effective_on=date(2023, 1, 1))

    message = _refused(world, key="hoa", to=TDP2, on=MOVED)

    assert message == services.UNIT_NOT_ACTIVE.format(code=TDP2, day="01/03/2024")


def _form(to: str = TDP2, on: str = "01/03/2024") -> dict[str, str]:
    return {"to_cell_code": to, "effective_on": on}


def test_it_lets_the_secretary_transfer_a_member_of_her_cell(world):
    response = world.client("hoa").post("/dang-vien/67000003/chuyen-sinh-hoat/", _form())

    assert response.status_code == 302
    assert response["Location"] == "/dang-vien/67000003/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Đã chuyển sinh hoạt."]
    assert [row[0] for row in _history(world.members["binh"])] == [TDP1, TDP2]


def test_it_shows_a_refused_transfer_on_the_form(world):
    client = world.client("hoa")

    same = client.post("/dang-vien/67000003/chuyen-sinh-hoat/", _form(to=TDP1))
    unknown = client.post("/dang-vien/67000003/chuyen-sinh-hoat/", _form(to="DN.KHONGCO"))

    assert same.status_code == unknown.status_code == 200
    assert services.SAME_CELL.format(name="Đặng Văn Bình") in same.content.decode()
    assert "Không có đơn vị mã DN.KHONGCO." in unknown.content.decode()
    assert len(_history(world.members["binh"])) == 1


def test_it_shows_both_cells_in_the_history_on_the_member_page(world):
    _transfer(world)

    response = world.client("tochuc").get("/dang-vien/67000003/")

    assert response.status_code == 200
    body = response.content.decode()
    history = body[body.index("Quá trình sinh hoạt") :]
    assert history.index("Chi bộ Tổ dân phố 1") < history.index("Chi bộ Tổ dân phố 2")
    assert "03/03/2005" in history and "29/02/2024" in history and "01/03/2024" in history
    assert "Kết nạp → Chuyển sinh hoạt" in history
    rows = response.context["rows"]
    assert [r.unit_version.name for r in rows] == ["Chi bộ Tổ dân phố 1", "Chi bộ Tổ dân phố 2"]
    assert response.context["current"][1].name == "Chi bộ Tổ dân phố 2"


def test_it_refuses_a_past_transfer_into_a_cell_merged_away_since(world):
    unit_merge(sources=[world.units[TDP2]], target=world.units[TDP1], effective_on=date(2023, 1, 1))

    message = _refused(world, key="cuong", to=TDP2, on=date(2022, 6, 1))

    assert message == services.CELL_ENDED.format(name="Chi bộ Tổ dân phố 2", day="01/01/2023")


def test_the_transfer_form_chooses_the_cell_by_name_with_the_picker(world):
    client = world.client("tochuc")
    url = "/dang-vien/67000003/chuyen-sinh-hoat/"
    page = client.get(url).content.decode()
    assert "data-unit-picker" in page and "Mã chi bộ" not in page
    # A unit that is not a cell, picked by name, gets the existing message; nothing moves.
    not_a_cell = client.post(url, _form(to="Đảng bộ xã Đức Minh"))
    assert services.NOT_A_CELL.format(name="Đảng bộ xã Đức Minh", day="01/03/2024") in (
        not_a_cell.content.decode()
    )
    assert len(_history(world.members["binh"])) == 1
    # Without the script the box is sent as typed: the cell's unique name is enough.
    saved = client.post(url, _form(to="Chi bộ Thôn 1"))
    assert saved.status_code == 302
    assert [row[0] for row in _history(world.members["binh"])] == [TDP1, "DN.DAKMIL.DUCMINH.T1"]


def test_the_transfer_form_finds_no_cell_by_name_outside_reach(world):
    client = world.client("hoa")
    refused = client.post("/dang-vien/67000003/chuyen-sinh-hoat/", _form(to="Chi bộ Thôn 1"))
    assert "Không tìm thấy đơn vị “Chi bộ Thôn 1” trong phạm vi của bạn" in (
        refused.content.decode()
    )
    assert len(_history(world.members["binh"])) == 1
