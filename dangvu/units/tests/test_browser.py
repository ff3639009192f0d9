"""In headless Chromium at 360 × 740: the unit picker on a phone, and the units and
indicator pages fitting the screen (no sideways scroll, wide fields, 44 px targets) with
no serious axe-core violation."""

from __future__ import annotations

from typing import Any

import pytest

from dangvu.conftest import World, axe_violations, login_as, phone_problems

pytestmark = [pytest.mark.browser]
WAIT = 15_000


def page_problems(page: Any) -> list[str]:
    """`phone_problems` of the whole page, its folded top bar included."""
    return phone_problems(page)


def test_it_chooses_a_unit_by_name_in_the_picker_on_a_phone(
    live_world: World, live_server: Any, phone: Any
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    phone.set_default_timeout(WAIT)
    login_as(phone, base, "tochuc")
    phone.goto(f"{base}/so-lieu/")
    box = phone.get_by_label("Đơn vị", exact=True)
    box.fill("duc minh")
    choice = phone.get_by_role("button", name="Đảng bộ xã Đức Minh — Huyện ủy Đắk Mil")
    expect(choice).to_be_visible()
    assert page_problems(phone) == []
    choice.tap()
    expect(box).to_have_value("Đảng bộ xã Đức Minh — Huyện ủy Đắk Mil")
    phone.get_by_role("button", name="Xem số liệu").tap()
    phone.wait_for_url("**don_vi=DN.DAKMIL.DUCMINH**")
    expect(phone.locator(".figures-of")).to_contain_text("Đảng bộ xã Đức Minh")


PAGES = [
    "/to-chuc/",
    "/to-chuc/DN.CUJUT.EATLING/",
    "/so-lieu/",
    "/so-lieu/nhom/org/",
    "/so-lieu/chi-tieu/org.members/",
    "/so-lieu/nhap/?ky=2019",
]


def test_the_units_and_indicator_pages_fit_a_phone(
    live_world: World, live_server: Any, phone: Any
) -> None:
    base = live_server.url
    phone.set_default_timeout(WAIT)
    login_as(phone, base, "tochuc")
    found = {}
    for url in PAGES:
        phone.goto(f"{base}{url}")
        phone.wait_for_load_state("load")
        problems = page_problems(phone) + axe_violations(phone)
        if problems:
            found[url] = problems
        phone.screenshot(path=f"/tmp/units-phone{url.replace('/', '_').replace('?', '_')}.png")
    assert found == {}
