"""Everyone changes their own password; an officer who creates an account or resets its
password sets a one-time password, replaced at the next sign-in before anything else."""

from __future__ import annotations

from importlib import import_module

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangvu.accounts import services, services_signin
from dangvu.accounts.forms import PASSWORDS_DIFFER
from dangvu.accounts.models import Department, GrantRequest, User, UserSession
from dangvu.accounts.tests.helpers import code
from dangvu.accounts.views_signin import PASSWORD_CHANGED, RESET_DONE
from dangvu.conftest import PASSWORD, ROLES_FROM

ONE_TIME = "Tam-thoi-Hoa-2026"
NEW = "Mat-khau-rieng-cua-Hoa-9"
FIRST_URL = "/dang-nhap/doi-mat-khau/"
OWN_URL = "/tai-khoan-cua-toi/mat-khau/"


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _sign_in(username: str, password: str) -> tuple[Client, object]:
    client = Client()
    response = client.post(
        "/dang-nhap/", {"username": username, "password": password}, REMOTE_ADDR="10.0.0.1"
    )
    return client, response


def _reset_url(world, username: str) -> str:
    return f"/tai-khoan/{world.users[username].pk}/dat-lai-mat-khau/"


def _reset(world, actor: str, username: str, **data: str):
    return world.client(actor).post(_reset_url(world, username), {"password": ONE_TIME, **data})


def test_it_makes_the_password_an_officer_sets_a_one_time_one(world):
    response = world.client("tochuc").post(
        "/tai-khoan/moi/",
        {
            "username": "bithu.tdp2",
            "password": ONE_TIME,
            "member_card": "67000005",
            "unit_code": "DN.CUJUT.EATLING.TDP2",
            "department": Department.SECRETARY,
        },
    )

    assert response.status_code == 302
    assert User.objects.get(username="bithu.tdp2").must_change_password
    assert not User.objects.get(username="tochuc").must_change_password


def test_it_makes_the_new_user_change_the_one_time_password_before_anything(world):
    services.account_create(username="bithu.tdp2", password=ONE_TIME, actor=world.users["tochuc"])
    client, response = _sign_in("bithu.tdp2", ONE_TIME)

    assert response["Location"] == FIRST_URL
    assert not _signed_in(client)
    page = client.get(FIRST_URL)
    assert page.status_code == 200
    assert "mật khẩu tạm thời" in page.content.decode()

    same = client.post(FIRST_URL, {"new_password1": ONE_TIME, "new_password2": ONE_TIME})
    differ = client.post(FIRST_URL, {"new_password1": NEW, "new_password2": NEW + "x"})
    weak = client.post(FIRST_URL, {"new_password1": "12345678", "new_password2": "12345678"})

    assert services_signin.SAME_PASSWORD in same.content.decode()
    assert PASSWORDS_DIFFER in differ.content.decode()
    assert "Mật khẩu này quá phổ biến." in weak.content.decode()
    account = User.objects.get(username="bithu.tdp2")
    assert account.must_change_password and account.check_password(ONE_TIME)
    assert not _signed_in(client)

    done = client.post(FIRST_URL, {"new_password1": NEW, "new_password2": NEW})

    account.refresh_from_db()
    assert done.status_code == 302
    assert done["Location"] == "/"
    assert client.session["_auth_user_id"] == str(account.pk)
    assert not account.must_change_password
    assert account.check_password(NEW)
    assert account.password_changed_at is not None


