"""A page of one's own sessions (browser, address, last seen) and "sign out everywhere"."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from dangvu.accounts.models import UserSession
from dangvu.accounts.selectors_signin import describe_agent
from dangvu.accounts.sessions import TOUCH_EVERY
from dangvu.accounts.views_signin import OTHERS_ENDED
from dangvu.conftest import PASSWORD

PHONE = (
    "Mozilla/5.0 (Linux; Android 13; SM-A135F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36"
)
OFFICE = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0"
)
URL = "/tai-khoan-cua-toi/phien/"


def _sign_in(agent: str, address: str) -> Client:
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    response = client.post("/dang-nhap/", {"username": "hoa", "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_it_records_who_signed_in_from_where(world):
    _sign_in(PHONE, "203.0.113.10")

    session = UserSession.objects.get()
    assert session.user == world.users["hoa"]
    assert (session.user_agent, session.address) == (PHONE, "203.0.113.10")
    assert timezone.now() - session.last_seen < timedelta(seconds=30)


def test_it_lists_ones_own_sessions_only(world):
    phone, office = _sign_in(PHONE, "203.0.113.10"), _sign_in(OFFICE, "198.51.100.20")
    world.client("ybhiong").get("/")

    response = office.get(URL)

    rows = response.context["rows"]
    body = response.content.decode()
    assert response.status_code == 200
    assert sorted((r.device, r.address, r.current) for r in rows) == [
        ("Chrome trên Android", "203.0.113.10", False),
        ("Edge trên Windows", "198.51.100.20", True),
    ]
    assert "phiên này" in body and "Chrome trên Android" in body
    assert phone.get(URL).status_code == 200


def test_it_signs_out_everywhere_else(world):
    phone, office = _sign_in(PHONE, "203.0.113.10"), _sign_in(OFFICE, "198.51.100.20")
    other = world.client("ybhiong")

    response = office.post(URL + "dang-xuat-noi-khac/")

    assert response.status_code == 302
    assert [m.message for m in response.wsgi_request._messages] == [OTHERS_ENDED.format(n=1)]
    assert phone.get("/").status_code == 302
    assert office.get("/").status_code == 200
    assert other.get("/").status_code == 200
    assert UserSession.objects.filter(user=world.users["hoa"]).count() == 1


def test_it_notes_the_last_visit_every_few_minutes_on_the_pages_only(world):
    client = _sign_in(PHONE, "203.0.113.10")
    session = UserSession.objects.get()
    recent = timezone.now() - TOUCH_EVERY + timedelta(seconds=30)
    old = timezone.now() - TOUCH_EVERY - timedelta(seconds=30)

    UserSession.objects.update(last_seen=recent)
    client.get("/", REMOTE_ADDR="203.0.113.99")
    assert UserSession.objects.get().last_seen == recent

    UserSession.objects.update(last_seen=old)
    client.post("/api/v1/join", "{}", content_type="application/json")
    assert UserSession.objects.get().last_seen == old  # the JSON API never writes it

    client.get("/", REMOTE_ADDR="203.0.113.99")
    session.refresh_from_db()
    assert timezone.now() - session.last_seen < timedelta(seconds=30)
    assert session.address == "203.0.113.99"


def test_it_names_the_browsers_people_use():
    assert describe_agent(PHONE) == "Chrome trên Android"
    assert describe_agent(OFFICE) == "Edge trên Windows"
    assert describe_agent("") == "Trình duyệt không rõ"
    assert (
        describe_agent(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "coc_coc_browser/117.0.200 Chrome/111.0.0.0 Safari/537.36"
        )
        == "Cốc Cốc trên Windows"
    )
