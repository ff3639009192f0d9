"""Accounts and roles on the web: the organisation officers grant within their reach only."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.messages import get_messages

from dangvu.accounts import services
from dangvu.accounts.models import Department, Role, User
from dangvu.accounts.scope import today
from dangvu.conftest import PASSWORD, ROLES_FROM
from dangvu.units.services import unit_merge

NEW_PASSWORD = "Chi-bo-To-dan-pho-2"


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "username": "bithu.tdp2",
        "full_name": "",
        "password": NEW_PASSWORD,
        "member_card": "67000005",
        "unit_code": "DN.CUJUT.EATLING.TDP2",
        "department": Department.SECRETARY,
        "title": " Bí thư chi bộ ",
        "valid_from": "01/01/2024",
    }
    data.update(overrides)
    return data


@pytest.fixture
def cujut_officer(world) -> User:
    """A second organisation officer, at Huyện ủy Cư Jút."""
    user = services.account_create(
        username="tochuc.cujut", password=PASSWORD, full_name="Tổ chức Cư Jút", check_password=False
    )
    services.role_grant(
        user=user,
        unit=world.units["DN.CUJUT"],
        department=Department.ORGANISATION,
        valid_from=ROLES_FROM,
    )
    world.users["tochuc.cujut"] = user
    return user


def test_it_lets_the_organisation_officer_create_an_account_with_a_role(world):
    response = world.client("tochuc").post("/tai-khoan/moi/", _form())

    account = User.objects.get(username="bithu.tdp2")
    assert response.status_code == 302
    assert response["Location"] == f"/tai-khoan/{account.pk}/"
    assert _messages(response) == ["Đã tạo tài khoản bithu.tdp2."]
    assert account.member == world.members["anh"]
    assert account.full_name == "Lê Thị Ánh"
    assert account.check_password(NEW_PASSWORD)
    assert not account.is_superuser
    role = account.roles.get()
    assert role.unit == world.units["DN.CUJUT.EATLING.TDP2"]
    assert role.department == Department.SECRETARY
    assert role.title == "Bí thư chi bộ"
    assert role.valid_from == date(2024, 1, 1)
    assert role.is_open
    assert role.granted_by == world.users["tochuc"]


def test_it_shows_the_new_account_with_its_role(world):
    client = world.client("tochuc")
    client.post("/tai-khoan/moi/", _form())
    account = User.objects.get(username="bithu.tdp2")

    response = client.get(f"/tai-khoan/{account.pk}/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Lê Thị Ánh" in body
    assert "Bí thư, cấp ủy" in body
    assert "Chi bộ Tổ dân phố 2" in body and "01/01/2024 – nay" in body


def test_it_refuses_a_taken_username_and_creates_nothing(world):
    response = world.client("tochuc").post("/tai-khoan/moi/", _form(username="HOA"))

    assert response.status_code == 200
    assert services.USERNAME_TAKEN.format(username="HOA") in response.content.decode()
    assert User.objects.filter(username__iexact="hoa").count() == 1
    assert not Role.objects.filter(unit=world.units["DN.CUJUT.EATLING.TDP2"]).exists()


def test_it_refuses_a_member_who_already_has_an_account(world):
    response = world.client("tochuc").post("/tai-khoan/moi/", _form(member_card="67000001"))

    assert response.status_code == 200
    message = services.MEMBER_TAKEN.format(name="Nguyễn Thị Hoà", username="hoa")
    assert message in response.content.decode()
    assert not User.objects.filter(username="bithu.tdp2").exists()


def test_it_creates_nothing_when_the_unit_does_not_exist(world):
    response = world.client("tochuc").post("/tai-khoan/moi/", _form(unit_code="DN.KHONGCO"))

    assert response.status_code == 200
    assert "Không có đơn vị mã DN.KHONGCO." in response.content.decode()
    assert not User.objects.filter(username="bithu.tdp2").exists()


def test_it_refuses_to_grant_above_the_officers_reach(world, cujut_officer):
    client = world.client("tochuc.cujut")

    sibling = client.post("/tai-khoan/moi/", _form(unit_code="DN.TUYDUC"))
    above = client.post("/tai-khoan/moi/", _form(unit_code="DN"))

    for response in (sibling, above):
        assert response.status_code == 200
        assert services.OUT_OF_SCOPE in response.content.decode()
    assert not User.objects.filter(username="bithu.tdp2").exists()
    assert not Role.objects.filter(granted_by=cujut_officer).exists()


def test_it_lets_the_district_officer_grant_inside_his_district(world, cujut_officer):
    response = world.client("tochuc.cujut").post("/tai-khoan/moi/", _form())

    assert response.status_code == 302
    role = Role.objects.get(user__username="bithu.tdp2")
    assert role.granted_by == cujut_officer


def test_it_refuses_a_role_outside_the_reach_on_an_account_he_manages(world, cujut_officer):
    hoa = world.users["hoa"]

    response = world.client("tochuc.cujut").post(
        f"/tai-khoan/{hoa.pk}/vai-tro/",
        {"unit_code": "DN.TUYDUC.QUANGTRUC.BP", "department": Department.SECRETARY},
    )

    assert response.status_code == 302
    assert _messages(response) == [services.OUT_OF_SCOPE]
    assert list(hoa.roles.values_list("unit__code", flat=True)) == ["DN.CUJUT.EATLING.TDP1"]


def test_it_grants_an_extra_role_inside_the_reach(world, cujut_officer):
    hoa = world.users["hoa"]

    response = world.client("tochuc.cujut").post(
        f"/tai-khoan/{hoa.pk}/vai-tro/",
        {
            "unit_code": "DN.CUJUT.EATLING",
            "department": Department.SECRETARY,
            "valid_from": "01/01/2025",
        },
    )

    assert response.status_code == 302
    assert _messages(response) == ["Đã cấp vai trò."]
    role = hoa.roles.get(unit=world.units["DN.CUJUT.EATLING"])
    assert (role.department, role.valid_from, role.granted_by) == (
        Department.SECRETARY,
        date(2025, 1, 1),
        cujut_officer,
    )


def test_it_refuses_a_member_role_for_an_account_without_a_member(world):
    tuyengiao = world.users["tuyengiao"]

    with pytest.raises(services.DomainError) as error:
        services.role_grant(user=tuyengiao, unit=world.units["DN"], department=Department.MEMBER)

    assert error.value.message == services.MEMBER_ROLE_NEEDS_MEMBER
    assert tuyengiao.roles.count() == 1


def test_it_revokes_a_role_from_today_and_keeps_its_history(world):
    hoa = world.users["hoa"]
    role = hoa.roles.get()

    response = world.client("tochuc").post(f"/tai-khoan/{hoa.pk}/vai-tro/{role.pk}/thu-hoi/")

    assert response.status_code == 302
    assert response["Location"] == f"/tai-khoan/{hoa.pk}/"
    assert _messages(response) == ["Đã thu hồi vai trò."]
    role.refresh_from_db()
    assert role.valid_to == today()
    assert role.valid_from == ROLES_FROM
    page = world.client("tochuc").get(f"/tai-khoan/{hoa.pk}/").content.decode()
    assert "đã kết thúc" in page


def test_it_refuses_to_revoke_a_role_twice(world):
    hoa = world.users["hoa"]
    role = hoa.roles.get()
    services.role_revoke(role=role, effective_on=date(2024, 1, 1))

    with pytest.raises(services.DomainError) as error:
        services.role_revoke(role=role, effective_on=date(2024, 6, 1))

    assert error.value.message == services.ROLE_ENDED
    role.refresh_from_db()
    assert role.valid_to == date(2024, 1, 1)


def test_it_deletes_a_role_revoked_before_it_began(world):
    hoa = world.users["hoa"]
    role = services.role_grant(
        user=hoa,
        unit=world.units["DN.CUJUT.EATLING"],
        department=Department.SECRETARY,
        valid_from=date(2030, 1, 1),
    ).role

    services.role_revoke(role=role, effective_on=date(2029, 1, 1))

    assert not Role.objects.filter(pk=role.pk).exists()
    assert hoa.roles.count() == 1


def test_it_hides_a_role_revoke_outside_the_reach(world, cujut_officer):
    kbinh = world.users["kbinh"]
    role = kbinh.roles.get()

    response = world.client("tochuc.cujut").post(
        f"/tai-khoan/{kbinh.pk}/vai-tro/{role.pk}/thu-hoi/"
    )

    assert response.status_code == 404
    role.refresh_from_db()
    assert role.is_open


def test_it_lists_only_the_accounts_within_the_officers_reach(world, cujut_officer):
    response = world.client("tochuc.cujut").get("/tai-khoan/")

    assert response.status_code == 200
    listed = [a.username for a in response.context["page"]]
    assert listed == ["hoa", "tochuc.cujut", "ybhiong"]
    body = response.content.decode()
    for hidden in ("huong", "kbinh", "tuyengiao", "mattran", "quantri"):
        assert f">{hidden}</a>" not in body
    assert (
        world.client("tochuc.cujut").get(f"/tai-khoan/{world.users['kbinh'].pk}/").status_code
        == 404
    )


def test_it_lists_every_account_in_the_province_for_the_provincial_officer(world):
    client = world.client("tochuc")

    everyone = client.get("/tai-khoan/")
    searched = client.get("/tai-khoan/", {"q": "HU"})

    assert [a.username for a in everyone.context["page"]] == sorted(set(world.users) - {"quantri"})
    assert [a.username for a in searched.context["page"]] == ["huong", "tochuc"]


def test_it_lists_every_account_for_the_administrator(world):
    response = world.client("quantri").get("/tai-khoan/")

    assert [a.username for a in response.context["page"]] == sorted(world.users)


@pytest.mark.parametrize("username", ["hoa", "ybhiong", "kbinh", "tuyengiao", "mattran"])
def test_it_hides_the_account_pages_from_everyone_but_organisation(world, username):
    client = world.client(username)
    hoa = world.users["hoa"]
    role = hoa.roles.get()

    assert client.get("/tai-khoan/").status_code == 404
    assert client.get("/tai-khoan/moi/").status_code == 404
    assert client.post("/tai-khoan/moi/", _form()).status_code == 404
    assert client.get(f"/tai-khoan/{hoa.pk}/").status_code == 404
    assert client.post(f"/tai-khoan/{hoa.pk}/vai-tro/{role.pk}/thu-hoi/").status_code == 404
    assert not User.objects.filter(username="bithu.tdp2").exists()
    role.refresh_from_db()
    assert role.is_open


def test_it_shows_the_inspector_the_accounts_of_her_district_only(world):
    """A holder of inspection grants it (grants.py): she sees the accounts of her reach."""
    client = world.client("huong")
    hoa = world.users["hoa"]

    listed = client.get("/tai-khoan/")

    assert listed.status_code == 200
    assert [a.username for a in listed.context["page"]] == ["huong"]
    assert "Tạo tài khoản" not in listed.content.decode()
    assert client.get("/tai-khoan/moi/").status_code == 404
    assert client.get(f"/tai-khoan/{hoa.pk}/").status_code == 404
    assert (
        client.post(f"/tai-khoan/{hoa.pk}/vai-tro/{hoa.roles.get().pk}/thu-hoi/").status_code == 404
    )
    assert hoa.roles.get().is_open


def test_it_revokes_a_role_at_a_unit_merged_away(world):
    unit_merge(
        sources=[world.units["DN.DAKMIL"]],
        target=world.units["DN.CUJUT"],
        effective_on=date(2025, 7, 1),
    )
    huong = world.users["huong"]
    role = huong.roles.get()

    response = world.client("tochuc").post(f"/tai-khoan/{huong.pk}/vai-tro/{role.pk}/thu-hoi/")

    assert _messages(response) == ["Đã thu hồi vai trò."]
    role.refresh_from_db()
    assert role.valid_to == today()


def test_it_still_refuses_a_revoke_outside_the_reach_after_a_merge(world, cujut_officer):
    unit_merge(
        sources=[world.units["DN.TUYDUC.QUANGTRUC"]],
        target=world.units["DN.TUYDUC"],
        effective_on=date(2025, 7, 1),
    )
    role = services.role_grant(
        user=world.users["hoa"],
        unit=world.units["DN.TUYDUC.QUANGTRUC"],
        department=Department.OFFICE,
        valid_from=date(2024, 1, 1),
    ).role

    with pytest.raises(services.DomainError) as error:
        services.role_revoke(role=role, actor=cujut_officer)

    assert error.value.message == services.OUT_OF_SCOPE
    role.refresh_from_db()
    assert role.is_open
