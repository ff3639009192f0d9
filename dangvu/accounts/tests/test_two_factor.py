"""Two-factor sign-in: enrolment with a first code, the code after the password, recovery
codes, and the requirement for accounts that reach discipline records, accounts or a whole
province (and administrators)."""

from __future__ import annotations

import time

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangvu.accounts import services_signin, signin
from dangvu.accounts.tests.helpers import code
from dangvu.conftest import PASSWORD

ENROL_URL = "/tai-khoan-cua-toi/xac-thuc-hai-buoc/"
CODE_URL = "/dang-nhap/ma-xac-thuc/"
SIGNIN_ENROL_URL = "/dang-nhap/bat-xac-thuc/"
REQUIRED = ["huong", "tochuc", "tuyengiao", "mattran", "quantri"]
NOT_REQUIRED = ["hoa", "ybhiong", "kbinh"]


@pytest.fixture(autouse=True)
def _no_waiting(settings):
    """django-otp makes a device wait 1, 2, 4... s after a wrong code; the tests of the
    throttle itself turn it back on."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _password(client: Client, username: str, next_url: str = ""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/dang-nhap/", data, REMOTE_ADDR="10.0.0.1")


def _enrol(world, username: str) -> tuple[TOTPDevice, list[str]]:
    """Turn on two-factor sign-in through the page, as the user would."""
    client = world.client(username)
    client.get(ENROL_URL)
    device = TOTPDevice.objects.get(user=world.users[username])
    response = client.post(ENROL_URL, {"code": code(device)})
    assert response.status_code == 200
    codes = response.context["codes"]
    device.refresh_from_db()
    return device, codes


def test_it_enrols_the_app_with_a_qr_code_and_a_first_code(world):
    client = world.client("hoa")

    page = client.get(ENROL_URL)

    device = TOTPDevice.objects.get(user=world.users["hoa"])
    body = page.content.decode()
    assert page.status_code == 200
    assert not device.confirmed
    assert "<svg" in body and 'src="http' not in body  # inline, from no CDN
    assert page.context["secret"].replace(" ", "") in body.replace(" ", "")
    assert client.get(ENROL_URL).context["secret"] == page.context["secret"]  # same secret

    wrong = client.post(ENROL_URL, {"code": "000000" if code(device) != "000000" else "111111"})

    device.refresh_from_db()
    assert wrong.status_code == 200
    assert services_signin.WRONG_CODE in wrong.content.decode()
    assert not device.confirmed
    assert not StaticDevice.objects.exists()

    right = client.post(ENROL_URL, {"code": code(device)})

    device.refresh_from_db()
    codes = right.context["codes"]
    assert right.status_code == 200
    assert device.confirmed
    assert len(codes) == len(set(codes)) == 10
    assert all(c in right.content.decode() for c in codes)
    assert right["Cache-Control"] == "no-store"
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(codes)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    # Shown once: the page of the app never shows the codes again.
    assert not any(c in client.get(ENROL_URL).content.decode() for c in codes)


def test_it_asks_for_the_code_after_the_password(world):
    device, _ = _enrol(world, "hoa")
    client = Client()

    response = _password(client, "hoa", next_url="/dang-vien/67000001/")

    assert response.status_code == 302
    assert response["Location"] == CODE_URL
    assert not _signed_in(client)
    assert client.get("/dang-vien/67000001/")["Location"].startswith("/dang-nhap/")
    # The JSON API does not take a pending sign-in for a signed-in one either.
    assert client.post("/api/v1/join", "{}", content_type="application/json").status_code == 401

    wrong = client.post(CODE_URL, {"code": "12345"})

    assert wrong.status_code == 200
    assert services_signin.WRONG_CODE in wrong.content.decode()
    assert not _signed_in(client)

    right = client.post(CODE_URL, {"code": code(device, steps_ahead=1)})

    assert right.status_code == 302
    assert right["Location"] == "/dang-vien/67000001/"
    assert client.session["_auth_user_id"] == str(world.users["hoa"].pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert signin.PENDING_KEY not in client.session
    assert client.get("/dang-vien/67000001/").status_code == 200


def test_it_takes_each_code_once(world):
    device, _ = _enrol(world, "hoa")
    first, second = Client(), Client()
    _password(first, "hoa")
    _password(second, "hoa")
    token = code(device, steps_ahead=1)

    assert first.post(CODE_URL, {"code": token}).status_code == 302
    replayed = second.post(CODE_URL, {"code": token})

    assert replayed.status_code == 200
    assert _signed_in(first) and not _signed_in(second)


def test_it_signs_in_with_a_recovery_code_once(world):
    _, codes = _enrol(world, "hoa")
    client = Client()
    _password(client, "hoa")

    response = client.post(CODE_URL, {"code": codes[0].upper()})

    assert response.status_code == 302
    assert _signed_in(client)
    assert StaticToken.objects.count() == 9
    client.post("/dang-xuat/")

    _password(client, "hoa")
    again = client.post(CODE_URL, {"code": codes[0]})

    assert again.status_code == 200
    assert not _signed_in(client)
    assert StaticToken.objects.count() == 9


def test_it_sends_a_guesser_back_to_the_password_after_five_wrong_codes(world):
    device, _ = _enrol(world, "hoa")
    client = Client()
    _password(client, "hoa")
    wrong = "000000" if code(device) != "000000" else "111111"
    for _ in range(signin.MAX_CODE_FAILURES - 1):
        assert client.post(CODE_URL, {"code": wrong}).status_code == 200

    response = client.post(CODE_URL, {"code": wrong})

    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/"
    assert signin.PENDING_KEY not in client.session
    assert client.post(CODE_URL, {"code": code(device)})["Location"] == "/dang-nhap/"
    assert not _signed_in(client)


def test_it_throttles_the_device_after_a_wrong_code(world, settings):
    device, _ = _enrol(world, "hoa")
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    client = Client()
    _password(client, "hoa")
    client.post(CODE_URL, {"code": "000000" if code(device) != "000000" else "111111"})

    response = client.post(CODE_URL, {"code": code(device, steps_ahead=1)})

    assert response.status_code == 200
    assert not _signed_in(client)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_it_forgets_a_pending_sign_in_after_ten_minutes(world):
    device, _ = _enrol(world, "hoa")
    client = Client()
    _password(client, "hoa")
    session = client.session
    session[signin.PENDING_KEY]["at"] = time.time() - signin.PENDING_SECONDS - 1
    session.save()

    response = client.post(CODE_URL, {"code": code(device, steps_ahead=1)})

    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/"
    assert not _signed_in(client)


def test_it_does_not_let_a_pending_sign_in_skip_the_code(world, settings):
    device, _ = _enrol(world, "tochuc")
    settings.TWO_FACTOR_REQUIRED = True
    client = Client()
    _password(client, "tochuc")

    for url in (SIGNIN_ENROL_URL, "/dang-nhap/doi-mat-khau/"):
        response = client.post(url, {"code": code(device), "new_password1": "x"})
        assert response.status_code == 302
        assert response["Location"] == CODE_URL
    assert TOTPDevice.objects.filter(user=world.users["tochuc"]).count() == 1
    assert not _signed_in(client)


@pytest.mark.parametrize("username", REQUIRED + NOT_REQUIRED)
def test_it_requires_two_factor_of_the_sensitive_accounts_only(world, settings, username):
    settings.TWO_FACTOR_REQUIRED = True
    client = Client()

    response = _password(client, username)

    required = username in REQUIRED
    assert signin.two_factor_required(world.users[username]) is required
    assert response["Location"] == (SIGNIN_ENROL_URL if required else "/")
    assert _signed_in(client) is not required


def test_it_relaxes_the_requirement_in_the_demo(world, settings):
    settings.TWO_FACTOR_REQUIRED = False
    client = Client()

    assert _password(client, "quantri")["Location"] == "/"
    assert _signed_in(client)


def test_it_enrols_at_sign_in_then_signs_in_verified(world, settings):
    settings.TWO_FACTOR_REQUIRED = True
    client = Client()
    _password(client, "tochuc", next_url="/to-chuc/")

    page = client.get(SIGNIN_ENROL_URL)
    device = TOTPDevice.objects.get(user=world.users["tochuc"])
    response = client.post(SIGNIN_ENROL_URL, {"code": code(device)})

    assert page.status_code == 200
    assert "bắt buộc" in page.content.decode()
    assert response.status_code == 200
    assert len(response.context["codes"]) == 10
    assert response.context["continue_url"] == "/to-chuc/"
    assert client.session["_auth_user_id"] == str(world.users["tochuc"].pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/to-chuc/").status_code == 200


def test_it_sends_an_unverified_session_that_must_have_two_factor_to_enrol(world, settings):
    settings.TWO_FACTOR_REQUIRED = True
    officer, member = world.client("tochuc"), world.client("ybhiong")

    response = officer.get("/to-chuc/")

    assert response.status_code == 302
    assert response["Location"] == SIGNIN_ENROL_URL
    assert not _signed_in(officer)
    assert officer.session[signin.PENDING_KEY]["next"] == "/to-chuc/"
    assert member.get("/").status_code == 200


def test_it_asks_the_code_of_an_unverified_session_of_an_enrolled_officer(world, settings):
    device, _ = _enrol(world, "huong")
    settings.TWO_FACTOR_REQUIRED = True
    client = world.client("huong")  # signed in without the code (as Django's admin would)

    response = client.get("/kiem-tra-giam-sat/")

    assert response["Location"] == CODE_URL
    assert not _signed_in(client)
    assert client.post(CODE_URL, {"code": code(device, steps_ahead=1)}).status_code == 302
    assert client.get("/").status_code == 200


def test_it_costs_the_member_joining_by_the_api_nothing(world, settings):
    member = world.client("ybhiong")
    member.get("/")
    body, kind = '{"code": "KHONGCO"}', "application/json"
    queries = []
    for required in (False, True):
        settings.TWO_FACTOR_REQUIRED = required
        with CaptureQueriesContext(connection) as captured:
            assert member.post("/api/v1/join", body, content_type=kind).status_code == 404
        queries.append([q["sql"].split(" WHERE ")[0] for q in captured.captured_queries])

    assert queries[0] == queries[1]  # the same statements: the session, the user, the code
    assert len(queries[0]) <= 4


def test_it_turns_two_factor_off_on_a_code_unless_required(world, settings):
    _, codes = _enrol(world, "hoa")
    client = world.client("hoa")

    refused = client.post(ENROL_URL + "tat/", {"code": "abc"})

    assert refused.status_code == 302
    assert TOTPDevice.objects.filter(user=world.users["hoa"], confirmed=True).exists()

    response = client.post(ENROL_URL + "tat/", {"code": codes[3]})

    assert response.status_code == 302
    assert response["Location"] == "/tai-khoan-cua-toi/"
    assert not TOTPDevice.objects.exists()
    assert not StaticDevice.objects.exists()


def test_it_keeps_two_factor_on_for_an_account_that_must_have_it(world, settings):
    device, _ = _enrol(world, "huong")
    settings.TWO_FACTOR_REQUIRED = True
    client = Client()
    _password(client, "huong")
    client.post(CODE_URL, {"code": code(device, steps_ahead=1)})

    page = client.get(ENROL_URL)
    response = client.post(ENROL_URL + "tat/", {"code": code(device, steps_ahead=-1)})

    assert "Tắt xác thực hai bước" not in page.content.decode()
    assert response.status_code == 302
    assert [m.message for m in response.wsgi_request._messages] == [services_signin.STILL_REQUIRED]
    assert TOTPDevice.objects.filter(user=world.users["huong"], confirmed=True).count() == 1


def test_it_renews_the_recovery_codes_on_a_code_of_the_app(world):
    device, old = _enrol(world, "hoa")
    client = world.client("hoa")

    refused = client.post(ENROL_URL + "ma-khoi-phuc/", {"code": old[0]})  # not the app's
    response = client.post(ENROL_URL + "ma-khoi-phuc/", {"code": code(device, steps_ahead=1)})

    new = response.context["codes"]
    assert refused.status_code == 302
    assert response.status_code == 200
    assert len(new) == 10 and not set(new) & set(old)
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(new)


def test_it_moves_to_a_new_phone_and_ends_the_other_sessions(world):
    old_device, _ = _enrol(world, "hoa")
    elsewhere, client = Client(), world.client("hoa")
    _password(elsewhere, "hoa")
    elsewhere.post(CODE_URL, {"code": code(old_device, steps_ahead=1)})
    assert _signed_in(elsewhere)

    page = client.get(ENROL_URL + "?moi=1")
    new_device = TOTPDevice.objects.get(user=world.users["hoa"], confirmed=False)
    response = client.post(ENROL_URL, {"code": code(new_device)})

    assert page.status_code == 200
    assert response.status_code == 200
    assert list(TOTPDevice.objects.values_list("pk", flat=True)) == [new_device.pk]
    assert elsewhere.get("/").status_code == 302
    assert client.get("/").status_code == 200


def test_it_signs_django_admin_in_through_dangvu(world):
    response = Client().get("/quan-tri/login/?next=/quan-tri/")

    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/?next=/quan-tri/"
    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)
