"""Logging in and out; throttling of failed logins per (account, address)."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from dangvu.accounts.forms import LoginForm
from dangvu.conftest import PASSWORD

HALL = "10.0.0.1"  # a commune hall, shared by many members
HOME = "10.0.0.2"
WRONG = "sai-mat-khau"


def _login(username: str, password: str, address: str = HALL, client: Client | None = None):
    return (client or Client()).post(
        "/dang-nhap/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _logged_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


def _fail(username: str, times: int, address: str = HALL):
    response = None
    for _ in range(times):
        response = _login(username, WRONG, address)
    return response


def test_it_shows_the_login_page_in_vietnamese(world):
    response = Client().get("/dang-nhap/")

    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="vi">' in body
    assert "<h1>Đăng nhập</h1>" in body
    assert "Tên đăng nhập hoặc số thẻ đảng viên" in body
    assert "Mật khẩu" in body


def test_it_sends_anonymous_visitors_to_the_login_page(world):
    response = Client().get("/dang-vien/67000001/")

    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/?next=")


def test_it_logs_in_with_the_right_password(world):
    response = _login("hoa", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.client.session["_auth_user_id"] == str(world.users["hoa"].pk)
    assert not AccessAttempt.objects.exists()


def test_it_logs_in_with_the_party_card_number(world):
    response = _login("67000002", PASSWORD)

    assert _logged_in(response)
    assert response.client.session["_auth_user_id"] == str(world.users["ybhiong"].pk)


def test_it_says_so_in_vietnamese_when_the_password_is_wrong(world):
    response = _login("hoa", WRONG)

    assert response.status_code == 200
    assert LoginForm.error_messages["invalid_login"] in response.content.decode()
    assert "_auth_user_id" not in response.client.session
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == ("hoa", HALL, 1)


def test_it_refuses_an_inactive_account(world):
    hoa = world.users["hoa"]
    hoa.is_active = False
    hoa.save()

    response = _login("hoa", PASSWORD)

    assert response.status_code == 200
    assert "_auth_user_id" not in response.client.session


def test_it_locks_the_account_out_for_the_address_after_five_failures(world):
    assert settings.AXES_FAILURE_LIMIT == 5

    fourth = _fail("hoa", 4)
    fifth = _login("hoa", WRONG)

    assert fourth.status_code == 200
    assert fifth.status_code == 429
    assert "Tạm khóa đăng nhập" in fifth.content.decode()
    attempt = AccessAttempt.objects.get(username="hoa", ip_address=HALL)
    assert attempt.failures_since_start == 5

    right = _login("hoa", PASSWORD)

    assert right.status_code == 429
    assert "_auth_user_id" not in right.client.session
    attempt.refresh_from_db()
    assert attempt.failures_since_start == 6  # a locked-out attempt counts too


def test_it_keeps_the_account_open_from_another_address(world):
    _fail("hoa", 5)

    assert _logged_in(_login("hoa", PASSWORD, address=HOME))


def test_it_keeps_other_accounts_open_from_the_same_address(world):
    _fail("hoa", 5)

    response = _login("ybhiong", PASSWORD)

    assert _logged_in(response)
    assert response.client.session["_auth_user_id"] == str(world.users["ybhiong"].pk)


def test_it_counts_failures_by_card_number_against_the_account(world):
    _fail("hoa", 3)
    _fail("67000001", 2)

    assert _login("hoa", PASSWORD).status_code == 429


def test_it_resets_the_count_after_a_successful_login(world):
    _fail("hoa", 4)
    assert _logged_in(_login("hoa", PASSWORD))
    assert not AccessAttempt.objects.filter(username="hoa").exists()

    _fail("hoa", 4)

    assert _logged_in(_login("hoa", PASSWORD))


def test_it_logs_out_only_on_post(world):
    client = world.client("hoa")

    refused = client.get("/dang-xuat/")
    assert refused.status_code == 405
    assert client.get("/dang-vien/67000001/").status_code == 200

    response = client.post("/dang-xuat/")

    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/"
    assert "_auth_user_id" not in client.session
    assert client.get("/dang-vien/67000001/").status_code == 302


def test_it_sends_a_logged_in_user_away_from_the_login_page(world):
    response = world.client("hoa").get("/dang-nhap/")

    assert response.status_code == 302
    assert response["Location"] == "/"
