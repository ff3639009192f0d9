"""Who sees which member page: the record, one's own record, and the pages that change it."""

from __future__ import annotations

import pytest

from dangvu.members.models import Member

ACTIONS = ["sua", "chuyen-sinh-hoat", "ra-khoi-dang"]


def test_it_shows_the_member_record_with_the_current_cell(world):
    response = world.client("hoa").get("/dang-vien/67000002/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Y Bhiông Niê" in body and "67000002" in body
    assert "02/04/1988" in body
    assert "Chi bộ Tổ dân phố 1" in body
    assert response.context["can_manage"] is True
    for action in ACTIONS:
        assert f"/dang-vien/67000002/{action}/" in body


def test_it_sends_the_member_to_their_own_record(world):
    client = world.client("ybhiong")

    response = client.get("/ho-so-cua-toi/")

    assert response.status_code == 302
    assert response["Location"] == "/dang-vien/67000002/"
    own = client.get(response["Location"])
    assert own.status_code == 200
    assert own.context["is_self"] is True
    assert own.context["can_manage"] is False
    body = own.content.decode()
    assert "Y Bhiông Niê" in body and "Chi bộ Tổ dân phố 1" in body
    assert "/dang-vien/67000002/sua/" not in body


def test_it_hides_other_members_from_a_member(world):
    client = world.client("ybhiong")

    assert client.get("/dang-vien/67000001/").status_code == 404
    assert client.get("/dang-vien/67000008/").status_code == 404
    assert client.get("/dang-vien/99999999/").status_code == 404


def test_it_has_no_own_record_for_an_account_without_a_member(world):
    assert world.client("tochuc").get("/ho-so-cua-toi/").status_code == 404


def test_it_answers_not_found_rather_than_forbidden_to_the_stranger(world):
    client = world.client("kbinh")

    assert client.get("/dang-vien/67000002/").status_code == 404
    assert client.get("/dang-vien/67000008/").status_code == 200  # his own


@pytest.mark.parametrize("action", ACTIONS)
def test_it_opens_the_change_pages_to_the_secretary_of_the_cell(world, action):
    response = world.client("hoa").get(f"/dang-vien/67000002/{action}/")

    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()


@pytest.mark.parametrize("action", ACTIONS)
def test_it_hides_the_change_pages_from_everyone_else(world, action):
    assert world.client("kbinh").get(f"/dang-vien/67000002/{action}/").status_code == 404
    assert world.client("hoa").get(f"/dang-vien/67000005/{action}/").status_code == 404  # TDP2
    assert world.client("ybhiong").get(f"/dang-vien/67000002/{action}/").status_code == 404
    assert world.client("huong").get(f"/dang-vien/67000007/{action}/").status_code == 404
    assert world.client("tuyengiao").get(f"/dang-vien/67000002/{action}/").status_code == 404


@pytest.mark.parametrize(
    ("action", "data"),
    [
        (
            "sua",
            {
                "full_name": "Kẻ Lạ",
                "birth_date": "01/01/1980",
                "gender": "M",
                "joined_on": "01/01/2005",
            },
        ),
        (
            "chuyen-sinh-hoat",
            {"to_cell_code": "DN.TUYDUC.QUANGTRUC.BP", "effective_on": "01/01/2024"},
        ),
        ("ra-khoi-dang", {"left_on": "01/01/2024"}),
    ],
)
def test_it_refuses_the_strangers_changes_and_keeps_the_record(world, action, data):
    response = world.client("kbinh").post(f"/dang-vien/67000002/{action}/", data)

    assert response.status_code == 404
    member = Member.objects.get(card_number="67000002")
    assert member.full_name == "Y Bhiông Niê"
    assert member.left_on is None
    assert [m.unit.code for m in member.memberships.all()] == ["DN.CUJUT.EATLING.TDP1"]


def test_it_lets_the_organisation_officer_change_any_member_of_the_province(world):
    response = world.client("tochuc").get("/dang-vien/67000008/sua/")

    assert response.status_code == 200
    assert response.context["member"] == world.members["kbinh"]
