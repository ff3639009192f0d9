"""In real headless Chromium: a cell secretary records this month's meeting with its
attendance on a phone, then reads the compliance grid of her cell."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from dangvu.conftest import PASSWORD, World
from dangvu.meetings.models import Meeting

pytestmark = [pytest.mark.browser]
WAIT = 15_000
TDP1 = "DN.CUJUT.EATLING.TDP1"


def test_it_lets_a_secretary_record_a_meeting_and_see_the_grid(
    live_world: World, live_server: Any, browser: Any
) -> None:
    from playwright.sync_api import expect

    base, today = live_server.url, timezone.localdate()
    day = today  # held today: inside this month, never in the future
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(WAIT)
    page = context.new_page()
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", "hoa")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base}/sinh-hoat/{TDP1}/ghi/")
    expect(page.get_by_role("heading", name="Ghi buổi sinh hoạt")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_label("Nội dung dự kiến").fill("Quán triệt nghị quyết; kiểm điểm nhiệm vụ tháng.")
    page.get_by_label("Ngày sinh hoạt (để trống nếu chưa tổ chức)").fill(day.strftime("%d/%m/%Y"))
    page.get_by_label("Ngày gửi tài liệu đến đảng viên").fill(
        (day - timedelta(days=1)).strftime("%d/%m/%Y")
    )
    page.get_by_label("Thời lượng (phút)").fill("100")
    # Bình is away: untick him without a reason first, and the page says what is missing.
    page.get_by_role("checkbox", name="Đặng Văn Bình").uncheck()
    page.get_by_role("button", name="Lưu buổi sinh hoạt").tap()
    expect(page.locator(".msg-error")).to_have_text("Cần ghi lý do vắng của Đặng Văn Bình.")
    assert not Meeting.objects.exists()
    page.get_by_role("checkbox", name="Đặng Văn Bình").uncheck()
    page.get_by_label("Lý do vắng của Đặng Văn Bình").fill("Đi công tác")
    page.get_by_label("Nội dung dự kiến").fill("Quán triệt nghị quyết; kiểm điểm nhiệm vụ tháng.")
    page.get_by_label("Ngày sinh hoạt (để trống nếu chưa tổ chức)").fill(day.strftime("%d/%m/%Y"))
    page.get_by_label("Ngày gửi tài liệu đến đảng viên").fill(
        (day - timedelta(days=1)).strftime("%d/%m/%Y")
    )
    page.get_by_label("Thời lượng (phút)").fill("100")
    page.get_by_role("button", name="Lưu buổi sinh hoạt").tap()
    expect(page.locator(".msg-success")).to_contain_text(f"Đã lưu buổi sinh hoạt tháng {day:%m/%Y}")
    meeting = Meeting.objects.get()
    assert meeting.attendances.filter(present=False).get().absence_reason == "Đi công tác"
    assert meeting.attendances.filter(present=True).count() == 3

    # The grid: this month held (planned this month, so not as the regime asks: "!").
    page.goto(f"{base}/sinh-hoat/?don-vi={TDP1}&nam={today.year}")
    cell = page.locator(f"td[title^='{day:%m/%Y}']")
    expect(cell).to_have_text("!")
    assert "kế hoạch không nhập trước tháng" in (cell.get_attribute("title") or "")
    context.close()
