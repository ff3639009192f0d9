"""The address phones open (`DANGVU_PUBLIC_URL`) in the projector's QR code and in the
printed links, and the address `dangvu demo --host 0.0.0.0` prints for the phones in the
hall."""

from __future__ import annotations

import os
import socket
from typing import Any

import pytest
import segno

from dangvu.assessments import public
from dangvu.assessments.tests.helpers import TDP1, attempt_of, document_with_bank, opened
from dangvu.demo.management.commands.demo import serve_to_phones
from dangvu.sociology.tests.helpers import make_survey

HALL = "http://192.168.1.20:8000"


@pytest.fixture
def assessment(world):
    return opened(world, document_with_bank(), TDP1, opens_at=None, question_count=4)


def test_it_encodes_the_public_address_in_the_projected_qr_code(world, assessment, settings):
    settings.DANGVU_PUBLIC_URL = HALL + "/"  # a trailing slash is forgiven

    body = world.client("hoa").get(f"/kiem-tra/{assessment.pk}/trinh-chieu/").content.decode()

    address = f"{HALL}/k/{assessment.code}/"
    assert segno.make(address, error="m").svg_inline(scale=8, border=2, omitsize=True) in body
    assert address in body
    assert "testserver" not in body and "127.0.0.1" not in body


def test_it_falls_back_to_the_address_of_the_request(world, assessment, settings):
    settings.DANGVU_PUBLIC_URL = ""

    body = world.client("hoa").get(f"/kiem-tra/{assessment.pk}/trinh-chieu/").content.decode()

    assert f"http://testserver/k/{assessment.code}/" in body
    assert HALL not in body


def test_it_prints_the_personal_links_with_the_public_address(world, assessment, settings):
    settings.DANGVU_PUBLIC_URL = HALL

    body = world.client("hoa").get(f"/kiem-tra/{assessment.pk}/duong-dan/").content.decode()

    for key in ("hoa", "ybhiong", "binh", "an"):
        assert f"{HALL}/k/t/{attempt_of(world, assessment, key).token}/" in body
    assert "http://testserver/k/t/" not in body


def test_it_gives_the_survey_slips_the_public_address(world, settings):
    settings.DANGVU_PUBLIC_URL = HALL
    survey = make_survey(world)

    body = world.client("tochuc").get(f"/dieu-tra/{survey.pk}/ma-phieu/").content.decode()

    assert f"{HALL}/dieu-tra/tra-loi/" in body
    assert "http://testserver/dieu-tra/tra-loi/" not in body


class _Udp:
    """A UDP socket whose connect sends nothing and picks the route's source address."""

    def __init__(self, source: str | None) -> None:
        self.source = source

    def __enter__(self) -> _Udp:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def connect(self, address: tuple[str, int]) -> None:
        if self.source is None:
            raise OSError("Network is unreachable")

    def getsockname(self) -> tuple[str, int]:
        assert self.source is not None
        return (self.source, 54321)


def _machine(monkeypatch: Any, *, route: str | None, hostname: str) -> None:
    monkeypatch.setattr(public.socket, "socket", lambda *a, **k: _Udp(route))
    monkeypatch.setattr(public.socket, "gethostname", lambda: "may-trinh-chieu")
    monkeypatch.setattr(public.socket, "gethostbyname", lambda name: hostname)


def test_it_finds_the_lan_address_by_the_route_a_udp_socket_would_take(monkeypatch):
    _machine(monkeypatch, route="192.168.1.20", hostname="127.0.1.1")

    assert public.lan_address() == "192.168.1.20"
    assert public.served_url("0.0.0.0", 8000) == HALL
    assert public.served_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"


def test_it_falls_back_to_the_host_name_then_to_loopback(monkeypatch):
    _machine(monkeypatch, route=None, hostname="10.0.0.7")
    assert public.lan_address() == "10.0.0.7"

    _machine(monkeypatch, route=None, hostname="127.0.1.1")
    assert public.lan_address() == "127.0.0.1"

    def no_name(name: str) -> str:
        raise socket.gaierror("no such host")

    monkeypatch.setattr(public.socket, "gethostbyname", no_name)
    assert public.lan_address() == "127.0.0.1"


def test_the_demo_on_every_interface_prints_and_serves_the_lan_address(monkeypatch, settings):
    _machine(monkeypatch, route="192.168.1.20", hostname="127.0.1.1")
    monkeypatch.delenv("DANGVU_PUBLIC_URL", raising=False)
    monkeypatch.delenv("DANGVU_ALLOWED_HOSTS", raising=False)
    settings.DANGVU_PUBLIC_URL = ""

    lines = serve_to_phones(host="0.0.0.0", port=8000)

    assert any("http://127.0.0.1:8000/" in line for line in lines)
    assert any(f"mở: {HALL}/" in line for line in lines)
    assert settings.DANGVU_PUBLIC_URL == HALL
    assert "192.168.1.20" in settings.ALLOWED_HOSTS
    assert os.environ["DANGVU_PUBLIC_URL"] == HALL  # for the server's workers too
    assert os.environ["DANGVU_ALLOWED_HOSTS"].split(",")[-1] == "192.168.1.20"


def test_the_demo_keeps_a_public_address_given_and_says_nothing_more_on_localhost(
    monkeypatch, settings
):
    settings.DANGVU_PUBLIC_URL = ""  # (the settings the demo changes are restored after)
    _machine(monkeypatch, route="192.168.1.20", hostname="127.0.1.1")
    monkeypatch.setenv("DANGVU_PUBLIC_URL", "https://dangvu.daknong.vn")
    monkeypatch.delenv("DANGVU_ALLOWED_HOSTS", raising=False)

    lines = serve_to_phones(host="0.0.0.0", port=8000)
    assert any("https://dangvu.daknong.vn/" in line for line in lines)
    assert settings.DANGVU_PUBLIC_URL == "https://dangvu.daknong.vn"

    settings.DANGVU_PUBLIC_URL = ""
    assert serve_to_phones(host="127.0.0.1", port=8000) == [
        "\nMở http://127.0.0.1:8000/ trên trình duyệt. Ctrl+C để dừng."
    ]
    assert settings.DANGVU_PUBLIC_URL == ""
