"""The yearly commitment in real headless Chromium: a member writes it on a phone, the cell
secretary comments, the member revises, the secretary approves on a desktop."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from dangvu.conftest import PASSWORD, PHONE, World, shot
from dangvu.reviews.models import Commitment, CommitmentStatus

pytestmark = [pytest.mark.browser]
WAIT = 15_000  # ms: the CI machine has two cores and runs Chromium beside the server
TEXTS = {
    "ideology": "Kiên định chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí Minh.",
    "ethics": "Sống giản dị, gương mẫu nơi cư trú.",
    "duties": "Hoàn thành tốt nhiệm vụ tổ trưởng tổ dân phố.",
    "discipline": "Dự đủ các kỳ sinh hoạt chi bộ.",
    "degradation": "Không chia sẻ thông tin sai trái trên mạng xã hội.",
}


def sign_in(context: Any, base: str, username: str) -> Any:
    page = context.new_page()
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def test_it_lets_a_member_write_a_commitment_on_a_phone_and_the_secretary_approve_it(
    live_world: World, live_server: Any, browser: Any
) -> None:
    from playwright.sync_api import expect

    base, year = live_server.url, timezone.localdate().year
    phone = browser.new_context(**PHONE)
    phone.set_default_timeout(WAIT)
    page = sign_in(phone, base, "ybhiong")
    page.get_by_role("button", name="Menu").tap()  # the top bar is folded on a phone
    page.get_by_role("link", name="Cam kết của tôi").first.tap()
    expect(page.get_by_role("heading", name=f"Bản cam kết năm {year}")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "one column on a phone"
    send = page.get_by_role("button", name="Gửi chi bộ")
    assert send.bounding_box()["height"] >= 44, "a button a thumb can hit"

    # Sending with a section left empty says which, and keeps what was written.
    page.get_by_label("1. Về tư tưởng chính trị").fill(TEXTS["ideology"])
    send.tap()
    expect(page.locator(".msg-error")).to_contain_text("Về phẩm chất đạo đức, lối sống")
    expect(page.get_by_label("1. Về tư tưởng chính trị")).to_have_value(TEXTS["ideology"])
    for key, text in TEXTS.items():
        page.locator(f"#cam-ket-{key}").fill(text)
    shot(page, "commitment-phone.png")
    page.get_by_role("button", name="Gửi chi bộ").tap()
    expect(page.locator(".msg-success")).to_have_text("Đã gửi bản cam kết đến chi bộ.")
    expect(page.locator(".trang-thai")).to_contain_text("Đã gửi chi bộ")
    commitment = Commitment.objects.get(member=live_world.members["ybhiong"], year=year)
    assert commitment.status == CommitmentStatus.SUBMITTED

    # The secretary, on a desktop, finds it in the cell's year and comments on one section.
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    desk.set_default_timeout(WAIT)
    office = sign_in(desk, base, "hoa")
    office.goto(f"{base}/kiem-diem/DN.CUJUT.EATLING.TDP1/{year}/")
    office.get_by_role("link", name="Đã gửi chi bộ").click()
    office.get_by_label("Ý kiến góp ý mục này").nth(2).fill("Nêu chỉ tiêu cụ thể của năm.")
    office.get_by_role("button", name="Gửi góp ý, trả lại để sửa").click()
    expect(office.locator(".trang-thai")).to_contain_text("Chi bộ góp ý, cần sửa")

    # The member sees the comment, revises, sends again.
    page.reload()
    expect(page.get_by_text("Nêu chỉ tiêu cụ thể của năm.")).to_be_visible()
    page.locator("#cam-ket-duties").fill("Vận động 100% hộ gia đình đóng góp quỹ an sinh.")
    page.get_by_role("button", name="Gửi chi bộ").tap()
    expect(page.locator(".trang-thai")).to_contain_text("Đã gửi chi bộ")

    # Approved, it is published inside the cell.
    office.reload()
    office.get_by_role("button", name="Duyệt và công khai trong chi bộ").click()
    expect(office.locator(".trang-thai")).to_contain_text("Đã duyệt, công khai trong chi bộ")
    shot(office, "commitment-approved.png")
    commitment.refresh_from_db()
    assert commitment.is_approved
    assert commitment.sections["duties"] == "Vận động 100% hộ gia đình đóng góp quỹ an sinh."
    page.reload()
    expect(page.locator(".trang-thai")).to_contain_text("Đã duyệt")
    assert page.locator("textarea").count() == 0, "an approved commitment is no longer edited"
    phone.close()
    desk.close()
