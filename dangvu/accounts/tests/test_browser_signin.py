"""Two-factor sign-in on a phone (390 px), in real headless Chromium driven by Playwright:
an officer who must have it enrols at sign-in, keeps the recovery codes, signs out, and
signs in again with the code of the app."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangvu.accounts.tests.helpers import code
from dangvu.conftest import PASSWORD, World, shot

pytestmark = [pytest.mark.browser]

WAIT = 15_000  # ms: the CI machine has two cores and runs Chromium beside the server
WIDTH = 390


def fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth") <= WIDTH)


def password_step(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập hoặc số thẻ đảng viên").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").tap()


def test_it_enrols_two_factor_and_signs_in_with_a_code_on_a_phone(
    live_world: World, live_server: Any, browser: Any, settings: Any
) -> None:
    from playwright.sync_api import expect

    settings.TWO_FACTOR_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    base = live_server.url
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(WAIT)
    page = context.new_page()

    # The provincial organisation officer must have two-factor sign-in: enrol first.
    password_step(page, base, "tochuc")
    page.wait_for_url(f"{base}/dang-nhap/bat-xac-thuc/")
    expect(page.get_by_role("heading", name="Bật xác thực hai bước")).to_be_visible()
    expect(page.locator(".qr svg")).to_be_visible()
    assert fits(page), "the enrolment page must not scroll sideways on a phone"
    shot(page, "signin-enrol.png")
    secret = page.locator("#khoa-bi-mat").inner_text()
    page.get_by_label("Mã xác thực").fill(code(secret))
    page.get_by_role("button", name="Xác nhận và bật").tap()

    expect(page.get_by_role("heading", name="Mã khôi phục")).to_be_visible()
    recovery = page.locator("#ma-khoi-phuc li").all_inner_texts()
    assert len(recovery) == 10
    assert fits(page)
    shot(page, "signin-recovery-codes.png")
    page.get_by_role("link", name="Tôi đã lưu các mã, tiếp tục").tap()
    page.wait_for_url(f"{base}/")
    expect(page.locator(".who")).to_have_text("Tochuc")
    assert TOTPDevice.objects.get(user=live_world.users["tochuc"]).confirmed

    # Sign out, and in again: after the password, the code of the app (a fresh one).
    page.get_by_role("button", name="Menu").tap()  # the top bar is folded on a phone
    page.get_by_role("button", name="Đăng xuất").tap()
    page.wait_for_url(f"{base}/dang-nhap/")
    password_step(page, base, "tochuc")
    page.wait_for_url(f"{base}/dang-nhap/ma-xac-thuc/")
    assert fits(page)
    shot(page, "signin-code.png")
    page.get_by_label("Mã xác thực (6 chữ số) hoặc mã khôi phục").fill("000000")
    page.get_by_role("button", name="Xác nhận").tap()
    expect(page.locator(".errorlist")).to_contain_text("Mã xác thực không đúng")
    page.get_by_label("Mã xác thực (6 chữ số) hoặc mã khôi phục").fill(code(secret, steps_ahead=1))
    page.get_by_role("button", name="Xác nhận").tap()
    page.wait_for_url(f"{base}/")

    # Her sessions: this phone, signed in.
    page.locator(".who").tap()
    page.get_by_role("link", name="Xem các phiên đăng nhập").tap()
    expect(page.get_by_role("heading", name="Phiên đăng nhập")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("phiên này")
    assert fits(page)
    context.close()