def test_it_sends_every_page_of_a_session_with_a_one_time_password_to_change_it(world):
    client = world.client("hoa")
    User.objects.filter(username="hoa").update(must_change_password=True)

    for url in ("/", "/dang-vien/67000001/", "/tai-khoan-cua-toi/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == FIRST_URL
        client = world.client("hoa")
    client.get("/")
    assert client.post(FIRST_URL, {"new_password1": NEW, "new_password2": NEW}).status_code == 302
    assert client.get("/dang-vien/67000001/").status_code == 200


def test_it_lets_everyone_change_their_own_password(world):
    hoa = world.users["hoa"]
    here, elsewhere = world.client("hoa"), world.client("hoa")
    here.get("/")

    wrong = here.post(OWN_URL, {"old_password": "sai", "new_password1": NEW, "new_password2": NEW})

    assert wrong.status_code == 200
    assert services_signin.OLD_PASSWORD_WRONG in wrong.content.decode()
    assert User.objects.get(pk=hoa.pk).check_password(PASSWORD)

    right = here.post(
        OWN_URL, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )

    assert right.status_code == 302
    assert [m.message for m in right.wsgi_request._messages] == [PASSWORD_CHANGED]
    assert User.objects.get(pk=hoa.pk).check_password(NEW)
    assert here.get("/").status_code == 200  # this session stays signed in
    assert elsewhere.get("/").status_code == 302  # every other one is signed out
    assert UserSession.objects.filter(user=hoa).count() == 1
    entry = LogEntry.objects.get_for_object(hoa).latest("timestamp")
    assert entry.actor == hoa and "password_changed_at" in entry.changes_dict
    assert "password" not in entry.changes_dict


def test_it_lets_the_officer_reset_a_password_to_a_one_time_one(world):
    hoa = world.users["hoa"]
    hoa_client = world.client("hoa")
    hoa_client.get("/")

    page = world.client("tochuc").get(_reset_url(world, "hoa"))
    response = _reset(world, "tochuc", "hoa")

    hoa.refresh_from_db()
    assert page.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == f"/tai-khoan/{hoa.pk}/"
    assert [m.message for m in response.wsgi_request._messages] == [
        RESET_DONE.format(username="hoa")
    ]
    assert hoa.must_change_password and hoa.check_password(ONE_TIME)
    assert not UserSession.objects.filter(user=hoa).exists()
    assert hoa_client.get("/").status_code == 302
    entry = LogEntry.objects.get_for_object(hoa).latest("timestamp")
    assert entry.actor == world.users["tochuc"]
    assert entry.changes_dict["must_change_password"] == ["False", "True"]
    assert (
        "Đặt lại mật khẩu" in world.client("tochuc").get(f"/tai-khoan/{hoa.pk}/").content.decode()
    )


def test_it_sends_the_officer_to_the_own_password_page_for_their_own_account(world):
    response = _reset(world, "tochuc", "tochuc")

    assert response.status_code == 302
    assert response["Location"] == OWN_URL
    assert User.objects.get(username="tochuc").check_password(PASSWORD)


@pytest.mark.parametrize("actor", ["hoa", "huong", "mattran", "tuyengiao"])
def test_it_answers_404_to_who_does_not_manage_the_account(world, actor):
    response = _reset(world, actor, "ybhiong")

    assert response.status_code == 404
    assert not User.objects.get(username="ybhiong").must_change_password


def test_it_keeps_the_administrator_out_of_the_officers_reach(world):
    response = _reset(world, "tochuc", "quantri")

    assert response.status_code == 404
    assert User.objects.get(username="quantri").check_password(PASSWORD)


def test_it_refuses_to_reset_an_account_with_a_role_beyond_the_officers_reach(world):
    officer = services.account_create(username="tochuc.cujut", password=PASSWORD)
    services.role_grant(
        user=officer,
        unit=world.units["DN.CUJUT"],
        department=Department.ORGANISATION,
        valid_from=ROLES_FROM,
    )
    # Hoà also holds a role in Tuy Đức, outside the Cư Jút officer's reach.
    services.role_grant(
        user=world.users["hoa"],
        unit=world.units["DN.TUYDUC"],
        department=Department.PROPAGANDA,
        valid_from=ROLES_FROM,
    )
    client = Client()
    client.force_login(officer)

    response = client.post(_reset_url(world, "hoa"), {"password": ONE_TIME})

    assert response.status_code == 200
    assert services_signin.RESET_OUT_OF_REACH in response.content.decode()
    assert User.objects.get(username="hoa").check_password(PASSWORD)
    assert not User.objects.get(username="hoa").must_change_password


def test_it_removes_a_lost_phone_on_reset_but_not_for_discipline_records(world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    for username in ("hoa", "huong"):
        client = world.client(username)
        client.get("/tai-khoan-cua-toi/xac-thuc-hai-buoc/")
        device = TOTPDevice.objects.get(user=world.users[username])
        client.post("/tai-khoan-cua-toi/xac-thuc-hai-buoc/", {"code": code(device)})

    chief = services.account_create(username="kiemtra.tinh", password=PASSWORD)
    services.role_grant(
        user=chief, unit=world.units["DN"], department=Department.INSPECTION, valid_from=ROLES_FROM
    )
    world.users["kiemtra.tinh"] = chief
    kept = _reset(world, "kiemtra.tinh", "huong", remove_two_factor="on")
    removed = _reset(world, "quantri", "hoa", remove_two_factor="on")

    assert kept.status_code == 200
    assert services_signin.RESET_KEEPS_TWO_FACTOR in kept.content.decode()
    assert User.objects.get(username="huong").check_password(PASSWORD)
    assert TOTPDevice.objects.filter(user=world.users["huong"]).exists()
    assert removed.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.users["hoa"]).exists()
    # Hoà signs in with the one-time password, changes it, and is not asked for a code.
    client, response = _sign_in("hoa", ONE_TIME)
    assert response["Location"] == FIRST_URL
    assert client.post(FIRST_URL, {"new_password1": NEW, "new_password2": NEW})["Location"] == "/"


@pytest.mark.parametrize("actor", ["tochuc", "quantri"])
def test_it_refuses_a_reset_that_would_open_an_inspectors_account(world, actor):
    # The officer manages accounts over Đắk Mil and the administrator everywhere; neither
    # may grant inspection, so neither may set a password that opens Hương's account.
    response = _reset(world, actor, "huong")

    assert response.status_code == 200
    message = services_signin.RESET_GUARDED.format(department="Kiểm tra")
    assert message in response.content.decode()
    huong = User.objects.get(username="huong")
    assert huong.check_password(PASSWORD)
    assert not huong.must_change_password
    client, _ = _sign_in("huong", ONE_TIME)
    assert not _signed_in(client)


def test_it_lets_an_inspector_above_reset_an_inspectors_account(world):
    chief = services.account_create(username="kiemtra.tinh", password=PASSWORD)
    services.role_grant(
        user=chief, unit=world.units["DN"], department=Department.INSPECTION, valid_from=ROLES_FROM
    )
    client = Client()
    client.force_login(chief)

    response = client.post(_reset_url(world, "huong"), {"password": ONE_TIME})

    assert response.status_code == 302
    huong = User.objects.get(username="huong")
    assert huong.check_password(ONE_TIME)
    assert huong.must_change_password


def test_it_refuses_a_reset_of_an_account_waiting_for_inspection(world):
    # The officer asks inspection for an account; had she reset its password meanwhile,
    # the holder's confirmation would open cases to her.
    officer = world.users["tochuc"]
    services.role_grant(
        user=world.users["ybhiong"],
        unit=world.units["DN.CUJUT"],
        department=Department.INSPECTION,
        actor=officer,
    )
    assert GrantRequest.objects.filter(user=world.users["ybhiong"], status="pending").exists()

    response = _reset(world, "tochuc", "ybhiong")

    assert response.status_code == 200
    message = services_signin.RESET_GUARDED.format(department="Kiểm tra")
    assert message in response.content.decode()
    assert User.objects.get(username="ybhiong").check_password(PASSWORD)


def test_it_gives_a_pending_sign_in_a_session_key_nobody_planted(world, settings):
    # Someone who left a session cookie in the browser of a shared computer (or set it from
    # a sibling site) must not take over the sign-in the next user starts there: the right
    # password moves the pending sign-in to a new session key.
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store["planted"] = True
    store.create()
    planted = store.session_key
    services.account_create(username="bithu.tdp2", password=ONE_TIME, actor=world.users["tochuc"])
    victim, intruder = Client(), Client()
    victim.cookies[settings.SESSION_COOKIE_NAME] = planted
    intruder.cookies[settings.SESSION_COOKIE_NAME] = planted

    signed = victim.post(
        "/dang-nhap/", {"username": "bithu.tdp2", "password": ONE_TIME}, REMOTE_ADDR="10.0.0.1"
    )
    taken = intruder.post(FIRST_URL, {"new_password1": NEW, "new_password2": NEW})

    assert signed["Location"] == FIRST_URL
    assert victim.cookies[settings.SESSION_COOKIE_NAME].value != planted
    assert taken.status_code == 302
    assert taken["Location"] != "/"
    assert not _signed_in(intruder)
    account = User.objects.get(username="bithu.tdp2")
    assert account.check_password(ONE_TIME) and account.must_change_password


def test_it_drops_a_sign_in_begun_with_the_password_a_reset_replaced(world, settings):
    # Someone who knows Hoà's password but not her phone waits at the code step; the officer
    # resets the password and removes the lost phone. The sign-in he began must not go on
    # to the step that lets the holder of a one-time password choose a new one.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    hoa = world.client("hoa")
    hoa.get("/tai-khoan-cua-toi/xac-thuc-hai-buoc/")
    device = TOTPDevice.objects.get(user=world.users["hoa"])
    hoa.post("/tai-khoan-cua-toi/xac-thuc-hai-buoc/", {"code": code(device)})
    intruder, begun = _sign_in("hoa", PASSWORD)
    assert begun["Location"] == "/dang-nhap/ma-xac-thuc/"

    assert _reset(world, "tochuc", "hoa", remove_two_factor="on").status_code == 302
    taken = intruder.post(FIRST_URL, {"new_password1": NEW, "new_password2": NEW})

    assert taken["Location"] == "/dang-nhap/"
    assert not _signed_in(intruder)
    account = User.objects.get(username="hoa")
    assert account.check_password(ONE_TIME) and account.must_change_password
