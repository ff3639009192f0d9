"""Behind reverse proxies the login throttle and the audit trail see the client's address
as the trusted proxies pass it, never an X-Forwarded-For entry the client wrote."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.test import Client, RequestFactory

from dangvu.accounts.addresses import client_address
from dangvu.accounts.models import User, UserSession
from dangvu.conftest import PASSWORD

PROXY = "10.0.0.9"  # the reverse proxy in front of dangvu
HALL = "203.0.113.10"  # a commune hall, as the proxy sees it
HOME = "198.51.100.20"
SPOOF = "192.0.2.66"  # written by the client itself
WRONG = "sai-mat-khau"
NEW_PASSWORD = "Mat-khau-moi-cua-Hoa-2026"


def _login(username: str, password: str, *, peer: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return Client().post("/dang-nhap/", {"username": username, "password": password}, **extra)


def _change_password(world, *, peer: str, forwarded: str) -> LogEntry:
    client = world.client("hoa")
    response = client.post(
        "/tai-khoan-cua-toi/mat-khau/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        REMOTE_ADDR=peer,
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert response.status_code == 302
    return LogEntry.objects.get_for_object(world.users["hoa"]).latest("timestamp")


@pytest.mark.parametrize(
    ("hops", "peer", "forwarded", "expected"),
    [
        (0, HALL, None, HALL),
        (0, HALL, SPOOF, HALL),
        (1, PROXY, HALL, HALL),
        (1, PROXY, f"{SPOOF}, {HALL}", HALL),
        (1, PROXY, f"{SPOOF},{HALL}:51234", HALL),
        (1, PROXY, None, PROXY),  # not through the proxy as configured: its peer
        (1, PROXY, "", PROXY),
        (1, PROXY, f"{SPOOF}, not-an-address", PROXY),
        (2, PROXY, f"{SPOOF}, {HALL}, 10.0.0.8", HALL),
        (2, PROXY, HALL, PROXY),  # one entry where two proxies write two
        (1, PROXY, f"{SPOOF}, [2001:db8::7]:443", "2001:db8::7"),
    ],
)
def test_it_takes_the_address_the_trusted_proxies_wrote(
    settings, hops: int, peer: str, forwarded: str | None, expected: str
) -> None:
    settings.PROXY_COUNT = hops
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_address(RequestFactory().get("/", **extra)) == expected


def test_it_ignores_a_client_forwarded_for_without_proxies(world, settings) -> None:
    settings.PROXY_COUNT = 0

    _login("hoa", WRONG, peer=HALL, forwarded=SPOOF)
    entry = _change_password(world, peer=HALL, forwarded=SPOOF)

    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address) == ("hoa", HALL)
    assert entry.remote_addr == HALL
    assert entry.actor == world.users["hoa"]
    assert not LogEntry.objects.filter(remote_addr=SPOOF).exists()
    assert UserSession.objects.get(user=world.users["hoa"]).address == HALL


def test_it_uses_the_entry_of_the_trusted_proxy_and_not_a_spoofed_one(world, settings) -> None:
    settings.PROXY_COUNT = 1

    _login("hoa", WRONG, peer=PROXY, forwarded=f"{SPOOF}, {HALL}")
    entry = _change_password(world, peer=PROXY, forwarded=f"{SPOOF}, {HALL}")

    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address) == ("hoa", HALL)
    assert entry.remote_addr == HALL
    assert not LogEntry.objects.filter(remote_addr__in=[SPOOF, PROXY]).exists()
    assert UserSession.objects.get(user=world.users["hoa"]).address == HALL


def test_it_locks_the_account_at_one_address_not_everywhere_behind_the_proxy(
    world, settings
) -> None:
    settings.PROXY_COUNT = 1
    for _ in range(5):
        _login("hoa", WRONG, peer=PROXY, forwarded=f"{HOME}, {HALL}")

    locked = _login("hoa", PASSWORD, peer=PROXY, forwarded=HALL)
    elsewhere = _login("hoa", PASSWORD, peer=PROXY, forwarded=f"{HALL}, {HOME}")

    assert locked.status_code == 429
    assert "_auth_user_id" not in locked.client.session
    assert elsewhere.status_code == 302
    assert elsewhere.client.session["_auth_user_id"] == str(world.users["hoa"].pk)
    assert list(AccessAttempt.objects.values_list("username", "ip_address")) == [("hoa", HALL)]


def test_it_says_how_long_the_lock_out_lasts_in_vietnamese(world) -> None:
    for _ in range(4):
        _login("hoa", WRONG, peer=HALL)

    response = _login("hoa", WRONG, peer=HALL)

    body = response.content.decode()
    assert response.status_code == 429
    assert "Vui lòng thử lại sau 15 phút." in body
    assert "PT15M" not in body
    assert User.objects.get(username="hoa").check_password(PASSWORD)
